//! `JsonValue`: a read-only view of a JSON value of the event (the request context, an
//! authorizer's claims), borrowed from the parsed tape.

use simd_json::prelude::*;

use crate::event::json::{Json, elements, member, members, string};

/// A read-only view of a JSON value of the event (the request context, an authorizer).
#[derive(Debug, Clone, Copy)]
pub struct JsonValue<'a>(pub(crate) Json<'a>);

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
