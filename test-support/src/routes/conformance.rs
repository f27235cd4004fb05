//! The conformance app's routes (shared/conformance/SPEC.md), in order, with the route
//! number as the handler: the router tests check precedence against the reference's cases.

use lambda_router::{Method, MethodSet, Route};

pub const ROUTES: &[Route<u32>] = &[
    Route::with(MethodSet::one(Method::Get), "/hello", 1),
    Route::with(MethodSet::one(Method::Get), "/hello/<name>", 2),
    Route::with(MethodSet::one(Method::Get), "/<message>/<name>", 3),
    Route::with(MethodSet::one(Method::Get), "/files/.+", 4),
    Route::with(MethodSet::one(Method::Post), "/echo", 5),
    Route::with(MethodSet::of(&[Method::Put, Method::Post]), "/items/<id>", 6),
    Route::with(MethodSet::one(Method::Get), "/query", 7),
    Route::with(MethodSet::one(Method::Get), "/errors/bad-request", 8),
    Route::with(MethodSet::one(Method::Get), "/errors/unauthorized", 9),
    Route::with(MethodSet::one(Method::Get), "/errors/not-found", 10),
    Route::with(MethodSet::one(Method::Get), "/errors/internal", 11),
    Route::with(MethodSet::one(Method::Get), "/errors/service", 12),
    Route::with(MethodSet::one(Method::Get), "/teapot", 13),
    Route::with(MethodSet::one(Method::Get), "/compressed", 14).compress(),
    Route::with(MethodSet::one(Method::Get), "/logo", 15),
    Route::with(MethodSet::one(Method::Get), "/logo/compressed", 16).compress(),
    Route::with(MethodSet::one(Method::Get), "/nocors", 17).cors(false),
    Route::with(MethodSet::one(Method::Get), "/validate", 18),
    Route::with(MethodSet::one(Method::Get), "/cookies", 19),
];

lambda_router::include_router!("router_tests.rs");
