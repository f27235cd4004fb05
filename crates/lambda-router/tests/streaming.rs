//! Streamed responses: chunks with their boundaries and timing, the buffered equivalent,
//! middleware, CORS and cookies on streams, and every fault ending cleanly with the next
//! invocation unaffected.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use lambda_router::testing::TestRequest;
use lambda_router::{
    App, Cookie, Cors, Error, Next, Request, Response, Route, Router, ServiceError, SseEvent, StreamError, Workspace,
    middleware,
};

async fn chat<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let tokens: usize = req.query_param("tokens").and_then(|n| n.parse().ok()).unwrap_or(3);
    let delay: u64 = req.query_param("delay_ms").and_then(|n| n.parse().ok()).unwrap_or(0);
    Ok(req.sse(move |events| async move {
        for i in 0..tokens {
            if i > 0 && delay > 0 {
                tokio::time::sleep(Duration::from_millis(delay)).await;
            }
            events.data(&format!("token-{i}")).await?;
        }
        Ok(())
    }))
}

async fn export<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let rows: u32 = req.query_param("rows").and_then(|n| n.parse().ok()).unwrap_or(3);
    let body = req.stream(move |out| async move {
        for i in 0..rows {
            out.write_fmt(format_args!("{i},row-{i},{}\n", 7 * i)).await?;
        }
        Ok(())
    });
    Ok(Response::new(200).with_content_type("text/csv").with_body(body).cookie(Cookie::new("export", "1")))
}

/// One chunk, then 200 ms, then another.
async fn slow<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::new(200).with_body(req.stream(|out| async move {
        out.write(b"first").await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        out.write(b"second").await?;
        Ok(())
    })))
}

async fn fails<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let panics = req.query_param("panic").is_some();
    Ok(Response::new(200).with_body(req.stream(move |out| async move {
        out.write(b"partial").await?;
        if panics {
            panic!("the producer broke");
        }
        Err(ServiceError::bad_gateway("the upstream stream broke").into())
    })))
}

static PRODUCER_DROPPED: AtomicBool = AtomicBool::new(false);
static WRITES_AFTER_CLOSE: AtomicUsize = AtomicUsize::new(0);

struct DropFlag;
impl Drop for DropFlag {
    fn drop(&mut self) {
        PRODUCER_DROPPED.store(true, Ordering::SeqCst);
    }
}

async fn endless<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::new(200).with_body(req.stream(|out| async move {
        let _flag = DropFlag;
        loop {
            match out.write(b"tick").await {
                Ok(()) => {}
                Err(StreamError::Closed) => {
                    WRITES_AFTER_CLOSE.fetch_add(1, Ordering::SeqCst);
                    return Ok(());
                }
                Err(other) => return Err(other.into()),
            }
        }
    })))
}

async fn bad_sse<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(req.sse(|events| async move {
        events.send(SseEvent::data("line one\r\nline two\rthree\nfour\0five").event("ok")).await?;
        match events.send(SseEvent::data("x").id("1\n2")).await {
            Err(StreamError::InvalidField { field: "id", .. }) => events.data("refused").await?,
            other => panic!("{other:?}"),
        }
        Ok(())
    }))
}

fn bad_header<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::new(200).header("X-Bad", "line\r\nbreak").with_body(req.stream(|out| async move {
        out.write(b"never").await?;
        Ok(())
    })))
}

fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&serde_json::json!({"message": "hello"}))
}

#[middleware]
async fn tag<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    let response = next.run().await?;
    let _ = req;
    Ok(response.header("X-Tag", "outer"))
}

const ROUTES: &[Route] = &[
    Route::get("/chat", chat),
    Route::get("/export", export),
    Route::get("/slow", slow),
    Route::get("/fails", fails),
    Route::get("/endless", endless),
    Route::get("/bad-sse", bad_sse),
    Route::get("/bad-header", bad_header),
    Route::get("/hello", hello),
];

fn app() -> App {
    let router = Router::builder().extend(ROUTES.iter().copied()).build().unwrap();
    App::with_router(router).cors(Cors::new("https://example.com")).middleware(&[tag]).streaming()
}

#[tokio::test]
async fn chunks_keep_their_boundaries_and_the_prelude_its_headers() {
    let app = app();
    let stream = TestRequest::get("/chat")
        .query("tokens", "3")
        .header("Origin", "https://example.com")
        .function_url()
        .stream(&app)
        .await
        .unwrap();
    assert_eq!(
        stream.chunks,
        [b"data: token-0\n\n".to_vec(), b"data: token-1\n\n".to_vec(), b"data: token-2\n\n".to_vec()]
    );
    assert!(stream.ended && stream.error.is_none());
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.header("content-type"), Some("text/event-stream"));
    assert_eq!(stream.header("cache-control"), Some("no-cache"));
    assert_eq!(stream.header("x-tag"), Some("outer"), "middleware applies");
    assert_eq!(stream.header("access-control-allow-origin"), Some("https://example.com"), "CORS applies");
    let export = TestRequest::get("/export").query("rows", "2").rest_v1().stream(&app).await.unwrap();
    assert_eq!(export.text(), "0,row-0,0\n1,row-1,7\n");
    assert_eq!(export.chunks.len(), 2);
    assert_eq!(export.prelude["cookies"], serde_json::json!(["export=1; Secure"]));
}

#[tokio::test]
async fn a_buffered_route_is_the_prelude_and_one_chunk() {
    let stream = TestRequest::get("/hello").function_url().stream(&app()).await.unwrap();
    assert_eq!(stream.chunks, [br#"{"message":"hello"}"#.to_vec()]);
    assert_eq!(stream.header("content-type"), Some("application/json"));
    assert!(stream.ended);
}

#[tokio::test]
async fn a_source_that_cannot_stream_gets_its_buffered_answer() {
    let stream = TestRequest::get("/chat").query("tokens", "2").http_v2().stream(&app()).await.unwrap();
    let buffered = stream.buffered.expect("HTTP API v2 does not stream");
    assert_eq!(buffered.text(), "data: token-0\n\ndata: token-1\n\n");
    assert!(stream.chunks.is_empty());
}

#[test]
fn without_streaming_a_stream_is_gathered_into_the_buffered_response() {
    let response = TestRequest::get("/export").query("rows", "3").rest_v1().invoke(&app()).unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), "0,row-0,0\n1,row-1,7\n2,row-2,14\n");
    assert_eq!(response.header("content-type"), Some("text/csv"));
    assert_eq!(response.cookies(), ["export=1; Secure"]);
}

/// The two tests that time chunks run one at a time.
static TIMED: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test]
async fn a_chunk_is_handed_on_as_it_is_written() {
    let _timed = TIMED.lock().await;
    let stream = TestRequest::get("/slow").function_url().stream(&app()).await.unwrap();
    assert_eq!(stream.chunks, [b"first".to_vec(), b"second".to_vec()]);
    assert!(stream.arrived[0] < Duration::from_millis(1), "first chunk after {:?}", stream.arrived[0]);
    assert!(stream.arrived[1] >= Duration::from_millis(200), "second chunk after {:?}", stream.arrived[1]);
}

#[tokio::test]
async fn tokens_ten_ms_apart_arrive_ten_ms_apart() {
    let _timed = TIMED.lock().await;
    let stream = TestRequest::get("/chat")
        .query("tokens", "10")
        .query("delay_ms", "10")
        .function_url()
        .stream(&app())
        .await
        .unwrap();
    assert_eq!(stream.chunks.len(), 10);
    for (i, arrived) in stream.arrived.iter().enumerate() {
        let written = Duration::from_millis(10 * i as u64);
        assert!(
            *arrived >= written && *arrived < written + Duration::from_millis(5 + 2 * i as u64),
            "token {i} at {arrived:?}"
        );
    }
}

#[tokio::test]
async fn an_error_or_a_panic_mid_stream_ends_it_with_the_error_and_the_next_invocation_is_clean() {
    let app = app();
    let mut workspace = Workspace::new();
    let failed = TestRequest::get("/fails").function_url().stream_in(&app, &mut workspace).await.unwrap();
    assert_eq!(failed.chunks, [b"partial".to_vec()]);
    assert_eq!(failed.status(), 200, "the prelude went out first");
    assert_eq!(failed.error.as_deref(), Some("502 the upstream stream broke"));
    let panicked =
        TestRequest::get("/fails").query("panic", "1").function_url().stream_in(&app, &mut workspace).await.unwrap();
    assert_eq!(panicked.chunks, [b"partial".to_vec()]);
    assert_eq!(panicked.error.as_deref(), Some("the producer broke"), "a panic ends the stream with its message");
    let next =
        TestRequest::get("/export").query("rows", "1").function_url().stream_in(&app, &mut workspace).await.unwrap();
    assert_eq!((next.text().as_str(), next.error.as_deref()), ("0,row-0,0\n", None));
}

#[tokio::test]
async fn a_client_that_goes_away_stops_the_producer() {
    let app = app();
    let mut workspace = Workspace::new();
    let cut = TestRequest::get("/endless").function_url().stream_until(&app, &mut workspace, 3).await.unwrap();
    assert_eq!(cut.chunks.len(), 3);
    assert!(!cut.ended, "no end is sent to a client that went away");
    assert!(PRODUCER_DROPPED.load(Ordering::SeqCst), "the producer was dropped");
    assert_eq!(WRITES_AFTER_CLOSE.load(Ordering::SeqCst), 0, "and not polled again to see its write fail");
    let next = TestRequest::get("/hello").function_url().stream_in(&app, &mut workspace).await.unwrap();
    assert_eq!(next.text(), r#"{"message":"hello"}"#);
}

#[tokio::test]
async fn sse_lines_are_split_and_bad_fields_refused() {
    let stream = TestRequest::get("/bad-sse").function_url().stream(&app()).await.unwrap();
    assert_eq!(
        stream.text(),
        "event: ok\ndata: line one\ndata: line two\ndata: three\ndata: four\0five\n\ndata: refused\n\n"
    );
    assert!(stream.error.is_none());
}

fn split_cookie<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let _ = req;
    Ok(Response::text(200, "ok").cookie(Cookie::new("a", "b\r\nX-Evil: 1").insecure()))
}

#[tokio::test]
async fn a_cookie_cannot_split_the_prelude_into_another_header() {
    let router = Router::builder().push(Route::get("/c", split_cookie)).build().unwrap();
    let app = App::with_router(router).streaming();
    let stream = TestRequest::get("/c").function_url().stream(&app).await.unwrap();
    // Control characters become spaces, as in every buffered response's cookies.
    assert_eq!(stream.prelude["cookies"], serde_json::json!(["a=b  X-Evil: 1"]));
    let buffered = TestRequest::get("/c").http_v2().invoke(&app).unwrap();
    assert_eq!(buffered.cookies(), ["a=b  X-Evil: 1"]);
}

#[tokio::test]
async fn a_header_the_prelude_cannot_carry_answers_500() {
    let stream = TestRequest::get("/bad-header").function_url().stream(&app()).await.unwrap();
    assert_eq!(stream.status(), 500);
    assert!(!stream.text().contains("never"));
    assert!(stream.ended);
    // The next request on the app is unaffected.
    assert_eq!(TestRequest::get("/hello").function_url().stream(&app()).await.unwrap().status(), 200);
}

#[test]
fn streams_run_under_the_minimal_executor_when_they_await_nothing_external() {
    let response = TestRequest::get("/chat").query("tokens", "2").function_url().invoke(&app()).unwrap();
    assert_eq!(response.text(), "data: token-0\n\ndata: token-1\n\n");
}
