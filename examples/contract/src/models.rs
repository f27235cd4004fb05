//! The SPEC's models: each declared once, for its validation, its schema and its JSON. Their
//! comments are `//`, not `///`: a doc comment is the model's description in the document, and
//! the reference's models have none.

use lambda_router::validate::{DateTime, Map, Model, Uuid};

// Where an event happened.
#[derive(Model)]
pub struct Place<'a> {
    #[field(min_length = 1)]
    pub city: &'a str,
    #[field(pattern = "^[0-9]{5}$")]
    pub zip: &'a str,
}

// What happened (a Python `Enum`: the error is `enum`, the schema a component).
#[derive(Model)]
pub enum Kind {
    Click,
    View,
}

// A level: one of the integers 1, 2, 3 (a `Literal[1, 2, 3]`).
#[derive(Model, Clone, Copy)]
pub enum Level {
    One = 1,
    Two = 2,
    Three = 3,
}

// An integer or a string, tried in that order (pydantic's smart union).
#[derive(Model)]
pub enum Value<'a> {
    Int(i64),
    Str(&'a str),
}

// An event, with every richer field type.
#[derive(Model)]
pub struct Event<'a> {
    pub id: Uuid,
    pub at: DateTime,
    pub kind: Kind,
    #[field(pattern = "^[A-Z]{3}$")]
    pub code: &'a str,
    #[field(default = Level::One)]
    pub level: Level,
    pub value: Value<'a>,
    #[field(default)]
    pub tags: Map<'a, i64>,
    pub place: Option<Place<'a>>,
}

// A user, as routes 7 and 8 answer with one.
#[derive(Model)]
pub struct User<'a> {
    pub id: i64,
    #[field(min_length = 1)]
    pub name: &'a str,
    pub email: &'a str,
}

// An item to create.
#[derive(Model)]
pub struct Item<'a> {
    #[field(min_length = 1, max_length = 20)]
    pub name: &'a str,
    #[field(gt = 0)]
    pub price: f64,
}

// An item created.
#[derive(Model)]
pub struct Created<'a> {
    pub id: i64,
    pub name: &'a str,
}

// The body of a 409.
#[derive(Model)]
pub struct Conflict<'a> {
    #[field(name = "statusCode")]
    pub status_code: i64,
    pub message: &'a str,
}
