//! Responses: what a handler returns, and how it becomes the Lambda response of the event's
//! source.
//!
//! A `Response` borrows its parts (from the handler's statics or the invocation's arena);
//! headers and cookies sit in small inline vectors. Encoding writes into buffers reused across
//! invocations: after warm-up, nothing here allocates.

pub(crate) mod compress;
pub(crate) mod encode;
pub(crate) mod prelude;
pub(crate) mod stream;

use std::any::TypeId;
use std::fmt;

use smallvec::SmallVec;

/// `application/json`
pub const APPLICATION_JSON: &str = "application/json";
/// `text/plain`
pub const TEXT_PLAIN: &str = "text/plain";
/// `text/html`
pub const TEXT_HTML: &str = "text/html";

/// The body of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Body<'a> {
    /// No body (`""` on the wire).
    Empty,
    /// Text, sent as it is.
    Text(&'a str),
    /// Bytes, sent base64-encoded (`isBase64Encoded: true`).
    Binary(&'a [u8]),
    /// Written over time by a producer ([`Request::stream`](crate::Request::stream)): sent
    /// chunk by chunk by a streaming function ([`App::streaming`](crate::App::streaming)),
    /// gathered into one body otherwise.
    Stream(BodyStream<'a>),
}

impl Body<'_> {
    /// The body's bytes (none for a stream: they are not written yet).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Body::Empty | Body::Stream(_) => b"",
            Body::Text(text) => text.as_bytes(),
            Body::Binary(bytes) => bytes,
        }
    }
}

pub use stream::{BodyStream, Sse, SseEvent, StreamError, Write, Writer};

/// The `SameSite` attribute of a cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=Strict`
    Strict,
    /// `SameSite=Lax`
    Lax,
    /// `SameSite=None`
    None,
}

/// A cookie to set, written as the reference writes it
/// (`name=value; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax`).
///
/// ```
/// use lambda_router::Cookie;
/// let cookie = Cookie::new("session", "abc").http_only();
/// assert_eq!(cookie.to_string(), "session=abc; HttpOnly; Secure");
/// // `Secure` unless turned off, as the reference's `secure=True`:
/// assert_eq!(Cookie::new("dev", "1").insecure().to_string(), "dev=1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cookie<'a> {
    name: &'a str,
    value: &'a str,
    path: Option<&'a str>,
    domain: Option<&'a str>,
    expires: Option<&'a str>,
    max_age: Option<i64>,
    http_only: bool,
    secure: bool,
    same_site: Option<SameSite>,
}

impl<'a> Cookie<'a> {
    /// A cookie `name=value`, `Secure` (the reference's default) and no other attribute.
    pub const fn new(name: &'a str, value: &'a str) -> Cookie<'a> {
        Cookie {
            name,
            value,
            path: None,
            domain: None,
            expires: None,
            max_age: None,
            http_only: false,
            secure: true,
            same_site: None,
        }
    }

    /// `; Path=...`
    pub const fn path(mut self, path: &'a str) -> Cookie<'a> {
        self.path = Some(path);
        self
    }

    /// `; Domain=...`
    pub const fn domain(mut self, domain: &'a str) -> Cookie<'a> {
        self.domain = Some(domain);
        self
    }

    /// `; Expires=...`, an HTTP date as written.
    pub const fn expires(mut self, http_date: &'a str) -> Cookie<'a> {
        self.expires = Some(http_date);
        self
    }

    /// `; Max-Age=...`; zero or negative is written `Max-Age=0`, as the reference does.
    pub const fn max_age(mut self, seconds: i64) -> Cookie<'a> {
        self.max_age = Some(seconds);
        self
    }

    /// `; HttpOnly`
    pub const fn http_only(mut self) -> Cookie<'a> {
        self.http_only = true;
        self
    }

    /// `; Secure` (the default).
    pub const fn secure(mut self) -> Cookie<'a> {
        self.secure = true;
        self
    }

    /// Without `; Secure`: the browser sends the cookie over plain HTTP too (for local
    /// development over `http://`).
    pub const fn insecure(mut self) -> Cookie<'a> {
        self.secure = false;
        self
    }

    /// `; SameSite=...`
    pub const fn same_site(mut self, same_site: SameSite) -> Cookie<'a> {
        self.same_site = Some(same_site);
        self
    }
}

impl fmt::Display for Cookie<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name, self.value)?;
        if let Some(path) = self.path {
            write!(f, "; Path={path}")?;
        }
        if let Some(domain) = self.domain {
            write!(f, "; Domain={domain}")?;
        }
        if let Some(expires) = self.expires {
            write!(f, "; Expires={expires}")?;
        }
        if let Some(max_age) = self.max_age {
            write!(f, "; Max-Age={}", max_age.max(0))?;
        }
        if self.http_only {
            f.write_str("; HttpOnly")?;
        }
        if self.secure {
            f.write_str("; Secure")?;
        }
        if let Some(same_site) = self.same_site {
            f.write_str(match same_site {
                SameSite::Strict => "; SameSite=Strict",
                SameSite::Lax => "; SameSite=Lax",
                SameSite::None => "; SameSite=None",
            })?;
        }
        Ok(())
    }
}

/// Headers a response sets inline before its vector spills: a content type rides apart, and
/// few handlers set more than two more.
const INLINE_HEADERS: usize = 4;

/// A response: status, content type, headers (a name may repeat), cookies and body.
///
/// ```
/// use lambda_router::{Body, Response};
/// let teapot = Response::text(418, "I'm a teapot").header("X-Custom", "X-Value");
/// assert_eq!(teapot.status(), 418);
/// assert_eq!(teapot.content_type(), Some("text/plain"));
/// assert_eq!(teapot.body(), Body::Text("I'm a teapot"));
/// ```
#[derive(Debug, Clone)]
pub struct Response<'a> {
    status: u16,
    content_type: Option<&'a str>,
    headers: SmallVec<[(&'a str, &'a str); INLINE_HEADERS]>,
    cookies: SmallVec<[Cookie<'a>; 1]>,
    body: Body<'a>,
    compress: Option<bool>,
    agent: AgentReply<'a>,
    /// The response model (its type) this body was written from as a typed value found to
    /// satisfy it, which response validation then need not re-read; cleared with the body.
    checked: Option<TypeId>,
}

/// How an Amazon Bedrock agent is to take a function's answer (its `responseState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseState {
    /// The function failed: the agent ends the conversation's step with it.
    Failure,
    /// The agent asks the user again (a missing or wrong value).
    Reprompt,
}

impl ResponseState {
    /// As Bedrock writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            ResponseState::Failure => "FAILURE",
            ResponseState::Reprompt => "REPROMPT",
        }
    }
}

/// What an answer tells an Amazon Bedrock agent beyond its status and body (nothing for an
/// HTTP event).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AgentReply<'a> {
    pub(crate) session: Option<&'a [(&'a str, &'a str)]>,
    pub(crate) prompt_session: Option<&'a [(&'a str, &'a str)]>,
    pub(crate) knowledge_bases: Option<&'a str>,
    pub(crate) state: Option<ResponseState>,
}

impl<'a> Response<'a> {
    /// A response with `status`, no content type and no body.
    pub fn new(status: u16) -> Response<'a> {
        Response {
            status,
            content_type: None,
            headers: SmallVec::new(),
            cookies: SmallVec::new(),
            body: Body::Empty,
            compress: None,
            agent: AgentReply { session: None, prompt_session: None, knowledge_bases: None, state: None },
            checked: None,
        }
    }

    /// A `text/plain` response.
    pub fn text(status: u16, text: &'a str) -> Response<'a> {
        Response::new(status).with_content_type(TEXT_PLAIN).with_body(Body::Text(text))
    }

    /// A response whose body is JSON text already serialized (see
    /// [`Request::json_response`](crate::Request::json_response) to serialize a value).
    pub fn json_text(status: u16, json: &'a str) -> Response<'a> {
        Response::new(status).with_content_type(APPLICATION_JSON).with_body(Body::Text(json))
    }

    /// A binary response, sent base64-encoded.
    pub fn binary(status: u16, content_type: &'a str, bytes: &'a [u8]) -> Response<'a> {
        Response::new(status).with_content_type(content_type).with_body(Body::Binary(bytes))
    }

    /// Sets the status code.
    pub fn with_status(mut self, status: u16) -> Response<'a> {
        self.status = status;
        self
    }

    /// Sets the `Content-Type`.
    pub fn with_content_type(mut self, content_type: &'a str) -> Response<'a> {
        self.content_type = Some(content_type);
        self
    }

    /// Adds a header; calling it again with the same name adds another value.
    pub fn header(mut self, name: &'a str, value: &'a str) -> Response<'a> {
        self.headers.push((name, value));
        self
    }

    /// Adds a cookie.
    pub fn cookie(mut self, cookie: Cookie<'a>) -> Response<'a> {
        self.cookies.push(cookie);
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: Body<'a>) -> Response<'a> {
        self.body = body;
        self.checked = None;
        self
    }

    /// Marks the body as written from a value of the response model `model` that satisfies it.
    pub(crate) fn checked_as(mut self, model: TypeId) -> Response<'a> {
        self.checked = Some(model);
        self
    }

    /// The response model the body was written from and satisfies, if it is known.
    pub(crate) fn checked(&self) -> Option<TypeId> {
        self.checked
    }

    /// Asks for gzip (or forbids it) for this response, whatever its route says.
    pub fn compress(mut self, compress: bool) -> Response<'a> {
        self.compress = Some(compress);
        self
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers, in the order they were added (the content type apart).
    pub fn headers(&self) -> &[(&'a str, &'a str)] {
        &self.headers
    }

    /// The cookies.
    pub fn cookies(&self) -> &[Cookie<'a>] {
        &self.cookies
    }

    /// The body.
    pub fn body(&self) -> Body<'a> {
        self.body
    }

    /// For an Amazon Bedrock agent: the session attributes the agent keeps for the session
    /// (they replace the event's). Ignored for HTTP events. Values made while handling live in
    /// the arena: `req.arena().alloc_slice_copy(&[("claim", id)])`.
    pub fn session_attributes(mut self, attributes: &'a [(&'a str, &'a str)]) -> Response<'a> {
        self.agent.session = Some(attributes);
        self
    }

    /// For an Amazon Bedrock agent: the prompt session attributes (for the agent's next
    /// prompt). Ignored for HTTP events.
    pub fn prompt_session_attributes(mut self, attributes: &'a [(&'a str, &'a str)]) -> Response<'a> {
        self.agent.prompt_session = Some(attributes);
        self
    }

    /// For an Amazon Bedrock agent's operation: its `knowledgeBasesConfiguration`, a JSON array
    /// written as given (one that is not JSON is left out, and logged). Ignored otherwise.
    pub fn knowledge_bases_configuration(mut self, json: &'a str) -> Response<'a> {
        self.agent.knowledge_bases = Some(json);
        self
    }

    /// For an Amazon Bedrock agent's function: how the agent is to take the answer
    /// (`responseState`). Ignored otherwise.
    pub fn response_state(mut self, state: ResponseState) -> Response<'a> {
        self.agent.state = Some(state);
        self
    }

    /// What the response tells an agent.
    pub(crate) fn agent_reply(&self) -> &AgentReply<'a> {
        &self.agent
    }

    pub(crate) fn compression(&self) -> Option<bool> {
        self.compress
    }
}

impl<'a> Response<'a> {
    /// The content type, if set.
    pub fn content_type(&self) -> Option<&'a str> {
        self.content_type
    }
}
