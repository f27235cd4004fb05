//! The `Tools` function action group: each function, its description and its typed parameters.

use lambda_router::agent::{ResponseState, Tool};
use lambda_router::validate::Input;
use lambda_router::{Error, Request, Response, ServiceError, handler};
use serde::Serialize;

pub const TOOLS: &[Tool] = &[
    Tool::new("get_weather", get_weather).description("Weather for a city"),
    Tool::new("book", book).description("Books a table"),
    Tool::new("fail", fail).description("Always fails"),
];

#[derive(Input)]
struct WeatherIn<'a> {
    #[query]
    city: &'a str,
    #[query(default = 1)]
    days: i64,
}

#[derive(Serialize)]
struct Weather<'a> {
    city: &'a str,
    days: i64,
    forecast: &'a [&'a str],
}

/// The forecast for `days` days (at most three).
#[handler]
fn get_weather<'a>(req: &Request<'a>, input: WeatherIn<'a>) -> Result<Response<'a>, Error> {
    const SUN: [&str; 3] = ["sun"; 3];
    let days = input.days.clamp(0, 3) as usize;
    req.json_response(&Weather { city: input.city, days: input.days, forecast: &SUN[..days] })
}

#[derive(Input, Serialize)]
struct Booking<'a> {
    #[query]
    #[serde(rename = "booked")]
    name: &'a str,
    #[query]
    people: i64,
    #[query(default = false)]
    vip: bool,
}

/// A table; over 8 people the agent asks again.
#[handler]
fn book<'a>(req: &Request<'a>, input: Booking<'a>) -> Result<Response<'a>, Error> {
    if input.people > 8 {
        return Ok(req.json_response(&"too many people")?.response_state(ResponseState::Reprompt));
    }
    let session = req.arena().alloc_slice_copy(&[("booking", input.name)]);
    Ok(req.json_response(&input)?.session_attributes(session))
}

/// Always fails: the agent reads `Error: ...`.
fn fail<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    Err(ServiceError::internal("the kitchen is on fire").into())
}
