//! Cold-start measurement, lambda-router side, 10 routes (`benches/cold_start.sh`).

mod routes {
    use lambda_router::{Error, Request, Response, Route};

    pub const ROUTES: &[Route] = &[
        Route::get("/hello", hello),
        Route::get("/hello/<name>", hello),
        Route::post("/echo", hello),
        Route::get("/users", hello),
        Route::get("/users/<id>", hello),
        Route::put("/users/<id>", hello),
        Route::delete("/users/<id>", hello),
        Route::get("/orders/<id>/items", hello),
        Route::get("/status", hello),
        Route::get("/files/{proxy+}", hello),
    ];

    lambda_router::include_router!("cold_start_10_routes.rs");

    fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
        req.json_response(&serde_json::json!({"message": "hello universe"}))
    }
}

fn main() {
    std::process::exit(lambda_router::run(lambda_router::App::new(&routes::ROUTER)));
}
