//! The schema of typed inputs: static data the derives write next to the parsing code, read by
//! the OpenAPI document and, for path parameters, by the route table's compile-time check.

use super::{Constraints, ErrorType, Location};

/// The schema of a type.
#[derive(Debug)]
#[non_exhaustive]
pub enum Schema {
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// A string.
    String,
    /// A list of values of one schema.
    Array(&'static Schema),
    /// A value of the schema, or `null`.
    Nullable(&'static Schema),
    /// A model: an object with named fields.
    Model(&'static ModelSchema),
    /// One of the given strings.
    Literal(&'static [&'static str]),
    /// A UUID (a string, `format: uuid`).
    Uuid,
    /// A date (a string, `format: date`).
    Date,
    /// A date-time (a string, `format: date-time`).
    DateTime,
    /// An object whose values have one schema.
    Map(&'static Schema),
    /// A named set of strings (a Python `Enum`; its component schema's name).
    Enum {
        /// The enum's name.
        name: &'static str,
        /// Its values.
        values: &'static [&'static str],
        /// Its doc comment.
        description: Option<&'static str>,
    },
    /// One of the given integers (`Literal[1, 2, 3]`).
    IntLiteral(&'static [i64]),
    /// One of several types, tried as pydantic's smart union does (`int | str`).
    Union(&'static [&'static Schema]),
    /// Bytes (an uploaded file: a string, `format: binary`).
    Bytes,
}

impl Schema {
    /// Whether the type is, or may be, a sequence (the reference's
    /// `_is_or_contains_sequence`): a list, an optional list, a union with a list.
    pub const fn is_or_contains_sequence(&self) -> bool {
        match self {
            Schema::Array(_) => true,
            Schema::Nullable(inner) => inner.is_or_contains_sequence(),
            Schema::Union(members) => {
                let mut at = 0;
                while at < members.len() {
                    if members[at].is_or_contains_sequence() {
                        return true;
                    }
                    at += 1;
                }
                false
            }
            _ => false,
        }
    }

    /// The error a value of another type gets (the reference's `*_type` errors).
    pub const fn type_error(&self) -> ErrorType {
        match self {
            Schema::Integer => ErrorType::IntType,
            Schema::Number => ErrorType::FloatType,
            Schema::Boolean => ErrorType::BoolType,
            Schema::String => ErrorType::StringType,
            Schema::Array(_) => ErrorType::ListType,
            Schema::Nullable(inner) => inner.type_error(),
            Schema::Model(_) => ErrorType::ModelAttributesType,
            Schema::Literal(_) => ErrorType::LiteralError,
            Schema::Uuid => ErrorType::UuidType,
            Schema::Date => ErrorType::DateType,
            Schema::DateTime => ErrorType::DatetimeType,
            Schema::Map(_) => ErrorType::DictType,
            Schema::Enum { .. } => ErrorType::Enum,
            Schema::IntLiteral(_) => ErrorType::LiteralError,
            Schema::Union(_) => ErrorType::StringType,
            Schema::Bytes => ErrorType::BytesType,
        }
    }
}

/// A model: its name (the schema component's) and fields, in declaration order.
#[derive(Debug)]
pub struct ModelSchema {
    /// The model's name.
    pub name: &'static str,
    /// Its doc comment.
    pub description: Option<&'static str>,
    /// Its fields.
    pub fields: &'static [FieldSchema],
}

/// A field of a model, or a parameter.
#[derive(Debug)]
pub struct FieldSchema {
    /// The name in the JSON object, the query string or the headers (lower case).
    pub name: &'static str,
    /// The value's schema.
    pub schema: &'static Schema,
    /// Its constraints.
    pub constraints: Constraints,
    /// Whether it must be present.
    pub required: bool,
    /// Its default, as JSON text.
    pub default: Option<fn() -> String>,
    /// Its description.
    pub description: Option<&'static str>,
}

/// A parameter of a route: where it is read from, and its field.
#[derive(Debug)]
pub struct ParamSchema {
    /// Path, query or header.
    pub location: Location,
    /// The parameter.
    pub field: FieldSchema,
}

/// Every input of a route.
#[derive(Debug)]
pub struct InputSchema {
    /// The parameters, in declaration order.
    pub params: &'static [ParamSchema],
    /// The body, if the route reads one.
    pub body: Option<FieldSchema>,
}

impl InputSchema {
    /// The form fields and files (read from the body), which the derive lists last.
    pub(crate) fn form_fields(&self) -> &'static [ParamSchema] {
        let params: &'static [ParamSchema] = self.params;
        let first = params.iter().position(|p| matches!(p.location, Location::Form | Location::File));
        first.map_or(&[], |first| &params[first..])
    }

    /// Panics (a compile error when evaluated in a route table) unless every path parameter
    /// is in `pattern` as `<name>`.
    pub(crate) const fn check_path(&self, pattern: &str) {
        let mut i = 0;
        while i < self.params.len() {
            let param = &self.params[i];
            if matches!(param.location, Location::Path) && !has_param(pattern.as_bytes(), param.field.name.as_bytes()) {
                panic!(
                    "a #[param] (path parameter) of this route's Input is not in its pattern as `<name>` or `{{name}}`"
                );
            }
            i += 1;
        }
    }
}

/// Whether `pattern` holds `<name>` or `{name}`.
const fn has_param(pattern: &[u8], name: &[u8]) -> bool {
    let mut start = 0;
    while start + name.len() + 2 <= pattern.len() {
        let close = pattern[start + name.len() + 1];
        if (pattern[start] == b'<' && close == b'>') || (pattern[start] == b'{' && close == b'}') {
            let mut k = 0;
            while k < name.len() && pattern[start + 1 + k] == name[k] {
                k += 1;
            }
            if k == name.len() {
                return true;
            }
        }
        start += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::has_param;

    #[test]
    fn finds_a_parameter_by_its_whole_name() {
        assert!(has_param(b"/todos/<todo_id>", b"todo_id"));
        assert!(has_param(b"/<a>/<b>", b"b"));
        assert!(has_param(b"/todos/{todo_id}", b"todo_id"));
        assert!(!has_param(b"/todos/<todo_id}", b"todo_id"));
        assert!(!has_param(b"/todos/<todo_id>", b"todo"));
        assert!(!has_param(b"/todos/<todo_id>", b"id"));
        assert!(!has_param(b"/todos/todo_id", b"todo_id"));
        assert!(!has_param(b"", b"x"));
    }
}
