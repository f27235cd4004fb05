//! Differential property test: for random route sets and random paths, the build-time table,
//! the run-time table and a naive matcher (a linear scan written from the precedence spec in
//! the README) agree on every lookup.
//!
//! The 64 build-time tables are drawn by `build.rs` from a fixed seed and go through the whole
//! build-time path (syn reader, compiler, generated `static`); the run-time tables are drawn
//! by proptest.

mod random {
    include!(concat!(env!("OUT_DIR"), "/random_tables.rs"));
}

use lambda_router::{Method, MethodSet, Route, Router, RouterBuilder};
use proptest::prelude::*;

/// A pattern segment as the spec describes it.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Static(String),
    Param(String),
    Tail(Option<String>),
}

/// The naive reader of the pattern syntax the generators use.
fn naive_parse(pattern: &str) -> (bool, Vec<Seg>) {
    if pattern == ".+" {
        return (true, vec![Seg::Tail(None)]);
    }
    if pattern == "/" {
        return (false, vec![]);
    }
    let segs = pattern[1..]
        .split('/')
        .map(|s| {
            if s == ".+" {
                Seg::Tail(None)
            } else if let Some(name) = s.strip_prefix('{').and_then(|s| s.strip_suffix("+}")) {
                Seg::Tail(Some(name.to_owned()))
            } else if let Some(name) = s.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
                Seg::Param(name.to_owned())
            } else if let Some(name) = s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Seg::Param(name.to_owned())
            } else {
                Seg::Static(s.to_owned())
            }
        })
        .collect();
    (false, segs)
}

fn param_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || "-._~()'!*:@,;=+&$%<> []{}|^".contains(c)
}

/// Matches one pattern against a path: the specificity of the match (per segment: 0 static,
/// 1 parameter, 2 tail) and the captured values, or `None`.
fn naive_match(pattern: &str, path: &str) -> Option<(Vec<u8>, Vec<String>)> {
    let (whole, segs) = naive_parse(pattern);
    if whole {
        return (!path.is_empty()).then(|| (vec![2], vec![]));
    }
    let rest = path.strip_prefix('/')?;
    let parts: Vec<&str> = if rest.is_empty() { vec![] } else { rest.split('/').collect() };
    let mut rank = Vec::new();
    let mut values = Vec::new();
    for (i, seg) in segs.iter().enumerate() {
        match seg {
            Seg::Static(text) => {
                if parts.get(i) != Some(&text.as_str()) {
                    return None;
                }
                rank.push(0);
            }
            Seg::Param(_) => {
                let part = parts.get(i)?;
                if part.is_empty() || !part.chars().all(param_char) {
                    return None;
                }
                rank.push(1);
                values.push(part.to_string());
            }
            Seg::Tail(_) => {
                if i >= parts.len() {
                    return None;
                }
                let tail = parts[i..].join("/");
                if tail.is_empty() {
                    return None;
                }
                rank.push(2);
                if let Seg::Tail(Some(_)) = seg {
                    values.push(tail);
                }
                return Some((rank, values));
            }
        }
    }
    (parts.len() == segs.len()).then_some((rank, values))
}

/// The spec as a linear scan: among the routes that match (method included), the one whose
/// segments are most specific from the left; among equals, the first declared.
fn naive_find(routes: &[(String, MethodSet)], method: Method, path: &str) -> Option<(usize, Vec<String>)> {
    let mut best: Option<(Vec<u8>, usize, Vec<String>)> = None;
    for (index, (pattern, methods)) in routes.iter().enumerate() {
        if !methods.contains(method) {
            continue;
        }
        if let Some((rank, values)) = naive_match(pattern, path)
            && best.as_ref().is_none_or(|(best_rank, _, _)| rank < *best_rank)
        {
            best = Some((rank, index, values));
        }
    }
    best.map(|(_, index, values)| (index, values))
}

fn lookup<H>(router: &Router<H>, method: Method, path: &str) -> Option<(usize, Vec<String>)> {
    router.find(method, path).map(|m| (m.route, m.params.iter().map(|(_, value)| value.to_owned()).collect()))
}

/// Whether two patterns match exactly the same paths.
fn naive_same_shape(a: &str, b: &str) -> bool {
    let (whole_a, a) = naive_parse(a);
    let (whole_b, b) = naive_parse(b);
    whole_a == whole_b
        && a.len() == b.len()
        && a.iter().zip(&b).all(|pair| match pair {
            (Seg::Static(x), Seg::Static(y)) => x == y,
            (Seg::Param(_), Seg::Param(_)) | (Seg::Tail(_), Seg::Tail(_)) => true,
            _ => false,
        })
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
        let (routes, built): (&[Route<u16>], &Router<u16>) = random::TABLES[table];
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
            let list: Vec<Method> = methods.iter().collect();
            builder = builder.route(&list, pattern, index);
        }
        match builder.build() {
            Ok(router) => {
                for (method, path) in &lookups {
                    prop_assert_eq!(lookup(&router, *method, path), naive_find(&routes, *method, path), "{:?}", routes);
                }
            }
            Err(lambda_router::RouteError::Conflict { route, earlier, .. }) => {
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
