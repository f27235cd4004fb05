//! The routes of the SPEC, in its order, with their middleware; and the app's configuration.

use lambda_router::{App, Cors, Error, Request, Response, Route, TEXT_PLAIN};
use serde::Serialize;

use crate::middleware::{Tenant, auth, bad, first, second, small_body, step, tenant, trace, trail};

pub const ROUTES: &[Route] = &[
    Route::get("/open", open),
    Route::get("/secret", open).middleware(&[auth]),
    Route::get("/onion", onion).middleware(&[first, second]),
    Route::get("/bad", never).middleware(&[bad]),
    Route::post("/small", small).middleware(&[small_body]),
    Route::get("/fails", fails),
];

lambda_router::include_router!("routes.rs");

/// The middleware app: these routes with the configuration of the SPEC.
pub fn app() -> App {
    App::new(&ROUTER)
        .cors(Cors::new("https://example.com").max_age(300))
        .middleware(&[trace, tenant])
        .error_handler::<BadValue>(|_, _| Response::text(400, "Invalid request").with_content_type(TEXT_PLAIN))
}

/// The app's "bad value" error (the reference raises Python's `ValueError`).
#[derive(Debug)]
pub struct BadValue;

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("bad value")
    }
}

impl std::error::Error for BadValue {}

#[derive(Serialize)]
struct Seen<'a> {
    tenant: Option<&'a str>,
    trail: &'a [&'a str],
}

/// `/open` and `/secret`: what the middleware left in the context.
fn open<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let tenant = req.context().get::<Tenant>().copied().flatten();
    req.json_response(&Seen { tenant, trail: trail(req) })
}

#[derive(Serialize)]
struct Trail<'a> {
    trail: &'a [&'a str],
}

fn onion<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    step(req, "handler");
    req.json_response(&Trail { trail: trail(req) })
}

#[derive(Serialize)]
struct Never {
    never: bool,
}

/// `{"never": true}`, which the `bad` middleware keeps from being sent.
fn never<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&Never { never: true })
}

#[derive(Serialize)]
struct Body<'a> {
    body: Option<&'a str>,
}

fn small<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&Body { body: req.raw_body() })
}

fn fails<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(BadValue.into())
}
