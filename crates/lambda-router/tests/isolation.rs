//! Invocations in flight together, as `AWS_LAMBDA_MAX_CONCURRENCY` runs them (interleaved on
//! the one invocation thread, each with its own workspace): each sees its own `LambdaContext`
//! across its awaits, and one that panics mid-await leaves the others, and the next invocation
//! on its workspace, clean.

use std::rc::Rc;

use lambda_router::testing::TestRequest;
use lambda_router::{App, Error, LambdaContext, Request, Response, Route, Router, Workspace};

async fn whoami<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let before = req.lambda_context().request_id;
    for _ in 0..4 {
        tokio::task::yield_now().await;
    }
    if req.query_param("panic").is_some() {
        panic!("invocation {before} broke mid-await");
    }
    let context = req.lambda_context();
    assert_eq!(context.request_id, before, "the context is the invocation's across its awaits");
    let trace = context.xray_trace_id.unwrap_or_default();
    Ok(Response::text(
        200,
        req.format(format_args!("{} {trace} {}", context.request_id, req.param("n").unwrap_or_default())),
    ))
}

fn app() -> App {
    App::with_router(Router::builder().push(Route::get("/who/<n>", whoami)).build().unwrap())
}

#[test]
fn eight_at_once_each_with_its_own_context_and_a_panic_contained() {
    let app = Rc::new(app());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let local = tokio::task::LocalSet::new();
    let mut handles = Vec::new();
    for i in 0..8 {
        let app = app.clone();
        handles.push(local.spawn_local(async move {
            let request_id = format!("req-{i}");
            let trace = format!("Root=1-00000000-{i:024}");
            let lambda = LambdaContext { request_id: &request_id, xray_trace_id: Some(&trace), ..LambdaContext::LOCAL };
            let mut request = TestRequest::get(&format!("/who/{i}"));
            if i == 3 {
                request = request.query("panic", "1");
            }
            let event = request.rest_v1().to_bytes();
            let mut workspace = Workspace::new();
            let answer: serde_json::Value =
                serde_json::from_slice(app.handle_async(&mut workspace, &event, &lambda).await.unwrap()).unwrap();
            // The next invocation on the same workspace, after whatever this one did.
            let next_event = TestRequest::get(&format!("/who/{i}")).rest_v1().to_bytes();
            let next_id = format!("next-{i}");
            let lambda = LambdaContext { request_id: &next_id, xray_trace_id: None, ..LambdaContext::LOCAL };
            let next: serde_json::Value =
                serde_json::from_slice(app.handle_async(&mut workspace, &next_event, &lambda).await.unwrap()).unwrap();
            (answer, next)
        }));
    }
    let results: Vec<_> = runtime.block_on(local.run_until(async {
        let mut results = Vec::new();
        for handle in handles {
            results.push(handle.await.unwrap());
        }
        results
    }));
    for (i, (answer, next)) in results.iter().enumerate() {
        if i == 3 {
            assert_eq!(answer["statusCode"], 500, "the panicking invocation answers 500");
        } else {
            assert_eq!(answer["statusCode"], 200);
            assert_eq!(answer["body"], format!("req-{i} Root=1-00000000-{i:024} {i}"));
        }
        assert_eq!(next["body"], format!("next-{i}  {i}"), "the next invocation on workspace {i} is clean");
    }
}
