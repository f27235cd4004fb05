//! The zero-allocation guarantee of the pipeline, checked with a counting global allocator:
//! after a few warm-up invocations, one invocation — bytes in, response bytes out — makes no
//! heap allocation, for each kind of request below and for every event of the conformance
//! suite.
//!
//! Allocations are counted per thread, so the test harness's other threads do not count.

use lambda_router::{
    App, Cors, Error, ExactNumber, LambdaContext, Request, Response, Route, Router, ServiceError, TEXT_PLAIN, Workspace,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use test_support::alloc::{Counting, allocations_during, is_counting};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[derive(Debug)]
struct BadValue;

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("bad value")
    }
}

impl std::error::Error for BadValue {}

#[derive(Serialize)]
struct Message<'m> {
    message: &'m str,
}

fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&Message { message: "hello universe" })
}

fn hello_name<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let name = req.param("name").unwrap_or_default();
    req.json_response(&Message { message: req.format(format_args!("hello {name}")) })
}

/// A body deserialized into borrowed fields: strings point into the event buffer.
#[derive(Deserialize, Serialize)]
struct Order<'o> {
    customer: &'o str,
    #[serde(borrow)]
    amount: ExactNumber<'o>,
    note: Option<&'o str>,
    express: bool,
}

/// Money keeps its exact text: serde_json, through `json_exact`.
fn create_order<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let order: Order<'a> = req.json_exact()?;
    if order.customer.is_empty() {
        return Err(ServiceError::bad_request("customer is empty").into());
    }
    req.json_response(&order)
}

/// A body with nested values and escaped strings: simd-json, through `json`.
#[derive(Deserialize, Serialize)]
struct Signup<'s> {
    name: &'s str,
    address: Address<'s>,
    tags: (&'s str, &'s str),
    age: u32,
}

#[derive(Deserialize, Serialize)]
struct Address<'s> {
    street: &'s str,
    city: &'s str,
}

fn signup<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let signup: Signup<'a> = req.json()?;
    req.json_response(&signup)
}

/// A future that is pending once, as a handler awaiting I/O would be.
struct YieldOnce(bool);

impl std::future::Future for YieldOnce {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

/// An async handler: its future lives in the arena.
async fn later<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    YieldOnce(false).await;
    let name = req.param("name").unwrap_or_default();
    YieldOnce(false).await;
    req.json_response(&Message { message: req.format(format_args!("hello later, {name}")) })
}

static LOGO: [u8; 256] = {
    let mut bytes = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        bytes[i] = i as u8;
        i += 1;
    }
    bytes
};

fn logo<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::binary(200, "image/png", &LOGO))
}

fn fail<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(BadValue.into())
}

fn unauthorized<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(ServiceError::unauthorized("Unauthorized").into())
}

/// ~10 KB of JSON, built once.
static ITEMS: std::sync::LazyLock<Vec<Value>> = std::sync::LazyLock::new(|| {
    (0..100)
        .map(|i| json!({"id": i, "name": format!("item number {i}"), "price": "12.50", "tags": ["a", "b"]}))
        .collect()
});

fn compressed<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&*ITEMS)
}

fn app() -> App {
    let router = Router::builder()
        .push(Route::get("/hello", hello))
        .push(Route::get("/hello/<name>", hello_name))
        .push(Route::post("/orders", create_order))
        .push(Route::post("/signup", signup))
        .push(Route::get("/logo", logo))
        .push(Route::get("/fail", fail))
        .push(Route::get("/unauthorized", unauthorized))
        .push(Route::get("/compressed", compressed).compress())
        .push(Route::get("/later/<name>", later))
        .build()
        .expect("routes compile");
    App::with_router(router)
        .cors(Cors::new("https://example.com").allow_credentials(true))
        .error_handler::<BadValue>(|_, _| Response::text(400, "Invalid request").with_content_type(TEXT_PLAIN))
}

/// A REST API event from the fixtures, with another method, path, body and headers.
fn rest_event(method: &str, path: &str, body: Option<&str>, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut event: Value = serde_json::from_str(include_str!(
        "../../crates/lambda-router/tests/fixtures/events/apiGatewayProxyEvent.json"
    ))
    .unwrap();
    event["httpMethod"] = json!(method);
    event["path"] = json!(path);
    event["body"] = json!(body);
    for (name, value) in headers {
        event["headers"][name] = json!(value);
        event["multiValueHeaders"][name] = json!([value]);
    }
    serde_json::to_vec(&event).unwrap()
}

/// An HTTP API v2 event from the fixtures, with another path.
fn http_event(path: &str) -> Vec<u8> {
    let mut event: Value = serde_json::from_str(include_str!(
        "../../crates/lambda-router/tests/fixtures/events/apiGatewayProxyV2Event.json"
    ))
    .unwrap();
    event["rawPath"] = json!(path);
    event["requestContext"]["http"]["method"] = json!("GET");
    serde_json::to_vec(&event).unwrap()
}

/// Polls a future to completion with a no-op waker (a runtime's executor, minus the
/// runtime): what an async handler costs is then the pipeline's alone.
fn run<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

fn invoke<'w>(app: &App, workspace: &'w mut Workspace, input: &[u8]) -> &'w [u8] {
    run(app.handle_async(workspace, input, &LambdaContext::LOCAL)).expect("a supported event")
}

/// Runs `input` a few times to warm up, then once counted; returns the allocations and the
/// response of the counted run.
fn steady_state(app: &App, workspace: &mut Workspace, input: &[u8]) -> (usize, Value) {
    for _ in 0..3 {
        invoke(app, workspace, input);
    }
    let mut status = 0;
    let (allocations, ()) = allocations_during(|| {
        status = invoke(app, workspace, input).len();
    });
    let response = invoke(app, workspace, input);
    assert_eq!(response.len(), status, "the same input gives the same response");
    (allocations, serde_json::from_slice(response).expect("the response is JSON"))
}

#[test]
fn every_kind_of_invocation_allocates_nothing_once_warm() {
    assert!(is_counting(), "the counting allocator is installed");
    let app = app();
    let order = r#"{"customer": "Ada", "amount": 1234.50, "note": "ring twice", "express": true}"#;
    let signup = r#"{"name": "Ada \"the first\" L\u00f6velace", "address": {"street": "1 Main St", "city": "London"}, "tags": ["a", "b"], "age": 36, "ignored": {"deep": [1, {"x": null}]}}"#;
    let origin = [("Origin", "https://example.com")];
    let gzip = [("Accept-Encoding", "gzip, deflate")];
    let cases: Vec<(&str, Vec<u8>, u64)> = vec![
        ("GET static route", rest_event("GET", "/hello", None, &[]), 200),
        ("GET with a path parameter", rest_event("GET", "/hello/world", None, &[]), 200),
        ("HTTP API v2 GET with a parameter", http_event("/hello/world"), 200),
        ("POST a JSON body into a borrowing struct", rest_event("POST", "/signup", Some(signup), &[]), 200),
        ("POST exact numbers into a borrowing struct", rest_event("POST", "/orders", Some(order), &[]), 200),
        ("binary response", rest_event("GET", "/logo", None, &[]), 200),
        ("not found", rest_event("GET", "/nowhere", None, &[]), 404),
        ("error handler response", rest_event("GET", "/fail", None, &[]), 400),
        ("service error", rest_event("GET", "/unauthorized", None, &[]), 401),
        ("compressed 10 KB response", rest_event("GET", "/compressed", None, &gzip), 200),
        ("CORS pre-flight", rest_event("OPTIONS", "/hello", None, &origin), 204),
        ("CORS response", rest_event("GET", "/hello/x", None, &origin), 200),
        ("async handler that waits twice", rest_event("GET", "/later/ann", None, &[]), 200),
    ];
    let mut workspace = Workspace::new();
    for (name, input, status) in &cases {
        let (allocations, response) = steady_state(&app, &mut workspace, input);
        assert_eq!(response["statusCode"], json!(status), "{name}: {response}");
        assert_eq!(allocations, 0, "{name}: {allocations} allocations per invocation");
    }
    // The cases really did what they say.
    let (_, signup_response) = steady_state(&app, &mut workspace, &cases[3].1);
    let echoed: Value = serde_json::from_str(signup_response["body"].as_str().unwrap()).unwrap();
    assert_eq!(echoed["name"], json!("Ada \"the first\" Lövelace"));
    assert_eq!(echoed["address"]["city"], json!("London"));
    let (_, order_response) = steady_state(&app, &mut workspace, &cases[4].1);
    let echoed: Value = serde_json::from_str(order_response["body"].as_str().unwrap()).unwrap();
    assert_eq!(echoed, json!({"customer": "Ada", "amount": "1234.50", "note": "ring twice", "express": true}));
    let (_, gzip_response) = steady_state(&app, &mut workspace, &cases[9].1);
    let (_, later_response) = steady_state(&app, &mut workspace, &cases[12].1);
    assert_eq!(later_response["body"], r#"{"message":"hello later, ann"}"#);
    assert_eq!(gzip_response["multiValueHeaders"]["Content-Encoding"], json!(["gzip"]));
    assert_eq!(gzip_response["isBase64Encoded"], json!(true));
}

#[test]
fn the_whole_conformance_suite_allocates_nothing_once_warm() {
    let app = conformance::app();
    let events: Vec<String> = include_str!("fixtures/conformance/events.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect();
    assert_eq!(events.len(), 433);
    let mut workspace = Workspace::new();
    for _ in 0..2 {
        for event in &events {
            let _ = app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL);
        }
    }
    let mut offenders = Vec::new();
    for (line, event) in events.iter().enumerate() {
        let (allocations, ()) = allocations_during(|| {
            let _ = app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL);
        });
        if allocations > 0 {
            offenders.push((line + 1, allocations));
        }
    }
    assert!(offenders.is_empty(), "(line of events.jsonl, allocations): {offenders:?}");
}

#[test]
fn middleware_and_the_context_allocate_nothing_once_warm() {
    assert!(is_counting(), "the counting allocator is installed");
    // The middleware example: two global middleware that write the context and a header, and
    // route middleware that short-circuit, fail, or wrap the handler as an onion.
    let app = middleware::app();
    let origin = ("Origin", "https://example.com");
    let cases: Vec<(&str, Vec<u8>, u64)> = vec![
        ("global middleware and the context", rest_event("GET", "/open", None, &[("X-Tenant", "acme")]), 200),
        ("a route middleware answers itself", rest_event("GET", "/secret", None, &[]), 401),
        (
            "a route middleware lets through",
            rest_event("GET", "/secret", None, &[("Authorization", "Bearer good")]),
            200,
        ),
        ("two route middleware, onion order", rest_event("GET", "/onion", None, &[origin]), 200),
        ("an error raised in a middleware", rest_event("GET", "/bad", None, &[]), 400),
        ("a body refused by a middleware", rest_event("POST", "/small", Some("0123456789abcdefg"), &[]), 413),
        ("not found through the middleware", rest_event("GET", "/nowhere", None, &[]), 404),
        ("a pre-flight through the middleware", rest_event("OPTIONS", "/secret", None, &[origin]), 204),
    ];
    let mut workspace = Workspace::new();
    for (name, input, status) in &cases {
        let (allocations, response) = steady_state(&app, &mut workspace, input);
        assert_eq!(response["statusCode"], json!(status), "{name}: {response}");
        assert_eq!(allocations, 0, "{name}: {allocations} allocations per invocation");
    }
}
