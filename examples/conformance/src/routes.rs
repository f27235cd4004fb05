//! The conformance app's routes, in the order of `shared/conformance/SPEC.md`, compiled at
//! build time by the crate's build script.

use std::sync::LazyLock;

use lambda_router::{App, Cookie, Cors, Error, Method, MethodSet, Request, Response, Route, ServiceError, TEXT_PLAIN};
use serde::Serialize;

pub const ROUTES: &[Route] = &[
    Route::get("/hello", hello),
    Route::get("/hello/<name>", hello_name),
    Route::get("/<message>/<name>", message_name),
    Route::get("/files/.+", files),
    Route::post("/echo", echo),
    Route::new(MethodSet::of(&[Method::Put, Method::Post]), "/items/<id>", items),
    Route::get("/query", query),
    Route::get("/errors/bad-request", bad_request),
    Route::get("/errors/unauthorized", unauthorized),
    Route::get("/errors/not-found", not_found),
    Route::get("/errors/internal", internal),
    Route::get("/errors/service", service),
    Route::get("/teapot", teapot),
    Route::get("/compressed", compressed).compress(),
    Route::get("/logo", logo),
    Route::get("/logo/compressed", logo).compress(),
    Route::get("/nocors", nocors).cors(false),
    Route::get("/validate", validate),
    Route::get("/cookies", cookies),
];

lambda_router::include_router!("routes.rs");

/// The conformance app: these routes with the configuration of SPEC.md.
pub fn app() -> App {
    App::new(&ROUTER)
        .cors(
            Cors::new("https://example.com")
                .extra_origin("https://app.example.com")
                .allow_header("X-Custom-Header")
                .expose_header("X-Expose-Me")
                .max_age(300)
                .allow_credentials(true),
        )
        .strip_prefix("/api")
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
struct Message<'m> {
    message: &'m str,
}

fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&Message { message: "hello universe" })
}

fn hello_name<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let name = req.param("name").unwrap_or_default();
    req.json_response(&Message { message: req.format(format_args!("hello {name}")) })
}

fn message_name<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let (message, name) = (req.param("message").unwrap_or_default(), req.param("name").unwrap_or_default());
    req.json_response(&Message { message: req.format(format_args!("{message}, {name}")) })
}

fn files<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    #[derive(Serialize)]
    struct Path<'p> {
        path: &'p str,
    }
    req.json_response(&Path { path: req.path() })
}

fn echo<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    // The reference's `json_body`: `None` for an absent or empty body.
    if req.raw_body().is_none_or(str::is_empty) {
        return Ok(Response::json_text(200, r#"{"received":null}"#));
    }
    // Validated, then passed through as it came: no trip through a value tree.
    let json = req.json_text().map_err(|_| BadValue)?;
    Ok(Response::json_text(200, req.format(format_args!(r#"{{"received":{json}}}"#))))
}

fn items<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    #[derive(Serialize)]
    struct Item<'i> {
        id: &'i str,
        method: &'i str,
    }
    req.json_response(&Item { id: req.param("id").unwrap_or_default(), method: req.method() })
}

fn query<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    #[derive(Serialize)]
    struct Query<'q> {
        name: &'q str,
        header: &'q str,
    }
    let name = req.query_param("name").unwrap_or("anon");
    let header = req.header("X-Name").unwrap_or("none");
    req.json_response(&Query { name, header })
}

fn bad_request<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(ServiceError::bad_request("Missing required parameter").into())
}

fn unauthorized<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(ServiceError::unauthorized("Unauthorized").into())
}

fn not_found<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(ServiceError::not_found().into())
}

fn internal<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(ServiceError::internal("Internal server error").into())
}

fn service<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(ServiceError::new(502, "Something went wrong!").into())
}

fn teapot<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(418, "I'm a teapot").header("X-Custom", "X-Value"))
}

static COMPRESSED_MESSAGE: LazyLock<String> = LazyLock::new(|| "hello universe ".repeat(200));

fn compressed<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&Message { message: &COMPRESSED_MESSAGE })
}

/// The 256 bytes 0x00..=0xFF.
static LOGO: [u8; 256] = {
    let mut bytes = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        bytes[i] = i as u8;
        i += 1;
    }
    bytes
};

fn logo<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::binary(200, "image/png", &LOGO))
}

fn nocors<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    #[derive(Serialize)]
    struct Cors {
        cors: bool,
    }
    req.json_response(&Cors { cors: false })
}

fn validate<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    #[derive(Serialize)]
    struct Doubled {
        n: i128,
    }
    let n = match req.query_param("n") {
        Some(text) => python_int(text).ok_or(BadValue)?,
        None => 0,
    };
    req.json_response(&Doubled { n: n.checked_mul(2).ok_or(BadValue)? })
}

/// An integer as Python's `int(text)` reads one: surrounding whitespace, a sign, digits with
/// single underscores between them.
fn python_int(text: &str) -> Option<i128> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    let mut value: i128 = 0;
    for byte in digits.bytes().filter(|b| *b != b'_') {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add((byte - b'0') as i128)?;
    }
    Some(if negative { -value } else { value })
}

fn cookies<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    #[derive(Serialize)]
    struct Ok {
        ok: bool,
    }
    let response = req.json_response(&Ok { ok: true })?;
    Ok(response.cookie(Cookie::new("session", "abc").http_only().secure()))
}
