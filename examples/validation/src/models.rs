//! The body models of the SPEC: each declared once, for parsing, validation, the OpenAPI
//! schema and the echo.

use lambda_router::validate::Model;

/// An item of an order.
#[derive(Model, Debug, Clone, Copy)]
pub struct Item<'a> {
    #[field(min_length = 1, max_length = 16)]
    pub sku: &'a str,
    #[field(ge = 1, le = 1000)]
    pub qty: i64,
    #[field(gt = 0)]
    pub price: f64,
}

/// How soon an order ships: a `Literal["low", "high"]`.
#[derive(Model, Debug, Clone, Copy, PartialEq, Eq)]
#[model(literal)]
pub enum Priority {
    Low,
    High,
}

/// An order: a customer and at least one item.
#[derive(Model, Debug, Clone, Copy)]
pub struct Order<'a> {
    #[field(min_length = 1)]
    pub customer: &'a str,
    #[field(min_length = 1)]
    pub items: &'a [Item<'a>],
    pub note: Option<&'a str>,
    #[field(default = Priority::Low)]
    pub priority: Priority,
}

/// A todo's new title and state.
#[derive(Model, Debug, Clone, Copy)]
pub struct TodoUpdate<'a> {
    #[field(max_length = 50)]
    pub title: &'a str,
    pub completed: bool,
}
