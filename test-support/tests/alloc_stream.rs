//! What lambda-router allocates per chunk of a streamed body: nothing, once the workspace has
//! grown. Measured as the difference between a 1,000-chunk and a 10-chunk stream of the same
//! route, through a sink that allocates nothing itself, on a warm workspace.

use lambda_router::testing::TestRequest;
use lambda_router::{App, Error, Request, Response, Route, Router, Workspace};
use test_support::alloc::{Counting, allocations_during, is_counting};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

async fn export<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let rows: u32 = req.query_param("rows").and_then(|n| n.parse().ok()).unwrap_or(3);
    let body = req.stream(move |out| async move {
        for i in 0..rows {
            out.write_fmt(format_args!("{i},row-{i},{}\n", 7 * i)).await?;
        }
        Ok(())
    });
    Ok(Response::new(200).with_content_type("text/csv").with_body(body))
}

async fn chat<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let tokens: u32 = req.query_param("tokens").and_then(|n| n.parse().ok()).unwrap_or(3);
    Ok(req.sse(move |events| async move {
        for _ in 0..tokens {
            events.data("token").await?;
        }
        Ok(())
    }))
}

#[test]
fn a_chunk_costs_no_allocation() {
    assert!(is_counting());
    let router = Router::builder().push(Route::get("/export", export)).push(Route::get("/chat", chat)).build().unwrap();
    let app = App::with_router(router).streaming();
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let mut workspace = Workspace::new();
    for (path, param) in [("/export", "rows"), ("/chat", "tokens")] {
        let event = |n: &str| TestRequest::get(path).query(param, n).function_url();
        let (small, large) = (event("10"), event("1000"));
        // Warm: the workspace grows to the largest chunk, and to both invocations (after the
        // large one, the small one may still grow the arena once: its allocations, in another
        // order, need a chunk of their own).
        runtime.block_on(large.stream_counting(&app, &mut workspace)).unwrap();
        runtime.block_on(small.stream_counting(&app, &mut workspace)).unwrap();
        let (few, (chunks, _)) =
            allocations_during(|| runtime.block_on(small.stream_counting(&app, &mut workspace)).unwrap());
        assert_eq!(chunks, 10);
        let (many, (chunks, _)) =
            allocations_during(|| runtime.block_on(large.stream_counting(&app, &mut workspace)).unwrap());
        assert_eq!(chunks, 1000);
        println!("{path}: {few} allocations for 10 chunks, {many} for 1,000");
        assert_eq!(many, few, "{path}: {} allocations for 990 more chunks", many as isize - few as isize);
    }
}
