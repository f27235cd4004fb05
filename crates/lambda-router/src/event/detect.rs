//! Source detection and field extraction: one pass over the top-level keys of the event,
//! then one decision from the keys that were there.

use std::fmt;

use simd_json::prelude::*;
use simd_json::tape::Value;

use super::json::{Json, elements, member, object, string};
use super::lift::Lifted;
use super::{AgentEvent, Event, Headers, Query, Source};

/// Why an invocation is not an event this library can route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventError {
    /// The payload is not valid JSON; the byte offset where parsing failed.
    InvalidJson {
        /// Byte offset into the payload.
        offset: usize,
    },
    /// The payload is JSON but not an object.
    NotAnObject,
    /// The payload is larger than the app's `Limits::max_event_bytes`.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// An object with none of the keys that tell the sources apart.
    UnknownSource,
    /// A field the detected source needs is absent or null.
    Missing {
        /// The detected source.
        source: Source,
        /// The field, as a JSON path.
        field: &'static str,
    },
    /// An event with keys of two kinds of event (an Amazon Bedrock Agents event with an HTTP
    /// event's key, or with both an operation and a function): neither is guessed.
    Ambiguous {
        /// The key that does not belong.
        field: &'static str,
    },
    /// An entry of an Amazon Bedrock Agents list (`parameters`, a body's `properties`) is not
    /// a `{"name", "value"}` object of strings.
    BadEntry {
        /// The list, as a JSON path.
        list: &'static str,
        /// The entry's position in the list, from 0.
        index: usize,
        /// The entry's key that is missing or not a string; `None` when the entry is no object.
        key: Option<&'static str>,
    },
    /// A field has the wrong JSON type.
    WrongType {
        /// The field, as a JSON path.
        field: &'static str,
        /// What it should be.
        expected: &'static str,
    },
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::InvalidJson { offset } => write!(f, "invalid JSON at byte {offset}"),
            EventError::NotAnObject => f.write_str("the event is not a JSON object"),
            EventError::TooLarge { limit } => write!(f, "the event is larger than the limit of {limit} bytes"),
            EventError::UnknownSource => f.write_str(
                "unsupported event: no httpMethod/path (REST API v1, ALB), no version 2.0 with \
                 rawPath and requestContext.http.method (HTTP API v2, Function URL), no \
                 raw_path/method or version 2.0 with path/method (VPC Lattice)",
            ),
            EventError::Missing { source, field } => {
                write!(f, "{} event without `{field}`", source.name())
            }
            EventError::WrongType { field, expected } => write!(f, "`{field}` is not {expected}"),
            EventError::BadEntry { list, index, key: None } => {
                write!(f, "`{list}[{index}]` is not an object (each entry is {{\"name\", \"type\", \"value\"}})")
            }
            EventError::BadEntry { list, index, key: Some(key) } => {
                write!(f, "`{list}[{index}].{key}` is missing or not a string")
            }
            EventError::Ambiguous { field } => write!(
                f,
                "unsupported event: an Amazon Bedrock Agents event (`actionGroup`) with `{field}`, \
                 which is no agent event's (an agent calls an operation, `apiPath` and `httpMethod`, \
                 or a `function`, never both, and sends no HTTP request's keys)"
            ),
        }
    }
}

impl std::error::Error for EventError {}

/// The top-level keys that matter, found in one pass.
#[derive(Default)]
struct Keys<'a> {
    version: Option<Value<'a, 'a>>,
    http_method: Option<Value<'a, 'a>>,
    path: Option<Value<'a, 'a>>,
    raw_path: Option<Value<'a, 'a>>,
    lattice_raw_path: Option<Value<'a, 'a>>,
    method: Option<Value<'a, 'a>>,
    request_context: Option<Value<'a, 'a>>,
    headers: Option<Value<'a, 'a>>,
    multi_headers: Option<Value<'a, 'a>>,
    query: Option<Value<'a, 'a>>,
    multi_query: Option<Value<'a, 'a>>,
    raw_query: Option<Value<'a, 'a>>,
    lattice_query: Option<Value<'a, 'a>>,
    cookies: Option<Value<'a, 'a>>,
    body: Option<Value<'a, 'a>>,
    base64: Option<Value<'a, 'a>>,
    lattice_base64: Option<Value<'a, 'a>>,
    stage_variables: Option<Value<'a, 'a>>,
    path_parameters: Option<Value<'a, 'a>>,
    message_version: Option<Value<'a, 'a>>,
    agent: Option<Value<'a, 'a>>,
    action_group: Option<Value<'a, 'a>>,
    api_path: Option<Value<'a, 'a>>,
    function: Option<Value<'a, 'a>>,
    parameters: Option<Value<'a, 'a>>,
    request_body: Option<Value<'a, 'a>>,
    session_attributes: Option<Value<'a, 'a>>,
    prompt_session_attributes: Option<Value<'a, 'a>>,
    input_text: Option<Value<'a, 'a>>,
    session_id: Option<Value<'a, 'a>>,
}

/// Reads an event from its parsed tape; `lifted` is the body the copy left out
/// ([`lift`](super::lift)), whose place the tape holds as `""`.
pub(crate) fn parse<'a>(root: Value<'a, 'a>, lifted: Option<Lifted<'a>>) -> Result<Event<'a>, EventError> {
    let top = object(root).ok_or(EventError::NotAnObject)?;
    let mut keys = Keys::default();
    for (key, value) in top.iter() {
        let slot = match key {
            "version" => &mut keys.version,
            "httpMethod" => &mut keys.http_method,
            "path" => &mut keys.path,
            "rawPath" => &mut keys.raw_path,
            "raw_path" => &mut keys.lattice_raw_path,
            "method" => &mut keys.method,
            "requestContext" => &mut keys.request_context,
            "headers" => &mut keys.headers,
            "multiValueHeaders" => &mut keys.multi_headers,
            "queryStringParameters" => &mut keys.query,
            "multiValueQueryStringParameters" => &mut keys.multi_query,
            "rawQueryString" => &mut keys.raw_query,
            "query_string_parameters" => &mut keys.lattice_query,
            "cookies" => &mut keys.cookies,
            "body" => &mut keys.body,
            "isBase64Encoded" => &mut keys.base64,
            "is_base64_encoded" => &mut keys.lattice_base64,
            "stageVariables" => &mut keys.stage_variables,
            "pathParameters" => &mut keys.path_parameters,
            "messageVersion" => &mut keys.message_version,
            "agent" => &mut keys.agent,
            "actionGroup" => &mut keys.action_group,
            "apiPath" => &mut keys.api_path,
            "function" => &mut keys.function,
            "parameters" => &mut keys.parameters,
            "requestBody" => &mut keys.request_body,
            "sessionAttributes" => &mut keys.session_attributes,
            "promptSessionAttributes" => &mut keys.prompt_session_attributes,
            "inputText" => &mut keys.input_text,
            "sessionId" => &mut keys.session_id,
            _ => continue,
        };
        *slot = Some(value);
    }

    if keys.action_group.is_some() {
        return agent_event(&keys);
    }
    let context = object_or_null(keys.request_context, "requestContext")?;
    let version_2 = keys.version.and_then(string) == Some("2.0");
    let source = if version_2 && keys.raw_path.is_some() {
        let domain = context.and_then(|c| member(c, "domainName")).and_then(string);
        if domain.is_some_and(|d| d.contains(".lambda-url.")) { Source::FunctionUrl } else { Source::HttpV2 }
    } else if version_2 && keys.method.is_some() && keys.path.is_some() {
        Source::VpcLatticeV2
    } else if keys.lattice_raw_path.is_some() && keys.method.is_some() {
        Source::VpcLatticeV1
    } else if keys.http_method.is_some() && keys.path.is_some() {
        if context.is_some_and(|c| member(c, "elb").is_some()) {
            let multi = object_or_null(keys.multi_headers, "multiValueHeaders")?;
            // The reference switches on a non-empty `multiValueHeaders`.
            let non_empty = multi.and_then(object).is_some_and(|m| !m.is_empty());
            if non_empty { Source::AlbMultiValue } else { Source::Alb }
        } else {
            Source::RestV1
        }
    } else {
        return Err(EventError::UnknownSource);
    };

    let (method, path) = match source {
        Source::HttpV2 | Source::FunctionUrl => {
            let method = context.and_then(|c| member(c, "http")).and_then(|h| member(h, "method"));
            let method = required_str(method, source, "requestContext.http.method")?;
            let raw_path = required_str(keys.raw_path, source, "rawPath")?;
            let stage = context.and_then(|c| member(c, "stage")).and_then(string);
            (method, strip_stage(raw_path, stage))
        }
        Source::VpcLatticeV2 => {
            let method = required_str(keys.method, source, "method")?;
            let path = required_str(keys.path, source, "path")?;
            (method, path.split('?').next().unwrap_or(path))
        }
        Source::VpcLatticeV1 => {
            let method = required_str(keys.method, source, "method")?;
            let path = required_str(keys.lattice_raw_path, source, "raw_path")?;
            (method, path.split('?').next().unwrap_or(path))
        }
        // Read by `agent_event`, before any of this.
        Source::BedrockAgent | Source::BedrockAgentFunction => return Err(EventError::UnknownSource),
        Source::RestV1 | Source::Alb | Source::AlbMultiValue => {
            let method = required_str(keys.http_method, source, "httpMethod")?;
            (method, required_str(keys.path, source, "path")?)
        }
    };

    let comma_joined = matches!(source, Source::HttpV2 | Source::FunctionUrl);
    let headers = Headers {
        single: object_or_null(keys.headers, "headers")?,
        multi: object_or_null(keys.multi_headers, "multiValueHeaders")?,
        comma_joined,
    };
    let query = match source {
        Source::VpcLatticeV1 => Query {
            single: object_or_null(keys.lattice_query, "query_string_parameters")?,
            multi: None,
            comma_joined: false,
            raw: None,
            params: None,
            pairs: None,
        },
        _ => Query {
            single: object_or_null(keys.query, "queryStringParameters")?,
            multi: object_or_null(keys.multi_query, "multiValueQueryStringParameters")?,
            comma_joined,
            // Which names HTTP API v2 joined: a name written twice in the query string.
            raw: if comma_joined { keys.raw_query.and_then(string) } else { None },
            params: None,
            pairs: None,
        },
    };
    let cookies = match keys.cookies {
        Some(value) if value.is_null() => None,
        Some(value) if value.is_array() => Some(value),
        Some(_) => {
            return Err(EventError::WrongType { field: "cookies", expected: "an array" });
        }
        None => None,
    };
    let body = match keys.body {
        Some(value) if value.is_null() => None,
        Some(value) => {
            let text = string(value).ok_or(EventError::WrongType { field: "body", expected: "a string" })?;
            Some(lifted.map_or(text, |lifted| lifted.text))
        }
        None => None,
    };
    let (base64_value, base64_field) = match source {
        Source::VpcLatticeV1 => (keys.lattice_base64, "is_base64_encoded"),
        _ => (keys.base64, "isBase64Encoded"),
    };
    let base64 = match base64_value {
        Some(value) if value.is_null() => false,
        Some(value) => value.as_bool().ok_or(EventError::WrongType { field: base64_field, expected: "a boolean" })?,
        None => false,
    };
    Ok(Event {
        source,
        method,
        path,
        headers,
        query,
        cookies,
        body,
        base64,
        // The lifted body's bytes, when the event says base64 (as the lift read it).
        decoded: lifted.and_then(|lifted| lifted.decoded).filter(|_| base64 && body.is_some()),
        context,
        stage_variables: object_or_null(keys.stage_variables, "stageVariables")?,
        path_parameters: object_or_null(keys.path_parameters, "pathParameters")?,
        agent: None,
    })
}

/// An Amazon Bedrock Agents event: an action group's operation (OpenAPI) or function. Its
/// `parameters` (and an operation's body properties) must be lists of `{"name", "value"}`
/// strings, as Bedrock sends them; an event that has an HTTP event's keys too, or both an
/// operation and a function, is neither.
fn agent_event<'a>(keys: &Keys<'a>) -> Result<Event<'a>, EventError> {
    for (key, field) in [
        (keys.path, "path"),
        (keys.raw_path, "rawPath"),
        (keys.request_context, "requestContext"),
        (keys.headers, "headers"),
        (keys.multi_headers, "multiValueHeaders"),
        (keys.query, "queryStringParameters"),
        (keys.body, "body"),
    ] {
        if key.is_some() {
            return Err(EventError::Ambiguous { field });
        }
    }
    let (source, method, path) = match (keys.api_path, keys.function) {
        (Some(_), Some(_)) => return Err(EventError::Ambiguous { field: "function" }),
        (None, Some(function)) => {
            (Source::BedrockAgentFunction, "", required_str(Some(function), Source::BedrockAgentFunction, "function")?)
        }
        (api_path, None) => (
            Source::BedrockAgent,
            required_str(keys.http_method, Source::BedrockAgent, "httpMethod")?,
            required_str(api_path, Source::BedrockAgent, "apiPath")?,
        ),
    };
    if required_str(keys.message_version, source, "messageVersion")? != "1.0" {
        return Err(EventError::WrongType { field: "messageVersion", expected: "\"1.0\"" });
    }
    let agent = object_or_null(keys.agent, "agent")?.ok_or(EventError::Missing { source, field: "agent" })?;
    let action_group = required_str(keys.action_group, source, "actionGroup")?;
    let parameters = name_value_list(keys.parameters, "parameters")?;
    let properties = match keys.request_body {
        Some(body) if !body.is_null() && source == Source::BedrockAgent => {
            let content = member(body, "content").filter(|c| c.is_object());
            let content =
                content.ok_or(EventError::WrongType { field: "requestBody", expected: "{\"content\": {..}}" })?;
            match member(content, "application/json").filter(|json| !json.is_null()) {
                None => None,
                Some(json) => {
                    name_value_list(member(json, "properties"), "requestBody.content.application/json.properties")?
                }
            }
        }
        _ => None,
    };
    let text = |value: Option<Json<'a>>| value.and_then(string);
    Ok(Event {
        source,
        method,
        path,
        headers: Headers::default(),
        query: Query { params: parameters, ..Query::default() },
        cookies: None,
        body: None,
        base64: false,
        decoded: None,
        context: None,
        stage_variables: None,
        path_parameters: None,
        agent: Some(AgentEvent {
            action_group,
            function: (source == Source::BedrockAgentFunction).then_some(path),
            properties,
            session: object_or_null(keys.session_attributes, "sessionAttributes")?,
            prompt_session: object_or_null(keys.prompt_session_attributes, "promptSessionAttributes")?,
            input_text: text(keys.input_text),
            session_id: text(keys.session_id),
            agent: Some(agent),
        }),
    })
}

/// A list of `{"name": "...", "value": "..."}` objects (other keys, such as `type`, allowed):
/// `Ok(None)` when null or absent; otherwise the error names the list, or its first entry that
/// is not such an object and the key that is wrong.
fn name_value_list<'a>(value: Option<Json<'a>>, list: &'static str) -> Result<Option<Json<'a>>, EventError> {
    match value {
        None => Ok(None),
        Some(value) if value.is_null() => Ok(None),
        Some(value) if !value.is_array() => {
            Err(EventError::WrongType { field: list, expected: "a list of {\"name\", \"type\", \"value\"} objects" })
        }
        Some(value) => {
            for (index, item) in elements(value).enumerate() {
                if !item.is_object() {
                    return Err(EventError::BadEntry { list, index, key: None });
                }
                for key in ["name", "value"] {
                    if member(item, key).and_then(string).is_none() {
                        return Err(EventError::BadEntry { list, index, key: Some(key) });
                    }
                }
            }
            Ok(Some(value))
        }
    }
}

/// An object, or `None` for an absent or null field.
fn object_or_null<'a>(value: Option<Json<'a>>, field: &'static str) -> Result<Option<Json<'a>>, EventError> {
    match value {
        None => Ok(None),
        Some(value) if value.is_null() => Ok(None),
        Some(value) if value.is_object() => Ok(Some(value)),
        Some(_) => Err(EventError::WrongType { field, expected: "an object" }),
    }
}

fn required_str<'a>(value: Option<Value<'a, 'a>>, source: Source, field: &'static str) -> Result<&'a str, EventError> {
    match value {
        None => Err(EventError::Missing { source, field }),
        Some(value) if value.is_null() => Err(EventError::Missing { source, field }),
        Some(value) => string(value).ok_or(EventError::WrongType { field, expected: "a string" }),
    }
}

/// HTTP API v2 puts a named stage in front of `rawPath`; the reference routes without it.
/// Unlike the reference, which cuts `len("/" + stage)` characters whatever they are, the
/// stage is removed only when the path really starts with it.
fn strip_stage<'a>(raw_path: &'a str, stage: Option<&str>) -> &'a str {
    let Some(stage) = stage.filter(|s| *s != "$default" && !s.is_empty()) else {
        return raw_path;
    };
    match raw_path.strip_prefix('/').and_then(|p| p.strip_prefix(stage)) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => raw_path,
    }
}
