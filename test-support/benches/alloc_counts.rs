//! Heap allocations per invocation, per scenario (typed bodies included: `Json` + garde on the
//! peer's side), for lambda-router and for lambda_http + axum, counted on this thread by the
//! counting allocator after a warm-up. Prints a table; fails if lambda-router allocates in any
//! scenario.
//!
//! Run: `cargo bench -p test-support --bench alloc_counts`.

mod common;

use common::{peer, scenarios, typed_peer};
use test_support::pipeline as ours;

use lambda_router::{LambdaContext, Workspace};
use test_support::alloc::{Counting, allocations_during, is_counting};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn per_invocation(mut invoke: impl FnMut()) -> usize {
    for _ in 0..5 {
        invoke();
    }
    const RUNS: usize = 10;
    let (count, ()) = allocations_during(|| {
        for _ in 0..RUNS {
            invoke();
        }
    });
    count / RUNS
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    assert!(is_counting(), "the counting allocator is installed");
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
    // Typed bodies: the validation example against axum's `Json` + garde.
    let typed = validation::app();
    let mut typed_peer = typed_peer::peer();
    for (name, event, status) in typed_peer::events() {
        let ours = per_invocation(|| {
            typed.handle(&mut workspace, &event, &LambdaContext::LOCAL).expect("handled");
        });
        let theirs = per_invocation(|| {
            typed_peer.invoke(&event);
        });
        let response = typed.handle(&mut workspace, &event, &LambdaContext::LOCAL).expect("handled");
        let answered = serde_json::from_slice::<serde_json::Value>(response).expect("JSON")["statusCode"].clone();
        assert_eq!(answered, status, "{name}");
        println!("{:40} {:>14} {:>18}", name.trim_start_matches("typed body: "), ours, theirs);
        ours_total += ours;
    }
    assert_eq!(ours_total, 0, "lambda-router allocated in the steady state");
}
