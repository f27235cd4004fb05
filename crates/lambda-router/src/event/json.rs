//! Small accessors over simd-json's tape values that keep the input's lifetime (the trait
//! methods of `value_trait` tie results to the borrow of the value instead).

use simd_json::prelude::*;
use simd_json::tape::{Object, Value};

/// `bytes` followed by simd-json's `INPUT_PADDING` zero bytes, in the arena: what simd-json
/// parses in place. One copy; only the padding is zeroed.
pub(crate) fn padded_copy<'a>(arena: &'a bumpalo::Bump, bytes: &[u8]) -> &'a mut [u8] {
    let len = bytes.len() + simd_json::INPUT_PADDING;
    let mut buffer = bumpalo::collections::Vec::with_capacity_in(len, arena);
    buffer.extend_from_slice(bytes);
    buffer.resize(len, 0);
    buffer.into_bump_slice_mut()
}

/// A value of the tape; input and tape live equally long here.
pub(crate) type Json<'a> = Value<'a, 'a>;

/// The string, if `value` is one.
#[inline]
pub(crate) fn string(value: Json<'_>) -> Option<&str> {
    value.into_string()
}

/// The object, if `value` is one.
#[inline]
pub(crate) fn object(value: Json<'_>) -> Option<Object<'_, '_>> {
    value.into_object()
}

/// The member `key` of an object value.
#[inline]
pub(crate) fn member<'a>(value: Json<'a>, key: &str) -> Option<Json<'a>> {
    object(value)?.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// The members of an object value, in order.
pub(crate) fn members(value: Json<'_>) -> impl Iterator<Item = (&str, Json<'_>)> {
    object(value).into_iter().flat_map(|o| o.iter())
}

/// The elements of an array value (or nothing), in order: one walk along the tape (`get(i)`
/// would walk from the start for each).
pub(crate) fn elements(value: Json<'_>) -> impl Iterator<Item = Json<'_>> {
    value.into_array().into_iter().flat_map(|a| a.iter())
}

/// How many elements an array value has (none for another value).
pub(crate) fn array_len(value: Json<'_>) -> usize {
    value.into_array().map_or(0, |array| array.len())
}

/// The last element of an array value that is a string.
pub(crate) fn last_string(value: Json<'_>) -> Option<&str> {
    let array = value.into_array()?;
    let last = array.len().checked_sub(1)?;
    string(array.get(last)?)
}
