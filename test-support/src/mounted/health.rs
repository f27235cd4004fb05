//! Health routes, mounted at the root.

use lambda_router::router::Route;
use lambda_router::{Method, MethodSet};

pub const ROUTES: &[Route<&str>] = &[
    Route::new(MethodSet::one(Method::Get), "/status", "status"),
    Route::new(MethodSet::one(Method::Get), "/.+", "fallback"),
];
