//! The routing path: the request path as the matcher sees it, after strip prefixes and, where
//! the source asks for it, without trailing slashes. Borrows; never allocates.

/// How a request path becomes the routing path.
///
/// ```
/// use lambda_router_core::PathOptions;
/// let options = PathOptions::new().strip_prefix("/api").ignore_trailing_slash(true);
/// assert_eq!(options.routing_path("/api/hello/"), "/hello");
/// assert_eq!(options.routing_path("/api"), "/");
/// assert_eq!(options.routing_path("/apihello"), "/apihello");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathOptions {
    strip_prefixes: Vec<String>,
    ignore_trailing_slash: bool,
}

impl PathOptions {
    /// No prefix stripped, trailing slashes significant.
    pub fn new() -> PathOptions {
        PathOptions::default()
    }

    /// Adds a prefix to cut from the routing path, as the reference's `strip_prefixes`: the
    /// first listed prefix that the path equals (→ `/`) or starts with followed by `/` is cut,
    /// once, case-sensitively. A trailing `/` on the prefix is ignored.
    pub fn strip_prefix(mut self, prefix: &str) -> PathOptions {
        let prefix = prefix.trim_end_matches('/');
        if !prefix.is_empty() {
            self.strip_prefixes.push(prefix.to_owned());
        }
        self
    }

    /// Whether `/hello/` and `/hello//` route as `/hello` (the reference does this for REST
    /// API events only).
    pub fn ignore_trailing_slash(mut self, ignore: bool) -> PathOptions {
        self.ignore_trailing_slash = ignore;
        self
    }

    /// Whether trailing slashes are ignored.
    pub fn ignores_trailing_slash(&self) -> bool {
        self.ignore_trailing_slash
    }

    /// The prefixes cut from routing paths.
    pub fn strip_prefixes(&self) -> impl Iterator<Item = &str> {
        self.strip_prefixes.iter().map(String::as_str)
    }

    /// The routing path of `path`, borrowed from it.
    pub fn routing_path<'p>(&self, path: &'p str) -> &'p str {
        self.routing_path_with(path, self.ignore_trailing_slash)
    }

    /// As [`routing_path`](Self::routing_path), with the trailing-slash rule given per call
    /// (the event source decides it).
    pub fn routing_path_with<'p>(&self, path: &'p str, ignore_trailing_slash: bool) -> &'p str {
        let mut path = path;
        for prefix in &self.strip_prefixes {
            if path == prefix {
                path = "/";
                break;
            }
            if let Some(rest) = path.strip_prefix(prefix.as_str())
                && rest.starts_with('/')
            {
                path = rest;
                break;
            }
        }
        if path.is_empty() {
            return "/";
        }
        if ignore_trailing_slash {
            let trimmed = path.trim_end_matches('/');
            path = if trimmed.is_empty() { &path[..1] } else { trimmed };
        }
        path
    }
}
