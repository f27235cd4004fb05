//! Responses serialized as JSON into the invocation's arena, with the app's serializer or
//! serde_json.

use serde::Serialize;

use super::Request;
use crate::error::{Error, ServiceError};
use crate::response::{APPLICATION_JSON, Body, Response};

/// A replacement for the default JSON serializer (compact `serde_json`): writes `value` as
/// JSON into the buffer. Set it with [`App::serializer`](crate::App::serializer).
///
/// ```
/// use lambda_router::Serializable;
/// fn pretty(value: Serializable<'_>, out: &mut Vec<u8>) -> Result<(), String> {
///     serde_json::to_writer_pretty(out, &value).map_err(|e| e.to_string())
/// }
/// let serializer: lambda_router::JsonSerializer = pretty;
/// # let _ = serializer;
/// ```
pub type JsonSerializer = fn(Serializable<'_>, &mut Vec<u8>) -> Result<(), String>;

/// A value a [`JsonSerializer`] writes: anything a handler serialized, behind one type that
/// implements `serde::Serialize`.
#[derive(Clone, Copy)]
pub struct Serializable<'v>(&'v dyn erased_serde::Serialize);

impl Serialize for Serializable<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        erased_serde::serialize(self.0, serializer)
    }
}

impl std::fmt::Debug for Serializable<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Serializable")
    }
}

impl<'a> Request<'a> {
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
            Some(serializer) => serializer(Serializable(&value), &mut scratch.json).is_ok(),
            None => serde_json::to_writer(&mut scratch.json, value).is_ok(),
        };
        if !written {
            return Err(ServiceError::internal("the response could not be serialized").into());
        }
        let bytes: &'a [u8] = self.arena.alloc_slice_copy(&scratch.json);
        // serde_json writes UTF-8 only.
        std::str::from_utf8(bytes).map_err(|_| Error::from(ServiceError::internal("the response is not UTF-8")))
    }
}

#[derive(Serialize)]
struct ErrorBody<'m> {
    #[serde(rename = "statusCode")]
    status_code: u16,
    message: &'m str,
}

impl<'a> Request<'a> {
    /// `{"statusCode":N,"message":"..."}`, as the reference answers an HTTP error.
    pub(crate) fn error_response(&self, status: u16, message: &str) -> Response<'a> {
        let body = self
            .to_json(&ErrorBody { status_code: status, message })
            .unwrap_or(r#"{"statusCode":500,"message":"Internal Server Error"}"#);
        Response::json_text(status, body)
    }
}
