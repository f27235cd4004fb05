//! The `todos` example as its users call it, through events of every source: auth, the
//! handlers and their state, the error handler, CORS; and bad input answered cleanly with the
//! next invocation unaffected.

use lambda_router::App;
use lambda_router::testing::{TestRequest, TestResponse};
use serde_json::{Value, json};

fn app() -> App {
    todos::app(todos::Store::with_token("secret"))
}

fn authed(request: TestRequest) -> TestRequest {
    request.header("Authorization", "Bearer secret").header("X-Caller", "ada")
}

fn call(app: &App, request: TestRequest) -> TestResponse {
    request.http_v2().invoke(app).expect("an event")
}

#[test]
fn the_crud_cycle_of_one_caller() {
    let app = app();
    let created = call(&app, authed(TestRequest::post("/todos").json_body(&json!({"title": "  write docs "}))));
    assert_eq!(created.status(), 201);
    assert_eq!(created.header("Location"), Some("/todos/1"));
    assert_eq!(created.json::<Value>(), json!({"id": 1, "owner": "ada", "title": "write docs", "done": false}));
    call(&app, authed(TestRequest::post("/todos").json_body(&json!({"title": "ship"}))));
    let listed = call(&app, authed(TestRequest::get("/todos")));
    assert_eq!(listed.json::<Value>().as_array().map(Vec::len), Some(2));
    let done = call(&app, authed(TestRequest::patch("/todos/1").json_body(&json!({"done": true}))));
    assert_eq!(done.json::<Value>()["done"], true);
    assert_eq!(call(&app, authed(TestRequest::get("/todos/1"))).json::<Value>()["done"], true);
    assert_eq!(call(&app, authed(TestRequest::delete("/todos/1"))).status(), 204);
    assert_eq!(call(&app, authed(TestRequest::get("/todos/1"))).status(), 404);
    // Another caller sees none of ada's items.
    let other = TestRequest::get("/todos").header("Authorization", "Bearer secret").header("X-Caller", "grace");
    assert_eq!(call(&app, other).json::<Value>(), json!([]));
}

#[test]
fn the_same_api_behind_every_source() {
    let app = app();
    let request = || authed(TestRequest::post("/todos").json_body(&json!({"title": "x"})));
    for response in [
        request().rest_v1().invoke(&app).unwrap(),
        request().http_v2().invoke(&app).unwrap(),
        request().alb().invoke(&app).unwrap(),
        request().function_url().invoke(&app).unwrap(),
    ] {
        assert_eq!(response.status(), 201);
        assert_eq!(response.json::<Value>()["title"], "x");
    }
}

#[test]
fn auth_is_required_and_answers_401() {
    let app = app();
    for request in [
        TestRequest::get("/todos"),
        TestRequest::get("/todos").header("Authorization", "Bearer wrong"),
        TestRequest::get("/todos").header("Authorization", "secret"),
    ] {
        let response = call(&app, request);
        assert_eq!(response.status(), 401);
        assert_eq!(response.header("WWW-Authenticate"), Some("Bearer"));
    }
    assert_eq!(call(&app, TestRequest::get("/health")).status(), 200, "health needs no token");
}

#[test]
fn errors_are_json_with_the_right_status() {
    let app = app();
    let cases = [
        (authed(TestRequest::get("/todos/99")), 404, json!({"message": "no to-do 99"})),
        (authed(TestRequest::get("/todos/abc")), 400, json!({"message": "`abc` is not a to-do id"})),
        (
            authed(TestRequest::post("/todos").json_body(&json!({"title": " "}))),
            400,
            json!({"message": "the title is empty"}),
        ),
    ];
    for (request, status, body) in cases {
        let response = call(&app, request);
        assert_eq!((response.status(), response.json::<Value>()), (status, body));
    }
    // A body that is no JSON, or of the wrong shape: 400, and the next invocation is unaffected.
    for body in ["{", "[]", "{\"title\": 5}"] {
        let response = call(&app, authed(TestRequest::post("/todos").body(body)));
        assert_eq!(response.status(), 400, "{body}");
    }
    let created = call(&app, authed(TestRequest::post("/todos").json_body(&json!({"title": "after"}))));
    assert_eq!(created.status(), 201);
}

#[test]
fn cors_for_the_front_end() {
    let app = app();
    let preflight = call(&app, TestRequest::options("/todos").header("Origin", "https://todos.example.com"));
    assert_eq!(preflight.status(), 204);
    assert_eq!(preflight.header("Access-Control-Allow-Origin"), Some("https://todos.example.com"));
    assert!(preflight.header("Access-Control-Allow-Headers").is_some_and(|h| h.contains("X-Caller")));
    let listed = call(&app, authed(TestRequest::get("/todos")).header("Origin", "https://todos.example.com"));
    assert_eq!(listed.header("Access-Control-Allow-Origin"), Some("https://todos.example.com"));
    let elsewhere = call(&app, authed(TestRequest::get("/todos")).header("Origin", "https://evil.example"));
    assert_eq!(elsewhere.header("Access-Control-Allow-Origin"), None);
}
