//! Route pattern syntax: the one parser that build time and run time share.
//!
//! Runs when a table is compiled, never per request.
//!
//! A pattern is `/` followed by segments separated by `/`. A segment is one of:
//!
//! | written | meaning |
//! |---|---|
//! | `users`, `v1.json` | a static segment, compared byte for byte |
//! | `<name>`, `{name}` | a parameter: one non-empty segment of the allowed characters |
//! | `{name+}`, `{proxy+}` | a greedy tail (API Gateway's spelling): one or more characters, `/` included |
//! | `.+` | the reference's catch-all tail, unnamed; a bare `.+` matches every path |
//!
//! A tail must be the last segment. A trailing `/` is part of the pattern (`/a/` does not
//! match `/a`). Empty segments elsewhere (`//`) are refused, as is a parameter that is not a
//! whole segment (`/file-<id>`): the reference writes patterns as
//! regular expressions, and both would mean something other than they seem.

use std::fmt;

/// One segment of a parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Matches exactly this text.
    Static(String),
    /// Matches one non-empty segment of parameter characters, captured under this name.
    Param(String),
    /// Matches the rest of the path. `name` is `None` for the reference's `.+`.
    /// `whole_path` is the bare `.+` pattern: it matches every non-empty path, `/` included,
    /// and captures it whole.
    Tail { name: Option<String>, whole_path: bool },
}

/// A parsed route pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    pub(crate) segments: Vec<Segment>,
}

impl Pattern {
    /// The names of the captured parameters, in path order (unnamed tails excluded).
    pub(crate) fn param_names(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Param(name) => Some(name.as_str()),
            Segment::Tail { name: Some(name), .. } => Some(name.as_str()),
            _ => None,
        })
    }

    /// Whether the pattern has no parameter and no tail (it names one path).
    pub(crate) fn is_static(&self) -> bool {
        self.segments.iter().all(|s| matches!(s, Segment::Static(_)))
    }

    /// The one path a static pattern matches.
    pub(crate) fn static_path(&self) -> String {
        if self.segments.is_empty() {
            return "/".to_owned();
        }
        let mut path = String::new();
        for segment in &self.segments {
            if let Segment::Static(text) = segment {
                path.push('/');
                path.push_str(text);
            }
        }
        path
    }

    /// Two patterns have the same shape when they match exactly the same paths.
    pub(crate) fn same_shape(&self, other: &Pattern) -> bool {
        self.segments.len() == other.segments.len()
            && self.segments.iter().zip(&other.segments).all(|pair| match pair {
                (Segment::Static(a), Segment::Static(b)) => a == b,
                (Segment::Param(_), Segment::Param(_)) => true,
                (Segment::Tail { whole_path: a, .. }, Segment::Tail { whole_path: b, .. }) => a == b,
                _ => false,
            })
    }
}

/// What is wrong with a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PatternErrorKind {
    /// The pattern is empty.
    Empty,
    /// The pattern does not start with `/` (and is not the bare `.+`).
    NoLeadingSlash,
    /// An empty segment: `//`.
    EmptySegment,
    /// A `<` or `{` without its closing `>` or `}`.
    Unclosed,
    /// A parameter name that is not an identifier (`[A-Za-z_][A-Za-z0-9_]*`).
    BadParamName,
    /// A parameter or tail that is not a whole segment (`/file-<id>`).
    PartialSegment,
    /// A tail (`{name+}` or `.+`) that is not the last segment.
    TailNotLast,
    /// Two parameters with the same name.
    DuplicateParam,
    /// A character a static segment cannot hold (`< > { } ? # \`, whitespace, control).
    BadChar,
    /// A regular expression other than the final `.+` (the reference writes patterns as
    /// regular expressions; this library supports only its catch-all).
    Regex,
}

impl PatternErrorKind {
    fn message(self) -> &'static str {
        match self {
            PatternErrorKind::Empty => "the pattern is empty",
            PatternErrorKind::NoLeadingSlash => "a pattern must start with `/`",
            PatternErrorKind::EmptySegment => "empty segment (`//`)",
            PatternErrorKind::Unclosed => "unclosed parameter (missing `>` or `}`)",
            PatternErrorKind::BadParamName => "a parameter name must be an identifier ([A-Za-z_][A-Za-z0-9_]*)",
            PatternErrorKind::PartialSegment => {
                "a parameter or tail must be a whole segment (`/<id>`, not `/file-<id>`)"
            }
            PatternErrorKind::TailNotLast => "a tail (`{name+}` or `.+`) must be the last segment",
            PatternErrorKind::DuplicateParam => "two parameters have the same name",
            PatternErrorKind::BadChar => {
                "character not allowed in a static segment (`< > { } ? # \\`, whitespace, control)"
            }
            PatternErrorKind::Regex => "regular expressions are not supported, except a final `.+` segment",
        }
    }
}

/// A malformed pattern: which pattern, where, and what is wrong.
///
/// ```
/// use lambda_router_core::{PatternError, PatternErrorKind};
/// let err = lambda_router_core::parse_pattern("/users/<id").unwrap_err();
/// assert_eq!(err.kind(), PatternErrorKind::Unclosed);
/// assert_eq!(err.offset(), 7);
/// assert_eq!(
///     err.to_string(),
///     "invalid route pattern `/users/<id` at byte 7: unclosed parameter (missing `>` or `}`)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pattern: String,
    offset: usize,
    kind: PatternErrorKind,
}

impl PatternError {
    fn new(pattern: &str, offset: usize, kind: PatternErrorKind) -> PatternError {
        PatternError { pattern: pattern.to_owned(), offset, kind }
    }

    /// The pattern as written.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The byte offset in the pattern where the problem starts.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What is wrong.
    pub fn kind(&self) -> PatternErrorKind {
        self.kind
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid route pattern `{}` at byte {}: {}", self.pattern, self.offset, self.kind.message())
    }
}

impl std::error::Error for PatternError {}

/// Parses a route pattern, for checking one outside a table.
///
/// ```
/// assert!(lambda_router_core::parse_pattern("/files/{proxy+}").is_ok());
/// assert!(lambda_router_core::parse_pattern("/files/{proxy+}/more").is_err());
/// ```
pub fn parse_pattern(pattern: &str) -> Result<(), PatternError> {
    parse(pattern).map(|_| ())
}

/// Parses a route pattern.
pub(crate) fn parse(pattern: &str) -> Result<Pattern, PatternError> {
    let fail = |offset, kind| Err(PatternError::new(pattern, offset, kind));
    if pattern.is_empty() {
        return fail(0, PatternErrorKind::Empty);
    }
    if pattern == ".+" {
        return Ok(Pattern { segments: vec![Segment::Tail { name: None, whole_path: true }] });
    }
    if !pattern.starts_with('/') {
        return fail(0, PatternErrorKind::NoLeadingSlash);
    }
    let mut segments = Vec::new();
    if pattern == "/" {
        return Ok(Pattern { segments });
    }
    let mut start = 1;
    let last_start = pattern.rfind('/').map_or(0, |slash| slash + 1);
    for text in pattern[1..].split('/') {
        // A trailing slash is an empty last segment, matched literally (as matchit and the
        // reference do); an empty segment anywhere else is a mistake.
        let segment = if text.is_empty() && start == last_start {
            Segment::Static(String::new())
        } else {
            parse_segment(pattern, start, text)?
        };
        if let Some(Segment::Tail { .. }) = segments.last() {
            return fail(start, PatternErrorKind::TailNotLast);
        }
        if let Some(name) = match &segment {
            Segment::Param(name) | Segment::Tail { name: Some(name), .. } => Some(name),
            _ => None,
        } {
            let taken = segments.iter().any(|s: &Segment| match s {
                Segment::Param(other) | Segment::Tail { name: Some(other), .. } => other == name,
                _ => false,
            });
            if taken {
                return fail(start, PatternErrorKind::DuplicateParam);
            }
        }
        segments.push(segment);
        start += text.len() + 1;
    }
    Ok(Pattern { segments })
}

fn parse_segment(pattern: &str, start: usize, text: &str) -> Result<Segment, PatternError> {
    let fail = |offset, kind| Err(PatternError::new(pattern, start + offset, kind));
    if text.is_empty() {
        return fail(0, PatternErrorKind::EmptySegment);
    }
    if text == ".+" {
        return Ok(Segment::Tail { name: None, whole_path: false });
    }
    let bytes = text.as_bytes();
    let close = match bytes[0] {
        b'<' => Some(b'>'),
        b'{' => Some(b'}'),
        _ => None,
    };
    if let Some(close) = close {
        let Some(end) = bytes.iter().position(|&b| b == close) else {
            return fail(0, PatternErrorKind::Unclosed);
        };
        if end + 1 != bytes.len() {
            return fail(end + 1, PatternErrorKind::PartialSegment);
        }
        let inner = &text[1..end];
        let (name, greedy) = match inner.strip_suffix('+') {
            Some(name) if close == b'}' => (name, true),
            _ => (inner, false),
        };
        if !is_identifier(name) {
            return fail(1, PatternErrorKind::BadParamName);
        }
        return Ok(if greedy {
            Segment::Tail { name: Some(name.to_owned()), whole_path: false }
        } else {
            Segment::Param(name.to_owned())
        });
    }
    for (offset, c) in text.char_indices() {
        match c {
            '<' | '{' => return fail(offset, PatternErrorKind::PartialSegment),
            '>' | '}' | '?' | '#' | '\\' => return fail(offset, PatternErrorKind::BadChar),
            c if c.is_whitespace() || c.is_control() => {
                return fail(offset, PatternErrorKind::BadChar);
            }
            '.' if matches!(text.as_bytes().get(offset + 1), Some(b'+' | b'*')) => {
                return fail(offset, PatternErrorKind::Regex);
            }
            _ => {}
        }
    }
    Ok(Segment::Static(text.to_owned()))
}

fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'A'..=b'Z' | b'_'))
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Joins a mount prefix and a pattern as the reference's `include_router(prefix=...)` does,
/// without a `//`, keeping the prefix's own root (`/users` + `/` = `/users`).
///
/// ```
/// use lambda_router_core::join_prefix;
/// assert_eq!(join_prefix("/users/", "/<id>"), "/users/<id>");
/// assert_eq!(join_prefix("/users", "/"), "/users");
/// ```
pub fn join_prefix(prefix: &str, pattern: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        return pattern.to_owned();
    }
    if pattern == "/" || pattern.is_empty() {
        return prefix.to_owned();
    }
    if pattern == ".+" {
        // The bare catch-all under a prefix catches everything below the prefix.
        return format!("{prefix}/.+");
    }
    if pattern.starts_with('/') { format!("{prefix}{pattern}") } else { format!("{prefix}/{pattern}") }
}
