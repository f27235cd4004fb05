//! Amazon Bedrock Agents: action groups call the app's routes and tools.
//!
//! - **An OpenAPI action group** calls the app's routes: its event names an operation
//!   (`apiPath`, `httpMethod`), its parameters and its body, and goes through the same table,
//!   typed inputs and validation as an HTTP request. Parameters are read by name, whatever
//!   their place (`#[param]`, `#[query]`); the body's properties are the JSON body. The agent's
//!   document is the app's OpenAPI 3.0 document (`--openapi --agent`).
//! - **A function action group** calls the app's tools ([`Tool`]), a `const` table of named
//!   handlers whose `#[query]` inputs are the function's parameters, by name, with their
//!   defaults (`--function-schema` prints the action group's `functionSchema`). Each value is
//!   converted by the type the call declares for it, as the reference converts it (an
//!   `integer` by Python's `int()`, a `number` by `float()`; see
//!   [`Value::from_call`](crate::validate::Value::from_call)).
//!
//! Either way the answer is Bedrock's envelope. A handler tells the agent more through its
//! response: [`Response::session_attributes`](crate::Response::session_attributes),
//! [`prompt_session_attributes`](crate::Response::prompt_session_attributes),
//! [`knowledge_bases_configuration`](crate::Response::knowledge_bases_configuration) and, for a
//! tool, [`response_state`](crate::Response::response_state). A tool that fails, an unknown
//! tool and a missing or bad parameter answer `"Error: ..."` in the envelope, never a Lambda
//! error.
//!
//! ```
//! use lambda_router::agent::{ResponseState, Tool};
//! use lambda_router::validate::Input;
//! use lambda_router::{App, Error, Request, Response, Router, handler};
//!
//! #[derive(Input)]
//! struct Booking<'a> {
//!     #[query(description = "who books")]
//!     name: &'a str,
//!     #[query(ge = 1, default = 2)]
//!     people: i64,
//! }
//!
//! #[handler]
//! fn book<'a>(req: &Request<'a>, input: Booking<'a>) -> Result<Response<'a>, Error> {
//!     if input.people > 8 {
//!         return Ok(req.json_response(&"too many people")?.response_state(ResponseState::Reprompt));
//!     }
//!     let session = req.arena().alloc_slice_copy(&[("booking", input.name)]);
//!     Ok(req.json_response(&input.people)?.session_attributes(session))
//! }
//!
//! const TOOLS: &[Tool] = &[Tool::new("book", book).description("Books a table")];
//!
//! let app = App::with_router(Router::builder().build().unwrap()).tools(TOOLS);
//! # let _ = app;
//! ```

use crate::handler::{Handler, IntoHandler};

pub use crate::response::ResponseState;

/// A function of a function action group: its name, its description (the agent reads it) and
/// its handler, whose typed inputs' `#[query]` fields are the function's parameters. Declared
/// in a `const` table, like routes, and given to the app with [`App::tools`](crate::App::tools).
#[derive(Debug, Clone, Copy)]
pub struct Tool {
    name: &'static str,
    description: Option<&'static str>,
    handler: Handler,
}

impl Tool {
    /// The tool `name`, run by `handler` (a plain or `#[handler]` function, as a route's).
    pub const fn new<H: IntoHandler<M>, M>(name: &'static str, handler: H) -> Tool {
        Tool { name, description: None, handler: Handler::of(handler) }
    }

    /// What the tool does, for the agent.
    pub const fn description(mut self, description: &'static str) -> Tool {
        self.description = Some(description);
        self
    }

    /// Its name, as the agent calls it.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Its description.
    pub const fn about(&self) -> Option<&'static str> {
        self.description
    }

    pub(crate) const fn handler(&self) -> Handler {
        self.handler
    }
}

/// What an Amazon Bedrock Agents event says of its call beyond the operation: the agent, the
/// action group, the user's input, the session ([`Request::agent`](crate::Request::agent)).
#[derive(Debug, Clone, Copy)]
pub struct AgentCall<'a> {
    pub(crate) event: crate::event::AgentEvent<'a>,
}

impl<'a> AgentCall<'a> {
    /// The action group called.
    pub fn action_group(&self) -> &'a str {
        self.event.action_group
    }

    /// The function called (a function action group's), or `None` for an operation.
    pub fn function(&self) -> Option<&'a str> {
        self.event.function
    }

    /// What the user said (`inputText`).
    pub fn input_text(&self) -> Option<&'a str> {
        self.event.input_text
    }

    /// The session's id.
    pub fn session_id(&self) -> Option<&'a str> {
        self.event.session_id
    }

    /// The agent's `name`, `id`, `alias` or `version`.
    pub fn agent(&self, key: &str) -> Option<&'a str> {
        self.event.agent.and_then(|agent| crate::event::json::member(agent, key)).and_then(crate::event::json::string)
    }

    /// A session attribute the event carries.
    pub fn session_attribute(&self, name: &str) -> Option<&'a str> {
        self.event.session.and_then(|s| crate::event::json::member(s, name)).and_then(crate::event::json::string)
    }

    /// A prompt session attribute the event carries.
    pub fn prompt_session_attribute(&self, name: &str) -> Option<&'a str> {
        self.event.prompt_session.and_then(|s| crate::event::json::member(s, name)).and_then(crate::event::json::string)
    }

    /// Every session attribute (string values), in the event's order.
    pub fn session_attributes(&self) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a> {
        string_pairs(self.event.session)
    }

    /// Every prompt session attribute (string values), in the event's order.
    pub fn prompt_session_attributes(&self) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a> {
        string_pairs(self.event.prompt_session)
    }
}

fn string_pairs(map: Option<crate::event::json::Json<'_>>) -> impl Iterator<Item = (&str, &str)> {
    map.into_iter()
        .flat_map(crate::event::json::members)
        .filter_map(|(name, value)| Some((name, crate::event::json::string(value)?)))
}
