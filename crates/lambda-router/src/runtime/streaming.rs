//! A streaming function's runtime loop (`App::streaming`): `/next`, the pipeline, and the answer
//! posted to the Runtime API as it is written, on one keep-alive connection with `TCP_NODELAY`.
//!
//! Why not `lambda_runtime`'s streaming API: its client (hyper's `HttpConnector::new()`) leaves
//! Nagle's algorithm on, and a stream is a run of small writes. After the request head, each
//! chunk waits for the Runtime API to acknowledge the previous segment, which a receiver that
//! has nothing to send delays by up to 40 ms: the first SSE frame of a lambda_http + axum
//! function arrives about 44 ms after the event, and tokens written 10 ms apart arrive in
//! bunches. Its streamed body is also a `'static + Send` stream fed through two channels, a
//! copy and an allocation per chunk. Here a chunk goes from the stream's buffer to the socket in
//! one write (its chunked-encoding frame around it), with nothing allocated per chunk once the
//! buffers have grown.
//!
//! The wire format is the Runtime API's (the Lambda developer guide, "Custom runtimes",
//! response streaming): `Lambda-Runtime-Function-Response-Mode: streaming`, chunked transfer
//! encoding, the prelude and eight NUL bytes first (content type
//! `application/vnd.awslambda.http-integration-response`), and a failure after the first byte
//! reported in the `Lambda-Runtime-Function-Error-Type` and `-Body` trailers. Response heads
//! are read with `httparse`.
//!
//! Unlike `lambda_runtime`'s loop, this one does not set `_X_AMZN_TRACE_ID` per invocation:
//! `std::env::set_var` is `unsafe` (edition 2024) because another thread may read the
//! environment meanwhile, which a program's own threads may. The trace id is the context's
//! (`LambdaContext::xray_trace_id`). One invocation at a time, whatever
//! `AWS_LAMBDA_MAX_CONCURRENCY` says (a warning at start when it asks for more).

use std::io::{self, Write as _};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::app::StreamSink;
use crate::error::Error;
use crate::request::LambdaContext;
use crate::response::prelude::DELIMITER;
use crate::{App, Workspace};

/// Serves invocations until the Runtime API goes away.
pub(super) fn serve(#[allow(unused_mut)] mut app: App) -> io::Result<()> {
    #[cfg(feature = "graceful-shutdown")]
    let shutdown = app.shutdown.take();
    let api =
        std::env::var("AWS_LAMBDA_RUNTIME_API").map_err(|_| io::Error::other("AWS_LAMBDA_RUNTIME_API is not set"))?;
    let config = Config::from_env();
    if std::env::var("AWS_LAMBDA_MAX_CONCURRENCY").ok().and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| n > 1) {
        tracing::warn!(
            "a streaming function serves one invocation at a time; AWS_LAMBDA_MAX_CONCURRENCY is not honoured"
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        // Before the first `/next`: the extension must register in the Init phase.
        #[cfg(feature = "graceful-shutdown")]
        if let Some(hook) = shutdown {
            lambda_runtime::spawn_graceful_shutdown_handler(hook).await;
        }
        let mut connection = Connection::open(&api).await?;
        let mut workspace = Workspace::new();
        let mut event = Vec::new();
        loop {
            let invocation = match connection.next(&mut event).await {
                Ok(invocation) => invocation,
                Err(error) => {
                    // The connection went away between invocations: one new one, once.
                    tracing::debug!("reconnecting to the Runtime API: {error}");
                    connection = Connection::open(&api).await?;
                    connection.next(&mut event).await?
                }
            };
            let context = LambdaContext {
                request_id: &invocation.request_id,
                deadline_ms: invocation.deadline_ms,
                function_arn: &invocation.function_arn,
                xray_trace_id: invocation.trace_id.as_deref(),
                function_name: &config.function_name,
                function_version: &config.version,
                memory_mb: config.memory_mb,
                log_group: &config.log_group,
                log_stream: &config.log_stream,
            };
            let mut sink = Post { connection: &mut connection, request_id: &invocation.request_id, started: false };
            let handled = app.handle_streaming(&mut workspace, &event, &context, &mut sink).await;
            let started = sink.started;
            let posted = match handled {
                Ok(()) if started => connection.read_answer().await,
                Ok(()) => Ok(()),
                Err(error) => {
                    let path = format!("/2018-06-01/runtime/invocation/{}/error", invocation.request_id);
                    connection.post_error(&path, "LambdaRouter.InvalidEvent", &error.to_string()).await
                }
            };
            if let Err(error) = posted {
                // The client went away mid-stream (the Runtime API closed the connection), or the
                // answer could not be read: the next invocation gets a new connection.
                tracing::warn!(request_id = %invocation.request_id, "the Runtime API connection ended: {error}");
                connection = Connection::open(&api).await?;
            }
        }
    })
}

/// The function's configuration, from the environment Lambda sets.
struct Config {
    function_name: String,
    version: String,
    memory_mb: u32,
    log_group: String,
    log_stream: String,
}

impl Config {
    fn from_env() -> Config {
        let var = |name| std::env::var(name).unwrap_or_default();
        Config {
            function_name: var("AWS_LAMBDA_FUNCTION_NAME"),
            version: var("AWS_LAMBDA_FUNCTION_VERSION"),
            memory_mb: var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").parse().unwrap_or(0),
            log_group: var("AWS_LAMBDA_LOG_GROUP_NAME"),
            log_stream: var("AWS_LAMBDA_LOG_STREAM_NAME"),
        }
    }
}

/// One invocation's identity, from `/next`'s headers.
struct Invocation {
    request_id: String,
    deadline_ms: u64,
    function_arn: String,
    trace_id: Option<String>,
}

/// The keep-alive connection to the Runtime API, and its reused buffers.
struct Connection {
    stream: TcpStream,
    host: String,
    /// The path the Runtime API is served under: empty in Lambda (`127.0.0.1:9001`); an
    /// emulator may give a URL with one (`http://127.0.0.1:9000/.rt`).
    prefix: String,
    /// What was read and not consumed yet.
    read: Vec<u8>,
    /// A frame being written.
    write: Vec<u8>,
}

impl Connection {
    async fn open(api: &str) -> io::Result<Connection> {
        let (host, prefix) = split_api(api);
        let stream = TcpStream::connect(host).await?;
        // Every chunk goes out as it is written: no waiting for the previous one's ACK.
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream,
            host: host.to_owned(),
            prefix: prefix.to_owned(),
            read: Vec::with_capacity(8192),
            write: Vec::with_capacity(8192),
        })
    }

    /// The next event into `body`.
    async fn next(&mut self, body: &mut Vec<u8>) -> io::Result<Invocation> {
        self.write.clear();
        self.write.extend_from_slice(b"GET ");
        self.write.extend_from_slice(self.prefix.as_bytes());
        self.write.extend_from_slice(b"/2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: ");
        self.write.extend_from_slice(self.host.as_bytes());
        self.write.extend_from_slice(b"\r\n\r\n");
        self.stream.write_all(&self.write).await?;
        let head = self.read_head().await?;
        if head.status != 200 {
            return Err(io::Error::other(format!("the Runtime API answered /next with {}", head.status)));
        }
        self.read_body(head.length, body).await?;
        let request_id =
            head.request_id.ok_or_else(|| io::Error::other("/next without Lambda-Runtime-Aws-Request-Id"))?;
        Ok(Invocation {
            request_id,
            deadline_ms: head.deadline_ms,
            function_arn: head.function_arn.unwrap_or_default(),
            trace_id: head.trace_id,
        })
    }

    /// Reads a response head; what follows it stays in `read`.
    async fn read_head(&mut self) -> io::Result<Head> {
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut response = httparse::Response::new(&mut headers);
            match response.parse(&self.read) {
                Ok(httparse::Status::Complete(len)) => {
                    let head = Head::read(&response)?;
                    self.read.drain(..len);
                    return Ok(head);
                }
                Ok(httparse::Status::Partial) => {}
                Err(error) => return Err(io::Error::new(io::ErrorKind::InvalidData, error)),
            }
            self.fill().await?;
        }
    }

    async fn read_body(&mut self, length: usize, body: &mut Vec<u8>) -> io::Result<()> {
        while self.read.len() < length {
            self.fill().await?;
        }
        body.clear();
        body.extend_from_slice(&self.read[..length]);
        self.read.drain(..length);
        Ok(())
    }

    async fn fill(&mut self) -> io::Result<()> {
        let mut chunk = [0u8; 8192];
        let read = self.stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.read.extend_from_slice(&chunk[..read]);
        Ok(())
    }

    /// Reads the Runtime API's answer to a response or an error post.
    async fn read_answer(&mut self) -> io::Result<()> {
        let head = self.read_head().await?;
        let mut body = Vec::new();
        self.read_body(head.length, &mut body).await?;
        if !(200..300).contains(&head.status) {
            tracing::error!(status = head.status, body = %String::from_utf8_lossy(&body), "the Runtime API refused a response");
        }
        Ok(())
    }

    async fn post(&mut self, path: &str, headers: &str, body: &[u8]) -> io::Result<()> {
        self.write.clear();
        let head =
            format!("POST {path} HTTP/1.1\r\nHost: {}\r\n{headers}Content-Length: {}\r\n\r\n", self.host, body.len());
        self.write.extend_from_slice(head.as_bytes());
        self.write.extend_from_slice(body);
        self.stream.write_all(&self.write).await?;
        self.read_answer().await
    }

    async fn post_error(&mut self, path: &str, error_type: &str, message: &str) -> io::Result<()> {
        let body = serde_json::json!({"errorType": error_type, "errorMessage": message}).to_string();
        let headers = format!("Lambda-Runtime-Function-Error-Type: {error_type}\r\nContent-Type: application/json\r\n");
        self.post(path, &headers, body.as_bytes()).await
    }

    /// Writes each of `chunks` as a chunked-encoding frame of its own, in one write.
    async fn frames(&mut self, chunks: &[&[u8]]) -> io::Result<()> {
        self.write.clear();
        for chunk in chunks {
            // Into the reused buffer: no allocation once it has grown.
            let _ = write!(self.write, "{:x}\r\n", chunk.len());
            self.write.extend_from_slice(chunk);
            self.write.extend_from_slice(b"\r\n");
        }
        self.stream.write_all(&self.write).await
    }
}

/// The Runtime API's address and path prefix, from `AWS_LAMBDA_RUNTIME_API`: `host:port` as
/// Lambda sets it, or a URL (`http://host:port/prefix`) as emulators do.
fn split_api(api: &str) -> (&str, &str) {
    let api = api.strip_prefix("http://").unwrap_or(api);
    match api.find('/') {
        Some(at) => (&api[..at], api[at..].trim_end_matches('/')),
        None => (api, ""),
    }
}

/// What the Runtime API's response heads carry.
struct Head {
    status: u16,
    length: usize,
    request_id: Option<String>,
    deadline_ms: u64,
    function_arn: Option<String>,
    trace_id: Option<String>,
}

impl Head {
    fn read(response: &httparse::Response<'_, '_>) -> io::Result<Head> {
        let mut head = Head {
            status: response.code.unwrap_or(0),
            length: 0,
            request_id: None,
            deadline_ms: 0,
            function_arn: None,
            trace_id: None,
        };
        for header in response.headers.iter() {
            let value = || std::str::from_utf8(header.value).ok().map(str::to_owned);
            let name = header.name;
            if name.eq_ignore_ascii_case("content-length") {
                head.length = value()
                    .and_then(|v| v.trim().parse().ok())
                    .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "a bad Content-Length"))?;
            } else if name.eq_ignore_ascii_case("lambda-runtime-aws-request-id") {
                head.request_id = value();
            } else if name.eq_ignore_ascii_case("lambda-runtime-deadline-ms") {
                head.deadline_ms = value().and_then(|v| v.parse().ok()).unwrap_or(0);
            } else if name.eq_ignore_ascii_case("lambda-runtime-invoked-function-arn") {
                head.function_arn = value();
            } else if name.eq_ignore_ascii_case("lambda-runtime-trace-id") {
                head.trace_id = value();
            }
        }
        Ok(head)
    }
}

/// One invocation's answer, posted as it is written.
struct Post<'c> {
    connection: &'c mut Connection,
    request_id: &'c str,
    /// The streamed post's head went out: its end and the Runtime API's answer must follow.
    started: bool,
}

impl StreamSink for Post<'_> {
    async fn head(&mut self, _: u16, prelude: &[u8]) -> io::Result<()> {
        let connection = &mut *self.connection;
        let head = format!(
            "POST {}/2018-06-01/runtime/invocation/{}/response HTTP/1.1\r\nHost: {}\r\n\
             Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n\
             Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\
             Content-Type: application/vnd.awslambda.http-integration-response\r\n\r\n",
            connection.prefix, self.request_id, connection.host
        );
        connection.stream.write_all(head.as_bytes()).await?;
        self.started = true;
        // The prelude and the delimiter as two chunks, as lambda_runtime sends them: Lambda reads
        // the stream for the delimiter, but an emulator (cargo-lambda's) reads them frame by frame.
        connection.frames(&[prelude, &DELIMITER]).await
    }

    async fn chunk(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.connection.frames(&[bytes]).await
    }

    async fn end(&mut self, error: Option<&Error>) -> io::Result<()> {
        let end = match error {
            None => "0\r\n\r\n".to_owned(),
            Some(error) => format!(
                "0\r\nLambda-Runtime-Function-Error-Type: Runtime.StreamError\r\nLambda-Runtime-Function-Error-Body: {}\r\n\r\n",
                base64_simd::STANDARD.encode_to_string(error.to_string())
            ),
        };
        self.connection.stream.write_all(end.as_bytes()).await
    }

    async fn buffered(&mut self, response: &[u8]) -> io::Result<()> {
        let path = format!("/2018-06-01/runtime/invocation/{}/response", self.request_id);
        self.connection.post(&path, "Content-Type: application/json\r\n", response).await
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncReadExt;

    use super::{Connection, Post};
    use crate::ServiceError;
    use crate::app::StreamSink;
    use crate::error::Error;

    /// The bytes a streamed answer puts on the wire: the POST head, the prelude and its NULs as
    /// two chunks, each body chunk framed, then the end, with the error trailers when it failed.
    async fn wire(error: Option<Error>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let api = listener.local_addr().unwrap().to_string();
        let reader = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut all = Vec::new();
            socket.read_to_end(&mut all).await.unwrap();
            all
        });
        let mut connection = Connection::open(&api).await.unwrap();
        let mut post = Post { connection: &mut connection, request_id: "abc-123", started: false };
        post.head(200, br#"{"statusCode":200}"#).await.unwrap();
        post.chunk(b"data: one\n\n").await.unwrap();
        post.chunk(&[b'x'; 300]).await.unwrap();
        post.end(error.as_ref()).await.unwrap();
        assert!(post.started);
        drop(connection);
        String::from_utf8(reader.await.unwrap()).unwrap()
    }

    #[tokio::test]
    async fn a_stream_is_a_chunked_post_with_the_prelude_first() {
        let host = "127.0.0.1";
        let wire = wire(None).await;
        let (head, body) = wire.split_once("\r\n\r\n").unwrap();
        assert!(
            head.starts_with("POST /2018-06-01/runtime/invocation/abc-123/response HTTP/1.1\r\nHost: 127.0.0.1:"),
            "{head}"
        );
        assert!(head.contains(host));
        for line in [
            "Lambda-Runtime-Function-Response-Mode: streaming",
            "Transfer-Encoding: chunked",
            "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body",
            "Content-Type: application/vnd.awslambda.http-integration-response",
        ] {
            assert!(head.contains(line), "{line} in {head}");
        }
        let prelude = format!("12\r\n{{\"statusCode\":200}}\r\n8\r\n{}\r\n", "\0".repeat(8));
        let expected = format!("{prelude}b\r\ndata: one\n\n\r\n12c\r\n{}\r\n0\r\n\r\n", "x".repeat(300));
        assert_eq!(body, expected);
    }

    #[tokio::test]
    async fn a_failure_after_the_prelude_is_reported_in_the_trailers() {
        let wire = wire(Some(ServiceError::bad_gateway("upstream broke").into())).await;
        let end = wire.rsplit_once("\r\n0\r\n").unwrap().1;
        // base64("502 upstream broke")
        assert_eq!(
            end,
            "Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\n\
             Lambda-Runtime-Function-Error-Body: NTAyIHVwc3RyZWFtIGJyb2tl\r\n\r\n"
        );
    }

    #[test]
    fn the_api_is_an_address_or_a_url_with_a_prefix() {
        assert_eq!(super::split_api("127.0.0.1:9001"), ("127.0.0.1:9001", ""));
        assert_eq!(super::split_api("http://127.0.0.1:9000/.rt"), ("127.0.0.1:9000", "/.rt"));
        assert_eq!(super::split_api("http://[::1]:9000/"), ("[::1]:9000", ""));
    }
}
