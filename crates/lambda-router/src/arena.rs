//! The invocation's arena and the futures pinned in it: all the unsafe code that reusing the
//! request path's memory rests on.
//!
//! An async handler's or a middleware's future is moved into the invocation's arena (no heap
//! allocation) and pinned there when it is first polled. `Pin`'s drop guarantee then says that
//! its memory is not reused nor freed before its destructor runs: a tokio timer entry or a
//! `Notify` waiter may be linked to it from outside and be written through later.
//!
//! INVARIANT: arena memory that holds a pinned future is never reused nor freed before that
//! future's destructor has run. Three facts keep it, all in this module:
//!
//! 1. **Counting.** An [`ArenaFuture`] is counted in its arena's [`Pins`] before its first poll
//!    pins it, and uncounted only after its destructor has run (its own `Drop`). It can only be
//!    made by [`in_arena`], from an [`Arena`], so it always counts in the arena that holds it.
//! 2. **Reset.** [`Arena::reset`] reuses the memory only when nothing is counted; otherwise it
//!    leaks every chunk (the memory stays valid for the life of the process) and starts afresh.
//! 3. **Drop.** `Arena`'s destructor frees the chunks only when nothing is counted; otherwise
//!    it leaks them. The bump is a private field: nothing else can reset or free it.
//!
//! Every way out, and what covers it (can safe code outside this module break the
//! invariant? no):
//!
//! - **drop**: the pipeline drops every `ArenaFuture` it holds before it returns; the
//!   destructor runs the future's, then uncounts it (1).
//! - **panic**: an `ArenaFuture` in an unwinding frame is dropped by the unwinding (1). A
//!   future whose destructor panics stays counted: its arena is leaked (2, 3), never reused.
//! - **forget**: safe code may `mem::forget` a polled pipeline future (`App::handle_async`)
//!   or a middleware's `Next` future, or leak one in an `Rc` cycle. Its count stays up, and the
//!   next reset (2) or the workspace's drop (3) leaks the memory rather than reuse or free it.
//!   Nothing can poll a forgotten future again: it is unreachable, and its borrow of the
//!   workspace has ended only because it is.
//! - **replace**: `mem::replace` or `mem::swap` of a `Workspace` moves its `Arena`, bump and
//!   count together (chunks are on the heap and do not move); the arena swapped out is later
//!   reset (2) or dropped (3) by the same rules.
//! - **another thread**: an `ArenaFuture` holds a `&Pins` (a `Cell`), so neither it nor a
//!   pipeline future holding it is `Send`. An `Arena` can move to another thread only when no
//!   borrow of it is alive, and its count moves with it.
//!
//! [`ArenaRef`] is what a handler gets of the arena: it allocates, and cannot reset, limit or
//! free anything.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bumpalo::Bump;

use crate::error::Error;
use crate::response::Response;

type Outcome<'a> = Result<Response<'a>, Error>;

/// How many futures are pinned in an arena and not yet dropped.
#[derive(Debug, Default)]
pub(crate) struct Pins(Cell<usize>);

impl Pins {
    fn count(&self) -> usize {
        self.0.get()
    }
}

/// An invocation's arena, owned by its workspace: a bump allocator and the count of futures
/// pinned in it (see the module's INVARIANT).
#[derive(Default)]
pub(crate) struct Arena {
    bump: Bump,
    pins: Pins,
}

impl Arena {
    pub(crate) fn new() -> Arena {
        Arena::default()
    }

    /// The allocator, for data that is never pinned (copies of the event, strings, lists).
    pub(crate) fn bump(&self) -> &Bump {
        &self.bump
    }

    /// Frees the memory for the next invocation; when a future is still pinned in it (its
    /// pipeline future was leaked mid-await), leaks it instead and starts a new bump.
    pub(crate) fn reset(&mut self) {
        if self.pins.count() == 0 {
            self.bump.reset();
            return;
        }
        std::mem::forget(std::mem::take(&mut self.bump));
        self.pins = Pins::default();
        tracing::warn!("a request future was leaked while pinned in the arena; its arena is leaked too");
    }

    /// How many futures are pinned in the arena now (for tests of the invariant).
    #[cfg(test)]
    pub(crate) fn pinned(&self) -> usize {
        self.pins.count()
    }

    /// Bytes the arena holds.
    pub(crate) fn allocated_bytes(&self) -> usize {
        self.bump.allocated_bytes()
    }
}

impl std::fmt::Debug for Arena {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Arena")
            .field("allocated_bytes", &self.allocated_bytes())
            .field("pinned", &self.pins.count())
            .finish()
    }
}

impl Drop for Arena {
    fn drop(&mut self) {
        if self.pins.count() != 0 {
            // Fact 3: a pinned future's memory outlives the workspace, unreachable but valid.
            std::mem::forget(std::mem::take(&mut self.bump));
        }
    }
}

/// A future living in an invocation's arena: an async handler's or a middleware's. Only the
/// pipeline polls it (it is not a `Future`), and dropping it runs the future's destructor in
/// place.
///
/// Generated code names it (`#[handler]`, `#[middleware]`); it is not part of the public API.
///
/// A streamed body's producer is one too, with the output `Result<(), Error>`.
pub struct ArenaFuture<'r, 'a, O = Outcome<'a>> {
    future: &'r mut (dyn Future<Output = O> + 'r),
    pins: &'r Pins,
    polled: bool,
    output: std::marker::PhantomData<fn() -> Outcome<'a>>,
}

/// Moves `future` into `arena` (no heap allocation). It is dropped in place when the returned
/// handle is.
pub(crate) fn in_arena<'r, 'a, O, F>(arena: &'r Arena, future: F) -> ArenaFuture<'r, 'a, O>
where
    F: Future<Output = O> + 'r,
{
    let future: &'r mut F = arena.bump.alloc(future);
    ArenaFuture { future, pins: &arena.pins, polled: false, output: std::marker::PhantomData }
}

impl<'a, O> ArenaFuture<'_, 'a, O> {
    /// Polls the future (the pipeline's alone).
    pub(crate) fn poll(&mut self, cx: &mut Context<'_>) -> Poll<O> {
        if !self.polled {
            // Fact 1: counted before the first poll pins it.
            self.polled = true;
            self.pins.0.set(self.pins.count() + 1);
        }
        // SAFETY: the future sits in arena memory, which never moves it; this handle holds the
        // only reference to it (made by `in_arena` from the value moved in) and never moves it
        // out. The memory is not reused nor freed before the destructor below runs: while this
        // handle lives it borrows the arena, which can then be neither reset nor dropped; should
        // the handle be leaked instead, the count keeps the memory (facts 2 and 3).
        let pinned = unsafe { Pin::new_unchecked(&mut *self.future) };
        pinned.poll(cx)
    }
}

impl<O> Drop for ArenaFuture<'_, '_, O> {
    fn drop(&mut self) {
        // SAFETY: the arena never runs destructors, so the future's runs here, once: this handle
        // is the only reference to it, and nothing reads the future afterwards (its memory is
        // reclaimed by the next reset, untouched).
        unsafe { std::ptr::drop_in_place(self.future as *mut (dyn Future<Output = O> + '_)) }
        // Fact 1: only now may the memory be reused (a destructor that panicked skips this and
        // leaves the future counted).
        if self.polled {
            self.pins.0.set(self.pins.count().saturating_sub(1));
        }
    }
}

impl<O> std::fmt::Debug for ArenaFuture<'_, '_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArenaFuture").field("polled", &self.polled).finish_non_exhaustive()
    }
}

/// The invocation's arena as a handler sees it: values allocated here live as long as the
/// request (`'a`), and cost no heap allocation once the workspace has grown. It allocates and
/// nothing else: it cannot reset, limit or free the pooled memory.
///
/// Values are never dropped: allocate plain data (no `String`, `Vec`, `Box` inside), or expect
/// what they own to leak.
///
/// ```
/// use lambda_router::{Error, Request, Response};
/// fn shout<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
///     let name = req.param("name").unwrap_or("world");
///     let upper = req.arena().alloc_str(&name.to_ascii_uppercase());
///     let both: &[&str] = req.arena().alloc_slice_copy(&[name, upper]);
///     req.json_response(&both)
/// }
/// ```
#[derive(Clone, Copy)]
pub struct ArenaRef<'a> {
    bump: &'a Bump,
}

impl<'a> ArenaRef<'a> {
    pub(crate) fn new(bump: &'a Bump) -> ArenaRef<'a> {
        ArenaRef { bump }
    }

    /// Moves `value` into the arena.
    pub fn alloc<T>(self, value: T) -> &'a mut T {
        self.bump.alloc(value)
    }

    /// Copies `text` into the arena.
    pub fn alloc_str(self, text: &str) -> &'a str {
        self.bump.alloc_str(text)
    }

    /// Copies `items` into the arena.
    pub fn alloc_slice_copy<T: Copy>(self, items: &[T]) -> &'a [T] {
        self.bump.alloc_slice_copy(items)
    }

    /// A slice of `len` items, item `i` made by `make(i)`.
    pub fn alloc_slice_fill_with<T>(self, len: usize, make: impl FnMut(usize) -> T) -> &'a mut [T] {
        self.bump.alloc_slice_fill_with(len, make)
    }

    /// A slice of `len` copies of `value`.
    pub fn alloc_slice_fill_copy<T: Copy>(self, len: usize, value: T) -> &'a mut [T] {
        self.bump.alloc_slice_fill_copy(len, value)
    }

    /// Writes formatted text into the arena.
    pub fn format(self, args: std::fmt::Arguments<'_>) -> &'a str {
        bumpalo::format!(in self.bump, "{}", args).into_bump_str()
    }
}

impl std::fmt::Debug for ArenaRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArenaRef").field("allocated_bytes", &self.bump.allocated_bytes()).finish()
    }
}

#[cfg(test)]
mod tests;
