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
/// fn pretty(value: &dyn erased_serde::Serialize, out: &mut Vec<u8>) -> Result<(), String> {
///     let mut serializer = serde_json::Serializer::pretty(out);
///     value.erased_serialize(&mut <dyn erased_serde::Serializer>::erase(&mut serializer)).map_err(|e| e.to_string())
/// }
/// let serializer: lambda_router::JsonSerializer = pretty;
/// # let _ = serializer;
/// ```
pub type JsonSerializer = fn(&dyn erased_serde::Serialize, &mut Vec<u8>) -> Result<(), String>;

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
}
