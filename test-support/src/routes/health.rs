//! Health routes, mounted at the root.

use lambda_router::{Method, MethodSet, Route};

pub const ROUTES: &[Route<&str>] = &[
    Route::with(MethodSet::one(Method::Get), "/status", "status"),
    Route::with(MethodSet::one(Method::Get), "/.+", "fallback"),
];
