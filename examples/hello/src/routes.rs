//! The routes of the hello example, in a const table compiled at build time.

use lambda_router::{Error, Request, Response, Route};
use serde::{Deserialize, Serialize};

pub const ROUTES: &[Route] = &[
    Route::get("/hello", hello),
    Route::get("/hello/<name>", hello_name),
    Route::post("/greetings", greet),
    Route::get("/later/<name>", later),
    Route::get("/boom", boom),
];

lambda_router::include_router!("routes.rs");

#[derive(Serialize)]
struct Message<'m> {
    message: &'m str,
}

/// `GET /hello` → `{"message":"hello universe"}`
fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&Message { message: "hello universe" })
}

/// `GET /hello/<name>` → `{"message":"hello <name>"}`
fn hello_name<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let name = req.param("name").unwrap_or("world");
    req.json_response(&Message { message: req.format(format_args!("hello {name}")) })
}

/// `POST /greetings` with `{"name": "...", "greeting": "..."}`: a borrowing body.
fn greet<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    #[derive(Deserialize)]
    struct Greeting<'g> {
        name: &'g str,
        greeting: Option<&'g str>,
    }
    let body: Greeting<'a> = req.json()?;
    let greeting = body.greeting.unwrap_or("hello");
    let message = req.format(format_args!("{greeting} {}", body.name));
    Ok(req.json_response(&Message { message })?.with_status(201))
}

/// `GET /later/<name>`: an async handler (a real one would call AWS here).
async fn later<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    tokio::task::yield_now().await;
    let name = req.param("name").unwrap_or("world");
    req.json_response(&Message { message: req.format(format_args!("hello later, {name}")) })
}

/// `GET /boom` panics: the invocation answers 500 and the function keeps serving.
fn boom<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    panic!("boom")
}
