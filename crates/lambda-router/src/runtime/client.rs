//! An async client of the Lambda Runtime API of our own: `/next`, the response (buffered or
//! streamed, see `streaming`) and the error, on one keep-alive connection with `TCP_NODELAY`,
//! framed by `wire`. It serves streaming functions, one connection per invocation slot.
//!
//! Nothing here allocates per invocation once the buffers and the ids have grown, but an
//! error's JSON.

use std::io::{self, Write as _};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::wire::{self, Head, Ids, Target};
use crate::request::LambdaContext;

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

    /// The context of the invocation `ids`, in this function.
    pub(super) fn context<'a>(&'a self, ids: &'a Ids) -> LambdaContext<'a> {
        LambdaContext {
            request_id: &ids.request_id,
            deadline_ms: ids.deadline_ms,
            function_arn: &ids.function_arn,
            xray_trace_id: ids.trace_id(),
            function_name: &self.function_name,
            function_version: &self.version,
            memory_mb: self.memory_mb,
            log_group: &self.log_group,
            log_stream: &self.log_stream,
        }
    }
}

/// The keep-alive connection to the Runtime API, and its reused buffers.
pub(super) struct Connection {
    stream: TcpStream,
    target: Target,
    /// What was read and not consumed yet.
    read: Vec<u8>,
    /// A frame being written.
    write: Vec<u8>,
    /// The body of an answer to a post, read and dropped.
    answer: Vec<u8>,
}

impl Connection {
    pub(super) async fn open(api: &str) -> io::Result<Connection> {
        let target = Target::new(api);
        let stream = TcpStream::connect(target.host.as_str()).await?;
        // Every chunk goes out as it is written: no waiting for the previous one's ACK.
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream,
            target,
            read: Vec::with_capacity(8192),
            write: Vec::with_capacity(8192),
            answer: Vec::new(),
        })
    }

    /// The next event into `body`, its identity into `ids`.
    pub(super) async fn next(&mut self, body: &mut Vec<u8>, ids: &mut Ids) -> io::Result<()> {
        self.write.clear();
        self.target.next(&mut self.write);
        self.stream.write_all(&self.write).await?;
        let head = self.read_head(Some(ids)).await?;
        if head.status != 200 {
            return Err(io::Error::other(format!("the Runtime API answered /next with {}", head.status)));
        }
        self.read_body(head.length, body).await
    }

    /// Reads a response head; what follows it stays in `read`.
    async fn read_head(&mut self, mut ids: Option<&mut Ids>) -> io::Result<Head> {
        loop {
            if let Some(head) = wire::head(&self.read, ids.as_deref_mut())? {
                self.read.drain(..head.size);
                return Ok(head);
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
        let head = self.read_head(None).await?;
        let mut answer = std::mem::take(&mut self.answer);
        let read = self.read_body(head.length, &mut answer).await;
        if read.is_ok() && !(200..300).contains(&head.status) {
            tracing::error!(status = head.status, body = %String::from_utf8_lossy(&answer), "the Runtime API refused a response");
        }
        self.answer = answer;
        read
    }

    /// Posts a buffered response (the JSON the pipeline wrote) and reads the answer.
    pub(super) async fn post_response(&mut self, ids: &Ids, response: &[u8]) -> io::Result<()> {
        self.post(ids, "response", wire::RESPONSE_HEADERS, response).await
    }

    /// Posts an invocation's error, as `lambda_runtime` does: the type in a header and a JSON
    /// body `{"errorType", "errorMessage"}`.
    pub(super) async fn post_error(&mut self, ids: &Ids, error_type: &str, message: &str) -> io::Result<()> {
        let (headers, body) = wire::error_post(error_type, message);
        self.post(ids, "error", &headers, body.as_bytes()).await
    }

    async fn post(&mut self, ids: &Ids, what: &str, headers: &str, body: &[u8]) -> io::Result<()> {
        self.write.clear();
        self.target.post(&mut self.write, ids, what, headers, body);
        self.stream.write_all(&self.write).await?;
        self.read_answer().await
    }

    /// Sends the head of a streamed post (chunked, its body written by `frames`, its end by
    /// `write_all`).
    pub(super) async fn start_post(&mut self, ids: &Ids, headers: &str) -> io::Result<()> {
        self.write.clear();
        self.target.post_head(&mut self.write, ids, "response", headers);
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
