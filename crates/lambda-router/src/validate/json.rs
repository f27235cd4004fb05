//! A JSON body as validation walks it: a cursor over simd-json's tape (each step is an index,
//! no scan from the start), and where the reference says a body that is not JSON went wrong.
//!
//! The reference reads bodies with Python's `json.loads`, which takes more than JSON: `NaN`,
//! `Infinity` and `-Infinity`, numbers past `f64` (`1e400` is infinite), and `\u` escapes of
//! lone surrogates. Such a body ([`python_error_position`] is `None` for it) is rewritten into
//! JSON simd-json takes ([`to_standard`]) and read with the original text at hand
//! ([`Json::python`]): each such number is read again from the original's literal, each string
//! asked whether the original held a lone surrogate.

use bumpalo::Bump;
use simd_json::{Node, StaticNode};

/// A value of a parsed body: a slice of the tape that starts with the value, the whole tape and
/// the body's text (to read again an integer past 64 bits, which simd-json reads as a float).
#[derive(Clone, Copy, Debug)]
pub struct Json<'t, 'a> {
    nodes: &'t [Node<'a>],
    root: &'t [Node<'a>],
    text: &'a str,
    /// The tape is of [`to_standard`]'s rewriting of `text`, a body of Python's extensions.
    python: bool,
}

/// What a [`Json`] value is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum JsonKind<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer that fits an `i64`.
    Int(i64),
    /// An integer above `i64::MAX`.
    UInt(u64),
    /// Any other number.
    Float(f64),
    /// An integer past 64 bits, as the body writes it (simd-json reads it as a float; Python
    /// reads it exactly).
    BigInt(&'a str),
    /// A string, unescaped.
    Str(&'a str),
    /// An array of so many elements.
    Array(usize),
    /// An object of so many members.
    Object(usize),
}

/// The integer a JSON value is to an integer `Literal`, as pydantic looks one up among the
/// literal's values: an integer; `true` and `false`, which Python holds equal to 1 and 0; a
/// float equal to an integer (`2.0`). An integer past 64 bits is `int_parsing_size` (pydantic
/// reads the literal's key as an `i64`); anything else matches no value.
pub fn int_literal_key(json: Json<'_, '_>) -> Result<Option<i64>, crate::validate::ErrorType> {
    Ok(match json.kind() {
        JsonKind::Int(value) => Some(value),
        JsonKind::Bool(value) => Some(i64::from(value)),
        // `-2^63 <= value < 2^63`: the cast is exact.
        JsonKind::Float(value)
            if value.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&value) =>
        {
            Some(value as i64)
        }
        JsonKind::UInt(_) | JsonKind::BigInt(_) => return Err(crate::validate::ErrorType::IntParsingSize),
        _ => None,
    })
}

/// The JSON of a field's default, for the schema (used by the derives' generated code).
pub fn default_json<T: serde::Serialize>(make: Option<fn() -> T>) -> String {
    make.and_then(|make| serde_json::to_string(&make()).ok()).unwrap_or_else(|| "null".to_owned())
}

/// The number of tape nodes a value takes, itself included.
fn span(node: &Node<'_>) -> usize {
    match node {
        Node::Object { count, .. } | Node::Array { count, .. } => count + 1,
        _ => 1,
    }
}

impl<'t, 'a> Json<'t, 'a> {
    /// The value at the start of `nodes` (a whole tape, or a value's slice of it); `None` for an
    /// empty tape.
    pub(crate) fn new(nodes: &'t [Node<'a>], text: &'a str) -> Option<Json<'t, 'a>> {
        (!nodes.is_empty()).then_some(Json { nodes, root: nodes, text, python: false })
    }

    /// The value at the start of `nodes`, the tape of [`to_standard`]`(text)`: `text` is a body
    /// only Python's `json.loads` takes.
    pub(crate) fn python(nodes: &'t [Node<'a>], text: &'a str) -> Option<Json<'t, 'a>> {
        (!nodes.is_empty()).then_some(Json { nodes, root: nodes, text, python: true })
    }

    /// What the value is.
    pub fn kind(&self) -> JsonKind<'a> {
        match self.nodes[0] {
            Node::String(text) => JsonKind::Str(text),
            Node::Object { len, .. } => JsonKind::Object(len),
            Node::Array { len, .. } => JsonKind::Array(len),
            Node::Static(StaticNode::Null) => JsonKind::Null,
            Node::Static(StaticNode::Bool(b)) => JsonKind::Bool(b),
            Node::Static(StaticNode::I64(n)) => JsonKind::Int(n),
            Node::Static(StaticNode::U64(n)) => i64::try_from(n).map_or(JsonKind::UInt(n), JsonKind::Int),
            Node::Static(StaticNode::F64(x)) if self.python => match self.literal() {
                Some("NaN") => JsonKind::Float(f64::NAN),
                Some("Infinity") => JsonKind::Float(f64::INFINITY),
                Some("-Infinity") => JsonKind::Float(f64::NEG_INFINITY),
                Some(literal) if !literal.contains(['.', 'e', 'E']) => {
                    literal.parse().map_or(JsonKind::BigInt(literal), JsonKind::Int)
                }
                Some(literal) => JsonKind::Float(literal.parse().unwrap_or(x)),
                None => JsonKind::Float(x),
            },
            Node::Static(StaticNode::F64(x)) if x.fract() == 0.0 && x.abs() >= 9.2e18 => match self.literal() {
                Some(literal) if !literal.contains(['.', 'e', 'E']) => JsonKind::BigInt(literal),
                _ => JsonKind::Float(x),
            },
            Node::Static(StaticNode::F64(x)) => JsonKind::Float(x),
        }
    }

    /// The elements of an array (nothing for another value), in order.
    pub fn elements(&self) -> impl Iterator<Item = Json<'t, 'a>> + use<'t, 'a> {
        let children = match self.nodes[0] {
            Node::Array { len, count } => Children { rest: &self.nodes[1..=count], left: len, keyed: false, of: *self },
            _ => Children { rest: &[], left: 0, keyed: false, of: *self },
        };
        children.map(|child| child.json)
    }

    /// The members of an object (nothing for another value), in order, as `(key, value)`.
    pub fn members(&self) -> impl Iterator<Item = (&'a str, Json<'t, 'a>)> + use<'t, 'a> {
        let children = match self.nodes[0] {
            Node::Object { len, count } => Children { rest: &self.nodes[1..=count], left: len, keyed: true, of: *self },
            _ => Children { rest: &[], left: 0, keyed: true, of: *self },
        };
        children.map_while(|value| Some((value.key?, value.json)))
    }
}

impl<'a> Json<'_, 'a> {
    /// How many nodes of the tape before this value are `matching`.
    fn ordinal(&self, matching: impl Fn(&Node<'_>) -> bool) -> Option<usize> {
        let index =
            (self.nodes.as_ptr() as usize).checked_sub(self.root.as_ptr() as usize)? / std::mem::size_of::<Node<'_>>();
        Some(self.root.get(..index)?.iter().filter(|node| matching(node)).count())
    }

    /// The number literal of this value as the body writes it: the n-th number of the text for
    /// the n-th number node of the tape (both in document order). Only asked for integral
    /// floats past 64 bits, and for a body of Python's extensions, so the scan runs for those
    /// alone.
    fn literal(&self) -> Option<&'a str> {
        let is_number = |node: &Node<'_>| {
            matches!(node, Node::Static(StaticNode::I64(_) | StaticNode::U64(_) | StaticNode::F64(_)))
        };
        nth_number(self.text, self.ordinal(is_number)?)
    }

    /// Whether this string held a lone surrogate (`"\ud800"`), which Python's `json.loads`
    /// takes and pydantic then reads as text only where it keeps it whole (an unconstrained
    /// `str`): as anything else (a bounded string, a number, a date, a literal) it is
    /// `string_unicode`. Always `false` for a body of JSON.
    pub fn has_lone_surrogate(&self) -> bool {
        if !self.python || !matches!(self.nodes.first(), Some(Node::String(_))) {
            return false;
        }
        // Keys are string nodes too, in document order as in the text.
        let token = self.ordinal(|node| matches!(node, Node::String(_))).and_then(|n| nth_string(self.text, n));
        token.is_some_and(|token| lone_surrogates(token).next().is_some())
    }
}

/// The `n`-th string token (from 0, keys included) of a JSON text, quotes included.
fn nth_string(text: &str, n: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let (mut at, mut seen) = (0, 0);
    while at < bytes.len() {
        if bytes[at] != b'"' {
            at += 1;
            continue;
        }
        let start = at;
        at = string_end(bytes, at);
        if seen == n {
            return text.get(start..at);
        }
        seen += 1;
    }
    None
}

/// Where the string token that starts at `start` (its `"`) ends: past its closing quote.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while at < bytes.len() && bytes[at] != b'"' {
        at += if bytes[at] == b'\\' { 2 } else { 1 };
    }
    (at + 1).min(bytes.len())
}

/// The byte ranges of the `\uXXXX` escapes of a string token that are lone surrogates: a high
/// one not followed by a low one's escape, or a low one not after a high one.
fn lone_surrogates(token: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = token.as_bytes();
    let unit = move |at: usize| -> Option<u16> {
        let escape = bytes.get(at..at + 6)?;
        if escape[0] != b'\\' || escape[1] != b'u' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&escape[2..]).ok()?, 16).ok()
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            if bytes[at] != b'\\' {
                at += 1;
                continue;
            }
            let Some(code) = unit(at) else {
                // Another escape: two characters.
                at += 2;
                continue;
            };
            let start = at;
            at += 6;
            match code {
                0xD800..=0xDBFF if unit(at).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low)) => at += 6,
                0xD800..=0xDFFF => return Some(start..start + 6),
                _ => {}
            }
        }
        None
    })
}

/// The body rewritten as JSON simd-json reads, for a text only Python's `json.loads` takes
/// (see the module's notes): `NaN`, `Infinity`, `-Infinity` and numbers past `f64` become `0.0`
/// (read again from `text` by [`Json::kind`]), lone surrogates' escapes `\ufffd` (marked by
/// [`Json::has_lone_surrogate`]). The tokens keep their order, which is how they are found.
pub(crate) fn to_standard<'a>(text: &str, arena: &'a Bump) -> &'a str {
    let bytes = text.as_bytes();
    let mut out = bumpalo::collections::String::with_capacity_in(text.len() + 16, arena);
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let start = at;
                at = string_end(bytes, at);
                let token = &text[start..at];
                let mut copied = 0;
                for lone in lone_surrogates(token) {
                    out.push_str(&token[copied..lone.start]);
                    out.push_str("\\ufffd");
                    copied = lone.end;
                }
                out.push_str(&token[copied..]);
            }
            b'N' | b'I' | b'-' | b'0'..=b'9' => {
                let token = number_token(text, at);
                let standard = match token {
                    "NaN" | "Infinity" | "-Infinity" => false,
                    _ => token.parse::<f64>().is_ok_and(f64::is_finite),
                };
                out.push_str(if standard { token } else { "0.0" });
                at += token.len().max(1);
            }
            _ => {
                // Structure and whitespace, one character at a time.
                let next = text[at..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&text[at..at + next]);
                at += next;
            }
        }
    }
    out.into_bump_str()
}

/// The number token (Python's extensions included) that starts at `at`.
fn number_token(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    for word in ["NaN", "Infinity", "-Infinity"] {
        if rest.starts_with(word) {
            return &rest[..word.len()];
        }
    }
    let len = rest.bytes().take_while(|b| matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')).count();
    &rest[..len]
}

/// The `n`-th number literal (from 0) of a JSON text, strings skipped; `NaN`, `Infinity` and
/// `-Infinity` are numbers (outside strings, a JSON text's only capitals).
fn nth_number(text: &str, n: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let (mut at, mut seen) = (0, 0);
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                at += 1;
            }
            b'N' | b'I' | b'-' | b'0'..=b'9' => {
                let token = number_token(text, at);
                if seen == n {
                    return Some(token);
                }
                seen += 1;
                at += token.len().max(1);
            }
            _ => at += 1,
        }
    }
    None
}

/// Iterates over the children of an array or an object.
struct Children<'t, 'a> {
    rest: &'t [Node<'a>],
    left: usize,
    keyed: bool,
    /// The parent, for the tape and text its children share.
    of: Json<'t, 'a>,
}

/// An element, or an object's member with its key.
struct Child<'t, 'a> {
    key: Option<&'a str>,
    json: Json<'t, 'a>,
}

impl<'t, 'a> Iterator for Children<'t, 'a> {
    type Item = Child<'t, 'a>;

    fn next(&mut self) -> Option<Child<'t, 'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let key = if self.keyed {
            let (first, rest) = self.rest.split_first()?;
            self.rest = rest;
            match first {
                Node::String(key) => Some(*key),
                _ => return None,
            }
        } else {
            None
        };
        let len = span(self.rest.first()?);
        let (value, rest) = self.rest.split_at_checked(len)?;
        self.rest = rest;
        Some(Child { key, json: Json { nodes: value, ..self.of } })
    }
}

/// Where Python's `json.loads` (the reference's body parser) reports `text` invalid: the index
/// of the character, as its `JSONDecodeError.pos`. `None` when Python would parse it (`NaN`,
/// `Infinity`, lone surrogates: JSON simd-json rejects).
///
/// Only called on the error path, after simd-json has rejected the body.
pub(crate) fn python_error_position(text: &str, max_depth: usize) -> Option<usize> {
    let scanner = Scanner { bytes: text.as_bytes(), max_depth };
    let byte = scanner.document().err()?;
    Some(text.get(..byte).map_or(byte, |head| head.chars().count()))
}

struct Scanner<'s> {
    bytes: &'s [u8],
    max_depth: usize,
}

/// The byte offset Python would report.
type Scan = Result<usize, usize>;

impl Scanner<'_> {
    fn document(&self) -> Scan {
        let at = self.whitespace(0);
        let end = self.value(at, 0)?;
        let end = self.whitespace(end);
        if end == self.bytes.len() { Ok(end) } else { Err(end) }
    }

    fn whitespace(&self, mut at: usize) -> usize {
        while matches!(self.bytes.get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            at += 1;
        }
        at
    }

    fn literal(&self, at: usize, word: &[u8]) -> Scan {
        if self.bytes[at..].starts_with(word) { Ok(at + word.len()) } else { Err(at) }
    }

    fn value(&self, at: usize, depth: usize) -> Scan {
        if depth > self.max_depth {
            return Err(at);
        }
        match self.bytes.get(at) {
            Some(b'"') => self.string(at),
            Some(b'{') => self.object(at, depth),
            Some(b'[') => self.array(at, depth),
            Some(b'n') => self.literal(at, b"null"),
            Some(b't') => self.literal(at, b"true"),
            Some(b'f') => self.literal(at, b"false"),
            Some(b'N') => self.literal(at, b"NaN"),
            Some(b'I') => self.literal(at, b"Infinity"),
            Some(b'-') if self.bytes[at..].starts_with(b"-Infinity") => Ok(at + 9),
            Some(b'-' | b'0'..=b'9') => self.number(at),
            _ => Err(at),
        }
    }

    /// Python's number pattern, `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`: what follows a
    /// partial match is the caller's error.
    fn number(&self, at: usize) -> Scan {
        let digits = |mut i: usize| {
            let start = i;
            while self.bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            (i, i > start)
        };
        let mut i = at + usize::from(self.bytes[at] == b'-');
        match self.bytes.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = digits(i).0,
            _ => return Err(at),
        }
        if self.bytes.get(i) == Some(&b'.')
            && let (end, true) = digits(i + 1)
        {
            i = end;
        }
        if matches!(self.bytes.get(i), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(self.bytes.get(i + 1), Some(b'+' | b'-')));
            if let (end, true) = digits(i + 1 + sign) {
                i = end;
            }
        }
        Ok(i)
    }

    fn string(&self, start: usize) -> Scan {
        let mut i = start + 1;
        loop {
            match self.bytes.get(i) {
                None => return Err(start),
                Some(b'"') => return Ok(i + 1),
                Some(b'\\') => match self.bytes.get(i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    Some(b'u') => {
                        let hex = self.bytes.get(i + 2..i + 6).filter(|h| h.iter().all(u8::is_ascii_hexdigit));
                        if hex.is_none() {
                            return Err(i + 1);
                        }
                        i += 6;
                    }
                    None => return Err(start),
                    Some(_) => return Err(i),
                },
                Some(byte) if *byte < 0x20 => return Err(i),
                Some(_) => i += 1,
            }
        }
    }

    fn object(&self, start: usize, depth: usize) -> Scan {
        let mut at = self.whitespace(start + 1);
        if self.bytes.get(at) == Some(&b'}') {
            return Ok(at + 1);
        }
        loop {
            if self.bytes.get(at) != Some(&b'"') {
                return Err(at);
            }
            at = self.whitespace(self.string(at)?);
            if self.bytes.get(at) != Some(&b':') {
                return Err(at);
            }
            at = self.whitespace(at + 1);
            at = self.whitespace(self.value(at, depth + 1)?);
            match self.bytes.get(at) {
                Some(b'}') => return Ok(at + 1),
                Some(b',') => at = self.whitespace(at + 1),
                _ => return Err(at),
            }
        }
    }

    fn array(&self, start: usize, depth: usize) -> Scan {
        let mut at = self.whitespace(start + 1);
        if self.bytes.get(at) == Some(&b']') {
            return Ok(at + 1);
        }
        loop {
            at = self.whitespace(self.value(at, depth + 1)?);
            match self.bytes.get(at) {
                Some(b']') => return Ok(at + 1),
                Some(b',') => at = self.whitespace(at + 1),
                _ => return Err(at),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::python_error_position;

    /// Positions Python 3's `json.loads` reports (checked against the reference app).
    #[test]
    fn reports_where_python_does() {
        for (text, at) in [
            ("not json", 0),
            (r#"{"customer": "a", "#, 18),
            ("   ", 3),
            ("[1,2", 4),
            (r#"{"a":1}x"#, 7),
            (r#"{"a":1,}"#, 7),
            (r#"{"a" 1}"#, 5),
            ("\u{feff}{}", 0),
            (r#"{"a":tru}"#, 5),
            ("nul", 0),
            (r#"{"a":-}"#, 5),
            (r#"{"a":01}"#, 6),
            (r#"{"a":1.}"#, 6),
            ("{\"é\":x}", 5),
        ] {
            assert_eq!(python_error_position(text, 64), Some(at), "{text}");
        }
        for valid in [r#"{"a":NaN}"#, "[Infinity,-Infinity]", r#""\ud800""#, "1e5", "-0.5E-3", "{}"] {
            assert_eq!(python_error_position(valid, 64), None, "{valid}");
        }
        assert_eq!(python_error_position(&"[".repeat(100), 64), Some(65));
    }
}
