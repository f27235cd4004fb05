//! The whole pipeline, invocation bytes → response bytes, for lambda-router and for
//! `lambda_http` 1.x + axum 0.8 serving the same 60 routes, in the same run.
//!
//! Method: per scenario (`benches/common/scenarios.rs`: REST v1, HTTP API v2 and ALB events of
//! 1.5–3 KB with 20 headers, built from the AWS samples), one iteration hands the event's bytes
//! to the app and gets the Lambda response's bytes back. lambda-router: `App::handle` with a
//! workspace reused across iterations, as the runtime reuses it. The peer: deserialize
//! `LambdaRequest`, `lambda_http::Adapter` over the axum router (the service
//! `lambda_http::run` builds), serialize the `LambdaResponse` (`benches/common/peer.rs`).
//! Neither includes the network or the Lambda runtime loop. The `floor` group times simd-json
//! alone on the REST `GET /hello/<name>` event: the copy into a padded buffer and the parse
//! into a reused tape, which every lambda-router invocation does first.
//!
//! Run: `cargo bench -p test-support --bench pipeline`, then `python3 test-support/benches/summary.py`.

mod common;

use common::{peer, scenarios, status_of};
use test_support::pipeline as ours;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lambda_router::{LambdaContext, Workspace};

fn bench(c: &mut Criterion) {
    let app = ours::app();
    let mut workspace = Workspace::new();
    let mut peer = peer::Peer::new();
    let scenarios = scenarios::all();
    for scenario in &scenarios {
        let ours = app.handle(&mut workspace, &scenario.event, &LambdaContext::LOCAL).expect("a supported event");
        assert_eq!(status_of(ours), scenario.status as u64, "lambda-router: {}", scenario.name);
        let theirs = peer.invoke(&scenario.event);
        assert_eq!(status_of(&theirs), scenario.status as u64, "peer: {}", scenario.name);
        eprintln!("{:40} event {:>5} B", scenario.name, scenario.event.len());
    }

    for scenario in &scenarios {
        let mut group = c.benchmark_group(scenario.name);
        group.bench_function("lambda-router", |b| {
            b.iter(|| {
                let response =
                    app.handle(&mut workspace, black_box(&scenario.event), &LambdaContext::LOCAL).expect("handled");
                black_box(response.len())
            })
        });
        group.bench_function("lambda_http+axum", |b| {
            b.iter(|| black_box(peer.invoke(black_box(&scenario.event)).len()))
        });
        group.finish();
    }

    // Three no-op middleware around the REST `GET /hello/<name>` route, on both sides: what the
    // mechanism costs per invocation.
    let event = &scenarios[1].event;
    let with_middleware = ours::app_with_middleware();
    let mut peer_with_middleware = peer::Peer::with_middleware();
    assert_eq!(status_of(with_middleware.handle(&mut workspace, event, &LambdaContext::LOCAL).expect("handled")), 200);
    assert_eq!(status_of(&peer_with_middleware.invoke(event)), 200);
    let mut group = c.benchmark_group("middleware x3: rest-v1 GET /hello/<name>");
    group.bench_function("lambda-router", |b| {
        b.iter(|| {
            black_box(app.handle(&mut workspace, black_box(event), &LambdaContext::LOCAL).expect("handled").len())
        })
    });
    group.bench_function("lambda-router + 3 middleware", |b| {
        b.iter(|| {
            let response =
                with_middleware.handle(&mut workspace, black_box(event), &LambdaContext::LOCAL).expect("handled");
            black_box(response.len())
        })
    });
    group.bench_function("lambda_http+axum", |b| b.iter(|| black_box(peer.invoke(black_box(event)).len())));
    group.bench_function("lambda_http+axum + 3 from_fn", |b| {
        b.iter(|| black_box(peer_with_middleware.invoke(black_box(event)).len()))
    });
    group.finish();

    // The floor: what simd-json alone needs for the REST `GET /hello/<name>` event.
    let event = &scenarios[1].event;
    let mut buffer = vec![0u8; event.len() + simd_json::INPUT_PADDING];
    let mut buffers = simd_json::Buffers::new(event.len());
    let mut tape = Some(simd_json::tape::Tape(Vec::new()));
    c.bench_function("floor/simd-json parse of rest-v1 GET /hello/<name>", |b| {
        b.iter(|| {
            buffer[..event.len()].copy_from_slice(black_box(event));
            let mut parsed = tape.take().unwrap_or_else(|| simd_json::tape::Tape(Vec::new())).reset();
            simd_json::fill_tape_padded(&mut buffer, event.len(), &mut buffers, &mut parsed).expect("valid JSON");
            black_box(parsed.0.len());
            tape = Some(parsed.reset());
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
