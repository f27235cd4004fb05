//! The SPEC's middleware: each an `async fn` of the request and the rest of the chain, marked
//! `#[middleware]`.

use lambda_router::{ContextKey, Error, Next, Request, Response, TEXT_PLAIN, middleware};

use crate::routes::BadValue;

/// The invocation's trail of middleware names, in the context.
pub struct Trail;

impl ContextKey for Trail {
    type Value<'a> = &'a [&'a str];
}

/// The `X-Tenant` header, in the context (`None` when absent).
pub struct Tenant;

impl ContextKey for Tenant {
    type Value<'a> = Option<&'a str>;
}

/// The trail so far.
pub fn trail<'a>(req: &Request<'a>) -> &'a [&'a str] {
    req.context().get::<Trail>().copied().unwrap_or(&[])
}

/// Appends `step` to the trail (a new slice in the arena: no heap allocation).
pub fn step<'a>(req: &Request<'a>, step: &'a str) {
    let old = trail(req);
    let new = req.arena().alloc_slice_fill_with(old.len() + 1, |i| old.get(i).copied().unwrap_or(step));
    req.context().insert::<Trail>(new);
}

/// Global, outermost: starts the trail; on the way out writes it to `X-Trail`.
#[middleware]
pub async fn trace<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    req.context().insert::<Trail>(&["trace"]);
    let response = next.run().await?;
    Ok(response.header("X-Trail", req.format(format_args!("{},trace-out", Joined(trail(req))))))
}

/// A trail written with `,` between its steps.
struct Joined<'t>(&'t [&'t str]);

impl std::fmt::Display for Joined<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (index, name) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            f.write_str(name)?;
        }
        Ok(())
    }
}

/// Global, second: reads `X-Tenant` into the context.
#[middleware]
pub async fn tenant<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    req.context().insert::<Tenant>(req.header("X-Tenant"));
    step(req, "tenant");
    next.run().await
}

/// Route: answers 401 itself unless the bearer token is right.
#[middleware]
pub async fn auth<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    if req.header("Authorization") != Some("Bearer good") {
        return Ok(Response::json_text(401, r#"{"message": "no token"}"#));
    }
    step(req, "auth");
    next.run().await
}

#[middleware]
pub async fn first<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    step(req, "first-in");
    let response = next.run().await?;
    step(req, "first-out");
    Ok(response)
}

#[middleware]
pub async fn second<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    step(req, "second-in");
    let response = next.run().await?;
    step(req, "second-out");
    Ok(response)
}

/// Route: fails with the app's "bad value" error.
#[middleware]
pub async fn bad<'r, 'a>(_: &'r Request<'a>, _: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    Err(BadValue.into())
}

/// Route: refuses bodies over 16 characters before the handler runs.
#[middleware]
pub async fn small_body<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    if req.raw_body().unwrap_or("").chars().count() > 16 {
        return Ok(Response::text(413, "Too large").with_content_type(TEXT_PLAIN));
    }
    next.run().await
}
