//! Health routes, mounted at the root.

use lambda_router_core::{Method, MethodSet, Route};

pub const ROUTES: &[Route<&str>] = &[
    Route::new(MethodSet::one(Method::Get), "/status", "status"),
    Route::new(MethodSet::one(Method::Get), "/.+", "fallback"),
];
