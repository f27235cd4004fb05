//! The prelude of a streamed response: the JSON Lambda reads before the body of a Function URL
//! or a REST API in stream mode (`application/vnd.awslambda.http-integration-response`), then
//! eight NUL bytes, then the body.
//!
//! Written byte for byte as `lambda_http` writes it for the same response (its
//! `MetadataPrelude` through serde): `statusCode`, then `headers` with lowercase names, one
//! string per name or a list when the name repeats, in the order of `http::HeaderMap` (first
//! appearance; removing `set-cookie` moves the last name into its place), `content-type`
//! `application/octet-stream` when there is none, then `cookies`: the `Set-Cookie` values. A
//! test checks it against `lambda_runtime::MetadataPrelude`.

use std::fmt;

use smallvec::SmallVec;

use super::Response;
use super::encode::{Extra, comma, write_cookie, write_str, write_u64};

/// What separates the prelude from the body.
pub(crate) const DELIMITER: [u8; 8] = [0; 8];

/// A header the prelude cannot carry: its name is not an HTTP token, or its value holds
/// something else than visible ASCII, spaces and tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InvalidHeader<'a> {
    pub(crate) name: &'a str,
}

impl fmt::Display for InvalidHeader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the header {:?} cannot be sent in a streamed response's prelude (a name must be an HTTP token, a \
             value visible ASCII, spaces and tabs)",
            self.name
        )
    }
}

/// Writes the prelude of `response`, with the app's `extra` headers, into `out` (cleared
/// first), without the delimiter.
pub(crate) fn encode<'r>(
    out: &mut Vec<u8>,
    response: &Response<'r>,
    extra: &Extra<'r>,
) -> Result<(), InvalidHeader<'r>> {
    out.clear();
    let own_content_type = response.headers().iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    let content_type = response.content_type().filter(|_| !own_content_type).map(|ct| ("Content-Type", ct));
    let all = || response.headers().iter().copied().chain(content_type).chain(extra.iter().copied());
    if let Some((name, _)) = all().find(|(name, value)| !is_token(name) || !is_visible(value)) {
        return Err(InvalidHeader { name });
    }
    // The names as `HeaderMap` holds them: in order of first appearance ...
    let mut names: SmallVec<[&str; 16]> = SmallVec::new();
    for (name, _) in all() {
        if !names.iter().any(|known| known.eq_ignore_ascii_case(name)) {
            names.push(name);
        }
    }
    // ... `set-cookie` taken out (a swap-remove: the last name takes its place) ...
    if let Some(at) = names.iter().position(|name| name.eq_ignore_ascii_case("set-cookie")) {
        names.swap_remove(at);
    }
    // ... and a `content-type` when there is none.
    let default_type = !names.iter().any(|name| name.eq_ignore_ascii_case("content-type"));
    out.extend_from_slice(b"{\"statusCode\":");
    write_u64(out, u64::from(response.status()));
    out.extend_from_slice(b",\"headers\":{");
    for (index, name) in names.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend(name.bytes().map(|b| b.to_ascii_lowercase()));
        out.extend_from_slice(b"\":");
        let values = || all().filter(|(other, _)| other.eq_ignore_ascii_case(name)).map(|(_, value)| value);
        if values().count() == 1 {
            write_str(out, values().next().unwrap_or_default());
        } else {
            out.push(b'[');
            for (index, value) in values().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_str(out, value);
            }
            out.push(b']');
        }
    }
    if default_type {
        if !names.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(b"\"content-type\":\"application/octet-stream\"");
    }
    out.extend_from_slice(b"},\"cookies\":[");
    let mut first = true;
    for (_, value) in all().filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie")) {
        comma(out, &mut first);
        write_str(out, value);
    }
    for cookie in response.cookies() {
        comma(out, &mut first);
        write_cookie(out, cookie);
    }
    out.extend_from_slice(b"]}");
    Ok(())
}

/// An HTTP header name: a token (RFC 9110's `tchar`s), not empty.
fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A header value `http::HeaderValue::to_str` reads back: visible ASCII, spaces and tabs.
fn is_visible(value: &str) -> bool {
    value.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
}
