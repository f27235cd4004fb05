//! The auth middleware: a bearer token, compared with the configured one, and the caller's
//! name (`X-Caller`, `anonymous` without one) put in the context for the handlers.

use lambda_router::{ContextKey, Error, Next, Request, Response, middleware};

use crate::store::Store;

/// Who is calling, in the invocation's context.
pub struct Caller;

impl ContextKey for Caller {
    type Value<'a> = &'a str;
}

/// A bearer token, compared with the one of the store the app was configured with at start-up.
#[middleware]
pub async fn auth<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>, store: &'r Store) -> Result<Response<'a>, Error> {
    let token = req.header("Authorization").and_then(|value| value.strip_prefix("Bearer "));
    if !token.is_some_and(|token| constant_time_eq(token.as_bytes(), store.token.as_bytes())) {
        return Ok(Response::json_text(401, r#"{"message":"a valid bearer token is required"}"#)
            .header("WWW-Authenticate", "Bearer"));
    }
    req.context().insert::<Caller>(req.header("X-Caller").unwrap_or("anonymous"));
    next.run().await
}

/// Compares without stopping at the first difference: how long it takes says nothing of
/// how much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}
