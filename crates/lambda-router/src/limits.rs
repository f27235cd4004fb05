//! Limits on what one invocation may carry, with defaults that no real event of the services
//! reaches. Checked before any handler runs; each answers a clear 4xx (or, for the event as a
//! whole, an [`EventError`](crate::EventError)).

/// Limits on an invocation. The defaults:
///
/// | limit | default | over it |
/// |---|---|---|
/// | `max_event_bytes` | 6 MiB + 64 KiB (Lambda's synchronous payload limit is 6 MiB) | `EventError::TooLarge` |
/// | `max_body_bytes` | 6 MiB | 413 |
/// | `max_path_bytes` | 16 KiB (an ALB's request line may be 16 KiB) | 414 |
/// | `max_headers` | 512 header names | 431 |
/// | `max_json_depth` | 128 nested arrays/objects in a request body | `BodyError::InvalidJson` (400) |
///
/// Set them with the builder methods (the fields are private, so new limits can be added):
///
/// ```
/// use lambda_router::Limits;
/// let strict = Limits::default().max_body_bytes(64 * 1024).max_headers(64);
/// assert_eq!(strict.body_bytes(), 64 * 1024);
/// assert_eq!(strict.path_bytes(), 16 * 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    event_bytes: usize,
    body_bytes: usize,
    path_bytes: usize,
    headers: usize,
    json_depth: usize,
}

macro_rules! limit {
    ($($field:ident, $setter:ident: $doc:literal),* $(,)?) => {
        impl Limits {$(
            #[doc = concat!("Sets the limit on ", $doc, ".")]
            pub const fn $setter(mut self, limit: usize) -> Limits {
                self.$field = limit;
                self
            }

            #[doc = concat!("The limit on ", $doc, ".")]
            pub const fn $field(&self) -> usize {
                self.$field
            }
        )*}
    };
}

limit! {
    event_bytes, max_event_bytes: "the whole invocation payload, in bytes",
    body_bytes, max_body_bytes: "the request body as the event carries it (base64 text included), in bytes",
    path_bytes, max_path_bytes: "the request path, in bytes",
    headers, max_headers: "header names (the larger of the event's single- and multi-value maps)",
    json_depth, max_json_depth: "the nesting of arrays and objects in a JSON request body (`Request::json`)",
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            event_bytes: 6 * 1024 * 1024 + 64 * 1024,
            body_bytes: 6 * 1024 * 1024,
            path_bytes: 16 * 1024,
            headers: 512,
            json_depth: 128,
        }
    }
}
