//! Typed routes, driven by the validation app of `shared/conformance/validation/`: every case
//! answers as the reference did, allocating nothing once warm (valid requests and 422s alike);
//! hostile bodies get a clean 422, 400 or 413; the Swagger UI and the document are served.

use lambda_router::testing::TestRequest;
use lambda_router::{LambdaContext, Workspace};
use serde_json::{Value, json};
use test_support::alloc::{Counting, allocations_during, is_counting};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// Every case's status and body, as the reference answered (the full comparison, headers
/// included, is `compare.py` in CI).
#[test]
fn every_case_answers_as_the_reference_did() {
    let app = validation::app();
    let mut workspace = Workspace::new();
    let cases = lines(include_str!("fixtures/validation/cases.jsonl"));
    let probes = lines(include_str!("fixtures/validation_reference_probes.jsonl"));
    assert_eq!((cases.len(), probes.len()), (202, 48));
    for line in cases.iter().chain(&probes) {
        let case: Value = serde_json::from_str(line).unwrap();
        let event = serde_json::to_vec(&case["event"]).unwrap();
        let response = app.handle(&mut workspace, &event, &LambdaContext::LOCAL).expect("a supported event");
        let response: Value = serde_json::from_slice(response).unwrap();
        let (id, expected) = (&case["id"], &case["expected"]);
        assert_eq!(response["statusCode"], expected["statusCode"], "{id}");
        let body =
            |v: &Value| serde_json::from_str::<Value>(v["body"].as_str().unwrap_or("null")).unwrap_or(Value::Null);
        assert_eq!(body(&response), body(expected), "{id}");
    }
}

#[test]
fn valid_requests_and_422s_allocate_nothing_once_warm() {
    assert!(is_counting(), "the counting allocator is installed");
    let app = validation::app();
    let mut events: Vec<String> =
        lines(include_str!("fixtures/validation/events.jsonl")).into_iter().map(str::to_owned).collect();
    for line in lines(include_str!("fixtures/validation_reference_probes.jsonl")) {
        let case: Value = serde_json::from_str(line).unwrap();
        events.push(case["event"].to_string());
    }
    let mut workspace = Workspace::new();
    for _ in 0..2 {
        for event in &events {
            let _ = app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL);
        }
    }
    let mut statuses = std::collections::BTreeMap::new();
    let mut offenders = Vec::new();
    for (line, event) in events.iter().enumerate() {
        let (allocations, ()) = allocations_during(|| {
            let _ = app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL);
        });
        let response: Value =
            serde_json::from_slice(app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL).unwrap())
                .unwrap();
        *statuses.entry(response["statusCode"].as_u64().unwrap()).or_insert(0) += 1;
        if allocations > 0 {
            offenders.push((line + 1, allocations));
        }
    }
    assert!(offenders.is_empty(), "(event, allocations): {offenders:?}");
    // Both paths were measured: valid requests and 422s.
    assert!(statuses[&200] > 90 && statuses[&422] > 120, "{statuses:?}");
}

fn post_order(body: &[u8]) -> (u16, Value) {
    let response = TestRequest::post("/orders").body(body.to_vec()).http_v2().invoke(&validation::app()).unwrap();
    let status = response.status();
    (status, serde_json::from_slice(&response.body()).unwrap_or(Value::Null))
}

#[test]
fn hostile_bodies_get_a_clean_answer() {
    // Nesting deeper than `Limits::max_json_depth` (128): not JSON the app reads.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (status, body) = post_order(deep.as_bytes());
    assert_eq!((status, &body["detail"][0]["type"]), (422, &json!("json_invalid")), "{body}");
    // 100,000 items: every one validated, every error listed.
    let items = vec![r#"{"sku":"s","qty":0,"price":1}"#; 100_000].join(",");
    let (status, body) = post_order(format!(r#"{{"customer":"c","items":[{items}]}}"#).as_bytes());
    assert_eq!(status, 422);
    assert_eq!(body["detail"].as_array().unwrap().len(), 100_000);
    assert_eq!(body["detail"][99_999]["loc"], json!(["body", "items", 99_999, "qty"]));
    // Huge numbers: out of range for an integer, infinite as a float.
    let (status, body) = post_order(
        format!(r#"{{"customer":"c","items":[{{"sku":"s","qty":{},"price":1}}]}}"#, "9".repeat(400)).as_bytes(),
    );
    assert_eq!(status, 422, "{body}");
    // `1e400` overflows an f64: Python reads it as infinity (simd-json refuses the number and
    // the body is read again as Python reads it), which is no integer.
    let (status, body) = post_order(br#"{"customer":"c","items":[{"sku":"s","qty":1e400,"price":1}]}"#);
    assert_eq!((status, &body["detail"][0]["type"]), (422, &json!("finite_number")), "{body}");
    let (status, body) = post_order(br#"{"customer":"c","items":[{"sku":"s","qty":NaN,"price":-Infinity}]}"#);
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["detail"][0], json!({"loc": ["body", "items", 0, "qty"], "type": "finite_number"}));
    assert_eq!(body["detail"][1]["loc"], json!(["body", "items", 0, "price"]), "{body}");
    let (status, body) = post_order(br#"{"customer":"c","items":[{"sku":"s","qty":"1e400","price":"1e400"}]}"#);
    assert_eq!((status, &body["detail"][0]["type"]), (422, &json!("int_parsing")), "{body}");
    // Escapes are unescaped before lengths are counted; the value is the unescaped text.
    let (status, body) = post_order(
        br#"{"customer":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","items":[{"sku":"\u0041","qty":1,"price":1}]}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["customer"], json!("\"\\/\u{8}\u{c}\n\r\té😀"));
    assert_eq!(body["items"][0]["sku"], json!("A"));
    // Invalid UTF-8 in a string (a base64 body): the body cannot be read, 400.
    let mut event = TestRequest::post("/orders").body(b"{\"customer\":\"\xff\",\"items\":[]}".to_vec()).http_v2();
    event.json_mut()["isBase64Encoded"] = json!(true);
    event.json_mut()["body"] = json!(base64_simd::STANDARD.encode_to_string(b"{\"customer\":\"\xff\",\"items\":[]}"));
    let response = event.invoke(&validation::app()).unwrap();
    assert_eq!(response.status(), 400, "{}", response.text());
    // A lone surrogate escape is JSON Python reads and simd-json does not: a bounded string
    // holding one is string_unicode, as pydantic answers.
    let (status, body) = post_order(br#"{"customer":"\ud800","items":[]}"#);
    assert_eq!((status, &body["detail"][0]), (422, &json!({"loc": ["body", "customer"], "type": "string_unicode"})));
}

#[test]
fn the_swagger_ui_and_the_document_are_served() {
    let app = validation::app();
    let page = TestRequest::get("/swagger").http_v2().invoke(&app).unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.header("content-type").is_some_and(|t| t.starts_with("text/html")));
    assert!(page.text().contains("https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"));
    let document = TestRequest::get("/swagger").query("format", "json").rest_v1().invoke(&app).unwrap();
    assert_eq!(document.status(), 200);
    let document: Value = serde_json::from_slice(&document.body()).unwrap();
    assert_eq!(document, serde_json::from_str::<Value>(&app.openapi_document()).unwrap());
    assert_eq!(document["openapi"], json!("3.1.0"));
    assert_eq!(document["info"], json!({"title": "Orders API", "version": "1.0.0"}));
    let limit = &document["paths"]["/todos"]["get"]["parameters"][1];
    assert_eq!(
        limit,
        &json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}})
    );
    assert_eq!(
        document["paths"]["/orders"]["post"]["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Order"})
    );
    let order = &document["components"]["schemas"]["Order"];
    assert_eq!(order["required"], json!(["customer", "items"]));
    assert_eq!(order["properties"]["priority"], json!({"type": "string", "enum": ["low", "high"], "default": "low"}));
    // Other paths and methods are untouched: a POST to the page's path is the ordinary 404.
    assert_eq!(TestRequest::post("/swagger").http_v2().invoke(&app).unwrap().status(), 404);
}

mod async_typed {
    use lambda_router::testing::TestRequest;
    use lambda_router::validate::Input;
    use lambda_router::{App, Error, Request, Response, Route, Router, handler};

    #[derive(Input)]
    struct Greet<'a> {
        #[param]
        name: &'a str,
        #[query(ge = 1, le = 3, default = 1)]
        times: i64,
    }

    #[handler]
    async fn greet<'a>(req: &Request<'a>, input: Greet<'a>) -> Result<Response<'a>, Error> {
        let text = req.format(format_args!("{}", input.name.repeat(input.times as usize)));
        Ok(Response::text(200, text))
    }

    const ROUTES: &[Route] = &[Route::get("/greet/<name>", greet)];

    #[test]
    fn an_async_typed_handler_runs_after_validation_and_never_starts_on_a_422() {
        let app = App::with_router(Router::builder().extend(ROUTES.iter().copied()).build().unwrap());
        assert!(ROUTES[0].is_async());
        let ok = TestRequest::get("/greet/ab").query("times", "3").http_v2().invoke(&app).unwrap();
        assert_eq!((ok.status(), ok.text()), (200, "ababab".to_owned()));
        let bad = TestRequest::get("/greet/ab").query("times", "4").http_v2().invoke(&app).unwrap();
        assert_eq!(
            (bad.status(), bad.text()),
            (422, r#"{"statusCode":422,"detail":[{"loc":["query","times"],"type":"less_than_equal"}]}"#.to_owned())
        );
    }
}

/// Issue #21: integer bounds are compared as integers, at 2^53, 2^63 and `u64::MAX`, in JSON
/// bodies and in text; a JSON integer past 64 bits is validated, not refused as a whole body;
/// the OpenAPI document writes every bound as the exact JSON number.
mod exact_numbers {
    use lambda_router::openapi::OpenApi;
    use lambda_router::testing::TestRequest;
    use lambda_router::validate::{Input, Model};
    use lambda_router::{App, Error, Request, Response, Route, Router, handler};

    #[derive(Model)]
    struct Numbers {
        #[field(le = 9_007_199_254_740_992)]
        at_2_53: i64,
        #[field(le = 9_223_372_036_854_775_808)]
        at_2_63: u64,
        #[field(le = 18_446_744_073_709_551_615)]
        at_u64_max: u64,
        #[field(gt = 0.000_000_1, default = 1.0)]
        small: f64,
    }

    #[derive(Input)]
    struct Limits {
        #[query(le = 9_007_199_254_740_992, default = 0)]
        n: i64,
        #[body]
        numbers: Numbers,
    }

    #[handler]
    fn numbers<'a>(req: &Request<'a>, input: Limits) -> Result<Response<'a>, Error> {
        assert!(input.n <= 9_007_199_254_740_992, "validated");
        req.json_response(&input.numbers)
    }

    const ROUTES: &[Route] = &[Route::post("/numbers", numbers)];

    fn app() -> App {
        App::with_router(Router::builder().extend(ROUTES.iter().copied()).build().unwrap())
            .openapi(OpenApi::new("numbers", "1"))
    }

    fn post(query: &str, body: &str) -> (u16, String) {
        let response = TestRequest::post(&format!("/numbers?n={query}")).body(body).http_v2().invoke(&app()).unwrap();
        (response.status(), response.text())
    }

    fn errors(text: &str) -> Vec<(String, String)> {
        let body: serde_json::Value = serde_json::from_str(text).unwrap();
        body["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["loc"].to_string(), e["type"].as_str().unwrap().to_owned()))
            .collect()
    }

    #[test]
    fn bounds_hold_exactly_at_2_53_2_63_and_u64_max() {
        let at_bounds =
            r#"{"at_2_53":9007199254740992,"at_2_63":9223372036854775808,"at_u64_max":18446744073709551615}"#;
        assert_eq!(
            post("9007199254740992", at_bounds),
            (
                200,
                r#"{"at_2_53":9007199254740992,"at_2_63":9223372036854775808,"at_u64_max":18446744073709551615,"small":1.0}"#
                    .to_owned()
            )
        );
        let past = r#"{"at_2_53":9007199254740993,"at_2_63":9223372036854775809,"at_u64_max":18446744073709551616,"small":1e-8}"#;
        let (status, text) = post("9007199254740993", past);
        assert_eq!(status, 422);
        assert_eq!(
            errors(&text),
            [
                (r#"["query","n"]"#, "less_than_equal"),
                (r#"["body","at_2_53"]"#, "less_than_equal"),
                (r#"["body","at_2_63"]"#, "less_than_equal"),
                (r#"["body","at_u64_max"]"#, "less_than_equal"),
                (r#"["body","small"]"#, "greater_than"),
            ]
            .map(|(loc, kind)| (loc.to_owned(), kind.to_owned()))
        );
        // Far past 64 bits, in the body and in text: still the bound, not a refused body.
        let huge = "9".repeat(40);
        let (status, text) = post(&huge, &format!(r#"{{"at_2_53":{huge},"at_2_63":1,"at_u64_max":1}}"#));
        assert_eq!(status, 422);
        assert_eq!(
            errors(&text),
            [(r#"["query","n"]"#, "less_than_equal"), (r#"["body","at_2_53"]"#, "less_than_equal")]
                .map(|(loc, kind)| (loc.to_owned(), kind.to_owned()))
        );
        // A float past an i64 is pydantic's size error, bounds or not; an integer is exact.
        let (status, text) = post("1", r#"{"at_2_53":1e23,"at_2_63":100000000000000000000000,"at_u64_max":1}"#);
        assert_eq!(status, 422);
        assert_eq!(
            errors(&text),
            [(r#"["body","at_2_53"]"#, "int_parsing_size"), (r#"["body","at_2_63"]"#, "less_than_equal")]
                .map(|(loc, kind)| (loc.to_owned(), kind.to_owned()))
        );
    }

    #[test]
    fn the_document_writes_every_bound_as_its_exact_json_number() {
        let document = app().openapi_document();
        let parsed: serde_json::Value = serde_json::from_str(&document).expect("the document is JSON");
        let fields = &parsed["components"]["schemas"]["Numbers"]["properties"];
        assert_eq!(fields["at_2_53"]["maximum"].to_string(), "9007199254740992");
        assert_eq!(fields["at_2_63"]["maximum"].to_string(), "9223372036854775808");
        assert_eq!(fields["at_u64_max"]["maximum"].to_string(), "18446744073709551615");
        assert_eq!(fields["small"]["exclusiveMinimum"].as_f64(), Some(1e-7));
    }
}
