//! The `ClaimsActions` operations: the routes of the SPEC, each described for the agent.

use lambda_router::validate::{Input, Model};
use lambda_router::{Error, Request, Response, Route, RouteDoc, ServiceError, handler};

pub const ROUTES: &[Route] = &[
    Route::get("/claims", list_claims).doc(&RouteDoc::new().description("Lists the caller's claims, newest first")),
    Route::get("/claims/<claim_id>", get_claim).doc(&RouteDoc::new().description("One claim by its id")),
    Route::post("/claims", file_claim)
        .doc(&RouteDoc::new().description("Files a new claim and remembers it in the session").schemaless()),
    Route::get("/ping", ping).doc(&RouteDoc::new().description("Health of the claims service").hidden()),
];

lambda_router::include_router!("routes.rs");

#[derive(Model, Clone, Copy)]
pub struct Claim<'a> {
    pub id: &'a str,
    pub status: &'a str,
    pub amount: f64,
}

#[derive(Model)]
pub struct NewClaim<'a> {
    #[field(min_length = 3, max_length = 12, description = "the policy number")]
    pub policy: &'a str,
    #[field(gt = 0, le = 10000, description = "claimed amount in EUR")]
    pub amount: f64,
    #[field(max_length = 40)]
    pub reason: Option<&'a str>,
}

/// The claims the app knows.
const CLAIMS: [Claim<'static>; 2] =
    [Claim { id: "c-1", status: "open", amount: 120.5 }, Claim { id: "c-2", status: "paid", amount: 80.0 }];

#[derive(Input)]
struct ListClaims<'a> {
    #[query(ge = 1, le = 10, default = 3, description = "how many claims")]
    limit: i64,
    #[query(description = "only claims in this status")]
    status: Option<&'a str>,
}

/// 1. The claims in a status (all when absent), at most `limit`.
#[handler]
fn list_claims<'a>(req: &Request<'a>, input: ListClaims<'a>) -> Result<&'a [Claim<'a>], Error> {
    let mut found = [CLAIMS[0]; 2];
    let mut count = 0;
    for claim in CLAIMS.iter().filter(|claim| input.status.is_none_or(|status| claim.status == status)) {
        found[count] = *claim;
        count += 1;
    }
    Ok(req.arena().alloc_slice_copy(&found[..count.min(input.limit as usize)]))
}

#[derive(Input)]
struct ClaimId<'a> {
    #[param(description = "the claim id")]
    claim_id: &'a str,
}

/// 2. One claim, or 404.
#[handler]
fn get_claim<'a>(_: &Request<'a>, input: ClaimId<'a>) -> Result<Claim<'a>, Error> {
    match CLAIMS.iter().find(|claim| claim.id == input.claim_id) {
        Some(claim) => Ok(*claim),
        None => Err(ServiceError::not_found_message(format!("no claim {}", input.claim_id)).into()),
    }
}

#[derive(Input)]
struct FileClaim<'a> {
    #[body]
    claim: NewClaim<'a>,
}

#[derive(serde::Serialize)]
struct Filed<'a> {
    id: &'a str,
    policy: &'a str,
    amount: f64,
    reason: Option<&'a str>,
}

/// 3. A new claim: 201, and what the agent keeps for the session.
#[handler]
fn file_claim<'a>(req: &Request<'a>, input: FileClaim<'a>) -> Result<Response<'a>, Error> {
    let NewClaim { policy, amount, reason } = input.claim;
    let response = req.json_response(&Filed { id: "c-3", policy, amount, reason })?;
    Ok(response
        .with_status(201)
        .session_attributes(&[("last_claim", "c-3")])
        .prompt_session_attributes(req.arena().alloc_slice_copy(&[("policy", policy)])))
}

/// 4. Health, hidden from the agent's document.
fn ping<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(200, "pong"))
}
