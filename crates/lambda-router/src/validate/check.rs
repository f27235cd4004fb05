//! Validation as the reference reports it: the context that collects every error with its
//! location, the readers of parameters and bodies, and the 422 response.

use bumpalo::Bump;
use bumpalo::collections::Vec as ArenaVec;
use serde::Serialize;
use serde::ser::SerializeStruct;

use super::RequestValidationError;
use super::json::{Json, python_error_position};
use super::{Constraints, Value};
use crate::error::{BodyError, Error};
use crate::event::{Declared, Headers, Query};
use crate::request::Request;

/// Where a parameter is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A path parameter (`<name>` in the pattern).
    Path,
    /// A query string parameter.
    Query,
    /// A header (any case).
    Header,
    /// A cookie.
    Cookie,
    /// A field of a form body (`application/x-www-form-urlencoded` or `multipart/form-data`).
    Form,
    /// A file of a `multipart/form-data` body.
    File,
}

impl Location {
    /// As the reference names it, first in an error's `loc`: `path`, `query`, `header`,
    /// `cookie`, or `body` for form fields and files.
    pub const fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
            Location::Form | Location::File => "body",
        }
    }

    /// The OpenAPI parameter's `in`, for the locations that are parameters.
    pub const fn parameter_in(self) -> Option<&'static str> {
        match self {
            Location::Path => Some("path"),
            Location::Query => Some("query"),
            Location::Header => Some("header"),
            Location::Cookie => Some("cookie"),
            Location::Form | Location::File => None,
        }
    }
}

/// A validation error's type, as the reference (pydantic) names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
#[non_exhaustive]
pub enum ErrorType {
    Missing,
    IntParsing,
    IntParsingSize,
    IntFromFloat,
    IntType,
    FiniteNumber,
    FloatParsing,
    FloatType,
    BoolParsing,
    BoolType,
    StringType,
    StringUnicode,
    StringTooShort,
    StringTooLong,
    TooShort,
    TooLong,
    ListType,
    ModelAttributesType,
    LiteralError,
    GreaterThan,
    GreaterThanEqual,
    LessThan,
    LessThanEqual,
    JsonInvalid,
    UuidParsing,
    UuidType,
    DateParsing,
    DateType,
    DateFromDatetimeParsing,
    DateFromDatetimeInexact,
    DatetimeParsing,
    DatetimeType,
    DatetimeFromDateParsing,
    Enum,
    StringPatternMismatch,
    DictType,
    BytesType,
}

impl ErrorType {
    /// The name in a 422 body.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorType::Missing => "missing",
            ErrorType::IntParsing => "int_parsing",
            ErrorType::IntParsingSize => "int_parsing_size",
            ErrorType::IntFromFloat => "int_from_float",
            ErrorType::IntType => "int_type",
            ErrorType::FiniteNumber => "finite_number",
            ErrorType::FloatParsing => "float_parsing",
            ErrorType::FloatType => "float_type",
            ErrorType::BoolParsing => "bool_parsing",
            ErrorType::BoolType => "bool_type",
            ErrorType::StringType => "string_type",
            ErrorType::StringUnicode => "string_unicode",
            ErrorType::StringTooShort => "string_too_short",
            ErrorType::StringTooLong => "string_too_long",
            ErrorType::TooShort => "too_short",
            ErrorType::TooLong => "too_long",
            ErrorType::ListType => "list_type",
            ErrorType::ModelAttributesType => "model_attributes_type",
            ErrorType::LiteralError => "literal_error",
            ErrorType::GreaterThan => "greater_than",
            ErrorType::GreaterThanEqual => "greater_than_equal",
            ErrorType::LessThan => "less_than",
            ErrorType::LessThanEqual => "less_than_equal",
            ErrorType::JsonInvalid => "json_invalid",
            ErrorType::UuidParsing => "uuid_parsing",
            ErrorType::UuidType => "uuid_type",
            ErrorType::DateParsing => "date_parsing",
            ErrorType::DateType => "date_type",
            ErrorType::DateFromDatetimeParsing => "date_from_datetime_parsing",
            ErrorType::DateFromDatetimeInexact => "date_from_datetime_inexact",
            ErrorType::DatetimeParsing => "datetime_parsing",
            ErrorType::DatetimeType => "datetime_type",
            ErrorType::DatetimeFromDateParsing => "datetime_from_date_parsing",
            ErrorType::Enum => "enum",
            ErrorType::StringPatternMismatch => "string_pattern_mismatch",
            ErrorType::DictType => "dict_type",
            ErrorType::BytesType => "bytes_type",
        }
    }
}

/// One step of an error's location: a name or a list index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocPart<'a> {
    /// `"body"`, a field's or a parameter's name.
    Key(&'a str),
    /// An index in a list (or, after `"body"`, the offset of a JSON syntax error).
    Index(usize),
}

/// One validation error: where, and what.
#[derive(Debug, Clone, Copy)]
pub struct Problem<'a> {
    /// Its location, from `path`/`query`/`header`/`body`.
    pub loc: &'a [LocPart<'a>],
    /// Its type.
    pub kind: ErrorType,
}

/// The values of one parameter, as the event gives them.
#[derive(Debug, Clone, Copy)]
pub enum Texts<'a> {
    /// One value: a path parameter, or a Bedrock Agents operation's parameter (a repeated name's
    /// last value, as the reference keeps it), read once from the event's list.
    One(&'a str),
    /// A Bedrock Agents function call's parameter (a repeated name's last value) and the type
    /// the call declares for it, by which it is converted ([`Value::from_call`]).
    Call(&'a str, Declared),
    /// A query parameter: the query and the name.
    Query(Query<'a>, &'static str),
    /// A header: the headers and the name.
    Header(Headers<'a>, &'static str),
}

impl<'a> Texts<'a> {
    /// The value of a scalar: `None` when the event has several (a repeated query key in a
    /// multi-value map, a repeated header; for HTTP API v2, a query name written twice, whose
    /// values the event joined with `,`), which the reference reports as the scalar's type
    /// error.
    pub fn single(&self) -> Option<&'a str> {
        /// The one value of `values`, `None` for none or several.
        fn only<'a>(mut values: impl Iterator<Item = &'a str>) -> Option<&'a str> {
            let first = values.next()?;
            values.next().is_none().then_some(first)
        }
        match *self {
            Texts::One(value) | Texts::Call(value, _) => Some(value),
            Texts::Query(query, name) => {
                only(query.get_all_raw(name)).filter(|value| !(value.contains(',') && query.is_repeated(name)))
            }
            Texts::Header(headers, name) => only(headers.get_all(name)),
        }
    }

    /// Every value of a list: each value of a repeated key, and for HTTP API v2 (which joins
    /// a repeated query key's or header's values with `,`) the joined value split again.
    pub fn each(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let (path, query, header) = self.sources();
        path.into_iter()
            .chain(query.into_iter().flat_map(|(q, name)| q.get_all(name)))
            .chain(header.into_iter().flat_map(|(h, name)| h.get_all_split(name)))
    }

    /// Whether the event gives a list a bare string where the reference expects a list (see
    /// `Query::is_bare_string`, `Headers::is_bare_string`): `list_type`.
    pub(crate) fn is_bare_string(&self) -> bool {
        match *self {
            Texts::One(_) | Texts::Call(..) => false,
            Texts::Query(query, name) => query.is_bare_string(name),
            Texts::Header(headers, name) => headers.is_bare_string(name),
        }
    }

    #[allow(clippy::type_complexity)]
    fn sources(&self) -> (Option<&'a str>, Option<(Query<'a>, &'static str)>, Option<(Headers<'a>, &'static str)>) {
        match *self {
            Texts::One(value) | Texts::Call(value, _) => (Some(value), None, None),
            Texts::Query(query, name) => (None, Some((query, name)), None),
            Texts::Header(headers, name) => (None, None, Some((headers, name))),
        }
    }

    /// Whether the event has no value (a joined value is one).
    fn is_absent(&self) -> bool {
        match *self {
            Texts::One(_) | Texts::Call(..) => false,
            Texts::Query(query, name) => query.get_all_raw(name).next().is_none(),
            Texts::Header(headers, name) => headers.get_all(name).next().is_none(),
        }
    }
}

/// The body as the typed inputs read it.
#[derive(Debug, Clone, Copy)]
enum BodyRead<'a> {
    Unread,
    Json,
    Fields(super::form::Fields<'a>),
    /// Read no further: the body could not be read, or is not JSON.
    Stopped,
}

/// A JSON body as read.
enum JsonBody<R> {
    Read(R),
    Absent,
    Stopped,
}

/// What the reference validates a body value as: for a type that is no sequence, the first
/// element of a non-empty list (`[{"title": "x"}]` is the model `{"title": "x"}`).
fn first_of_list<'t, 'a, T: Value<'a>>(json: Json<'t, 'a>) -> Json<'t, 'a> {
    if T::SCHEMA.is_or_contains_sequence() {
        return json;
    }
    json.elements().next().unwrap_or(json)
}

/// The values of one name in a form or a multipart body.
#[derive(Debug, Clone, Copy)]
pub struct FormValues<'a> {
    fields: super::form::Fields<'a>,
    name: &'static str,
}

impl<'a> FormValues<'a> {
    /// Every value of the name, in order.
    pub fn each(&self) -> impl Iterator<Item = super::form::FormValue<'a>> + use<'a> {
        let name = self.name;
        self.fields.iter().filter(move |(n, _)| *n == name).map(|(_, value)| *value)
    }

    /// The first value, the one a scalar field takes (the reference's `value[0]`).
    pub fn first(&self) -> Option<super::form::FormValue<'a>> {
        self.each().next()
    }
}

/// The reference's cookie `name`: from HTTP API v2's `cookies`, else the single-value `Cookie`
/// header (any case), else every `Cookie` value of the multi-value headers joined with `; `.
fn reference_cookie<'a>(req: &Request<'a>, name: &str) -> Option<&'a str> {
    let found = |header: &'a str| {
        header.split(';').map(str::trim).filter_map(|pair| pair.split_once('=')).rfind(|(n, _)| n.trim() == name)
    };
    let last_of = |values: &mut dyn Iterator<Item = &'a str>| values.filter_map(found).last().map(|(_, v)| v.trim());
    if let Some(cookies) = req.event.cookies {
        return last_of(&mut crate::event::json::elements(cookies).filter_map(crate::event::json::string));
    }
    match req.headers().single_value("cookie").filter(|c| !c.is_empty()) {
        Some(header) => last_of(&mut std::iter::once(header)),
        None => last_of(&mut req.headers().get_all_multi("cookie")),
    }
}

/// The bytes of a multipart body: base64-decoded, or the text's characters as Latin-1 bytes
/// (the reference's `raw_body.encode("latin-1")`; a character past U+00FF is not Latin-1).
fn multipart_bytes<'a>(req: &Request<'a>) -> Result<&'a [u8], BodyError> {
    if req.is_base64_encoded() {
        return req.body_bytes();
    }
    let text = req.raw_body().unwrap_or("");
    if text.is_ascii() {
        return Ok(text.as_bytes());
    }
    let mut bytes = ArenaVec::with_capacity_in(text.len(), req.arena);
    for c in text.chars() {
        bytes.push(u8::try_from(u32::from(c)).map_err(|_| BodyError::InvalidUtf8)?);
    }
    Ok(bytes.into_bump_slice())
}

/// The validation of one request's inputs: the errors so far, each with its location, in the
/// invocation's arena.
#[derive(Debug)]
pub struct Validation<'a> {
    arena: &'a Bump,
    loc: ArenaVec<'a, LocPart<'a>>,
    errors: ArenaVec<'a, Problem<'a>>,
    /// A body that could not be decoded at all (bad base64, not UTF-8): a 400, not a 422.
    undecodable: Option<BodyError>,
    /// The body as the inputs read it, read once.
    read: BodyRead<'a>,
    /// A dependency that failed: its error takes the app's error path.
    failed: Option<Error>,
    max_json_depth: usize,
}

impl<'a> Validation<'a> {
    pub(crate) fn new(req: &Request<'a>) -> Validation<'a> {
        Validation {
            arena: req.arena,
            loc: ArenaVec::new_in(req.arena),
            errors: ArenaVec::new_in(req.arena),
            undecodable: None,
            read: BodyRead::Unread,
            failed: None,
            max_json_depth: req.max_json_depth,
        }
    }

    /// Records an error at the current location.
    pub fn error(&mut self, kind: ErrorType) {
        let loc = self.arena.alloc_slice_copy(&self.loc);
        self.errors.push(Problem { loc, kind });
    }

    /// The errors so far, in order.
    pub fn errors(&self) -> &[Problem<'a>] {
        &self.errors
    }

    /// Forgets the errors recorded after the first `len` (a union member that did not fit,
    /// once another did).
    pub fn truncate_errors(&mut self, len: usize) {
        self.errors.truncate(len);
    }

    /// Runs `read` one step deeper in the location.
    pub fn at<R>(&mut self, part: LocPart<'a>, read: impl FnOnce(&mut Self) -> R) -> R {
        self.loc.push(part);
        let out = read(self);
        self.loc.pop();
        out
    }

    /// A model's field: its JSON value if present, else its default, `None` for an optional
    /// field, or a `missing` error.
    pub fn field<T: Value<'a>>(
        &mut self,
        name: &'static str,
        json: Option<Json<'_, 'a>>,
        constraints: &Constraints,
        default: Option<fn() -> T>,
    ) -> Option<T> {
        self.at(LocPart::Key(name), |cx| match json {
            Some(json) => T::from_json(json, constraints, cx),
            None => cx.absent(default),
        })
    }

    /// A path, query or header parameter.
    pub fn param<T: Value<'a>>(
        &mut self,
        req: &Request<'a>,
        location: Location,
        name: &'static str,
        constraints: &Constraints,
        default: Option<fn() -> T>,
    ) -> Option<T> {
        let texts = match location {
            Location::Path => req.param(name).map(Texts::One),
            // A Bedrock Agents event's parameters are one list, each name's value its last; a
            // function call's are converted by the type it declares.
            Location::Query if req.query().params.is_some() => {
                req.query().agent_param(name).map(|(value, declared)| match declared {
                    Some(declared) => Texts::Call(value, declared),
                    None => Texts::One(value),
                })
            }
            Location::Query => Some(Texts::Query(req.query(), name)),
            Location::Header => Some(Texts::Header(req.headers(), name)),
            Location::Cookie => return self.cookie(req, name, constraints, default),
            Location::Form | Location::File => return self.form(req, name, constraints, default),
        };
        self.at(LocPart::Key(location.as_str()), |cx| {
            cx.at(LocPart::Key(name), |cx| match texts.filter(|t| !t.is_absent()) {
                Some(texts) => T::from_texts(texts, constraints, cx),
                None => cx.absent(default),
            })
        })
    }

    /// The JSON body: `missing` when absent (no body, an empty one, `null`), `json_invalid` at
    /// the reference's offset when it is not JSON, which is then the only error (the reference
    /// stops reading there).
    pub fn body<T: Value<'a>>(
        &mut self,
        req: &Request<'a>,
        constraints: &Constraints,
        default: Option<fn() -> T>,
    ) -> Option<T> {
        match self.read_body(req) {
            BodyRead::Json => {}
            BodyRead::Fields(fields) => {
                // A form sent to a JSON route: the reference validates the model against the
                // form's fields, which is no JSON object of the model's types.
                let _ = fields;
                return self.at(LocPart::Key("body"), |cx| {
                    cx.error(T::SCHEMA.type_error());
                    None
                });
            }
            BodyRead::Unread | BodyRead::Stopped => return None,
        }
        self.at(LocPart::Key("body"), |cx| {
            match cx.json_body(req, |json, cx| T::from_json(first_of_list::<T>(json), constraints, cx)) {
                JsonBody::Read(value) => value,
                JsonBody::Absent => cx.absent(default),
                JsonBody::Stopped => None,
            }
        })
    }

    /// A form field or a file: a field of an url-encoded or multipart body, or a member of a
    /// JSON object body (the reference reads a form route's body by its `Content-Type`).
    pub fn form<T: Value<'a>>(
        &mut self,
        req: &Request<'a>,
        name: &'static str,
        constraints: &Constraints,
        default: Option<fn() -> T>,
    ) -> Option<T> {
        let fields = match self.read_body(req) {
            BodyRead::Fields(fields) => fields,
            BodyRead::Json => {
                return self.at(LocPart::Key("body"), |cx| {
                    cx.at(LocPart::Key(name), |cx| {
                        let read = cx.json_body(req, |json, cx| {
                            if !matches!(json.kind(), super::JsonKind::Object(_)) {
                                // The reference's `body.get(name)` on no object: a missing
                                // field, then missing again when it is required.
                                cx.error(ErrorType::Missing);
                                return None;
                            }
                            // The last of repeated keys, as `json.loads` keeps it.
                            let member = json.members().filter(|(key, _)| *key == name).last();
                            member.map(|(_, value)| T::from_json(first_of_list::<T>(value), constraints, cx))
                        });
                        match read {
                            JsonBody::Read(Some(value)) => value,
                            JsonBody::Read(None) | JsonBody::Absent => cx.absent(default),
                            JsonBody::Stopped => None,
                        }
                    })
                });
            }
            BodyRead::Unread | BodyRead::Stopped => return None,
        };
        let values = FormValues { fields, name };
        self.at(LocPart::Key("body"), |cx| {
            cx.at(LocPart::Key(name), |cx| match values.first() {
                Some(_) => T::from_form(values, constraints, cx),
                None => cx.absent(default),
            })
        })
    }

    /// A cookie, by the reference's reading of the `Cookie` header (or HTTP API v2's
    /// `cookies`): `name=value` pairs split on `;`, trimmed, the last of a repeated name kept.
    pub fn cookie<T: Value<'a>>(
        &mut self,
        req: &Request<'a>,
        name: &'static str,
        constraints: &Constraints,
        default: Option<fn() -> T>,
    ) -> Option<T> {
        let value = reference_cookie(req, name);
        self.at(LocPart::Key("cookie"), |cx| {
            cx.at(LocPart::Key(name), |cx| match value {
                Some(text) => T::from_text(text, constraints, cx),
                None => cx.absent(default),
            })
        })
    }

    /// Reads the body by its `Content-Type`, once: JSON, or a form's or a multipart body's
    /// fields. A content type the reference does not read is a 415, a multipart body without
    /// a boundary or not UTF-8 where text is expected a 400; both stop the validation.
    fn read_body(&mut self, req: &Request<'a>) -> BodyRead<'a> {
        if !matches!(self.read, BodyRead::Unread) {
            return self.read;
        }
        let content_type = req.headers().single_value("content-type");
        self.read = match super::form::body_kind(content_type) {
            super::form::BodyKind::Json => BodyRead::Json,
            super::form::BodyKind::Unsupported => {
                self.failed = Some(super::UnsupportedContentType.into());
                BodyRead::Stopped
            }
            super::form::BodyKind::Form => match req.body_str() {
                Ok(text) => BodyRead::Fields(super::form::parse_form(self.arena, text)),
                Err(err) => self.stop(err),
            },
            super::form::BodyKind::Multipart(boundary) => {
                let bytes = multipart_bytes(req);
                match bytes.and_then(|bytes| super::form::parse_multipart(self.arena, bytes, boundary.unwrap_or(""))) {
                    Ok(fields) => BodyRead::Fields(fields),
                    Err(err) => self.stop(err),
                }
            }
        };
        self.read
    }

    /// Stops at a body that cannot be read: its error is the outcome.
    fn stop(&mut self, err: BodyError) -> BodyRead<'a> {
        self.undecodable = Some(err);
        BodyRead::Stopped
    }

    /// Parses the body as JSON and reads it with `read`; no body, an empty one or `null` is
    /// absent; a body that is no JSON is `json_invalid`, the request's only error.
    fn json_body<R>(&mut self, req: &Request<'a>, read: impl FnOnce(Json<'_, 'a>, &mut Self) -> R) -> JsonBody<R> {
        if req.raw_body().is_none_or(str::is_empty) {
            return JsonBody::Absent;
        }
        let text = match req.body_str() {
            // Empty once decoded (base64 of nothing, or of only characters Python skips).
            Ok("") => return JsonBody::Absent,
            Ok(text) => text,
            Err(err) => {
                self.stop(err);
                return JsonBody::Stopped;
            }
        };
        let mut read = Some(read);
        let mut read_tape = |json: Option<Json<'_, 'a>>, cx: &mut Self| match (json, read.take()) {
            (Some(json), Some(read)) if json.kind() != super::JsonKind::Null => Some(read(json, cx)),
            _ => None,
        };
        let mut parsed = req.with_json_tape(|tape| (read_tape(Json::new(&tape.0, text), self), tape));
        if let Err(BodyError::InvalidJson { offset }) = parsed {
            match python_error_position(text, self.max_json_depth) {
                // Python's `json.loads` takes it (`NaN`, `1e400`, a lone surrogate): read it
                // as Python does.
                None => {
                    let standard = super::json::to_standard(text, self.arena);
                    parsed = req.parse_json(standard, |tape| (read_tape(Json::python(&tape.0, text), self), tape));
                    if parsed.is_err() {
                        parsed = Err(BodyError::InvalidJson { offset });
                    }
                }
                Some(at) => parsed = Err(BodyError::InvalidJson { offset: at }),
            }
        }
        match parsed {
            Ok(Some(value)) => JsonBody::Read(value),
            Ok(None) => JsonBody::Absent,
            Err(BodyError::InvalidJson { offset }) => {
                // The reference raises at once: the path, query, header and cookie errors found
                // so far are not reported.
                self.errors.clear();
                let location = ArenaVec::from_iter_in([LocPart::Key("body"), LocPart::Index(offset)], self.arena);
                self.errors.push(Problem { loc: location.into_bump_slice(), kind: ErrorType::JsonInvalid });
                self.read = BodyRead::Stopped;
                JsonBody::Stopped
            }
            Err(err) => {
                self.stop(err);
                JsonBody::Stopped
            }
        }
    }

    /// Reads JSON `text` with `read` at the current location: `missing` when it is empty or
    /// `null`, `json_invalid` when it is no JSON.
    pub(crate) fn json_text(
        &mut self,
        req: &Request<'a>,
        text: &'a str,
        read: impl FnOnce(Json<'_, 'a>, &mut Self) -> bool,
    ) -> bool {
        if text.is_empty() {
            self.error(ErrorType::Missing);
            return false;
        }
        let parsed = req.parse_json(text, |tape| {
            let value = match Json::new(&tape.0, text) {
                Some(json) if json.kind() != super::JsonKind::Null => Some(read(json, self)),
                _ => None,
            };
            (value, tape)
        });
        match parsed {
            Ok(Some(valid)) => valid,
            Ok(None) => {
                self.error(ErrorType::Missing);
                false
            }
            Err(_) => {
                self.error(ErrorType::JsonInvalid);
                false
            }
        }
    }

    /// The response validation error of the problems recorded, answered with `status`; without
    /// one, the reference's request validation error (a 422).
    pub(crate) fn response_error(self, req: &Request<'a>, status: Option<u16>) -> Error {
        let problems = self.errors.into_bump_slice();
        match status {
            Some(status) => super::ResponseValidationError::new(req, problems, status).into(),
            None => RequestValidationError::new(req, problems).into(),
        }
    }

    /// A dependency, resolved only when every input validated (the reference validates the
    /// request first); its error is the outcome.
    pub fn depends<D: crate::request::Dependency>(&mut self, req: &Request<'a>) -> Option<D::Output<'a>> {
        if !self.errors.is_empty() || self.undecodable.is_some() || self.failed.is_some() {
            return None;
        }
        match req.depends::<D>() {
            Ok(value) => Some(value),
            Err(error) => {
                self.failed = Some(error);
                None
            }
        }
    }

    fn absent<T: Value<'a>>(&mut self, default: Option<fn() -> T>) -> Option<T> {
        if let Some(make) = default {
            return Some(make());
        }
        let absent = T::absent();
        if absent.is_none() {
            self.error(ErrorType::Missing);
        }
        absent
    }

    /// Copies `items` into the arena (a list's elements).
    pub fn alloc_slice<T>(&self, items: ArenaVec<'a, T>) -> &'a [T] {
        items.into_bump_slice()
    }

    /// The invocation's arena.
    pub(crate) fn arena(&self) -> &'a Bump {
        self.arena
    }

    /// An empty list in the arena, for a list's elements.
    pub fn new_list<T>(&self) -> ArenaVec<'a, T> {
        ArenaVec::new_in(self.arena)
    }

    /// The outcome: the value if there was no error; else the request's validation error
    /// (its problems kept in the arena), or the body's decoding error (the ordinary 400).
    pub(crate) fn finish<V>(self, req: &Request<'a>, value: Option<V>) -> Result<V, Error> {
        if let Some(err) = self.failed {
            return Err(err);
        }
        if let Some(err) = self.undecodable {
            return Err(err.into());
        }
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(RequestValidationError::new(req, self.errors.into_bump_slice()).into()),
        }
    }
}

impl Serialize for Problem<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut problem = serializer.serialize_struct("Problem", 2)?;
        problem.serialize_field("loc", self.loc)?;
        problem.serialize_field("type", self.kind.as_str())?;
        problem.end()
    }
}

impl Serialize for LocPart<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            LocPart::Key(key) => serializer.serialize_str(key),
            LocPart::Index(index) => serializer.serialize_u64(index as u64),
        }
    }
}
