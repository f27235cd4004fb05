//! Users routes, mounted under `/users` (the reference's split-router sample).

use lambda_router_core::{Method, MethodSet, Route};

pub const ROUTES: &[Route<&str>] = &[
    Route::new(MethodSet::one(Method::Get), "/", "list users"),
    Route::new(MethodSet::one(Method::Get), "/<user_id>", "get user"),
    Route::new(MethodSet::one(Method::Post), "/", "create user"),
];
