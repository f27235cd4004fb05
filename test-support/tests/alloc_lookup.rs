//! A lookup allocates nothing: counted with a counting global allocator, on every path of
//! the GitHub benchmark set and on the conformance routes (static, dynamic, tail, 404).

use lambda_router_core::{Method, PathOptions};
use test_support::alloc::{Counting, allocations_during, is_counting};
use test_support::github;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn lookups_allocate_nothing() {
    assert!(is_counting(), "the counting allocator is installed");
    let paths = github::lines(github::PATHS);
    let options = PathOptions::new().strip_prefix("/api").ignore_trailing_slash(true);
    let conformance_paths = ["/hello", "/hello/world", "/errors/other", "/files/a/b/c", "/nope/x/y", "/api/hello//"];
    let mut found = 0;
    let (count, ()) = allocations_during(|| {
        for path in &paths {
            found += github::ROUTER.find(Method::Get, path).map_or(0, |m| m.params.len() + 1);
        }
        for path in conformance_paths {
            let routing = options.routing_path(path);
            found += conformance::ROUTER.find(Method::Get, routing).map_or(0, |m| m.params.len() + 1);
        }
    });
    assert_eq!(count, 0, "allocations during {} lookups", paths.len() + conformance_paths.len());
    assert!(found > paths.len(), "the lookups found their routes");
}
