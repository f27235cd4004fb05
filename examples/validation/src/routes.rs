//! The routes of the SPEC, in its order, with their typed inputs; compiled at build time by the
//! crate's build script.

use lambda_router::openapi::OpenApi;
use lambda_router::validate::Input;
use lambda_router::{App, Error, Request, Response, Route, RouteDoc, handler};
use serde::Serialize;

use crate::models::{Order, TodoUpdate};

pub const ROUTES: &[Route] = &[
    Route::get("/health", health),
    Route::get("/todos/<todo_id>", get_todo),
    Route::get("/todos", list_todos),
    Route::put("/todos/<todo_id>", update_todo),
    Route::post("/orders", create_order).doc(&RouteDoc::new().returns::<Order>()),
    Route::get("/whoami", whoami),
    Route::get("/search", search),
];

lambda_router::include_router!("routes.rs");

/// The validation app: these routes, their OpenAPI document and its Swagger UI at `/swagger`.
pub fn app() -> App {
    App::new(&ROUTER).openapi(OpenApi::new("Orders API", "1.0.0"))
}

fn health<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    #[derive(Serialize)]
    struct Health {
        ok: bool,
    }
    req.json_response(&Health { ok: true })
}

#[derive(Input)]
struct TodoId {
    #[param]
    todo_id: i64,
}

#[derive(Serialize)]
struct Id {
    id: i64,
}

#[handler]
fn get_todo<'a>(req: &Request<'a>, input: TodoId) -> Result<Response<'a>, Error> {
    req.json_response(&Id { id: input.todo_id })
}

#[derive(Input, Serialize)]
struct ListTodos<'a> {
    #[query]
    completed: Option<bool>,
    #[query(ge = 1, le = 100, default = 10)]
    limit: i64,
    #[query(max_length = 20)]
    q: Option<&'a str>,
}

#[handler]
fn list_todos<'a>(req: &Request<'a>, input: ListTodos<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&input)
}

#[derive(Input)]
struct UpdateTodo<'a> {
    #[param]
    todo_id: i64,
    #[body]
    update: TodoUpdate<'a>,
}

#[handler]
fn update_todo<'a>(req: &Request<'a>, input: UpdateTodo<'a>) -> Result<Response<'a>, Error> {
    #[derive(Serialize)]
    struct Updated<'u> {
        id: i64,
        title: &'u str,
        completed: bool,
    }
    req.json_response(&Updated { id: input.todo_id, title: input.update.title, completed: input.update.completed })
}

#[derive(Input)]
struct CreateOrder<'a> {
    #[body]
    order: Order<'a>,
}

#[handler]
fn create_order<'a>(req: &Request<'a>, input: CreateOrder<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&input.order)
}

#[derive(Input)]
struct WhoAmI<'a> {
    #[header]
    x_api_key: &'a str,
    #[header(ge = 0, default = 0)]
    x_retries: i64,
}

#[handler]
fn whoami<'a>(req: &Request<'a>, input: WhoAmI<'a>) -> Result<Response<'a>, Error> {
    #[derive(Serialize)]
    struct Caller<'c> {
        key: &'c str,
        retries: i64,
    }
    req.json_response(&Caller { key: input.x_api_key, retries: input.x_retries })
}

#[derive(Input)]
struct Search<'a> {
    #[query(default)]
    tag: &'a [&'a str],
    #[query(gt = 0, default = 1.0)]
    page: f64,
}

#[handler]
fn search<'a>(req: &Request<'a>, input: Search<'a>) -> Result<Response<'a>, Error> {
    #[derive(Serialize)]
    struct Found<'f> {
        tags: &'f [&'f str],
        page: f64,
    }
    req.json_response(&Found { tags: input.tag, page: input.page })
}
