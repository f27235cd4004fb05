//! The Runtime API's HTTP/1.1 framing, with no I/O: the requests the runtime writes (`/next`,
//! a post's head) and the heads of the answers it reads, parsed with `httparse`. Shared by the
//! async client (`client`, one connection per streaming slot) and the worker pool (`pool`,
//! many slots on a few threads).
//!
//! Nothing here allocates once the buffers and the invocation's ids have grown.

use std::io::{self, Write as _};

/// The Runtime API's address and path prefix, from `AWS_LAMBDA_RUNTIME_API`: `host:port` as
/// Lambda sets it, or a URL (`http://host:port/prefix`) as emulators do.
fn split_api(api: &str) -> (&str, &str) {
    let api = api.strip_prefix("http://").unwrap_or(api);
    match api.find('/') {
        Some(at) => (&api[..at], api[at..].trim_end_matches('/')),
        None => (api, ""),
    }
}

/// Where the requests go: the host and the path prefix, as `split_api` found them.
pub(super) struct Target {
    pub(super) host: String,
    pub(super) prefix: String,
}

impl Target {
    pub(super) fn new(api: &str) -> Target {
        let (host, prefix) = split_api(api);
        Target { host: host.to_owned(), prefix: prefix.to_owned() }
    }

    /// Appends `GET /next` to `out`.
    pub(super) fn next(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"GET ");
        out.extend_from_slice(self.prefix.as_bytes());
        out.extend_from_slice(b"/2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: ");
        out.extend_from_slice(self.host.as_bytes());
        out.extend_from_slice(b"\r\n\r\n");
    }

    /// Appends the head of a post to `/invocation/{request_id}/{what}` for the invocation `ids`
    /// to `out`, up to and with `headers` (each line with its CR LF), without the blank line that
    /// ends it. The invocation id `/next` gave, if any, goes back with it
    /// (`Lambda-Runtime-Invocation-Id`: the Runtime API then refuses, with a 410, the answer of
    /// an invocation that timed out and whose request id a later invocation reuses).
    pub(super) fn post_head(&self, out: &mut Vec<u8>, ids: &Ids, what: &str, headers: &str) {
        // Into the reused buffer: no allocation once it has grown. Both ids come from header
        // values of the Runtime API's answer, which hold no CR or LF (`httparse`).
        let _ = write!(
            out,
            "POST {}/2018-06-01/runtime/invocation/{}/{what} HTTP/1.1\r\nHost: {}\r\n",
            self.prefix, ids.request_id, self.host
        );
        if let Some(id) = ids.invocation_id() {
            let _ = write!(out, "Lambda-Runtime-Invocation-Id: {id}\r\n");
        }
        out.extend_from_slice(headers.as_bytes());
    }

    /// Appends a whole post with a body of `Content-Length` (a buffered response, an error).
    pub(super) fn post(&self, out: &mut Vec<u8>, ids: &Ids, what: &str, headers: &str, body: &[u8]) {
        self.post_head(out, ids, what, headers);
        let _ = write!(out, "Content-Length: {}\r\n\r\n", body.len());
        out.extend_from_slice(body);
    }
}

/// The headers of a buffered response's post.
pub(super) const RESPONSE_HEADERS: &str = "Content-Type: application/json\r\n";

/// An invocation's error as `lambda_runtime` posts it: the type in a header, and a JSON body
/// `{"errorType", "errorMessage"}` (allocated: errors are off the request path).
pub(super) fn error_post(error_type: &str, message: &str) -> (String, String) {
    let body = serde_json::json!({"errorType": error_type, "errorMessage": message}).to_string();
    let headers = format!("Lambda-Runtime-Function-Error-Type: {error_type}\r\nContent-Type: application/json\r\n");
    (headers, body)
}

/// One invocation's identity, from `/next`'s headers, in strings reused from one invocation to
/// the next.
#[derive(Default)]
pub(super) struct Ids {
    pub(super) request_id: String,
    pub(super) deadline_ms: u64,
    pub(super) function_arn: String,
    trace_id: String,
    traced: bool,
    invocation_id: String,
    has_invocation_id: bool,
}

impl Ids {
    /// The ids of an invocation known by its request id alone (tests).
    #[cfg(test)]
    pub(super) fn of(request_id: &str) -> Ids {
        Ids { request_id: request_id.to_owned(), ..Ids::default() }
    }

    /// `Lambda-Runtime-Invocation-Id`, when the Runtime API gave one (since 2026).
    pub(super) fn invocation_id(&self) -> Option<&str> {
        self.has_invocation_id.then_some(self.invocation_id.as_str())
    }

    /// The X-Ray trace header, when the invocation carried one.
    pub(super) fn trace_id(&self) -> Option<&str> {
        self.traced.then_some(self.trace_id.as_str())
    }
}

/// What an answer's head says.
#[derive(Debug)]
pub(super) struct Head {
    pub(super) status: u16,
    /// `Content-Length`: the answers read here all have one.
    pub(super) length: usize,
    /// How many bytes the head took.
    pub(super) size: usize,
}

impl Head {
    /// Where the body ends, from the start of the head (the pool reads the event in place).
    #[cfg(all(feature = "concurrency", target_os = "linux"))]
    pub(super) fn end(&self) -> usize {
        // Both bounded (`MAX_BODY`, and a head that fitted in memory): no overflow.
        self.size + self.length
    }
}

/// The largest body an answer may announce: far above any event Lambda sends (6 MB
/// synchronously), so that a wrong `Content-Length` is refused before anything is read or
/// reserved for it, and `Head::end` cannot overflow.
pub(super) const MAX_BODY: usize = 256 << 20;

/// Parses the answer's head at the start of `read`: `None` while it is incomplete. With `ids`,
/// reads the invocation's identity into it (an answer to `/next`).
pub(super) fn head(read: &[u8], ids: Option<&mut Ids>) -> io::Result<Option<Head>> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    let size = match response.parse(read) {
        Ok(httparse::Status::Complete(size)) => size,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(error) => return Err(io::Error::new(io::ErrorKind::InvalidData, error)),
    };
    let mut head = Head { status: response.code.unwrap_or(0), length: 0, size };
    let mut ids = ids;
    if let Some(ids) = ids.as_deref_mut() {
        ids.request_id.clear();
        ids.function_arn.clear();
        ids.trace_id.clear();
        ids.traced = false;
        ids.invocation_id.clear();
        ids.has_invocation_id = false;
        ids.deadline_ms = 0;
    }
    let mut has_request_id = false;
    for header in response.headers.iter() {
        let (name, value) = (header.name, std::str::from_utf8(header.value).ok());
        if name.eq_ignore_ascii_case("content-length") {
            head.length = value
                .and_then(|v| v.trim().parse().ok())
                .filter(|length| *length <= MAX_BODY)
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "a bad Content-Length"))?;
        }
        let (Some(ids), Some(value)) = (ids.as_deref_mut(), value) else { continue };
        if name.eq_ignore_ascii_case("lambda-runtime-aws-request-id") {
            ids.request_id.push_str(value);
            has_request_id = true;
        } else if name.eq_ignore_ascii_case("lambda-runtime-deadline-ms") {
            ids.deadline_ms = value.parse().unwrap_or(0);
        } else if name.eq_ignore_ascii_case("lambda-runtime-invoked-function-arn") {
            ids.function_arn.push_str(value);
        } else if name.eq_ignore_ascii_case("lambda-runtime-trace-id") {
            ids.trace_id.push_str(value);
            ids.traced = true;
        } else if name.eq_ignore_ascii_case("lambda-runtime-invocation-id") {
            ids.invocation_id.push_str(value);
            ids.has_invocation_id = true;
        }
    }
    if ids.is_some() && head.status == 200 && !has_request_id {
        return Err(io::Error::other("/next without Lambda-Runtime-Aws-Request-Id"));
    }
    Ok(Some(head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_is_an_address_or_a_url_with_a_prefix() {
        assert_eq!(split_api("127.0.0.1:9001"), ("127.0.0.1:9001", ""));
        assert_eq!(split_api("http://127.0.0.1:9000/.rt"), ("127.0.0.1:9000", "/.rt"));
        assert_eq!(split_api("http://[::1]:9000/"), ("[::1]:9000", ""));
    }

    #[test]
    fn requests_are_written_as_the_runtime_api_reads_them() {
        let target = Target::new("http://127.0.0.1:9000/.rt");
        let mut out = Vec::new();
        target.next(&mut out);
        let ids = Ids::of("id-1");
        target.post(&mut out, &ids, "response", RESPONSE_HEADERS, b"{}");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "GET /.rt/2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: 127.0.0.1:9000\r\n\r\n\
             POST /.rt/2018-06-01/runtime/invocation/id-1/response HTTP/1.1\r\nHost: 127.0.0.1:9000\r\n\
             Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
        );
    }

    #[test]
    fn a_next_head_gives_the_invocations_ids_in_reused_strings() {
        let answer = b"HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-1\r\nLambda-Runtime-Deadline-Ms: 42\r\n\
            Lambda-Runtime-Invoked-Function-Arn: arn:x\r\nLambda-Runtime-Trace-Id: Root=1-2\r\n\
            Lambda-Runtime-Invocation-Id: inv-9\r\nContent-Length: 2\r\n\r\n{}";
        let mut ids = Ids::default();
        let head = head(answer, Some(&mut ids)).unwrap().unwrap();
        assert_eq!((head.status, head.length, head.size), (200, 2, answer.len() - 2));
        assert_eq!((ids.request_id.as_str(), ids.deadline_ms, ids.function_arn.as_str()), ("req-1", 42, "arn:x"));
        assert_eq!((ids.trace_id(), ids.invocation_id()), (Some("Root=1-2"), Some("inv-9")));
        // Its posts echo the invocation id.
        let mut post = Vec::new();
        Target::new("127.0.0.1:9001").post_head(&mut post, &ids, "error", "");
        assert_eq!(
            String::from_utf8(post).unwrap(),
            "POST /2018-06-01/runtime/invocation/req-1/error HTTP/1.1\r\nHost: 127.0.0.1:9001\r\n\
             Lambda-Runtime-Invocation-Id: inv-9\r\n"
        );
        // The next invocation has neither: none is kept from the previous one.
        let untraced = b"HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-2\r\nContent-Length: 0\r\n\r\n";
        super::head(untraced, Some(&mut ids)).unwrap().unwrap();
        assert_eq!((ids.request_id.as_str(), ids.trace_id(), ids.function_arn.as_str()), ("req-2", None, ""));
        assert_eq!(ids.invocation_id(), None);
    }

    #[test]
    fn incomplete_bad_and_idless_heads() {
        assert!(head(b"HTTP/1.1 202 Acc", None).unwrap().is_none());
        assert!(head(b"HTTP/1.1 202 OK\r\nContent-Length: x\r\n\r\n", None).is_err());
        // A length near `usize::MAX` (its end would overflow) or past any event: refused.
        let huge = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", usize::MAX - 3);
        assert!(head(huge.as_bytes(), None).is_err());
        let past = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", MAX_BODY + 1);
        assert!(head(past.as_bytes(), None).is_err());
        let most = format!("HTTP/1.1 200 OK\r\nContent-Length: {MAX_BODY}\r\n\r\n");
        assert_eq!(head(most.as_bytes(), None).unwrap().unwrap().length, MAX_BODY);
        assert!(head(b"NOT HTTP\r\n\r\n", None).is_err());
        let idless = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        assert!(head(idless, Some(&mut Ids::default())).unwrap_err().to_string().contains("Request-Id"));
        assert_eq!(head(idless, None).unwrap().unwrap().status, 200);
    }
}
