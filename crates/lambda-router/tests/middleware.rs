//! Middleware, the invocation context, shared state and the one error path, through whole
//! invocations: onion order, short-circuits, errors and panics anywhere in the chain, a
//! catch-all, the opt-in 405, and bad input that must answer a clear 500 and leave the next
//! invocation unaffected. (The reference's own cases are the `middleware` example's, checked by
//! `compare.py` in CI.)

use lambda_router::testing::{TestRequest, TestResponse};
use lambda_router::{App, ContextKey, Cookie, Error, Next, Panic, Request, Response, Route, Router, ServiceError};

struct Steps;

impl ContextKey for Steps {
    type Value<'a> = &'a [&'a str];
}

fn steps<'a>(req: &Request<'a>) -> &'a [&'a str] {
    req.context().get::<Steps>().copied().unwrap_or(&[])
}

fn step<'a>(req: &Request<'a>, name: &'a str) {
    let old = steps(req);
    let new = req.arena().alloc_slice_fill_with(old.len() + 1, |i| old.get(i).copied().unwrap_or(name));
    req.context().insert::<Steps>(new);
}

#[lambda_router::middleware]
async fn outer<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    step(req, "outer-in");
    let response = next.run().await?;
    step(req, "outer-out");
    let trail = steps(req).join(",");
    Ok(response.header("X-Steps", req.alloc_str(&trail)))
}

#[lambda_router::middleware]
async fn inner<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    step(req, "inner-in");
    let response = next.run().await?;
    step(req, "inner-out");
    Ok(response)
}

/// Waits (suspends once) before and after the rest of the chain.
#[lambda_router::middleware]
async fn waits<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    tokio::task::yield_now().await;
    step(req, "waited");
    let response = next.run().await;
    tokio::task::yield_now().await;
    response
}

#[lambda_router::middleware]
async fn refuses<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    if req.header("Authorization").is_none() {
        return Ok(Response::text(401, "no"));
    }
    next.run().await
}

#[lambda_router::middleware]
async fn fails<'r, 'a>(_: &'r Request<'a>, _: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    Err(ServiceError::forbidden("middleware says no").into())
}

#[lambda_router::middleware]
async fn panics<'r, 'a>(_: &'r Request<'a>, _: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    panic!("middleware panicked")
}

fn handler<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    step(req, "handler");
    Ok(Response::text(200, req.alloc_str(&steps(req).join(","))))
}

fn handler_panics<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    panic!("handler panicked")
}

struct Greeting(&'static str);

fn needs_state<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let greeting: &Greeting = req.state().ok_or_else(|| ServiceError::internal("the app has no greeting"))?;
    Ok(Response::text(200, greeting.0))
}

fn cookie<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(200, "ok").cookie(Cookie::new("session", "abc").http_only()))
}

const ROUTES: &[Route] = &[
    Route::get("/plain", handler),
    Route::get("/inner", handler).middleware(&[inner]),
    Route::get("/waits", handler).middleware(&[waits, inner]),
    Route::get("/refuses", handler).middleware(&[refuses, inner]),
    Route::get("/fails", handler).middleware(&[inner, fails]),
    Route::get("/panics", handler).middleware(&[panics]),
    Route::get("/handler-panics", handler_panics).middleware(&[inner]),
    Route::post("/only-post", handler),
    Route::get("/state", needs_state),
    Route::get("/cookie", cookie),
    Route::get("/cors", handler).cors(true),
];

fn app() -> App {
    App::with_router(Router::builder().extend(ROUTES.iter().copied()).build().unwrap()).middleware(&[outer])
}

fn get(app: &App, path: &str) -> TestResponse {
    TestRequest::get(path).header("Origin", "https://example.com").rest_v1().invoke(app).unwrap()
}

#[test]
fn middleware_run_as_an_onion_around_the_handler() {
    let response = get(&app(), "/inner");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), "outer-in,inner-in,handler");
    assert_eq!(response.header("X-Steps"), Some("outer-in,inner-in,handler,inner-out,outer-out"));
    // The app's middleware wraps routes without middleware of their own, and 404s.
    assert_eq!(get(&app(), "/plain").header("X-Steps"), Some("outer-in,handler,outer-out"));
    let missing = get(&app(), "/nowhere");
    assert_eq!((missing.status(), missing.header("X-Steps")), (404, Some("outer-in,outer-out")));
}

#[test]
fn async_middleware_suspend_and_resume() {
    let response = get(&app(), "/waits");
    assert_eq!(response.text(), "outer-in,waited,inner-in,handler");
    assert_eq!(response.header("X-Steps"), Some("outer-in,waited,inner-in,handler,inner-out,outer-out"));
}

#[test]
fn a_short_circuit_skips_what_is_inside_and_passes_back_out() {
    let refused = get(&app(), "/refuses");
    assert_eq!((refused.status(), refused.text()), (401, "no".to_owned()));
    assert_eq!(refused.header("X-Steps"), Some("outer-in,outer-out"));
    let allowed = TestRequest::get("/refuses").header("Authorization", "Bearer x").rest_v1().invoke(&app()).unwrap();
    assert_eq!(allowed.header("X-Steps"), Some("outer-in,inner-in,handler,inner-out,outer-out"));
}

#[test]
fn errors_and_panics_in_middleware_take_the_error_path_past_every_middleware() {
    let failed = get(&app(), "/fails");
    assert_eq!(failed.status(), 403);
    assert_eq!(failed.json::<serde_json::Value>()["message"], "middleware says no");
    assert_eq!(failed.header("X-Steps"), None, "no middleware sees a response on the way out");
    for path in ["/panics", "/handler-panics"] {
        let panicked = get(&app(), path);
        assert_eq!(panicked.status(), 500, "{path}");
        assert_eq!(panicked.json::<serde_json::Value>()["message"], "Internal Server Error", "{path}");
        assert_eq!(panicked.header("X-Steps"), None, "{path}");
    }
}

#[test]
fn a_catch_all_answers_every_error_and_panics_when_asked() {
    fn problem<'a>(error: &Error, req: &Request<'a>) -> Response<'a> {
        let kind = if error.is_panic() { "panic" } else { "error" };
        Response::text(599, req.format(format_args!("{kind}: {error}")))
    }
    let app = app().catch_all(problem);
    assert_eq!(get(&app, "/fails").text(), "error: 403 middleware says no");
    // Panics keep the 500 unless asked for.
    assert_eq!(get(&app, "/panics").status(), 500);
    let app = app.catch_panics(true);
    let panicked = get(&app, "/panics");
    assert_eq!((panicked.status(), panicked.text()), (599, "panic: middleware panicked".to_owned()));
    assert_eq!(get(&app, "/handler-panics").text(), "panic: handler panicked");
    // A handler registered for `Panic` takes panics whatever `catch_panics` says.
    let typed = self::app().error_handler::<Panic>(|panic, req| {
        Response::text(503, req.format(format_args!("typed: {}", panic.message())))
    });
    assert_eq!(get(&typed, "/panics").text(), "typed: middleware panicked");
}

#[test]
fn an_error_handler_that_panics_answers_500_and_the_next_invocation_is_unaffected() {
    fn broken<'a>(_: &ServiceError, _: &Request<'a>) -> Response<'a> {
        panic!("the error handler failed")
    }
    let app = app().error_handler::<ServiceError>(broken);
    let response = get(&app, "/fails");
    assert_eq!(response.status(), 500);
    assert_eq!(response.json::<serde_json::Value>()["message"], "Internal Server Error");
    assert_eq!(get(&app, "/inner").text(), "outer-in,inner-in,handler");
}

#[test]
fn the_context_starts_empty_for_every_invocation() {
    let app = app();
    let mut workspace = lambda_router::Workspace::new();
    let context = lambda_router::testing::fake_context();
    for _ in 0..3 {
        let event = TestRequest::get("/inner").rest_v1().to_bytes();
        let response = app.handle(&mut workspace, &event, &context).unwrap();
        let text = std::str::from_utf8(response).unwrap();
        assert!(text.contains(r#""body":"outer-in,inner-in,handler""#), "{text}");
    }
}

#[test]
fn missing_state_is_a_clear_error_and_present_state_is_read() {
    let missing = get(&app(), "/state");
    assert_eq!(missing.status(), 500);
    assert_eq!(missing.json::<serde_json::Value>()["message"], "the app has no greeting");
    let app = app().state(Greeting("hello")).state(Greeting("hello again"));
    assert_eq!(get(&app, "/state").text(), "hello again", "a second value of a type replaces the first");
}

#[test]
fn method_not_allowed_is_opt_in() {
    assert_eq!(get(&app(), "/only-post").status(), 404, "the reference's default");
    let response = get(&app().method_not_allowed(true), "/only-post");
    assert_eq!(response.status(), 405);
    assert_eq!(response.header("Allow"), Some("POST"));
    assert_eq!(response.header("X-Steps"), Some("outer-in,outer-out"), "405s pass through the middleware");
    assert_eq!(get(&app().method_not_allowed(true), "/nowhere").status(), 404);
}

#[test]
fn the_references_defaults() {
    // Cookies are `Secure` unless turned off.
    assert_eq!(get(&app(), "/cookie").cookies(), ["session=abc; HttpOnly; Secure"]);
    // A route's `cors(true)` without app CORS: the reference's default configuration.
    let cors = get(&app(), "/cors");
    assert_eq!(cors.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(get(&app(), "/plain").header("Access-Control-Allow-Origin"), None);
}

#[lambda_router::middleware]
async fn mounted<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    step(req, "mount-in");
    let response = next.run().await?;
    step(req, "mount-out");
    Ok(response)
}

#[test]
fn a_mounted_router_has_its_own_middleware_error_handlers_and_not_found() {
    use lambda_router::Mount;
    let users: &[Route] = &[
        Route::get("/", handler),
        Route::get("/<id>", handler).middleware(&[inner]),
        Route::get("/fails", handler).middleware(&[fails]),
    ];
    let router = lambda_router::RouterBuilder::new()
        .extend(ROUTES.iter().copied())
        .include("/users", lambda_router::RouterBuilder::new().extend(users.iter().copied()))
        .build()
        .unwrap();
    let app = App::with_router(router)
        .middleware(&[outer])
        .mount(
            Mount::new("/users")
                .middleware(&[mounted])
                .error_handler::<ServiceError>(|e, req| {
                    Response::text(e.status(), req.format(format_args!("users: {e}")))
                })
                .not_found(|_| Response::text(404, "no such user page")),
        )
        .error_handler::<ServiceError>(|_, _| Response::text(500, "the app's handler"));
    // The mount's middleware sit between the app's and the route's.
    let user = get(&app, "/users/7");
    assert_eq!(user.header("X-Steps"), Some("outer-in,mount-in,inner-in,handler,inner-out,mount-out,outer-out"));
    assert_eq!(get(&app, "/users").header("X-Steps"), Some("outer-in,mount-in,handler,mount-out,outer-out"));
    // Its error handlers come before the app's; routes outside it keep the app's.
    assert_eq!(get(&app, "/users/fails").text(), "users: 403 middleware says no");
    assert_eq!(get(&app, "/fails").text(), "the app's handler");
    // Its not-found handler answers under its prefix only (and through the app's middleware).
    let missing = get(&app, "/users/7/photos");
    assert_eq!((missing.status(), missing.text()), (404, "no such user page".to_owned()));
    assert_eq!(missing.header("X-Steps"), Some("outer-in,mount-in,mount-out,outer-out"));
    assert_eq!(get(&app, "/usersx").json::<serde_json::Value>()["message"], "Not found");
    assert_eq!(get(&app, "/plain").header("X-Steps"), Some("outer-in,handler,outer-out"));
}
