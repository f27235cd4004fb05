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
    // `1e400` overflows an f64: Python reads it as infinity, simd-json refuses the number.
    let (status, body) = post_order(br#"{"customer":"c","items":[{"sku":"s","qty":1e400,"price":1}]}"#);
    assert_eq!((status, &body["detail"][0]["type"]), (422, &json!("json_invalid")), "{body}");
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
    // A lone surrogate escape is JSON Python reads and simd-json does not: json_invalid.
    let (status, _) = post_order(br#"{"customer":"\ud800","items":[]}"#);
    assert_eq!(status, 422);
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
        &json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1.0, "maximum": 100.0, "default": 10}})
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
