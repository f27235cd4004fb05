//! The request body: raw, base64-decoded, as text, and deserialized from JSON (simd-json over
//! a copy in the arena with buffers reused across invocations, or serde_json where numbers
//! must keep their exact text).

use serde::{Deserialize, Serialize};
use simd_json::{Buffers, tape::Tape};

use super::Request;
use crate::error::BodyError;

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

/// simd-json's buffers and tape for request bodies, and the buffer responses are serialized
/// into, kept in the workspace and reused.
#[derive(Default)]
pub(crate) struct JsonScratch {
    buffers: Option<Buffers>,
    tape: Option<Tape<'static>>,
    /// Where responses are serialized before their one copy into the arena.
    pub(crate) json: Vec<u8>,
}

impl std::fmt::Debug for JsonScratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonScratch").finish_non_exhaustive()
    }
}

/// Base64 as Python's `base64.b64decode` reads it (`binascii.a2b_base64`, not strict), which
/// the reference decodes bodies with: characters outside the alphabet skipped (line breaks,
/// spaces, junk), and the text ends at the padding that completes a quantum (`YQ==YQ` is `a`).
/// `None` where Python raises: text that is not ASCII, or data that stops mid-quantum without
/// its padding. Only read when the strict decoder refused the text.
fn decode_lenient<'a>(text: &[u8], arena: &'a bumpalo::Bump) -> Option<&'a [u8]> {
    if !text.is_ascii() {
        return None;
    }
    let mut out = bumpalo::collections::Vec::with_capacity_in(text.len() / 4 * 3 + 2, arena);
    let (mut quad, mut pads, mut left) = (0u8, 0u8, 0u8);
    for &c in text {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                if quad >= 2 {
                    pads += 1;
                    if quad + pads >= 4 {
                        return Some(out.into_bump_slice());
                    }
                }
                continue;
            }
            _ => continue,
        };
        pads = 0;
        match quad {
            0 => left = value,
            1 => {
                out.push(left << 2 | value >> 4);
                left = value & 0x0f;
            }
            2 => {
                out.push(left << 4 | value >> 2);
                left = value & 0x03;
            }
            _ => out.push(left << 6 | value),
        }
        quad = (quad + 1) % 4;
    }
    (quad == 0).then(|| out.into_bump_slice())
}

impl<'a> Request<'a> {
    /// The body as the event carries it (base64 text when `isBase64Encoded`).
    pub fn raw_body(&self) -> Option<&'a str> {
        self.event.body
    }

    /// Whether the event says the body is base64.
    pub fn is_base64_encoded(&self) -> bool {
        self.event.base64
    }

    /// The body's bytes, base64-decoded when the event says so (into the arena), as the
    /// reference decodes them: line breaks and characters outside the alphabet skipped.
    pub fn body_bytes(&self) -> Result<&'a [u8], BodyError> {
        let Some(body) = self.event.body else {
            return Ok(b"");
        };
        if !self.event.base64 {
            return Ok(body.as_bytes());
        }
        if let Some(decoded) = self.event.decoded {
            return Ok(decoded);
        }
        let base64 = base64_simd::STANDARD;
        let strict = base64.decoded_length(body.as_bytes()).ok().and_then(|len| {
            // Uninitialised: the decoder writes every byte of what it returns.
            let out = self.arena.alloc_slice_fill_copy(len, std::mem::MaybeUninit::<u8>::uninit());
            base64.decode(body.as_bytes(), base64_simd::Out::from_uninit_slice(out)).ok().map(|bytes| &*bytes)
        });
        match strict {
            Some(decoded) => Ok(decoded),
            None => decode_lenient(body.as_bytes(), self.arena).ok_or(BodyError::InvalidBase64),
        }
    }

    /// The body as text (base64-decoded when the event says so).
    pub fn body_str(&self) -> Result<&'a str, BodyError> {
        match self.event.body {
            // Text as the event carries it is a `str` already.
            Some(body) if !self.event.base64 => Ok(body),
            _ => std::str::from_utf8(self.body_bytes()?).map_err(|_| BodyError::InvalidUtf8),
        }
    }

    /// The JSON body deserialized into `T`, borrowing from the body where `T` borrows.
    ///
    /// Parsed by simd-json from a copy of the body in the arena, with buffers reused across
    /// invocations: no heap allocation, escaped strings included (unescaped in place).
    /// [`ExactNumber`] and `serde_json::value::RawValue` need
    /// [`json_exact`](Self::json_exact).
    pub fn json<T: Deserialize<'a>>(&self) -> Result<T, BodyError> {
        self.with_json_tape(|tape| {
            let mut deserializer = simd_json::Deserializer::from_tape(tape);
            // The tape keeps no positions: a shape error cannot say where it stood.
            let value = T::deserialize(&mut deserializer).map_err(|_| BodyError::UnexpectedShape);
            (value, deserializer.into_tape())
        })?
    }

    /// Parses the body with simd-json into the workspace's reused tape and lends the tape to
    /// `read`, which hands it back (emptied by the caller's next parse).
    pub(crate) fn with_json_tape<R>(&self, read: impl FnOnce(Tape<'a>) -> (R, Tape<'a>)) -> Result<R, BodyError> {
        self.parse_json(self.body_str()?, read)
    }

    /// Parses `text` (a body, or a response to validate) with simd-json into the workspace's
    /// reused tape, and lends the tape to `read`.
    pub(crate) fn parse_json<R>(
        &self,
        text: &'a str,
        read: impl FnOnce(Tape<'a>) -> (R, Tape<'a>),
    ) -> Result<R, BodyError> {
        let len = text.len();
        let buffer = crate::event::json::padded_copy(self.arena, text.as_bytes());
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
                let (value, back) = read(parsed);
                parsed = back;
                Ok(value)
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
}

#[cfg(test)]
mod tests {
    use super::decode_lenient;

    /// Each row is what Python 3.11's `base64.b64decode(text)` answers (`None`: it raises).
    #[test]
    fn reads_base64_as_python_does() {
        let rows: [(&str, Option<&[u8]>); 24] = [
            ("YQ", None),
            ("YQ=", None),
            ("YQ==", Some(b"a")),
            ("YQ==YQ", Some(b"a")),
            ("Y=Q==", Some(b"a")),
            ("!!!!", Some(b"")),
            ("e30=\n", Some(b"{}")),
            ("YWJj=", Some(b"abc")),
            ("YQ=x=", Some(b"a\x0c")),
            ("YQ=x", None),
            ("YWI=YWI=", Some(b"ab")),
            ("=YQ==", Some(b"a")),
            ("Y Q = =", Some(b"a")),
            ("YWJ\nj", Some(b"abc")),
            ("a", None),
            ("abcde", None),
            ("abcd=", Some(b"i\xb7\x1d")),
            ("ab=c=d", Some(b"i\xb7")),
            ("YWJjZA", None),
            ("YWJjZA=", None),
            ("YWJjZA===", Some(b"abcd")),
            ("====", Some(b"")),
            ("YWJj\u{0}ZA==", Some(b"abcd")),
            ("\u{e9}", None),
        ];
        let arena = bumpalo::Bump::new();
        for (text, expected) in rows {
            assert_eq!(decode_lenient(text.as_bytes(), &arena), expected, "{text:?}");
        }
    }
}
