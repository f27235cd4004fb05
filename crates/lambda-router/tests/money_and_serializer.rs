//! Money survives (exact numbers in, `Decimal` as a JSON string out) and a custom serializer
//! replaces the default one.

use lambda_router::testing::TestRequest;
use lambda_router::{App, Error, ExactNumber, Request, Response, Route, Router};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Payment<'a> {
    #[serde(borrow)]
    amount: ExactNumber<'a>,
}

#[derive(Serialize)]
struct Charged {
    #[serde(serialize_with = "lambda_router::decimal::serialize")]
    charged: Decimal,
    #[serde(serialize_with = "lambda_router::decimal::serialize")]
    with_fee: Decimal,
}

fn charge<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let payment: Payment<'a> = req.json_exact()?;
    let amount = payment.amount.to_decimal().map_err(|_| lambda_router::ServiceError::bad_request("amount"))?;
    req.json_response(&Charged { charged: amount, with_fee: amount + Decimal::new(30, 2) })
}

fn app() -> App {
    App::with_router(Router::builder().push(Route::post("/charge", charge)).build().unwrap())
}

#[test]
fn money_never_goes_through_f64() {
    let cases = [
        // 0.1 + 0.2 in f64 is 0.30000000000000004; in Decimal it is 0.3.
        ("0.1", r#"{"charged":"0.1","with_fee":"0.40"}"#),
        ("19.99", r#"{"charged":"19.99","with_fee":"20.29"}"#),
        ("12345678901234567890.12", r#"{"charged":"12345678901234567890.12","with_fee":"12345678901234567890.42"}"#),
        ("1e2", r#"{"charged":"100","with_fee":"100.30"}"#),
    ];
    for (amount, expected) in cases {
        let body = format!(r#"{{"amount": {amount}}}"#);
        let response = TestRequest::post("/charge").body(body).rest_v1().invoke(&app()).unwrap();
        assert_eq!(response.status(), 200, "{amount}");
        assert_eq!(response.text(), expected, "{amount}");
    }
}

fn pretty(value: lambda_router::Serializable<'_>, out: &mut Vec<u8>) -> Result<(), String> {
    serde_json::to_writer_pretty(out, &value).map_err(|e| e.to_string())
}

#[test]
fn a_custom_serializer_replaces_the_default() {
    let app = app().serializer(pretty);
    let response = TestRequest::post("/charge").body(r#"{"amount": 1.5}"#).http_v2().invoke(&app).unwrap();
    assert_eq!(response.text(), "{\n  \"charged\": \"1.5\",\n  \"with_fee\": \"1.80\"\n}");
    // Errors answered by the library go through it too.
    let response = TestRequest::post("/charge").body(r#"{"amount": "x"}"#).http_v2().invoke(&app).unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.text(),
        "{\n  \"statusCode\": 400,\n  \"message\": \"the body is JSON of another shape than expected\"\n}"
    );
}
