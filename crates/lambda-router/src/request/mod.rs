//! `Request`: what a handler sees. Every accessor borrows from the event; the few that must
//! produce new bytes (a base64-decoded body, a serialized response) write into the
//! invocation's arena. Nothing allocates on the heap.
//!
//! One file per concern: the accessors of the HTTP request here, the body in `body.rs`,
//! serialization in `serialize.rs`, the request and Lambda contexts in `context.rs`, JSON views
//! in `value.rs`.

mod body;
mod context;
mod depends;
mod invocation;
mod serialize;
mod value;

use std::cell::RefCell;

use bumpalo::Bump;
use lambda_router_core::Params;

use crate::arena::{Arena, ArenaRef};
use crate::event::json::{elements, string};
use crate::event::{Event, Headers, Query, Source};

pub use body::ExactNumber;
pub(crate) use body::JsonScratch;
pub use context::LambdaContext;
pub use depends::Dependency;
pub(crate) use depends::Override;
pub use invocation::{ContextKey, InvocationContext};
pub use serialize::{JsonSerializer, Serializable};
pub use value::JsonValue;

/// An HTTP request, as a handler sees it.
#[derive(Debug)]
pub struct Request<'a> {
    pub(crate) event: Event<'a>,
    pub(crate) routing_path: &'a str,
    pub(crate) params: Params<'a, 'a>,
    pub(crate) pattern: Option<&'a str>,
    /// The arena's allocator (`memory`'s).
    pub(crate) arena: &'a Bump,
    /// The arena, for futures pinned in it (see `arena.rs`).
    pub(crate) memory: &'a Arena,
    pub(crate) lambda: LambdaContext<'a>,
    pub(crate) scratch: &'a RefCell<JsonScratch>,
    pub(crate) serializer: Option<JsonSerializer>,
    /// The invocation's context (middleware's typed values); invariant in `'a`, which makes
    /// `Request` invariant in `'a` (see `invocation.rs`).
    pub(crate) context: &'a InvocationContext<'a>,
    /// The app's shared values (`App::state`).
    pub(crate) state: &'a [Box<dyn std::any::Any + Send + Sync>],
    /// The app's replacements of dependencies (`App::override_dependency`).
    pub(crate) overrides: &'a [Box<dyn std::any::Any + Send + Sync>],
    pub(crate) max_json_depth: usize,
    /// The streams made in this invocation, newest first: their producers are dropped at its
    /// end ([`stream::drop_all`](crate::response::stream::drop_all)).
    pub(crate) streams: &'a std::cell::Cell<Option<&'a crate::response::stream::StreamState<'a>>>,
}

impl<'a> Request<'a> {
    /// The event's source.
    pub fn source(&self) -> Source {
        self.event.source
    }

    /// The method exactly as the event sent it (routing reads it in any case).
    pub fn method(&self) -> &'a str {
        self.event.method
    }

    /// The path as the event gives it (HTTP API v2: without the stage). REST API v1 and ALB
    /// paths arrive percent-encoded; HTTP API v2 paths arrive decoded.
    pub fn path(&self) -> &'a str {
        self.event.path
    }

    /// The path the router matched: strip prefixes removed and, for REST API v1, trailing
    /// slashes ignored.
    pub fn routing_path(&self) -> &'a str {
        self.routing_path
    }

    /// The matched route's pattern, mount prefix included (`None` for a 404).
    pub fn route_pattern(&self) -> Option<&'a str> {
        self.pattern
    }

    /// The path parameter `name`, as it appears in the path (not percent-decoded). For an
    /// Amazon Bedrock agent's call, the parameter `name` of the event's `parameters` (Bedrock
    /// sends path parameters there, and may send the path as its document writes it).
    pub fn param(&self, name: &str) -> Option<&'a str> {
        match self.event.agent {
            Some(_) => self.event.query.get(name),
            None => self.params.get(name),
        }
    }

    /// What an Amazon Bedrock Agents event says of its call beyond the operation, or `None`
    /// for an HTTP event.
    pub fn agent(&self) -> Option<crate::agent::AgentCall<'a>> {
        self.event.agent.map(|event| crate::agent::AgentCall { event })
    }

    /// Every path parameter, as `(name, value)`.
    pub fn params(&self) -> &Params<'a, 'a> {
        &self.params
    }

    /// The query string parameters.
    pub fn query(&self) -> Query<'a> {
        self.event.query
    }

    /// One value of the query parameter `name` (see [`Query::get`]).
    pub fn query_param(&self, name: &str) -> Option<&'a str> {
        self.event.query.get(name)
    }

    /// The headers.
    pub fn headers(&self) -> Headers<'a> {
        self.event.headers
    }

    /// One value of the header `name`, any case (see [`Headers::get`]).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.event.headers.get(name)
    }

    /// The request's cookies, as `(name, value)`: HTTP API v2 and Function URL events carry
    /// them apart, the others in `Cookie` headers.
    pub fn cookies(&self) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a> {
        let listed = self.event.cookies;
        let from_list = listed.into_iter().flat_map(elements).filter_map(string);
        let headers = self.event.headers;
        let from_headers =
            listed.is_none().then(move || headers.get_all("cookie").flat_map(|h| h.split(';'))).into_iter().flatten();
        from_list.chain(from_headers).filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            Some((name.trim(), value.trim()))
        })
    }

    /// The value of the cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<&'a str> {
        self.cookies().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Copies `text` into the invocation's arena, for a response built from owned data.
    pub fn alloc_str(&self, text: &str) -> &'a str {
        self.arena.alloc_str(text)
    }

    /// Writes formatted text into the invocation's arena.
    pub fn format(&self, args: std::fmt::Arguments<'_>) -> &'a str {
        self.arena().format(args)
    }

    /// The Lambda invocation's context.
    pub fn lambda_context(&self) -> &LambdaContext<'a> {
        &self.lambda
    }

    /// The invocation's context: typed values that middleware put for later middleware and
    /// the handler; empty at the start of every invocation.
    ///
    /// ```
    /// use lambda_router::{ContextKey, Error, Next, Request, Response};
    /// struct Tenant;
    /// impl ContextKey for Tenant {
    ///     type Value<'a> = Option<&'a str>;
    /// }
    /// async fn tenant<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    ///     req.context().insert::<Tenant>(req.header("X-Tenant"));
    ///     next.run().await
    /// }
    /// fn handler<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    ///     let tenant = req.context().get::<Tenant>().copied().flatten().unwrap_or("none");
    ///     Ok(Response::text(200, tenant))
    /// }
    /// ```
    pub fn context(&self) -> &'a InvocationContext<'a> {
        self.context
    }

    /// The value of type `T` the app shares (`App::state`), or `None` if it set none.
    pub fn state<T: Send + Sync + 'static>(&self) -> Option<&'a T> {
        self.state.iter().find_map(|value| value.downcast_ref::<T>())
    }

    /// The invocation's arena, for handlers that build responses from data of their own: it
    /// allocates, and cannot change the memory the next invocation reuses.
    pub fn arena(&self) -> ArenaRef<'a> {
        ArenaRef::new(self.arena)
    }
}
