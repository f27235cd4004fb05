//! Heap allocations per invocation, per scenario, for lambda-router and for lambda_http +
//! axum, counted by a global allocator after a warm-up. Prints a table; fails if
//! lambda-router allocates in any scenario.
//!
//! Run: `cargo bench --bench alloc_counts`.

#[path = "common/data.rs"]
mod data;
#[path = "common/ours.rs"]
mod ours;
#[path = "common/peer.rs"]
mod peer;
#[path = "common/scenarios.rs"]
mod scenarios;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use lambda_router::{LambdaContext, Workspace};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `dealloc`; the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn per_invocation(mut invoke: impl FnMut()) -> usize {
    for _ in 0..5 {
        invoke();
    }
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    const RUNS: usize = 10;
    for _ in 0..RUNS {
        invoke();
    }
    (ALLOCATIONS.load(Ordering::SeqCst) - before) / RUNS
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    let app = ours::app();
    let mut workspace = Workspace::new();
    let mut peer = peer::Peer::new();
    println!("{:40} {:>14} {:>18}", "scenario", "lambda-router", "lambda_http+axum");
    let mut ours_total = 0;
    for scenario in scenarios::all() {
        let ours = per_invocation(|| {
            app.handle(&mut workspace, &scenario.event, &LambdaContext::LOCAL).expect("handled");
        });
        let theirs = per_invocation(|| {
            peer.invoke(&scenario.event);
        });
        // Both answered as the scenario says (counted runs are the same invocations).
        let response = app.handle(&mut workspace, &scenario.event, &LambdaContext::LOCAL).expect("handled");
        let status = serde_json::from_slice::<serde_json::Value>(response).expect("JSON")["statusCode"].clone();
        assert_eq!(status, scenario.status, "{}", scenario.name);
        println!("{:40} {:>14} {:>18}", scenario.name, ours, theirs);
        ours_total += ours;
    }
    assert_eq!(ours_total, 0, "lambda-router allocated in the steady state");
}
