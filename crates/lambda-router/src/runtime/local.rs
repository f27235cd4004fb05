//! Local invocation: events from a file or stdin, one response line each on stdout.
//!
//! This mode is how the project is checked from outside (the conformance suite, allocation
//! counting across the C boundary), so its loop reuses its input line, its workspace and its
//! output: a stream of events allocates nothing per event once warm.

use std::future::Future;
use std::io::{Read, Write};

use smallvec::SmallVec;

use crate::event::EventError;
use crate::request::LambdaContext;
use crate::response::encode;
use crate::{App, Workspace};

/// Handles every event of `source` (`-` for stdin); returns the exit code.
pub(super) fn run_events(app: &App, source: &str) -> i32 {
    // Async handlers may need tokio (timers, sockets): the events run inside a current-thread
    // runtime, entered for the whole loop.
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("lambda-router: cannot start a tokio runtime: {err}");
            return 1;
        }
    };
    let local = Local { app, runtime: &runtime };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut workspace = Workspace::new();
    let result = if source == "-" {
        let stdin = std::io::stdin();
        each_line(&local, &mut workspace, &mut stdin.lock(), &mut out)
    } else {
        match std::fs::read(source) {
            Ok(content) => run_file(&local, &mut workspace, &content, &mut out),
            Err(err) => {
                eprintln!("lambda-router: cannot read {source}: {err}");
                return 1;
            }
        }
    };
    match result.and_then(|()| out.flush()) {
        Ok(()) => 0,
        // A closed stdout (a reader that went away) is the end of the run, not a failure.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(err) => {
            eprintln!("lambda-router: cannot write the response: {err}");
            1
        }
    }
}

/// The app and the runtime its events run on.
struct Local<'a> {
    app: &'a App,
    runtime: &'a tokio::runtime::Runtime,
}

impl Local<'_> {
    fn handle<'w>(
        &self,
        workspace: &'w mut Workspace,
        input: &[u8],
        lambda: &LambdaContext<'_>,
    ) -> Result<&'w [u8], EventError> {
        let mut future = std::pin::pin!(self.app.handle_async(workspace, input, lambda));
        // Most invocations finish in their first poll (every sync handler does): poll once
        // inside the runtime's context with a no-op waker, and hand the future to the runtime
        // only if it waits. A future must accept a new waker on its next poll, so the runtime
        // takes over a pending one correctly.
        let first = {
            let _context = self.runtime.enter();
            future.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
        };
        match first {
            std::task::Poll::Ready(outcome) => outcome,
            std::task::Poll::Pending => self.runtime.block_on(future),
        }
    }
}

/// A file holds one event (possibly pretty-printed over many lines) or JSON lines: a file
/// that does not parse as one document is read line by line.
fn run_file(app: &Local<'_>, workspace: &mut Workspace, content: &[u8], out: &mut impl Write) -> std::io::Result<()> {
    let trimmed = content.trim_ascii();
    match app.handle(workspace, trimmed, &LambdaContext::LOCAL) {
        Err(EventError::InvalidJson { .. }) => each_line(app, workspace, &mut &content[..], out),
        Ok(response) => {
            out.write_all(response)?;
            out.write_all(b"\n")
        }
        Err(error) => write_error(workspace, &error, out),
    }
}

fn write_error(workspace: &mut Workspace, error: &EventError, out: &mut impl Write) -> std::io::Result<()> {
    let buffer = workspace.out();
    error_line(buffer, error);
    out.write_all(buffer)?;
    out.write_all(b"\n")
}

/// Answers every line of `input`. Responses are flushed whenever no complete line is left in
/// the buffer, that is before the next read could wait: a caller that sends one event and
/// waits gets its response at once, and a stream of events costs one `write` per buffer, not
/// per line.
///
/// Lines are answered where they lie in the buffer (no copy), each found with one SIMD scan
/// (`memchr`); the buffer grows to the longest line and is reused.
fn each_line(
    app: &Local<'_>,
    workspace: &mut Workspace,
    input: &mut impl Read,
    out: &mut impl Write,
) -> std::io::Result<()> {
    const CHUNK: usize = 1 << 16;
    // `buffer[start..end]` is read and unanswered; its first `scanned` bytes hold no newline.
    // Bytes past `end` are initialized space for the next read, zeroed once when the buffer
    // grows.
    let mut buffer = vec![0u8; CHUNK];
    let (mut start, mut end, mut scanned) = (0, 0, 0);
    loop {
        if let Some(at) = memchr::memchr(b'\n', &buffer[start + scanned..end]) {
            let newline = start + scanned + at;
            answer(app, workspace, &buffer[start..newline], out)?;
            (start, scanned) = (newline + 1, 0);
            continue;
        }
        scanned = end - start;
        out.flush()?;
        buffer.copy_within(start..end, 0);
        (start, end) = (0, end - start);
        if end == buffer.len() {
            buffer.resize(buffer.len() + CHUNK, 0);
        }
        let read = loop {
            match input.read(&mut buffer[end..]) {
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        if read == 0 {
            // The last line may lack its newline.
            answer(app, workspace, &buffer[start..end], out)?;
            return out.flush();
        }
        end += read;
    }
}

/// Answers one line, unless it is blank.
fn answer(app: &Local<'_>, workspace: &mut Workspace, line: &[u8], out: &mut impl Write) -> std::io::Result<()> {
    let event = line.trim_ascii();
    if event.is_empty() { Ok(()) } else { write_outcome(app, workspace, event, out) }
}

fn write_outcome(
    app: &Local<'_>,
    workspace: &mut Workspace,
    event: &[u8],
    out: &mut impl Write,
) -> std::io::Result<()> {
    match app.handle(workspace, event, &LambdaContext::LOCAL) {
        Ok(response) => {
            out.write_all(response)?;
            out.write_all(b"\n")
        }
        Err(error) => write_error(workspace, &error, out),
    }
}

/// The line the local mode prints for an input that is no supported event:
/// `{"error":"..."}`, written without allocating.
fn error_line(out: &mut Vec<u8>, error: &EventError) {
    out.clear();
    out.extend_from_slice(b"{\"error\":");
    let mut text = SmallString::default();
    let _ = std::fmt::Write::write_fmt(&mut text, format_args!("{error}"));
    encode::write_str(out, text.as_str());
    out.push(b'}');
}

/// A stack buffer for the short messages of [`EventError`].
#[derive(Default)]
struct SmallString {
    bytes: SmallVec<[u8; 256]>,
}

impl SmallString {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes).unwrap_or("invalid event")
    }
}

impl std::fmt::Write for SmallString {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.bytes.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Local, each_line};
    use crate::testing::TestRequest;
    use crate::{App, Error, Request, Response, Route, Router, Workspace};

    /// Hands out its bytes a few at a time, as a pipe may.
    struct Trickle<'b>(&'b [u8], usize);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
        Ok(Response::text(200, req.header("x-pad").map_or("short", |_| "long")))
    }

    #[test]
    fn lines_split_across_reads_and_longer_than_a_chunk_are_answered_whole() {
        let app = App::with_router(Router::builder().push(Route::get("/hello", hello)).build().unwrap());
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let local = Local { app: &app, runtime: &runtime };
        let short = TestRequest::get("/hello").http_v2().to_bytes();
        let long = TestRequest::get("/hello").header("x-pad", &"p".repeat(200_000)).http_v2().to_bytes();
        let mut input = Vec::new();
        for event in [&short, &long, &short, &long] {
            input.extend_from_slice(event);
            input.extend_from_slice(b"\r\n\n  \n");
        }
        input.extend_from_slice(&short); // the last line, without its newline
        for step in [1, 7, 4096, 1 << 20] {
            let mut out = Vec::new();
            each_line(&local, &mut Workspace::new(), &mut Trickle(&input, step), &mut out).unwrap();
            let bodies: Vec<String> = String::from_utf8(out)
                .unwrap()
                .lines()
                .map(|line| {
                    serde_json::from_str::<serde_json::Value>(line).unwrap()["body"].as_str().unwrap().to_owned()
                })
                .collect();
            assert_eq!(bodies, ["short", "long", "short", "long", "short"], "read {step} bytes at a time");
        }
    }
}
