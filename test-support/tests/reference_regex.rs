//! Differential property test against the reference's own matching rule (issue #21: `GET
//! /files//` on REST v1). Powertools compiles each route to a regular expression:
//! `<name>` becomes `(?P<name>[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]+)`, the rest is the pattern as
//! written (`.+` a regex), anchored `^...$`, or `^.../*$` for the REST API resolver; it tries
//! the routes without `<...>` first, then the others, each group in registration order, and the
//! first that matches wins. Here that rule is written with the `regex` crate and held against
//! the table on random route sets (static segments, parameters, `.+` tails) and random paths
//! (trailing slashes, empty segments, tails of slashes alone).

use lambda_router_core::{Method, RouterBuilder};
use proptest::prelude::*;
use regex::Regex;

/// The reference's regex for a route pattern (`rest`: the REST API resolver's `/*`).
fn reference_regex(pattern: &str, rest: bool) -> Regex {
    let mut body = String::new();
    for (index, part) in pattern.split('<').enumerate() {
        if index == 0 {
            body.push_str(part);
            continue;
        }
        let (name, after) = part.split_once('>').expect("generated patterns close their parameters");
        body.push_str(&format!(r"(?P<{name}>[-._~()'!*:@,;=+&$%<> \[\]{{}}|^\w]+)"));
        body.push_str(after);
    }
    let anchored = if rest { format!("^{body}/*$") } else { format!("^{body}$") };
    Regex::new(&anchored).expect("a valid regex")
}

/// The reference's routes: each one's regex, in the order it tries them (static group first,
/// then dynamic, each in registration order), with its index.
struct Reference {
    routes: Vec<(usize, Regex)>,
}

impl Reference {
    fn new(patterns: &[String], rest: bool) -> Reference {
        let is_dynamic = |p: &String| p.contains('<');
        let statics = patterns.iter().enumerate().filter(|(_, p)| !is_dynamic(p));
        let dynamics = patterns.iter().enumerate().filter(|(_, p)| is_dynamic(p));
        Reference { routes: statics.chain(dynamics).map(|(index, p)| (index, reference_regex(p, rest))).collect() }
    }

    /// The route the reference answers `path` with.
    fn route(&self, path: &str) -> Option<usize> {
        self.routes.iter().find(|(_, regex)| regex.is_match(path)).map(|(index, _)| *index)
    }
}

fn reference_route(patterns: &[String], path: &str, rest: bool) -> Option<usize> {
    Reference::new(patterns, rest).route(path)
}

fn pattern_strategy() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        5 => prop::sample::select(vec!["files", "a", "b", "ab"]).prop_map(str::to_owned),
        3 => Just("<p>".to_owned()),
        2 => Just(".+".to_owned()),
    ];
    (prop::collection::vec(segment, 0..4), 0..12u8).prop_map(|(segments, form)| {
        let mut pattern = String::new();
        let mut params = 0;
        for segment in segments {
            pattern.push('/');
            if segment == "<p>" {
                pattern.push_str(&format!("<p{params}>"));
                params += 1;
            } else {
                pattern.push_str(&segment);
            }
            if segment == ".+" {
                return pattern;
            }
        }
        if pattern.is_empty() || form == 0 {
            pattern.push('/');
        }
        pattern
    })
}

fn path_strategy() -> impl Strategy<Value = String> {
    let segment = prop::sample::select(vec!["files", "a", "b", "ab", "x", "", "a b", "é"]);
    (prop::collection::vec(segment, 0..5), 0..4usize).prop_map(|(segments, trailing)| {
        let mut path = String::new();
        for s in &segments {
            path.push('/');
            path.push_str(s);
        }
        if path.is_empty() {
            path.push('/');
        }
        path.push_str(&"/".repeat(trailing));
        path
    })
}

fn build(patterns: &[String]) -> Result<lambda_router_core::Router<usize>, lambda_router_core::RouteError> {
    patterns.iter().enumerate().fold(RouterBuilder::new(), |builder, (i, p)| builder.get(p, i)).build()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// One route: it matches exactly the paths its reference regex matches, on both resolvers.
    #[test]
    fn a_route_matches_what_its_reference_regex_matches(
        pattern in pattern_strategy(),
        paths in prop::collection::vec(path_strategy(), 1..24),
    ) {
        let router = RouterBuilder::new().get(&pattern, 0).build().expect("a generated pattern compiles");
        let (rest_reference, http_reference) =
            (Reference::new(std::slice::from_ref(&pattern), true), Reference::new(std::slice::from_ref(&pattern), false));
        for path in &paths {
            let rest = router.table().find_ignoring_trailing_slashes(Method::Get, path).map(|(m, _)| m.route);
            prop_assert_eq!(rest, rest_reference.route(path), "REST API, {} on {}", path, pattern);
            let other = router.find(Method::Get, path).map(|m| m.route);
            prop_assert_eq!(other, http_reference.route(path), "HTTP API, {} on {}", path, pattern);
        }
    }

    /// Several routes: a path is routed exactly when the reference routes it. (Which route
    /// answers follows this library's precedence, written in the README: the most specific
    /// segment from the left, where the reference takes every route without a parameter before
    /// any with one.)
    #[test]
    fn a_table_routes_the_paths_the_reference_routes(
        patterns in prop::collection::vec(pattern_strategy(), 1..6),
        paths in prop::collection::vec(path_strategy(), 1..16),
    ) {
        // A route this library refuses (the shape of an earlier one) is left out of both.
        let mut patterns = patterns;
        let mut kept: Vec<String> = Vec::new();
        for pattern in patterns.drain(..) {
            kept.push(pattern);
            if build(&kept).is_err() {
                kept.pop();
            }
        }
        let patterns = kept;
        let router = build(&patterns).expect("only routes that compile were kept");
        let (rest_reference, http_reference) = (Reference::new(&patterns, true), Reference::new(&patterns, false));
        for path in &paths {
            let rest = router.table().find_ignoring_trailing_slashes(Method::Get, path).is_some();
            prop_assert_eq!(rest, rest_reference.route(path).is_some(), "REST API, {} on {:?}", path, patterns);
            let other = router.find(Method::Get, path).is_some();
            prop_assert_eq!(other, http_reference.route(path).is_some(), "HTTP API, {} on {:?}", path, patterns);
        }
    }
}

#[test]
fn the_issues_case_and_its_neighbours() {
    let patterns: Vec<String> =
        ["/hello/<name>", "/files/.+", "/<message>/<name>", "/a/"].iter().map(|p| (*p).to_owned()).collect();
    let router = patterns.iter().enumerate().fold(RouterBuilder::new(), |b, (i, p)| b.get(p, i)).build().unwrap();
    for path in ["/files//", "/files/", "/files///", "/files/a//", "/hello/x//", "/a//", "/a", "//", "/files"] {
        let ours = router.table().find_ignoring_trailing_slashes(Method::Get, path).map(|(m, _)| m.route);
        assert_eq!(ours, reference_route(&patterns, path, true), "{path}");
    }
}
