//! The field types every model and parameter set is made of, read by the reference's lax rules
//! (pydantic's "python" mode, which the reference uses on `json.loads`'s output): integers,
//! numbers, booleans, strings, options and lists.

use super::number::{Number, Whole, parse_float, parse_int, whole_of_float};
use super::python;
use super::{
    Constraints, ErrorType, Exactness, FormValue, FormValues, Json, JsonKind, LocPart, Schema, Texts, Validation, Value,
};
use crate::event::Declared;

/// Checks a number against the bounds, recording the first one it breaks.
fn bounded(value: Number, c: &Constraints, cx: &mut Validation<'_>) -> bool {
    c.broken(value).map(|kind| cx.error(kind)).is_none()
}

/// A boolean from text: pydantic's words, in any case, and nothing else (no whitespace).
pub(crate) fn parse_bool(text: &str) -> Result<bool, ErrorType> {
    const TRUE: [&str; 6] = ["true", "1", "yes", "on", "t", "y"];
    const FALSE: [&str; 6] = ["false", "0", "no", "off", "f", "n"];
    if TRUE.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        Ok(true)
    } else if FALSE.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        Ok(false)
    } else {
        Err(ErrorType::BoolParsing)
    }
}

/// 2^63: the floats that fit an `i64` are those in `-2^63..2^63`.
const I64_LIMIT: f64 = 9_223_372_036_854_775_808.0;

/// The whole number a float stands for, as pydantic reads a float for an integer.
fn int_from_float(x: f64) -> Result<Whole, ErrorType> {
    if !x.is_finite() {
        Err(ErrorType::FiniteNumber)
    } else if x.fract() != 0.0 {
        Err(ErrorType::IntFromFloat)
    } else if !(-I64_LIMIT..I64_LIMIT).contains(&x) {
        // pydantic turns a float into an `i64` first: past it, the size is the error, whatever
        // the bounds (`1e20` for `le=1000` is `int_parsing_size`).
        Err(ErrorType::IntParsingSize)
    } else {
        Ok(whole_of_float(x))
    }
}

/// The whole number a function call's parameter stands for: an `integer` Python's `int()` reads;
/// a `number` Python's `float()` reads, then as pydantic reads a float for an integer.
fn int_from_call(text: &str, declared: Declared, arena: &bumpalo::Bump) -> Result<Whole, ErrorType> {
    match declared {
        Declared::Integer => python::int(text).ok_or(ErrorType::IntParsing),
        Declared::Number => python::float(text, arena).ok_or(ErrorType::IntParsing).and_then(int_from_float),
        Declared::Text | Declared::Boolean => Err(ErrorType::IntType),
    }
}

/// The number a function call's parameter stands for: an `integer` or a `number` Python's
/// `float()` reads (an integer's text is a float's).
fn float_from_call(text: &str, declared: Declared, arena: &bumpalo::Bump) -> Result<f64, ErrorType> {
    match declared {
        Declared::Integer if python::int(text).is_none() => Err(ErrorType::FloatParsing),
        Declared::Integer | Declared::Number => python::float(text, arena).ok_or(ErrorType::FloatParsing),
        Declared::Text | Declared::Boolean => Err(ErrorType::FloatType),
    }
}

/// The whole number a JSON number or string stands for, by the reference's rules.
fn int_from_json(json: Json<'_, '_>) -> Result<Whole, ErrorType> {
    match json.kind() {
        JsonKind::Str(_) if json.has_lone_surrogate() => Err(ErrorType::StringUnicode),
        JsonKind::Int(n) => Ok(Whole::Exact(i128::from(n))),
        JsonKind::UInt(n) => Ok(Whole::Exact(i128::from(n))),
        JsonKind::Bool(b) => Ok(Whole::Exact(i128::from(b))),
        JsonKind::Float(x) => int_from_float(x),
        JsonKind::Str(text) | JsonKind::BigInt(text) => parse_int(text),
        JsonKind::Null | JsonKind::Array(_) | JsonKind::Object(_) => Err(ErrorType::IntType),
    }
}

macro_rules! integers {
    ($($ty:ty),*) => {$(
        impl<'a> Value<'a> for $ty {
            const SCHEMA: &'static Schema = &Schema::Integer;

            fn exactness(json: Json<'_, 'a>) -> Exactness {
                if matches!(json.kind(), JsonKind::Int(_) | JsonKind::UInt(_) | JsonKind::BigInt(_)) {
                    Exactness::Exact
                } else {
                    Exactness::Lax
                }
            }

            fn from_json(json: Json<'_, 'a>, c: &Constraints, cx: &mut Validation<'a>) -> Option<Self> {
                Self::checked(int_from_json(json), c, cx)
            }

            fn from_text(text: &'a str, c: &Constraints, cx: &mut Validation<'a>) -> Option<Self> {
                Self::checked(parse_int(text), c, cx)
            }

            fn from_call(text: &'a str, declared: Declared, c: &Constraints, cx: &mut Validation<'a>) -> Option<Self> {
                Self::checked(int_from_call(text, declared, cx.arena()), c, cx)
            }

            const CHECKS_AS_VALUE: bool = true;

            fn satisfies(&self, c: &Constraints) -> bool {
                i128::try_from(*self).is_ok_and(|value| c.broken(Number::Whole(Whole::Exact(value))).is_none())
            }
        }

        impl Checked for $ty {
            /// The bounds first, compared exactly (a value past this type's width still
            /// breaks a bound as Python's `int` would), then the width.
            fn checked(parsed: Result<Whole, ErrorType>, c: &Constraints, cx: &mut Validation<'_>) -> Option<Self> {
                let whole = match parsed {
                    Ok(whole) => whole,
                    Err(kind) => {
                        cx.error(kind);
                        return None;
                    }
                };
                if !bounded(Number::Whole(whole), c, cx) {
                    return None;
                }
                let value = match whole {
                    Whole::Exact(value) => <$ty>::try_from(value).ok(),
                    Whole::Huge { .. } => None,
                };
                if value.is_none() {
                    cx.error(ErrorType::IntParsingSize);
                }
                value
            }
        }
    )*};
}

trait Checked: Sized {
    fn checked(parsed: Result<Whole, ErrorType>, c: &Constraints, cx: &mut Validation<'_>) -> Option<Self>;
}

integers!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

fn checked_float(parsed: Result<f64, ErrorType>, c: &Constraints, cx: &mut Validation<'_>) -> Option<f64> {
    match parsed {
        Ok(value) => bounded(Number::Float(value), c, cx).then_some(value),
        Err(kind) => {
            cx.error(kind);
            None
        }
    }
}

impl<'a> Value<'a> for f64 {
    const SCHEMA: &'static Schema = &Schema::Number;

    fn exactness(json: Json<'_, 'a>) -> Exactness {
        match json.kind() {
            JsonKind::Float(_) => Exactness::Exact,
            JsonKind::Int(_) | JsonKind::UInt(_) | JsonKind::BigInt(_) => Exactness::Strict,
            _ => Exactness::Lax,
        }
    }

    fn from_json(json: Json<'_, 'a>, c: &Constraints, cx: &mut Validation<'a>) -> Option<f64> {
        let parsed = match json.kind() {
            JsonKind::Str(_) if json.has_lone_surrogate() => Err(ErrorType::StringUnicode),
            JsonKind::Int(n) => Ok(n as f64),
            JsonKind::UInt(n) => Ok(n as f64),
            JsonKind::Float(x) => Ok(x),
            JsonKind::Bool(b) => Ok(f64::from(u8::from(b))),
            JsonKind::Str(text) | JsonKind::BigInt(text) => parse_float(text),
            JsonKind::Null | JsonKind::Array(_) | JsonKind::Object(_) => Err(ErrorType::FloatType),
        };
        checked_float(parsed, c, cx)
    }

    fn from_text(text: &'a str, c: &Constraints, cx: &mut Validation<'a>) -> Option<f64> {
        checked_float(parse_float(text), c, cx)
    }

    fn from_call(text: &'a str, declared: Declared, c: &Constraints, cx: &mut Validation<'a>) -> Option<f64> {
        checked_float(float_from_call(text, declared, cx.arena()), c, cx)
    }

    const CHECKS_AS_VALUE: bool = true;

    /// serde_json writes a NaN or an infinity as `null`, which is no number: such a value is
    /// re-read, and refused.
    fn satisfies(&self, c: &Constraints) -> bool {
        self.is_finite() && c.broken(Number::Float(*self)).is_none()
    }
}

impl<'a> Value<'a> for bool {
    const SCHEMA: &'static Schema = &Schema::Boolean;

    fn exactness(json: Json<'_, 'a>) -> Exactness {
        if matches!(json.kind(), JsonKind::Bool(_)) { Exactness::Exact } else { Exactness::Lax }
    }

    fn from_json(json: Json<'_, 'a>, _: &Constraints, cx: &mut Validation<'a>) -> Option<bool> {
        let parsed = match json.kind() {
            JsonKind::Str(_) if json.has_lone_surrogate() => Err(ErrorType::StringUnicode),
            JsonKind::Bool(b) => Ok(b),
            JsonKind::Int(0) => Ok(false),
            JsonKind::Int(1) => Ok(true),
            JsonKind::Int(_) => Err(ErrorType::BoolParsing),
            JsonKind::Float(0.0) => Ok(false),
            JsonKind::Float(1.0) => Ok(true),
            // pydantic reads a float as an integer first: one that is none (`1.5`, `inf`, past
            // an `i64`) is no boolean at all; another integer is a bad one.
            JsonKind::Float(x) if x.fract() == 0.0 && x.abs() < 9.223_372_036_854_776e18 => Err(ErrorType::BoolParsing),
            JsonKind::Float(_) | JsonKind::UInt(_) | JsonKind::BigInt(_) => Err(ErrorType::BoolType),
            JsonKind::Str(text) => parse_bool(text),
            JsonKind::Null | JsonKind::Array(_) | JsonKind::Object(_) => Err(ErrorType::BoolType),
        };
        parsed.map_err(|kind| cx.error(kind)).ok()
    }

    fn from_text(text: &'a str, _: &Constraints, cx: &mut Validation<'a>) -> Option<bool> {
        parse_bool(text).map_err(|kind| cx.error(kind)).ok()
    }

    /// Powertools' `value.lower() == "true"`: any other text of a `boolean` is false.
    fn from_call(text: &'a str, declared: Declared, _: &Constraints, cx: &mut Validation<'a>) -> Option<bool> {
        if declared == Declared::Boolean {
            return Some(text.eq_ignore_ascii_case("true"));
        }
        cx.error(ErrorType::BoolType);
        None
    }

    const CHECKS_AS_VALUE: bool = true;

    fn satisfies(&self, _: &Constraints) -> bool {
        true
    }
}

impl<'a> Value<'a> for &'a str {
    const SCHEMA: &'static Schema = &Schema::String;

    fn from_json(json: Json<'_, 'a>, c: &Constraints, cx: &mut Validation<'a>) -> Option<&'a str> {
        match json.kind() {
            // Python holds it; pydantic keeps it whole, but cannot count or match it.
            JsonKind::Str(_)
                if json.has_lone_surrogate()
                    && (c.min_length.is_some() || c.max_length.is_some() || c.pattern.is_some()) =>
            {
                cx.error(ErrorType::StringUnicode);
                None
            }
            JsonKind::Str(text) => Self::from_text(text, c, cx),
            _ => {
                cx.error(ErrorType::StringType);
                None
            }
        }
    }

    fn exactness(json: Json<'_, 'a>) -> Exactness {
        if matches!(json.kind(), JsonKind::Str(_)) { Exactness::Exact } else { Exactness::Lax }
    }

    fn from_text(text: &'a str, c: &Constraints, cx: &mut Validation<'a>) -> Option<&'a str> {
        match text_error(text, c) {
            None => Some(text),
            Some(kind) => {
                cx.error(kind);
                None
            }
        }
    }

    const CHECKS_AS_VALUE: bool = true;

    fn satisfies(&self, c: &Constraints) -> bool {
        text_error(self, c).is_none()
    }
}

/// The first constraint `text` breaks: lengths first, then the pattern, as pydantic checks a
/// constrained string.
fn text_error(text: &str, c: &Constraints) -> Option<ErrorType> {
    if c.min_length.is_some() || c.max_length.is_some() {
        // Characters, as Python counts them; only counted as far as a bound needs.
        let limit = c.max_length.map_or(c.min_length.unwrap_or(0), |max| max + 1);
        let chars = text.chars().take(limit).count();
        if let Some(kind) = length_error(chars, c, ErrorType::StringTooShort, ErrorType::StringTooLong) {
            return Some(kind);
        }
    }
    c.pattern.filter(|pattern| !pattern.is_match(text)).map(|_| ErrorType::StringPatternMismatch)
}

impl<'a, T: Value<'a>> Value<'a> for Option<T> {
    const SCHEMA: &'static Schema = &Schema::Nullable(T::SCHEMA);
    const OPTIONAL: bool = true;

    fn exactness(json: Json<'_, 'a>) -> Exactness {
        if matches!(json.kind(), JsonKind::Null) { Exactness::Exact } else { T::exactness(json) }
    }

    fn from_json(json: Json<'_, 'a>, c: &Constraints, cx: &mut Validation<'a>) -> Option<Option<T>> {
        match json.kind() {
            JsonKind::Null => Some(None),
            _ => T::from_json(json, c, cx).map(Some),
        }
    }

    fn from_text(text: &'a str, c: &Constraints, cx: &mut Validation<'a>) -> Option<Option<T>> {
        T::from_text(text, c, cx).map(Some)
    }

    fn from_texts(texts: Texts<'a>, c: &Constraints, cx: &mut Validation<'a>) -> Option<Option<T>> {
        T::from_texts(texts, c, cx).map(Some)
    }

    fn from_call(text: &'a str, declared: Declared, c: &Constraints, cx: &mut Validation<'a>) -> Option<Option<T>> {
        T::from_call(text, declared, c, cx).map(Some)
    }

    fn from_form(values: FormValues<'a>, c: &Constraints, cx: &mut Validation<'a>) -> Option<Option<T>> {
        T::from_form(values, c, cx).map(Some)
    }

    fn absent() -> Option<Option<T>> {
        Some(None)
    }

    const CHECKS_AS_VALUE: bool = T::CHECKS_AS_VALUE;

    fn satisfies(&self, c: &Constraints) -> bool {
        self.as_ref().is_none_or(|value| value.satisfies(c))
    }
}

/// A string's or a list's length against its bounds, the error named for what was measured.
fn within_length(
    len: usize,
    c: &Constraints,
    cx: &mut Validation<'_>,
    too_short: ErrorType,
    too_long: ErrorType,
) -> bool {
    length_error(len, c, too_short, too_long).map(|kind| cx.error(kind)).is_none()
}

/// The bound a string's or a list's length breaks, if any.
fn length_error(len: usize, c: &Constraints, too_short: ErrorType, too_long: ErrorType) -> Option<ErrorType> {
    if c.min_length.is_some_and(|min| len < min) {
        Some(too_short)
    } else if c.max_length.is_some_and(|max| len > max) {
        Some(too_long)
    } else {
        None
    }
}

/// A list read item by item: each item's errors located at its index, every item read even
/// after one fails (the reference reports them all), then the list's length checked.
fn list_of<'a, S, T>(
    sources: impl Iterator<Item = S>,
    expected_len: usize,
    c: &Constraints,
    cx: &mut Validation<'a>,
    mut read: impl FnMut(S, &mut Validation<'a>) -> Option<T>,
) -> Option<&'a [T]> {
    let mut items = cx.new_list();
    items.reserve_exact(expected_len);
    let mut valid = true;
    for (index, source) in sources.enumerate() {
        match cx.at(LocPart::Index(index), |cx| read(source, cx)) {
            Some(item) => items.push(item),
            None => valid = false,
        }
    }
    (valid && within_length(items.len(), c, cx, ErrorType::TooShort, ErrorType::TooLong)).then(|| cx.alloc_slice(items))
}

impl<'a, T: Value<'a>> Value<'a> for &'a [T] {
    const SCHEMA: &'static Schema = &Schema::Array(T::SCHEMA);

    fn exactness(json: Json<'_, 'a>) -> Exactness {
        if matches!(json.kind(), JsonKind::Array(_)) { Exactness::Exact } else { Exactness::Lax }
    }

    fn from_json(json: Json<'_, 'a>, c: &Constraints, cx: &mut Validation<'a>) -> Option<&'a [T]> {
        let JsonKind::Array(len) = json.kind() else {
            cx.error(ErrorType::ListType);
            return None;
        };
        list_of(json.elements(), len, c, cx, |element, cx| T::from_json(element, &Constraints::NONE, cx))
    }

    fn from_text(text: &'a str, c: &Constraints, cx: &mut Validation<'a>) -> Option<&'a [T]> {
        let item = cx.at(LocPart::Index(0), |cx| T::from_text(text, &Constraints::NONE, cx))?;
        let mut items = cx.new_list();
        items.push(item);
        within_length(1, c, cx, ErrorType::TooShort, ErrorType::TooLong).then(|| cx.alloc_slice(items))
    }

    fn from_texts(texts: Texts<'a>, c: &Constraints, cx: &mut Validation<'a>) -> Option<&'a [T]> {
        if texts.is_bare_string() {
            cx.error(ErrorType::ListType);
            return None;
        }
        list_of(texts.each(), 0, c, cx, |text, cx| T::from_text(text, &Constraints::NONE, cx))
    }

    fn from_form(values: FormValues<'a>, c: &Constraints, cx: &mut Validation<'a>) -> Option<&'a [T]> {
        list_of(values.each(), 0, c, cx, |value, cx| match value {
            FormValue::Text(text) => T::from_text(text, &Constraints::NONE, cx),
            FormValue::File { .. } => {
                cx.error(T::SCHEMA.type_error());
                None
            }
        })
    }

    const CHECKS_AS_VALUE: bool = T::CHECKS_AS_VALUE;

    fn satisfies(&self, c: &Constraints) -> bool {
        self.iter().all(|item| item.satisfies(&Constraints::NONE))
            && length_error(self.len(), c, ErrorType::TooShort, ErrorType::TooLong).is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::{ErrorType, parse_bool};

    /// Each row checked with pydantic 2 (`TypeAdapter(bool).validate_python(text)`).
    #[test]
    fn reads_booleans_as_pydantic_does() {
        for (text, value) in [
            ("true", true),
            ("FALSE", false),
            ("1", true),
            ("0", false),
            ("yes", true),
            ("No", false),
            ("on", true),
            ("OFF", false),
            ("t", true),
            ("F", false),
            ("y", true),
            ("N", false),
            ("tRuE", true),
        ] {
            assert_eq!(parse_bool(text), Ok(value), "{text:?}");
        }
        for text in ["2", "", " true"] {
            assert_eq!(parse_bool(text), Err(ErrorType::BoolParsing), "{text:?}");
        }
    }
}
