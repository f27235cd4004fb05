//! Users routes, mounted under `/users` (the reference's split-router sample).

use lambda_router::Route;

pub const ROUTES: &[Route<&str>] = &[
    Route::get("/", "list users"),
    Route::get("/<user_id>", "get user"),
    Route::post("/", "create user"),
];
