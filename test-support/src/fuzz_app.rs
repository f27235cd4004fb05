//! An app whose handlers read everything a request offers, and the checks every response must
//! pass: shared by the fuzz targets and by `tests/fuzz_regressions.rs`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use lambda_router::{App, Cors, Error, LambdaContext, MethodSet, Request, Response, Route, Router, Workspace};

fn everything<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let mut seen = 0usize;
    seen += req.headers().iter().count();
    seen += req.query().iter().count();
    seen += req.cookies().count();
    seen += req.params().len();
    seen += req.header("origin").map_or(0, str::len);
    seen += req.source_ip().map_or(0, str::len) + req.user_agent().map_or(0, str::len);
    seen += req.claim("sub").map_or(0, str::len) + req.request_id().map_or(0, str::len);
    seen += req.body_bytes().map_or(0, <[u8]>::len);
    let _ = req.json::<serde_json::Value>();
    let _ = req.json_exact::<serde_json::Value>();
    match seen % 4 {
        0 => req.json_response(&serde_json::json!({ "path": req.path(), "seen": seen })),
        1 => Ok(Response::binary(200, "application/octet-stream", req.body_bytes().unwrap_or(b"")).compress(true)),
        2 => Ok(Response::text(201, req.path()).header("X-Echo", req.header("x-echo").unwrap_or(""))),
        _ => Err(lambda_router::ServiceError::bad_request("nope").into()),
    }
}

/// Suspends once: returns `Pending` and wakes itself, as a future waiting on I/O would.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// An async handler that suspends twice while holding borrows of the request and heap memory
/// of its own: under AddressSanitizer, any reuse of its pinned arena memory before its
/// destructor runs, or a destructor that runs twice, is reported.
async fn suspending<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let body = req.body_bytes().unwrap_or(b"");
    let owned: Vec<u8> = body.iter().rev().copied().collect();
    YieldOnce(false).await;
    let path = req.path();
    YieldOnce(false).await;
    let seen = owned.len() + path.len() + req.params().len();
    // (No panics here: libFuzzer's panic hook aborts on any panic, caught or not; the
    // panic-while-pinned path is a unit test of `handler.rs`.)
    if seen.is_multiple_of(5) {
        return Err(lambda_router::ServiceError::bad_request("resumed to an error").into());
    }
    everything(req).map(|response| response.header("X-Seen", req.format(format_args!("{seen}"))))
}

/// The app every fuzz target drives.
pub fn app() -> App {
    let router = Router::builder()
        .push(Route::new(MethodSet::ANY, "/async/<a>", suspending))
        .push(Route::new(MethodSet::ANY, "/fixed", everything))
        .push(Route::new(MethodSet::ANY, "/p/<a>/<b>", everything))
        .push(Route::new(MethodSet::ANY, "/t/{rest+}", everything).compress())
        .push(Route::new(MethodSet::ANY, ".+", everything))
        .build()
        .expect("routes");
    App::with_router(router).cors(Cors::new("https://example.com")).strip_prefix("/api")
}

/// A well-formed REST API event, answered identically before and after any input.
pub const PROBE: &[u8] = br#"{"httpMethod":"GET","path":"/p/x/y","headers":{"Origin":"https://example.com"},"multiValueHeaders":{"Origin":["https://example.com"]},"requestContext":{"stage":"prod","requestId":"probe"},"body":null,"isBase64Encoded":false}"#;

/// Every response is one JSON object of a Lambda response's shape, or of Bedrock's envelope.
pub fn check_response(bytes: &[u8]) {
    let value: serde_json::Value = serde_json::from_slice(bytes).expect("the response is JSON");
    let object = value.as_object().expect("the response is an object");
    if object.contains_key("messageVersion") {
        assert_eq!(object["messageVersion"], "1.0");
        let response = object["response"].as_object().expect("an agent's response");
        assert!(response["actionGroup"].is_string(), "actionGroup echoed");
        let operation = response.get("responseBody").map(|b| &b["application/json"]["body"]);
        let function = response.get("functionResponse").map(|f| &f["responseBody"]["TEXT"]["body"]);
        assert!(operation.or(function).is_some_and(serde_json::Value::is_string), "a body: {value}");
        if operation.is_some() {
            let status = response["httpStatusCode"].as_u64().expect("httpStatusCode is a number");
            assert!((100..600).contains(&status), "status {status}");
        }
        return;
    }
    let status = object["statusCode"].as_u64().expect("statusCode is a number");
    assert!((100..600).contains(&status), "status {status}");
    assert!(object["body"].is_string(), "body is a string");
    assert!(object["isBase64Encoded"].is_boolean(), "isBase64Encoded is a boolean");
    assert!(object.contains_key("headers") || object.contains_key("multiValueHeaders"), "has headers");
}

/// Runs `input`, then checks the probe answers as it does in a fresh workspace.
pub fn run(app: &App, workspace: &mut Workspace, fresh: &[u8], input: &[u8]) {
    if let Ok(response) = app.handle(workspace, input, &LambdaContext::LOCAL) {
        check_response(response);
    }
    let after = app.handle(workspace, PROBE, &LambdaContext::LOCAL).expect("the probe is an event");
    assert_eq!(after, fresh, "nothing of the previous input is left behind");
}
