//! `Workspace`: the memory one worker reuses across invocations, so that the steady state
//! allocates nothing.

use std::cell::{Cell, RefCell};

use bumpalo::Bump;
use simd_json::{Buffers, tape::Tape};

use crate::request::JsonScratch;
use crate::response::compress::Gzip;

/// Memory one worker reuses across invocations: the arena, simd-json's buffers and tape, the
/// output buffer and the gzip state. Make one per concurrent invocation.
pub struct Workspace {
    pub(super) arena: Bump,
    pub(super) buffers: Buffers,
    pub(super) tape: Option<Tape<'static>>,
    pub(super) out: Vec<u8>,
    pub(super) gzip: Gzip,
    pub(super) scratch: RefCell<JsonScratch>,
    /// How many async handlers' futures are pinned in the arena and not yet dropped: zero
    /// between invocations, unless a pipeline future was leaked mid-await.
    pub(super) pinned: Cell<usize>,
    /// The access log's line, when the app writes one.
    pub(super) log: Vec<u8>,
}

impl Workspace {
    /// An empty workspace; it grows to the largest invocation it sees and stays there.
    pub fn new() -> Workspace {
        Workspace {
            arena: Bump::new(),
            buffers: Buffers::new(4096),
            tape: None,
            out: Vec::new(),
            gzip: Gzip::new(),
            scratch: RefCell::default(),
            pinned: Cell::new(0),
            log: Vec::new(),
        }
    }

    /// The output buffer, for writing an error line.
    pub(crate) fn out(&mut self) -> &mut Vec<u8> {
        &mut self.out
    }

    /// Makes the arena's memory free for the next invocation. Memory that holds a pinned
    /// future must never be reused before that future is dropped (`Pin`'s drop guarantee: a
    /// tokio timer or a `Notify` waiter may still point into it). The pipeline drops every
    /// future it pinned, panics included; only a pipeline future that was itself leaked
    /// (`mem::forget` of a polled `handle_async` future) leaves one behind, and then the whole
    /// arena is leaked instead of reset: memory lost, never reused.
    pub(super) fn reset_arena(&mut self) {
        if self.pinned.get() != 0 {
            std::mem::forget(std::mem::replace(&mut self.arena, Bump::new()));
            self.pinned.set(0);
            tracing::warn!("a request future was leaked while pinned in the arena; its arena is leaked too");
        }
        self.arena.reset();
    }

    /// Whether a future is pinned in the arena now (for tests of the invariant above).
    #[cfg(test)]
    pub(crate) fn pinned_futures(&self) -> usize {
        self.pinned.get()
    }

    /// Whether libdeflate's state was made (for tests that no compression happened).
    #[cfg(test)]
    pub(crate) fn gzip_started(&self) -> bool {
        self.gzip.started()
    }
}

impl Default for Workspace {
    fn default() -> Workspace {
        Workspace::new()
    }
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("arena_bytes", &self.arena.allocated_bytes())
            .field("out_capacity", &self.out.capacity())
            .finish_non_exhaustive()
    }
}
