//! A catalogue of hostile events, each with its exact outcome, each followed by a normal
//! invocation on the same workspace that must answer exactly as on a fresh process.

use lambda_router::{
    App, BodyError, Cors, Error, EventError, LambdaContext, Limits, Request, Response, Route, Router, Source, Workspace,
};
use serde_json::{Value, json};

fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&json!({"message": "hello", "name": req.param("name")}))
}

fn echo<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let json = req.json_text()?;
    Ok(Response::json_text(200, req.format(format_args!(r#"{{"received":{json}}}"#))))
}

/// Echoes a request header into a response header: what a careless handler does.
fn echo_header<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(200, "ok").header("X-Echo", req.header("x-echo").unwrap_or("")))
}

fn app() -> App {
    let router = Router::builder()
        .push(Route::get("/hello", hello))
        .push(Route::get("/hello/<name>", hello))
        .push(Route::post("/echo", echo))
        .push(Route::get("/echo-header", echo_header))
        .build()
        .unwrap();
    App::with_router(router).cors(Cors::new("https://example.com"))
}

fn base() -> Value {
    serde_json::from_str(include_str!("fixtures/events/apiGatewayProxyEvent.json")).unwrap()
}

fn rest(edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut event = base();
    event["httpMethod"] = json!("GET");
    event["path"] = json!("/hello");
    event["body"] = Value::Null;
    edit(&mut event);
    serde_json::to_vec(&event).unwrap()
}

/// What an invocation came to: an event error, or the response's status and body.
#[derive(Debug, PartialEq)]
enum Outcome {
    Refused(EventError),
    Answered(u64, String),
}

fn outcome(app: &App, workspace: &mut Workspace, input: &[u8]) -> (Outcome, Value) {
    match app.handle(workspace, input, &LambdaContext::LOCAL) {
        Err(error) => (Outcome::Refused(error), Value::Null),
        Ok(bytes) => {
            let response: Value = serde_json::from_slice(bytes).expect("a JSON response");
            let status = response["statusCode"].as_u64().unwrap();
            (Outcome::Answered(status, response["body"].as_str().unwrap().to_owned()), response)
        }
    }
}

fn answered(status: u64, body: &str) -> Outcome {
    Outcome::Answered(status, body.to_owned())
}

fn error_body(status: u16, message: &str) -> String {
    format!(r#"{{"statusCode":{status},"message":{}}}"#, serde_json::to_string(message).unwrap())
}

#[test]
fn every_hostile_event_has_its_exact_outcome_and_leaves_nothing_behind() {
    let app = app();
    let normal = rest(|e| e["path"] = json!("/hello/after"));
    let fresh = app.handle(&mut Workspace::new(), &normal, &LambdaContext::LOCAL).unwrap().to_vec();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let over_body = "x".repeat(Limits::default().body_bytes() + 1);
    let cases: Vec<(&str, Vec<u8>, Outcome)> = vec![
        ("not JSON", b"GET /hello HTTP/1.1".to_vec(), Outcome::Refused(EventError::InvalidJson { offset: 0 })),
        ("JSON, not an object", b"[1, 2, 3]".to_vec(), Outcome::Refused(EventError::NotAnObject)),
        (
            "an object of no known source",
            b"{\"hello\": \"world\"}".to_vec(),
            Outcome::Refused(EventError::UnknownSource),
        ),
        (
            "method missing",
            rest(|e| e["httpMethod"] = Value::Null),
            Outcome::Refused(EventError::Missing { source: Source::RestV1, field: "httpMethod" }),
        ),
        (
            "method of the wrong type",
            rest(|e| e["httpMethod"] = json!(5)),
            Outcome::Refused(EventError::WrongType { field: "httpMethod", expected: "a string" }),
        ),
        (
            "path of the wrong type",
            rest(|e| e["path"] = json!(["/hello"])),
            Outcome::Refused(EventError::WrongType { field: "path", expected: "a string" }),
        ),
        (
            "headers of the wrong type",
            rest(|e| e["headers"] = json!("Origin: x")),
            Outcome::Refused(EventError::WrongType { field: "headers", expected: "an object" }),
        ),
        (
            "HTTP API v2 without its method",
            br#"{"version":"2.0","rawPath":"/hello","requestContext":{"http":{}}}"#.to_vec(),
            Outcome::Refused(EventError::Missing { source: Source::HttpV2, field: "requestContext.http.method" }),
        ),
        (
            "a body over the limit",
            rest(|e| {
                e["httpMethod"] = json!("POST");
                e["path"] = json!("/echo");
                e["body"] = json!(over_body);
            }),
            answered(413, &error_body(413, "Content Too Large")),
        ),
        (
            "an event over the limit",
            rest(|e| e["body"] = json!("y".repeat(Limits::default().event_bytes()))),
            Outcome::Refused(EventError::TooLarge { limit: Limits::default().event_bytes() }),
        ),
        (
            "isBase64Encoded with invalid base64",
            rest(|e| {
                e["httpMethod"] = json!("POST");
                e["path"] = json!("/echo");
                e["body"] = json!("not base64!");
                e["isBase64Encoded"] = json!(true);
            }),
            answered(400, &error_body(400, &BodyError::InvalidBase64.to_string())),
        ),
        (
            "a body that is not UTF-8",
            rest(|e| {
                e["httpMethod"] = json!("POST");
                e["path"] = json!("/echo");
                e["body"] = json!("//79");
                e["isBase64Encoded"] = json!(true);
            }),
            answered(400, &error_body(400, &BodyError::InvalidUtf8.to_string())),
        ),
        (
            "invalid UTF-8 in a header value",
            {
                let mut bytes = rest(|e| e["headers"]["X-Bad"] = json!("@@"));
                let at = bytes.windows(2).position(|w| w == b"@@").unwrap();
                bytes[at] = 0xFF;
                bytes[at + 1] = 0xFE;
                bytes
            },
            Outcome::Refused(EventError::InvalidJson { offset: 0 }),
        ),
        (
            "invalid percent-encoding",
            rest(|e| e["path"] = json!("/hello/%ZZ")),
            answered(200, r#"{"message":"hello","name":"%ZZ"}"#),
        ),
        (
            "a path of 10,000 segments",
            rest(|e| e["path"] = json!(format!("/hello{}", "/a".repeat(10_000)))),
            answered(414, &error_body(414, "URI Too Long")),
        ),
        (
            "a path of 1 MB",
            rest(|e| e["path"] = json!(format!("/{}", "a".repeat(1 << 20)))),
            answered(414, &error_body(414, "URI Too Long")),
        ),
        (
            "10,000 headers",
            rest(|e| {
                e["headers"] = (0..10_000).map(|i| (format!("X-H{i}"), json!("v"))).collect();
                e["multiValueHeaders"] = Value::Null;
            }),
            answered(431, &error_body(431, "Request Header Fields Too Large")),
        ),
        (
            "a JSON body nested 100,000 deep",
            rest(|e| {
                e["httpMethod"] = json!("POST");
                e["path"] = json!("/echo");
                e["body"] = json!(deep);
            }),
            answered(400, &error_body(400, &BodyError::InvalidJson { offset: 128 }.to_string())),
        ),
        (
            "a number out of range",
            rest(|e| {
                e["httpMethod"] = json!("POST");
                e["path"] = json!("/echo");
                e["body"] = json!(r#"{"n": 1e99999}"#);
            }),
            answered(400, &error_body(400, &BodyError::InvalidJson { offset: 6 }.to_string())),
        ),
        (
            "a NUL in the path",
            rest(|e| e["path"] = json!("/hello/a\u{0}b")),
            answered(404, &error_body(404, "Not found")),
        ),
    ];
    let mut workspace = Workspace::new();
    for (name, input, expected) in cases {
        let (got, _) = outcome(&app, &mut workspace, &input);
        match (&got, &expected) {
            // The exact offset of an encoding error depends on where the event's bytes put it.
            (Outcome::Refused(EventError::InvalidJson { .. }), Outcome::Refused(EventError::InvalidJson { .. })) => {}
            _ => assert_eq!(got, expected, "{name}"),
        }
        let after = app.handle(&mut workspace, &normal, &LambdaContext::LOCAL).expect("the normal event");
        assert_eq!(after, fresh, "after {name}: the next invocation answers as on a fresh process");
    }
}

#[test]
fn duplicate_headers_differing_in_case_answer_the_first() {
    let app = app();
    let input = rest(|e| {
        e["path"] = json!("/echo-header");
        e["headers"] = json!({"X-Echo": "first", "x-echo": "second"});
        e["multiValueHeaders"] = Value::Null;
    });
    let (_, response) = outcome(&app, &mut Workspace::new(), &input);
    assert_eq!(response["multiValueHeaders"]["X-Echo"], json!(["first"]));
}

#[test]
fn cr_lf_never_reaches_a_response_header() {
    let app = app();
    // A handler echoing a header: the control characters become spaces.
    let input = rest(|e| {
        e["path"] = json!("/echo-header");
        e["headers"] = json!({"X-Echo": "a\r\nSet-Cookie: evil=1\u{0}"});
        e["multiValueHeaders"] = Value::Null;
    });
    let (_, response) = outcome(&app, &mut Workspace::new(), &input);
    assert_eq!(response["multiValueHeaders"]["X-Echo"], json!(["a  Set-Cookie: evil=1 "]));
    assert!(response["multiValueHeaders"].get("Set-Cookie").is_none());
    // An Origin with CR/LF matches no allowed origin: no CORS headers, nothing echoed.
    let input = rest(|e| {
        e["headers"] = json!({"Origin": "https://example.com\r\nX-Injected: 1"});
        e["multiValueHeaders"] = Value::Null;
    });
    let (_, response) = outcome(&app, &mut Workspace::new(), &input);
    assert!(response["multiValueHeaders"].get("Access-Control-Allow-Origin").is_none(), "{response}");
    assert!(!response.to_string().contains("X-Injected"));
}

#[test]
fn limits_are_configuration() {
    let strict = app().limits(Limits::default().max_body_bytes(10).max_headers(2).max_path_bytes(12));
    let post = |body: &str| {
        rest(|e| {
            e["httpMethod"] = json!("POST");
            e["path"] = json!("/echo");
            e["body"] = json!(body);
            e["headers"] = json!({});
            e["multiValueHeaders"] = Value::Null;
        })
    };
    let mut workspace = Workspace::new();
    assert_eq!(outcome(&strict, &mut workspace, &post("[1,2,3]")).0, answered(200, r#"{"received":[1,2,3]}"#));
    assert_eq!(
        outcome(&strict, &mut workspace, &post("[1,2,3,4,5]")).0,
        answered(413, &error_body(413, "Content Too Large"))
    );
    let long_path = rest(|e| e["path"] = json!("/hello/abcdef"));
    assert_eq!(outcome(&strict, &mut workspace, &long_path).0, answered(414, &error_body(414, "URI Too Long")));
}

/// An internal error, with a chain that names internals.
#[derive(Debug)]
struct DatabaseDown(std::io::Error);

impl std::fmt::Display for DatabaseDown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cannot open /var/task/secret.db")
    }
}

impl std::error::Error for DatabaseDown {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

fn internal_error<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(DatabaseDown(std::io::Error::other("secret-host:5432 refused")).into())
}

fn panics<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    panic!("secret token abc123 is invalid")
}

fn not_found_panics<'a>(_: &Request<'a>) -> Response<'a> {
    panic!("secret not-found state")
}

#[test]
fn error_bodies_leak_internals_only_in_debug_mode() {
    let router = || {
        Router::builder()
            .push(Route::get("/internal", internal_error))
            .push(Route::get("/panic", panics))
            .build()
            .unwrap()
    };
    let paths = ["/internal", "/panic", "/nowhere"];
    for debug in [false, true] {
        let app = App::with_router(router()).not_found(not_found_panics).debug(debug);
        for path in paths {
            let (outcome, _) = outcome(&app, &mut Workspace::new(), &rest(|e| e["path"] = json!(path)));
            let Outcome::Answered(status, body) = outcome else { panic!("{path}: answered") };
            assert_eq!(status, 500, "{path}");
            if debug {
                assert!(body.contains("secret"), "debug mode shows the cause of {path}: {body}");
            } else {
                assert_eq!(body, error_body(500, "Internal Server Error"), "{path}");
            }
        }
        // The chain, in order, in debug mode.
        if debug {
            let (outcome, _) = outcome(&app, &mut Workspace::new(), &rest(|e| e["path"] = json!("/internal")));
            assert_eq!(
                outcome,
                answered(500, &error_body(500, "cannot open /var/task/secret.db: secret-host:5432 refused"))
            );
        }
    }
}
