//! Streamed bodies: a producer future, in the invocation's arena, that writes the body over
//! time through a [`Writer`]; the pipeline drives it and hands each chunk to where the response
//! goes (the Runtime API's chunked POST, the dev server's chunked reply, a test's list), or
//! gathers the chunks into a buffered body where a function does not stream.
//!
//! A write copies its bytes into the stream's buffer (in the arena, reused from chunk to chunk:
//! it grows to the largest chunk, and nothing is allocated per chunk after that) and waits until
//! the pipeline has handed them on. One chunk is in flight at a time: a producer that writes
//! faster than the client reads waits, so memory stays bounded by the largest chunk however long
//! the body is.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use bumpalo::collections::Vec as BumpVec;

use crate::arena::{ArenaFuture, in_arena};
use crate::error::Error;
use crate::request::Request;
use crate::response::{Body, Response};

/// What a producer ends with: `Ok(())`, or the error that ends the stream early.
pub(crate) type Produced = Result<(), Error>;

/// Why a write did not go through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamError {
    /// The client went away (the Runtime API or the connection closed): nothing more is sent.
    /// A producer that gets it should return; the invocation then ends.
    Closed,
    /// A server-sent event's field that the format cannot carry: a line break in `event` or
    /// `id`, or a NUL in `id` (clients ignore such an id).
    InvalidField {
        /// `event` or `id`.
        field: &'static str,
        /// What it held.
        reason: &'static str,
    },
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Closed => f.write_str("the stream's client went away"),
            StreamError::InvalidField { field, reason } => {
                write!(f, "a server-sent event's `{field}` cannot hold {reason}")
            }
        }
    }
}

impl std::error::Error for StreamError {}

/// A stream's state, in the arena: its producer until the pipeline takes it, the chunk being
/// handed on, and the link to the invocation's other streams (all dropped at its end).
pub(crate) struct StreamState<'a> {
    producer: Cell<Option<ArenaFuture<'a, 'a, Produced>>>,
    chunk: RefCell<BumpVec<'a, u8>>,
    /// A chunk waits in `chunk` to be handed on.
    pending: Cell<bool>,
    /// The client went away: every write fails.
    closed: Cell<bool>,
    /// The writer waiting for its chunk to be handed on.
    waker: Cell<Option<Waker>>,
    pub(crate) next: Cell<Option<&'a StreamState<'a>>>,
}

impl fmt::Debug for StreamState<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamState").field("pending", &self.pending.get()).field("closed", &self.closed.get()).finish()
    }
}

impl<'a> StreamState<'a> {
    pub(crate) fn new(bump: &'a bumpalo::Bump) -> StreamState<'a> {
        StreamState {
            producer: Cell::new(None),
            chunk: RefCell::new(BumpVec::new_in(bump)),
            pending: Cell::new(false),
            closed: Cell::new(false),
            waker: Cell::new(None),
            next: Cell::new(None),
        }
    }

    pub(crate) fn set_producer(&self, producer: ArenaFuture<'a, 'a, Produced>) {
        self.producer.set(Some(producer));
    }

    /// The producer, once: the pipeline drives it, or drops it at the invocation's end.
    pub(crate) fn take_producer(&self) -> Option<ArenaFuture<'a, 'a, Produced>> {
        self.producer.take()
    }
}

/// A streamed body: a handle on the producer in the arena. Copying it copies the handle; the
/// body is sent once, by the response the pipeline sends.
#[derive(Clone, Copy)]
pub struct BodyStream<'a> {
    pub(crate) state: &'a StreamState<'a>,
}

impl fmt::Debug for BodyStream<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BodyStream")
    }
}

impl PartialEq for BodyStream<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.state, other.state)
    }
}

impl Eq for BodyStream<'_> {}

/// Writes a streamed body: each [`write`](Writer::write) is a chunk, handed on as it is
/// written (no buffering until some size is reached). Made by
/// [`Request::stream`](crate::Request::stream).
#[derive(Clone, Copy)]
pub struct Writer<'a> {
    state: &'a StreamState<'a>,
}

impl fmt::Debug for Writer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Writer").field("closed", &self.state.closed.get()).finish()
    }
}

impl<'a> Writer<'a> {
    pub(crate) fn new(state: &'a StreamState<'a>) -> Writer<'a> {
        Writer { state }
    }

    /// Sends `bytes` as one chunk; resolves once it has been handed on (to the Runtime API's
    /// connection, say), or with [`StreamError::Closed`] when the client went away. An empty
    /// chunk is not sent.
    pub fn write<'w>(&self, bytes: &'w [u8]) -> Write<'w, 'a> {
        Write { state: self.state, fill: Some(Fill::Bytes(bytes)) }
    }

    /// As [`write`](Self::write), the chunk formatted (`format_args!`) straight into the
    /// stream's buffer.
    pub fn write_fmt<'w>(&self, args: fmt::Arguments<'w>) -> Write<'w, 'a> {
        Write { state: self.state, fill: Some(Fill::Format(args)) }
    }

    /// Whether the client went away.
    pub fn is_closed(&self) -> bool {
        self.state.closed.get()
    }

    pub(crate) fn sse<'w>(&self, event: SseEvent<'w>) -> Write<'w, 'a> {
        Write { state: self.state, fill: Some(Fill::Sse(event)) }
    }
}

enum Fill<'w> {
    Bytes(&'w [u8]),
    Format(fmt::Arguments<'w>),
    Sse(SseEvent<'w>),
}

/// The future of one write ([`Writer::write`]).
#[must_use = "a write sends nothing unless awaited"]
pub struct Write<'w, 'a> {
    state: &'a StreamState<'a>,
    /// What to copy into the buffer; `None` once copied.
    fill: Option<Fill<'w>>,
}

impl fmt::Debug for Write<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Write").field("copied", &self.fill.is_none()).finish()
    }
}

impl Future for Write<'_, '_> {
    type Output = Result<(), StreamError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let state = self.state;
        if state.closed.get() {
            return Poll::Ready(Err(StreamError::Closed));
        }
        if state.pending.get() {
            // Another write's chunk (ours, or a concurrent one's) is being handed on.
            state.waker.set(Some(cx.waker().clone()));
            return Poll::Pending;
        }
        let Some(fill) = self.fill.take() else {
            // Ours was handed on.
            return Poll::Ready(Ok(()));
        };
        let mut chunk = state.chunk.borrow_mut();
        chunk.clear();
        match fill {
            Fill::Bytes(bytes) => chunk.extend_from_slice(bytes),
            Fill::Format(args) => {
                let _ = fmt::Write::write_fmt(&mut Utf8Sink(&mut chunk), args);
            }
            Fill::Sse(event) => {
                if let Err(error) = event.write_into(&mut chunk) {
                    chunk.clear();
                    return Poll::Ready(Err(error));
                }
            }
        }
        if chunk.is_empty() {
            return Poll::Ready(Ok(()));
        }
        state.pending.set(true);
        state.waker.set(Some(cx.waker().clone()));
        Poll::Pending
    }
}

struct Utf8Sink<'v, 'a>(&'v mut BumpVec<'a, u8>);

impl fmt::Write for Utf8Sink<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// A server-sent event (`text/event-stream`), written as the format requires: `event:`, `id:`,
/// `retry:`, then one `data:` line per line of the data (a `\r\n`, `\r` or `\n` in it starts a
/// new `data:` line, which the client joins back with `\n`), then a blank line.
///
/// ```
/// use lambda_router::SseEvent;
/// let event = SseEvent::data("one\ntwo").event("token").id("7").retry(3000);
/// assert_eq!(event.to_string(), "event: token\nid: 7\nretry: 3000\ndata: one\ndata: two\n\n");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SseEvent<'e> {
    data: &'e str,
    event: Option<&'e str>,
    id: Option<&'e str>,
    retry: Option<u64>,
}

impl<'e> SseEvent<'e> {
    /// An event carrying `data` (an empty string is an event with empty data).
    pub const fn data(data: &'e str) -> SseEvent<'e> {
        SseEvent { data, event: None, id: None, retry: None }
    }

    /// `event: name`, the type a client's `addEventListener(name)` receives.
    pub const fn event(mut self, name: &'e str) -> SseEvent<'e> {
        self.event = Some(name);
        self
    }

    /// `id: id`, which the client sends back as `Last-Event-ID` when it reconnects.
    pub const fn id(mut self, id: &'e str) -> SseEvent<'e> {
        self.id = Some(id);
        self
    }

    /// `retry: ms`, the client's reconnection delay.
    pub const fn retry(mut self, ms: u64) -> SseEvent<'e> {
        self.retry = Some(ms);
        self
    }

    fn check(&self) -> Result<(), StreamError> {
        let breaks = |text: &str| text.bytes().any(|b| b == b'\r' || b == b'\n');
        if self.event.is_some_and(breaks) {
            return Err(StreamError::InvalidField { field: "event", reason: "a line break" });
        }
        if self.id.is_some_and(breaks) {
            return Err(StreamError::InvalidField { field: "id", reason: "a line break" });
        }
        if self.id.is_some_and(|id| id.contains('\0')) {
            return Err(StreamError::InvalidField { field: "id", reason: "a NUL character" });
        }
        Ok(())
    }

    fn write_into(&self, out: &mut BumpVec<'_, u8>) -> Result<(), StreamError> {
        self.check()?;
        let mut sink = Utf8Sink(out);
        let _ = fmt::Write::write_fmt(&mut sink, format_args!("{self}"));
        Ok(())
    }
}

impl fmt::Display for SseEvent<'_> {
    /// The event's lines. A field that cannot be written (see [`StreamError::InvalidField`]) is
    /// left out here; a write refuses the event instead.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let valid = self.check().is_ok();
        if let Some(event) = self.event.filter(|_| valid) {
            writeln!(f, "event: {event}")?;
        }
        if let Some(id) = self.id.filter(|_| valid) {
            writeln!(f, "id: {id}")?;
        }
        if let Some(retry) = self.retry {
            writeln!(f, "retry: {retry}")?;
        }
        for line in lines(self.data) {
            writeln!(f, "data: {line}")?;
        }
        f.write_str("\n")
    }
}

/// The lines of `text` as the event-stream format splits them: at `\r\n`, `\r` or `\n`. An
/// empty text is one empty line.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.find(['\r', '\n']) {
            None => {
                rest = None;
                Some(text)
            }
            Some(at) => {
                let skip = if text[at..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&text[at + skip..]);
                Some(&text[..at])
            }
        }
    })
}

/// Writes server-sent events: [`Request::sse`](crate::Request::sse) makes one.
#[derive(Debug, Clone, Copy)]
pub struct Sse<'a> {
    writer: Writer<'a>,
}

impl<'a> Sse<'a> {
    pub(crate) fn new(writer: Writer<'a>) -> Sse<'a> {
        Sse { writer }
    }

    /// Sends `event` as one chunk. An event whose `event` or `id` the format cannot carry is
    /// refused with [`StreamError::InvalidField`], and nothing is sent.
    pub fn send<'w>(&self, event: SseEvent<'w>) -> Write<'w, 'a> {
        self.writer.sse(event)
    }

    /// Sends an event carrying only `data`.
    pub fn data<'w>(&self, data: &'w str) -> Write<'w, 'a> {
        self.writer.sse(SseEvent::data(data))
    }

    /// The writer underneath, for comments (`: keep-alive\n\n`) and other raw lines.
    pub fn writer(&self) -> Writer<'a> {
        self.writer
    }
}

impl<'a> Request<'a> {
    /// A streamed body, written by `produce` through the [`Writer`] it gets: each write is a
    /// chunk, sent as it is written when the function streams
    /// ([`App::streaming`](crate::App::streaming)), gathered into one body otherwise (`--event`,
    /// tests, a buffered function). The producer's future lives in the invocation's arena; it
    /// may await anything between writes (an SDK stream, a timer).
    ///
    /// Middleware, CORS headers and cookies apply as to any response; a streamed body is not
    /// compressed. An error the producer returns after the first chunk ends the stream with the
    /// Runtime API's error trailers; a panic likewise.
    ///
    /// ```
    /// use lambda_router::{Error, Request, Response};
    /// async fn export<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    ///     let rows: u32 = req.query_param("rows").and_then(|n| n.parse().ok()).unwrap_or(3);
    ///     let body = req.stream(move |out| async move {
    ///         for i in 0..rows {
    ///             out.write_fmt(format_args!("{i},row-{i},{}\n", 7 * i)).await?;
    ///         }
    ///         Ok(())
    ///     });
    ///     Ok(Response::new(200).with_content_type("text/csv").with_body(body))
    /// }
    /// ```
    pub fn stream<F, Fut>(&self, produce: F) -> Body<'a>
    where
        F: FnOnce(Writer<'a>) -> Fut,
        Fut: Future<Output = Result<(), Error>> + 'a,
    {
        let state: &'a StreamState<'a> = self.arena.alloc(StreamState::new(self.arena));
        let future = produce(Writer::new(state));
        state.set_producer(in_arena(self.memory, future));
        state.next.set(self.streams.get());
        self.streams.set(Some(state));
        Body::Stream(BodyStream { state })
    }

    /// A `200` of server-sent events (`text/event-stream`, `Cache-Control: no-cache`), written
    /// by `produce` through [`Sse`] (see [`stream`](Self::stream)).
    ///
    /// ```
    /// use lambda_router::{Error, Request, Response, SseEvent};
    /// async fn chat<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    ///     Ok(req.sse(|events| async move {
    ///         events.data("hello").await?;
    ///         events.send(SseEvent::data("multi\nline").event("note").id("2")).await?;
    ///         Ok(())
    ///     }))
    /// }
    /// ```
    pub fn sse<F, Fut>(&self, produce: F) -> Response<'a>
    where
        F: FnOnce(Sse<'a>) -> Fut,
        Fut: Future<Output = Result<(), Error>> + 'a,
    {
        Response::new(200)
            .with_content_type("text/event-stream")
            .header("Cache-Control", "no-cache")
            .with_body(self.stream(|writer| produce(Sse::new(writer))))
    }
}

/// What the driver got from the producer.
pub(crate) enum Step {
    /// A chunk waits in the state's buffer ([`Driver::chunk`]); call [`Driver::sent`] once it
    /// has been handed on.
    Chunk,
    /// The producer returned.
    Done(Produced),
}

/// Drives a producer: the pipeline's side of a stream.
pub(crate) struct Driver<'a> {
    state: &'a StreamState<'a>,
    producer: Option<ArenaFuture<'a, 'a, Produced>>,
    /// What the producer returned with its last chunk still to hand on.
    done: Option<Produced>,
}

impl<'a> Driver<'a> {
    /// The driver of `stream`, if its producer was not taken already (a body is sent once).
    pub(crate) fn new(stream: BodyStream<'a>) -> Option<Driver<'a>> {
        let producer = stream.state.take_producer()?;
        Some(Driver { state: stream.state, producer: Some(producer), done: None })
    }

    /// The next chunk, or the producer's end. A panic in the producer is its error.
    pub(crate) async fn step(&mut self) -> Step {
        std::future::poll_fn(|cx| self.poll_step(cx)).await
    }

    fn poll_step(&mut self, cx: &mut Context<'_>) -> Poll<Step> {
        if self.state.pending.get() {
            return Poll::Ready(Step::Chunk);
        }
        if let Some(done) = self.done.take() {
            return Poll::Ready(Step::Done(done));
        }
        let Some(producer) = self.producer.as_mut() else {
            return Poll::Ready(Step::Done(Ok(())));
        };
        let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| producer.poll(cx)));
        let outcome = match polled {
            Ok(Poll::Pending) if self.state.pending.get() => return Poll::Ready(Step::Chunk),
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(outcome)) => outcome,
            Err(panic) => Err(Error::panic(panic)),
        };
        // Finished (or panicked): dropped now, in place.
        self.producer = None;
        if self.state.pending.get() {
            self.done = Some(outcome);
            return Poll::Ready(Step::Chunk);
        }
        Poll::Ready(Step::Done(outcome))
    }

    /// The chunk waiting to be handed on.
    pub(crate) fn chunk(&self) -> std::cell::Ref<'_, [u8]> {
        std::cell::Ref::map(self.state.chunk.borrow(), |chunk| &chunk[..])
    }

    /// The chunk was handed on: its write resolves.
    pub(crate) fn sent(&mut self) {
        self.state.pending.set(false);
        if let Some(waker) = self.state.waker.take() {
            waker.wake();
        }
    }

    /// The client went away: every write fails from now on, and the producer is dropped.
    pub(crate) fn close(&mut self) {
        self.state.closed.set(true);
        self.state.pending.set(false);
        self.state.waker.take();
        self.producer = None;
    }
}

/// Drops every producer of the invocation's streams still in the arena (a stream made and not
/// returned, or returned by a response the pipeline did not send), in place.
pub(crate) fn drop_all(mut head: Option<&StreamState<'_>>) {
    while let Some(state) = head {
        drop(state.take_producer());
        state.waker.take();
        head = state.next.get();
    }
}

#[cfg(test)]
mod tests {
    use super::{SseEvent, lines};

    #[test]
    fn data_lines_split_at_every_line_break() {
        assert_eq!(lines("").collect::<Vec<_>>(), [""]);
        assert_eq!(lines("a").collect::<Vec<_>>(), ["a"]);
        assert_eq!(lines("a\nb\rc\r\nd").collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        assert_eq!(lines("\n").collect::<Vec<_>>(), ["", ""]);
        assert_eq!(lines("a\r\n\r\n").collect::<Vec<_>>(), ["a", "", ""]);
        assert_eq!(lines("\r\r\n\n").collect::<Vec<_>>(), ["", "", "", ""]);
    }

    #[test]
    fn an_event_is_its_fields_then_data_lines_then_a_blank_line() {
        assert_eq!(SseEvent::data("").to_string(), "data: \n\n");
        assert_eq!(SseEvent::data("token-0").to_string(), "data: token-0\n\n");
        assert_eq!(SseEvent::data("a\r\nb").event("e").to_string(), "event: e\ndata: a\ndata: b\n\n");
        // A NUL in data is carried as it is (the format allows any character but CR and LF).
        assert_eq!(SseEvent::data("a\0b").to_string(), "data: a\0b\n\n");
    }

    #[test]
    fn fields_the_format_cannot_carry_are_refused() {
        for (event, field) in [
            (SseEvent::data("x").event("a\nb"), "event"),
            (SseEvent::data("x").event("a\rb"), "event"),
            (SseEvent::data("x").id("1\n2"), "id"),
            (SseEvent::data("x").id("1\u{0}2"), "id"),
        ] {
            match event.check() {
                Err(super::StreamError::InvalidField { field: got, .. }) => assert_eq!(got, field, "{event:?}"),
                other => panic!("{event:?}: {other:?}"),
            }
        }
        assert!(SseEvent::data("x").event("a\0b").check().is_ok(), "a NUL is only an id's problem");
    }
}
