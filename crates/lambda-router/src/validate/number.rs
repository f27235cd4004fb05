//! Numbers as pydantic reads and compares them: integers of any size from text, floats of any
//! length, and bounds compared exactly, an integer with an integer as integers, an integer
//! with a float by their exact values (as Python compares `int` and `float`), never through a
//! lossy `f64` cast.

use std::cmp::Ordering;

use super::ErrorType;

/// A bound of a constraint (`gt`, `ge`, `lt`, `le`): an integer, compared exactly, or a finite
/// number. The derives write integer literals as [`Bound::int`] and others as
/// [`Bound::float`], which refuses a non-finite number at compile time.
///
/// ```
/// use lambda_router::validate::Bound;
/// const LIMIT: Bound = Bound::int(9_007_199_254_740_993); // 2^53 + 1, exactly
/// assert_eq!(LIMIT, Bound::int(9_007_199_254_740_993));
/// ```
///
/// ```compile_fail,E0080
/// use lambda_router::validate::Bound;
/// const NOT_A_BOUND: Bound = Bound::float(f64::INFINITY);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Bound {
    /// An integer.
    Int(i128),
    /// A finite number.
    Float(f64),
}

impl Bound {
    /// An integer bound.
    pub const fn int(value: i128) -> Bound {
        Bound::Int(value)
    }

    /// A number bound; panics (a compile error in a `const`) unless it is finite: JSON has no
    /// infinities and every comparison with NaN fails.
    pub const fn float(value: f64) -> Bound {
        assert!(value.is_finite(), "a bound must be a finite number");
        Bound::Float(value)
    }
}

/// A whole number as read: exactly, or only its sign when it is beyond what `i128` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Whole {
    Exact(i128),
    Huge { negative: bool },
}

/// A number being checked against bounds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Number {
    Whole(Whole),
    Float(f64),
}

/// `a` compared with `b`, exactly (`None` when `b` is NaN).
fn cmp_int_float(a: i128, b: f64) -> Option<Ordering> {
    const TWO_127: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if b.is_nan() {
        return None;
    }
    if b >= TWO_127 {
        return Some(Ordering::Less);
    }
    if b < -TWO_127 {
        return Some(Ordering::Greater);
    }
    // |b| < 2^127: its integer part is an exact i128.
    let whole = b.trunc();
    Some(a.cmp(&(whole as i128)).then(if b > whole {
        Ordering::Less
    } else if b < whole {
        Ordering::Greater
    } else {
        Ordering::Equal
    }))
}

impl Number {
    /// `self` compared with `bound`, exactly; `None` for NaN, which breaks every bound.
    fn cmp(self, bound: Bound) -> Option<Ordering> {
        match (self, bound) {
            (Number::Whole(Whole::Huge { negative }), _) => {
                Some(if negative { Ordering::Less } else { Ordering::Greater })
            }
            (Number::Whole(Whole::Exact(a)), Bound::Int(b)) => Some(a.cmp(&b)),
            (Number::Whole(Whole::Exact(a)), Bound::Float(b)) => cmp_int_float(a, b),
            (Number::Float(a), Bound::Int(b)) => cmp_int_float(b, a).map(Ordering::reverse),
            (Number::Float(a), Bound::Float(b)) => a.partial_cmp(&b),
        }
    }

    /// The first bound `self` breaks, in pydantic-core's order (`le`, `lt`, `ge`, `gt`), which
    /// decides the error of a value that breaks two: NaN (it breaks every bound) and a value
    /// outside contradictory bounds.
    pub(crate) fn broken(
        self,
        gt: Option<Bound>,
        ge: Option<Bound>,
        lt: Option<Bound>,
        le: Option<Bound>,
    ) -> Option<ErrorType> {
        let holds = |bound: Option<Bound>, ok: fn(Ordering) -> bool| bound.is_none_or(|b| self.cmp(b).is_some_and(ok));
        if !holds(le, Ordering::is_le) {
            Some(ErrorType::LessThanEqual)
        } else if !holds(lt, Ordering::is_lt) {
            Some(ErrorType::LessThan)
        } else if !holds(ge, Ordering::is_ge) {
            Some(ErrorType::GreaterThanEqual)
        } else if !holds(gt, Ordering::is_gt) {
            Some(ErrorType::GreaterThan)
        } else {
            None
        }
    }
}

/// CPython's limit on the digits of integer text (`sys.get_int_max_str_digits()`).
pub(crate) const MAX_INT_DIGITS: usize = 4300;

/// An integer from text, as pydantic reads one: surrounding whitespace, a sign, `_` between
/// digits, and a `.0…` fraction allowed; anything else is not an integer. Up to CPython's
/// 4,300 digits: beyond `i128`, only the sign is kept.
pub(crate) fn parse_int(text: &str) -> Result<Whole, ErrorType> {
    // pydantic reads the text as a JSON number first (jiter), which stops past 4,300 digits,
    // CPython's limit on integer text: `int_parsing_size`, whatever follows them.
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    if unsigned.starts_with(|c: char| c.is_ascii_digit() && c != '0')
        && unsigned.bytes().take_while(u8::is_ascii_digit).count() > MAX_INT_DIGITS
    {
        return Err(ErrorType::IntParsingSize);
    }
    let (negative, digits) = split_sign(text.trim());
    let digits = match digits.split_once('.') {
        Some((whole, zeros)) if !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') => whole,
        Some(_) => return Err(ErrorType::IntParsing),
        None => digits,
    };
    let bytes = digits.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_digit() || !bytes[bytes.len() - 1].is_ascii_digit() {
        return Err(ErrorType::IntParsing);
    }
    let mut value: Option<i128> = Some(0);
    let mut previous_underscore = false;
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                let digit = i128::from(b - b'0');
                value = value.and_then(|v| v.checked_mul(10)).and_then(|v| v.checked_add(digit));
                previous_underscore = false;
            }
            b'_' if !previous_underscore => previous_underscore = true,
            _ => return Err(ErrorType::IntParsing),
        }
    }
    // Then as Python's `int()` after cleaning (sign, zeros, underscores): past the limit, the
    // text is no integer.
    let significant = bytes.iter().skip_while(|&&b| b == b'0' || b == b'_').filter(|&&b| b != b'_').count();
    if significant > MAX_INT_DIGITS {
        return Err(ErrorType::IntParsing);
    }
    Ok(match value {
        Some(value) => Whole::Exact(if negative { -value } else { value }),
        None => Whole::Huge { negative },
    })
}

/// Whether `text` starts with `-`, and the text after its sign (`-` or `+`), if any.
pub(crate) fn split_sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

/// The whole number an integral float stands for.
pub(crate) fn whole_of_float(x: f64) -> Whole {
    const TWO_127: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if x.abs() < TWO_127 { Whole::Exact(x as i128) } else { Whole::Huge { negative: x < 0.0 } }
}

/// A number from text, as pydantic reads one (`inf`, `nan`, `1_0.5`, ` 2.5 ` included), of any
/// length.
pub(crate) fn parse_float(text: &str) -> Result<f64, ErrorType> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if !bytes.contains(&b'_') {
        return text.parse::<f64>().map_err(|_| ErrorType::FloatParsing);
    }
    let underscores_ok = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'_' || (i > 0 && bytes[i - 1].is_ascii_digit() && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
    });
    if !underscores_ok {
        return Err(ErrorType::FloatParsing);
    }
    // Inline up to 64 bytes; a longer number with underscores is rare enough to spill.
    let plain: smallvec::SmallVec<[u8; 64]> = bytes.iter().copied().filter(|&b| b != b'_').collect();
    let plain = std::str::from_utf8(&plain).map_err(|_| ErrorType::FloatParsing)?;
    plain.parse::<f64>().map_err(|_| ErrorType::FloatParsing)
}

#[cfg(test)]
mod tests {
    use super::{Bound, Number, Whole, cmp_int_float, parse_float, parse_int};
    use crate::validate::ErrorType;
    use std::cmp::Ordering;

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
            assert_eq!(parse_int(text), Ok(Whole::Exact(value)), "{text:?}");
        }
        for text in ["1.5", "0x10", "", "1e3", "+-1", "_1", "1__0", "1.", ".0", "1.0e0", "1_", "١٢"] {
            assert_eq!(parse_int(text), Err(ErrorType::IntParsing), "{text:?}");
        }
        let huge = "9".repeat(60);
        assert_eq!(parse_int(&huge), Ok(Whole::Huge { negative: false }));
        assert_eq!(parse_int(&format!("-{huge}")), Ok(Whole::Huge { negative: true }));
        assert_eq!(parse_int("18446744073709551615"), Ok(Whole::Exact(u64::MAX.into())));
        // CPython's 4,300 digits, as pydantic 2.14 reads them.
        let (limit, over) = ("9".repeat(4300), "9".repeat(4301));
        for text in
            [limit.clone(), format!("-{limit}"), format!("000{limit}"), format!("+{limit}"), format!("{limit}.0")]
        {
            assert_eq!(parse_int(&text).map(|_| ()), Ok(()), "{} digits", text.len());
        }
        for text in [
            over.clone(),
            format!("-{over}"),
            format!("{over}.5"),
            format!("{over}x"),
            format!("1{}", "0".repeat(4300)),
        ] {
            assert_eq!(parse_int(&text), Err(ErrorType::IntParsingSize), "{} characters", text.len());
        }
        for text in
            [format!("+{over}"), format!(" {over}"), format!("0{over}"), format!("-0{over}"), format!("{limit}.5")]
        {
            assert_eq!(parse_int(&text), Err(ErrorType::IntParsing), "{} characters", text.len());
        }
    }

    #[test]
    fn reads_numbers_of_any_length_as_pydantic_does() {
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
        // Longer than any fixed buffer, with and without underscores.
        let long = format!("0.{}1", "0".repeat(200));
        assert_eq!(parse_float(&long), Ok(1e-201));
        let long_underscored = format!("1{}.5", "_000".repeat(30));
        assert_eq!(parse_float(&long_underscored), Ok(1e90 + 0.5));
    }

    /// `le = 2^53` refuses `2^53 + 1`; at 2^63 and `u64::MAX` the bounds hold exactly too.
    #[test]
    fn integers_are_compared_with_bounds_as_integers() {
        let two_53 = 1i128 << 53;
        let at = |value: i128, bound: Bound| Number::Whole(Whole::Exact(value)).broken(None, None, None, Some(bound));
        assert_eq!(at(two_53, Bound::int(two_53)), None);
        assert_eq!(at(two_53 + 1, Bound::int(two_53)), Some(ErrorType::LessThanEqual));
        let two_63 = 1i128 << 63;
        assert_eq!(at(two_63 - 1, Bound::int(two_63 - 1)), None);
        assert_eq!(at(two_63, Bound::int(two_63 - 1)), Some(ErrorType::LessThanEqual));
        let max = i128::from(u64::MAX);
        assert_eq!(at(max, Bound::int(max)), None);
        assert_eq!(at(max, Bound::int(max - 1)), Some(ErrorType::LessThanEqual));
        // 2^53 + 1 against the float 2^53: Python says greater (`2**53 + 1 > 2.0**53`).
        assert_eq!(at(two_53 + 1, Bound::float(two_53 as f64)), Some(ErrorType::LessThanEqual));
        assert_eq!(cmp_int_float(two_53 + 1, two_53 as f64), Some(Ordering::Greater));
        assert_eq!(cmp_int_float(-3, -2.5), Some(Ordering::Less));
        assert_eq!(cmp_int_float(-2, -2.5), Some(Ordering::Greater));
        assert_eq!(cmp_int_float(2, 2.0), Some(Ordering::Equal));
        assert_eq!(cmp_int_float(i128::MAX, 1e300), Some(Ordering::Less));
        // A float against an integer bound, exactly: 2^53 + 1 is not representable, 2^53 is.
        let float = |x: f64, bound: Bound| Number::Float(x).broken(Some(bound), None, None, None);
        assert_eq!(float(two_53 as f64, Bound::int(two_53 - 1)), None);
        assert_eq!(float(two_53 as f64, Bound::int(two_53)), Some(ErrorType::GreaterThan));
        assert_eq!(float(f64::NAN, Bound::int(0)), Some(ErrorType::GreaterThan));
        // Beyond i128, only the sign decides.
        let huge = Number::Whole(Whole::Huge { negative: false });
        assert_eq!(huge.broken(Some(Bound::int(0)), None, Some(Bound::float(1e300)), None), Some(ErrorType::LessThan));
    }
    /// A value that breaks two bounds gets the error of the first pydantic-core checks (`le`,
    /// `lt`, `ge`, `gt`). Each row checked with pydantic 2.14 (`TypeAdapter(Annotated[float,
    /// Field(**bounds)]).validate_python(value)`, and the same with `int`).
    #[test]
    fn the_first_broken_bound_is_pydantics() {
        use ErrorType::{GreaterThan, GreaterThanEqual, LessThan, LessThanEqual};
        let (int, float) = (Bound::int, Bound::float);
        // (gt, ge, lt, le), value, error
        let rows = [
            ((Some(int(0)), None, None, Some(int(10))), f64::NAN, LessThanEqual),
            ((None, Some(int(0)), Some(int(10)), None), f64::NAN, LessThan),
            ((Some(int(0)), None, Some(int(10)), None), f64::NAN, LessThan),
            ((Some(int(0)), Some(int(0)), Some(int(10)), Some(int(10))), f64::NAN, LessThanEqual),
            ((Some(int(0)), None, None, None), f64::NAN, GreaterThan),
            ((Some(int(10)), None, Some(int(5)), None), 7.0, LessThan),
            ((Some(int(10)), None, Some(int(5)), None), 0.0, GreaterThan),
            ((None, Some(int(10)), None, Some(int(5))), 7.0, LessThanEqual),
            ((None, Some(int(10)), None, Some(int(5))), 0.0, GreaterThanEqual),
            ((Some(int(0)), Some(int(0)), None, None), -1.0, GreaterThanEqual),
            ((Some(int(0)), Some(int(0)), None, None), 0.0, GreaterThan),
            ((None, None, Some(int(10)), Some(int(10))), 10.0, LessThan),
            ((None, None, Some(float(10.0)), Some(float(10.0))), 11.0, LessThanEqual),
        ];
        for ((gt, ge, lt, le), value, error) in rows {
            assert_eq!(
                Number::Float(value).broken(gt, ge, lt, le),
                Some(error),
                "{value} in {gt:?} {ge:?} {lt:?} {le:?}"
            );
            if value.is_finite() {
                let whole = Number::Whole(Whole::Exact(value as i128));
                assert_eq!(whole.broken(gt, ge, lt, le), Some(error), "{value} as an integer");
            }
        }
    }
}
