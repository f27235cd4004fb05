//! The local dev server: real HTTP requests (hyper, HTTP/1.1) turned into events of a chosen
//! source, run through the same pipeline, and the Lambda response turned back into HTTP —
//! base64 decoded, gzip kept, headers, cookies and status as API Gateway or ALB would send
//! them. For a laptop, not for production: it allocates freely.
//!
//! A streaming app (`App::streaming`) impersonating a source that streams (`rest-v1`,
//! `function-url`) answers over chunked HTTP/1.1: the head from the prelude, then each chunk as
//! the handler writes it (`curl -N` shows server-sent events as they come).

use std::cell::RefCell;
use std::net::SocketAddr;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use http_body_util::BodyExt;
use hyper::body::{Bytes, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;

use crate::app::StreamSink;
use crate::error::Error;
use crate::event::Source;
use crate::request::LambdaContext;
use crate::testing::{TestRequest, build_event, query_pairs};
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
    async fn respond(self: Rc<Self>, request: hyper::Request<Incoming>, peer: SocketAddr) -> hyper::Response<DevBody> {
        let (parts, body) = request.into_parts();
        let body = match body.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(err) => return plain(400, &format!("cannot read the request body: {err}")),
        };
        let event = to_event(self.source, &parts, &body, peer);
        let input = serde_json::to_vec(&event).unwrap_or_default();
        if self.app.streaming && matches!(self.source, Source::RestV1 | Source::FunctionUrl) {
            return self.respond_streaming(input).await;
        }
        let mut workspace = self.pool.borrow_mut().pop().unwrap_or_default();
        let result = self.app.handle_async(&mut workspace, &input, &LambdaContext::LOCAL).await.map(<[u8]>::to_vec);
        self.pool.borrow_mut().push(workspace);
        match result {
            Ok(bytes) => from_response(&bytes),
            Err(err) => plain(500, &format!("the event made from this request was refused: {err}")),
        }
    }

    /// A streaming app's answer: the pipeline runs in a task of its own, which hands the head
    /// over as soon as the prelude is written, then each chunk through a channel of one (a
    /// client that reads slowly holds the handler's next write back).
    async fn respond_streaming(self: Rc<Self>, input: Vec<u8>) -> hyper::Response<DevBody> {
        let (head_sender, head) = tokio::sync::oneshot::channel();
        let (chunks, receiver) = tokio::sync::mpsc::channel(1);
        let shared = self.clone();
        tokio::task::spawn_local(async move {
            let mut workspace = shared.pool.borrow_mut().pop().unwrap_or_default();
            let mut sink = DevSink { head: Some(head_sender), chunks: Some(chunks), receiver: Some(receiver) };
            let handled = shared.app.handle_streaming(&mut workspace, &input, &LambdaContext::LOCAL, &mut sink).await;
            shared.pool.borrow_mut().push(workspace);
            if let (Err(err), Some(head)) = (handled, sink.head.take()) {
                let _ = head.send(plain(500, &format!("the event made from this request was refused: {err}")));
            }
        });
        head.await.unwrap_or_else(|_| plain(500, "the app answered nothing"))
    }
}

/// The dev server's sink: the head to the waiting service, then the chunks to its body.
struct DevSink {
    head: Option<tokio::sync::oneshot::Sender<hyper::Response<DevBody>>>,
    chunks: Option<tokio::sync::mpsc::Sender<Bytes>>,
    receiver: Option<tokio::sync::mpsc::Receiver<Bytes>>,
}

impl StreamSink for DevSink {
    async fn head(&mut self, _: u16, prelude: &[u8]) -> std::io::Result<()> {
        let (Some(head), Some(receiver)) = (self.head.take(), self.receiver.take()) else {
            return Err(std::io::ErrorKind::BrokenPipe.into());
        };
        let response = from_prelude(prelude, DevBody::Channel(receiver));
        head.send(response).map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }

    async fn chunk(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let Some(chunks) = &self.chunks else {
            return Err(std::io::ErrorKind::BrokenPipe.into());
        };
        chunks.send(Bytes::copy_from_slice(bytes)).await.map_err(|_| std::io::ErrorKind::BrokenPipe.into())
    }

    async fn end(&mut self, error: Option<&Error>) -> std::io::Result<()> {
        if let Some(error) = error {
            // HTTP/1.1 has no trailer a browser reads: the body ends where it stopped.
            eprintln!("lambda-router dev server: the stream ended early: {error}");
        }
        self.chunks = None;
        Ok(())
    }

    async fn buffered(&mut self, response: &[u8]) -> std::io::Result<()> {
        match self.head.take() {
            Some(head) => head.send(from_response(response)).map_err(|_| std::io::ErrorKind::BrokenPipe.into()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        }
    }
}

/// A dev server reply's body: whole, or chunks as the app writes them.
pub(crate) enum DevBody {
    Full(Option<Bytes>),
    Channel(tokio::sync::mpsc::Receiver<Bytes>),
}

impl hyper::body::Body for DevBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            DevBody::Full(bytes) => Poll::Ready(bytes.take().map(|bytes| Ok(Frame::data(bytes)))),
            DevBody::Channel(receiver) => receiver.poll_recv(cx).map(|chunk| chunk.map(|bytes| Ok(Frame::data(bytes)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, DevBody::Full(None))
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self {
            DevBody::Full(Some(bytes)) => hyper::body::SizeHint::with_exact(bytes.len() as u64),
            DevBody::Full(None) => hyper::body::SizeHint::with_exact(0),
            DevBody::Channel(_) => hyper::body::SizeHint::default(),
        }
    }
}

fn full(bytes: impl Into<Bytes>) -> DevBody {
    DevBody::Full(Some(bytes.into()))
}

/// The head a prelude describes, over `body`.
fn from_prelude(prelude: &[u8], body: DevBody) -> hyper::Response<DevBody> {
    let Ok(prelude) = serde_json::from_slice::<Value>(prelude) else {
        return plain(500, "the app's prelude is not JSON");
    };
    let mut builder = hyper::Response::builder().status(prelude["statusCode"].as_u64().unwrap_or(500) as u16);
    for (name, value) in prelude["headers"].as_object().into_iter().flatten() {
        match value {
            Value::Array(values) => {
                for value in values {
                    builder = builder.header(name.as_str(), value.as_str().unwrap_or(""));
                }
            }
            value => builder = builder.header(name.as_str(), value.as_str().unwrap_or("")),
        }
    }
    for cookie in prelude["cookies"].as_array().into_iter().flatten() {
        builder = builder.header("set-cookie", cookie.as_str().unwrap_or(""));
    }
    builder.body(body).unwrap_or_else(|err| plain(500, &format!("bad response: {err}")))
}

fn plain(status: u16, text: &str) -> hyper::Response<DevBody> {
    let mut response = hyper::Response::new(full(text.to_owned()));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert("content-type", hyper::header::HeaderValue::from_static("text/plain"));
    response
}

/// Builds the event `source` would send for this request.
fn to_event(source: Source, parts: &hyper::http::request::Parts, body: &[u8], peer: SocketAddr) -> Value {
    let mut request = TestRequest::new(parts.method.as_str(), parts.uri.path()).source_ip(&peer.ip().to_string());
    for (name, value) in query_pairs(parts.uri.query().unwrap_or(""), true) {
        request = request.query(&name, &value);
    }
    for (name, value) in &parts.headers {
        request = request.header(name.as_str(), &String::from_utf8_lossy(value.as_bytes()));
    }
    build_event(source, &request.body(body.to_vec()))
}

/// Turns a Lambda response back into HTTP.
fn from_response(bytes: &[u8]) -> hyper::Response<DevBody> {
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
    builder.body(full(body)).unwrap_or_else(|err| plain(500, &format!("bad response: {err}")))
}
