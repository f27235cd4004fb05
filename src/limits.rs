//! Limits on what one invocation may carry, with defaults that no real event of the services
//! reaches. Checked before any handler runs; each answers a clear 4xx (or, for the event as a
//! whole, an [`EventError`](crate::EventError)).

/// Limits on an invocation. The defaults:
///
/// | limit | default | over it |
/// |---|---|---|
/// | `max_event_bytes` | 6 MiB + 64 KiB (Lambda's synchronous payload limit is 6 MiB) | `EventError::TooLarge` |
/// | `max_body_bytes` | 6 MiB | 413 |
/// | `max_path_bytes` | 8 KiB | 414 |
/// | `max_headers` | 512 header names | 431 |
/// | `max_json_depth` | 128 nested arrays/objects in a request body | `BodyError::InvalidJson` (400) |
///
/// ```
/// use lambda_router::Limits;
/// let strict = Limits { max_body_bytes: 64 * 1024, ..Limits::default() };
/// assert_eq!(strict.max_path_bytes, 8 * 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The whole invocation payload, in bytes.
    pub max_event_bytes: usize,
    /// The request body as the event carries it (base64 text included), in bytes.
    pub max_body_bytes: usize,
    /// The request path, in bytes.
    pub max_path_bytes: usize,
    /// Header names (the larger of the event's single- and multi-value maps).
    pub max_headers: usize,
    /// Nesting of arrays and objects in a JSON request body (`Request::json`).
    pub max_json_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_event_bytes: 6 * 1024 * 1024 + 64 * 1024,
            max_body_bytes: 6 * 1024 * 1024,
            max_path_bytes: 8 * 1024,
            max_headers: 512,
            max_json_depth: 128,
        }
    }
}
