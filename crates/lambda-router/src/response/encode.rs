//! The Lambda response of each source, written as JSON into a reused buffer.
//!
//! | source | headers | cookies |
//! |---|---|---|
//! | REST API v1, ALB multi-value | `multiValueHeaders` | `Set-Cookie` values |
//! | HTTP API v2, Function URL, VPC Lattice | `headers` (repeated names joined with `, `) | `cookies` |
//! | ALB | `headers` (the last value of a repeated name) | `Set-Cookie`: the last cookie |
//!
//! (The reference's header serializers, per source.) Never allocates once the buffer has
//! grown to the largest response; never fails.

use std::fmt::{self, Write as _};

use crate::response::{Body, Cookie, Response};

/// Headers the app adds to a handler's response (CORS, `Vary`, `Content-Encoding`, ...).
pub(crate) type Extra<'s> = [(&'s str, &'s str)];

/// The body as it goes on the wire.
#[derive(Debug, Clone, Copy)]
pub(crate) enum WireBody<'b> {
    /// Sent as a JSON string.
    Text(&'b str),
    /// Sent base64-encoded.
    Base64(&'b [u8]),
}

/// How a source wants headers and cookies (the table above); the app maps each event source
/// to one, so this module knows nothing of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `multiValueHeaders`, cookies as `Set-Cookie` values.
    MultiValue,
    /// `headers` with repeated names joined, cookies in `cookies`.
    JoinedWithCookies,
    /// `headers` with the last value of a repeated name, one `Set-Cookie`.
    LastValue,
}

/// An Amazon Bedrock agent's call, echoed in its answer (the app maps the event to it, so this
/// module knows nothing of events).
#[derive(Debug, Clone, Copy)]
pub(crate) enum AgentEcho<'s> {
    /// An action group's operation.
    Operation { action_group: &'s str, api_path: &'s str, http_method: &'s str },
    /// An action group's function, and the event's session attributes (kept when the function
    /// sets none).
    Function {
        action_group: &'s str,
        function: &'s str,
        session: &'s [(&'s str, &'s str)],
        prompt_session: &'s [(&'s str, &'s str)],
    },
}

/// Writes an Amazon Bedrock agent's answer into `out` (cleared first): the call echoed, the
/// status (of an operation), the body as text, and what the response tells the agent.
pub(crate) fn encode_agent(out: &mut Vec<u8>, call: &AgentEcho<'_>, response: &Response<'_>, body: WireBody<'_>) {
    out.clear();
    let reply = response.agent_reply();
    let write_body = |out: &mut Vec<u8>| match body {
        WireBody::Text(text) => write_str(out, text),
        WireBody::Base64(bytes) => {
            out.push(b'"');
            base64_simd::STANDARD.encode_append(bytes, out);
            out.push(b'"');
        }
    };
    out.extend_from_slice(b"{\"messageVersion\":\"1.0\",\"response\":{\"actionGroup\":");
    match *call {
        AgentEcho::Operation { action_group, api_path, http_method } => {
            write_str(out, action_group);
            out.extend_from_slice(b",\"apiPath\":");
            write_str(out, api_path);
            out.extend_from_slice(b",\"httpMethod\":");
            write_str(out, http_method);
            out.extend_from_slice(b",\"httpStatusCode\":");
            write_u64(out, u64::from(response.status()));
            out.extend_from_slice(b",\"responseBody\":{\"application/json\":{\"body\":");
            write_body(out);
            out.extend_from_slice(b"}}}");
            if let Some(session) = reply.session {
                out.extend_from_slice(b",\"sessionAttributes\":");
                write_pairs(out, session);
            }
            if let Some(prompt) = reply.prompt_session {
                out.extend_from_slice(b",\"promptSessionAttributes\":");
                write_pairs(out, prompt);
            }
            if let Some(json) = reply.knowledge_bases {
                if serde_json::from_str::<serde::de::IgnoredAny>(json).is_ok() {
                    out.extend_from_slice(b",\"knowledgeBasesConfiguration\":");
                    out.extend_from_slice(json.as_bytes());
                } else {
                    tracing::error!("knowledgeBasesConfiguration left out: it is not JSON");
                }
            }
        }
        AgentEcho::Function { action_group, function, session, prompt_session } => {
            write_str(out, action_group);
            out.extend_from_slice(b",\"function\":");
            write_str(out, function);
            out.extend_from_slice(b",\"functionResponse\":{\"responseBody\":{\"TEXT\":{\"body\":");
            write_body(out);
            out.extend_from_slice(b"}}");
            if let Some(state) = reply.state {
                out.extend_from_slice(b",\"responseState\":");
                write_str(out, state.as_str());
            }
            out.extend_from_slice(b"}},\"sessionAttributes\":");
            write_pairs(out, reply.session.unwrap_or(session));
            out.extend_from_slice(b",\"promptSessionAttributes\":");
            write_pairs(out, reply.prompt_session.unwrap_or(prompt_session));
        }
    }
    out.push(b'}');
}

/// A JSON object of string pairs.
fn write_pairs(out: &mut Vec<u8>, pairs: &[(&str, &str)]) {
    out.push(b'{');
    let mut first = true;
    for (name, value) in pairs {
        comma(out, &mut first);
        write_str(out, name);
        out.push(b':');
        write_str(out, value);
    }
    out.push(b'}');
}

/// Each header name once, in the order of its first appearance: the one grouping loop of
/// every shape (header lists are short; a quadratic scan beats a map and allocates nothing).
fn distinct_names<'h, I>(all: impl Fn() -> I + 'h) -> impl Iterator<Item = &'h str> + 'h
where
    I: Iterator<Item = (&'h str, &'h str)> + 'h,
{
    all()
        .enumerate()
        .filter_map(move |(index, (name, _))| (!all().take(index).any(|(earlier, _)| earlier == name)).then_some(name))
}

/// Writes the Lambda response of `shape` into `out` (cleared first).
pub(crate) fn encode(out: &mut Vec<u8>, shape: Shape, response: &Response<'_>, extra: &Extra<'_>, body: WireBody<'_>) {
    out.clear();
    out.extend_from_slice(b"{\"statusCode\":");
    write_u64(out, u64::from(response.status()));
    // A handler's own `Content-Type` header wins over the response's content type, as in the
    // reference (`setdefault`).
    let own_content_type = response.headers().iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    let content_type = response.content_type().filter(|_| !own_content_type).map(|ct| ("Content-Type", ct));
    // All headers in order: the handler's, its content type, then the app's.
    let all = || response.headers().iter().copied().chain(content_type).chain(extra.iter().copied());
    let cookies = response.cookies();
    match shape {
        Shape::MultiValue => {
            out.extend_from_slice(b",\"multiValueHeaders\":{");
            let mut first = true;
            for name in distinct_names(all) {
                comma(out, &mut first);
                write_header_text(out, name);
                out.extend_from_slice(b":[");
                let mut first_value = true;
                for (_, value) in all().filter(|(n, _)| *n == name) {
                    comma(out, &mut first_value);
                    write_header_text(out, value);
                }
                if name == "Set-Cookie" {
                    write_cookies(out, cookies, &mut first_value);
                }
                out.push(b']');
            }
            if !cookies.is_empty() && !all().any(|(n, _)| n == "Set-Cookie") {
                comma(out, &mut first);
                out.extend_from_slice(b"\"Set-Cookie\":[");
                write_cookies(out, cookies, &mut true);
                out.push(b']');
            }
            out.push(b'}');
        }
        Shape::JoinedWithCookies => {
            out.extend_from_slice(b",\"headers\":{");
            let mut first = true;
            for name in distinct_names(all) {
                comma(out, &mut first);
                write_header_text(out, name);
                out.extend_from_slice(b":\"");
                let mut first_value = true;
                for (_, value) in all().filter(|(n, _)| *n == name) {
                    if !first_value {
                        out.extend_from_slice(b", ");
                    }
                    first_value = false;
                    escape_header_into(out, value);
                }
                out.push(b'"');
            }
            out.extend_from_slice(b"},\"cookies\":[");
            write_cookies(out, cookies, &mut true);
            out.push(b']');
        }
        Shape::LastValue => {
            out.extend_from_slice(b",\"headers\":{");
            let mut first = true;
            // One `Set-Cookie` only: the reference writes the last cookie, then lets a
            // `Set-Cookie` header overwrite it.
            if let Some(cookie) = cookies.last().filter(|_| !all().any(|(n, _)| n == "Set-Cookie")) {
                comma(out, &mut first);
                out.extend_from_slice(b"\"Set-Cookie\":");
                write_cookie(out, cookie);
            }
            for name in distinct_names(all) {
                if let Some((_, value)) = all().rfind(|(n, _)| *n == name) {
                    comma(out, &mut first);
                    write_header_text(out, name);
                    out.push(b':');
                    write_header_text(out, value);
                }
            }
            out.push(b'}');
        }
    }
    out.extend_from_slice(b",\"body\":");
    match body {
        WireBody::Text(text) => {
            write_str(out, text);
            out.extend_from_slice(b",\"isBase64Encoded\":false}");
        }
        WireBody::Base64(bytes) => {
            out.push(b'"');
            base64_simd::STANDARD.encode_append(bytes, out);
            out.extend_from_slice(b"\",\"isBase64Encoded\":true}");
        }
    }
}

/// The body of a response as it goes on the wire, before compression.
pub(crate) fn wire_body<'b>(body: &Body<'b>) -> WireBody<'b> {
    match body {
        // A stream is gathered before it is encoded; one whose producer was taken is empty.
        Body::Empty | Body::Stream(_) => WireBody::Text(""),
        Body::Text(text) => WireBody::Text(text),
        Body::Binary(bytes) => WireBody::Base64(bytes),
    }
}

pub(crate) fn comma(out: &mut Vec<u8>, first: &mut bool) {
    if !*first {
        out.push(b',');
    }
    *first = false;
}

fn write_cookies(out: &mut Vec<u8>, cookies: &[Cookie<'_>], first: &mut bool) {
    for cookie in cookies {
        comma(out, first);
        write_cookie(out, cookie);
    }
}

pub(crate) fn write_cookie(out: &mut Vec<u8>, cookie: &Cookie<'_>) {
    out.push(b'"');
    // Display writes through the escaping adapter: no intermediate String.
    let _ = write!(Escaping(out), "{cookie}");
    out.push(b'"');
}

/// `fmt::Write` that JSON-escapes into the buffer.
struct Escaping<'o>(&'o mut Vec<u8>);

impl fmt::Write for Escaping<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        escape_header_into(self.0, s);
        Ok(())
    }
}

/// Writes `value` in decimal, with no formatting machinery.
pub(crate) fn write_u64(out: &mut Vec<u8>, value: u64) {
    let mut digits = [0u8; 20];
    let mut n = value;
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Writes a header name or value as a JSON string, with control characters (CR, LF, NUL...)
/// turned into spaces: whatever a handler echoes from a request, no response header can be
/// split or injected.
fn write_header_text(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    escape_header_into(out, text);
    out.push(b'"');
}

fn escape_header_into(out: &mut Vec<u8>, text: &str) {
    if !text.bytes().any(|b| b < 0x20 || b == 0x7F) {
        return escape_into(out, text);
    }
    for part in text.split(|c: char| c.is_ascii_control()) {
        escape_into(out, part);
        out.push(b' ');
    }
    out.pop();
}

/// Writes `text` as a JSON string.
pub(crate) fn write_str(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    escape_into(out, text);
    out.push(b'"');
}

/// What each byte becomes in a JSON string: 0, itself; `u`, `\u00XX`; else the letter after
/// a backslash.
const ESCAPES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x7F] = b'u';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table[b'\n' as usize] = b'n';
    table[b'\r' as usize] = b'r';
    table[b'\t' as usize] = b't';
    table
};

/// Writes `text` JSON-escaped (without quotes). The plain bytes before the first escape are
/// found eight at a time and copied whole (most strings: a method, a path, a header); from
/// there, each piece of at most `PIECE` bytes is written into room made for its worst case
/// (every byte `\u00XX`), then cut to what was written (a push would check the vector's
/// capacity at every byte, and a copy call costs more than the few bytes between a JSON body's
/// quotes).
pub(crate) fn escape_into(out: &mut Vec<u8>, text: &str) {
    const PIECE: usize = 4096;
    let bytes = text.as_bytes();
    let plain = plain_prefix(bytes);
    out.extend_from_slice(&bytes[..plain]);
    for piece in bytes[plain..].chunks(PIECE) {
        let start = out.len();
        out.resize(start + piece.len() * 6, 0);
        let written = escape_piece(&mut out[start..], piece);
        out.truncate(start + written);
    }
}

/// How many bytes at the start of `bytes` need no escape.
fn plain_prefix(bytes: &[u8]) -> usize {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for eight in &mut words {
        let mask = escape_mask(word_of(eight));
        if mask != 0 {
            return at + first_byte(mask);
        }
        at += 8;
    }
    at + words.remainder().iter().position(|&byte| ESCAPES[byte as usize] != 0).unwrap_or(words.remainder().len())
}

/// Writes `piece` escaped into `room` (at least six bytes for each of `piece`'s); returns how
/// many bytes it wrote. A word at a time: its eight bytes are stored whole, then, if one needs
/// escaping, the output stops at the first such byte, its escape is written over the rest, and
/// the next word starts after it. So a plain run costs a store per eight bytes, and an escape
/// one word's test, wherever it falls.
///
/// The room never runs out: before each step `at <= 6 * i` (each byte read wrote at most six),
/// so a word's store ends at `6 * i + 8 <= 6 * piece.len()` while eight bytes are left to read,
/// and an escape of byte `i + p` ends at `at + p + 6 <= 6 * (i + p + 1)`.
fn escape_piece(room: &mut [u8], piece: &[u8]) -> usize {
    let mut at = 0;
    let mut i = 0;
    while let Some(eight) = piece.get(i..i + 8) {
        room[at..at + 8].copy_from_slice(eight);
        let mask = escape_mask(word_of(eight));
        if mask == 0 {
            at += 8;
            i += 8;
            continue;
        }
        let p = first_byte(mask);
        at += p;
        at += escape_byte(&mut room[at..], piece[i + p]);
        i += p + 1;
    }
    for &byte in &piece[i..] {
        at += escape_byte(&mut room[at..], byte);
    }
    at
}

/// Writes `byte` as a JSON string holds it at the start of `room` (six bytes at least);
/// returns how many bytes that is.
fn escape_byte(room: &mut [u8], byte: u8) -> usize {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match ESCAPES[byte as usize] {
        0 => {
            room[0] = byte;
            1
        }
        b'u' => {
            room[..6].copy_from_slice(&[b'\\', b'u', b'0', b'0', HEX[(byte >> 4) as usize], HEX[(byte & 15) as usize]]);
            6
        }
        letter => {
            room[..2].copy_from_slice(&[b'\\', letter]);
            2
        }
    }
}

/// Eight bytes as a word, the first in its lowest byte.
fn word_of(eight: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(eight);
    u64::from_le_bytes(word)
}

/// The index of the byte of the lowest bit set in an `escape_mask`.
const fn first_byte(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The bytes of `word` that are escaped in a JSON string (`ESCAPES`: below 0x20, `"`, `\`, or
/// 0x7F), as the high bit of each: zero when none is. A byte's test borrows from the next only
/// when the byte itself matched, so the lowest bit set is exact (bits above it may not be): it
/// marks the first byte to escape.
const fn escape_mask(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const fn zero_byte(word: u64) -> u64 {
        word.wrapping_sub(ONES) & !word & HIGHS
    }
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    let quote = zero_byte(word ^ (ONES * b'"' as u64));
    let backslash = zero_byte(word ^ (ONES * b'\\' as u64));
    let delete = zero_byte(word ^ (ONES * 0x7F));
    control | quote | backslash | delete
}

#[cfg(test)]
mod escape_tests {
    use proptest::prelude::*;

    use super::escape_into;

    /// The definition, a byte at a time.
    fn escaped(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for &byte in text.as_bytes() {
            match byte {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x00..=0x1F | 0x7F => out.extend_from_slice(format!("\\u{byte:04x}").as_bytes()),
                _ => out.push(byte),
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        /// Every byte that needs escaping, next to plain runs of every length.
        #[test]
        fn escapes_as_the_byte_by_byte_definition(text in "[\\x00-\\x21\"\\\\\\x7Fa-zé😀]{0,40}") {
            let mut out = b"prefix".to_vec();
            escape_into(&mut out, &text);
            prop_assert_eq!(&out[6..], &escaped(&text)[..]);
        }
    }

    /// The word test against the table, for every byte value at every position of a word
    /// whose other bytes are plain, or are every other value: the mask is zero exactly when no
    /// byte needs escaping, and its lowest bit marks the first that does.
    #[test]
    fn the_mask_marks_the_first_byte_to_escape() {
        for position in 0..8 {
            for byte in 0..=255u8 {
                for filler in [b'a', 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E, 0x80, 0xFF, 0x00, b'"', byte] {
                    let mut word = [filler; 8];
                    word[position] = byte;
                    let expected = word.iter().position(|&b| super::ESCAPES[b as usize] != 0);
                    let mask = super::escape_mask(u64::from_le_bytes(word));
                    assert_eq!((mask != 0).then(|| super::first_byte(mask)), expected, "{word:?}");
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        /// The same on random words: any mix of bytes, escaped or not, in any order.
        #[test]
        fn the_mask_marks_the_first_byte_of_any_word(word in any::<[u8; 8]>()) {
            let expected = word.iter().position(|&b| super::ESCAPES[b as usize] != 0);
            let mask = super::escape_mask(u64::from_le_bytes(word));
            prop_assert_eq!((mask != 0).then(|| super::first_byte(mask)), expected);
        }
    }

    /// Texts longer than a piece: escapes on both sides of each piece's edge.
    #[test]
    fn long_texts_across_pieces() {
        for (plain, every) in [(0, 1), (1, 7), (4095, 4096), (5000, 3), (10, 4097)] {
            let text: String = (0..12_000)
                .map(|i| if i >= plain && (i - plain) % every == 0 { ['"', '\n', '\u{1}', '\\'][i % 4] } else { 'x' })
                .collect();
            let mut out = b"prefix".to_vec();
            escape_into(&mut out, &text);
            assert_eq!(&out[6..], &escaped(&text)[..], "plain {plain}, an escape every {every}");
        }
    }

    #[test]
    fn every_byte_value_alone_and_in_a_word() {
        for byte in 0u8..0x80 {
            let c = char::from(byte);
            for text in
                [c.to_string(), format!("abcdefg{c}"), format!("{c}bcdefghijklmnop"), format!("abcdefghij{c}kl")]
            {
                let mut out = Vec::new();
                escape_into(&mut out, &text);
                assert_eq!(out, escaped(&text), "{byte:#x} in {text:?}");
            }
        }
    }
}
