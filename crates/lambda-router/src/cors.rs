//! CORS: the configuration, and the header values computed once from it.
//!
//! Behaves as the reference: the request's `Origin` is matched exactly and echoed; a
//! disallowed or absent `Origin` gets no CORS headers; with `*` the response says `*` and
//! never sends credentials. Beyond the reference, every response of a CORS route says
//! `Vary: Origin`, since its headers depend on the request's `Origin`.

/// The headers the reference always allows, before the configured ones.
const REQUIRED_HEADERS: [&str; 5] =
    ["Authorization", "Content-Type", "X-Amz-Date", "X-Api-Key", "X-Amz-Security-Token"];

/// A CORS configuration for an app.
///
/// ```
/// use lambda_router::Cors;
/// let cors = Cors::new("https://example.com")
///     .extra_origin("https://app.example.com")
///     .allow_header("X-Custom-Header")
///     .expose_header("X-Expose-Me")
///     .max_age(300)
///     .allow_credentials(true);
/// assert_eq!(cors.allowed_origin(Some("https://app.example.com")), Some("https://app.example.com"));
/// assert_eq!(cors.allowed_origin(Some("https://evil.example")), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cors {
    origins: Vec<String>,
    allow_headers: Vec<String>,
    expose_headers: Vec<String>,
    max_age: Option<u32>,
    allow_credentials: bool,
}

impl Default for Cors {
    /// Any origin (`*`), the default headers, no credentials.
    fn default() -> Cors {
        Cors::new("*")
    }
}

impl Cors {
    /// Allows `origin` (`*` for any).
    pub fn new(origin: &str) -> Cors {
        Cors {
            origins: vec![origin.to_owned()],
            allow_headers: Vec::new(),
            expose_headers: Vec::new(),
            max_age: None,
            allow_credentials: false,
        }
    }

    /// Allows another origin.
    pub fn extra_origin(mut self, origin: &str) -> Cors {
        self.origins.push(origin.to_owned());
        self
    }

    /// Allows a request header beyond the five defaults (`Authorization`, `Content-Type`,
    /// `X-Amz-Date`, `X-Api-Key`, `X-Amz-Security-Token`).
    pub fn allow_header(mut self, header: &str) -> Cors {
        self.allow_headers.push(header.to_owned());
        self
    }

    /// Exposes a response header to the browser.
    pub fn expose_header(mut self, header: &str) -> Cors {
        self.expose_headers.push(header.to_owned());
        self
    }

    /// How long, in seconds, a browser may cache a pre-flight answer.
    pub fn max_age(mut self, seconds: u32) -> Cors {
        self.max_age = Some(seconds);
        self
    }

    /// Whether credentials are allowed (never sent with `*`).
    pub fn allow_credentials(mut self, allow: bool) -> Cors {
        self.allow_credentials = allow;
        self
    }

    /// The `Access-Control-Allow-Origin` value for a request's `Origin`, or `None` when the
    /// response gets no CORS headers.
    pub fn allowed_origin<'o>(&'o self, origin: Option<&'o str>) -> Option<&'o str> {
        let origin = origin?;
        if self.origins.iter().any(|o| o == origin) {
            Some(origin)
        } else if self.origins.iter().any(|o| o == "*") {
            Some("*")
        } else {
            None
        }
    }
}

/// The CORS header values, computed once when the app is built (the allowed methods at the
/// first pre-flight).
#[derive(Debug, Clone)]
pub(crate) struct CorsHeaders {
    pub(crate) config: Cors,
    /// `Access-Control-Allow-Headers`: the defaults and the configured ones, de-duplicated,
    /// sorted, joined with `,` (as the reference writes them).
    pub(crate) allow_headers: String,
    pub(crate) expose_headers: Option<String>,
    pub(crate) max_age: Option<String>,
    /// `Access-Control-Allow-Methods` of the automatic pre-flight: the methods of the CORS
    /// routes and `OPTIONS`, sorted. Computed at the first pre-flight: it reads every route,
    /// which a function with 1,000 routes should not do at every cold start.
    allow_methods: std::sync::OnceLock<String>,
}

impl CorsHeaders {
    pub(crate) fn new(config: Cors) -> CorsHeaders {
        let mut headers: Vec<&str> = REQUIRED_HEADERS.to_vec();
        headers.extend(config.allow_headers.iter().map(String::as_str));
        headers.sort_unstable();
        headers.dedup();
        let expose_headers = (!config.expose_headers.is_empty()).then(|| config.expose_headers.join(","));
        CorsHeaders {
            allow_headers: headers.join(","),
            expose_headers,
            max_age: config.max_age.map(|age| age.to_string()),
            allow_methods: std::sync::OnceLock::new(),
            config,
        }
    }

    /// `Access-Control-Allow-Methods`, from `methods` the first time.
    pub(crate) fn allow_methods(&self, methods: impl FnOnce() -> String) -> &str {
        self.allow_methods.get_or_init(methods)
    }

    /// The CORS headers for a request's `Origin`, in the reference's order; `None` when
    /// there are none.
    pub(crate) fn for_origin<'s>(
        &'s self,
        origin: Option<&'s str>,
    ) -> Option<impl Iterator<Item = (&'static str, &'s str)>> {
        let allowed = self.config.allowed_origin(origin)?;
        let credentials = (allowed != "*" && self.config.allow_credentials).then_some("true");
        Some(
            [
                Some(("Access-Control-Allow-Origin", allowed)),
                Some(("Access-Control-Allow-Headers", self.allow_headers.as_str())),
                self.expose_headers.as_deref().map(|v| ("Access-Control-Expose-Headers", v)),
                self.max_age.as_deref().map(|v| ("Access-Control-Max-Age", v)),
                credentials.map(|v| ("Access-Control-Allow-Credentials", v)),
            ]
            .into_iter()
            .flatten(),
        )
    }
}
