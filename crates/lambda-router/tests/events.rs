//! Events: every AWS sample event (tests/fixtures/events) parses and is detected as its
//! source, and `Request`'s accessors answer exactly what the events carry; request bodies
//! (base64, UTF-8, JSON) and the errors of events that cannot be routed.
//!
//! Handlers are plain functions, so each concern has a probe handler that serializes what
//! it saw into its JSON response; the tests parse that response and compare it with values
//! read from the fixtures by hand.

use std::collections::BTreeSet;

use lambda_router::IntoHandler;
use lambda_router::{
    App, BodyError, Error, EventError, ExactNumber, JsonValue, LambdaContext, MethodSet, Request, Response, Route,
    Router, Source, Workspace,
};
use serde::Deserialize;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/events");

/// The text of a fixture file.
fn fixture(name: &str) -> String {
    let path = format!("{FIXTURES}/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A fixture changed by `edit` (for the cases the samples do not cover).
fn edited(name: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut event: Value = serde_json::from_str(&fixture(name)).expect("fixture is JSON");
    edit(&mut event);
    event.to_string()
}

/// An HTTP API event carrying `body`.
fn with_body(body: &str, base64: bool) -> String {
    let body = body.to_owned();
    edited("apiGatewayProxyV2Event.json", move |e| {
        e["body"] = json!(body);
        e["isBase64Encoded"] = json!(base64);
    })
}

/// An app whose one catch-all route, for every method, answers with `handler`.
fn catch_all<H: IntoHandler<M>, M>(handler: H) -> App {
    let router = Router::builder()
        .push(Route::new(MethodSet::ANY, ".+", handler))
        .build()
        .expect("the catch-all route compiles");
    App::with_router(router).debug(false)
}

/// Runs `event` through `app` and returns the Lambda response, parsed.
fn invoke(app: &App, event: &str, lambda: &LambdaContext<'_>) -> Value {
    let mut workspace = Workspace::new();
    let out =
        app.handle(&mut workspace, event.as_bytes(), lambda).unwrap_or_else(|e| panic!("the event is rejected: {e}"));
    serde_json::from_slice(out).expect("the response is JSON")
}

/// What `handler` saw of `event`: the JSON body of its 200 response.
fn probe<H: IntoHandler<M>, M>(handler: H, event: &str) -> Value {
    let response = invoke(&catch_all(handler), event, &LambdaContext::LOCAL);
    assert_eq!(response["statusCode"], 200, "the probe failed: {response}");
    let body = response["body"].as_str().expect("a text body");
    serde_json::from_str(body).expect("the probe answers JSON")
}

/// What `handler` saw of the fixture `name`.
fn probe_fixture<H: IntoHandler<M>, M>(handler: H, name: &str) -> Value {
    probe(handler, &fixture(name))
}

/// A probe's entry for `name`, which the probe must have looked up.
fn entry<'v>(seen: &'v Value, name: &str) -> &'v Value {
    seen.get(name).unwrap_or_else(|| panic!("the probe does not look up {name:?}: {seen}"))
}

/// A `BodyError` as the probes report it.
fn body_error(error: BodyError) -> Value {
    match error {
        BodyError::InvalidBase64 => json!("InvalidBase64"),
        BodyError::InvalidUtf8 => json!("InvalidUtf8"),
        BodyError::InvalidJson { offset } => json!({ "InvalidJson": offset }),
        BodyError::UnexpectedShape => json!("UnexpectedShape"),
        other => json!(format!("{other:?}")),
    }
}

/// A result as the probes report it: `{"ok": ...}` or `{"err": ...}`.
fn outcome<T: Into<Value>>(result: Result<T, BodyError>) -> Value {
    match result {
        Ok(value) => json!({ "ok": value.into() }),
        Err(error) => json!({ "err": body_error(error) }),
    }
}

/// A JSON value of the event, copied out.
fn to_value(value: JsonValue<'_>) -> Value {
    if value.is_null() {
        Value::Null
    } else if let Some(text) = value.as_str() {
        json!(text)
    } else if let Some(flag) = value.as_bool() {
        json!(flag)
    } else if let Some(int) = value.as_i64() {
        json!(int)
    } else if let Some(float) = value.as_f64() {
        json!(float)
    } else if value.at(0).is_some() {
        Value::Array((0..).map_while(|i| value.at(i)).map(to_value).collect())
    } else {
        Value::Object(value.entries().map(|(k, v)| (k.to_owned(), to_value(v))).collect())
    }
}

/// Pairs as JSON arrays of two strings.
fn pairs(list: &[(&str, &str)]) -> Value {
    json!(list)
}

// ---------------------------------------------------------------------------------------------
// Probes
// ---------------------------------------------------------------------------------------------

/// The source and the basics of every event.
fn summary<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&json!({
        "source": req.source().name(),
        "method": req.method(),
        "path": req.path(),
        "routing_path": req.routing_path(),
        "header1": req.header("HEADER1"),
        "forwarded_for": req.header("X-Forwarded-For"),
        "query": req.query().iter().collect::<Vec<_>>(),
        "cookies": req.cookies().collect::<Vec<_>>(),
        "body": req.raw_body(),
    }))
}

const HEADER_NAMES: &[&str] = &[
    "header1",
    "HEADER1",
    "header2",
    "HEADER2",
    "Header2",
    "origin",
    "User-Agent",
    "user_agent",
    "Sec-Ch-Ua",
    "POWERTOOLS",
    "missing",
];

/// `header(name)` and `headers().get_all(name)` for each of `HEADER_NAMES`, and every pair.
fn headers_probe<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let mut seen = serde_json::Map::new();
    for name in HEADER_NAMES {
        let all: Vec<&str> = req.headers().get_all(name).collect();
        seen.insert((*name).to_owned(), json!({ "one": req.header(name), "all": all }));
    }
    seen.insert("pairs".to_owned(), json!(req.headers().iter().collect::<Vec<_>>()));
    req.json_response(&seen)
}

const QUERY_NAMES: &[&str] = &["parameter1", "parameter2", "Parameter1", "query", "order-id", "x", "missing"];

/// `query_param(name)` and `query().get_all(name)` for each of `QUERY_NAMES`.
fn query_probe<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let mut seen = serde_json::Map::new();
    for name in QUERY_NAMES {
        let all: Vec<&str> = req.query().get_all(name).collect();
        seen.insert((*name).to_owned(), json!({ "one": req.query_param(name), "all": all }));
    }
    seen.insert("is_empty".to_owned(), json!(req.query().is_empty()));
    req.json_response(&seen)
}

const COOKIE_NAMES: &[&str] = &["session", "theme", "a", "c", "flag", "cookie1", "missing"];

/// Every cookie pair, and `cookie(name)` for each of `COOKIE_NAMES`.
fn cookies_probe<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let mut seen = serde_json::Map::new();
    for name in COOKIE_NAMES {
        seen.insert((*name).to_owned(), json!(req.cookie(name)));
    }
    seen.insert("pairs".to_owned(), json!(req.cookies().collect::<Vec<_>>()));
    req.json_response(&seen)
}

/// The body, raw and decoded.
fn body_probe<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&json!({
        "raw": req.raw_body(),
        "base64": req.is_base64_encoded(),
        "bytes": outcome(req.body_bytes().map(<[u8]>::to_vec)),
        "text": outcome(req.body_str()),
    }))
}

/// The request context's accessors.
fn context_probe<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&json!({
        "request_id": req.request_id(),
        "stage": req.stage(),
        "source_ip": req.source_ip(),
        "user_agent": req.user_agent(),
        "iam_user_arn": req.iam_user_arn(),
        "claim1": req.claim("claim1"),
        "claim2": req.claim("claim2"),
        "email": req.claim("email"),
        "stage_variable1": req.stage_variable("stageVariable1"),
        "stage_variable_missing": req.stage_variable("missing"),
        "gateway_parameter1": req.gateway_path_parameter("parameter1"),
        "gateway_proxy": req.gateway_path_parameter("proxy"),
        "authorizer": req.authorizer().map(to_value),
        "account_id": req.request_context().and_then(|c| c.get("accountId")).and_then(|v| v.as_str()),
    }))
}

/// The Lambda context the app was given.
fn lambda_probe<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let lambda = req.lambda_context();
    req.json_response(&json!({
        "request_id": lambda.request_id,
        "deadline_ms": lambda.deadline_ms,
        "function_arn": lambda.function_arn,
        "xray_trace_id": lambda.xray_trace_id,
        "function_name": lambda.function_name,
        "function_version": lambda.function_version,
        "memory_mb": lambda.memory_mb,
        "log_group": lambda.log_group,
        "log_stream": lambda.log_stream,
    }))
}

/// A JSON body that borrows its strings from the invocation.
#[derive(Deserialize)]
struct Message<'a> {
    #[serde(borrow)]
    message: &'a str,
    #[serde(borrow)]
    username: &'a str,
}

/// `req.json::<Message>()`.
fn message_probe<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let seen = match req.json::<Message<'a>>() {
        Ok(message) => {
            json!({ "ok": { "message": message.message, "username": message.username } })
        }
        Err(error) => json!({ "err": body_error(error) }),
    };
    req.json_response(&seen)
}

/// `req.json_exact::<Message>()`.
fn exact_message_probe<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let seen = match req.json_exact::<Message<'a>>() {
        Ok(message) => {
            json!({ "ok": { "message": message.message, "username": message.username } })
        }
        Err(error) => json!({ "err": body_error(error) }),
    };
    req.json_response(&seen)
}

/// `req.json_optional::<Value>()`.
fn optional_probe<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let seen = match req.json_optional::<Value>() {
        Ok(value) => json!({ "ok": value }),
        Err(error) => json!({ "err": body_error(error) }),
    };
    req.json_response(&seen)
}

#[derive(Deserialize)]
struct Order<'a> {
    #[serde(borrow)]
    amount: ExactNumber<'a>,
    #[serde(borrow)]
    total: ExactNumber<'a>,
}

/// `req.json_exact::<Order>()`: numbers kept as their text.
fn order_probe<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let seen = match req.json_exact::<Order<'a>>() {
        Ok(order) => json!({ "ok": [order.amount.as_str(), order.total.as_str()] }),
        Err(error) => json!({ "err": body_error(error) }),
    };
    req.json_response(&seen)
}

/// `req.json::<Order>()`: simd-json cannot keep a number's text; it must fail cleanly.
fn order_json_probe<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let seen = match req.json::<Order<'a>>() {
        Ok(order) => json!({ "ok": [order.amount.as_str(), order.total.as_str()] }),
        Err(error) => json!({ "err": body_error(error) }),
    };
    req.json_response(&seen)
}

/// A handler that answers a fixed text (for the routing and error tests).
fn ok<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(200, req.path()))
}

// ---------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------

/// What the summary probe sees of one fixture.
struct Seen {
    file: &'static str,
    source: Source,
    method: &'static str,
    path: &'static str,
    routing_path: &'static str,
    header1: Option<&'static str>,
    forwarded_for: Option<&'static str>,
    query: &'static [(&'static str, &'static str)],
    body: Option<&'static str>,
}

const REST_QUERY: &[(&str, &str)] = &[("parameter1", "value1"), ("parameter1", "value2"), ("parameter2", "value")];
const HTTP_QUERY: &[(&str, &str)] = &[("parameter1", "value1,value2"), ("parameter2", "value")];
const ORDER_QUERY: &[(&str, &str)] = &[("order-id", "1")];
const HTTP_BODY: &str = r#"{"message": "hello world", "username": "tom"}"#;
const CRLF_BODY: &str = "{\r\n\t\"a\": 1\r\n}";
const LATTICE_V2_BODY: &str = r#"{"message": "Hello from Lambda!"}"#;

#[rustfmt::skip]
const SEEN: &[Seen] = &[
    // REST API v1
    Seen { file: "apiGatewayProxyEvent.json", source: Source::RestV1, method: "GET", path: "/my/path", routing_path: "/my/path", header1: Some("value1"), forwarded_for: None, query: REST_QUERY, body: Some("Hello from Lambda!") },
    Seen { file: "apiGatewayProxyEventAnotherPath.json", source: Source::RestV1, method: "GET", path: "/my/anotherPath", routing_path: "/my/anotherPath", header1: Some("value1"), forwarded_for: None, query: REST_QUERY, body: Some("Hello from Lambda!") },
    Seen { file: "apiGatewayProxyEventNoOrigin.json", source: Source::RestV1, method: "GET", path: "/my/path", routing_path: "/my/path", header1: Some("value1"), forwarded_for: None, query: REST_QUERY, body: Some("Hello from Lambda!") },
    Seen { file: "apiGatewayProxyEventPathTrailingSlash.json", source: Source::RestV1, method: "GET", path: "/my/path/", routing_path: "/my/path", header1: Some("value1"), forwarded_for: None, query: REST_QUERY, body: Some("Hello from Lambda!") },
    Seen { file: "apiGatewayProxyEventPrincipalId.json", source: Source::RestV1, method: "POST", path: "/trip", routing_path: "/trip", header1: None, forwarded_for: None, query: &[], body: None },
    Seen { file: "apiGatewayProxyEvent_noVersionAuth.json", source: Source::RestV1, method: "GET", path: "/my/path", routing_path: "/my/path", header1: Some("value1"), forwarded_for: None, query: REST_QUERY, body: Some("Hello from Lambda!") },
    Seen { file: "apiGatewayProxyOtherEvent.json", source: Source::RestV1, method: "GET", path: "/other/path", routing_path: "/other/path", header1: Some("value1"), forwarded_for: None, query: REST_QUERY, body: Some("Hello from Lambda!") },
    // HTTP API v2
    Seen { file: "apiGatewayProxyV2Event.json", source: Source::HttpV2, method: "POST", path: "/my/path", routing_path: "/my/path", header1: Some("value1"), forwarded_for: None, query: HTTP_QUERY, body: Some(HTTP_BODY) },
    Seen { file: "apiGatewayProxyV2EventPathTrailingSlash.json", source: Source::HttpV2, method: "POST", path: "/my/path/", routing_path: "/my/path/", header1: Some("value1"), forwarded_for: None, query: HTTP_QUERY, body: Some(HTTP_BODY) },
    Seen { file: "apiGatewayProxyV2Event_GET.json", source: Source::HttpV2, method: "GET", path: "/my/path", routing_path: "/my/path", header1: Some("value1"), forwarded_for: None, query: HTTP_QUERY, body: None },
    Seen { file: "apiGatewayProxyV2IamEvent.json", source: Source::HttpV2, method: "GET", path: "/my/path", routing_path: "/my/path", header1: Some("value1"), forwarded_for: None, query: HTTP_QUERY, body: Some(CRLF_BODY) },
    Seen { file: "apiGatewayProxyV2LambdaAuthorizerEvent.json", source: Source::HttpV2, method: "GET", path: "/my/path", routing_path: "/my/path", header1: Some("value1"), forwarded_for: None, query: HTTP_QUERY, body: Some(CRLF_BODY) },
    Seen { file: "apiGatewayProxyV2OtherGetEvent.json", source: Source::HttpV2, method: "GET", path: "/other/path", routing_path: "/other/path", header1: Some("value1"), forwarded_for: None, query: HTTP_QUERY, body: None },
    // Function URL
    Seen { file: "lambdaFunctionUrlEvent.json", source: Source::FunctionUrl, method: "GET", path: "/", routing_path: "/", header1: None, forwarded_for: Some("123.123.123.123"), query: &[], body: None },
    Seen { file: "lambdaFunctionUrlEventPathTrailingSlash.json", source: Source::FunctionUrl, method: "POST", path: "/my/path/", routing_path: "/my/path/", header1: Some("value1"), forwarded_for: None, query: HTTP_QUERY, body: Some("Hello from client!") },
    Seen { file: "lambdaFunctionUrlEventWithHeaders.json", source: Source::FunctionUrl, method: "GET", path: "/", routing_path: "/", header1: Some("value1"), forwarded_for: Some("123.123.123.123"), query: HTTP_QUERY, body: None },
    Seen { file: "lambdaFunctionUrlIAMEvent.json", source: Source::FunctionUrl, method: "POST", path: "/my/path", routing_path: "/my/path", header1: Some("value1"), forwarded_for: None, query: HTTP_QUERY, body: Some("Hello from client!") },
    // ALB
    Seen { file: "albEvent.json", source: Source::Alb, method: "GET", path: "/lambda", routing_path: "/lambda", header1: None, forwarded_for: Some("72.12.164.125"), query: &[("query", "1234ABCD")], body: Some("Test") },
    Seen { file: "albEventPathTrailingSlash.json", source: Source::Alb, method: "GET", path: "/lambda/", routing_path: "/lambda/", header1: None, forwarded_for: Some("72.12.164.125"), query: &[("query", "1234ABCD")], body: Some("Test") },
    Seen { file: "albMultiValueHeadersEvent.json", source: Source::AlbMultiValue, method: "GET", path: "/todos", routing_path: "/todos", header1: None, forwarded_for: Some("123.123.123.123"), query: &[], body: Some("") },
    Seen { file: "albMultiValueQueryStringEvent.json", source: Source::AlbMultiValue, method: "GET", path: "/todos", routing_path: "/todos", header1: Some("value1"), forwarded_for: Some("123.123.123.123"), query: REST_QUERY, body: Some("") },
    // VPC Lattice
    Seen { file: "vpcLatticeEvent.json", source: Source::VpcLatticeV1, method: "GET", path: "/testpath", routing_path: "/testpath", header1: Some("value1"), forwarded_for: Some("10.213.229.10"), query: ORDER_QUERY, body: Some("eyJ0ZXN0IjogImV2ZW50In0=") },
    Seen { file: "vpcLatticeEventPathTrailingSlash.json", source: Source::VpcLatticeV1, method: "GET", path: "/testpath/", routing_path: "/testpath/", header1: None, forwarded_for: Some("10.213.229.10"), query: ORDER_QUERY, body: Some("eyJ0ZXN0IjogImV2ZW50In0=") },
    Seen { file: "vpcLatticeV2Event.json", source: Source::VpcLatticeV2, method: "GET", path: "/newpath", routing_path: "/newpath", header1: None, forwarded_for: Some("10.213.229.10"), query: ORDER_QUERY, body: Some(LATTICE_V2_BODY) },
    Seen { file: "vpcLatticeV2EventWithHeaders.json", source: Source::VpcLatticeV2, method: "GET", path: "/newpath", routing_path: "/newpath", header1: Some("value1"), forwarded_for: Some("172.31.40.143"), query: REST_QUERY, body: Some(LATTICE_V2_BODY) },
    // Version 2.0 reads `queryStringParameters`; this sample spells it as version 1 does.
    Seen { file: "vpcLatticeEventV2PathTrailingSlash.json", source: Source::VpcLatticeV2, method: "GET", path: "/newpath/", routing_path: "/newpath/", header1: None, forwarded_for: Some("10.213.229.10"), query: &[], body: Some(LATTICE_V2_BODY) },
];

#[test]
fn every_fixture_file_is_in_the_table() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(FIXTURES)
        .expect("the fixtures directory")
        .map(|entry| entry.expect("a directory entry").file_name())
        .map(|name| name.into_string().expect("a UTF-8 file name"))
        .filter(|name| name.ends_with(".json"))
        .collect();
    let in_table: BTreeSet<String> = SEEN.iter().map(|s| s.file.to_owned()).collect();
    assert_eq!(in_table.len(), SEEN.len(), "a fixture is listed twice");
    assert_eq!(on_disk, in_table);
}

#[test]
fn every_fixture_is_detected_as_its_source() {
    for seen in SEEN {
        let got = probe_fixture(summary, seen.file);
        let expected = json!({
            "source": seen.source.name(),
            "method": seen.method,
            "path": seen.path,
            "routing_path": seen.routing_path,
            "header1": seen.header1,
            "forwarded_for": seen.forwarded_for,
            "query": pairs(seen.query),
            "cookies": [],
            "body": seen.body,
        });
        assert_eq!(got, expected, "{}", seen.file);
    }
}

#[test]
fn source_names_are_the_documented_ones() {
    let names = [
        (Source::RestV1, "rest-v1"),
        (Source::HttpV2, "http-v2"),
        (Source::FunctionUrl, "function-url"),
        (Source::Alb, "alb"),
        (Source::AlbMultiValue, "alb-mv"),
        (Source::VpcLatticeV1, "vpc-lattice-v1"),
        (Source::VpcLatticeV2, "vpc-lattice-v2"),
    ];
    for (source, name) in names {
        assert_eq!(source.name(), name);
    }
}

#[test]
fn detection_follows_the_keys_that_tell_sources_apart() {
    // (event, source)
    let cases: &[(&str, Source)] = &[
        // ALB: multi-value only when `multiValueHeaders` is a non-empty object.
        (r#"{"httpMethod":"GET","path":"/","requestContext":{"elb":{}}}"#, Source::Alb),
        (r#"{"httpMethod":"GET","path":"/","multiValueHeaders":null,"requestContext":{"elb":{}}}"#, Source::Alb),
        (
            r#"{"httpMethod":"GET","path":"/","multiValueHeaders":{},"multiValueQueryStringParameters":{"a":["1"]},"requestContext":{"elb":{}}}"#,
            Source::Alb,
        ),
        (
            r#"{"httpMethod":"GET","path":"/","multiValueHeaders":{"a":["1"]},"requestContext":{"elb":{}}}"#,
            Source::AlbMultiValue,
        ),
        // Without `requestContext.elb`, the same keys are a REST API event.
        (r#"{"httpMethod":"GET","path":"/","multiValueHeaders":{"a":["1"]},"requestContext":{}}"#, Source::RestV1),
        (r#"{"httpMethod":"GET","path":"/"}"#, Source::RestV1),
        // Payload 2.0 with `rawPath`: a Function URL by its domain, else HTTP API.
        (r#"{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"GET"}}}"#, Source::HttpV2),
        (
            r#"{"version":"2.0","rawPath":"/","requestContext":{"domainName":"x.lambda-url.eu-west-1.on.aws","http":{"method":"GET"}}}"#,
            Source::FunctionUrl,
        ),
        (
            r#"{"version":"2.0","rawPath":"/","requestContext":{"domainName":"lambda-url.example.com","http":{"method":"GET"}}}"#,
            Source::HttpV2,
        ),
        // VPC Lattice: `raw_path` (v1) or version 2.0 with `path` and `method`.
        (r#"{"raw_path":"/","method":"GET"}"#, Source::VpcLatticeV1),
        (r#"{"version":"2.0","path":"/","method":"GET"}"#, Source::VpcLatticeV2),
    ];
    for (event, source) in cases {
        let got = probe(summary, event);
        assert_eq!(got["source"], source.name(), "{event}");
    }
}

// ---------------------------------------------------------------------------------------------
// Headers, query strings, cookies
// ---------------------------------------------------------------------------------------------

const SEC_CH_UA: &str = r#"" Not A;Brand";v="99", "Chromium";v="102", "Google Chrome";v="102""#;
const ALB_USER_AGENT: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/71.0.3578.98 Safari/537.36";

#[test]
fn headers_are_found_in_any_case() {
    // (file, name, header(name), headers().get_all(name))
    #[rustfmt::skip]
    let cases: &[(&str, &str, Option<&str>, &[&str])] = &[
        // REST: `headers` has the last value, `multiValueHeaders` all of them.
        ("apiGatewayProxyEvent.json", "header1", Some("value1"), &["value1"]),
        ("apiGatewayProxyEvent.json", "HEADER2", Some("value2"), &["value1", "value2"]),
        ("apiGatewayProxyEvent.json", "Header2", Some("value2"), &["value1", "value2"]),
        ("apiGatewayProxyEvent.json", "origin", Some("https://aws.amazon.com"), &["https://aws.amazon.com"]),
        ("apiGatewayProxyEvent.json", "missing", None, &[]),
        ("apiGatewayProxyEventNoOrigin.json", "origin", None, &[]),
        ("apiGatewayProxyEventPrincipalId.json", "header1", None, &[]),
        // HTTP API v2 and Function URL: repeated values joined with `,`, kept whole.
        ("apiGatewayProxyV2Event.json", "header2", Some("value1,value2"), &["value1,value2"]),
        ("apiGatewayProxyV2IamEvent.json", "HEADER2", Some("value2"), &["value2"]),
        ("lambdaFunctionUrlEventWithHeaders.json", "Sec-Ch-Ua", Some(SEC_CH_UA), &[SEC_CH_UA]),
        ("lambdaFunctionUrlIAMEvent.json", "Header2", Some("value1,value2"), &["value1,value2"]),
        // ALB: single values, or multi-value lists whose last value is the one.
        ("albEvent.json", "User-Agent", Some(ALB_USER_AGENT), &[ALB_USER_AGENT]),
        ("albMultiValueHeadersEvent.json", "User-Agent", Some("curl/7.79.1"), &["curl/7.79.1"]),
        ("albMultiValueQueryStringEvent.json", "HEADER2", Some("value2"), &["value1", "value2"]),
        // VPC Lattice v1: single values; v2: lists.
        ("vpcLatticeEvent.json", "Header2", Some("value1,value2"), &["value1,value2"]),
        ("vpcLatticeEvent.json", "user_agent", Some("curl/7.64.1"), &["curl/7.64.1"]),
        ("vpcLatticeEvent.json", "User-Agent", None, &[]),
        ("vpcLatticeV2EventWithHeaders.json", "POWERTOOLS", Some("b"), &["a", "b"]),
        ("vpcLatticeV2EventWithHeaders.json", "header2", Some("value2"), &["value1", "value2"]),
        ("vpcLatticeV2EventWithHeaders.json", "User-Agent", Some("curl/8.3.0"), &["curl/8.3.0"]),
    ];
    for (file, name, one, all) in cases {
        let seen = probe_fixture(headers_probe, file);
        let got = entry(&seen, name);
        assert_eq!(got, &json!({ "one": one, "all": all }), "{file} {name}");
    }
}

#[test]
fn headers_iterate_in_event_order() {
    #[rustfmt::skip]
    let cases: &[(&str, &[(&str, &str)])] = &[
        // REST: the multi-value map, which has every value.
        ("apiGatewayProxyEvent.json", &[
            ("Header1", "value1"), ("Origin", "https://aws.amazon.com"),
            ("Header2", "value1"), ("Header2", "value2"),
        ]),
        ("apiGatewayProxyV2Event.json", &[("Header1", "value1"), ("Header2", "value1,value2")]),
        ("vpcLatticeV2EventWithHeaders.json", &[
            ("user-agent", "curl/8.3.0"), ("accept", "*/*"), ("powertools", "a"), ("powertools", "b"),
            ("x-forwarded-for", "172.31.40.143"),
            ("host", "lattice-svc-027b423199122da5f.7d67968.vpc-lattice-svcs.us-east-1.on.aws"),
            ("Header1", "value1"), ("Header2", "value1"), ("Header2", "value2"),
        ]),
        ("apiGatewayProxyEventPrincipalId.json", &[]),
    ];
    for (file, expected) in cases {
        let seen = probe_fixture(headers_probe, file);
        assert_eq!(entry(&seen, "pairs"), &pairs(expected), "{file}");
    }
}

#[test]
fn query_parameters_follow_each_source() {
    // (file, name, query_param(name), query().get_all(name))
    #[rustfmt::skip]
    let cases: &[(&str, &str, Option<&str>, &[&str])] = &[
        // REST: the single-value map's value; every value from the multi-value map.
        ("apiGatewayProxyEvent.json", "parameter1", Some("value1"), &["value1", "value2"]),
        ("apiGatewayProxyEvent.json", "parameter2", Some("value"), &["value"]),
        ("apiGatewayProxyEvent.json", "Parameter1", None, &[]),
        ("apiGatewayProxyEvent.json", "missing", None, &[]),
        // HTTP API v2, Function URL: one value joined with `,`, split again by get_all.
        ("apiGatewayProxyV2Event.json", "parameter1", Some("value1,value2"), &["value1", "value2"]),
        ("apiGatewayProxyV2Event.json", "parameter2", Some("value"), &["value"]),
        ("lambdaFunctionUrlEventWithHeaders.json", "parameter1", Some("value1,value2"), &["value1", "value2"]),
        ("lambdaFunctionUrlEvent.json", "parameter1", None, &[]),
        // ALB: values as sent; multi-value: the last one.
        ("albEvent.json", "query", Some("1234ABCD"), &["1234ABCD"]),
        ("albMultiValueQueryStringEvent.json", "parameter1", Some("value2"), &["value1", "value2"]),
        ("albMultiValueHeadersEvent.json", "parameter1", None, &[]),
        // VPC Lattice v1 `query_string_parameters`; v2 `queryStringParameters` (lists).
        ("vpcLatticeEvent.json", "order-id", Some("1"), &["1"]),
        ("vpcLatticeV2Event.json", "order-id", Some("1"), &["1"]),
        ("vpcLatticeV2EventWithHeaders.json", "parameter1", Some("value2"), &["value1", "value2"]),
        ("vpcLatticeEventV2PathTrailingSlash.json", "order-id", None, &[]),
    ];
    for (file, name, one, all) in cases {
        let seen = probe_fixture(query_probe, file);
        let got = entry(&seen, name);
        assert_eq!(got, &json!({ "one": one, "all": all }), "{file} {name}");
    }
}

#[test]
fn query_is_empty_only_without_parameters() {
    let cases: &[(&str, bool)] = &[
        ("apiGatewayProxyEvent.json", false),
        ("apiGatewayProxyEventPrincipalId.json", true),
        ("lambdaFunctionUrlEvent.json", true),
        ("albMultiValueHeadersEvent.json", true),
        ("albEvent.json", false),
        ("vpcLatticeEvent.json", false),
    ];
    for (file, empty) in cases {
        let seen = probe_fixture(query_probe, file);
        assert_eq!(entry(&seen, "is_empty"), &json!(empty), "{file}");
    }
}

#[test]
fn query_values_with_a_nul_stay_whole() {
    let event = edited("apiGatewayProxyEvent.json", |e| {
        e["queryStringParameters"] = json!({ "x": "a\u{0}b" });
        e["multiValueQueryStringParameters"] = json!({ "x": ["a\u{0}b"] });
    });
    let seen = probe(query_probe, &event);
    assert_eq!(entry(&seen, "x"), &json!({ "one": "a\u{0}b", "all": ["a\u{0}b"] }));
}

#[test]
fn cookies_come_from_the_cookies_array_or_the_cookie_headers() {
    let http = |cookies: Value| {
        edited("apiGatewayProxyV2Event.json", move |e| {
            e["cookies"] = cookies;
            e["headers"]["cookie"] = json!("a=from-header");
        })
    };
    let rest = edited("apiGatewayProxyEvent.json", |e| {
        e["headers"]["Cookie"] = json!("c=3");
        e["multiValueHeaders"]["Cookie"] = json!(["a=1; theme=light", "c=3"]);
    });
    let alb = edited("albEvent.json", |e| {
        e["headers"]["cookie"] = json!("session=s1;  a = 2 ;flag");
    });
    let lattice = edited("vpcLatticeV2EventWithHeaders.json", |e| {
        e["headers"]["Cookie"] = json!(["session=xyz", "theme=dark"]);
    });
    // (event, pairs, (session, theme, a, c, flag))
    type Pairs = &'static [(&'static str, &'static str)];
    type Named = [Option<&'static str>; 5];
    #[rustfmt::skip]
    let cases: Vec<(String, Pairs, Named)> = vec![
        // HTTP API v2: the `cookies` array, the Cookie header ignored; entries without `=` skipped.
        (http(json!(["session=abc=123", "theme=dark", "flag"])), &[("session", "abc=123"), ("theme", "dark")],
            [Some("abc=123"), Some("dark"), None, None, None]),
        // Without the array, the Cookie header.
        (http(Value::Null), &[("a", "from-header")], [None, None, Some("from-header"), None, None]),
        // The sample's `cookie1`, `cookie2` have no `=`: no pair.
        (fixture("apiGatewayProxyV2Event.json"), &[], [None; 5]),
        (rest, &[("a", "1"), ("theme", "light"), ("c", "3")], [None, Some("light"), Some("1"), Some("3"), None]),
        (alb, &[("session", "s1"), ("a", "2")], [Some("s1"), None, Some("2"), None, None]),
        (lattice, &[("session", "xyz"), ("theme", "dark")], [Some("xyz"), Some("dark"), None, None, None]),
    ];
    for (event, expected, named) in &cases {
        let seen = probe(cookies_probe, event);
        assert_eq!(entry(&seen, "pairs"), &pairs(expected), "{event}");
        let names = ["session", "theme", "a", "c", "flag"];
        for (name, value) in names.iter().zip(named) {
            assert_eq!(entry(&seen, name), &json!(value), "{name} in {event}");
        }
        assert_eq!(entry(&seen, "missing"), &Value::Null);
    }
}

// ---------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------

#[test]
fn bodies_are_decoded_as_the_event_says() {
    let invalid_utf8 = edited("apiGatewayProxyV2Event.json", |e| {
        e["body"] = json!("//4=");
        e["isBase64Encoded"] = json!(true);
    });
    let lattice_not_base64 = edited("vpcLatticeEvent.json", |e| {
        e["body"] = json!("plain text");
        e["is_base64_encoded"] = json!(false);
        // Version 1 reads `is_base64_encoded` only.
        e["isBase64Encoded"] = json!(true);
    });
    let empty_base64 = edited("apiGatewayProxyEvent.json", |e| {
        e["body"] = json!("");
        e["isBase64Encoded"] = json!(true);
    });
    let null_flag = edited("apiGatewayProxyEvent.json", |e| {
        e["isBase64Encoded"] = Value::Null;
    });
    let hello = b"Hello from Lambda!".to_vec();
    // (event, raw_body, is_base64_encoded, body_bytes, body_str)
    #[rustfmt::skip]
    let cases: Vec<(String, Option<&str>, bool, Value, Value)> = vec![
        (fixture("apiGatewayProxyEvent.json"), Some("Hello from Lambda!"), false,
            json!({"ok": hello}), json!({"ok": "Hello from Lambda!"})),
        // Said to be base64 but is not: both decoders refuse it.
        (fixture("apiGatewayProxyEvent_noVersionAuth.json"), Some("Hello from Lambda!"), true,
            json!({"err": "InvalidBase64"}), json!({"err": "InvalidBase64"})),
        (fixture("vpcLatticeEvent.json"), Some("eyJ0ZXN0IjogImV2ZW50In0="), true,
            json!({"ok": br#"{"test": "event"}"#.to_vec()}), json!({"ok": r#"{"test": "event"}"#})),
        // JSON escapes in the event are undone.
        (fixture("apiGatewayProxyV2IamEvent.json"), Some(CRLF_BODY), false,
            json!({"ok": CRLF_BODY.as_bytes().to_vec()}), json!({"ok": CRLF_BODY})),
        // No body, an empty body.
        (fixture("lambdaFunctionUrlEvent.json"), None, false, json!({"ok": []}), json!({"ok": ""})),
        (fixture("albMultiValueHeadersEvent.json"), Some(""), false, json!({"ok": []}), json!({"ok": ""})),
        (empty_base64, Some(""), true, json!({"ok": []}), json!({"ok": ""})),
        (null_flag, Some("Hello from Lambda!"), false, json!({"ok": hello}), json!({"ok": "Hello from Lambda!"})),
        // Base64 of bytes that are not UTF-8.
        (invalid_utf8, Some("//4="), true, json!({"ok": [0xff, 0xfe]}), json!({"err": "InvalidUtf8"})),
        (lattice_not_base64, Some("plain text"), false, json!({"ok": b"plain text".to_vec()}), json!({"ok": "plain text"})),
    ];
    for (event, raw, base64, bytes, text) in &cases {
        let seen = probe(body_probe, event);
        let expected = json!({ "raw": raw, "base64": base64, "bytes": bytes, "text": text });
        assert_eq!(seen, expected, "{event}");
    }
}

#[test]
fn json_bodies_deserialize_into_borrowing_structs() {
    #[rustfmt::skip]
    let cases: Vec<(String, Value)> = vec![
        (fixture("apiGatewayProxyV2Event.json"),
            json!({"ok": {"message": "hello world", "username": "tom"}})),
        // Base64: from the decoded copy.
        (with_body("eyJtZXNzYWdlIjoiaGkiLCJ1c2VybmFtZSI6ImFubiJ9", true),
            json!({"ok": {"message": "hi", "username": "ann"}})),
        // Non-ASCII text.
        (with_body(r#"{"message":"héllo 🎉","username":"zoë"}"#, false),
            json!({"ok": {"message": "héllo 🎉", "username": "zoë"}})),
        // Escaped strings still deserialize into `&str` (unescaped in the arena).
        (with_body(r#"{"message":"say \"hi\"\n\u00e9\t\\","username":"\ud83c\udf89"}"#, false),
            json!({"ok": {"message": "say \"hi\"\n\u{e9}\t\\", "username": "\u{1f389}"}})),
    ];
    for (event, expected) in &cases {
        assert_eq!(&probe(message_probe, event), expected, "{event}");
    }
}

#[test]
fn json_body_errors_name_the_problem() {
    // (body, isBase64Encoded, error)
    #[rustfmt::skip]
    let cases: &[(&str, bool, Value)] = &[
        // Not JSON: the byte where parsing stopped.
        ("{", false, json!({"InvalidJson": 0})),
        ("not json", false, json!({"InvalidJson": 0})),
        ("   ", false, json!({"InvalidJson": 0})),
        ("", false, json!({"InvalidJson": 0})),
        (r#"{"message": "hi", "username": tru}"#, false, json!({"InvalidJson": 30})),
        (r#"{"message": "hi", "username": "x",}"#, false, json!({"InvalidJson": 34})),
        (r#"{"message": "hi", "username": "x""#, false, json!({"InvalidJson": 30})),
        // The body cannot be read as text. Characters outside the alphabet are skipped, as
        // Python's `b64decode` skips them: `%%%%` is an empty body, `%%%a` one character short.
        ("%%%%", true, json!({"InvalidJson": 0})),
        ("%%%a", true, json!("InvalidBase64")),
        ("eyJtZXNzYWdlIjoiaGkifQ", true, json!("InvalidBase64")),
        ("//4=", true, json!("InvalidUtf8")),
    ];
    for (body, base64, error) in cases {
        let seen = probe(message_probe, &with_body(body, *base64));
        assert_eq!(seen, json!({ "err": error }), "{body:?}");
    }
}

#[test]
fn json_bodies_of_the_wrong_shape_are_unexpected_shapes() {
    let cases = [
        // A number where a string is expected, a missing field, a list for a string.
        "{\n  \"message\": 5,\n  \"username\": \"tom\"\n}",
        r#"{"message": "hi"}"#,
        r#"{"message": ["hi"], "username": "tom"}"#,
        "null",
    ];
    for body in cases {
        let seen = probe(message_probe, &with_body(body, false));
        assert_eq!(seen["err"], "UnexpectedShape", "{body:?}: {seen}");
        let seen = probe(exact_message_probe, &with_body(body, false));
        assert_eq!(seen["err"], "UnexpectedShape", "{body:?}: {seen}");
    }
}

#[test]
fn json_shape_errors_are_told_apart_from_syntax_errors() {
    // Valid JSON of another shape (a number where a string is expected), with both readers.
    let event = with_body(r#"{"message": 5, "username": "tom"}"#, false);
    assert_eq!(probe(exact_message_probe, &event), json!({ "err": "UnexpectedShape" }));
    assert_eq!(probe(message_probe, &event), json!({ "err": "UnexpectedShape" }));
}

#[test]
fn json_optional_is_none_without_a_body() {
    let with = |body: Value| {
        edited("apiGatewayProxyV2Event.json", move |e| {
            e["body"] = body;
        })
    };
    #[rustfmt::skip]
    let cases: Vec<(String, Value)> = vec![
        (fixture("apiGatewayProxyV2Event_GET.json"), json!({"ok": null})),
        (with(Value::Null), json!({"ok": null})),
        (with(json!("")), json!({"ok": null})),
        (fixture("apiGatewayProxyV2Event.json"), json!({"ok": {"message": "hello world", "username": "tom"}})),
        (fixture("apiGatewayProxyV2IamEvent.json"), json!({"ok": {"a": 1}})),
        (with(json!("null")), json!({"ok": null})),
        // Whitespace is a body, and not JSON.
        (with(json!(" \n ")), json!({"err": {"InvalidJson": 0}})),
        (with(json!("[1,")), json!({"err": {"InvalidJson": 2}})),
    ];
    for (event, expected) in &cases {
        assert_eq!(&probe(optional_probe, event), expected, "{event}");
    }
}

#[test]
fn exact_numbers_keep_their_text() {
    #[rustfmt::skip]
    let cases: &[(&str, Value)] = &[
        (r#"{"amount": 0.10000000000000000555, "total": 12345678901234567890123}"#,
            json!({"ok": ["0.10000000000000000555", "12345678901234567890123"]})),
        (r#"{"amount":-1.5e-7,"total":0}"#, json!({"ok": ["-1.5e-7", "0"]})),
        // A string is not a number: valid JSON of another shape.
        (r#"{"amount": "0.1", "total": 1}"#, json!({"err": "UnexpectedShape"})),
        ("{\n\"amount\": 1,\n\"total\": true}", json!({"err": "UnexpectedShape"})),
        // A syntax error at line 3, column 9 of serde_json's report: byte 23, the `1`.
        ("{\n\"amount\": 1,\n\"total\" 1}", json!({"err": {"InvalidJson": 23}})),
    ];
    for (body, expected) in cases {
        assert_eq!(&probe(order_probe, &with_body(body, false)), expected, "{body}");
    }
    // `json` (simd-json) refuses ExactNumber rather than rounding it.
    let event = with_body(r#"{"amount": 0.10000000000000000555, "total": 1}"#, false);
    let seen = probe(order_json_probe, &event);
    assert_eq!(seen["err"], "UnexpectedShape", "{seen}");
}

#[test]
fn large_bodies_and_reused_workspaces() {
    let app = catch_all(body_probe);
    let mut workspace = Workspace::new();
    let big_text = "x".repeat(1 << 20);
    let big = edited("apiGatewayProxyEvent.json", |e| e["body"] = json!(big_text));
    let small = fixture("albEvent.json");
    for round in 0..3 {
        for (event, text) in [(&big, big_text.as_str()), (&small, "Test")] {
            let out =
                app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL).expect("the event is accepted");
            let response: Value = serde_json::from_slice(out).expect("JSON");
            let seen: Value = serde_json::from_str(response["body"].as_str().expect("text")).expect("JSON body");
            assert_eq!(seen["text"], json!({ "ok": text }), "round {round}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Request context
// ---------------------------------------------------------------------------------------------

#[test]
fn context_accessors_read_each_source() {
    let rest_iam = edited("apiGatewayProxyEvent.json", |e| {
        e["requestContext"]["identity"]["userArn"] = json!("arn:aws:iam::123456789012:user/rest");
        e["stageVariables"] = json!({"stageVariable1": "rest-value"});
        e["pathParameters"] = json!({"proxy": "a/b"});
    });
    let rest_cognito = edited("apiGatewayProxyEvent.json", |e| {
        e["requestContext"]["authorizer"] = json!({"claims": {"email": "ann@example.com"}});
    });
    let authorizer_null = edited("apiGatewayProxyV2Event.json", |e| {
        e["requestContext"]["authorizer"] = Value::Null;
    });
    let iam_v2 = json!({"iam": {
        "accessKey": "ARIA2ZJZYVUEREEIHAKY",
        "accountId": "1234567890",
        "callerId": "AROA7ZJZYVRE7C3DUXHH6:CognitoIdentityCredentials",
        "cognitoIdentity": {
            "amr": ["foo"],
            "identityId": "us-east-1:3f291106-8703-466b-8f2b-3ecee1ca56ce",
            "identityPoolId": "us-east-1:4f291106-8703-466b-8f2b-3ecee1ca56ce"
        },
        "principalOrgId": "AwsOrgId",
        "userArn": "arn:aws:iam::1234567890:user/Admin",
        "userId": "AROA2ZJZYVRE7Y3TUXHH6"
    }});
    let iam_url = json!({"iam": {
        "accessKey": "AKIA...",
        "accountId": "111122223333",
        "callerId": "AIDA...",
        "cognitoIdentity": null,
        "principalOrgId": null,
        "userArn": "arn:aws:iam::111122223333:user/example-user",
        "userId": "AIDA..."
    }});
    let rest_base = json!({
        "request_id": "id=", "stage": "$default", "source_ip": "192.168.0.1/32",
        "user_agent": "user-agent", "iam_user_arn": null, "claim1": null, "claim2": null,
        "email": null, "stage_variable1": null, "stage_variable_missing": null,
        "gateway_parameter1": null, "gateway_proxy": null,
        "authorizer": {"claims": null, "scopes": null}, "account_id": "123456789012",
    });
    let with = |base: &Value, changes: Value| {
        let mut value = base.clone();
        for (k, v) in changes.as_object().expect("an object") {
            assert!(value.get(k).is_some(), "unknown key {k}");
            value[k] = v.clone();
        }
        value
    };
    let http_base = json!({
        "request_id": "id", "stage": "$default", "source_ip": "192.168.0.1/32",
        "user_agent": "agent", "iam_user_arn": null, "claim1": "value1", "claim2": "value2",
        "email": null, "stage_variable1": "value1", "stage_variable_missing": null,
        "gateway_parameter1": "value1", "gateway_proxy": null,
        "authorizer": {"jwt": {"claims": {"claim1": "value1", "claim2": "value2"}, "scopes": ["scope1", "scope2"]}},
        "account_id": "123456789012",
    });
    let nothing = json!({
        "request_id": null, "stage": null, "source_ip": null, "user_agent": null,
        "iam_user_arn": null, "claim1": null, "claim2": null, "email": null,
        "stage_variable1": null, "stage_variable_missing": null, "gateway_parameter1": null,
        "gateway_proxy": null, "authorizer": null, "account_id": null,
    });
    #[rustfmt::skip]
    let cases: Vec<(String, Value)> = vec![
        (fixture("apiGatewayProxyEvent.json"), rest_base.clone()),
        (rest_iam, with(&rest_base, json!({
            "iam_user_arn": "arn:aws:iam::123456789012:user/rest",
            "stage_variable1": "rest-value", "gateway_proxy": "a/b",
        }))),
        (rest_cognito, with(&rest_base, json!({
            "email": "ann@example.com", "authorizer": {"claims": {"email": "ann@example.com"}},
        }))),
        (fixture("apiGatewayProxyEventPrincipalId.json"), with(&nothing, json!({
            "request_id": "34972478-2843-4ced-a657-253108738274",
            "authorizer": {"user_id": "fake_username", "principalId": "fake", "integrationLatency": 451},
        }))),
        (fixture("apiGatewayProxyV2Event.json"), http_base.clone()),
        (authorizer_null, with(&http_base, json!({"claim1": null, "claim2": null, "authorizer": null}))),
        (fixture("apiGatewayProxyV2IamEvent.json"), with(&http_base, json!({
            "iam_user_arn": "arn:aws:iam::1234567890:user/Admin", "claim1": null, "claim2": null,
            "gateway_parameter1": null, "gateway_proxy": "hello/world", "authorizer": iam_v2,
        }))),
        (fixture("apiGatewayProxyV2LambdaAuthorizerEvent.json"), with(&http_base, json!({
            "claim2": null, "gateway_parameter1": null, "gateway_proxy": "hello/world",
            "authorizer": {
                "jwt": {"claims": {"claim1": "value1"}, "scopes": ["scope1", "scope2"]},
                "lambda": {"tenantId": "123-456-789-012"},
            },
        }))),
        (fixture("lambdaFunctionUrlIAMEvent.json"), with(&http_base, json!({
            "source_ip": "123.123.123.123", "iam_user_arn": "arn:aws:iam::111122223333:user/example-user",
            "claim1": null, "claim2": null, "stage_variable1": null, "gateway_parameter1": null,
            "authorizer": iam_url,
        }))),
        (fixture("lambdaFunctionUrlEvent.json"), with(&http_base, json!({
            "source_ip": "123.123.123.123", "claim1": null, "claim2": null, "stage_variable1": null,
            "gateway_parameter1": null, "authorizer": null, "account_id": "anonymous",
        }))),
        // ALB and VPC Lattice: the client from X-Forwarded-For, the agent from User-Agent.
        (fixture("albEvent.json"), with(&nothing, json!({
            "source_ip": "72.12.164.125", "user_agent": ALB_USER_AGENT,
        }))),
        (fixture("albMultiValueHeadersEvent.json"), with(&nothing, json!({
            "source_ip": "123.123.123.123", "user_agent": "curl/7.79.1",
        }))),
        (fixture("vpcLatticeEvent.json"), with(&nothing, json!({"source_ip": "10.213.229.10"}))),
        (fixture("vpcLatticeV2EventWithHeaders.json"), with(&nothing, json!({
            "source_ip": "172.31.40.143", "user_agent": "curl/8.3.0",
        }))),
    ];
    for (event, expected) in &cases {
        assert_eq!(&probe(context_probe, event), expected, "{event}");
    }
}

#[test]
fn source_ip_takes_the_first_forwarded_address() {
    let event = edited("albEvent.json", |e| {
        e["headers"]["x-forwarded-for"] = json!(" 203.0.113.7 , 10.0.0.1, 10.0.0.2");
    });
    assert_eq!(probe(context_probe, &event)["source_ip"], "203.0.113.7");
}

#[test]
fn the_lambda_context_reaches_the_handler() {
    let app = catch_all(lambda_probe);
    let custom = LambdaContext {
        request_id: "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
        deadline_ms: 1_700_000_000_123,
        function_arn: "arn:aws:lambda:eu-west-1:123456789012:function:router",
        xray_trace_id: Some("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"),
        function_name: "router",
        function_version: "7",
        memory_mb: 1769,
        log_group: "/aws/lambda/router",
        log_stream: "2026/11/30/[7]abc",
    };
    let cases = [
        (
            custom,
            json!({
                "request_id": "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
                "deadline_ms": 1_700_000_000_123_u64,
                "function_arn": "arn:aws:lambda:eu-west-1:123456789012:function:router",
                "xray_trace_id": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
                "function_name": "router",
                "function_version": "7",
                "memory_mb": 1769,
                "log_group": "/aws/lambda/router",
                "log_stream": "2026/11/30/[7]abc",
            }),
        ),
        (
            LambdaContext::LOCAL,
            json!({
                "request_id": "local",
                "deadline_ms": u64::MAX,
                "function_arn": "arn:aws:lambda:local:000000000000:function:local",
                "xray_trace_id": null,
                "function_name": "local",
                "function_version": "$LATEST",
                "memory_mb": 0,
                "log_group": "",
                "log_stream": "",
            }),
        ),
    ];
    for (lambda, expected) in &cases {
        let response = invoke(&app, &fixture("albEvent.json"), lambda);
        let seen: Value = serde_json::from_str(response["body"].as_str().expect("text")).expect("JSON");
        assert_eq!(&seen, expected);
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP API stages
// ---------------------------------------------------------------------------------------------

/// Where the request went, for the stage test.
fn where_probe<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&json!({ "path": req.path(), "routing_path": req.routing_path() }))
}

#[test]
fn http_api_stage_is_removed_from_the_path() {
    let router = Router::builder()
        .push(Route::get("/hello", where_probe))
        .push(Route::get("/", where_probe))
        .push(Route::get("/prod/hello", where_probe))
        .push(Route::get("/production/hello", where_probe))
        .build()
        .expect("routes compile");
    let app = App::with_router(router).debug(false);
    // (stage, rawPath, status, path the handler sees)
    #[rustfmt::skip]
    let cases: &[(Option<&str>, &str, u16, Option<&str>)] = &[
        (Some("prod"), "/prod/hello", 200, Some("/hello")),
        (Some("prod"), "/prod", 200, Some("/")),
        (Some("prod"), "/prod/", 200, Some("/")),
        (Some("$default"), "/prod/hello", 200, Some("/prod/hello")),
        (Some("$default"), "/hello", 200, Some("/hello")),
        (None, "/prod/hello", 200, Some("/prod/hello")),
        (Some(""), "/prod/hello", 200, Some("/prod/hello")),
        // Only a whole leading segment is the stage.
        (Some("prod"), "/production/hello", 200, Some("/production/hello")),
        (Some("prod"), "/hello", 200, Some("/hello")),
        (Some("prod"), "/prod/missing", 404, None),
    ];
    for (stage, raw_path, status, path) in cases {
        let event = edited("apiGatewayProxyV2Event_GET.json", |e| {
            e["rawPath"] = json!(raw_path);
            match stage {
                Some(stage) => e["requestContext"]["stage"] = json!(stage),
                None => {
                    e["requestContext"].as_object_mut().expect("an object").remove("stage");
                }
            }
        });
        let response = invoke(&app, &event, &LambdaContext::LOCAL);
        assert_eq!(response["statusCode"], *status, "{stage:?} {raw_path}");
        if let Some(path) = path {
            let seen: Value = serde_json::from_str(response["body"].as_str().expect("text")).expect("JSON");
            assert_eq!(seen, json!({ "path": path, "routing_path": path }), "{stage:?} {raw_path}");
        }
    }
}

#[test]
fn trailing_slashes_are_ignored_for_rest_events_only() {
    let router = Router::builder().push(Route::get("/my/path", where_probe)).build().expect("routes compile");
    let app = App::with_router(router).debug(false);
    let cases: &[(&str, u16)] = &[
        ("apiGatewayProxyEventPathTrailingSlash.json", 200),
        ("apiGatewayProxyV2EventPathTrailingSlash.json", 404),
        ("lambdaFunctionUrlEventPathTrailingSlash.json", 404),
    ];
    for (file, status) in cases {
        let event = edited(file, |e| {
            if e.get("httpMethod").is_some() {
                e["httpMethod"] = json!("GET");
            } else {
                e["requestContext"]["http"]["method"] = json!("GET");
            }
        });
        let response = invoke(&app, &event, &LambdaContext::LOCAL);
        assert_eq!(response["statusCode"], *status, "{file}");
    }
}

// ---------------------------------------------------------------------------------------------
// Events that cannot be routed
// ---------------------------------------------------------------------------------------------

#[test]
fn event_errors_name_the_field() {
    let http_without_method = edited("apiGatewayProxyV2Event.json", |e| {
        e["requestContext"]["http"].as_object_mut().expect("an object").remove("method");
    });
    let url_null_method = edited("lambdaFunctionUrlEvent.json", |e| {
        e["requestContext"]["http"]["method"] = Value::Null;
    });
    let rest_numeric_method = edited("apiGatewayProxyEvent.json", |e| e["httpMethod"] = json!(5));
    let rest_body_number = edited("apiGatewayProxyEvent.json", |e| e["body"] = json!(5));
    let rest_headers_list = edited("apiGatewayProxyEvent.json", |e| e["headers"] = json!([]));
    let http_cookies_text = edited("apiGatewayProxyV2Event.json", |e| e["cookies"] = json!("a=1"));
    let http_base64_text = edited("apiGatewayProxyV2Event.json", |e| e["isBase64Encoded"] = json!("true"));
    let lattice_base64_number = edited("vpcLatticeEvent.json", |e| e["is_base64_encoded"] = json!(1));
    let alb_context_text = edited("albEvent.json", |e| e["requestContext"] = json!("elb"));
    let lattice_v2_path_number = edited("vpcLatticeV2Event.json", |e| e["path"] = json!(7));
    #[rustfmt::skip]
    let cases: Vec<(String, EventError, &str)> = vec![
        ("not json".to_owned(), EventError::InvalidJson { offset: 0 }, "invalid JSON at byte 0"),
        (r#"{"httpMethod": "GET", "path": }"#.to_owned(), EventError::InvalidJson { offset: 30 }, "invalid JSON at byte 30"),
        ("[]".to_owned(), EventError::NotAnObject, "the event is not a JSON object"),
        ("\"GET /\"".to_owned(), EventError::NotAnObject, "the event is not a JSON object"),
        ("{}".to_owned(), EventError::UnknownSource, "unsupported event"),
        (r#"{"httpMethod":"GET"}"#.to_owned(), EventError::UnknownSource, "unsupported event"),
        (r#"{"version":"1.0","rawPath":"/"}"#.to_owned(), EventError::UnknownSource, "unsupported event"),
        (http_without_method,
            EventError::Missing { source: Source::HttpV2, field: "requestContext.http.method" },
            "http-v2 event without `requestContext.http.method`"),
        (url_null_method,
            EventError::Missing { source: Source::FunctionUrl, field: "requestContext.http.method" },
            "function-url event without `requestContext.http.method`"),
        (rest_numeric_method,
            EventError::WrongType { field: "httpMethod", expected: "a string" },
            "`httpMethod` is not a string"),
        (rest_body_number, EventError::WrongType { field: "body", expected: "a string" }, "`body` is not a string"),
        (rest_headers_list, EventError::WrongType { field: "headers", expected: "an object" }, "`headers` is not an object"),
        (http_cookies_text, EventError::WrongType { field: "cookies", expected: "an array" }, "`cookies` is not an array"),
        (http_base64_text,
            EventError::WrongType { field: "isBase64Encoded", expected: "a boolean" },
            "`isBase64Encoded` is not a boolean"),
        (lattice_base64_number,
            EventError::WrongType { field: "is_base64_encoded", expected: "a boolean" },
            "`is_base64_encoded` is not a boolean"),
        (alb_context_text,
            EventError::WrongType { field: "requestContext", expected: "an object" },
            "`requestContext` is not an object"),
        (lattice_v2_path_number, EventError::WrongType { field: "path", expected: "a string" }, "`path` is not a string"),
    ];
    let app = catch_all(summary);
    let mut workspace = Workspace::new();
    for (event, error, message) in &cases {
        let got = app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL);
        let got = got.map(|out| String::from_utf8_lossy(out).into_owned());
        assert_eq!(got, Err(*error), "{event}");
        let text = error.to_string();
        assert!(text.starts_with(message), "{text:?} for {event}");
    }
    // The workspace still answers a good event afterwards.
    let out =
        app.handle(&mut workspace, fixture("albEvent.json").as_bytes(), &LambdaContext::LOCAL).expect("a good event");
    let response: Value = serde_json::from_slice(out).expect("JSON");
    assert_eq!(response["statusCode"], 200);
}

#[test]
fn unknown_methods_are_not_found() {
    let app = catch_all(ok);
    // (method, status): routing reads any case; a method outside the list finds nothing.
    let cases: &[(&str, u16)] = &[("get", 200), ("Delete", 200), ("BREW", 404), ("", 404)];
    for (method, status) in cases {
        let event = edited("albEvent.json", |e| e["httpMethod"] = json!(method));
        let response = invoke(&app, &event, &LambdaContext::LOCAL);
        assert_eq!(response["statusCode"], *status, "{method:?}");
    }
}

/// A large body is lifted out of the copy simd-json parses when it is a plain string (the
/// `event::lift` fast path): every source's event, with every kind of large body, reads as the
/// whole event does, and what cannot be lifted (escapes, control characters, non-ASCII text,
/// nested or repeated `body` keys) still reads, or is refused, as before.
#[test]
fn large_bodies_read_the_same_whether_lifted_or_not() {
    let long = 9 * 1024;
    let base64 = "QUJD+/09".repeat(long / 8);
    let text = "plain text, quotes ' and slashes / and tildes ~ ".repeat(long / 48);
    let escaped = format!("{text}\"quoted\"\n\\");
    let unicode = format!("{text}é😀");
    let names = [
        "apiGatewayProxyEvent.json",
        "apiGatewayProxyV2Event.json",
        "albEvent.json",
        "albMultiValueHeadersEvent.json",
        "lambdaFunctionUrlEvent.json",
        "vpcLatticeEvent.json",
        "vpcLatticeV2Event.json",
    ];
    for name in names {
        for (what, body, is_base64) in [
            ("base64", &base64, true),
            ("text", &text, false),
            ("escaped", &escaped, false),
            ("unicode", &unicode, false),
        ] {
            let body = body.clone();
            let event = edited(name, |e| {
                let key = if name.starts_with("vpcLatticeEvent") { "is_base64_encoded" } else { "isBase64Encoded" };
                e["body"] = json!(body);
                e[key] = json!(is_base64);
            });
            let seen = probe(summary, &event);
            assert_eq!(seen["body"], json!(body), "{name}, {what}");
            let whole = probe_fixture(summary, name);
            for field in ["source", "method", "path", "query", "cookies", "header1"] {
                assert_eq!(seen[field], whole[field], "{name}, {what}: {field}");
            }
        }
    }
    // A raw control character in the body is no JSON: the event is not lifted, and refused.
    let event = with_body(&base64, true).replace("QUJD+/09\"", "QUJD+/0\t\"");
    let mut workspace = Workspace::new();
    let app = catch_all(summary);
    let error = app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL).unwrap_err();
    assert!(matches!(error, lambda_router::EventError::InvalidJson { .. }), "{error}");
    // An error past a lifted body is reported where it is in the whole event.
    let event = format!("{} x", with_body(&base64, true));
    let error = app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL).unwrap_err();
    assert!(matches!(error, lambda_router::EventError::InvalidJson { offset } if offset > long), "{error}");
}
