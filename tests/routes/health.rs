//! Health routes, mounted at the root.

use lambda_router::Route;

pub const ROUTES: &[Route<&str>] = &[
    Route::get("/status", "status"),
    Route::get("/.+", "fallback"),
];
