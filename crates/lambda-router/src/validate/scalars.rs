//! The field types every model and parameter set is made of, read by the reference's lax rules
//! (pydantic's "python" mode, which the reference uses on `json.loads`'s output): integers,
//! numbers, booleans, strings, options and lists.

use super::{Constraints, ErrorType, Json, JsonKind, LocPart, Schema, Texts, Validation, Value};

/// Checks a number against the bounds, recording the first one it breaks. NaN breaks every
/// bound, as in the reference: hence the negated comparisons.
#[allow(clippy::neg_cmp_op_on_partial_ord)]
fn bounded(value: f64, c: &Constraints, cx: &mut Validation<'_>) -> bool {
    let broken = if c.gt.is_some_and(|b| !(value > b)) {
        Some(ErrorType::GreaterThan)
    } else if c.ge.is_some_and(|b| !(value >= b)) {
        Some(ErrorType::GreaterThanEqual)
    } else if c.lt.is_some_and(|b| !(value < b)) {
        Some(ErrorType::LessThan)
    } else if c.le.is_some_and(|b| !(value <= b)) {
        Some(ErrorType::LessThanEqual)
    } else {
        None
    };
    broken.map(|kind| cx.error(kind)).is_none()
}

/// An integer from text, as pydantic reads one: surrounding whitespace, a sign, `_` between
/// digits, and a `.0…` fraction allowed; anything else is not an integer.
pub(crate) fn parse_int(text: &str) -> Result<i128, ErrorType> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let digits = match digits.split_once('.') {
        Some((whole, zeros)) if !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') => whole,
        Some(_) => return Err(ErrorType::IntParsing),
        None => digits,
    };
    let bytes = digits.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_digit() || !bytes[bytes.len() - 1].is_ascii_digit() {
        return Err(ErrorType::IntParsing);
    }
    let mut value: i128 = 0;
    let mut previous_underscore = false;
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                value = value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(i128::from(b - b'0')))
                    .ok_or(ErrorType::IntParsingSize)?;
                previous_underscore = false;
            }
            b'_' if !previous_underscore => previous_underscore = true,
            _ => return Err(ErrorType::IntParsing),
        }
    }
    Ok(if negative { -value } else { value })
}

/// A number from text, as pydantic reads one (`inf`, `nan`, `1_0.5`, ` 2.5 ` included).
pub(crate) fn parse_float(text: &str) -> Result<f64, ErrorType> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let underscores_ok = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'_' || (i > 0 && bytes[i - 1].is_ascii_digit() && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
    });
    if !underscores_ok {
        return Err(ErrorType::FloatParsing);
    }
    let mut plain = [0u8; 64];
    let mut len = 0;
    for &b in bytes.iter().filter(|&&b| b != b'_') {
        *plain.get_mut(len).ok_or(ErrorType::FloatParsing)? = b;
        len += 1;
    }
    let plain = std::str::from_utf8(&plain[..len]).map_err(|_| ErrorType::FloatParsing)?;
    plain.parse::<f64>().map_err(|_| ErrorType::FloatParsing)
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

/// The whole number a JSON number or string stands for, by the reference's rules.
fn int_from_json(json: Json<'_, '_>) -> Result<i128, ErrorType> {
    match json.kind() {
        JsonKind::Int(n) => Ok(i128::from(n)),
        JsonKind::UInt(n) => Ok(i128::from(n)),
        JsonKind::Bool(b) => Ok(i128::from(b)),
        JsonKind::Float(x) if !x.is_finite() => Err(ErrorType::FiniteNumber),
        JsonKind::Float(x) if x.fract() != 0.0 => Err(ErrorType::IntFromFloat),
        JsonKind::Float(x) if x.abs() < 9.2e18 => Ok(x as i128),
        JsonKind::Float(_) => Err(ErrorType::IntParsingSize),
        JsonKind::Str(text) => parse_int(text),
        JsonKind::Null | JsonKind::Array(_) | JsonKind::Object(_) => Err(ErrorType::IntType),
    }
}

macro_rules! integers {
    ($($ty:ty),*) => {$(
        impl<'a> Value<'a> for $ty {
            const SCHEMA: &'static Schema = &Schema::Integer;

            fn from_json(json: Json<'_, 'a>, c: &Constraints, cx: &mut Validation<'a>) -> Option<Self> {
                Self::checked(int_from_json(json), c, cx)
            }

            fn from_text(text: &'a str, c: &Constraints, cx: &mut Validation<'a>) -> Option<Self> {
                Self::checked(parse_int(text), c, cx)
            }
        }

        impl Checked for $ty {
            fn checked(parsed: Result<i128, ErrorType>, c: &Constraints, cx: &mut Validation<'_>) -> Option<Self> {
                let value = parsed.and_then(|v| <$ty>::try_from(v).map_err(|_| ErrorType::IntParsingSize));
                match value {
                    Ok(value) => bounded(value as f64, c, cx).then_some(value),
                    Err(kind) => {
                        cx.error(kind);
                        None
                    }
                }
            }
        }
    )*};
}

trait Checked: Sized {
    fn checked(parsed: Result<i128, ErrorType>, c: &Constraints, cx: &mut Validation<'_>) -> Option<Self>;
}

integers!(i64, i32, u32, u64);

fn checked_float(parsed: Result<f64, ErrorType>, c: &Constraints, cx: &mut Validation<'_>) -> Option<f64> {
    match parsed {
        Ok(value) => bounded(value, c, cx).then_some(value),
        Err(kind) => {
            cx.error(kind);
            None
        }
    }
}

impl<'a> Value<'a> for f64 {
    const SCHEMA: &'static Schema = &Schema::Number;

    fn from_json(json: Json<'_, 'a>, c: &Constraints, cx: &mut Validation<'a>) -> Option<f64> {
        let parsed = match json.kind() {
            JsonKind::Int(n) => Ok(n as f64),
            JsonKind::UInt(n) => Ok(n as f64),
            JsonKind::Float(x) => Ok(x),
            JsonKind::Bool(b) => Ok(f64::from(u8::from(b))),
            JsonKind::Str(text) => parse_float(text),
            JsonKind::Null | JsonKind::Array(_) | JsonKind::Object(_) => Err(ErrorType::FloatType),
        };
        checked_float(parsed, c, cx)
    }

    fn from_text(text: &'a str, c: &Constraints, cx: &mut Validation<'a>) -> Option<f64> {
        checked_float(parse_float(text), c, cx)
    }
}

impl<'a> Value<'a> for bool {
    const SCHEMA: &'static Schema = &Schema::Boolean;

    fn from_json(json: Json<'_, 'a>, _: &Constraints, cx: &mut Validation<'a>) -> Option<bool> {
        let parsed = match json.kind() {
            JsonKind::Bool(b) => Ok(b),
            JsonKind::Int(0) => Ok(false),
            JsonKind::Int(1) => Ok(true),
            JsonKind::Float(0.0) => Ok(false),
            JsonKind::Float(1.0) => Ok(true),
            JsonKind::Int(_) | JsonKind::UInt(_) | JsonKind::Float(_) => Err(ErrorType::BoolParsing),
            JsonKind::Str(text) => parse_bool(text),
            JsonKind::Null | JsonKind::Array(_) | JsonKind::Object(_) => Err(ErrorType::BoolType),
        };
        parsed.map_err(|kind| cx.error(kind)).ok()
    }

    fn from_text(text: &'a str, _: &Constraints, cx: &mut Validation<'a>) -> Option<bool> {
        parse_bool(text).map_err(|kind| cx.error(kind)).ok()
    }
}

impl<'a> Value<'a> for &'a str {
    const SCHEMA: &'static Schema = &Schema::String;

    fn from_json(json: Json<'_, 'a>, c: &Constraints, cx: &mut Validation<'a>) -> Option<&'a str> {
        match json.kind() {
            JsonKind::Str(text) => Self::from_text(text, c, cx),
            _ => {
                cx.error(ErrorType::StringType);
                None
            }
        }
    }

    fn from_text(text: &'a str, c: &Constraints, cx: &mut Validation<'a>) -> Option<&'a str> {
        if c.min_length.is_none() && c.max_length.is_none() {
            return Some(text);
        }
        // Characters, as Python counts them; only counted as far as a bound needs.
        let limit = c.max_length.map_or(c.min_length.unwrap_or(0), |max| max + 1);
        let chars = text.chars().take(limit).count();
        within_length(chars, c, cx, ErrorType::StringTooShort, ErrorType::StringTooLong).then_some(text)
    }
}

impl<'a, T: Value<'a>> Value<'a> for Option<T> {
    const SCHEMA: &'static Schema = &Schema::Nullable(T::SCHEMA);
    const OPTIONAL: bool = true;

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

    fn absent() -> Option<Option<T>> {
        Some(None)
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
    if c.min_length.is_some_and(|min| len < min) {
        cx.error(too_short);
        false
    } else if c.max_length.is_some_and(|max| len > max) {
        cx.error(too_long);
        false
    } else {
        true
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
        list_of(texts.each(), 0, c, cx, |text, cx| T::from_text(text, &Constraints::NONE, cx))
    }
}

#[cfg(test)]
mod tests {
    use super::{ErrorType, parse_bool, parse_float, parse_int};

    /// Each row checked with pydantic 2 (`TypeAdapter(int).validate_python(text)`).
    #[test]
    fn reads_integers_as_pydantic_does() {
        for (text, value) in [
            ("7", 7),
            ("+7", 7),
            ("007", 7),
            ("-3", -3),
            (" 7 ", 7),
            ("1_000", 1000),
            ("1.0", 1),
            ("3.00", 3),
            ("-0", 0),
            ("-007", -7),
        ] {
            assert_eq!(parse_int(text), Ok(value), "{text:?}");
        }
        for text in ["1.5", "0x10", "", "1e3", "+-1", "_1", "1__0", "1.", ".0", "1.0e0", "1_", "١٢"] {
            assert_eq!(parse_int(text), Err(ErrorType::IntParsing), "{text:?}");
        }
    }

    #[test]
    fn reads_numbers_and_booleans_as_pydantic_does() {
        for (text, value) in [
            ("2.5", 2.5),
            (" 2.5 ", 2.5),
            ("1_0.5", 10.5),
            ("+1.5", 1.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("1e5", 1e5),
            ("1_000", 1000.0),
        ] {
            assert_eq!(parse_float(text), Ok(value), "{text:?}");
        }
        for text in ["inf", "-inf", "Infinity", "INF", "1e400"] {
            assert!(parse_float(text).is_ok_and(f64::is_infinite), "{text:?}");
        }
        assert!(parse_float("NaN").is_ok_and(f64::is_nan));
        for text in ["", "abc", "0x1p3", "_1", "1_", "1__0"] {
            assert_eq!(parse_float(text), Err(ErrorType::FloatParsing), "{text:?}");
        }
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
