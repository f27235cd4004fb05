//! What both apps of the pipeline benchmark serve: the same response shapes, the same body
//! structs, the same 10 KB document.

// Every field is parsed, as a real handler would; not every one is read.
#![allow(dead_code)]

use serde::{Deserialize, Serialize};

/// One record of the 10 KB document of the `/compressed` route.
#[derive(Serialize, Clone)]
pub struct Item {
    pub id: u32,
    pub sku: String,
    pub name: String,
    pub price: String,
    pub stock: u32,
    pub tags: [&'static str; 2],
}

/// 100 records, about 10 KB of JSON.
pub static ITEMS: std::sync::LazyLock<Vec<Item>> = std::sync::LazyLock::new(|| {
    (0..100)
        .map(|i| Item {
            id: i,
            sku: format!("SKU-{:06}", i * 7919 % 1_000_000),
            name: format!("Product number {i}"),
            price: format!("{}.{:02}", 10 + i % 90, i % 100),
            stock: i * 13 % 500,
            tags: ["new", "sale"],
        })
        .collect()
});

/// The `/echo` body, borrowed (lambda-router) — about 300 bytes of JSON.
#[derive(Deserialize)]
pub struct Order<'a> {
    pub id: &'a str,
    pub customer: &'a str,
    pub email: &'a str,
    pub currency: &'a str,
    pub total_cents: u64,
    pub items: u32,
    pub express: bool,
    pub coupon: Option<&'a str>,
    pub address: Address<'a>,
}

#[derive(Deserialize)]
pub struct Address<'a> {
    pub street: &'a str,
    pub city: &'a str,
    pub postcode: &'a str,
    pub country: &'a str,
}

/// The `/echo` body, owned (axum's `Json` extractor deserializes into owned types).
#[derive(Deserialize)]
pub struct OwnedOrder {
    pub id: String,
    pub customer: String,
    pub email: String,
    pub currency: String,
    pub total_cents: u64,
    pub items: u32,
    pub express: bool,
    pub coupon: Option<String>,
    pub address: OwnedAddress,
}

#[derive(Deserialize)]
pub struct OwnedAddress {
    pub street: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
}

/// The `/echo` answer.
#[derive(Serialize)]
pub struct Receipt<'a> {
    pub id: &'a str,
    pub customer: &'a str,
    pub total_cents: u64,
    pub items: u32,
    pub city: &'a str,
}

#[derive(Serialize)]
pub struct Message<'a> {
    pub message: &'a str,
}

#[derive(Serialize)]
pub struct Found<'a> {
    pub id: &'a str,
}

pub const ORDER_JSON: &str = r#"{"id":"ord_7f3a9c2e41b8","customer":"Ada Lovelace","email":"ada.lovelace@example.com","currency":"EUR","total_cents":123450,"items":3,"express":true,"coupon":"WELCOME10","address":{"street":"12 Analytical Engine Road","city":"London","postcode":"NW1 6XE","country":"GB"}}"#;
