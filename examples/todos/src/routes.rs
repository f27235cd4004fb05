//! The routes, their handlers, the app's error handler and CORS.

use lambda_router::{App, Cors, Error, Request, Response, Route};
use serde::{Deserialize, Serialize};

use crate::auth::{Caller, auth};
use crate::store::Store;

pub const ROUTES: &[Route] = &[
    Route::get("/health", health),
    Route::get("/todos", list).middleware(&[auth]),
    Route::post("/todos", create).middleware(&[auth]),
    Route::get("/todos/<id>", show).middleware(&[auth]),
    Route::patch("/todos/<id>", update).middleware(&[auth]),
    Route::delete("/todos/<id>", remove).middleware(&[auth]),
];

lambda_router::include_router!("routes.rs");

/// The app over `store`: CORS for the web front end, and the API's errors as JSON.
pub fn app(store: Store) -> App {
    App::new(&ROUTER)
        .state(store)
        .cors(Cors::new("https://todos.example.com").allow_header("X-Caller").max_age(600))
        .error_handler::<TodoError>(|error, req| {
        let status = match error {
            TodoError::NotFound(_) => 404,
            TodoError::BadId(_) | TodoError::EmptyTitle => 400,
        };
        let body = req.to_json(&Problem { message: &error.to_string() }).unwrap_or(r#"{"message":"error"}"#);
        Response::json_text(status, body)
    })
}

/// What the API refuses, with a message for the caller.
#[derive(Debug)]
pub enum TodoError {
    /// No item of the caller has this id.
    NotFound(u64),
    /// The id in the path is no number.
    BadId(String),
    /// A title must say something.
    EmptyTitle,
}

impl std::fmt::Display for TodoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TodoError::NotFound(id) => write!(f, "no to-do {id}"),
            TodoError::BadId(id) => write!(f, "`{id}` is not a to-do id"),
            TodoError::EmptyTitle => f.write_str("the title is empty"),
        }
    }
}

impl std::error::Error for TodoError {}

#[derive(Serialize)]
struct Problem<'m> {
    message: &'m str,
}

fn store<'a>(req: &Request<'a>) -> &'a Store {
    req.state().expect("the app shares its store")
}

fn caller<'a>(req: &Request<'a>) -> &'a str {
    req.context().get::<Caller>().copied().unwrap_or("anonymous")
}

fn id(req: &Request<'_>) -> Result<u64, TodoError> {
    let raw = req.param("id").unwrap_or_default();
    raw.parse().map_err(|_| TodoError::BadId(raw.to_owned()))
}

fn health<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::json_text(200, r#"{"status":"ok"}"#))
}

async fn list<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let items = store(req).list(caller(req)).await;
    req.json_response(&items)
}

#[derive(Deserialize)]
struct NewTodo<'t> {
    title: &'t str,
}

async fn create<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let new: NewTodo<'a> = req.json()?;
    if new.title.trim().is_empty() {
        return Err(TodoError::EmptyTitle.into());
    }
    let todo = store(req).create(caller(req), new.title.trim()).await;
    let location = req.format(format_args!("/todos/{}", todo.id));
    Ok(req.json_response(&todo)?.with_status(201).header("Location", location))
}

async fn show<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let id = id(req)?;
    let todo = store(req).get(caller(req), id).await.ok_or(TodoError::NotFound(id))?;
    req.json_response(&todo)
}

#[derive(Deserialize)]
struct Change {
    done: bool,
}

async fn update<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let id = id(req)?;
    let change: Change = req.json()?;
    let todo = store(req).set_done(caller(req), id, change.done).await.ok_or(TodoError::NotFound(id))?;
    req.json_response(&todo)
}

async fn remove<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let id = id(req)?;
    if !store(req).delete(caller(req), id).await {
        return Err(TodoError::NotFound(id).into());
    }
    Ok(Response::new(204))
}
