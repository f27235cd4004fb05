//! The matcher against the naive spec matcher of the tests: the input's first lines are a
//! route table (`METHODS PATTERN`), the rest are paths; every lookup must agree.
#![no_main]

use lambda_router_core::RouterBuilder;
use lambda_router::{Method, MethodSet};
use test_support::naive;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else { return };
    let (table, paths) = text.split_once("\n\n").unwrap_or((text, "/"));
    let mut routes = Vec::new();
    let mut builder = RouterBuilder::new();
    for (index, line) in table.lines().take(32).enumerate() {
        let (bits, pattern) = line.split_once(' ').unwrap_or(("1", line));
        let methods = MethodSet::from_bits(bits.parse::<u16>().unwrap_or(1).max(1));
        routes.push((pattern.to_owned(), methods));
        builder = builder.route(methods, pattern, index);
    }
    let Ok(router) = builder.build() else { return };
    for path in paths.lines().take(16) {
        for method in [Method::Get, Method::Post, Method::Put] {
            let ours = router.find(method, path).map(|m| (m.route, m.params.iter().map(|(_, v)| v.to_owned()).collect::<Vec<_>>()));
            assert_eq!(ours, naive::naive_find(&routes, method, path), "{routes:?} {method} {path:?}");
        }
    }
});
