//! An app whose handlers read everything a request offers, and the checks every response must
//! pass: shared by the event and pipeline targets.

#![allow(dead_code)]

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

pub fn app() -> App {
    let router = Router::builder()
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

/// Every response is one JSON object of a Lambda response's shape.
pub fn check_response(bytes: &[u8]) {
    let value: serde_json::Value = serde_json::from_slice(bytes).expect("the response is JSON");
    let object = value.as_object().expect("the response is an object");
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
