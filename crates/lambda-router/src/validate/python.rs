//! Text as Python's `int()` and `float()` read it: how the reference converts a Bedrock Agents
//! function call's `integer` and `number` parameters before its tool sees them (pydantic's lax
//! rules, which the typed inputs follow elsewhere, differ: `int("1.0")` fails, `int("١٢")` is 12).
//!
//! CPython first turns each Unicode decimal digit into its ASCII digit and each Unicode space
//! into a space (`_PyUnicode_TransformDecimalAndSpaceToASCII`), then strips the spaces at both
//! ends and reads an optional sign and digits, `_` allowed between two digits. Its spaces are
//! Rust's `char::is_whitespace` (both are Unicode's White_Space; `\x1c`–`\x1f`, which
//! `str.isspace` also takes, are below 127 and left as they are, so they are no spaces here).

use bumpalo::Bump;

use super::number::{MAX_INT_DIGITS, Whole, parse_float, split_sign};

/// The first code point of each run of ten Unicode decimal digits (category Nd, zero to nine), as
/// Python 3.11's `unicodedata` (Unicode 14.0) lists them:
/// `[c for c in range(0x110000) if unicodedata.decimal(chr(c), None) == 0]`; every digit is in
/// one of these runs.
const ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0,
    0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
    0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0,
    0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60,
    0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The value of a Unicode decimal digit.
fn decimal(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    let code = u32::from(c);
    let zero = ZEROS[..ZEROS.partition_point(|&zero| zero <= code)].last()?;
    // Both below 10: the subtraction cannot wrap.
    (code - zero < 10).then(|| (code - zero) as u8)
}

/// The integer Python's `int(text)` reads, or `None` where it raises `ValueError` (beyond
/// `i128`, only the sign is kept).
pub(crate) fn int(text: &str) -> Option<Whole> {
    let (negative, digits) = split_sign(text.trim());
    let mut value = Some(0i128);
    let mut count = 0usize;
    let mut after_digit = false;
    for c in digits.chars() {
        if c == '_' && after_digit {
            after_digit = false;
            continue;
        }
        let digit = decimal(c)?;
        value = value.and_then(|v| v.checked_mul(10)).and_then(|v| v.checked_add(i128::from(digit)));
        count += 1;
        after_digit = true;
    }
    // No digit, or a `_` last; past CPython's limit on the digits of integer text (leading zeros
    // counted), `ValueError`.
    if !after_digit || count > MAX_INT_DIGITS {
        return None;
    }
    Some(match value {
        Some(value) => Whole::Exact(if negative { -value } else { value }),
        None => Whole::Huge { negative },
    })
}

/// The number Python's `float(text)` reads, or `None` where it raises `ValueError`. Text with
/// non-ASCII digits or spaces is turned into ASCII in `arena` first.
pub(crate) fn float(text: &str, arena: &Bump) -> Option<f64> {
    let text = if text.is_ascii() {
        text
    } else {
        let mut ascii = bumpalo::collections::String::with_capacity_in(text.len(), arena);
        for c in text.chars() {
            match decimal(c) {
                Some(digit) => ascii.push(char::from(b'0' + digit)),
                None if c.is_whitespace() => ascii.push(' '),
                None if c.is_ascii() => ascii.push(c),
                // CPython stops at the first other character and reads a `?` there.
                None => return None,
            }
        }
        ascii.into_bump_str()
    };
    // The rest is Python's syntax, which pydantic's text reading shares: spaces at both ends,
    // `_` between digits, `inf`, `infinity` and `nan` in any case, with a sign.
    parse_float(text).ok()
}

#[cfg(test)]
mod tests {
    use super::{float, int};
    use crate::validate::number::Whole;

    /// Each row checked with Python 3.11: `int(text)`, `None` for `ValueError`.
    #[test]
    fn reads_integers_as_python_int_does() {
        for (text, value) in [
            ("4", Some(4)),
            (" 4 ", Some(4)),
            ("+4", Some(4)),
            ("-0", Some(0)),
            ("0004", Some(4)),
            ("4_0", Some(40)),
            (" +7_0 ", Some(70)),
            ("0_0", Some(0)),
            ("٤", Some(4)),
            ("-٤", Some(-4)),
            ("١٢", Some(12)),
            ("१२", Some(12)),
            ("４２", Some(42)),
            ("𝟗", Some(9)),
            ("١_٢", Some(12)),
            ("4\u{85}", Some(4)),
            ("\u{a0}4", Some(4)),
            ("4\u{3000}", Some(4)),
            ("\u{2003}4", Some(4)),
            ("4\u{b}", Some(4)),
            ("1.0", None),
            ("4.5", None),
            ("1e1", None),
            ("0x10", None),
            ("", None),
            (" ", None),
            ("-", None),
            ("_4", None),
            ("4_", None),
            ("4__0", None),
            ("+_4", None),
            ("- 4", None),
            ("4 4", None),
            ("4\u{1c}", None),
            ("\u{1f}4", None),
            ("4\u{7f}", None),
            ("--4", None),
            ("−5", None),
            ("٤.٥", None),
            ("4,5", None),
        ] {
            assert_eq!(int(text), value.map(Whole::Exact), "{text:?}");
        }
        let huge = "9".repeat(60);
        assert_eq!(int(&huge), Some(Whole::Huge { negative: false }));
        assert_eq!(int(&format!("-{huge}")), Some(Whole::Huge { negative: true }));
        // CPython's 4,300 digits: leading zeros count, underscores and the sign do not.
        let (limit, over) = ("1".repeat(4300), "1".repeat(4301));
        for text in [limit.clone(), format!("-{limit}"), format!(" {limit}")] {
            assert!(int(&text).is_some(), "{} characters", text.len());
        }
        for text in [over, format!("0{limit}"), "0".repeat(4301), format!("{}1", "1_".repeat(4300))] {
            assert_eq!(int(&text), None, "{} characters", text.len());
        }
    }

    /// Each row checked with Python 3.11: `float(text)`, `None` for `ValueError`.
    #[test]
    fn reads_numbers_as_python_float_does() {
        let bump = bumpalo::Bump::new();
        for (text, value) in [
            ("4", Some(4.0)),
            (" 2.5 ", Some(2.5)),
            ("٤.٥", Some(4.5)),
            ("١_٢", Some(12.0)),
            ("1e٣", Some(1000.0)),
            ("1e5_0", Some(1e50)),
            ("1.e1", Some(10.0)),
            (".5", Some(0.5)),
            ("5.", Some(5.0)),
            ("\u{a0}1.5", Some(1.5)),
            ("1\u{2003}", Some(1.0)),
            ("+inf", Some(f64::INFINITY)),
            ("-Infinity", Some(f64::NEG_INFINITY)),
            ("iNf", Some(f64::INFINITY)),
            ("1e400", Some(f64::INFINITY)),
            ("1_e5", None),
            ("1e_5", None),
            ("1.5e", None),
            (".e1", None),
            ("in f", None),
            ("0x1p3", None),
            ("in", None),
            ("infinityy", None),
            ("nan(1)", None),
            ("1_000.000_1", Some(1000.0001)),
            ("0x10", None),
            ("", None),
            ("1,5", None),
            ("4\u{1c}", None),
            ("٤é", None),
            ("−5", None),
        ] {
            assert_eq!(float(text, &bump), value, "{text:?}");
        }
        for text in ["nan", "-nan", "+NaN", " nan "] {
            assert!(float(text, &bump).is_some_and(f64::is_nan), "{text:?}");
        }
    }

    /// Every digit of every run reads as its value, and the code points around the runs are no
    /// digits (the runs' neighbours in Unicode 14.0 are letters, signs or unassigned).
    #[test]
    fn every_run_of_ten_digits() {
        for &zero in &super::ZEROS {
            for value in 0..10u8 {
                let c = char::from_u32(zero + u32::from(value)).expect("a digit is a char");
                assert_eq!(super::decimal(c), Some(value), "U+{:04X}", zero + u32::from(value));
            }
            let after = char::from_u32(zero + 10).expect("a char");
            if !super::ZEROS.contains(&(zero + 10)) {
                assert_eq!(super::decimal(after), None, "U+{:04X}", zero + 10);
            }
        }
        for c in ['a', '/', ':', '\u{65f}', '\u{66a}', '\u{ff1a}', '\u{1d7cd}', '\u{b2}', '\u{2167}'] {
            assert_eq!(super::decimal(c), None, "U+{:04X}", u32::from(c));
        }
    }
}
