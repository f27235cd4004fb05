//! A streaming function's answer, recorded as a client sees it: the prelude, then each chunk
//! with its boundaries and the time it arrived, then how the stream ended.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::{TestEvent, TestResponse, fake_context};
use crate::app::StreamSink;
use crate::error::Error;
use crate::event::EventError;
use crate::{App, Workspace};

/// What a streaming function sent for one event ([`TestEvent::stream`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TestStream {
    /// The prelude (`statusCode`, `headers`, `cookies`); `Null` for a source that cannot stream
    /// (see [`buffered`](Self::buffered)).
    pub prelude: Value,
    /// The prelude's bytes as sent (without the eight NUL bytes after it).
    pub prelude_bytes: Vec<u8>,
    /// The body's chunks, in order, each as it was handed on.
    pub chunks: Vec<Vec<u8>>,
    /// When each chunk arrived, from the start of the invocation.
    pub arrived: Vec<Duration>,
    /// The error that ended the stream after the prelude (the Runtime API's error trailers).
    pub error: Option<String>,
    /// Whether the stream was ended (cleanly or with the error).
    pub ended: bool,
    /// The buffered response, for a source that cannot stream (HTTP API v2, ALB, VPC Lattice,
    /// agents).
    pub buffered: Option<TestResponse>,
}

impl TestStream {
    /// The status in the prelude (or the buffered response's).
    pub fn status(&self) -> u16 {
        match &self.buffered {
            Some(response) => response.status(),
            None => self.prelude["statusCode"].as_u64().unwrap_or(0) as u16,
        }
    }

    /// A header of the prelude (names are lowercase there).
    pub fn header(&self, name: &str) -> Option<&str> {
        match &self.prelude["headers"][name.to_ascii_lowercase()] {
            Value::String(value) => Some(value),
            Value::Array(values) => values.first().and_then(Value::as_str),
            _ => None,
        }
    }

    /// The body: every chunk, joined.
    pub fn body(&self) -> Vec<u8> {
        self.chunks.concat()
    }

    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body()).into_owned()
    }
}

impl TestEvent {
    /// Runs this event through `app` as a streaming function would
    /// ([`App::streaming`](crate::App::streaming)), on the caller's executor (a tokio test, for
    /// handlers that use timers), recording the prelude and each chunk as it is handed on.
    pub async fn stream(&self, app: &App) -> Result<TestStream, EventError> {
        self.stream_in(app, &mut Workspace::new()).await
    }

    /// As [`stream`](Self::stream), in a workspace the caller keeps (as the runtime keeps one
    /// from invocation to invocation).
    pub async fn stream_in(&self, app: &App, workspace: &mut Workspace) -> Result<TestStream, EventError> {
        let mut sink = Recorder { started: Instant::now(), stream: TestStream::default(), gone_after: None };
        app.handle_streaming(workspace, &self.to_bytes(), &fake_context(), &mut sink).await?;
        Ok(sink.stream)
    }

    /// As [`stream_in`](Self::stream_in), keeping only how many chunks and bytes arrived (the
    /// sink itself allocates nothing per chunk: for allocation counts).
    pub async fn stream_counting(&self, app: &App, workspace: &mut Workspace) -> Result<(usize, usize), EventError> {
        let mut counter = Counter::default();
        app.handle_streaming(workspace, &self.to_bytes(), &fake_context(), &mut counter).await?;
        Ok((counter.chunks, counter.bytes))
    }

    /// As [`stream`](Self::stream), with a client that goes away once it has read `chunks`
    /// chunks: the next chunk's write fails.
    pub async fn stream_until(
        &self,
        app: &App,
        workspace: &mut Workspace,
        chunks: usize,
    ) -> Result<TestStream, EventError> {
        let mut sink = Recorder { started: Instant::now(), stream: TestStream::default(), gone_after: Some(chunks) };
        app.handle_streaming(workspace, &self.to_bytes(), &fake_context(), &mut sink).await?;
        Ok(sink.stream)
    }
}

impl Default for TestStream {
    fn default() -> TestStream {
        TestStream {
            prelude: Value::Null,
            prelude_bytes: Vec::new(),
            chunks: Vec::new(),
            arrived: Vec::new(),
            error: None,
            ended: false,
            buffered: None,
        }
    }
}

#[derive(Default)]
struct Counter {
    chunks: usize,
    bytes: usize,
}

impl StreamSink for Counter {
    async fn head(&mut self, _: u16, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }

    async fn chunk(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.chunks += 1;
        self.bytes += bytes.len();
        Ok(())
    }

    async fn end(&mut self, _: Option<&Error>) -> std::io::Result<()> {
        Ok(())
    }

    async fn buffered(&mut self, response: &[u8]) -> std::io::Result<()> {
        self.bytes += response.len();
        Ok(())
    }
}

struct Recorder {
    started: Instant,
    stream: TestStream,
    /// The client goes away after this many chunks.
    gone_after: Option<usize>,
}

impl StreamSink for Recorder {
    async fn head(&mut self, _: u16, prelude: &[u8]) -> std::io::Result<()> {
        self.stream.prelude = serde_json::from_slice(prelude).unwrap_or(Value::Null);
        self.stream.prelude_bytes = prelude.to_vec();
        Ok(())
    }

    async fn chunk(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if self.gone_after.is_some_and(|after| self.stream.chunks.len() >= after) {
            return Err(std::io::ErrorKind::BrokenPipe.into());
        }
        self.stream.chunks.push(bytes.to_vec());
        self.stream.arrived.push(self.started.elapsed());
        Ok(())
    }

    async fn end(&mut self, error: Option<&Error>) -> std::io::Result<()> {
        self.stream.error = error.map(ToString::to_string);
        self.stream.ended = true;
        Ok(())
    }

    async fn buffered(&mut self, response: &[u8]) -> std::io::Result<()> {
        self.stream.buffered = Some(TestResponse(serde_json::from_slice(response).unwrap_or(Value::Null)));
        Ok(())
    }
}
