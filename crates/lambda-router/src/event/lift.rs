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
    pub(crate) body: Option<Lifted<'a>>,
}

/// A body lifted out of the event: its text, and its bytes when the event said base64 and the
/// strict decoder took it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lifted<'a> {
    pub(crate) text: &'a str,
    pub(crate) decoded: Option<&'a [u8]>,
}

/// The event's copy, its body lifted out when it can be (see the module's notes).
pub(crate) fn copy<'a>(arena: &'a Bump, input: &[u8]) -> Copy<'a> {
    if let Some(Liftable { range, base64 }) = liftable_body(input) {
        let text = &input[range.clone()];
        let decoded = if base64 { decode(arena, text) } else { None };
        if decoded.is_some() || printable(text) {
            let len = input.len() - range.len();
            let mut buffer = bumpalo::collections::Vec::with_capacity_in(len + simd_json::INPUT_PADDING, arena);
            buffer.extend_from_slice(&input[..range.start]);
            buffer.extend_from_slice(&input[range.end..]);
            buffer.resize(len + simd_json::INPUT_PADDING, 0);
            let body = arena.alloc_slice_copy(text);
            // SAFETY: every byte of `text` is ASCII, hence the copy is UTF-8: either the strict
            // base64 decoder accepted it (the alphabet and `=` only) or `printable` found it in
            // 0x20..0x80. `body` is a copy no one else holds. Can safe code outside this module
            // break it? No: both checks and this line are in this function, over bytes only it
            // can reach. (`str::from_utf8` would read all the bytes again.)
            let text = unsafe { std::str::from_utf8_unchecked(body) };
            return Copy { buffer: buffer.into_bump_slice_mut(), len, body: Some(Lifted { text, decoded }) };
        }
    }
    Copy { buffer: super::json::padded_copy(arena, input), len: input.len(), body: None }
}

/// `text` strictly base64-decoded into the arena; `None` if the decoder refuses it.
fn decode<'a>(arena: &'a Bump, text: &[u8]) -> Option<&'a [u8]> {
    let base64 = base64_simd::STANDARD;
    let len = base64.decoded_length(text).ok()?;
    // Uninitialised: the decoder writes every byte of what it returns.
    let out = arena.alloc_slice_fill_copy(len, std::mem::MaybeUninit::<u8>::uninit());
    base64.decode(text, base64_simd::Out::from_uninit_slice(out)).ok().map(|bytes| &*bytes)
}

/// A body that may be lifted: where its text is, and whether the event said base64.
#[derive(Debug, PartialEq)]
struct Liftable {
    range: Range<usize>,
    base64: bool,
}

/// Where the top-level `body` string's text is, when it can be lifted: one `body` key, its value
/// a string of at least [`LIFT_MIN`] bytes. Its bytes are checked by the caller: base64, or
/// printable ASCII without an escape.
fn liftable_body(input: &[u8]) -> Option<Liftable> {
    if input.len() < LIFT_MIN {
        return None;
    }
    let mut at = 0;
    let mut depth = 0usize;
    // At depth 1: whether the next string is a key, and the last key read.
    let mut expect_key = false;
    let mut key: &[u8] = b"";
    let (mut body_keys, mut found, mut base64) = (0, None, false);
    while at < input.len() {
        match input[at] {
            b'"' if depth == 1 && !expect_key && key == b"body" => {
                // The body's value, up to its first quote (see `first_quote_end`).
                let end = first_quote_end(input, at)?;
                found = Some(at + 1..end - 1);
                at = end;
                continue;
            }
            b't' if depth == 1 && !expect_key && (key == b"isBase64Encoded" || key == b"is_base64_encoded") => {
                base64 = true;
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
    found.filter(|range| body_keys == 1 && range.len() >= LIFT_MIN).map(|range| Liftable { range, base64 })
}

/// The end (past its first quote) of the string token that starts at `start`. An escaped quote
/// ends it too early: the text then holds a `\\`, which neither the strict decoder nor
/// [`printable`] accepts, and the event is copied whole.
fn first_quote_end(input: &[u8], start: usize) -> Option<usize> {
    Some(start + 1 + memchr::memchr(b'"', input.get(start + 1..)?)? + 1)
}

/// Whether every byte is printable ASCII (`0x20..0x80`) and no `\\`, as a JSON string's text must
/// be to need no unescaping: 64 bytes at a time (a form the compiler turns into vector
/// compares).
fn printable(text: &[u8]) -> bool {
    let bad = |b: u8| b == b'\\' || b.wrapping_sub(0x20) >= 0x60;
    let blocks = text.chunks_exact(64);
    let rest = blocks.remainder();
    !blocks.into_iter().any(|block| block.iter().fold(false, |any, &b| any | bad(b))) && !rest.iter().any(|&b| bad(b))
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
    use bumpalo::Bump;

    use super::{LIFT_MIN, Liftable, copy, first_quote_end, liftable_body, printable};

    fn event(body: &str, base64: &str) -> String {
        format!(
            r#"{{"httpMethod":"POST","headers":{{"body":"x","a":["b"]}},"body":"{body}","isBase64Encoded":{base64}}}"#
        )
    }

    /// What `copy` lifted: the text and the decoded bytes; `None` when the event was copied whole.
    fn lifted(text: &str) -> Option<(String, Option<Vec<u8>>)> {
        let arena = Bump::new();
        let copy = copy(&arena, text.as_bytes());
        let document = std::str::from_utf8(&copy.buffer[..copy.len]).unwrap().to_owned();
        copy.body.map(|body| {
            assert!(document.contains(r#""body":"""#), "{document}");
            (body.text.to_owned(), body.decoded.map(<[u8]>::to_vec))
        })
    }

    #[test]
    fn lifts_one_long_plain_top_level_body() {
        let body = "QUJD".repeat(LIFT_MIN / 4);
        let text = event(&body, "true");
        let Liftable { range, base64 } = liftable_body(text.as_bytes()).expect("liftable");
        assert_eq!((&text[range], base64), (body.as_str(), true));
        assert_eq!(lifted(&text), Some((body.clone(), Some(b"ABC".repeat(LIFT_MIN / 4)))));
        // Not base64: lifted as text, not decoded.
        assert_eq!(lifted(&event(&body, "false")), Some((body.clone(), None)));
        // Lattice's key, and the flag before the body.
        let lattice = format!(r#"{{"is_base64_encoded": true,"body":"{body}"}}"#);
        assert_eq!(lifted(&lattice).and_then(|(_, decoded)| decoded).map(|d| d.len()), Some(3 * LIFT_MIN / 4));
    }

    #[test]
    fn a_body_the_strict_decoder_refuses_is_checked_as_text() {
        // Printable but no strict base64 (a space): lifted as text, for the lenient decoder.
        for odd in [" ", "\u{7f}"] {
            let spaced = format!("{}{odd}QUJD", "QUJD".repeat(LIFT_MIN / 4));
            assert_eq!(lifted(&event(&spaced, "true")), Some((spaced.clone(), None)));
        }
        // Neither base64 nor printable: the event is copied whole, for simd-json to judge.
        for bad in ["\t", "é", "\u{0}"] {
            let text = format!("{}{bad}", "QUJD".repeat(LIFT_MIN / 4));
            assert_eq!(lifted(&event(&text, "true")), None, "{bad:?}");
            assert_eq!(lifted(&event(&text, "false")), None, "{bad:?}");
        }
    }

    #[test]
    fn leaves_everything_else_to_simd_json() {
        let long = "a".repeat(LIFT_MIN);
        for (what, text) in [
            ("short", event("QUJD", "true")),
            ("two body keys", format!(r#"{{"body":"{long}","body":"{long}"}}"#)),
            ("nested only", format!(r#"{{"x":{{"body":"{long}"}}}}"#)),
            ("not a string", format!(r#"{{"body":["{long}"]}}"#)),
            ("unterminated", format!(r#"{{"body":"{long}"#)),
            ("unbalanced", format!(r#"}}{{"body":"{long}"}}"#)),
        ] {
            assert_eq!(liftable_body(text.as_bytes()), None, "{what}");
            assert_eq!(lifted(&text), None, "{what}");
        }
        // An escape: the text up to the first quote holds a backslash, refused either way.
        for (base64, text) in
            [("true", format!("{long}\\n")), ("false", format!("{long}\\n")), ("true", format!("{long}\\\"{long}"))]
        {
            assert_eq!(lifted(&event(&text, base64)), None, "{text:?}");
        }
        // A flag in a string, or nested, is not the event's.
        for text in [
            format!(r#"{{"body":"{long}","isBase64Encoded":"true"}}"#),
            format!(r#"{{"body":"{long}","x":{{"isBase64Encoded":true}}}}"#),
        ] {
            assert_eq!(liftable_body(text.as_bytes()).map(|l| l.base64), Some(false), "{text}");
        }
    }

    #[test]
    fn a_string_ends_at_its_first_quote() {
        for len in 0..140 {
            let plain = [vec![b'"'], vec![b'~'; len], vec![b'"', b'x']].concat();
            assert_eq!(first_quote_end(&plain, 0), Some(len + 2), "{len}");
            assert_eq!(first_quote_end(&plain[..len + 1], 0), None, "unterminated {len}");
        }
    }

    #[test]
    fn printable_is_0x20_to_0x7f() {
        for len in 0..140 {
            let text = vec![b'~'; len];
            assert!(printable(&text), "{len}");
            for at in 0..len {
                for bad in [0x00, 0x1f, 0x80, 0xff, b'\\'] {
                    let mut bytes = text.clone();
                    bytes[at] = bad;
                    assert!(!printable(&bytes), "{bad:#x} at {at} of {len}");
                }
            }
        }
    }
}
