//! `Workspace`: the memory one worker reuses across invocations, so that the steady state
//! allocates nothing.

use std::cell::RefCell;

use simd_json::{Buffers, tape::Tape};

use crate::arena::Arena;
use crate::request::JsonScratch;
use crate::response::compress::Gzip;

/// Memory one worker reuses across invocations: the arena, simd-json's buffers and tape, the
/// output buffer and the gzip state. Make one per concurrent invocation.
///
/// Dropping or replacing a workspace is always safe, even under a pipeline future that was
/// leaked mid-await: memory that a pinned future may still be linked to is then leaked, never
/// freed (see the arena's invariant).
pub struct Workspace {
    pub(super) arena: Arena,
    pub(super) buffers: Buffers,
    pub(super) tape: Option<Tape<'static>>,
    pub(super) out: Vec<u8>,
    pub(super) gzip: Gzip,
    pub(super) scratch: RefCell<JsonScratch>,
    /// The access log's line, when the app writes one.
    pub(super) log: Vec<u8>,
}

impl Workspace {
    /// An empty workspace; it grows to the largest invocation it sees and stays there.
    pub fn new() -> Workspace {
        Workspace {
            arena: Arena::new(),
            buffers: Buffers::new(4096),
            tape: None,
            out: Vec::new(),
            gzip: Gzip::new(),
            scratch: RefCell::default(),
            log: Vec::new(),
        }
    }

    /// The output buffer, for writing an error line.
    pub(crate) fn out(&mut self) -> &mut Vec<u8> {
        &mut self.out
    }

    /// Makes the arena's memory free for the next invocation (or leaks it, should a future
    /// still be pinned in it: see `arena.rs`).
    pub(super) fn reset_arena(&mut self) {
        self.arena.reset();
    }

    /// How many futures are pinned in the arena now (for tests of the arena's invariant).
    #[cfg(test)]
    pub(crate) fn pinned_futures(&self) -> usize {
        self.arena.pinned()
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
