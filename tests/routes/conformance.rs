//! The conformance app's routes (shared/conformance/SPEC.md), in order, with the route
//! number as the handler: the router tests check precedence against the reference's cases.

use lambda_router::{Method, MethodSet, Route};

pub const ROUTES: &[Route<u32>] = &[
    Route::get("/hello", 1),
    Route::get("/hello/<name>", 2),
    Route::get("/<message>/<name>", 3),
    Route::get("/files/.+", 4),
    Route::post("/echo", 5),
    Route::new(
        MethodSet::of(&[Method::Put, Method::Post]),
        "/items/<id>",
        6,
    ),
    Route::get("/query", 7),
    Route::get("/errors/bad-request", 8),
    Route::get("/errors/unauthorized", 9),
    Route::get("/errors/not-found", 10),
    Route::get("/errors/internal", 11),
    Route::get("/errors/service", 12),
    Route::get("/teapot", 13),
    Route::get("/compressed", 14).compress(),
    Route::get("/logo", 15),
    Route::get("/logo/compressed", 16).compress(),
    Route::get("/nocors", 17).cors(false),
    Route::get("/validate", 18),
    Route::get("/cookies", 19),
];

lambda_router::include_router!("router_tests.rs");
