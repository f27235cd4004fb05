//! The route table: precedence, parameters, tails, methods, trailing slashes, prefixes —
//! tables of cases, on tables compiled at build time and at run time.

use lambda_router_core::{Declared, Router, RouterBuilder};
use lambda_router_core::{Method, MethodSet, PathOptions, RouteError};
use test_support::{github, mounted};

/// The same routes compiled while the program runs.
fn runtime<R: Declared + Copy>(routes: &'static [R]) -> Router<R> {
    RouterBuilder::new().extend(routes.iter().copied()).build().expect("routes compile")
}

/// Route number (1-based, as SPEC.md numbers the conformance app's routes) for a request,
/// through the conformance example's build-time table and the same routes compiled at run
/// time, which must agree.
fn route(method: &str, path: &str) -> Option<usize> {
    let method = Method::parse(method)?;
    let built = conformance::ROUTER.find(method, path).map(|m| m.route + 1);
    let dynamic = runtime(conformance::ROUTES);
    let ran = dynamic.find(method, path).map(|m| m.route + 1);
    assert_eq!(built, ran, "build-time and run-time tables disagree on {method} {path}");
    built
}

#[test]
fn build_time_and_run_time_tables_are_identical() {
    assert_eq!(
        conformance::ROUTER.__table(),
        lambda_router::Router::builder().extend(conformance::ROUTES.iter().copied()).build().unwrap().__table()
    );
    assert_eq!(github::ROUTER.table(), runtime(github::ROUTES).table());
}

#[test]
fn precedence_follows_the_reference_cases() {
    // (method, path, route) — from shared/conformance/README.md and cases.jsonl.
    let cases: &[(&str, &str, Option<usize>)] = &[
        ("GET", "/hello", Some(1)),
        ("GET", "/hello/world", Some(2)),
        ("GET", "/hi/there", Some(3)),
        ("GET", "/files/x", Some(4)),
        ("GET", "/files/a/b/c.txt", Some(4)),
        ("GET", "/files/a/", Some(4)),
        ("GET", "/files/", None),
        ("GET", "/files", None),
        ("POST", "/echo", Some(5)),
        ("GET", "/echo", None),
        ("PUT", "/items/5", Some(6)),
        ("POST", "/items/5", Some(6)),
        // The method is part of the match: GET /items/5 goes to /<message>/<name>.
        ("GET", "/items/5", Some(3)),
        ("DELETE", "/items/5", None),
        // Backtracking: /errors/<...> has no `other`, so /<message>/<name> answers.
        ("GET", "/errors/other", Some(3)),
        ("GET", "/errors/bad-request", Some(8)),
        ("GET", "/logo/other", Some(3)),
        ("GET", "/logo/compressed", Some(16)),
        ("GET", "/logo", Some(15)),
        // No 405, and HEAD is not GET.
        ("HEAD", "/hello", None),
        ("get", "/hello", Some(1)),
        ("GET", "/", None),
        ("GET", "/a/b/c", None),
        ("GET", "/hello//", None),
        ("GET", "/hello/", None),
    ];
    for &(method, path, expected) in cases {
        assert_eq!(route(method, path), expected, "{method} {path}");
    }
}

#[test]
fn parameter_character_set_is_the_references() {
    let allowed = [
        "John%20Doe",
        "a=b",
        "a b",
        "v1.2",
        "~x",
        "(x)",
        "it's",
        "a!*",
        "a:b@c",
        "a,b;c",
        "a+b",
        "a&b$c",
        "<x>",
        "[x]",
        "{x}",
        "a|b^c",
        "über",
        "日本",
        "_",
        "123",
    ];
    for value in allowed {
        assert_eq!(route("GET", &format!("/hello/{value}")), Some(2), "{value:?} is a parameter");
    }
    let refused = ["a\"b", "a?b", "a#b", "a\\b", "a`b", "€", "a\tb"];
    for value in refused {
        assert_eq!(route("GET", &format!("/hello/{value}")), None, "{value:?} is not a parameter");
    }
}

#[test]
fn parameters_are_borrowed_as_written() {
    let found = conformance::ROUTER.find(Method::Get, "/Hello%20there/x=y").unwrap();
    assert_eq!(found.route, 2);
    assert_eq!(found.params.get("message"), Some("Hello%20there"));
    assert_eq!(found.params.get("name"), Some("x=y"));
    assert_eq!(found.params.get("nope"), None);
    assert_eq!(found.params.len(), 2);
}

#[test]
fn tails_capture_the_rest_of_the_path() {
    let router = RouterBuilder::new()
        .get("/static/{proxy+}", "proxy")
        .get("/files/.+", "regex")
        .get("/static/<one>", "one")
        .get("/<a>/<b>", "two")
        .build()
        .unwrap();
    let found = router.find(Method::Get, "/static/css/site.css").unwrap();
    assert_eq!(router.route(found.route), "proxy");
    assert_eq!(found.params.get("proxy"), Some("css/site.css"));
    // A parameter beats a tail at the same depth...
    let found = router.find(Method::Get, "/static/x").unwrap();
    assert_eq!(router.route(found.route), "one");
    // ...and a static segment beats a parameter, further left.
    let found = router.find(Method::Get, "/files/x").unwrap();
    assert_eq!(router.route(found.route), "regex");
    let found = router.find(Method::Get, "/other/x").unwrap();
    assert_eq!(router.route(found.route), "two");
    // A tail is unnamed for `.+`.
    let found = router.find(Method::Get, "/files/a/b").unwrap();
    assert_eq!(router.route(found.route), "regex");
    assert!(found.params.is_empty());

    let everything = RouterBuilder::new().get("/hello", "hello").get(".+", "all").build().unwrap();
    for path in ["/", "/x", "/x/y/", "//", "no-slash"] {
        let found = everything.find(Method::Get, path).unwrap();
        assert_eq!(everything.route(found.route), "all", "{path}");
    }
    assert_eq!(everything.find(Method::Get, "/hello").unwrap().route, 0);
    assert!(everything.find(Method::Get, "").is_none());
}

#[test]
fn equally_specific_routes_go_to_the_first_declared() {
    let router = RouterBuilder::new()
        .get("/a/<x>", "first")
        .route(MethodSet::of(&[Method::Get, Method::Post]), "/a/<y>", "second")
        .build()
        .unwrap();
    assert_eq!(router.route(router.find(Method::Get, "/a/1").unwrap().route), "first");
    assert_eq!(router.route(router.find(Method::Post, "/a/1").unwrap().route), "second");
}

#[test]
fn methods() {
    let router = RouterBuilder::new()
        .get("/r", "get")
        .post("/r", "post")
        .put("/r", "put")
        .patch("/r", "patch")
        .delete("/r", "delete")
        .head("/r", "head")
        .options("/r", "options")
        .route(MethodSet::ANY, "/any/<x>", "any")
        .build()
        .unwrap();
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] {
        let found = router.find(Method::parse(method).unwrap(), "/r").unwrap();
        assert_eq!(router.route(found.route).to_uppercase(), method);
        assert_eq!(router.route(router.find(Method::parse(method).unwrap(), "/any/1").unwrap().route), "any");
    }
    assert_eq!(Method::parse("pAtCh"), Some(Method::Patch));
    assert_eq!(Method::parse("PROPFIND"), None);
    assert_eq!(Method::parse(""), None);
}

#[test]
fn trailing_slashes_are_ignored_only_when_asked() {
    let rest = PathOptions::new().ignore_trailing_slash(true);
    let http = PathOptions::new();
    let cases = [
        ("/hello/", Some(1), None),
        ("/hello//", Some(1), None),
        ("/hello", Some(1), Some(1)),
        ("/hello/bob/", Some(2), None),
        ("/files/a/", Some(4), Some(4)),
        ("/", None, None),
        ("//", None, None),
    ];
    for (path, for_rest, for_http) in cases {
        assert_eq!(route("GET", rest.routing_path(path)), for_rest, "REST {path}");
        assert_eq!(route("GET", http.routing_path(path)), for_http, "HTTP {path}");
    }
    assert_eq!(rest.routing_path("///"), "/");
}

#[test]
fn strip_prefixes_cut_once_and_exactly() {
    let options = PathOptions::new().strip_prefix("/api").strip_prefix("/v2/");
    let cases = [
        ("/api/hello", "/hello"),
        ("/api", "/"),
        ("/api/", "/"),
        ("/api/api/hello", "/api/hello"),
        ("/apihello", "/apihello"),
        ("/API/hello", "/API/hello"),
        ("/v2/hello", "/hello"),
        ("/v2", "/"),
        ("/hello", "/hello"),
        ("", "/"),
    ];
    for (path, routing) in cases {
        assert_eq!(options.routing_path(path), routing, "{path}");
    }
    assert_eq!(route("GET", options.routing_path("/api/api/hello")), Some(3));
}

#[test]
fn mounting_under_a_prefix_at_build_time_and_run_time() {
    let run_time = RouterBuilder::new()
        .include("/users", RouterBuilder::new().extend(mounted::users::ROUTES.iter().copied()))
        .include("", RouterBuilder::new().extend(mounted::health::ROUTES.iter().copied()))
        .build()
        .unwrap();
    assert_eq!(mounted::ROUTER.table(), run_time.table());
    let cases = [
        ("GET", "/users", Some("list users")),
        ("POST", "/users", Some("create user")),
        ("GET", "/users/42", Some("get user")),
        ("GET", "/status", Some("status")),
        ("GET", "/users/42/x", Some("fallback")),
        ("GET", "//users", Some("fallback")),
        ("DELETE", "/users", None),
    ];
    for (method, path, expected) in cases {
        let found = mounted::ROUTER.find(Method::parse(method).unwrap(), path);
        assert_eq!(found.map(|m| *mounted::ROUTER.route(m.route).value()), expected, "{method} {path}");
    }
    assert_eq!(mounted::ROUTER.full_pattern(1), "/users/<user_id>");
}

/// Regression tests named after bugs of the reference's tracker.
mod regressions {
    use super::*;

    /// powertools-lambda-python: a static route registered after a dynamic one that also
    /// matches was hidden by it.
    #[test]
    fn static_route_declared_after_a_dynamic_one_still_wins() {
        let router = RouterBuilder::new().get("/users/<id>", "dynamic").get("/users/me", "static").build().unwrap();
        assert_eq!(router.route(router.find(Method::Get, "/users/me").unwrap().route), "static");
        assert_eq!(router.route(router.find(Method::Get, "/users/5").unwrap().route), "dynamic");
    }

    /// `=`, spaces and `.` in a path parameter (the reference widened its character class).
    #[test]
    fn equals_space_and_dot_in_parameters() {
        for value in ["a=b", "a b", "a.b", "x==", "a%20b"] {
            assert_eq!(route("GET", &format!("/hello/{value}")), Some(2), "{value}");
        }
    }

    /// A greedy tail must take the rest of the path, slashes included.
    #[test]
    fn greedy_tail_takes_slashes() {
        let router = RouterBuilder::new().get("/proxy/{proxy+}", ()).build().unwrap();
        let found = router.find(Method::Get, "/proxy/a/b/c").unwrap();
        assert_eq!(found.params.get("proxy"), Some("a/b/c"));
    }

    /// `include_router(prefix="/users")` with a route `/` produced `/users/` and with a
    /// prefix ending in `/` produced `//`.
    #[test]
    fn prefix_never_produces_a_double_slash() {
        let inner = || RouterBuilder::new().get("/", "root").get("/x", "x");
        let router = RouterBuilder::new().include("/users/", inner()).build().unwrap();
        assert_eq!(router.full_pattern(0), "/users");
        assert_eq!(router.full_pattern(1), "/users/x");
        let root = RouterBuilder::new().include("/", inner()).build().unwrap();
        assert_eq!(root.full_pattern(0), "/");
    }
}

#[test]
fn malformed_patterns_name_the_route_and_the_byte() {
    use lambda_router_core::PatternErrorKind as Kind;
    let cases = [
        ("", Kind::Empty, 0),
        ("hello", Kind::NoLeadingSlash, 0),
        ("/a//b", Kind::EmptySegment, 3),
        ("/a//", Kind::EmptySegment, 3),
        ("/a/<b", Kind::Unclosed, 3),
        ("/a/{b", Kind::Unclosed, 3),
        ("/a/<1b>", Kind::BadParamName, 4),
        ("/a/<>", Kind::BadParamName, 4),
        ("/file-<id>", Kind::PartialSegment, 6),
        ("/<id>.json", Kind::PartialSegment, 5),
        ("/{proxy+}/x", Kind::TailNotLast, 10),
        ("/.+/x", Kind::TailNotLast, 4),
        ("/<a>/<a>", Kind::DuplicateParam, 5),
        ("/a b", Kind::BadChar, 2),
        ("/a?b", Kind::BadChar, 2),
        ("/a.*", Kind::Regex, 2),
        ("/x.+", Kind::Regex, 2),
    ];
    for (pattern, kind, offset) in cases {
        let err = RouterBuilder::new().get("/ok", ()).get(pattern, ()).build().unwrap_err();
        let RouteError::Pattern { route, error } = &err else { panic!("{pattern}: {err}") };
        assert_eq!((*route, error.kind(), error.offset()), (1, kind, offset), "{pattern}: {err}");
        assert!(err.to_string().starts_with(&format!("route #1: invalid route pattern `{pattern}` at byte {offset}")));
    }
}

#[test]
fn conflicts_name_both_routes() {
    let err =
        RouterBuilder::new().get("/a/<x>", ()).route(MethodSet::of(&[Method::Get]), "/a/{y}", ()).build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "route #1 `GET /a/{y}` can never match: route #0 `GET /a/<x>` has the same shape and \
         answers the same methods first"
    );
    // Same shape, methods covered by two earlier routes together.
    let err = RouterBuilder::new()
        .get("/a/.+", ())
        .post("/a/{rest+}", ())
        .route(MethodSet::of(&[Method::Get, Method::Post]), "/a/.+", ())
        .build()
        .unwrap_err();
    assert!(matches!(err, RouteError::Conflict { route: 2, earlier: 0, .. }), "{err}");
    // Overlapping methods but one still reachable: not a conflict.
    assert!(
        RouterBuilder::new()
            .route(MethodSet::of(&[Method::Get, Method::Post]), "/a", ())
            .route(MethodSet::of(&[Method::Post, Method::Put]), "/a", ())
            .build()
            .is_ok()
    );
    assert!(RouterBuilder::new().get("/a", ()).get("/a", ()).build().is_err());
    assert!(matches!(
        RouterBuilder::new().route(MethodSet::of(&[]), "/a", ()).build().unwrap_err(),
        RouteError::NoMethod { route: 0, .. }
    ));
}

#[test]
fn github_set_every_path_finds_its_route() {
    let routes = github::lines(github::ROUTE_LIST);
    let paths = github::lines(github::PATHS);
    assert_eq!(routes.len(), 130);
    assert_eq!(paths.len(), 130);
    for (index, path) in paths.iter().enumerate() {
        let found = github::ROUTER.find(Method::Get, path).unwrap_or_else(|| panic!("{path}"));
        assert_eq!(github::ROUTER.full_pattern(found.route), routes[index], "{path}");
    }
}
