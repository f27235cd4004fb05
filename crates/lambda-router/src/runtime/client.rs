//! A client of the Lambda Runtime API of our own: `/next`, the response (buffered or streamed,
//! see `streaming`) and the error, on one keep-alive connection with `TCP_NODELAY`, heads
//! read with `httparse`. It serves streaming functions, and functions that run several
//! invocations at once (`invocations`), one connection per invocation slot.
//!
//! Nothing here allocates per invocation once the buffers have grown, but for the invocation's
//! identity (`Invocation`: its request id, ARN and trace id, as `String`s) and an error's JSON.

use std::io::{self, Write as _};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The function's configuration, from the environment Lambda sets.
pub(super) struct Config {
    pub(super) function_name: String,
    pub(super) version: String,
    pub(super) memory_mb: u32,
    pub(super) log_group: String,
    pub(super) log_stream: String,
}

impl Config {
    pub(super) fn from_env() -> Config {
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
pub(super) struct Invocation {
    pub(super) request_id: String,
    pub(super) deadline_ms: u64,
    pub(super) function_arn: String,
    pub(super) trace_id: Option<String>,
}

/// The keep-alive connection to the Runtime API, and its reused buffers.
pub(super) struct Connection {
    stream: TcpStream,
    host: String,
    /// The path the Runtime API is served under: empty in Lambda (`127.0.0.1:9001`); an
    /// emulator may give a URL with one (`http://127.0.0.1:9000/.rt`).
    prefix: String,
    /// What was read and not consumed yet.
    read: Vec<u8>,
    /// A frame being written.
    write: Vec<u8>,
    /// The body of an answer to a post, read and dropped.
    answer: Vec<u8>,
}

impl Connection {
    pub(super) async fn open(api: &str) -> io::Result<Connection> {
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
            answer: Vec::new(),
        })
    }

    /// The next event into `body`.
    pub(super) async fn next(&mut self, body: &mut Vec<u8>) -> io::Result<Invocation> {
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

    /// Reads what the socket has into `read`'s spare capacity (no buffer of its own in the
    /// future's state, nothing zeroed).
    async fn fill(&mut self) -> io::Result<()> {
        self.read.reserve(8192);
        let read = self.stream.read_buf(&mut self.read).await?;
        if read == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(())
    }

    /// Reads the Runtime API's answer to a response or an error post.
    pub(super) async fn read_answer(&mut self) -> io::Result<()> {
        let head = self.read_head().await?;
        let mut answer = std::mem::take(&mut self.answer);
        let read = self.read_body(head.length, &mut answer).await;
        if read.is_ok() && !(200..300).contains(&head.status) {
            tracing::error!(status = head.status, body = %String::from_utf8_lossy(&answer), "the Runtime API refused a response");
        }
        self.answer = answer;
        read
    }

    /// Writes the head of a post to `/invocation/{request_id}/{what}` into `write`, up to and
    /// with `headers` (each line with its CR LF), without the blank line that ends it.
    fn post_head(&mut self, request_id: &str, what: &str, headers: &str) {
        self.write.clear();
        // Into the reused buffer: no allocation once it has grown.
        let _ = write!(
            self.write,
            "POST {}/2018-06-01/runtime/invocation/{request_id}/{what} HTTP/1.1\r\nHost: {}\r\n{headers}",
            self.prefix, self.host
        );
    }

    /// Posts a buffered response (the JSON the pipeline wrote) and reads the answer.
    pub(super) async fn post_response(&mut self, request_id: &str, response: &[u8]) -> io::Result<()> {
        self.post(request_id, "response", "Content-Type: application/json\r\n", response).await
    }

    /// Posts an invocation's error, as `lambda_runtime` does: the type in a header and a JSON
    /// body `{"errorType", "errorMessage"}`.
    pub(super) async fn post_error(&mut self, request_id: &str, error_type: &str, message: &str) -> io::Result<()> {
        let body = serde_json::json!({"errorType": error_type, "errorMessage": message}).to_string();
        let headers = format!("Lambda-Runtime-Function-Error-Type: {error_type}\r\nContent-Type: application/json\r\n");
        self.post(request_id, "error", &headers, body.as_bytes()).await
    }

    async fn post(&mut self, request_id: &str, what: &str, headers: &str, body: &[u8]) -> io::Result<()> {
        self.post_head(request_id, what, headers);
        let _ = write!(self.write, "Content-Length: {}\r\n\r\n", body.len());
        self.write.extend_from_slice(body);
        self.stream.write_all(&self.write).await?;
        self.read_answer().await
    }

    /// Sends the head of a streamed post (chunked, its body written by `frames`, its end by
    /// `write_all`).
    pub(super) async fn start_post(&mut self, request_id: &str, headers: &str) -> io::Result<()> {
        self.post_head(request_id, "response", headers);
        self.write.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
        self.stream.write_all(&self.write).await
    }

    pub(super) async fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes).await
    }

    /// Writes each of `chunks` as a chunked-encoding frame of its own, in one write.
    pub(super) async fn frames(&mut self, chunks: &[&[u8]]) -> io::Result<()> {
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
pub(super) fn split_api(api: &str) -> (&str, &str) {
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_api_is_an_address_or_a_url_with_a_prefix() {
        assert_eq!(super::split_api("127.0.0.1:9001"), ("127.0.0.1:9001", ""));
        assert_eq!(super::split_api("http://127.0.0.1:9000/.rt"), ("127.0.0.1:9000", "/.rt"));
        assert_eq!(super::split_api("http://[::1]:9000/"), ("[::1]:9000", ""));
    }
}
