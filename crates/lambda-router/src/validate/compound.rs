//! The types made of others: maps (`Dict[str, T]`), the union members' exactness (pydantic's
//! smart unions), and string patterns.

use std::sync::OnceLock;

use super::{Constraints, ErrorType, Json, JsonKind, LocPart, Schema, Validation, Value};

/// How well a value fits a type before coercion, as pydantic ranks a union's members: the
/// first member that fits exactly wins; otherwise the best fit, the first of equals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exactness {
    /// Only by coercion (`"5"` for an integer).
    Lax,
    /// Without coercion, but not of the type's own kind (an integer for a number).
    Strict,
    /// Of the type's own kind.
    Exact,
}

/// A JSON object of string keys and values of one type (pydantic's `Dict[str, T]`), in the
/// invocation's arena, in the body's order; a repeated key keeps its first place and its last
/// value, as Python's `json.loads` does. Written back as an object.
///
/// ```
/// use lambda_router::validate::{Map, Model};
/// #[derive(Model)]
/// struct Counts<'a> {
///     #[field(default)]
///     tags: Map<'a, i64>,
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Map<'a, T> {
    entries: &'a [(&'a str, T)],
}

impl<'a, T> Map<'a, T> {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&T> {
        self.entries.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// The entries, in order.
    pub fn entries(&self) -> &'a [(&'a str, T)] {
        self.entries
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<T> Default for Map<'_, T> {
    fn default() -> Self {
        Map { entries: &[] }
    }
}

impl<T: serde::Serialize> serde::Serialize for Map<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (key, value) in self.entries {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'a, T: Value<'a>> Value<'a> for Map<'a, T> {
    const SCHEMA: &'static Schema = &Schema::Map(T::SCHEMA);

    fn exactness(json: Json<'_, 'a>) -> Exactness {
        if matches!(json.kind(), JsonKind::Object(_)) { Exactness::Exact } else { Exactness::Lax }
    }

    fn from_json(json: Json<'_, 'a>, _: &Constraints, cx: &mut Validation<'a>) -> Option<Map<'a, T>> {
        let JsonKind::Object(len) = json.kind() else {
            cx.error(ErrorType::DictType);
            return None;
        };
        let mut entries = cx.new_list::<(&'a str, T)>();
        entries.reserve_exact(len);
        let mut valid = true;
        for (key, value) in json.members() {
            match cx.at(LocPart::Key(key), |cx| T::from_json(value, &Constraints::NONE, cx)) {
                Some(value) => match entries.iter_mut().find(|(k, _)| *k == key) {
                    Some(entry) => entry.1 = value,
                    None => entries.push((key, value)),
                },
                None => valid = false,
            }
        }
        valid.then(|| Map { entries: cx.alloc_slice(entries) })
    }

    fn from_text(_: &'a str, _: &Constraints, cx: &mut Validation<'a>) -> Option<Map<'a, T>> {
        cx.error(ErrorType::DictType);
        None
    }
}

/// The name of a union's member in an error's location, as pydantic names it: `int`, `float`,
/// `str`, `bool`, a model's or an enum's name; or the variant's own name when given.
pub fn union_label(schema: &'static Schema, given: Option<&'static str>) -> &'static str {
    if let Some(given) = given {
        return given;
    }
    match schema {
        Schema::Integer => "int",
        Schema::Number => "float",
        Schema::String => "str",
        Schema::Boolean => "bool",
        Schema::Uuid => "uuid",
        Schema::Date => "date",
        Schema::DateTime => "datetime",
        Schema::Bytes => "bytes",
        Schema::Model(model) => model.name,
        Schema::Enum { name, .. } => name,
        Schema::Array(_) => "list",
        Schema::Map(_) => "dict",
        Schema::Nullable(inner) => union_label(inner, None),
        Schema::Literal(_) | Schema::IntLiteral(_) => "literal",
        Schema::Union(_) => "union",
    }
}

/// A regular expression a string field must match, written `#[field(pattern = "...")]`: checked
/// when the crate is compiled (a bad pattern fails the build), compiled once per process at
/// its first use. Matching is pydantic's: a search, with the `regex` crate pydantic-core uses.
///
/// The derive writes the matcher, a function with the compiled expression in a `static` of its
/// own: a function that declares no pattern does not link the regex engine.
///
/// ```
/// use lambda_router::validate::Input;
/// #[derive(Input)]
/// struct Search<'a> {
///     #[query(pattern = r"^[a-z]+$")]
///     q: &'a str,
/// }
/// ```
///
/// An expression the engine refuses fails the build, naming it:
///
/// ```compile_fail
/// use lambda_router::validate::Input;
/// #[derive(Input)]
/// struct Search<'a> {
///     #[query(pattern = "(unclosed")] // error: invalid pattern: regex parse error
///     q: &'a str,
/// }
/// ```
pub struct Pattern {
    source: &'static str,
    matches: fn(&str) -> bool,
}

impl Pattern {
    /// A pattern and its matcher; generated code writes both, after checking `source` compiles.
    pub const fn new(source: &'static str, matches: fn(&str) -> bool) -> Pattern {
        Pattern { source, matches }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &'static str {
        self.source
    }

    /// Whether `text` matches (somewhere).
    pub fn is_match(&self, text: &str) -> bool {
        (self.matches)(text)
    }
}

/// The matcher the derive writes for a pattern: the expression compiled on first use into
/// `compiled`, then searched. A pattern that does not compile (the derive refuses them at build
/// time) matches nothing.
#[doc(hidden)]
pub fn pattern_matches(compiled: &OnceLock<Option<regex::Regex>>, source: &str, text: &str) -> bool {
    compiled.get_or_init(|| regex::Regex::new(source).ok()).as_ref().is_some_and(|regex| regex.is_match(text))
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}
