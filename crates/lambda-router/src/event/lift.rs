//! The copy simd-json parses, with a large body lifted out of it.
//!
//! An upload's event is mostly its body: one long string (base64, or text) that simd-json would
//! scan structure by structure to find where it ends, then copy again to unescape. A string
//! with no escape needs neither: when the event's top-level `body` is such a string of at least
//! [`LIFT_MIN`] bytes, the copy simd-json parses holds `"body":""` and the body is copied into
//! the arena once, beside it. The string is checked as simd-json would check it (printable
//! ASCII: no control character, no byte past 0x7F, so UTF-8 too); anything else, and any event
//! this quick scan does not follow, is copied whole as before. The event read from the tape is
//! the same either way ([`detect::parse`](super::detect::parse) puts the body back).

use std::ops::Range;

use bumpalo::Bump;

/// The smallest body worth lifting: below it, the scan and the second copy cost about what
/// simd-json spends on the string.
pub(crate) const LIFT_MIN: usize = 8 * 1024;

/// The invocation's copy for simd-json: `buffer[..len]` is the document (then simd-json's
/// padding), and `body` the lifted body, if one was.
pub(crate) struct Copy<'a> {
    pub(crate) buffer: &'a mut [u8],
    pub(crate) len: usize,
    pub(crate) body: Option<&'a str>,
}

/// The event's copy, its body lifted out when it can be (see the module's notes).
pub(crate) fn copy<'a>(arena: &'a Bump, input: &[u8]) -> Copy<'a> {
    if let Some(range) = liftable_body(input) {
        let len = input.len() - range.len();
        let mut buffer = bumpalo::collections::Vec::with_capacity_in(len + simd_json::INPUT_PADDING, arena);
        buffer.extend_from_slice(&input[..range.start]);
        buffer.extend_from_slice(&input[range.end..]);
        buffer.resize(len + simd_json::INPUT_PADDING, 0);
        let body = arena.alloc_slice_copy(&input[range]);
        // SAFETY: `liftable_body` found every byte of the range in 0x20..0x80 (`plain_string_end`),
        // so the bytes are ASCII, hence UTF-8; `body` is a copy no one else holds. Can safe code
        // outside this module break it? No: the check and this line are in this function, over
        // bytes only it can reach. (`str::from_utf8` would read all the bytes a third time.)
        let body = unsafe { std::str::from_utf8_unchecked(body) };
        return Copy { buffer: buffer.into_bump_slice_mut(), len, body: Some(body) };
    }
    Copy { buffer: super::json::padded_copy(arena, input), len: input.len(), body: None }
}

/// Where the top-level `body` string's text is, when it can be lifted: one `body` key, its value
/// a string of at least [`LIFT_MIN`] bytes, no escape, printable ASCII only.
fn liftable_body(input: &[u8]) -> Option<Range<usize>> {
    if input.len() < LIFT_MIN {
        return None;
    }
    let mut at = 0;
    let mut depth = 0usize;
    // At depth 1: whether the next string is a key, and the last key read.
    let mut expect_key = false;
    let mut key: &[u8] = b"";
    let (mut body_keys, mut found) = (0, None);
    while at < input.len() {
        match input[at] {
            b'"' if depth == 1 && !expect_key && key == b"body" => {
                // The body's value: one pass finds its end and checks its bytes; any other
                // string keeps the event whole.
                let end = plain_string_end(input, at)?;
                found = Some(at + 1..end - 1);
                at = end;
                continue;
            }
            b'"' => {
                let end = string_end(input, at)?;
                if depth == 1 && expect_key {
                    key = &input[at + 1..end - 1];
                    body_keys += usize::from(key == b"body");
                    expect_key = false;
                }
                at = end;
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                expect_key = depth == 1 && input[at] == b'{';
            }
            b'}' | b']' => depth = depth.checked_sub(1)?,
            b',' if depth == 1 => expect_key = true,
            b':' if depth == 1 => expect_key = false,
            _ => {}
        }
        at += 1;
    }
    found.filter(|range| body_keys == 1 && range.len() >= LIFT_MIN)
}

/// The end (past its closing quote) of the string token that starts at `start`, if all it
/// holds is printable ASCII (`0x20..0x80`) without an escape: one pass, 64 bytes at a time (a
/// form the compiler turns into vector compares).
fn plain_string_end(input: &[u8], start: usize) -> Option<usize> {
    let stops = |b: u8| b == b'"' || b == b'\\' || b.wrapping_sub(0x20) >= 0x60;
    let mut at = start + 1;
    while let Some(block) = input.get(at..at + 64) {
        if !block.iter().fold(false, |any, &b| any | stops(b)) {
            at += 64;
            continue;
        }
        break;
    }
    let stop = at + input.get(at..)?.iter().position(|&b| stops(b))?;
    (input[stop] == b'"').then_some(stop + 1)
}

/// The end of the string token that starts at `start` (past its closing quote); `None` when it
/// does not end.
fn string_end(input: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    loop {
        at += memchr::memchr2(b'"', b'\\', input.get(at..)?)?;
        if input[at] == b'"' {
            return Some(at + 1);
        }
        at += 2;
    }
}

#[cfg(test)]
mod tests {
    use super::{LIFT_MIN, liftable_body, plain_string_end};

    fn event(body: &str) -> String {
        format!(r#"{{"httpMethod":"POST","headers":{{"body":"x","a":["b"]}},"body":"{body}","isBase64Encoded":true}}"#)
    }

    #[test]
    fn lifts_one_long_plain_top_level_body() {
        let body = "QUJD".repeat(LIFT_MIN / 4);
        let text = event(&body);
        let range = liftable_body(text.as_bytes()).expect("liftable");
        assert_eq!(&text[range], body);
    }

    #[test]
    fn leaves_everything_else_to_simd_json() {
        let long = "a".repeat(LIFT_MIN);
        for (what, text) in [
            ("short", event("QUJD")),
            ("an escape", event(&format!("{long}\\n"))),
            ("a control character", event(&format!("{long}\t"))),
            ("past ASCII", event(&format!("{long}é"))),
            ("two body keys", format!(r#"{{"body":"{long}","body":"{long}"}}"#)),
            ("nested only", format!(r#"{{"x":{{"body":"{long}"}}}}"#)),
            ("not a string", format!(r#"{{"body":["{long}"]}}"#)),
            ("unterminated", format!(r#"{{"body":"{long}"#)),
            ("unbalanced", format!(r#"}}{{"body":"{long}"}}"#)),
        ] {
            assert_eq!(liftable_body(text.as_bytes()), None, "{what}");
        }
    }

    #[test]
    fn a_plain_string_is_printable_ascii_to_its_quote() {
        for len in 0..140 {
            let plain = [vec![b'"'], vec![b'~'; len], vec![b'"', b'x']].concat();
            assert_eq!(plain_string_end(&plain, 0), Some(len + 2), "{len}");
            assert_eq!(plain_string_end(&plain[..len + 1], 0), None, "unterminated {len}");
            for at in 1..=len {
                for bad in [0x00, 0x1f, 0x80, 0xff, b'\\'] {
                    let mut bytes = plain.clone();
                    bytes[at] = bad;
                    assert_eq!(plain_string_end(&bytes, 0), None, "{bad:#x} at {at} of {len}");
                }
            }
        }
    }
}
