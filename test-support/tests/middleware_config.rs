//! Middleware with configuration: one middleware written once, configured at start-up, used
//! app-wide and per route (a different configuration per route through a type parameter). The
//! onion, the short-circuit and the zero allocations hold; a configuration the app was not
//! given is a 500, not a panic.

use std::sync::atomic::{AtomicUsize, Ordering};

use lambda_router::testing::TestRequest;
use lambda_router::{App, Error, LambdaContext, Next, Request, Response, Route, Router, Workspace, middleware};
use test_support::alloc::{Counting, allocations_during, is_counting};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What an auth middleware trusts: built at start-up (from the environment, say).
trait Trusts: Send + Sync + 'static {
    fn issuer(&self) -> &str;
}

struct Admins(String);
struct Partners(String);

impl Trusts for Admins {
    fn issuer(&self) -> &str {
        &self.0
    }
}

impl Trusts for Partners {
    fn issuer(&self) -> &str {
        &self.0
    }
}

/// One auth middleware, written once: 401 itself unless `X-Issuer` is the configured issuer.
#[middleware]
async fn auth<'r, 'a, C: Trusts>(
    req: &'r Request<'a>,
    next: Next<'r, 'a>,
    trusts: &'r C,
) -> Result<Response<'a>, Error> {
    if req.header("x-issuer") != Some(trusts.issuer()) {
        return Ok(Response::text(401, "untrusted issuer"));
    }
    let response = next.run().await?;
    Ok(response.header("x-trail", req.format(format_args!("auth<{}>", trusts.issuer()))))
}

/// The app-wide stamp, configured with the function's name.
struct Stamp(&'static str);

#[middleware]
async fn stamp<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>, stamp: &'r Stamp) -> Result<Response<'a>, Error> {
    let response = next.run().await?;
    let _ = req;
    Ok(response.header("x-trail", stamp.0))
}

static HANDLED: AtomicUsize = AtomicUsize::new(0);

fn hello<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    HANDLED.fetch_add(1, Ordering::SeqCst);
    Ok(Response::text(200, "hello"))
}

const ROUTES: &[Route] = &[
    Route::get("/admin", hello).middleware(&[auth::<Admins>]),
    Route::get("/partner", hello).middleware(&[auth::<Partners>]),
    // Both: the onion runs the first outermost.
    Route::get("/both", hello).middleware(&[auth::<Admins>, auth::<Partners>]),
    Route::get("/open", hello),
];

fn app() -> App {
    App::with_router(Router::builder().extend(ROUTES.iter().copied()).build().expect("a valid table"))
        .middleware(&[stamp])
        .state(Stamp("orders-fn"))
        .state(Admins("admin".to_owned()))
        .state(Partners("partner".to_owned()))
}

/// Status, body and `X-Trail` (HTTP API v2 joins a repeated response header with commas).
fn get(app: &App, path: &str, issuer: Option<&str>) -> (u16, String, String) {
    let mut request = TestRequest::get(path);
    if let Some(issuer) = issuer {
        request = request.header("x-issuer", issuer);
    }
    let response = request.http_v2().invoke(app).expect("a supported event");
    let trail = response.headers("x-trail").collect::<Vec<_>>().join(", ");
    (response.status(), response.text(), trail)
}

// One test: `HANDLED` is shared by the binary's threads.
#[test]
fn configured_per_route_and_app_wide_in_onion_order_short_circuiting_without_allocating() {
    let app = app();
    let trail = |items: &[&str]| items.join(", ");
    // Each route's own configuration, the app-wide one outside it: responses travel back out.
    assert_eq!(get(&app, "/admin", Some("admin")), (200, "hello".into(), trail(&["auth<admin>", "orders-fn"])));
    assert_eq!(get(&app, "/partner", Some("partner")), (200, "hello".into(), trail(&["auth<partner>", "orders-fn"])));
    assert_eq!(get(&app, "/open", None), (200, "hello".into(), trail(&["orders-fn"])));

    // The short-circuit: the handler does not run, the outer middleware still sees the answer.
    let handled = HANDLED.load(Ordering::SeqCst);
    assert_eq!(get(&app, "/admin", Some("partner")), (401, "untrusted issuer".into(), trail(&["orders-fn"])));
    assert_eq!(get(&app, "/partner", None), (401, "untrusted issuer".into(), trail(&["orders-fn"])));
    // `/both` needs both issuers, which one header cannot be: the inner one (Partners) answers,
    // and the outer ones see its answer on the way out.
    assert_eq!(
        get(&app, "/both", Some("admin")),
        (401, "untrusted issuer".into(), trail(&["auth<admin>", "orders-fn"]))
    );
    assert_eq!(HANDLED.load(Ordering::SeqCst), handled, "no handler ran");

    // A configuration the app was not given: 500, logged with what is missing.
    let without = App::with_router(Router::builder().extend(ROUTES.iter().copied()).build().expect("a valid table"))
        .state(Admins("admin".to_owned()));
    assert_eq!(get(&without, "/partner", Some("partner")).0, 500);
    assert_eq!(get(&without, "/admin", Some("admin")).0, 200);
    assert_eq!(get(&without, "/open", None).0, 200, "no app-wide middleware here");

    // Nothing allocates once warm: configured middleware, their short-circuits included.
    assert!(is_counting(), "the counting allocator is installed");
    let events: Vec<Vec<u8>> = [("/admin", "admin"), ("/partner", "partner"), ("/admin", "nobody"), ("/open", "")]
        .iter()
        .map(|(path, issuer)| TestRequest::get(path).header("x-issuer", issuer).http_v2().to_bytes())
        .collect();
    let mut workspace = Workspace::new();
    for event in events.iter().chain(&events) {
        app.handle(&mut workspace, event, &LambdaContext::LOCAL).expect("answered");
    }
    for event in &events {
        let (allocations, ()) = allocations_during(|| {
            app.handle(&mut workspace, event, &LambdaContext::LOCAL).expect("answered");
        });
        assert_eq!(allocations, 0, "{}", String::from_utf8_lossy(event));
    }
}
