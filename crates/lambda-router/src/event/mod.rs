//! Events: which source sent the invocation, and borrowed views of what it carries.
//!
//! Parsing is simd-json's tape over the invocation's copy in the arena; detection is one pass
//! over the top-level keys, never "try each type in turn". Headers and query strings stay
//! views of the tape, searched when a handler asks. Nothing here allocates, and no input
//! panics: a malformed event is an [`EventError`] naming the field.
//!
//! A leaf of the data flow: it imports nothing else of the crate (no routing, no responses),
//! so it can be fuzzed alone.

mod detect;
mod fields;
pub(crate) mod json;
pub(crate) mod lift;

pub use detect::EventError;
pub(crate) use detect::parse;
pub(crate) use fields::{AgentParam, agent_function_params, agent_operation_params};
pub use fields::{Declared, Headers, Query};

use json::Json;

/// The service that sent the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// API Gateway REST API, payload format 1.0.
    RestV1,
    /// API Gateway HTTP API, payload format 2.0.
    HttpV2,
    /// A Lambda Function URL (payload format 2.0, `*.lambda-url.*` domain).
    FunctionUrl,
    /// An Application Load Balancer target group, multi-value headers off.
    Alb,
    /// An Application Load Balancer target group, multi-value headers on.
    AlbMultiValue,
    /// VPC Lattice, event format 1.
    VpcLatticeV1,
    /// VPC Lattice, event format 2.
    VpcLatticeV2,
    /// An Amazon Bedrock Agents action group described by an OpenAPI document: an operation
    /// (`apiPath`, `httpMethod`), its parameters and its body.
    BedrockAgent,
    /// An Amazon Bedrock Agents action group of functions: a function's name and its
    /// parameters.
    BedrockAgentFunction,
}

impl Source {
    /// A short name, as logs and the dev server's `--source` write it.
    pub const fn name(self) -> &'static str {
        match self {
            Source::RestV1 => "rest-v1",
            Source::HttpV2 => "http-v2",
            Source::FunctionUrl => "function-url",
            Source::Alb => "alb",
            Source::AlbMultiValue => "alb-mv",
            Source::VpcLatticeV1 => "vpc-lattice-v1",
            Source::VpcLatticeV2 => "vpc-lattice-v2",
            Source::BedrockAgent => "bedrock-agent",
            Source::BedrockAgentFunction => "bedrock-agent-function",
        }
    }

    /// Whether the reference ignores trailing slashes when routing this source's events
    /// (it does for REST API events only).
    pub const fn ignores_trailing_slash(self) -> bool {
        matches!(self, Source::RestV1)
    }
}

/// What an event carries, borrowed from the invocation's buffer and its parsed tape.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Event<'a> {
    pub(crate) source: Source,
    pub(crate) method: &'a str,
    /// The path as the event gives it (the HTTP API stage already removed).
    pub(crate) path: &'a str,
    pub(crate) headers: Headers<'a>,
    pub(crate) query: Query<'a>,
    /// HTTP API v2 and Function URL events carry cookies apart from the headers.
    pub(crate) cookies: Option<Json<'a>>,
    pub(crate) body: Option<&'a str>,
    pub(crate) base64: bool,
    /// The body's bytes when the event says base64 and they were decoded as the body was lifted
    /// ([`lift`]).
    pub(crate) decoded: Option<&'a [u8]>,
    pub(crate) context: Option<Json<'a>>,
    pub(crate) stage_variables: Option<Json<'a>>,
    pub(crate) path_parameters: Option<Json<'a>>,
    /// What an Amazon Bedrock Agents event carries beyond an operation.
    pub(crate) agent: Option<AgentEvent<'a>>,
}

/// The parts of an Amazon Bedrock Agents event that are no HTTP request's: the action group,
/// the function (of a function action group), the body's properties (of an OpenAPI one), the
/// session. `parameters` and `properties` are checked lists of `{"name", "value"}` strings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AgentEvent<'a> {
    pub(crate) action_group: &'a str,
    pub(crate) function: Option<&'a str>,
    pub(crate) properties: Option<Json<'a>>,
    pub(crate) session: Option<Json<'a>>,
    pub(crate) prompt_session: Option<Json<'a>>,
    pub(crate) input_text: Option<&'a str>,
    pub(crate) session_id: Option<&'a str>,
    pub(crate) agent: Option<Json<'a>>,
}
