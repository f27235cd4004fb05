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
use crate::event::{Headers, Query};
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
}

impl Location {
    /// As the reference names it, first in an error's `loc` (and OpenAPI's `in`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
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
    /// A path parameter.
    Path(&'a str),
    /// A query parameter: the query and the name.
    Query(Query<'a>, &'static str),
    /// A header: the headers and the name.
    Header(Headers<'a>, &'static str),
}

impl<'a> Texts<'a> {
    /// The value of a scalar: `None` when the event has several (a repeated query key in a
    /// multi-value map, a repeated header).
    pub fn single(&self) -> Option<&'a str> {
        let mut values = self.raw();
        let first = values.next()?;
        values.next().is_none().then_some(first)
    }

    /// Every value of a list: each value of a repeated key, and for HTTP API v2 (which joins
    /// them with `,`) the joined value split again.
    pub fn each(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let (path, query, header) = self.sources();
        path.into_iter()
            .chain(query.into_iter().flat_map(|(q, name)| q.get_all(name)))
            .chain(header.into_iter().flat_map(|(h, name)| h.get_all(name)))
    }

    /// The values as the event lists them (joined values left whole).
    fn raw(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let (path, query, header) = self.sources();
        path.into_iter()
            .chain(query.into_iter().flat_map(|(q, name)| q.get_all_raw(name)))
            .chain(header.into_iter().flat_map(|(h, name)| h.get_all(name)))
    }

    #[allow(clippy::type_complexity)]
    fn sources(&self) -> (Option<&'a str>, Option<(Query<'a>, &'static str)>, Option<(Headers<'a>, &'static str)>) {
        match *self {
            Texts::Path(value) => (Some(value), None, None),
            Texts::Query(query, name) => (None, Some((query, name)), None),
            Texts::Header(headers, name) => (None, None, Some((headers, name))),
        }
    }

    fn is_absent(&self) -> bool {
        self.raw().next().is_none()
    }
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
            Location::Path => req.param(name).map(Texts::Path),
            Location::Query => Some(Texts::Query(req.query(), name)),
            Location::Header => Some(Texts::Header(req.headers(), name)),
        };
        self.at(LocPart::Key(location.as_str()), |cx| {
            cx.at(LocPart::Key(name), |cx| match texts.filter(|t| !t.is_absent()) {
                Some(texts) => T::from_texts(texts, constraints, cx),
                None => cx.absent(default),
            })
        })
    }

    /// The JSON body: `missing` when absent (no body, an empty one, `null`), `json_invalid` at
    /// the reference's offset when it is not JSON.
    pub fn body<T: Value<'a>>(
        &mut self,
        req: &Request<'a>,
        constraints: &Constraints,
        default: Option<fn() -> T>,
    ) -> Option<T> {
        self.at(LocPart::Key("body"), |cx| {
            if req.raw_body().is_none_or(str::is_empty) {
                return cx.absent(default);
            }
            let text = req.body_str().unwrap_or_default();
            let parsed = req.with_json_tape(|tape| {
                let value = match Json::new(&tape.0, text) {
                    Some(json) if json.kind() != super::JsonKind::Null => Some(T::from_json(json, constraints, cx)),
                    _ => None,
                };
                (value, tape)
            });
            match parsed {
                Ok(Some(value)) => value,
                Ok(None) => cx.absent(default),
                Err(BodyError::InvalidJson { offset }) => {
                    let text = req.body_str().unwrap_or_default();
                    let at = python_error_position(text, cx.max_json_depth).unwrap_or(offset);
                    cx.at(LocPart::Index(at), |cx| cx.error(super::ErrorType::JsonInvalid));
                    None
                }
                Err(err) => {
                    cx.undecodable = Some(err);
                    None
                }
            }
        })
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

    /// An empty list in the arena, for a list's elements.
    pub fn new_list<T>(&self) -> ArenaVec<'a, T> {
        ArenaVec::new_in(self.arena)
    }

    /// The outcome: the value if there was no error; else the request's validation error
    /// (its problems kept in the arena), or the body's decoding error (the ordinary 400).
    pub(crate) fn finish<V>(self, req: &Request<'a>, value: Option<V>) -> Result<V, Error> {
        if let Some(err) = self.undecodable {
            return Err(err.into());
        }
        if let Some(err) = self.failed {
            return Err(err);
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
