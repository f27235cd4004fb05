//! The one counting allocator of the tests and benches: the system allocator, with every
//! allocation (and reallocation) counted for the thread that makes it, so the test harness's
//! other threads never count.
//!
//! A test or bench binary installs it with
//! `#[global_allocator] static ALLOCATOR: test_support::alloc::Counting = test_support::alloc::Counting;`
//! and measures with [`allocations_during`].

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting.
#[derive(Debug, Clone, Copy)]
pub struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: during thread teardown the slot may be gone; those allocations are not ours.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: forwards every call to the system allocator unchanged; only counts, in a
// const-initialized thread-local that itself never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this `layout` (every path above uses it).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: as for `dealloc`; the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// How many allocations this thread made while `f` ran, and what `f` returned. Counts only
/// when [`Counting`] is the binary's global allocator (otherwise always 0).
pub fn allocations_during<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let before = ALLOCATIONS.with(Cell::get);
    let result = f();
    (ALLOCATIONS.with(Cell::get) - before, result)
}

/// Installs nothing: whether [`Counting`] is the global allocator of this binary, checked by
/// allocating once. A test that relies on counting asserts this first, so a binary that
/// forgot `#[global_allocator]` fails instead of passing with zeros.
pub fn is_counting() -> bool {
    let (count, boxed) = allocations_during(|| std::hint::black_box(Box::new(7u64)));
    drop(boxed);
    count == 1
}
