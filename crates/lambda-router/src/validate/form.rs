//! Bodies that are not JSON: url-encoded forms and multipart uploads, read as the reference
//! reads them, borrowing from the decoded body (a file's bytes are a slice of it). Nothing here
//! allocates on the heap: names and values that need percent-decoding are decoded into the
//! invocation's arena, parts are listed there.
//!
//! The body's kind is the reference's choice by `Content-Type` (the single-value header, read
//! in any case): none or `application/json…` is JSON, `application/x-www-form-urlencoded…` a
//! form, `multipart/form-data…` a multipart body; anything else is refused with 415.

use bumpalo::Bump;
use bumpalo::collections::Vec as ArenaVec;

use crate::error::BodyError;

/// How a body is read, by its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind<'a> {
    Json,
    Form,
    /// The boundary, if the header gives one.
    Multipart(Option<&'a str>),
    /// The content type, refused.
    Unsupported,
}

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// The kind of a body with this `Content-Type` (as the reference compares it: trimmed, then a
/// case-sensitive prefix).
pub(crate) fn body_kind(content_type: Option<&str>) -> BodyKind<'_> {
    let content_type = content_type.unwrap_or("").trim();
    if content_type.is_empty() || content_type.starts_with(JSON) {
        BodyKind::Json
    } else if content_type.starts_with(FORM) {
        BodyKind::Form
    } else if content_type.starts_with(MULTIPART) {
        BodyKind::Multipart(boundary(content_type))
    } else {
        BodyKind::Unsupported
    }
}

/// The `boundary=` parameter of a multipart content type, its quotes removed.
fn boundary(content_type: &str) -> Option<&str> {
    content_type.split(';').map(str::trim).find_map(|segment| {
        let boundary = segment.strip_prefix("boundary=")?;
        Some(boundary.strip_prefix('"').and_then(|b| b.strip_suffix('"')).unwrap_or(boundary))
    })
}

/// One value of a form or a multipart body.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormValue<'a> {
    /// A field's text.
    Text(&'a str),
    /// An uploaded file (a multipart part with a `filename`).
    File {
        /// The filename the client gave.
        filename: &'a str,
        /// The part's `Content-Type`.
        content_type: Option<&'a str>,
        /// The file's bytes.
        bytes: &'a [u8],
    },
}

/// The fields of a form or a multipart body, in order; a repeated name has several.
pub(crate) type Fields<'a> = &'a [(&'a str, FormValue<'a>)];

/// Reads an url-encoded body as Python's `parse_qs(body, keep_blank_values=True)`: pairs
/// split on `&`, a pair without `=` a name with an empty value, `+` a space and `%XX` a byte,
/// in names and values alike; an empty pair skipped.
pub(crate) fn parse_form<'a>(arena: &'a Bump, body: &'a str) -> Fields<'a> {
    let mut fields = ArenaVec::new_in(arena);
    for pair in body.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        fields.push((unquote_plus(arena, name), FormValue::Text(unquote_plus(arena, value))));
    }
    fields.into_bump_slice()
}

/// Python's `urllib.parse.unquote_plus`: `+` is a space, `%XX` a byte, invalid escapes kept as
/// written, the bytes read as UTF-8 with invalid sequences replaced. Borrows when there is
/// nothing to decode.
fn unquote_plus<'a>(arena: &'a Bump, text: &'a str) -> &'a str {
    if !text.contains(['+', '%']) {
        return text;
    }
    let bytes = text.as_bytes();
    let mut out = ArenaVec::with_capacity_in(bytes.len(), arena);
    let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    let decoded = out.into_bump_slice();
    match std::str::from_utf8(decoded) {
        Ok(text) => text,
        Err(_) => bumpalo::collections::String::from_utf8_lossy_in(decoded, arena).into_bump_str(),
    }
}

/// Reads a multipart body as the reference does: split at every `--boundary`; in each part,
/// one leading and one trailing CRLF dropped, headers up to the first blank line (a part without
/// one is skipped), the name and filename read from `Content-Disposition` (`name="..."`), a part
/// without a name skipped; a part with a filename is a file, any other a field, whose text
/// must be UTF-8. A part may hold the boundary's text only as the delimiter: the body is split
/// at each occurrence, as the reference splits it.
pub(crate) fn parse_multipart<'a>(arena: &'a Bump, body: &'a [u8], boundary: &str) -> Result<Fields<'a>, BodyError> {
    if boundary.is_empty() {
        return Err(BodyError::MissingBoundary);
    }
    let mut delimiter = ArenaVec::with_capacity_in(boundary.len() + 2, arena);
    delimiter.extend_from_slice(b"--");
    delimiter.extend_from_slice(boundary.as_bytes());
    let delimiter: &[u8] = delimiter.into_bump_slice();
    let mut fields = ArenaVec::new_in(arena);
    let finder = memchr::memmem::Finder::new(delimiter);
    for raw in split(body, &finder) {
        if py_strip(raw).is_empty() || py_strip(raw) == b"--" {
            continue;
        }
        let mut chunk = raw;
        if let Some(rest) = chunk.strip_prefix(b"\r\n") {
            chunk = rest;
        }
        if let Some(rest) = chunk.strip_suffix(b"\r\n") {
            chunk = rest;
        }
        let Some(header_end) = blank_line(chunk) else {
            continue;
        };
        let headers = std::str::from_utf8(&chunk[..header_end]).map_err(|_| BodyError::InvalidUtf8)?;
        let data = &chunk[header_end + 4..];
        let (mut name, mut filename, mut content_type) = (None, None, None);
        for line in headers.split("\r\n") {
            if starts_with_ignore_case(line, "content-disposition:") {
                name = header_param(line, "name");
                filename = header_param(line, "filename");
            } else if starts_with_ignore_case(line, "content-type:") {
                content_type = line.split_once(':').map(|(_, value)| value.trim());
            }
        }
        let Some(name) = name else { continue };
        let value = match filename {
            Some(filename) => FormValue::File { filename, content_type, bytes: data },
            None => FormValue::Text(std::str::from_utf8(data).map_err(|_| BodyError::InvalidUtf8)?),
        };
        fields.push((name, value));
    }
    Ok(fields.into_bump_slice())
}

/// Where a part's headers end: the first `\r\n\r\n`, a few dozen bytes in, found by a plain
/// scan (a `memmem` searcher built per part cost more than the search).
fn blank_line(chunk: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'\r', chunk.get(at..)?) {
        let start = at + found;
        if chunk.get(start..start + 4) == Some(b"\r\n\r\n") {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// Python's `bytes.strip()`: ASCII whitespace, vertical tab included, off both ends.
fn py_strip(bytes: &[u8]) -> &[u8] {
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let start = bytes.iter().position(|b| !space(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !space(b)).map_or(start, |last| last + 1);
    &bytes[start..end.max(start)]
}

/// `bytes` split at every occurrence of the delimiter `finder` looks for.
fn split<'b, 'f>(
    bytes: &'b [u8],
    finder: &'f memchr::memmem::Finder<'f>,
) -> impl Iterator<Item = &'b [u8]> + use<'b, 'f> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let current = rest?;
        match finder.find(current) {
            Some(at) => {
                rest = Some(&current[at + finder.needle().len()..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

fn starts_with_ignore_case(line: &str, prefix: &str) -> bool {
    line.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// The value of `param="..."` in a header line (the reference's search: the first `param="`,
/// so `name="` also matches inside `filename="` when `name` comes later).
fn header_param<'l>(line: &'l str, param: &str) -> Option<&'l str> {
    let mut search = [0u8; 16];
    let needle_len = param.len() + 2;
    let needle = search.get_mut(..needle_len)?;
    needle[..param.len()].copy_from_slice(param.as_bytes());
    needle[param.len()..].copy_from_slice(b"=\"");
    // A header line is short: a plain scan beats building a searcher for it.
    let start = line.as_bytes().windows(needle_len).position(|window| window == needle)? + needle_len;
    let end = line[start..].find('"')? + start;
    Some(&line[start..end])
}

/// An uploaded file: a `multipart/form-data` part with a filename, its bytes borrowed from the
/// decoded body (no copy). A form field's text, or a JSON string, is read as its bytes, as
/// pydantic reads `bytes`. Declared `#[file] upload: UploadFile<'a>`.
///
/// ```
/// use lambda_router::validate::{Input, UploadFile};
/// #[derive(Input)]
/// struct Upload<'a> {
///     #[file(description = "the file")]
///     file: UploadFile<'a>,
///     #[form(max_length = 10, default = "")]
///     note: &'a str,
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadFile<'a> {
    filename: Option<&'a str>,
    content_type: Option<&'a str>,
    bytes: &'a [u8],
}

impl<'a> UploadFile<'a> {
    /// The file's bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The filename the client gave (`None` for a field's text read as bytes).
    pub fn filename(&self) -> Option<&'a str> {
        self.filename
    }

    /// The part's `Content-Type`, if it has one.
    pub fn content_type(&self) -> Option<&'a str> {
        self.content_type
    }

    /// How many bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn of_text(text: &'a str) -> UploadFile<'a> {
        UploadFile { filename: None, content_type: None, bytes: text.as_bytes() }
    }
}

impl serde::Serialize for UploadFile<'_> {
    /// As pydantic writes bytes: the text they hold (invalid UTF-8 replaced).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(self.bytes) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => serializer.collect_str(&String::from_utf8_lossy(self.bytes)),
        }
    }
}

impl<'a> super::Value<'a> for UploadFile<'a> {
    const SCHEMA: &'static super::Schema = &super::Schema::Bytes;

    fn from_json(
        json: super::Json<'_, 'a>,
        _: &super::Constraints,
        cx: &mut super::Validation<'a>,
    ) -> Option<UploadFile<'a>> {
        match json.kind() {
            super::JsonKind::Str(text) => Some(UploadFile::of_text(text)),
            _ => {
                cx.error(super::ErrorType::BytesType);
                None
            }
        }
    }

    fn from_text(text: &'a str, _: &super::Constraints, _: &mut super::Validation<'a>) -> Option<UploadFile<'a>> {
        Some(UploadFile::of_text(text))
    }

    fn from_form(
        values: super::FormValues<'a>,
        c: &super::Constraints,
        cx: &mut super::Validation<'a>,
    ) -> Option<UploadFile<'a>> {
        match values.first() {
            Some(FormValue::File { filename, content_type, bytes }) => {
                Some(UploadFile { filename: Some(filename), content_type, bytes })
            }
            Some(FormValue::Text(text)) => Self::from_text(text, c, cx),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{BodyKind, FormValue, blank_line, body_kind, header_param, parse_form, parse_multipart};
    use crate::error::BodyError;

    #[test]
    fn the_blank_line_and_header_params_are_found_as_memmem_finds_them() {
        // Every string of up to 7 bytes over `\r`, `\n`, `x`: the plain scans against memmem.
        let alphabet = [b'\r', b'\n', b'x'];
        for len in 0..=7u32 {
            for mut code in 0..3usize.pow(len) {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        let b = alphabet[code % 3];
                        code /= 3;
                        b
                    })
                    .collect();
                assert_eq!(blank_line(&bytes), memchr::memmem::find(&bytes, b"\r\n\r\n"), "{bytes:?}");
            }
        }
        let line = r#"Content-Disposition: form-data; filename="a.txt"; name="file""#;
        assert_eq!(header_param(line, "name"), Some("a.txt"), "the reference's first `name=\"`, inside filename");
        assert_eq!(header_param(line, "filename"), Some("a.txt"));
        assert_eq!(header_param("x", "name"), None);
        assert_eq!(header_param("name=\"", "name"), None);
    }

    #[test]
    fn the_content_type_picks_the_reader_as_the_reference_does() {
        assert_eq!(body_kind(None), BodyKind::Json);
        assert_eq!(body_kind(Some(" application/json; charset=utf-8")), BodyKind::Json);
        assert_eq!(body_kind(Some("application/x-www-form-urlencoded")), BodyKind::Form);
        assert_eq!(body_kind(Some("multipart/form-data; boundary=\"a b\"")), BodyKind::Multipart(Some("a b")));
        assert_eq!(body_kind(Some("multipart/form-data")), BodyKind::Multipart(None));
        assert_eq!(body_kind(Some("Application/JSON")), BodyKind::Unsupported);
        assert_eq!(body_kind(Some("text/plain")), BodyKind::Unsupported);
    }

    /// Rows checked with Python's `parse_qs(body, keep_blank_values=True)`.
    #[test]
    fn forms_read_as_parse_qs_reads_them() {
        let arena = bumpalo::Bump::new();
        let fields = parse_form(&arena, "email=ann%40example.com&age=30&a+b=c+d&flag&&x=%ZZ%41&e=%C3%A9");
        let got: Vec<(&str, FormValue<'_>)> = fields.to_vec();
        assert_eq!(
            got,
            [
                ("email", FormValue::Text("ann@example.com")),
                ("age", FormValue::Text("30")),
                ("a b", FormValue::Text("c d")),
                ("flag", FormValue::Text("")),
                ("x", FormValue::Text("%ZZA")),
                ("e", FormValue::Text("é")),
            ]
        );
    }

    #[test]
    fn multipart_bodies_read_as_the_reference_reads_them() {
        let arena = bumpalo::Bump::new();
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--world\r\n--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--XyZ\r\nno headers here\r\n--XyZ--\r\n";
        let fields = parse_multipart(&arena, body, "XyZ").unwrap();
        assert_eq!(
            fields,
            [
                (
                    "file",
                    FormValue::File { filename: "a.txt", content_type: Some("text/plain"), bytes: b"hello\r\n--world" }
                ),
                ("note", FormValue::Text("hi")),
            ]
        );
        assert_eq!(parse_multipart(&arena, body, ""), Err(BodyError::MissingBoundary));
        assert_eq!(
            parse_multipart(
                &arena,
                b"--XyZ\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n\xff\r\n--XyZ--",
                "XyZ"
            ),
            Err(BodyError::InvalidUtf8)
        );
        // Truncated: the last part has no closing delimiter, and is read as it stands.
        let truncated =
            parse_multipart(&arena, b"--XyZ\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\nabc", "XyZ").unwrap();
        assert_eq!(truncated, [("n", FormValue::Text("abc"))]);
    }
}
