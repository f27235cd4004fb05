//! A streamed response's prelude is byte-identical to lambda_http's for the same status,
//! headers and cookies, on random responses.
//!
//! The peer side is lambda_http's own path, with its types: an `http::Response` holding the
//! same headers in the same order and the cookies as `Set-Cookie` headers; then what
//! `lambda_http::streaming` does (`Set-Cookie` values taken into `cookies`, the header removed
//! from the `HeaderMap`) and what `lambda_runtime` does before it posts (`content-type`
//! `application/octet-stream` when there is none); then `serde_json::to_string` of
//! `lambda_runtime::MetadataPrelude` (which `lambda_http::streaming` re-exports).

use std::cell::RefCell;

use lambda_http::http::header::{CONTENT_TYPE, SET_COOKIE};
use lambda_http::http::{HeaderName, HeaderValue, StatusCode};
use lambda_router::testing::TestRequest;
use lambda_router::{App, Cookie, Error, Request, Response, Route, Router};
use lambda_runtime::MetadataPrelude;
use proptest::prelude::*;

/// A response to build: status, headers in order, an optional content type, cookies.
#[derive(Debug, Clone)]
struct Spec {
    status: u16,
    headers: Vec<(String, String)>,
    content_type: Option<String>,
    cookies: Vec<(String, String)>,
}

thread_local! {
    static SPEC: RefCell<Option<Spec>> = const { RefCell::new(None) };
}

fn respond<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let spec = SPEC.with(|spec| spec.borrow().clone()).expect("a spec");
    let arena = req.arena();
    let mut response = Response::new(spec.status);
    for (name, value) in &spec.headers {
        response = response.header(arena.alloc_str(name), arena.alloc_str(value));
    }
    if let Some(content_type) = &spec.content_type {
        response = response.with_content_type(arena.alloc_str(content_type));
    }
    for (name, value) in &spec.cookies {
        response = response.cookie(Cookie::new(arena.alloc_str(name), arena.alloc_str(value)).insecure());
    }
    Ok(response.with_body(req.stream(|out| async move {
        out.write(b"x").await?;
        Ok(())
    })))
}

/// lambda_http's prelude for the same response.
fn peer(spec: &Spec) -> String {
    let mut builder = lambda_http::http::Response::builder().status(spec.status);
    let own_type = spec.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    let typed = spec.content_type.iter().filter(|_| !own_type).map(|ct| ("Content-Type".to_string(), ct.clone()));
    for (name, value) in spec.headers.iter().cloned().chain(typed) {
        builder =
            builder.header(HeaderName::from_bytes(name.as_bytes()).unwrap(), HeaderValue::from_str(&value).unwrap());
    }
    for (name, value) in &spec.cookies {
        builder = builder.header(SET_COOKIE, format!("{name}={value}"));
    }
    let (parts, ()) = builder.body(()).unwrap().into_parts();
    // lambda_http::streaming::into_stream_response
    let mut headers = parts.headers;
    let cookies =
        headers.get_all(SET_COOKIE).iter().map(|c| String::from_utf8_lossy(c.as_bytes()).to_string()).collect();
    headers.remove(SET_COOKIE);
    // lambda_runtime's EventCompletionRequest for a streaming response
    headers.entry(CONTENT_TYPE).or_insert(HeaderValue::from_static("application/octet-stream"));
    let prelude = MetadataPrelude { status_code: StatusCode::from_u16(spec.status).unwrap(), headers, cookies };
    serde_json::to_string(&prelude).unwrap()
}

fn ours(app: &App, spec: &Spec) -> String {
    SPEC.with(|slot| *slot.borrow_mut() = Some(spec.clone()));
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let stream = runtime.block_on(TestRequest::get("/r").function_url().stream(app)).unwrap();
    String::from_utf8(stream.prelude_bytes).unwrap()
}

fn app() -> App {
    App::with_router(Router::builder().push(Route::get("/r", respond)).build().unwrap())
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Content-Type".to_string()),
        Just("content-type".to_string()),
        Just("Set-Cookie".to_string()),
        Just("set-cookie".to_string()),
        Just("X-Multi".to_string()),
        Just("x-multi".to_string()),
        Just("Cache-Control".to_string()),
        "[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,12}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    // Visible ASCII, spaces, tabs inside; quotes and backslashes to escape.
    "[ -~\t]{0,20}".prop_map(|v| v.trim_matches([' ', '\t']).to_string())
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop_oneof![Just(200u16), Just(201), Just(404), 100u16..600],
        prop::collection::vec((name(), value()), 0..8),
        prop::option::of(prop_oneof![Just("text/event-stream".to_string()), value()]),
        prop::collection::vec(("[a-z]{1,6}", "[a-zA-Z0-9]{0,6}"), 0..3),
    )
        .prop_map(|(status, headers, content_type, cookies)| Spec { status, headers, content_type, cookies })
}

#[test]
fn a_fixed_response_matches() {
    let spec = Spec {
        status: 200,
        headers: vec![
            ("X-A".into(), "1".into()),
            ("Set-Cookie".into(), "raw=1".into()),
            ("x-a".into(), "2".into()),
            ("Cache-Control".into(), "no-cache".into()),
        ],
        content_type: Some("text/event-stream".into()),
        cookies: vec![("s".into(), "v".into())],
    };
    let expected = r#"{"statusCode":200,"headers":{"x-a":["1","2"],"content-type":"text/event-stream","cache-control":"no-cache"},"cookies":["raw=1","s=v"]}"#;
    assert_eq!(peer(&spec), expected);
    assert_eq!(ours(&app(), &spec), expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_responses_match(spec in spec()) {
        let app = app();
        prop_assert_eq!(ours(&app, &spec), peer(&spec), "{:?}", spec);
    }
}
