//! `Request`: what a handler sees. Every accessor borrows from the event; the few that must
//! produce new bytes (a base64-decoded body, a serialized response) write into the
//! invocation's arena. Nothing allocates on the heap.

use std::cell::RefCell;

use bumpalo::Bump;
use serde::{Deserialize, Serialize};
use simd_json::prelude::*;
use simd_json::{Buffers, INPUT_PADDING, tape::Tape};

use super::json::{Json, elements, member, members, string};
use super::{Event, Headers, Query, Source};
use crate::error::{BodyError, Error, ServiceError};
use crate::response::{APPLICATION_JSON, Body, Response};
use crate::router::matcher::Params;

/// The Lambda invocation's context: request id, deadline, function ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LambdaContext<'a> {
    /// The invocation's request id (`Lambda-Runtime-Aws-Request-Id`).
    pub request_id: &'a str,
    /// The deadline, in milliseconds since the Unix epoch.
    pub deadline_ms: u64,
    /// The ARN the function was invoked with.
    pub function_arn: &'a str,
}

impl LambdaContext<'_> {
    /// The context of a local invocation (no Lambda service around it).
    pub const LOCAL: LambdaContext<'static> = LambdaContext {
        request_id: "local",
        deadline_ms: u64::MAX,
        function_arn: "arn:aws:lambda:local:000000000000:function:local",
    };
}

/// A read-only view of a JSON value of the event (the request context, an authorizer).
#[derive(Debug, Clone, Copy)]
pub struct JsonValue<'a>(Json<'a>);

impl<'a> JsonValue<'a> {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<JsonValue<'a>> {
        member(self.0, key).map(JsonValue)
    }

    /// The element `index` of an array.
    pub fn at(&self, index: usize) -> Option<JsonValue<'a>> {
        elements(self.0).nth(index).map(JsonValue)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&'a str> {
        string(self.0)
    }

    /// The integer, if this is one.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.as_i64()
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.cast_f64()
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        self.0.as_bool()
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        self.0.is_null()
    }

    /// The members of an object, in order.
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, JsonValue<'a>)> + 'a {
        members(self.0).map(|(k, v)| (k, JsonValue(v)))
    }
}

/// A number from a JSON body, kept as its exact text: money never goes through `f64`.
///
/// ```
/// use lambda_router::ExactNumber;
/// #[derive(serde::Deserialize)]
/// struct Order<'a> {
///     #[serde(borrow)]
///     amount: ExactNumber<'a>,
/// }
/// let order: Order = serde_json::from_str(r#"{"amount": 0.10000000000000000555}"#).unwrap();
/// // In a handler: `let order: Order = req.json_exact()?;`
/// assert_eq!(order.amount.as_str(), "0.10000000000000000555");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExactNumber<'a>(&'a str);

impl<'a> ExactNumber<'a> {
    /// The number exactly as the body wrote it.
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for ExactNumber<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'a serde_json::value::RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        let is_number = text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
            && text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
        if is_number {
            Ok(ExactNumber(text))
        } else {
            Err(serde::de::Error::custom(format_args!("expected a number, found {text}")))
        }
    }
}

#[cfg(feature = "rust_decimal")]
impl ExactNumber<'_> {
    /// The number as a `rust_decimal::Decimal`, exactly (feature `rust_decimal`); an error
    /// when it does not fit (more than 28 decimal digits, an exponent out of range).
    pub fn to_decimal(&self) -> Result<rust_decimal::Decimal, rust_decimal::Error> {
        use std::str::FromStr;
        rust_decimal::Decimal::from_str(self.0).or_else(|_| rust_decimal::Decimal::from_scientific(self.0))
    }
}

impl Serialize for ExactNumber<'_> {
    /// Serialized as the reference serializes a `Decimal`: a JSON string.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

/// An HTTP request, as a handler sees it.
#[derive(Debug)]
pub struct Request<'a> {
    pub(crate) event: Event<'a>,
    pub(crate) routing_path: &'a str,
    pub(crate) params: Params<'a, 'a>,
    pub(crate) pattern: Option<&'a str>,
    pub(crate) arena: &'a Bump,
    pub(crate) lambda: LambdaContext<'a>,
    pub(crate) scratch: &'a RefCell<JsonScratch>,
    pub(crate) serializer: Option<JsonSerializer>,
    pub(crate) max_json_depth: usize,
}

/// A replacement for the default JSON serializer (compact `serde_json`): writes `value` as
/// JSON into the buffer. Set it with [`App::serializer`](crate::App::serializer).
///
/// ```
/// fn pretty(value: &dyn erased_serde::Serialize, out: &mut Vec<u8>) -> Result<(), String> {
///     let mut serializer = serde_json::Serializer::pretty(out);
///     value.erased_serialize(&mut <dyn erased_serde::Serializer>::erase(&mut serializer)).map_err(|e| e.to_string())
/// }
/// let serializer: lambda_router::JsonSerializer = pretty;
/// # let _ = serializer;
/// ```
pub type JsonSerializer = fn(&dyn erased_serde::Serialize, &mut Vec<u8>) -> Result<(), String>;

/// simd-json's buffers and tape for request bodies, and the buffer responses are serialized
/// into, kept in the workspace and reused.
#[derive(Default)]
pub(crate) struct JsonScratch {
    buffers: Option<Buffers>,
    tape: Option<Tape<'static>>,
    /// Where responses are serialized before their one copy into the arena.
    json: Vec<u8>,
}

impl std::fmt::Debug for JsonScratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonScratch").finish_non_exhaustive()
    }
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

    /// The path parameter `name`, as it appears in the path (not percent-decoded).
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.params.get(name)
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

    /// The body as the event carries it (base64 text when `isBase64Encoded`).
    pub fn raw_body(&self) -> Option<&'a str> {
        self.event.body
    }

    /// Whether the event says the body is base64.
    pub fn is_base64_encoded(&self) -> bool {
        self.event.base64
    }

    /// The body's bytes, base64-decoded when the event says so (into the arena).
    pub fn body_bytes(&self) -> Result<&'a [u8], BodyError> {
        let Some(body) = self.event.body else {
            return Ok(b"");
        };
        if !self.event.base64 {
            return Ok(body.as_bytes());
        }
        let base64 = base64_simd::STANDARD;
        let len = base64.decoded_length(body.as_bytes()).map_err(|_| BodyError::InvalidBase64)?;
        let out = self.arena.alloc_slice_fill_copy(len, 0u8);
        match base64.decode(body.as_bytes(), base64_simd::Out::from_slice(out)) {
            Ok(decoded) => Ok(decoded),
            Err(_) => Err(BodyError::InvalidBase64),
        }
    }

    /// The body as text (base64-decoded when the event says so).
    pub fn body_str(&self) -> Result<&'a str, BodyError> {
        std::str::from_utf8(self.body_bytes()?).map_err(|_| BodyError::InvalidUtf8)
    }

    /// The JSON body deserialized into `T`, borrowing from the body where `T` borrows.
    ///
    /// Parsed by simd-json from a copy of the body in the arena, with buffers reused across
    /// invocations: no heap allocation, escaped strings included (unescaped in place).
    /// [`ExactNumber`] and `serde_json::value::RawValue` need
    /// [`json_exact`](Self::json_exact).
    pub fn json<T: Deserialize<'a>>(&self) -> Result<T, BodyError> {
        let text = self.body_str()?;
        let len = text.len();
        let buffer = self.arena.alloc_slice_fill_copy(len + INPUT_PADDING, 0u8);
        buffer[..len].copy_from_slice(text.as_bytes());
        // A handler cannot re-enter here while a body is being deserialized; should a
        // `Deserialize` impl try, it gets an error rather than a panic.
        let Ok(mut scratch) = self.scratch.try_borrow_mut() else {
            return Err(BodyError::InvalidJson { offset: 0 });
        };
        let JsonScratch { buffers, tape, .. } = &mut *scratch;
        let buffers = buffers.get_or_insert_with(|| Buffers::with_max_depth(len.max(1024), self.max_json_depth));
        let mut parsed: Tape<'a> = tape.take().unwrap_or_else(|| Tape(Vec::new())).reset();
        let result = match simd_json::fill_tape_padded(buffer, len, buffers, &mut parsed) {
            Err(err) => Err(BodyError::InvalidJson { offset: err.index() }),
            Ok(()) => {
                let mut deserializer = simd_json::Deserializer::from_tape(parsed);
                // The tape keeps no positions: a shape error cannot say where it stood.
                let value = T::deserialize(&mut deserializer).map_err(|_| BodyError::UnexpectedShape);
                parsed = deserializer.into_tape();
                value
            }
        };
        *tape = Some(parsed.reset());
        result
    }

    /// As [`json`](Self::json), but an absent or empty body is `None` (the reference's
    /// `json_body`).
    pub fn json_optional<T: Deserialize<'a>>(&self) -> Result<Option<T>, BodyError> {
        if self.event.body.is_none_or(str::is_empty) {
            return Ok(None);
        }
        self.json().map(Some)
    }

    /// The JSON body deserialized with serde_json, which keeps numbers as their exact text
    /// ([`ExactNumber`]) and can borrow raw JSON (`&RawValue`). serde_json allocates only to
    /// skip nested values it ignores and to report an error.
    pub fn json_exact<T: Deserialize<'a>>(&self) -> Result<T, BodyError> {
        let text = self.body_str()?;
        serde_json::from_str(text).map_err(|err| {
            if err.classify() == serde_json::error::Category::Data {
                return BodyError::UnexpectedShape;
            }
            // serde_json reports a line and column; the offset is where that lands.
            let line_start: usize = text.split_inclusive('\n').take(err.line().saturating_sub(1)).map(str::len).sum();
            BodyError::InvalidJson { offset: line_start + err.column().saturating_sub(1) }
        })
    }

    /// The JSON body, validated, as its text (for a handler that passes JSON through).
    pub fn json_text(&self) -> Result<&'a str, BodyError> {
        self.json::<serde::de::IgnoredAny>()?;
        self.body_str()
    }

    /// Serializes `value` as compact JSON into the arena: a 200 `application/json` response.
    pub fn json_response<T: Serialize + ?Sized>(&self, value: &T) -> Result<Response<'a>, Error> {
        Ok(Response::new(200).with_content_type(APPLICATION_JSON).with_body(Body::Text(self.to_json(value)?)))
    }

    /// Serializes `value` as compact JSON into the arena.
    ///
    /// serde_json writes many small pieces; it writes them into a buffer of the workspace
    /// (a `Vec`, which serde_json's writer is made for), copied into the arena in one go.
    pub fn to_json<T: Serialize + ?Sized>(&self, value: &T) -> Result<&'a str, Error> {
        let Ok(mut scratch) = self.scratch.try_borrow_mut() else {
            return Err(ServiceError::internal("a value serialized a response while being serialized").into());
        };
        scratch.json.clear();
        let written = match self.serializer {
            Some(serializer) => serializer(&value, &mut scratch.json).is_ok(),
            None => serde_json::to_writer(&mut scratch.json, value).is_ok(),
        };
        if !written {
            return Err(ServiceError::internal("the response could not be serialized").into());
        }
        let bytes: &'a [u8] = self.arena.alloc_slice_copy(&scratch.json);
        // serde_json writes UTF-8 only.
        std::str::from_utf8(bytes).map_err(|_| Error::from(ServiceError::internal("the response is not UTF-8")))
    }

    /// Copies `text` into the invocation's arena, for a response built from owned data.
    pub fn alloc_str(&self, text: &str) -> &'a str {
        self.arena.alloc_str(text)
    }

    /// Writes formatted text into the invocation's arena.
    pub fn format(&self, args: std::fmt::Arguments<'_>) -> &'a str {
        bumpalo::format!(in self.arena, "{}", args).into_bump_str()
    }

    /// The request context of the event, to read anything the accessors below do not.
    pub fn request_context(&self) -> Option<JsonValue<'a>> {
        self.event.context.map(JsonValue)
    }

    fn context_path(&self, path: &[&str]) -> Option<JsonValue<'a>> {
        path.iter().try_fold(self.request_context()?, |value, key| value.get(key))
    }

    /// The API Gateway request id (`requestContext.requestId`).
    pub fn request_id(&self) -> Option<&'a str> {
        self.context_path(&["requestId"])?.as_str()
    }

    /// The API Gateway stage (`requestContext.stage`).
    pub fn stage(&self) -> Option<&'a str> {
        self.context_path(&["stage"])?.as_str()
    }

    /// The client's IP address: from the request context, or for ALB and VPC Lattice the first
    /// address of `X-Forwarded-For`.
    pub fn source_ip(&self) -> Option<&'a str> {
        let from_context = match self.event.source {
            Source::RestV1 => self.context_path(&["identity", "sourceIp"]),
            Source::HttpV2 | Source::FunctionUrl => self.context_path(&["http", "sourceIp"]),
            _ => None,
        };
        from_context
            .and_then(|v| v.as_str())
            .or_else(|| Some(self.header("x-forwarded-for")?.split(',').next()?.trim()))
    }

    /// The client's user agent.
    pub fn user_agent(&self) -> Option<&'a str> {
        let from_context = match self.event.source {
            Source::RestV1 => self.context_path(&["identity", "userAgent"]),
            Source::HttpV2 | Source::FunctionUrl => self.context_path(&["http", "userAgent"]),
            _ => None,
        };
        from_context.and_then(|v| v.as_str()).or_else(|| self.header("user-agent"))
    }

    /// The authorizer's output (`requestContext.authorizer`): Cognito or JWT claims, a Lambda
    /// authorizer's context, IAM.
    pub fn authorizer(&self) -> Option<JsonValue<'a>> {
        self.context_path(&["authorizer"]).filter(|v| !v.is_null())
    }

    /// A string claim of the authorizer: REST API Cognito claims
    /// (`authorizer.claims`) or HTTP API JWT claims (`authorizer.jwt.claims`).
    pub fn claim(&self, name: &str) -> Option<&'a str> {
        let authorizer = self.authorizer()?;
        authorizer.get("claims").or_else(|| authorizer.get("jwt")?.get("claims"))?.get(name)?.as_str()
    }

    /// The caller's IAM user ARN, for IAM-authorized requests.
    pub fn iam_user_arn(&self) -> Option<&'a str> {
        match self.event.source {
            Source::RestV1 => self.context_path(&["identity", "userArn"])?.as_str(),
            _ => self.authorizer()?.get("iam")?.get("userArn")?.as_str(),
        }
    }

    /// The stage variable `name`.
    pub fn stage_variable(&self, name: &str) -> Option<&'a str> {
        string(member(self.event.stage_variables?, name)?)
    }

    /// A path parameter as API Gateway itself matched it (`pathParameters`, from the API's
    /// own resources such as `/{proxy+}`), as opposed to this router's [`param`](Self::param).
    pub fn gateway_path_parameter(&self, name: &str) -> Option<&'a str> {
        string(member(self.event.path_parameters?, name)?)
    }

    /// The Lambda invocation's context.
    pub fn lambda_context(&self) -> &LambdaContext<'a> {
        &self.lambda
    }

    /// The invocation's arena, for handlers that build responses from data of their own.
    pub fn arena(&self) -> &'a Bump {
        self.arena
    }
}
