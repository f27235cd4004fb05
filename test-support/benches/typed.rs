//! A typed body parsed and validated: POST `/orders` with the SPEC's `Order` (3 items), valid
//! and with three errors, through the whole pipeline on both sides, in the same run.
//!
//! lambda-router: the validation example (`#[derive(Model)]`, `Route::post_with`), the body read
//! from simd-json's tape into borrowed fields, every error located, the order echoed. The peer
//! (`common/typed_peer.rs`): `lambda_http` + axum 0.8 with `Json<Order>` (serde) and garde's
//! derive carrying the same constraints, answering 422 with garde's report, or the order
//! echoed. Each iteration is event bytes in, response bytes out, as in `benches/pipeline.rs`.
//!
//! Run: `cargo bench -p test-support --bench typed`.

mod common;

use std::hint::black_box;

use common::{status_of, typed_peer};
use criterion::{Criterion, criterion_group, criterion_main};
use lambda_router::{LambdaContext, Workspace};

fn bench(c: &mut Criterion) {
    let app = validation::app();
    let mut workspace = Workspace::new();
    let mut peer = typed_peer::peer();
    for (name, event, status) in typed_peer::events() {
        let ours = app.handle(&mut workspace, &event, &LambdaContext::LOCAL).expect("a supported event").to_vec();
        assert_eq!(status_of(&ours), status, "lambda-router {name}: {}", String::from_utf8_lossy(&ours));
        let theirs = peer.invoke(&event);
        assert_eq!(status_of(&theirs), status, "peer {name}: {}", String::from_utf8_lossy(&theirs));
        let mut group = c.benchmark_group(name);
        group.bench_function("lambda-router", |b| {
            b.iter(|| {
                let response = app.handle(&mut workspace, black_box(&event), &LambdaContext::LOCAL).expect("handled");
                black_box(response.len())
            })
        });
        group.bench_function("lambda_http+axum+garde", |b| b.iter(|| black_box(peer.invoke(black_box(&event)).len())));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
