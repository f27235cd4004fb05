//! The local dev server: real HTTP requests (hyper, HTTP/1.1) turned into events of a chosen
//! source, run through the same pipeline, and the Lambda response turned back into HTTP —
//! base64 decoded, gzip kept, headers, cookies and status as API Gateway or ALB would send
//! them. For a laptop, not for production: it allocates freely.

use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};

use crate::event::{LambdaContext, Source};
use crate::{App, Workspace};

/// What `--serve` was asked for.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub(crate) addr: SocketAddr,
    pub(crate) source: Source,
}

impl ServeOptions {
    /// Reads `--serve [ADDR] [--source SOURCE]`.
    pub(crate) fn parse(args: &[String]) -> Result<ServeOptions, String> {
        let mut options = ServeOptions { addr: SocketAddr::from(([127, 0, 0, 1], 3000)), source: Source::RestV1 };
        let mut args = args.iter().map(String::as_str).peekable();
        while let Some(arg) = args.next() {
            match arg {
                "--serve" => {
                    if let Some(addr) = args.next_if(|a| !a.starts_with("--")) {
                        options.addr = addr
                            .parse()
                            .map_err(|_| format!("--serve: `{addr}` is not an address like 127.0.0.1:3000"))?;
                    }
                }
                "--source" => {
                    let name = args.next().ok_or("--source needs one of rest-v1, http-v2, alb, function-url")?;
                    options.source = match name {
                        "rest-v1" => Source::RestV1,
                        "http-v2" => Source::HttpV2,
                        "alb" => Source::Alb,
                        "function-url" => Source::FunctionUrl,
                        other => {
                            return Err(format!(
                                "--source: `{other}` is not one of rest-v1, http-v2, alb, function-url"
                            ));
                        }
                    };
                }
                other => return Err(format!("unexpected argument `{other}`")),
            }
        }
        Ok(options)
    }
}

/// Serves until Ctrl-C.
pub(crate) fn serve(app: App, options: ServeOptions) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async move {
        let listener = tokio::net::TcpListener::bind(options.addr).await?;
        let addr = listener.local_addr()?;
        eprintln!("lambda-router dev server on http://{addr} ({} events); Ctrl-C stops it", options.source.name());
        for line in app.route_table() {
            eprintln!("  {line}");
        }
        let shared = Rc::new(Shared { app, source: options.source, pool: RefCell::new(Vec::new()) });
        serve_until_interrupted(listener, shared, tokio::signal::ctrl_c()).await;
        eprintln!("lambda-router dev server stopped");
        Ok(())
    })
}

/// Accepts connections until `stop` completes (Ctrl-C, or a test's signal).
pub(crate) async fn serve_until_interrupted<S: std::future::Future>(
    listener: tokio::net::TcpListener,
    shared: Rc<Shared>,
    stop: S,
) {
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                let shared = shared.clone();
                tokio::task::spawn_local(async move {
                    let service = service_fn(move |request| {
                        let shared = shared.clone();
                        async move { Ok::<_, std::convert::Infallible>(shared.respond(request, peer).await) }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
            _ = &mut stop => return,
        }
    }
}

/// The app, the source to impersonate, and a workspace per request in flight.
pub(crate) struct Shared {
    pub(crate) app: App,
    pub(crate) source: Source,
    pub(crate) pool: RefCell<Vec<Workspace>>,
}

impl Shared {
    async fn respond(&self, request: hyper::Request<Incoming>, peer: SocketAddr) -> hyper::Response<Full<Bytes>> {
        let (parts, body) = request.into_parts();
        let body = match body.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(err) => return plain(400, &format!("cannot read the request body: {err}")),
        };
        let event = to_event(self.source, &parts, &body, peer);
        let input = serde_json::to_vec(&event).unwrap_or_default();
        let mut workspace = self.pool.borrow_mut().pop().unwrap_or_default();
        let result = self.app.handle_async(&mut workspace, &input, &LambdaContext::LOCAL).await.map(<[u8]>::to_vec);
        self.pool.borrow_mut().push(workspace);
        match result {
            Ok(bytes) => from_response(&bytes),
            Err(err) => plain(500, &format!("the event made from this request was refused: {err}")),
        }
    }
}

fn plain(status: u16, text: &str) -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::new(Full::new(Bytes::from(text.to_owned())));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert("content-type", hyper::header::HeaderValue::from_static("text/plain"));
    response
}

/// Percent-decodes a query component (`+` is a space), as API Gateway does for its maps.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b))) {
                    (Some(hi), Some(lo)) => {
                        out.push((hi * 16 + lo) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The query string as `(name, value)` pairs, decoded or not.
fn query_pairs(query: &str, decoded: bool) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if decoded { (decode(name), decode(value)) } else { (name.to_owned(), value.to_owned()) }
        })
        .collect()
}

/// Builds the event `source` would send for this request.
fn to_event(source: Source, parts: &hyper::http::request::Parts, body: &[u8], peer: SocketAddr) -> Value {
    let method = parts.method.as_str();
    let raw_path = parts.uri.path();
    let raw_query = parts.uri.query().unwrap_or("");
    let (body_text, base64) = match std::str::from_utf8(body) {
        Ok(text) => (text.to_owned(), false),
        Err(_) => (base64_simd::STANDARD.encode_to_string(body), true),
    };
    let body = if body.is_empty() { Value::Null } else { Value::String(body_text) };
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in &parts.headers {
        headers.push((name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()));
    }
    let user_agent = parts.headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("");
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let request_id = format!("local-{now_ms}");
    let source_ip = peer.ip().to_string();

    let single = |pairs: &[(String, String)], join: bool| -> Map<String, Value> {
        let mut map = Map::new();
        for (name, value) in pairs {
            match map.get_mut(name) {
                Some(Value::String(existing)) if join => {
                    existing.push(',');
                    existing.push_str(value);
                }
                _ => {
                    map.insert(name.clone(), json!(value));
                }
            }
        }
        map
    };
    let multi = |pairs: &[(String, String)]| -> Map<String, Value> {
        let mut map = Map::new();
        for (name, value) in pairs {
            let entry = map.entry(name.clone()).or_insert_with(|| json!([]));
            if let Value::Array(values) = entry {
                values.push(json!(value));
            }
        }
        map
    };
    let or_null = |map: Map<String, Value>| {
        if map.is_empty() { Value::Null } else { Value::Object(map) }
    };

    match source {
        Source::RestV1 => {
            let query = query_pairs(raw_query, true);
            json!({
                "version": "1.0",
                "resource": "/{proxy+}",
                "path": raw_path,
                "httpMethod": method,
                "headers": single(&headers, false),
                "multiValueHeaders": multi(&headers),
                "queryStringParameters": or_null(single(&query, false)),
                "multiValueQueryStringParameters": or_null(multi(&query)),
                "pathParameters": {"proxy": raw_path.trim_start_matches('/')},
                "stageVariables": null,
                "requestContext": {
                    "accountId": "123456789012", "apiId": "local", "stage": "local",
                    "requestId": request_id, "httpMethod": method, "path": raw_path,
                    "protocol": "HTTP/1.1", "resourcePath": "/{proxy+}", "requestTimeEpoch": now_ms,
                    "identity": {"sourceIp": source_ip, "userAgent": user_agent},
                },
                "body": body,
                "isBase64Encoded": base64,
            })
        }
        Source::HttpV2 | Source::FunctionUrl => {
            let cookies: Vec<String> = headers
                .iter()
                .filter(|(name, _)| name == "cookie")
                .flat_map(|(_, value)| value.split(';').map(|c| c.trim().to_owned()).collect::<Vec<_>>())
                .collect();
            let others: Vec<(String, String)> = headers.iter().filter(|(n, _)| n != "cookie").cloned().collect();
            let query = query_pairs(raw_query, true);
            let domain = if source == Source::FunctionUrl { "local.lambda-url.localhost.on.aws" } else { "localhost" };
            json!({
                "version": "2.0",
                "routeKey": "$default",
                // HTTP API delivers the path decoded.
                "rawPath": decode(&raw_path.replace('+', "%2B")),
                "rawQueryString": raw_query,
                "cookies": cookies,
                "headers": single(&others, true),
                "queryStringParameters": or_null(single(&query, true)),
                "requestContext": {
                    "accountId": "123456789012", "apiId": "local", "domainName": domain,
                    "requestId": request_id, "routeKey": "$default", "stage": "$default", "timeEpoch": now_ms,
                    "http": {"method": method, "path": raw_path, "protocol": "HTTP/1.1", "sourceIp": source_ip, "userAgent": user_agent},
                },
                "body": body,
                "isBase64Encoded": base64,
            })
        }
        _ => {
            // ALB, multi-value headers off: last value of each header, query not decoded.
            let query = query_pairs(raw_query, false);
            json!({
                "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:local:123456789012:targetgroup/local/0"}},
                "httpMethod": method,
                "path": raw_path,
                "queryStringParameters": single(&query, false),
                "headers": single(&headers, false),
                "body": body.as_str().unwrap_or(""),
                "isBase64Encoded": base64,
            })
        }
    }
}

/// Turns a Lambda response back into HTTP.
fn from_response(bytes: &[u8]) -> hyper::Response<Full<Bytes>> {
    let Ok(lambda) = serde_json::from_slice::<Value>(bytes) else {
        return plain(500, "the app's response is not JSON");
    };
    let body = lambda["body"].as_str().unwrap_or("");
    let body = if lambda["isBase64Encoded"].as_bool() == Some(true) {
        match base64_simd::STANDARD.decode_to_vec(body) {
            Ok(decoded) => decoded,
            Err(_) => return plain(500, "the app's response body is not valid base64"),
        }
    } else {
        body.as_bytes().to_vec()
    };
    let mut builder = hyper::Response::builder().status(lambda["statusCode"].as_u64().unwrap_or(500) as u16);
    if let Some(headers) = lambda["headers"].as_object() {
        for (name, value) in headers {
            builder = builder.header(name.as_str(), value.as_str().unwrap_or(""));
        }
    }
    if let Some(headers) = lambda["multiValueHeaders"].as_object() {
        for (name, values) in headers {
            for value in values.as_array().into_iter().flatten() {
                builder = builder.header(name.as_str(), value.as_str().unwrap_or(""));
            }
        }
    }
    for cookie in lambda["cookies"].as_array().into_iter().flatten() {
        builder = builder.header("set-cookie", cookie.as_str().unwrap_or(""));
    }
    builder.body(Full::new(Bytes::from(body))).unwrap_or_else(|err| plain(500, &format!("bad response: {err}")))
}
