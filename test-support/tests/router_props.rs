//! Differential property test: for random route sets and random paths, the build-time table,
//! the run-time table and a naive matcher (a linear scan written from the precedence spec in
//! the README) agree on every lookup.
//!
//! The 64 build-time tables are drawn by `build.rs` from a fixed seed and go through the whole
//! build-time path (syn reader, compiler, generated `static`); the run-time tables are drawn
//! by proptest.

use lambda_router::{Method, MethodSet};
use lambda_router_core::{Route, Router, RouterBuilder};
use proptest::prelude::*;
use test_support::naive::{naive_find, naive_same_shape};
use test_support::random;

fn lookup<H>(router: &Router<H>, method: Method, path: &str) -> Option<(usize, Vec<String>)> {
    router.find(method, path).map(|m| (m.route, m.params.iter().map(|(_, value)| value.to_owned()).collect()))
}

fn path_strategy() -> impl Strategy<Value = String> {
    let segment = prop::sample::select(vec!["a", "b", "c", "ab", "x", "", "a b", "é", "%2F", "a\"b", "€"]);
    (prop::collection::vec(segment, 0..5), 0..10u8).prop_map(|(segments, form)| {
        let mut path = String::new();
        for s in &segments {
            path.push('/');
            path.push_str(s);
        }
        match form {
            0 => path.push('/'),
            1 => return path.trim_start_matches('/').to_owned(),
            _ if path.is_empty() => path.push('/'),
            _ => {}
        }
        path
    })
}

fn method_strategy() -> impl Strategy<Value = Method> {
    prop::sample::select(vec![Method::Get, Method::Post, Method::Put, Method::Delete])
}

fn pattern_strategy() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        4 => prop::sample::select(vec!["a", "b", "c", "ab"]).prop_map(str::to_owned),
        3 => Just("<p>".to_owned()),
        1 => Just("{p}".to_owned()),
        1 => Just(".+".to_owned()),
        1 => Just("{rest+}".to_owned()),
    ];
    (prop::collection::vec(segment, 0..4), 0..20u8).prop_map(|(segments, form)| {
        if form == 0 {
            return ".+".to_owned();
        }
        let mut pattern = String::new();
        let mut tail = false;
        for (i, s) in segments.iter().enumerate() {
            if tail {
                break;
            }
            pattern.push('/');
            match s.as_str() {
                "<p>" => pattern.push_str(&format!("<p{i}>")),
                "{p}" => pattern.push_str(&format!("{{p{i}}}")),
                ".+" | "{rest+}" => {
                    pattern.push_str(s);
                    tail = true;
                }
                _ => pattern.push_str(s),
            }
        }
        // A trailing slash now and then (never after a tail).
        if pattern.is_empty() || (form == 1 && !tail) {
            pattern.push('/');
        }
        pattern
    })
}

fn routes_strategy() -> impl Strategy<Value = Vec<(String, MethodSet)>> {
    prop::collection::vec((pattern_strategy(), 1..8u16).prop_map(|(p, m)| (p, MethodSet::from_bits(m))), 1..14)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn build_time_tables_agree_with_run_time_and_naive(
        table in 0..random::TABLES.len(),
        method in method_strategy(),
        path in path_strategy(),
    ) {
        let (routes, built): (&[Route<u16>], &Router<Route<u16>>) = random::TABLES[table];
        let specs: Vec<(String, MethodSet)> = routes.iter().map(|r| (r.pattern().to_owned(), r.methods())).collect();
        let run_time = RouterBuilder::new().extend(routes.iter().copied()).build().unwrap();
        prop_assert_eq!(built.table(), run_time.table());
        let expected = naive_find(&specs, method, &path);
        prop_assert_eq!(lookup(built, method, &path), expected.clone(), "table {}: {:?}", table, specs);
        prop_assert_eq!(lookup(&run_time, method, &path), expected);
    }

    #[test]
    fn run_time_tables_agree_with_naive(
        routes in routes_strategy(),
        lookups in prop::collection::vec((method_strategy(), path_strategy()), 1..16),
    ) {
        let mut builder = RouterBuilder::new();
        for (index, (pattern, methods)) in routes.iter().enumerate() {
            builder = builder.route(*methods, pattern, index);
        }
        match builder.build() {
            Ok(router) => {
                for (method, path) in &lookups {
                    prop_assert_eq!(lookup(&router, *method, path), naive_find(&routes, *method, path), "{:?}", routes);
                }
            }
            Err(lambda_router_core::RouteError::Conflict { route, earlier, .. }) => {
                // The naive reading agrees: earlier routes of the same shape cover its methods.
                let (pattern, methods) = &routes[route];
                prop_assert!(earlier < route && naive_same_shape(pattern, &routes[earlier].0));
                let covered = routes[..route]
                    .iter()
                    .filter(|(other, _)| naive_same_shape(pattern, other))
                    .fold(MethodSet::EMPTY, |set, (_, m)| set.union(*m));
                prop_assert!(methods.is_subset(covered), "{:?}", routes);
            }
            Err(err) => prop_assert!(false, "unexpected error {}", err),
        }
    }
}
