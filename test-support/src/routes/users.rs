//! Users routes, mounted under `/users` (the reference's split-router sample).

use lambda_router::{Method, MethodSet, Route};

pub const ROUTES: &[Route<&str>] = &[
    Route::with(MethodSet::one(Method::Get), "/", "list users"),
    Route::with(MethodSet::one(Method::Get), "/<user_id>", "get user"),
    Route::with(MethodSet::one(Method::Post), "/", "create user"),
];
