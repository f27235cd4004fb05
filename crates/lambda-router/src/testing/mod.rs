//! Testing helpers: events of every source built from a few calls, a fake Lambda context, and
//! the response read back through typed accessors. No AWS account, no network.
//!
//! ```
//! use lambda_router::testing::TestRequest;
//! use lambda_router::{App, Error, Request, Response, Route, Router};
//!
//! fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
//!     let name = req.query_param("name").unwrap_or("universe");
//!     req.json_response(&serde_json::json!({"message": format!("hello {name}")}))
//! }
//!
//! let app = App::with_router(Router::builder().push(Route::get("/hello", hello)).build().unwrap());
//! let response = TestRequest::get("/hello").query("name", "Ada").http_v2().invoke(&app).unwrap();
//! assert_eq!(response.status(), 200);
//! assert_eq!(response.header("content-type"), Some("application/json"));
//! assert_eq!(response.json::<serde_json::Value>()["message"], "hello Ada");
//! ```
//!
//! For the events themselves: this module writes what each source sends in the shapes of the
//! AWS sample events (the test suite checks them against those samples).

use serde::Serialize;
use serde_json::Value;

mod stream;
mod synth;

pub use stream::TestStream;

pub(crate) use synth::{build_event, query_pairs};

use crate::event::{EventError, Source};
use crate::request::LambdaContext;
use crate::{App, Workspace};

/// A request to turn into an event of any source.
#[derive(Debug, Clone)]
pub struct TestRequest {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    source_ip: String,
}

macro_rules! method_builders {
    ($($name:ident => $method:literal),* $(,)?) => {$(
        #[doc = concat!("A `", $method, "` request for `path` (may include `?query`).")]
        pub fn $name(path: &str) -> TestRequest {
            TestRequest::new($method, path)
        }
    )*};
}

impl TestRequest {
    /// A request with any method. A `?query` in `path` is parsed into parameters
    /// (percent-decoded).
    pub fn new(method: &str, path: &str) -> TestRequest {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        TestRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query_pairs(query, true),
            headers: Vec::new(),
            body: Vec::new(),
            source_ip: "127.0.0.1".to_owned(),
        }
    }

    method_builders! {
        get => "GET", post => "POST", put => "PUT", patch => "PATCH", delete => "DELETE",
        head => "HEAD", options => "OPTIONS",
    }

    /// Adds a header (repeat it for several values).
    pub fn header(mut self, name: &str, value: &str) -> TestRequest {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds a query parameter (repeat it for several values), not percent-encoded.
    pub fn query(mut self, name: &str, value: &str) -> TestRequest {
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds a cookie (a `Cookie` header, or HTTP API v2's `cookies`).
    pub fn cookie(self, name: &str, value: &str) -> TestRequest {
        self.header("Cookie", &format!("{name}={value}"))
    }

    /// Sets the body; bytes that are not UTF-8 travel base64-encoded, as the services send them.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> TestRequest {
        self.body = body.into();
        self
    }

    /// Sets a JSON body and `Content-Type: application/json`.
    pub fn json_body<T: Serialize + ?Sized>(self, value: &T) -> TestRequest {
        let body = serde_json::to_vec(value).unwrap_or_default();
        self.header("Content-Type", "application/json").body(body)
    }

    /// Sets the client's IP address (default `127.0.0.1`).
    pub fn source_ip(mut self, ip: &str) -> TestRequest {
        self.source_ip = ip.to_owned();
        self
    }

    /// The event of an API Gateway REST API (payload 1.0).
    pub fn rest_v1(&self) -> TestEvent {
        self.event(Source::RestV1)
    }

    /// The event of an API Gateway HTTP API (payload 2.0).
    pub fn http_v2(&self) -> TestEvent {
        self.event(Source::HttpV2)
    }

    /// The event of a Lambda Function URL.
    pub fn function_url(&self) -> TestEvent {
        self.event(Source::FunctionUrl)
    }

    /// The event of an ALB target group, multi-value headers off.
    pub fn alb(&self) -> TestEvent {
        self.event(Source::Alb)
    }

    /// The event of an ALB target group, multi-value headers on.
    pub fn alb_multi_value(&self) -> TestEvent {
        self.event(Source::AlbMultiValue)
    }

    /// The event of VPC Lattice, format 2.
    pub fn vpc_lattice(&self) -> TestEvent {
        self.event(Source::VpcLatticeV2)
    }

    /// An Amazon Bedrock agent's call of this operation (an OpenAPI action group): the query
    /// pairs are its parameters, a JSON object body its body's properties.
    pub fn bedrock_agent(&self) -> TestEvent {
        self.event(Source::BedrockAgent)
    }

    /// An Amazon Bedrock agent's call of the function the path names (`/book` calls `book`),
    /// the query pairs its parameters. [`App::invoke`] gives each parameter the `type` the
    /// tool declares (`integer` for an `i64`, ...), as Bedrock writes the one of the action
    /// group's function schema, unless the event already has one (set it with
    /// [`TestEvent::json_mut`] to call with another).
    pub fn bedrock_agent_function(&self) -> TestEvent {
        self.event(Source::BedrockAgentFunction)
    }

    /// The event `source` would send for this request.
    pub fn event(&self, source: Source) -> TestEvent {
        TestEvent(build_event(source, self))
    }
}

/// An event, as the Lambda Runtime API would deliver it.
#[derive(Debug, Clone, PartialEq)]
pub struct TestEvent(Value);

impl TestEvent {
    /// The event as JSON.
    pub fn json(&self) -> &Value {
        &self.0
    }

    /// The event as JSON, to edit before invoking.
    pub fn json_mut(&mut self) -> &mut Value {
        &mut self.0
    }

    /// The event's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.0).unwrap_or_default()
    }

    /// Runs the event through `app` with a fake Lambda context.
    pub fn invoke(&self, app: &App) -> Result<TestResponse, EventError> {
        app.invoke(self)
    }
}

impl App {
    /// Runs a test event through the app (a fresh workspace, the [`fake_context`]) and reads
    /// the response back.
    pub fn invoke(&self, event: &TestEvent) -> Result<TestResponse, EventError> {
        let mut workspace = Workspace::new();
        let event = self.declare_parameter_types(event);
        let bytes = self.handle(&mut workspace, &event.to_bytes(), &fake_context())?;
        Ok(TestResponse(serde_json::from_slice(bytes).unwrap_or(Value::Null)))
    }

    /// `event` with the `type` of each of a function call's parameters that has none: the one
    /// the tool declares, else `string`.
    fn declare_parameter_types(&self, event: &TestEvent) -> TestEvent {
        let mut event = event.clone();
        let function = event.0.get("function").and_then(Value::as_str).map(str::to_owned);
        if let (Some(function), Some(Value::Array(params))) = (function, event.0.get_mut("parameters")) {
            for param in params.iter_mut().filter_map(Value::as_object_mut).filter(|p| !p.contains_key("type")) {
                let name = param.get("name").and_then(Value::as_str).unwrap_or_default();
                let declared = crate::openapi::functions::declared_type(self.tool_table(), &function, name);
                param.insert("type".to_owned(), Value::from(declared.unwrap_or("string")));
            }
        }
        event
    }
}

/// A Lambda context for tests: request id `test-request-id`, a deadline far away, a
/// made-up function ARN, name `test`, 128 MB.
pub fn fake_context() -> LambdaContext<'static> {
    LambdaContext {
        request_id: "test-request-id",
        deadline_ms: u64::MAX,
        function_arn: "arn:aws:lambda:us-east-1:123456789012:function:test",
        xray_trace_id: Some("Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0"),
        function_name: "test",
        function_version: "$LATEST",
        memory_mb: 128,
        log_group: "/aws/lambda/test",
        log_stream: "2026/01/01/[$LATEST]00000000000000000000000000000000",
    }
}

/// A Lambda response, read back.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResponse(Value);

impl TestResponse {
    /// The status code (an agent's operation: `httpStatusCode`; an agent's function, which
    /// has none: 200).
    pub fn status(&self) -> u16 {
        let agent = &self.0["response"];
        if agent["functionResponse"].is_object() {
            return 200;
        }
        self.0["statusCode"].as_u64().or_else(|| agent["httpStatusCode"].as_u64()).unwrap_or(0) as u16
    }

    /// The first value of a header, any case, from `headers` or `multiValueHeaders`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers(name).next()
    }

    /// Every value of a header, any case.
    pub fn headers<'s, 'n>(&'s self, name: &'n str) -> impl Iterator<Item = &'s str> + use<'s, 'n> {
        let single = self.0["headers"].as_object().into_iter().flatten();
        let multi = self.0["multiValueHeaders"].as_object().into_iter().flatten();
        single.filter(move |(n, _)| n.eq_ignore_ascii_case(name)).filter_map(|(_, v)| v.as_str()).chain(
            multi
                .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
                .flat_map(|(_, v)| v.as_array().into_iter().flatten().filter_map(Value::as_str)),
        )
    }

    /// The cookies set: HTTP API v2's `cookies`, or the `Set-Cookie` headers.
    pub fn cookies(&self) -> Vec<&str> {
        let listed: Vec<&str> = self.0["cookies"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        if listed.is_empty() { self.headers("set-cookie").collect() } else { listed }
    }

    /// Whether the body travels base64-encoded.
    pub fn is_base64_encoded(&self) -> bool {
        self.0["isBase64Encoded"].as_bool() == Some(true)
    }

    /// The body's bytes: base64-decoded, and gunzipped when `Content-Encoding: gzip`; for an
    /// agent, the envelope's body text.
    pub fn body(&self) -> Vec<u8> {
        let agent = &self.0["response"];
        let agent_body = agent["responseBody"]["application/json"]["body"]
            .as_str()
            .or_else(|| agent["functionResponse"]["responseBody"]["TEXT"]["body"].as_str());
        if let Some(text) = agent_body {
            return text.into();
        }
        let text = self.0["body"].as_str().unwrap_or("");
        let bytes = if self.is_base64_encoded() {
            base64_simd::STANDARD.decode_to_vec(text).unwrap_or_default()
        } else {
            text.into()
        };
        if self.header("content-encoding") != Some("gzip") {
            return bytes;
        }
        let mut out = vec![0u8; bytes.len().saturating_mul(32).max(1 << 16)];
        match libdeflater::Decompressor::new().gzip_decompress(&bytes, &mut out) {
            Ok(n) => {
                out.truncate(n);
                out
            }
            Err(_) => Vec::new(),
        }
    }

    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body()).into_owned()
    }

    /// The body as JSON, deserialized into `T`.
    ///
    /// # Panics
    ///
    /// When the body is not JSON of that shape: this is for tests.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        match serde_json::from_slice(&self.body()) {
            Ok(value) => value,
            Err(err) => panic!("the response body is not the expected JSON: {err}: {}", self.text()),
        }
    }

    /// The whole Lambda response as JSON.
    pub fn raw(&self) -> &Value {
        &self.0
    }
}
