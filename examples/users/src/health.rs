//! The health routes, mounted at the root.

use lambda_router::{Error, Request, Response, Route};

pub const ROUTES: &[Route] = &[Route::get("/status", status)];

fn status<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&serde_json::json!({"status": "ok"}))
}
