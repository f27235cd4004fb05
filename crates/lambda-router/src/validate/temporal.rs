//! Dates, date-times and UUIDs, read as pydantic reads them, with the crates pydantic-core
//! reads them with (speedate, uuid), in its lax ("python") mode: from text, or for a date-time
//! from a Unix time (seconds, or milliseconds past 2e10, as speedate infers), and written back
//! as pydantic writes them (`2032-04-23T10:20:30.4Z`-style ISO 8601, a UUID in lower case with
//! hyphens).

use speedate::{DateConfig, DateTimeConfig, MicrosecondsPrecisionOverflowBehavior, TimeConfig, TimestampUnit};

use super::{Constraints, ErrorType, Json, JsonKind, Schema, Validation, Value};

/// A UUID (the `uuid` crate's), read as pydantic reads one: hyphenated, 32 hex digits, braced or
/// `urn:uuid:`, in any case; written in lower case with hyphens.
pub use uuid::Uuid;

/// A date, read as pydantic reads one: `YYYY-MM-DD`, or a date-time whose time is midnight
/// (`2024-01-01T00:00:00Z`), or a Unix time at midnight; written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd)]
pub struct Date(speedate::Date);

/// A date-time, read as pydantic reads one: ISO 8601 (`T`, `t`, space or `_` between date and
/// time, seconds and fractions optional, `Z` or an offset optional), or a Unix time in seconds or
/// milliseconds (in UTC); written as pydantic writes it (`Z` for UTC, microseconds when there
/// are some).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime(speedate::DateTime);

impl Date {
    /// The year.
    pub fn year(&self) -> u16 {
        self.0.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.0.month
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.0.day
    }
}

impl DateTime {
    /// The date.
    pub fn date(&self) -> Date {
        Date(self.0.date)
    }

    /// The hour, 0 to 23.
    pub fn hour(&self) -> u8 {
        self.0.time.hour
    }

    /// The minute.
    pub fn minute(&self) -> u8 {
        self.0.time.minute
    }

    /// The second.
    pub fn second(&self) -> u8 {
        self.0.time.second
    }

    /// The microsecond.
    pub fn microsecond(&self) -> u32 {
        self.0.time.microsecond
    }

    /// The offset from UTC in seconds, if the date-time has one (`Z` is 0).
    pub fn offset_seconds(&self) -> Option<i32> {
        self.0.time.tz_offset
    }

    /// Seconds since the Unix epoch, the offset applied (an offset-less date-time taken as UTC).
    pub fn unix_seconds(&self) -> i64 {
        self.0.timestamp_tz()
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for DateTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// pydantic-core's configuration of date-times: microseconds past six digits truncated, Unix
/// times in UTC, their unit inferred.
fn datetime_config() -> DateTimeConfig {
    DateTimeConfig {
        timestamp_unit: TimestampUnit::Infer,
        time_config: TimeConfig {
            microseconds_precision_overflow_behavior: MicrosecondsPrecisionOverflowBehavior::Truncate,
            unix_timestamp_offset: Some(0),
        },
    }
}

/// A date-time from a JSON value or text, by pydantic's lax rules.
fn datetime_of(kind: JsonKind<'_>) -> Result<speedate::DateTime, ErrorType> {
    let config = datetime_config();
    let parsed = match kind {
        JsonKind::Str(text) => speedate::DateTime::parse_bytes_with_config(text.as_bytes(), &config),
        JsonKind::Int(n) => speedate::DateTime::from_timestamp_with_config(n, 0, &config),
        JsonKind::UInt(n) => match i64::try_from(n) {
            Ok(n) => speedate::DateTime::from_timestamp_with_config(n, 0, &config),
            Err(_) => speedate::DateTime::from_float_with_config(n as f64, &config),
        },
        JsonKind::Float(x) if x.is_nan() => return Err(ErrorType::DatetimeParsing),
        JsonKind::Float(x) => speedate::DateTime::from_float_with_config(x, &config),
        JsonKind::BigInt(text) => match text.parse::<f64>() {
            Ok(x) => speedate::DateTime::from_float_with_config(x, &config),
            Err(_) => return Err(ErrorType::DatetimeParsing),
        },
        JsonKind::Null | JsonKind::Bool(_) | JsonKind::Array(_) | JsonKind::Object(_) => {
            return Err(ErrorType::DatetimeType);
        }
    };
    parsed.map_err(|_| ErrorType::DatetimeParsing)
}

/// A date-time as pydantic's date-time validator reads it: text that is no date-time may be a
/// date (midnight, no offset); text that is neither is `datetime_from_date_parsing`.
fn datetime_value(kind: JsonKind<'_>) -> Result<speedate::DateTime, ErrorType> {
    let value = datetime_or_date(kind)?;
    // speedate reads year 0; Python's `datetime` has none ("year 0 is out of range").
    if value.date.year == 0 {
        return Err(ErrorType::DatetimeParsing);
    }
    Ok(value)
}

fn datetime_or_date(kind: JsonKind<'_>) -> Result<speedate::DateTime, ErrorType> {
    match (datetime_of(kind), kind) {
        (Err(ErrorType::DatetimeParsing), JsonKind::Str(text)) => {
            match speedate::Date::parse_bytes_rfc3339(text.as_bytes()) {
                Ok(date) => Ok(speedate::DateTime {
                    date,
                    time: speedate::Time { hour: 0, minute: 0, second: 0, microsecond: 0, tz_offset: None },
                }),
                Err(_) => Err(ErrorType::DatetimeFromDateParsing),
            }
        }
        (parsed, _) => parsed,
    }
}

/// A date from a JSON value or text: a date, else (pydantic's lax fallback) a date-time at
/// midnight. Year 0, which speedate reads and Python's `date` has not, is `date_parsing`.
fn date_of(kind: JsonKind<'_>) -> Result<speedate::Date, ErrorType> {
    match date_or_midnight(kind) {
        Ok(date) if date.year == 0 => Err(ErrorType::DateParsing),
        read => read,
    }
}

fn date_or_midnight(kind: JsonKind<'_>) -> Result<speedate::Date, ErrorType> {
    let direct = match kind {
        JsonKind::Str(text) => speedate::Date::parse_bytes_with_config(
            text.as_bytes(),
            &DateConfig { timestamp_unit: TimestampUnit::Infer },
        )
        .map_err(|_| ErrorType::DateParsing),
        _ => Err(ErrorType::DateType),
    };
    let error = match direct {
        Ok(date) => return Ok(date),
        Err(error) => error,
    };
    match datetime_of(kind) {
        Ok(datetime) => {
            let time = datetime.time;
            if (time.hour, time.minute, time.second, time.microsecond) == (0, 0, 0, 0) {
                Ok(datetime.date)
            } else {
                Err(ErrorType::DateFromDatetimeInexact)
            }
        }
        Err(ErrorType::DatetimeParsing) => Err(ErrorType::DateFromDatetimeParsing),
        Err(_) => Err(error),
    }
}

/// A UUID from a JSON value or text.
fn uuid_of(kind: JsonKind<'_>) -> Result<Uuid, ErrorType> {
    match kind {
        JsonKind::Str(text) => Uuid::parse_str(text).map_err(|_| ErrorType::UuidParsing),
        _ => Err(ErrorType::UuidType),
    }
}

/// Records `parsed`'s error, or gives its value.
fn recorded<T>(parsed: Result<T, ErrorType>, cx: &mut Validation<'_>) -> Option<T> {
    parsed.map_err(|kind| cx.error(kind)).ok()
}

impl<'a> Value<'a> for Uuid {
    const SCHEMA: &'static Schema = &Schema::Uuid;

    fn from_json(json: Json<'_, 'a>, _: &Constraints, cx: &mut Validation<'a>) -> Option<Uuid> {
        recorded(if json.has_lone_surrogate() { Err(ErrorType::StringUnicode) } else { uuid_of(json.kind()) }, cx)
    }

    fn from_text(text: &'a str, _: &Constraints, cx: &mut Validation<'a>) -> Option<Uuid> {
        recorded(uuid_of(JsonKind::Str(text)), cx)
    }

    const CHECKS_AS_VALUE: bool = true;

    fn satisfies(&self, _: &Constraints) -> bool {
        true
    }
}

impl<'a> Value<'a> for Date {
    const SCHEMA: &'static Schema = &Schema::Date;

    fn from_json(json: Json<'_, 'a>, _: &Constraints, cx: &mut Validation<'a>) -> Option<Date> {
        recorded(
            if json.has_lone_surrogate() { Err(ErrorType::StringUnicode) } else { date_of(json.kind()).map(Date) },
            cx,
        )
    }

    fn from_text(text: &'a str, _: &Constraints, cx: &mut Validation<'a>) -> Option<Date> {
        recorded(date_of(JsonKind::Str(text)).map(Date), cx)
    }
}

impl<'a> Value<'a> for DateTime {
    const SCHEMA: &'static Schema = &Schema::DateTime;

    fn from_json(json: Json<'_, 'a>, _: &Constraints, cx: &mut Validation<'a>) -> Option<DateTime> {
        recorded(
            if json.has_lone_surrogate() {
                Err(ErrorType::StringUnicode)
            } else {
                datetime_value(json.kind()).map(DateTime)
            },
            cx,
        )
    }

    fn from_text(text: &'a str, _: &Constraints, cx: &mut Validation<'a>) -> Option<DateTime> {
        recorded(datetime_value(JsonKind::Str(text)).map(DateTime), cx)
    }
}

#[cfg(test)]
mod tests {
    use super::{JsonKind, date_of, datetime_of, uuid_of};
    use crate::validate::ErrorType;

    /// Each row is what pydantic 2.14 answers (`TypeAdapter(datetime.date)` and
    /// `TypeAdapter(datetime.datetime)`, `validate_python` on the value as `json.loads` gives
    /// it, then `dump_json`).
    #[test]
    fn dates_and_date_times_read_as_pydantic_reads_them() {
        use ErrorType::{
            DateFromDatetimeInexact as Inexact, DateFromDatetimeParsing as DateFromDatetime, DateParsing, DateType,
            DatetimeFromDateParsing as DatetimeFromDate, DatetimeParsing, DatetimeType,
        };
        let ok = |text: &str| Ok(text.to_owned());
        type Read = Result<String, ErrorType>;
        let rows: [(JsonKind<'_>, Read, Read); 28] = [
            (JsonKind::Str("0000-01-01T00:00:00Z"), Err(DatetimeParsing), Err(DateParsing)),
            (JsonKind::Str("0000-01-01"), Err(DatetimeParsing), Err(DateParsing)),
            (JsonKind::Str("0000-12-31T23:59:59+01:00"), Err(DatetimeParsing), Err(Inexact)),
            (JsonKind::Str("2024-02-29"), ok("2024-02-29T00:00:00"), ok("2024-02-29")),
            (JsonKind::Str("2024-01-01T00:00:00Z"), ok("2024-01-01T00:00:00Z"), ok("2024-01-01")),
            (JsonKind::Str("2024-01-01T10:00:00"), ok("2024-01-01T10:00:00"), Err(Inexact)),
            (JsonKind::Str("not a date"), Err(DatetimeFromDate), Err(DateFromDatetime)),
            (JsonKind::Str("2024-02-30"), Err(DatetimeFromDate), Err(DateFromDatetime)),
            (JsonKind::Bool(true), Err(DatetimeType), Err(DateType)),
            (JsonKind::Int(1_704_067_200), ok("2024-01-01T00:00:00Z"), ok("2024-01-01")),
            (JsonKind::Str("2024-01-01T10:20:30Z"), ok("2024-01-01T10:20:30Z"), Err(Inexact)),
            (JsonKind::Str("2024-01-01 10:20"), ok("2024-01-01T10:20:00"), Err(Inexact)),
            (JsonKind::Str("2024-01-01T10:20:30.1234567+02:00"), ok("2024-01-01T10:20:30.123456+02:00"), Err(Inexact)),
            (JsonKind::Float(1_704_067_200.5), ok("2024-01-01T00:00:00.500000Z"), Err(Inexact)),
            (JsonKind::Str("2024-13-01"), Err(DatetimeFromDate), Err(DateFromDatetime)),
            (JsonKind::Str("2024-01-01T25:00"), Err(DatetimeFromDate), Err(DateFromDatetime)),
            (JsonKind::Str("2024-01-01T10"), Err(DatetimeFromDate), Err(DateFromDatetime)),
            (JsonKind::Str("1704067200"), ok("2024-01-01T00:00:00Z"), ok("2024-01-01")),
            (JsonKind::Str("1704067200.5"), ok("2024-01-01T00:00:00.500000Z"), Err(Inexact)),
            (JsonKind::Str(""), Err(DatetimeFromDate), Err(DateFromDatetime)),
            (JsonKind::Str("2024-01-01T10:00:00+25:00"), Err(DatetimeFromDate), Err(DateFromDatetime)),
            (JsonKind::Str("20240101"), ok("1970-08-23T06:15:01Z"), Err(Inexact)),
            (JsonKind::Str("2024-1-1"), Err(DatetimeFromDate), Err(DateFromDatetime)),
            (JsonKind::Float(1e20), Err(DatetimeParsing), Err(DateFromDatetime)),
            (JsonKind::Int(-1), ok("1969-12-31T23:59:59Z"), Err(Inexact)),
            (JsonKind::Float(f64::INFINITY), Err(DatetimeParsing), Err(DateFromDatetime)),
            (JsonKind::Str("2024-01-01T10:00:00.123456789Z"), ok("2024-01-01T10:00:00.123456Z"), Err(Inexact)),
            (JsonKind::Str("2024-01-01Z"), Err(DatetimeFromDate), Err(DateFromDatetime)),
        ];
        for (kind, datetime, date) in rows {
            assert_eq!(super::datetime_value(kind).map(|d| d.to_string()), datetime, "date-time {kind:?}");
            assert_eq!(date_of(kind).map(|d| d.to_string()), date, "date {kind:?}");
        }
        assert_eq!(datetime_of(JsonKind::BigInt("1180591620717411303424")), Err(DatetimeParsing));
    }

    #[test]
    fn uuids_read_as_pydantic_reads_them() {
        let hyphenated = "a8098c1a-f86e-11da-bd1a-00112444be1e";
        for text in [hyphenated, "A8098C1A-F86E-11DA-BD1A-00112444BE1E", "a8098c1af86e11dabd1a00112444be1e"] {
            assert_eq!(uuid_of(JsonKind::Str(text)).map(|u| u.to_string()), Ok(hyphenated.to_owned()), "{text}");
        }
        assert_eq!(uuid_of(JsonKind::Str("a8098c1a-f86e")), Err(ErrorType::UuidParsing));
        assert_eq!(uuid_of(JsonKind::Int(7)), Err(ErrorType::UuidType));
    }
}
