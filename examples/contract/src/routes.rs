//! The routes of the SPEC, in its order, with their typed inputs; the app's error handler for
//! invalid requests and its OpenAPI document.

use lambda_router::openapi::{Contact, License, OpenApi, ResponseDoc, SecurityScheme, Server, Tag};
use lambda_router::validate::{Date, Input, Model, RequestValidationError, UploadFile, Uuid};
use lambda_router::{App, Error, Request, Response, Route, RouteDoc, ServiceError, handler};
use serde::Serialize;

use crate::dependencies::{Region, Tenant};
use crate::models::{Conflict, Created, Event, Item, Level, User};

pub const ROUTES: &[Route] = &[
    Route::get("/me", me).doc(&RouteDoc::new().tags(&["session"])),
    Route::post("/signup", signup).doc(&RouteDoc::new().tags(&["forms"])),
    Route::post("/upload", upload).doc(&RouteDoc::new().tags(&["forms"])),
    Route::get("/orders", orders).doc(&RouteDoc::new().tags(&["orders"])),
    Route::get("/reports/<report_id>", report).doc(&RouteDoc::new().tags(&["reports"])),
    Route::post("/events", post_event).doc(&RouteDoc::new().tags(&["events"])),
    Route::get("/users/<user_id>", get_user).returns::<User>().doc(&RouteDoc::new().tags(&["users"])),
    Route::get("/users/<user_id>/card", user_card)
        .returns::<User>()
        .response_validation_status(502)
        .doc(&RouteDoc::new().tags(&["users"])),
    Route::post("/items", create_item).status(201).doc(&CREATE_ITEM),
    Route::get("/v2/items/<item_id>", v2_item).doc(&RouteDoc::new().tags(&["items"]).security(&[&[("bearer", &[])]])),
];

lambda_router::include_router!("routes.rs");

/// Route 9's document: its metadata, security, an extension and its listed responses.
const CREATE_ITEM: RouteDoc = RouteDoc::new()
    .tags(&["items"])
    .summary("Create an item")
    .description("Creates an item; 409 when the name is taken.")
    .operation_id("createItem")
    .security(&[&[("apiKey", &[])]])
    .extensions(&[("x-rate-limit", "10")])
    .responses(&[
        ResponseDoc::new(201, "Created").model::<Created>(),
        ResponseDoc::new(409, "Name taken").model::<Conflict>(),
    ]);

/// The contract app: these routes, answers that do not validate against their model answered
/// 500 (route 8: 502), invalid requests under `/v2/` reshaped into `application/problem+json`,
/// and the document at `/swagger`.
pub fn app() -> App {
    App::new(&ROUTER).response_validation_status(500).error_handler(problem).openapi(openapi())
}

/// The app's document: its metadata, servers, tags, security schemes and extensions.
pub fn openapi() -> OpenApi {
    OpenApi::new("Contract API", "2.1.0")
        .summary("Every contract feature")
        .description("The contract conformance app.")
        .server(Server::new("https://api.example.com/prod").description("production"))
        .tag(Tag::new("users").description("People"))
        .tag(Tag::new("items"))
        .contact(Contact::new().name("API team").email("api@example.com"))
        .license(License::new("MIT").identifier("MIT"))
        .security_scheme("apiKey", SecurityScheme::api_key_header("X-Api-Key"))
        .security_scheme("bearer", SecurityScheme::bearer(Some("JWT")))
        .security(&[("apiKey", &[])])
        .extension("x-owner", r#""platform""#)
}

/// One problem of an invalid request, as the problem+json body lists the first.
#[derive(Serialize)]
struct ProblemDetail<'a> {
    loc: &'a [lambda_router::validate::LocPart<'a>],
    #[serde(rename = "type")]
    kind: &'static str,
}

/// Invalid requests under `/v2/`: 400, `application/problem+json`, the count and the first
/// error; elsewhere the reference's 422, rebuilt.
fn problem<'a>(error: &RequestValidationError, req: &Request<'a>) -> Response<'a> {
    #[derive(Serialize)]
    struct Problem<'p> {
        title: &'static str,
        errors: usize,
        first: Option<ProblemDetail<'p>>,
    }
    #[derive(Serialize)]
    struct Detail<'p> {
        #[serde(rename = "statusCode")]
        status_code: u16,
        detail: &'p [ProblemDetail<'p>],
    }
    let errors = error.errors(req);
    let detail = |problem: &lambda_router::validate::Problem<'a>| ProblemDetail {
        loc: problem.loc,
        kind: problem.kind.as_str(),
    };
    if req.path().starts_with("/v2/") {
        let body = Problem { title: "invalid request", errors: errors.len(), first: errors.first().map(detail) };
        return match req.to_json(&body) {
            Ok(json) => Response::json_text(400, json).with_content_type("application/problem+json"),
            Err(_) => Response::text(500, "Internal Server Error"),
        };
    }
    let all = req.arena().alloc_slice_fill_with(errors.len(), |index| detail(&errors[index]));
    match req.to_json(&Detail { status_code: 422, detail: all }) {
        Ok(json) => Response::json_text(422, json),
        Err(_) => Response::text(500, "Internal Server Error"),
    }
}

#[derive(Input)]
struct Me<'a> {
    #[cookie(min_length = 8)]
    session: &'a str,
    #[cookie(default = Theme::Light)]
    theme: Theme,
}

// The two themes (a `Literal["light", "dark"]`).
#[derive(Model, Clone, Copy)]
#[model(literal)]
enum Theme {
    Light,
    Dark,
}

#[derive(Serialize)]
struct Session<'a> {
    session: &'a str,
    theme: Theme,
}

/// 1. Cookies.
#[handler]
fn me<'a>(req: &Request<'a>, input: Me<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&Session { session: input.session, theme: input.theme })
}

#[derive(Input, Serialize)]
struct Signup<'a> {
    #[form(pattern = r"^[^@\s]+@[^@\s]+$")]
    email: &'a str,
    #[form(ge = 13)]
    age: i64,
    #[form(default = false)]
    newsletter: bool,
}

/// 2. A form.
#[handler]
fn signup<'a>(req: &Request<'a>, input: Signup<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&input)
}

#[derive(Input)]
struct Upload<'a> {
    #[file(description = "the file")]
    file: UploadFile<'a>,
    #[form(max_length = 10, default = "")]
    note: &'a str,
}

#[derive(Serialize)]
struct Uploaded<'a> {
    size: usize,
    head: &'a str,
    note: &'a str,
}

/// 3. A file upload: its size, and its first 8 bytes as Latin-1 text.
#[handler]
fn upload<'a>(req: &Request<'a>, input: Upload<'a>) -> Result<Response<'a>, Error> {
    let bytes = input.file.bytes();
    let head: &str = {
        let start = &bytes[..bytes.len().min(8)];
        let mut text = [0u8; 16];
        let mut len = 0;
        for &byte in start {
            len += char::from(byte).encode_utf8(&mut text[len..]).len();
        }
        req.arena().alloc_str(std::str::from_utf8(&text[..len]).unwrap_or(""))
    };
    req.json_response(&Uploaded { size: bytes.len(), head, note: input.note })
}

#[derive(Input, Serialize)]
struct Orders<'a> {
    #[depends(Tenant)]
    tenant: &'a str,
    #[depends(Region)]
    region: &'static str,
    #[query(ge = 1, le = 50, default = 10)]
    limit: i64,
}

/// 4. Dependencies, nested, the tenant resolved once.
#[handler]
fn orders<'a>(req: &Request<'a>, input: Orders<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&input)
}

// The report formats (a Python `Enum`; no doc comment: it would be its description).
#[derive(Model, Clone, Copy)]
enum Format {
    Json,
    Csv,
}

#[derive(Input)]
struct Report<'a> {
    #[param]
    report_id: Uuid,
    #[query]
    since: Date,
    #[query(default = Format::Json)]
    fmt: Format,
    #[query(default = Level::One)]
    level: Level,
    #[query(default)]
    ids: &'a [i64],
}

#[derive(Serialize)]
struct ReportOut<'a> {
    id: Uuid,
    since: Date,
    fmt: Format,
    level: Level,
    ids: &'a [i64],
}

/// 5. Richer types in the path and the query.
#[handler]
fn report<'a>(req: &Request<'a>, input: Report<'a>) -> Result<Response<'a>, Error> {
    let Report { report_id, since, fmt, level, ids } = input;
    req.json_response(&ReportOut { id: report_id, since, fmt, level, ids })
}

#[derive(Input)]
struct PostEvent<'a> {
    #[body]
    event: Event<'a>,
}

/// 6. Richer types in a body: the event, echoed (its model is the route's response model).
#[handler]
fn post_event<'a>(_: &Request<'a>, input: PostEvent<'a>) -> Result<Event<'a>, Error> {
    Ok(input.event)
}

#[derive(Input)]
struct UserId {
    #[param]
    user_id: i64,
}

/// 7. A user: valid, except 13 (an empty name, no email) and 14 (a wrong type), which the
/// response's validation answers with 500.
#[handler]
fn get_user<'a>(req: &Request<'a>, input: UserId) -> Result<Response<'a>, Error> {
    let json = match input.user_id {
        13 => r#"{"id":13,"name":""}"#,
        14 => r#"{"id":"fourteen","name":"x","email":"x@example.com"}"#,
        id => req.format(format_args!(r#"{{"id":{id},"name":"ann","email":"ann@example.com"}}"#)),
    };
    Ok(Response::json_text(200, json))
}

/// 8. A user card, never valid (no email): 502, the route's own response-validation status.
#[handler]
fn user_card<'a>(req: &Request<'a>, input: UserId) -> Result<Response<'a>, Error> {
    Ok(Response::json_text(200, req.format(format_args!(r#"{{"id":{},"name":"card"}}"#, input.user_id))))
}

#[derive(Input)]
struct CreateItem<'a> {
    #[body]
    item: Item<'a>,
}

/// 9. 201 from the route's status; the name `taken` is a 409.
#[handler]
fn create_item<'a>(_: &Request<'a>, input: CreateItem<'a>) -> Result<Created<'a>, Error> {
    if input.item.name == "taken" {
        return Err(ServiceError::conflict("name taken").into());
    }
    Ok(Created { id: 1, name: input.item.name })
}

#[derive(Input, Serialize)]
struct V2Item {
    #[param]
    #[serde(rename = "id")]
    item_id: i64,
    #[query(default = false)]
    verbose: bool,
}

/// 10. Under `/v2/`, whose invalid requests the app's error handler reshapes.
#[handler]
fn v2_item<'a>(req: &Request<'a>, input: V2Item) -> Result<Response<'a>, Error> {
    req.json_response(&input)
}
