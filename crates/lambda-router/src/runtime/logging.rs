//! The process's log output when the program installed no `tracing` subscriber of its own: JSON
//! lines on stderr (`timestamp`, `level`, `message`, then the event's fields), as CloudWatch
//! and Powertools' Logger users read them. The level comes from `AWS_LAMBDA_LOG_LEVEL`
//! (Lambda's advanced logging controls), else `RUST_LOG` (a bare level: `debug`, `info`, ...),
//! else INFO.
//!
//! Written here rather than with `tracing-subscriber`: the library logs a handful of rare
//! events (a panic, a leaked arena), and a deployed binary should not carry a full subscriber
//! for them. Spans are not recorded; a program that wants them installs its own subscriber,
//! which this one then leaves alone.

use std::fmt;
use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

use crate::response::encode::{write_str, write_u64};

/// Installs the JSON-lines subscriber, unless the program installed one.
pub(super) fn init() {
    let level = ["AWS_LAMBDA_LOG_LEVEL", "RUST_LOG"]
        .iter()
        .find_map(|name| std::env::var(name).ok())
        .and_then(|value| parse_level(&value))
        .unwrap_or(Some(Level::INFO));
    let _ = tracing::subscriber::set_global_default(JsonLines { max: level });
}

/// A level name in any case; `off` turns logging off (`Some(None)`).
fn parse_level(text: &str) -> Option<Option<Level>> {
    match text.trim().to_ascii_lowercase().as_str() {
        "off" => Some(None),
        "trace" => Some(Some(Level::TRACE)),
        "debug" => Some(Some(Level::DEBUG)),
        "info" => Some(Some(Level::INFO)),
        "warn" | "warning" => Some(Some(Level::WARN)),
        "error" | "fatal" => Some(Some(Level::ERROR)),
        _ => None,
    }
}

/// Events at `max` and more severe, as JSON lines on stderr.
struct JsonLines {
    max: Option<Level>,
}

impl Subscriber for JsonLines {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.max.is_some_and(|max| *metadata.level() <= max)
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(self.max.map_or(tracing::level_filters::LevelFilter::OFF, tracing::level_filters::LevelFilter::from_level))
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = Vec::with_capacity(256);
        line.extend_from_slice(b"{\"timestamp\":\"");
        write_timestamp(&mut line, SystemTime::now());
        line.extend_from_slice(b"\",\"level\":\"");
        line.extend_from_slice(event.metadata().level().as_str().as_bytes());
        line.push(b'"');
        let mut fields = JsonFields { line: &mut line, message: None };
        event.record(&mut fields);
        if let Some(message) = fields.message.take() {
            line.extend_from_slice(b",\"message\":");
            write_str(&mut line, &message);
        }
        line.extend_from_slice(b"}\n");
        let _ = std::io::stderr().lock().write_all(&line);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// The event's fields as JSON members; the message is kept for after the level.
struct JsonFields<'l> {
    line: &'l mut Vec<u8>,
    message: Option<String>,
}

impl Visit for JsonFields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = Some(text);
        } else {
            self.member(field);
            write_str(self.line, &text);
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = Some(value.to_owned());
        } else {
            self.member(field);
            write_str(self.line, value);
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.member(field);
        if value < 0 {
            self.line.push(b'-');
        }
        write_u64(self.line, value.unsigned_abs());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.member(field);
        write_u64(self.line, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.member(field);
        self.line.extend_from_slice(if value { b"true" } else { b"false" });
    }
}

impl JsonFields<'_> {
    fn member(&mut self, field: &Field) {
        self.line.push(b',');
        write_str(self.line, field.name());
        self.line.push(b':');
    }
}

/// RFC 3339 in UTC with microseconds (`2026-11-30T14:16:35.123456Z`), from the civil-from-days
/// algorithm (Howard Hinnant's), with no date library.
fn write_timestamp(out: &mut Vec<u8>, now: SystemTime) {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since.as_secs();
    let (days, rest) = ((seconds / 86_400) as i64, seconds % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let _ = write!(
        out,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rest / 3_600,
        rest / 60 % 60,
        rest % 60,
        since.subsec_micros()
    );
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::{parse_level, write_timestamp};

    #[test]
    fn timestamps_are_rfc_3339_in_utc() {
        for (seconds, micros, expected) in [
            (0, 0, "1970-01-01T00:00:00.000000Z"),
            (951_782_400, 5, "2000-02-29T00:00:00.000005Z"),
            (1_796_048_195, 123_456, "2026-11-30T14:16:35.123456Z"),
            (4_107_542_399, 999_999, "2100-02-28T23:59:59.999999Z"),
        ] {
            let mut out = Vec::new();
            write_timestamp(&mut out, UNIX_EPOCH + Duration::from_secs(seconds) + Duration::from_micros(micros));
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }

    #[test]
    fn levels_are_read_in_any_case() {
        assert_eq!(parse_level(" Debug "), Some(Some(tracing::Level::DEBUG)));
        assert_eq!(parse_level("FATAL"), Some(Some(tracing::Level::ERROR)));
        assert_eq!(parse_level("off"), Some(None));
        assert_eq!(parse_level("loud"), None);
    }
}
