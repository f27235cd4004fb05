//! Responses: the exact Lambda response bytes for every source's shape — REST API v1 and ALB
//! multi-value (`multiValueHeaders`), HTTP API v2, Function URL and VPC Lattice (`headers`
//! joined with ", " plus `cookies`), ALB (`headers`, the last value of each) — and the
//! answers the app gives on its own: HTTP errors, 404, error handlers, panics, debug mode.

use lambda_router::{
    App, Body, Cookie, Error, LambdaContext, MethodSet, Request, Response, Route, Router, SameSite, ServiceError,
    Source, Workspace,
};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Every source, in the order the tables list them.
const SOURCES: [Source; 7] = [
    Source::RestV1,
    Source::AlbMultiValue,
    Source::HttpV2,
    Source::FunctionUrl,
    Source::VpcLatticeV1,
    Source::VpcLatticeV2,
    Source::Alb,
];

/// The three response shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// REST API v1, ALB multi-value: `multiValueHeaders`, cookies as `Set-Cookie` values.
    MultiValue,
    /// HTTP API v2, Function URL, VPC Lattice: `headers` joined with ", ", `cookies`.
    Joined,
    /// ALB: `headers` with the last value of each, `Set-Cookie` the last cookie.
    LastValue,
}

fn shape(source: Source) -> Shape {
    match source {
        Source::RestV1 | Source::AlbMultiValue => Shape::MultiValue,
        Source::Alb => Shape::LastValue,
        _ => Shape::Joined,
    }
}

/// A small event of `source` for `GET path`.
fn event(source: Source, path: &str) -> String {
    let elb =
        json!({ "elb": { "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/1" } });
    let event = match source {
        Source::RestV1 => json!({
            "httpMethod": "GET", "path": path,
            "headers": { "Accept": "*/*" }, "multiValueHeaders": { "Accept": ["*/*"] },
            "requestContext": { "stage": "prod", "requestId": "r-1" },
        }),
        Source::HttpV2 => json!({
            "version": "2.0", "rawPath": path, "headers": { "accept": "*/*" },
            "requestContext": {
                "domainName": "id.execute-api.us-east-1.amazonaws.com",
                "http": { "method": "GET" }, "stage": "$default",
            },
        }),
        Source::FunctionUrl => json!({
            "version": "2.0", "rawPath": path, "headers": { "accept": "*/*" },
            "requestContext": {
                "domainName": "abc.lambda-url.us-east-1.on.aws",
                "http": { "method": "GET" }, "stage": "$default",
            },
        }),
        Source::Alb => json!({
            "httpMethod": "GET", "path": path, "headers": { "accept": "*/*" }, "requestContext": elb,
        }),
        Source::AlbMultiValue => json!({
            "httpMethod": "GET", "path": path, "multiValueHeaders": { "accept": ["*/*"] },
            "requestContext": elb,
        }),
        Source::VpcLatticeV1 => {
            json!({ "raw_path": path, "method": "GET", "headers": { "accept": "*/*" } })
        }
        Source::VpcLatticeV2 => json!({
            "version": "2.0", "path": path, "method": "GET", "headers": { "accept": ["*/*"] },
            "requestContext": { "region": "us-east-2" },
        }),
        other => panic!("no sample event for {other:?}"),
    };
    event.to_string()
}

/// A router of `routes`: (methods, pattern, handler).
fn router(routes: &[Route]) -> Router {
    Router::builder().extend(routes.iter().copied()).build().expect("routes compile")
}

/// An app (debug off) answering `GET pattern` with `handler`.
fn app(route: Route) -> App {
    App::with_router(router(&[route])).debug(false)
}

/// The Lambda response `app` writes for `GET path` from `source`.
fn respond(app: &App, source: Source, path: &str) -> String {
    let mut workspace = Workspace::new();
    respond_in(app, &mut workspace, source, path)
}

/// As [`respond`], in a given workspace.
fn respond_in(app: &App, workspace: &mut Workspace, source: Source, path: &str) -> String {
    let out = app
        .handle(workspace, event(source, path).as_bytes(), &LambdaContext::LOCAL)
        .unwrap_or_else(|e| panic!("{source:?} event rejected: {e}"));
    String::from_utf8(out.to_vec()).expect("the response is UTF-8")
}

/// Checks the response of every source against the expected text of its shape.
fn assert_shapes(app: &App, path: &str, multi_value: &str, joined: &str, last_value: &str) {
    for source in SOURCES {
        let expected = match shape(source) {
            Shape::MultiValue => multi_value,
            Shape::Joined => joined,
            Shape::LastValue => last_value,
        };
        let got = respond(app, source, path);
        assert_eq!(got, expected, "{source:?}");
        // Every response is one valid JSON document.
        serde_json::from_str::<Value>(&got).unwrap_or_else(|e| panic!("{source:?}: {e}"));
    }
}

/// The body of a response, parsed as JSON.
fn body_json(response: &str) -> Value {
    let response: Value = serde_json::from_str(response).expect("JSON response");
    serde_json::from_str(response["body"].as_str().expect("a text body")).expect("JSON body")
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

fn source_name<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(200, req.source().name()))
}

fn custom_header<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(200, "hello").header("X-Custom", "x-value"))
}

fn repeated_header<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(201, "created").header("X-Dup", "a").header("Cache-Control", "no-store").header("X-Dup", "b"))
}

fn two_cookies<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(200, "ok")
        .cookie(Cookie::new("a", "1").path("/").max_age(60).same_site(SameSite::Lax))
        .cookie(Cookie::new("b", "2").http_only().secure()))
}

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x00, 0xff];

fn binary<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::binary(200, "image/png", PNG))
}

fn empty_binary<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::new(200).with_content_type("application/octet-stream").with_body(Body::Binary(b"")))
}

fn empty<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::new(204))
}

const AWKWARD: &str = "quote \" backslash \\ newline \n tab \t control \u{1} del \u{7f} é 🎉";

fn json_escapes<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&json!({ "text": AWKWARD }))
}

fn text_escapes<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(200, "a\r\nb\u{0}\u{1f}\"\\ü")
        .header("X-Quote", "say \"hi\"\\")
        .cookie(Cookie::new("q", "\"v\"")))
}

fn service_error<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let error = match req.path() {
        "/bad-request" => ServiceError::bad_request("Missing required parameter"),
        "/unauthorized" => ServiceError::unauthorized("Unauthorized"),
        "/forbidden" => ServiceError::forbidden("Forbidden"),
        "/not-found" => ServiceError::not_found(),
        "/gone" => ServiceError::not_found_message("No such order"),
        "/method" => ServiceError::method_not_allowed("Method not allowed"),
        "/conflict" => ServiceError::conflict("Already exists"),
        "/too-large" => ServiceError::content_too_large("Too large"),
        "/slow-down" => ServiceError::too_many_requests("Slow down"),
        "/internal" => ServiceError::internal("Broken"),
        "/bad-gateway" => ServiceError::bad_gateway("Upstream failed"),
        "/unavailable" => ServiceError::service_unavailable("Come back later"),
        "/teapot" => ServiceError::new(418, "I'm a \"teapot\""),
        other => panic!("no error for {other}"),
    };
    Err(error.into())
}

fn ok<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(200, "ok"))
}

fn not_found<'a>(req: &Request<'a>) -> Response<'a> {
    let text = req.format(format_args!("no route for {} {}", req.method(), req.path()));
    Response::text(404, text).header("X-Not-Found", "1")
}

/// A unit error type with an error handler.
#[derive(Debug)]
struct Teapot;

impl std::fmt::Display for Teapot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I'm a teapot")
    }
}

impl std::error::Error for Teapot {}

/// An error type without one, with a cause.
#[derive(Debug)]
struct Outer(Inner);

#[derive(Debug)]
struct Inner;

impl std::fmt::Display for Outer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("outer failure")
    }
}

impl std::error::Error for Outer {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl std::fmt::Display for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("inner \"cause\"")
    }
}

impl std::error::Error for Inner {}

fn teapot<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(Teapot.into())
}

fn outer<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(Outer(Inner).into())
}

fn on_teapot<'a>(error: &Teapot, req: &Request<'a>) -> Response<'a> {
    Response::text(418, req.format(format_args!("{error}, short and stout"))).header("X-Error", "teapot")
}

fn on_service_error<'a>(error: &ServiceError, req: &Request<'a>) -> Response<'a> {
    let text = req.format(format_args!("custom {}: {}", error.status(), error.message()));
    Response::text(error.status(), text)
}

fn bad_json<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let value: Value = req.json()?;
    req.json_response(&value)
}

fn panics<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    panic!("boom");
}

fn panics_formatted<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    panic!("boom at {}", req.path());
}

fn panics_with_a_number<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    std::panic::panic_any(7_u8);
}

fn not_found_panics<'a>(_: &Request<'a>) -> Response<'a> {
    panic!("the not-found handler broke");
}

fn on_teapot_panics<'a>(_: &Teapot, _: &Request<'a>) -> Response<'a> {
    panic!("the error handler broke");
}

fn content_type_header<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(200, "a,b").header("Content-Type", "text/csv"))
}

fn set_cookie_header_and_cookie<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(200, "ok").header("Set-Cookie", "manual=1").cookie(Cookie::new("auto", "2")))
}

// ---------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------

#[test]
fn sample_events_are_detected_as_their_source() {
    let app = app(Route::new(MethodSet::ANY, ".+", source_name));
    for source in SOURCES {
        let response: Value = serde_json::from_str(&respond(&app, source, "/x")).expect("JSON response");
        assert_eq!(response["body"], source.name(), "{source:?}");
    }
}

#[test]
fn text_with_a_custom_header() {
    assert_shapes(
        &app(Route::new(MethodSet::ANY, "/hello", custom_header)),
        "/hello",
        r#"{"statusCode":200,"multiValueHeaders":{"X-Custom":["x-value"],"Content-Type":["text/plain"]},"body":"hello","isBase64Encoded":false}"#,
        r#"{"statusCode":200,"headers":{"X-Custom":"x-value","Content-Type":"text/plain"},"cookies":[],"body":"hello","isBase64Encoded":false}"#,
        r#"{"statusCode":200,"headers":{"X-Custom":"x-value","Content-Type":"text/plain"},"body":"hello","isBase64Encoded":false}"#,
    );
}

#[test]
fn a_header_added_twice() {
    assert_shapes(
        &app(Route::new(MethodSet::ANY, "/dup", repeated_header)),
        "/dup",
        r#"{"statusCode":201,"multiValueHeaders":{"X-Dup":["a","b"],"Cache-Control":["no-store"],"Content-Type":["text/plain"]},"body":"created","isBase64Encoded":false}"#,
        r#"{"statusCode":201,"headers":{"X-Dup":"a, b","Cache-Control":"no-store","Content-Type":"text/plain"},"cookies":[],"body":"created","isBase64Encoded":false}"#,
        r#"{"statusCode":201,"headers":{"X-Dup":"b","Cache-Control":"no-store","Content-Type":"text/plain"},"body":"created","isBase64Encoded":false}"#,
    );
}

#[test]
fn two_cookies_with_attributes() {
    assert_shapes(
        &app(Route::new(MethodSet::ANY, "/cookies", two_cookies)),
        "/cookies",
        r#"{"statusCode":200,"multiValueHeaders":{"Content-Type":["text/plain"],"Set-Cookie":["a=1; Path=/; Max-Age=60; Secure; SameSite=Lax","b=2; HttpOnly; Secure"]},"body":"ok","isBase64Encoded":false}"#,
        r#"{"statusCode":200,"headers":{"Content-Type":"text/plain"},"cookies":["a=1; Path=/; Max-Age=60; Secure; SameSite=Lax","b=2; HttpOnly; Secure"],"body":"ok","isBase64Encoded":false}"#,
        // ALB without multi-value headers can set one cookie: the last.
        r#"{"statusCode":200,"headers":{"Set-Cookie":"b=2; HttpOnly; Secure","Content-Type":"text/plain"},"body":"ok","isBase64Encoded":false}"#,
    );
}

#[test]
fn cookies_are_written_as_the_reference_writes_them() {
    let cases = [
        (Cookie::new("a", "1"), "a=1; Secure"),
        (Cookie::new("a", "1").insecure(), "a=1"),
        (
            Cookie::new("a", "1").path("/").max_age(60).same_site(SameSite::Lax),
            "a=1; Path=/; Max-Age=60; Secure; SameSite=Lax",
        ),
        (
            Cookie::new("id", "x")
                .secure()
                .http_only()
                .domain("example.com")
                .expires("Wed, 21 Oct 2015 07:28:00 GMT")
                .path("/app")
                .same_site(SameSite::Strict),
            "id=x; Path=/app; Domain=example.com; Expires=Wed, 21 Oct 2015 07:28:00 GMT; HttpOnly; Secure; SameSite=Strict",
        ),
        (Cookie::new("gone", "").max_age(-5), "gone=; Max-Age=0; Secure"),
        (Cookie::new("c", "v").same_site(SameSite::None).secure(), "c=v; Secure; SameSite=None"),
    ];
    for (cookie, expected) in cases {
        assert_eq!(cookie.to_string(), expected);
    }
}

#[test]
fn a_binary_body_is_sent_base64() {
    assert_shapes(
        &app(Route::new(MethodSet::ANY, "/logo.png", binary)),
        "/logo.png",
        r#"{"statusCode":200,"multiValueHeaders":{"Content-Type":["image/png"]},"body":"iVBORwD/","isBase64Encoded":true}"#,
        r#"{"statusCode":200,"headers":{"Content-Type":"image/png"},"cookies":[],"body":"iVBORwD/","isBase64Encoded":true}"#,
        r#"{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"iVBORwD/","isBase64Encoded":true}"#,
    );
    // No bytes: still base64 (of nothing).
    assert_eq!(
        respond(&app(Route::new(MethodSet::ANY, "/none", empty_binary)), Source::HttpV2, "/none"),
        r#"{"statusCode":200,"headers":{"Content-Type":"application/octet-stream"},"cookies":[],"body":"","isBase64Encoded":true}"#
    );
}

#[test]
fn an_empty_body() {
    assert_shapes(
        &app(Route::new(MethodSet::ANY, "/empty", empty)),
        "/empty",
        r#"{"statusCode":204,"multiValueHeaders":{},"body":"","isBase64Encoded":false}"#,
        r#"{"statusCode":204,"headers":{},"cookies":[],"body":"","isBase64Encoded":false}"#,
        r#"{"statusCode":204,"headers":{},"body":"","isBase64Encoded":false}"#,
    );
}

#[test]
fn a_json_body_with_characters_needing_escapes() {
    let app = app(Route::new(MethodSet::ANY, "/json", json_escapes));
    assert_shapes(
        &app,
        "/json",
        r#"{"statusCode":200,"multiValueHeaders":{"Content-Type":["application/json"]},"body":"{\"text\":\"quote \\\" backslash \\\\ newline \\n tab \\t control \\u0001 del \u007f é 🎉\"}","isBase64Encoded":false}"#,
        r#"{"statusCode":200,"headers":{"Content-Type":"application/json"},"cookies":[],"body":"{\"text\":\"quote \\\" backslash \\\\ newline \\n tab \\t control \\u0001 del \u007f é 🎉\"}","isBase64Encoded":false}"#,
        r#"{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"{\"text\":\"quote \\\" backslash \\\\ newline \\n tab \\t control \\u0001 del \u007f é 🎉\"}","isBase64Encoded":false}"#,
    );
    // Decoded twice, the text comes back whole.
    for source in SOURCES {
        let response = respond(&app, source, "/json");
        assert_eq!(body_json(&response), json!({ "text": AWKWARD }), "{source:?}");
    }
}

#[test]
fn text_headers_and_cookies_are_escaped() {
    assert_shapes(
        &app(Route::new(MethodSet::ANY, "/text", text_escapes)),
        "/text",
        r#"{"statusCode":200,"multiValueHeaders":{"X-Quote":["say \"hi\"\\"],"Content-Type":["text/plain"],"Set-Cookie":["q=\"v\"; Secure"]},"body":"a\r\nb\u0000\u001f\"\\ü","isBase64Encoded":false}"#,
        r#"{"statusCode":200,"headers":{"X-Quote":"say \"hi\"\\","Content-Type":"text/plain"},"cookies":["q=\"v\"; Secure"],"body":"a\r\nb\u0000\u001f\"\\ü","isBase64Encoded":false}"#,
        r#"{"statusCode":200,"headers":{"Set-Cookie":"q=\"v\"; Secure","X-Quote":"say \"hi\"\\","Content-Type":"text/plain"},"body":"a\r\nb\u0000\u001f\"\\ü","isBase64Encoded":false}"#,
    );
}

#[test]
fn every_sample_event_answers_in_its_source_shape() {
    let app = app(Route::new(MethodSet::ANY, ".+", two_cookies));
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/events");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("the fixtures") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let input = std::fs::read(&path).expect("a fixture");
        let mut workspace = Workspace::new();
        let out = app.handle(&mut workspace, &input, &LambdaContext::LOCAL).expect("a supported event");
        let response: Value = serde_json::from_slice(out).expect("a JSON response");
        let keys: Vec<&str> = response.as_object().expect("an object").keys().map(String::as_str).collect();
        let name = path.file_name().and_then(|n| n.to_str()).expect("a name");
        let expected: &[&str] = if name.starts_with("apiGatewayProxyEvent")
            || name.starts_with("apiGatewayProxyOther")
            || name.starts_with("albMultiValue")
        {
            &["body", "isBase64Encoded", "multiValueHeaders", "statusCode"]
        } else if name.starts_with("albEvent") {
            &["body", "headers", "isBase64Encoded", "statusCode"]
        } else {
            &["body", "cookies", "headers", "isBase64Encoded", "statusCode"]
        };
        assert_eq!(keys, expected, "{name}");
        seen += 1;
    }
    assert_eq!(seen, 26);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[test]
fn service_errors_answer_status_and_message() {
    let app = app(Route::new(MethodSet::ANY, ".+", service_error));
    // (path, status, message)
    let cases: &[(&str, u16, &str)] = &[
        ("/bad-request", 400, "Missing required parameter"),
        ("/unauthorized", 401, "Unauthorized"),
        ("/forbidden", 403, "Forbidden"),
        ("/not-found", 404, "Not found"),
        ("/gone", 404, "No such order"),
        ("/method", 405, "Method not allowed"),
        ("/conflict", 409, "Already exists"),
        ("/too-large", 413, "Too large"),
        ("/slow-down", 429, "Slow down"),
        ("/internal", 500, "Broken"),
        ("/bad-gateway", 502, "Upstream failed"),
        ("/unavailable", 503, "Come back later"),
    ];
    for (path, status, message) in cases {
        let expected = format!(
            r#"{{"statusCode":{status},"multiValueHeaders":{{"Content-Type":["application/json"]}},"body":"{{\"statusCode\":{status},\"message\":\"{message}\"}}","isBase64Encoded":false}}"#
        );
        assert_eq!(respond(&app, Source::RestV1, path), expected, "{path}");
    }
    // A message with a quote, escaped twice; in every shape.
    assert_shapes(
        &app,
        "/teapot",
        r#"{"statusCode":418,"multiValueHeaders":{"Content-Type":["application/json"]},"body":"{\"statusCode\":418,\"message\":\"I'm a \\\"teapot\\\"\"}","isBase64Encoded":false}"#,
        r#"{"statusCode":418,"headers":{"Content-Type":"application/json"},"cookies":[],"body":"{\"statusCode\":418,\"message\":\"I'm a \\\"teapot\\\"\"}","isBase64Encoded":false}"#,
        r#"{"statusCode":418,"headers":{"Content-Type":"application/json"},"body":"{\"statusCode\":418,\"message\":\"I'm a \\\"teapot\\\"\"}","isBase64Encoded":false}"#,
    );
}

#[test]
fn the_default_not_found() {
    let app = app(Route::new(MethodSet::ANY, "/ok", ok));
    assert_shapes(
        &app,
        "/missing",
        r#"{"statusCode":404,"multiValueHeaders":{"Content-Type":["application/json"]},"body":"{\"statusCode\":404,\"message\":\"Not found\"}","isBase64Encoded":false}"#,
        r#"{"statusCode":404,"headers":{"Content-Type":"application/json"},"cookies":[],"body":"{\"statusCode\":404,\"message\":\"Not found\"}","isBase64Encoded":false}"#,
        r#"{"statusCode":404,"headers":{"Content-Type":"application/json"},"body":"{\"statusCode\":404,\"message\":\"Not found\"}","isBase64Encoded":false}"#,
    );
    // A method no route answers is not found either.
    let post_only =
        App::with_router(router(&[Route::new(MethodSet::of(&[lambda_router::Method::Post]), "/ok", ok)])).debug(false);
    assert_eq!(
        respond(&post_only, Source::RestV1, "/ok"),
        r#"{"statusCode":404,"multiValueHeaders":{"Content-Type":["application/json"]},"body":"{\"statusCode\":404,\"message\":\"Not found\"}","isBase64Encoded":false}"#
    );
}

#[test]
fn a_custom_not_found_handler() {
    let app = app(Route::new(MethodSet::ANY, "/ok", ok)).not_found(not_found);
    assert_shapes(
        &app,
        "/missing",
        r#"{"statusCode":404,"multiValueHeaders":{"X-Not-Found":["1"],"Content-Type":["text/plain"]},"body":"no route for GET /missing","isBase64Encoded":false}"#,
        r#"{"statusCode":404,"headers":{"X-Not-Found":"1","Content-Type":"text/plain"},"cookies":[],"body":"no route for GET /missing","isBase64Encoded":false}"#,
        r#"{"statusCode":404,"headers":{"X-Not-Found":"1","Content-Type":"text/plain"},"body":"no route for GET /missing","isBase64Encoded":false}"#,
    );
    // Routes still answer; a handler's own 404 is not the not-found handler's.
    assert_eq!(
        respond(&app, Source::HttpV2, "/ok"),
        r#"{"statusCode":200,"headers":{"Content-Type":"text/plain"},"cookies":[],"body":"ok","isBase64Encoded":false}"#
    );
    let app = app_with_errors().not_found(not_found);
    assert_eq!(
        respond(&app, Source::HttpV2, "/not-found"),
        r#"{"statusCode":404,"headers":{"Content-Type":"application/json"},"cookies":[],"body":"{\"statusCode\":404,\"message\":\"Not found\"}","isBase64Encoded":false}"#
    );
}

/// An app with the error-raising routes.
fn app_with_errors() -> App {
    App::with_router(router(&[
        Route::new(MethodSet::ANY, "/teapot", teapot),
        Route::new(MethodSet::ANY, "/outer", outer),
        Route::new(MethodSet::ANY, "/bad-json", bad_json),
        Route::new(MethodSet::ANY, "/panic", panics),
        Route::new(MethodSet::ANY, "/panic-formatted", panics_formatted),
        Route::new(MethodSet::ANY, "/panic-number", panics_with_a_number),
        Route::new(MethodSet::ANY, "/ok", ok),
        Route::new(MethodSet::ANY, "/not-found", service_error),
        Route::new(MethodSet::ANY, "/bad-request", service_error),
    ]))
    .debug(false)
}

#[test]
fn an_error_handler_for_a_unit_error_type() {
    let app = app_with_errors().error_handler::<Teapot>(on_teapot);
    assert_shapes(
        &app,
        "/teapot",
        r#"{"statusCode":418,"multiValueHeaders":{"X-Error":["teapot"],"Content-Type":["text/plain"]},"body":"I'm a teapot, short and stout","isBase64Encoded":false}"#,
        r#"{"statusCode":418,"headers":{"X-Error":"teapot","Content-Type":"text/plain"},"cookies":[],"body":"I'm a teapot, short and stout","isBase64Encoded":false}"#,
        r#"{"statusCode":418,"headers":{"X-Error":"teapot","Content-Type":"text/plain"},"body":"I'm a teapot, short and stout","isBase64Encoded":false}"#,
    );
    // Other errors keep their answers.
    let cases: &[(&str, &str)] = &[
        (
            "/outer",
            r#"{"statusCode":500,"headers":{"Content-Type":"application/json"},"cookies":[],"body":"{\"statusCode\":500,\"message\":\"Internal Server Error\"}","isBase64Encoded":false}"#,
        ),
        (
            "/bad-request",
            r#"{"statusCode":400,"headers":{"Content-Type":"application/json"},"cookies":[],"body":"{\"statusCode\":400,\"message\":\"Missing required parameter\"}","isBase64Encoded":false}"#,
        ),
    ];
    for (path, expected) in cases {
        assert_eq!(respond(&app, Source::HttpV2, path), *expected, "{path}");
    }
}

#[test]
fn an_error_handler_for_service_errors_replaces_the_built_in_answer() {
    let app = app_with_errors().error_handler::<ServiceError>(on_service_error);
    let cases: &[(&str, &str)] = &[
        (
            "/bad-request",
            r#"{"statusCode":400,"headers":{"Content-Type":"text/plain"},"body":"custom 400: Missing required parameter","isBase64Encoded":false}"#,
        ),
        (
            "/not-found",
            r#"{"statusCode":404,"headers":{"Content-Type":"text/plain"},"body":"custom 404: Not found","isBase64Encoded":false}"#,
        ),
        // Not a ServiceError: the generic 500.
        (
            "/teapot",
            r#"{"statusCode":500,"headers":{"Content-Type":"application/json"},"body":"{\"statusCode\":500,\"message\":\"Internal Server Error\"}","isBase64Encoded":false}"#,
        ),
    ];
    for (path, expected) in cases {
        assert_eq!(respond(&app, Source::Alb, path), *expected, "{path}");
    }
}

#[test]
fn body_errors_answer_400() {
    let app = app_with_errors();
    // (body, isBase64Encoded, message)
    let cases: &[(&str, bool, &str)] = &[
        (r#"{"message": tru}"#, false, "the body is not valid JSON (at byte 12)"),
        // Characters outside the alphabet are skipped (as Python's `b64decode` skips them):
        // one data character left is no base64.
        ("%%%a", true, "the body is not valid base64"),
        ("//4=", true, "the body is not UTF-8"),
    ];
    for (body, base64, message) in cases {
        let event = json!({
            "httpMethod": "POST", "path": "/bad-json", "body": body, "isBase64Encoded": base64,
            "requestContext": {},
        })
        .to_string();
        let mut workspace = Workspace::new();
        let out = app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL).expect("a REST event");
        let expected = format!(
            r#"{{"statusCode":400,"multiValueHeaders":{{"Content-Type":["application/json"]}},"body":"{{\"statusCode\":400,\"message\":\"{message}\"}}","isBase64Encoded":false}}"#
        );
        assert_eq!(std::str::from_utf8(out), Ok(expected.as_str()), "{body}");
    }
    // A valid body passes through.
    let event = json!({
        "httpMethod": "POST", "path": "/bad-json", "body": "[1, {\"a\": null}]",
        "requestContext": {},
    })
    .to_string();
    let mut workspace = Workspace::new();
    let out = app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL).expect("a REST event");
    assert_eq!(
        std::str::from_utf8(out),
        Ok(
            r#"{"statusCode":200,"multiValueHeaders":{"Content-Type":["application/json"]},"body":"[1,{\"a\":null}]","isBase64Encoded":false}"#
        )
    );
}

const GENERIC_500: &str = r#"{"statusCode":500,"headers":{"Content-Type":"application/json"},"cookies":[],"body":"{\"statusCode\":500,\"message\":\"Internal Server Error\"}","isBase64Encoded":false}"#;

/// The HTTP API response for a 500 whose message is `message` (already JSON-escaped twice).
fn http_500(message: &str) -> String {
    format!(
        r#"{{"statusCode":500,"headers":{{"Content-Type":"application/json"}},"cookies":[],"body":"{{\"statusCode\":500,\"message\":\"{message}\"}}","isBase64Encoded":false}}"#
    )
}

#[test]
fn unhandled_errors_and_panics_answer_500() {
    // (path, debug off, debug on)
    let cases: &[(&str, String, String)] = &[
        (
            "/outer",
            GENERIC_500.to_owned(),
            // The error chain, its quotes escaped twice.
            http_500(r#"outer failure: inner \\\"cause\\\""#),
        ),
        ("/teapot", GENERIC_500.to_owned(), http_500("I'm a teapot")),
        ("/panic", GENERIC_500.to_owned(), http_500("boom")),
        ("/panic-formatted", GENERIC_500.to_owned(), http_500("boom at /panic-formatted")),
        ("/panic-number", GENERIC_500.to_owned(), http_500("a handler panicked")),
    ];
    let quiet = app_with_errors();
    let debug = app_with_errors().debug(true);
    for (path, plain, detailed) in cases {
        assert_eq!(&respond(&quiet, Source::HttpV2, path), plain, "{path}");
        assert_eq!(&respond(&debug, Source::HttpV2, path), detailed, "{path}");
    }
    // Debug mode changes nothing else.
    assert_eq!(
        respond(&debug, Source::HttpV2, "/bad-request"),
        r#"{"statusCode":400,"headers":{"Content-Type":"application/json"},"cookies":[],"body":"{\"statusCode\":400,\"message\":\"Missing required parameter\"}","isBase64Encoded":false}"#
    );
}

#[test]
fn after_a_panic_the_workspace_answers_normally() {
    let app = app_with_errors();
    let mut workspace = Workspace::new();
    for source in SOURCES {
        let failed = respond_in(&app, &mut workspace, source, "/panic");
        let failed: Value = serde_json::from_str(&failed).expect("JSON");
        assert_eq!(failed["statusCode"], 500, "{source:?}");
        let expected = match shape(source) {
            Shape::MultiValue => {
                r#"{"statusCode":200,"multiValueHeaders":{"Content-Type":["text/plain"]},"body":"ok","isBase64Encoded":false}"#
            }
            Shape::Joined => {
                r#"{"statusCode":200,"headers":{"Content-Type":"text/plain"},"cookies":[],"body":"ok","isBase64Encoded":false}"#
            }
            Shape::LastValue => {
                r#"{"statusCode":200,"headers":{"Content-Type":"text/plain"},"body":"ok","isBase64Encoded":false}"#
            }
        };
        assert_eq!(respond_in(&app, &mut workspace, source, "/ok"), expected, "{source:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Bugs
// ---------------------------------------------------------------------------------------------

#[test]
fn a_panicking_not_found_handler_answers_500() {
    let app = app(Route::new(MethodSet::ANY, "/ok", ok)).not_found(not_found_panics);
    let mut workspace = Workspace::new();
    let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        respond_in(&app, &mut workspace, Source::HttpV2, "/missing")
    }));
    assert_eq!(answer.ok().as_deref(), Some(GENERIC_500));
}

#[test]
fn a_panicking_error_handler_answers_500() {
    let app = app_with_errors().error_handler::<Teapot>(on_teapot_panics);
    let mut workspace = Workspace::new();
    let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        respond_in(&app, &mut workspace, Source::HttpV2, "/teapot")
    }));
    assert_eq!(answer.ok().as_deref(), Some(GENERIC_500));
}

#[test]
fn a_content_type_header_replaces_the_default() {
    assert_shapes(
        &app(Route::new(MethodSet::ANY, "/csv", content_type_header)),
        "/csv",
        r#"{"statusCode":200,"multiValueHeaders":{"Content-Type":["text/csv"]},"body":"a,b","isBase64Encoded":false}"#,
        r#"{"statusCode":200,"headers":{"Content-Type":"text/csv"},"cookies":[],"body":"a,b","isBase64Encoded":false}"#,
        r#"{"statusCode":200,"headers":{"Content-Type":"text/csv"},"body":"a,b","isBase64Encoded":false}"#,
    );
}

#[test]
fn alb_headers_have_one_set_cookie_key() {
    let response =
        respond(&app(Route::new(MethodSet::ANY, "/both", set_cookie_header_and_cookie)), Source::Alb, "/both");
    assert_eq!(response.matches(r#""Set-Cookie":"#).count(), 1, "{response}");
}
