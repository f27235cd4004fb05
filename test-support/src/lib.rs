//! What lambda-router's tests and benches share: the tables its build script generates and
//! compiles through the public build API (64 random tables, the GitHub API route set, 1,000
//! routes for cold start, mounted tables), the one counting allocator, the naive reference
//! matcher, and the apps of the pipeline benchmark and the fuzz targets.

pub mod alloc;
pub mod form_fuzz;
pub mod fuzz_app;
pub mod mounted;
pub mod naive;
pub mod pipeline;
pub mod typed_fuzz;

/// The GitHub REST API route set of matchit's benchmark (`data/github-routes.txt`), compiled at
/// build time; a route's value is its index.
pub mod github {
    use lambda_router_core::{Method, MethodSet, Route};

    include!(concat!(env!("OUT_DIR"), "/github.rs"));
    lambda_router::include_router!("github_routes.rs");

    /// The routes, one a line, as the data file lists them.
    pub const ROUTE_LIST: &str = include_str!("../data/github-routes.txt");
    /// Every route with its parameters filled in (matchit's benchmark paths).
    pub const PATHS: &str = include_str!("../data/github-paths.txt");
    /// Paths with realistic parameter values.
    pub const REALISTIC_PATHS: &str = include_str!("../data/github-paths-realistic.txt");

    /// The non-comment lines of one of the lists above.
    pub fn lines(list: &str) -> Vec<&str> {
        list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
    }
}

/// 64 random tables compiled at build time, for the differential property test.
pub mod random {
    include!(concat!(env!("OUT_DIR"), "/random_tables.rs"));
}
