//! The pipeline's steps for Amazon Bedrock Agents events: the body an operation's properties
//! make, a tool's errors as `"Error: ..."`, a tool's text as a JSON string, and the call echoed
//! in the answer. Everything lives in the invocation's arena.

use bumpalo::Bump;

use crate::error::{Error, ErrorKind};
use crate::event::json::{members, string};
use crate::event::{AgentParam, Event, Source, agent_function_params, agent_operation_params};
use crate::request::Request;
use crate::response::encode::AgentEcho;
use crate::response::{APPLICATION_JSON, Body, Response};

/// An operation's body properties as the JSON object the reference validates (`{name: value}`,
/// values as the strings Bedrock sends, a repeated name's last value kept), in the arena: the
/// typed inputs read it as any JSON body.
pub(super) fn body<'a>(event: &Event<'a>, arena: &'a Bump) -> Option<&'a str> {
    let properties = event.agent?.properties?;
    json_in(arena, &Properties(params_in(arena, properties, agent_operation_params(Some(properties)))), 128)
}

/// An event's parameters, in the arena: a function call's with the type each declares, by which
/// the tool's typed inputs convert it (`Value::from_call`).
pub(super) fn parameters<'a>(event: &Event<'a>, arena: &'a Bump) -> Option<&'a [AgentParam<'a>]> {
    let params = event.query.params?;
    Some(if event.source == Source::BedrockAgentFunction {
        params_in(arena, params, agent_function_params(Some(params)))
    } else {
        params_in(arena, params, agent_operation_params(Some(params)))
    })
}

/// `params`, read from the list `list`, in the arena: one walk, in room the list's length gives
/// (detection checked that every element is a pair).
fn params_in<'a>(
    arena: &'a Bump,
    list: crate::event::json::Json<'a>,
    params: impl Iterator<Item = AgentParam<'a>>,
) -> &'a [AgentParam<'a>] {
    let mut room = bumpalo::collections::Vec::with_capacity_in(crate::event::json::array_len(list), arena);
    room.extend(params);
    room.into_bump_slice()
}

/// The properties of an operation's body, serialized as an object: a repeated name once, with
/// its last value, where it last appears.
struct Properties<'p, 'a>(&'p [AgentParam<'a>]);

impl serde::Serialize for Properties<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
        for (index, param) in self.0.iter().enumerate() {
            if !self.0[index + 1..].iter().any(|later| later.name == param.name) {
                map.serialize_entry(param.name, param.value)?;
            }
        }
        map.end()
    }
}

/// `value` as JSON text in the arena, in space for about `size` bytes reserved once (an arena
/// vector that grows is copied each time).
fn json_in<'a, T: serde::Serialize + ?Sized>(arena: &'a Bump, value: &T, size: usize) -> Option<&'a str> {
    let mut out = bumpalo::collections::Vec::with_capacity_in(size, arena);
    serde_json::to_writer(&mut out, value).ok()?;
    std::str::from_utf8(out.into_bump_slice()).ok()
}

/// What a tool's failure tells the agent: `"Error: <what went wrong>"`, as a JSON string (the
/// reference's shape). The app's error handlers are for HTTP and operations; a tool's error
/// is always this.
pub(super) fn tool_error<'a>(request: &Request<'a>, error: &Error) -> Response<'a> {
    use std::fmt::Write as _;
    let mut text = bumpalo::collections::String::new_in(request.arena);
    text.push_str("Error: ");
    match &error.kind {
        ErrorKind::Service(service) => text.push_str(service.message()),
        ErrorKind::Request(invalid) => {
            text.push_str("invalid parameters:");
            for (index, problem) in invalid.errors(request).iter().enumerate() {
                let name = problem.loc.iter().rev().find_map(|part| match part {
                    crate::validate::LocPart::Key(key) => Some(*key),
                    crate::validate::LocPart::Index(_) => None,
                });
                let _ = write!(
                    text,
                    "{} `{}` {}",
                    if index == 0 { "" } else { "," },
                    name.unwrap_or("?"),
                    problem.kind.as_str()
                );
            }
        }
        ErrorKind::Panic(_) => text.push_str("the tool panicked"),
        ErrorKind::Body(body) => {
            let _ = write!(text, "{body}");
        }
        _ => {
            let _ = write!(text, "{error}");
        }
    }
    let status = match &error.kind {
        ErrorKind::Service(service) => service.status(),
        ErrorKind::Request(_) => 422,
        _ => 500,
    };
    json_string_response(request, status, &text)
}

/// The answer to a function the app has no tool for.
pub(super) fn no_tool<'a>(request: &Request<'a>, function: &str) -> Response<'a> {
    let text = request.format(format_args!("Error: no tool named `{function}` in this app"));
    json_string_response(request, 404, text)
}

/// A response whose JSON body is the string `text`.
fn json_string_response<'a>(request: &Request<'a>, status: u16, text: &str) -> Response<'a> {
    Response::json_text(status, json_string_in(request.arena, text).unwrap_or("\"Error\""))
}

/// A tool's body as the agent reads it: JSON text as it is, any other text as a JSON string
/// (the reference's `json.dumps` of the tool's result).
pub(super) fn tool_body<'a>(request: &Request<'a>, response: &Response<'a>) -> Option<&'a str> {
    let text = match response.body() {
        Body::Text(text) => text,
        _ => return None,
    };
    if response.content_type().is_some_and(|ct| ct.starts_with(APPLICATION_JSON)) {
        return None;
    }
    json_string_in(request.arena, text)
}

/// `text` as a JSON string in the arena, in room for its quotes and a few escapes.
fn json_string_in<'a>(arena: &'a Bump, text: &str) -> Option<&'a str> {
    json_in(arena, text, text.len() + text.len() / 8 + 8)
}

/// The call as the answer echoes it, the event's session attributes in the arena.
pub(super) fn echo<'a>(request: &Request<'a>) -> Option<AgentEcho<'a>> {
    let agent = request.event.agent?;
    let pairs = |map: Option<crate::event::json::Json<'a>>| -> &'a [(&'a str, &'a str)] {
        let all = || map.into_iter().flat_map(members).filter_map(|(name, value)| Some((name, string(value)?)));
        let mut iter = all();
        request.arena.alloc_slice_fill_with(all().count(), |_| iter.next().unwrap_or(("", "")))
    };
    Some(match request.event.source {
        Source::BedrockAgentFunction => AgentEcho::Function {
            action_group: agent.action_group,
            function: request.event.path,
            session: pairs(agent.session),
            prompt_session: pairs(agent.prompt_session),
        },
        _ => AgentEcho::Operation {
            action_group: agent.action_group,
            api_path: request.event.path,
            http_method: request.event.method,
        },
    })
}
