//! The users routes, written as if at the root: the build mounts them under `/users` (the
//! reference's `include_router(users.router, prefix="/users")`).

use lambda_router::{Error, Request, Response, Route, ServiceError};
use serde::{Deserialize, Serialize};

pub const ROUTES: &[Route] =
    &[Route::get("/", list_users), Route::get("/<user_id>", get_user), Route::post("/", create_user)];

#[derive(Serialize)]
struct User<'u> {
    id: &'u str,
    name: &'u str,
}

static USERS: [User<'static>; 2] = [User { id: "1", name: "Ada" }, User { id: "2", name: "Grace" }];

fn list_users<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&USERS)
}

fn get_user<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let id = req.param("user_id").unwrap_or_default();
    match USERS.iter().find(|user| user.id == id) {
        Some(user) => req.json_response(user),
        None => Err(ServiceError::not_found_message("No such user").into()),
    }
}

fn create_user<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    #[derive(Deserialize)]
    struct NewUser<'n> {
        name: &'n str,
    }
    let new: NewUser<'a> = req.json()?;
    Ok(req.json_response(&User { id: "3", name: new.name })?.with_status(201))
}
