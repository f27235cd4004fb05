//! CORS (every rule of the reference, plus `Vary`) and gzip (every `Accept-Encoding` form),
//! through the whole pipeline, on REST API v1 and HTTP API v2 events from the fixtures.

use lambda_router::{App, Body, Cors, Error, LambdaContext, Request, Response, Route, Router, ServiceError, Workspace};
use serde_json::{Value, json};

fn no_content<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::new(204))
}

fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&json!({"message": "hello"}))
}

fn fail<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(ServiceError::bad_request("nope").into())
}

static BIG: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!(r#"{{"message":"{}"}}"#, "hello universe ".repeat(200)));

fn big<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::json_text(200, &BIG))
}

fn big_uncompressed<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::json_text(200, &BIG).compress(false))
}

fn big_response_asks<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::json_text(200, &BIG).compress(true))
}

static BYTES: [u8; 4] = [0, 1, 2, 255];

fn binary<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::binary(200, "application/octet-stream", &BYTES))
}

fn router() -> Router {
    Router::builder()
        .push(Route::get("/hello", hello))
        .push(Route::post("/hello", hello))
        .push(Route::put("/things/<id>", hello))
        .push(Route::delete("/private", hello).cors(false))
        .push(Route::get("/private", hello).cors(false))
        .push(Route::get("/fail", fail))
        .push(Route::get("/big", big).compress())
        .push(Route::get("/big/off", big_uncompressed).compress())
        .push(Route::get("/big/asks", big_response_asks))
        .push(Route::get("/binary", binary).compress())
        .push(Route::get("/empty", no_content).compress())
        .build()
        .unwrap()
}

fn cors_app() -> App {
    App::with_router(router()).cors(
        Cors::new("https://example.com")
            .extra_origin("https://app.example.com")
            .allow_header("X-Custom-Header")
            .allow_header("Content-Type")
            .expose_header("X-Expose-Me")
            .expose_header("X-Other")
            .max_age(300)
            .allow_credentials(true),
    )
}

/// A REST API v1 event (from the fixtures) for `method path` with these headers only.
fn rest(method: &str, path: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut event: Value = serde_json::from_str(include_str!("fixtures/events/apiGatewayProxyEvent.json")).unwrap();
    event["httpMethod"] = json!(method);
    event["path"] = json!(path);
    event["headers"] = json!({});
    event["multiValueHeaders"] = json!({});
    for (name, value) in headers {
        event["headers"][name] = json!(value);
        event["multiValueHeaders"][name] = json!([value]);
    }
    serde_json::to_vec(&event).unwrap()
}

/// An HTTP API v2 event (from the fixtures) for `GET path` with these headers only.
fn http(path: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut event: Value = serde_json::from_str(include_str!("fixtures/events/apiGatewayProxyV2Event.json")).unwrap();
    event["rawPath"] = json!(path);
    event["requestContext"]["http"]["method"] = json!("GET");
    event["headers"] = headers.iter().map(|(n, v)| (n.to_string(), json!(v))).collect();
    serde_json::to_vec(&event).unwrap()
}

fn call(app: &App, input: &[u8]) -> Value {
    let mut workspace = Workspace::new();
    let bytes = app.handle(&mut workspace, input, &LambdaContext::LOCAL).expect("a supported event");
    serde_json::from_slice(bytes).unwrap()
}

/// The response's headers as `name -> joined values`, from either shape.
fn headers(response: &Value) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    if let Some(map) = response["multiValueHeaders"].as_object() {
        for (name, values) in map {
            let values: Vec<&str> = values.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
            out.insert(name.clone(), values.join("|"));
        }
    }
    if let Some(map) = response["headers"].as_object() {
        for (name, value) in map {
            out.insert(name.clone(), value.as_str().unwrap().to_owned());
        }
    }
    out
}

fn cors_headers(response: &Value) -> Vec<(String, String)> {
    headers(response).into_iter().filter(|(name, _)| name.starts_with("Access-Control-")).collect()
}

const FULL_CORS: &[(&str, &str)] = &[
    ("Access-Control-Allow-Credentials", "true"),
    (
        "Access-Control-Allow-Headers",
        "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key,X-Custom-Header",
    ),
    ("Access-Control-Allow-Origin", "https://example.com"),
    ("Access-Control-Expose-Headers", "X-Expose-Me,X-Other"),
    ("Access-Control-Max-Age", "300"),
];

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

#[test]
fn allowed_origin_is_echoed_with_every_cors_header() {
    let response = call(&cors_app(), &rest("GET", "/hello", &[("Origin", "https://example.com")]));
    assert_eq!(cors_headers(&response), owned(FULL_CORS));
    assert_eq!(headers(&response)["Vary"], "Origin");
}

#[test]
fn extra_origin_is_echoed() {
    let response = call(&cors_app(), &rest("GET", "/hello", &[("Origin", "https://app.example.com")]));
    assert_eq!(headers(&response)["Access-Control-Allow-Origin"], "https://app.example.com");
}

#[test]
fn disallowed_absent_and_inexact_origins_get_no_cors_headers() {
    let origins: &[Option<&str>] = &[
        None,
        Some("https://evil.example"),
        Some("http://example.com"),
        Some("https://example.com:443"),
        Some("https://EXAMPLE.com"),
        Some("https://example.com/"),
        Some(""),
    ];
    for origin in origins {
        let request_headers: Vec<(&str, &str)> = origin.iter().map(|o| ("Origin", *o)).collect();
        let response = call(&cors_app(), &rest("GET", "/hello", &request_headers));
        assert_eq!(response["statusCode"], 200);
        assert!(cors_headers(&response).is_empty(), "{origin:?}: {response}");
        // The answer still depends on the Origin.
        assert_eq!(headers(&response)["Vary"], "Origin", "{origin:?}");
    }
}

#[test]
fn origin_header_name_is_case_insensitive() {
    for name in ["origin", "ORIGIN", "Origin"] {
        let response = call(&cors_app(), &rest("GET", "/hello", &[(name, "https://example.com")]));
        assert_eq!(headers(&response)["Access-Control-Allow-Origin"], "https://example.com", "{name}");
    }
}

#[test]
fn cors_headers_go_on_errors_and_404s_but_not_on_cors_off_routes() {
    let origin = [("Origin", "https://example.com")];
    for (path, status) in [("/fail", 400), ("/nowhere", 404)] {
        let response = call(&cors_app(), &rest("GET", path, &origin));
        assert_eq!(response["statusCode"], status);
        assert_eq!(cors_headers(&response), owned(FULL_CORS), "{path}");
        assert_eq!(headers(&response)["Vary"], "Origin", "{path}");
    }
    let response = call(&cors_app(), &rest("GET", "/private", &origin));
    assert_eq!(response["statusCode"], 200);
    assert!(cors_headers(&response).is_empty());
    assert!(!headers(&response).contains_key("Vary"), "{response}");
}

#[test]
fn every_unmatched_options_request_gets_the_preflight() {
    for (path, origin) in [
        ("/hello", Some("https://example.com")),
        ("/nowhere/at/all", Some("https://app.example.com")),
        ("/", None),
        ("/hello", Some("https://evil.example")),
    ] {
        let request_headers: Vec<(&str, &str)> = origin.iter().map(|o| ("Origin", *o)).collect();
        let response = call(&cors_app(), &rest("OPTIONS", path, &request_headers));
        assert_eq!(response["statusCode"], 204, "{path}");
        assert_eq!(response["body"], "", "{path}");
        assert_eq!(response["isBase64Encoded"], false);
        let got = headers(&response);
        // The methods of the CORS routes (DELETE is only on a cors(false) route) and OPTIONS.
        assert_eq!(got["Access-Control-Allow-Methods"], "GET,OPTIONS,POST,PUT", "{path}");
        assert!(!got.contains_key("Content-Type"), "{path}: {response}");
        assert_eq!(got.contains_key("Access-Control-Allow-Origin"), origin.is_some_and(|o| !o.contains("evil")));
    }
    // Without CORS there is no pre-flight: an unmatched OPTIONS is a 404.
    let response = call(&App::with_router(router()), &rest("OPTIONS", "/hello", &[("Origin", "https://example.com")]));
    assert_eq!(response["statusCode"], 404);
}

#[test]
fn star_origin_answers_star_and_never_credentials() {
    let app = App::with_router(router()).cors(Cors::default().allow_credentials(true));
    let response = call(&app, &rest("GET", "/hello", &[("Origin", "https://anything.example")]));
    let got = headers(&response);
    assert_eq!(got["Access-Control-Allow-Origin"], "*");
    assert!(!got.contains_key("Access-Control-Allow-Credentials"));
    assert_eq!(
        got["Access-Control-Allow-Headers"],
        "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key"
    );
    // No Origin: no CORS headers, even with `*`.
    assert!(cors_headers(&call(&app, &rest("GET", "/hello", &[]))).is_empty());
}

#[test]
fn http_api_v2_uses_the_first_of_comma_joined_origins() {
    let response = call(&cors_app(), &http("/hello", &[("origin", "https://example.com,https://evil.example")]));
    assert_eq!(headers(&response)["Access-Control-Allow-Origin"], "https://example.com");
}

#[test]
fn accept_encoding_follows_rfc_9110() {
    let cases = [
        ("gzip", true),
        ("GZIP", true),
        ("x-gzip", true),
        ("gzip;q=0", false),
        ("gzip; q=0.0", false),
        ("gzip;q=0.001", true),
        ("*", true),
        ("*;q=0", false),
        ("br;q=1.0, gzip;q=0.8", true),
        ("br, deflate", false),
        ("identity", false),
        ("", false),
        ("gzip;q=0, *", false),
        ("br, *;q=0.5", true),
        ("gzip;q=nonsense", false),
        (" , gzip ", true),
    ];
    for (value, expected) in cases {
        let response = call(&cors_app(), &rest("GET", "/big", &[("Accept-Encoding", value)]));
        let compressed = headers(&response).get("Content-Encoding").map(String::as_str) == Some("gzip");
        assert_eq!(compressed, expected, "{value:?}: {response}");
        assert_eq!(response["isBase64Encoded"], expected, "{value:?}");
    }
    // Absent header: not compressed.
    let response = call(&cors_app(), &rest("GET", "/big", &[]));
    assert!(!headers(&response).contains_key("Content-Encoding"));
    assert_eq!(response["body"].as_str().unwrap(), BIG.as_str());
}

fn gunzip(response: &Value) -> Vec<u8> {
    let compressed = base64_simd::STANDARD.decode_to_vec(response["body"].as_str().unwrap()).unwrap();
    let mut out = vec![0u8; 1 << 20];
    let n = libdeflater::Decompressor::new().gzip_decompress(&compressed, &mut out).unwrap();
    out.truncate(n);
    out
}

#[test]
fn compressed_bodies_decompress_to_the_original() {
    let response = call(&cors_app(), &rest("GET", "/big", &[("Accept-Encoding", "gzip")]));
    assert_eq!(gunzip(&response), BIG.as_bytes());
    assert!(response["body"].as_str().unwrap().len() < BIG.len() / 4, "3,000 repetitive bytes compress well");
    let got = headers(&response);
    assert_eq!(got["Content-Encoding"], "gzip");
    assert_eq!(got["Vary"], "Origin, Accept-Encoding");
    // Binary with gzip: still base64, of the gzip member.
    let response = call(&cors_app(), &rest("GET", "/binary", &[("Accept-Encoding", "gzip")]));
    assert_eq!(gunzip(&response), BYTES);
    // Without gzip: base64 of the bytes themselves.
    let response = call(&cors_app(), &rest("GET", "/binary", &[]));
    assert_eq!(response["body"], "AAEC/w==");
    assert_eq!(response["isBase64Encoded"], true);
}

#[test]
fn vary_accept_encoding_on_every_response_of_a_compress_route() {
    for accept in [None, Some("gzip"), Some("identity")] {
        let request_headers: Vec<(&str, &str)> = accept.iter().map(|a| ("Accept-Encoding", *a)).collect();
        let response = call(&App::with_router(router()), &rest("GET", "/big", &request_headers));
        assert_eq!(headers(&response)["Vary"], "Accept-Encoding", "{accept:?}");
        // With CORS on too, both.
        let response = call(&cors_app(), &rest("GET", "/big", &request_headers));
        assert_eq!(headers(&response)["Vary"], "Origin, Accept-Encoding", "{accept:?}");
    }
    // A plain route of an app without CORS: no Vary at all.
    let response = call(&App::with_router(router()), &rest("GET", "/hello", &[("Accept-Encoding", "gzip")]));
    assert!(!headers(&response).contains_key("Vary"));
}

#[test]
fn the_response_overrides_its_route() {
    let gzip = [("Accept-Encoding", "gzip")];
    let off = call(&cors_app(), &rest("GET", "/big/off", &gzip));
    assert!(!headers(&off).contains_key("Content-Encoding"));
    let asks = call(&cors_app(), &rest("GET", "/big/asks", &gzip));
    assert_eq!(headers(&asks)["Content-Encoding"], "gzip");
    assert_eq!(gunzip(&asks), BIG.as_bytes());
}

#[test]
fn not_found_preflight_and_empty_bodies_are_never_compressed() {
    let gzip = [("Accept-Encoding", "gzip"), ("Origin", "https://example.com")];
    for (method, path) in [("GET", "/nowhere"), ("OPTIONS", "/big"), ("GET", "/empty")] {
        let response = call(&cors_app(), &rest(method, path, &gzip));
        assert!(!headers(&response).contains_key("Content-Encoding"), "{method} {path}: {response}");
        assert_eq!(response["isBase64Encoded"], false, "{method} {path}");
    }
}

#[test]
fn response_body_variants() {
    assert_eq!(Body::Text("x").as_bytes(), b"x");
    assert_eq!(Body::Empty.as_bytes(), b"");
}
