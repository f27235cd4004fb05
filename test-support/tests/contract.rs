//! The contract app of `shared/conformance/contract/`: every case answers as the reference did,
//! and allocates nothing once warm (valid requests, 401s, 409s, 422s, the reshaped 400s and the
//! response-validation 500s and 502s alike); hostile form and multipart bodies get a clean
//! answer; dependencies resolve once per request and a test replaces them.

use std::collections::BTreeMap;

use lambda_router::testing::TestRequest;
use lambda_router::{LambdaContext, Workspace};
use serde_json::{Value, json};
use test_support::alloc::{Counting, allocations_during, is_counting};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

fn body_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// Every case's status, body and content type, as the reference answered (the full comparison
/// is `compare.py` in CI).
#[test]
fn every_case_answers_as_the_reference_did() {
    let app = contract::app();
    let mut workspace = Workspace::new();
    let cases = lines(include_str!("fixtures/contract/cases.jsonl"));
    assert_eq!(cases.len(), 177);
    for line in cases {
        let case: Value = serde_json::from_str(line).unwrap();
        let event = serde_json::to_vec(&case["event"]).unwrap();
        let response = app.handle(&mut workspace, &event, &LambdaContext::LOCAL).expect("a supported event");
        let response: Value = serde_json::from_slice(response).unwrap();
        let (id, expected) = (&case["id"], &case["expected"]);
        assert_eq!(response["statusCode"], expected["statusCode"], "{id}");
        let body = |v: &Value| body_json(v["body"].as_str().unwrap_or("null"));
        assert_eq!(body(&response), body(expected), "{id}");
    }
}

#[test]
fn every_case_allocates_nothing_once_warm() {
    assert!(is_counting(), "the counting allocator is installed");
    let app = contract::app();
    let events = lines(include_str!("fixtures/contract/events.jsonl"));
    let mut workspace = Workspace::new();
    for _ in 0..2 {
        for event in &events {
            let _ = app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL);
        }
    }
    let mut statuses = BTreeMap::new();
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
    // Every kind of answer was measured.
    let kinds: Vec<u64> = statuses.keys().copied().collect();
    assert_eq!(kinds, [200, 201, 400, 401, 404, 409, 422, 500, 502], "{statuses:?}");
}

/// A multipart upload to `/upload` (REST v1), its body base64-encoded or not.
fn upload(content_type: &str, body: &[u8]) -> (u16, Value) {
    let mut event = TestRequest::post("/upload").header("content-type", content_type).rest_v1();
    use base64::Engine as _;
    event.json_mut()["body"] = Value::from(base64::engine::general_purpose::STANDARD.encode(body));
    event.json_mut()["isBase64Encoded"] = Value::Bool(true);
    let response = event.invoke(&contract::app()).expect("a supported event");
    (response.status(), body_json(&response.text()))
}

const BOUNDARY: &str = "multipart/form-data; boundary=XyZ";

fn file_part(data: &[u8]) -> Vec<u8> {
    let mut body = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n".to_vec();
    body.extend_from_slice(data);
    body.extend_from_slice(b"\r\n");
    body
}

#[test]
fn a_well_formed_upload_borrows_its_file_from_the_decoded_body() {
    let mut body = file_part(b"\x00\xff\r\n--X\r\n\r\nrest");
    body.extend_from_slice(b"--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--XyZ--\r\n");
    let (status, answer) = upload(BOUNDARY, &body);
    assert_eq!((status, answer), (200, json!({"size": 15, "head": "\u{0}\u{ff}\r\n--X\r", "note": "hi"})));
}

/// Answers checked against the reference's (`contract_app.py`) on the same events, except where
/// it has none: a missing boundary, a field that is not UTF-8 and a repeated file crash it.
#[test]
fn hostile_multipart_bodies_get_a_clean_answer() {
    // The app's error handler lists each problem's location and type.
    let missing_file = json!({"statusCode": 422, "detail": [{"type": "missing", "loc": ["body", "file"]}]});
    let cases: Vec<(&str, &str, Vec<u8>, u16, Value)> = vec![
        (
            "no boundary",
            "multipart/form-data",
            file_part(b"abc"),
            400,
            json!({"statusCode": 400, "message": "the multipart/form-data body's Content-Type gives no boundary="}),
        ),
        (
            "a part without headers",
            BOUNDARY,
            b"--XyZ\r\nno blank line here\r\n--XyZ--\r\n".to_vec(),
            422,
            missing_file.clone(),
        ),
        (
            "the boundary inside the file's data",
            BOUNDARY,
            [file_part(b"abc--XyZdef"), b"--XyZ--\r\n".to_vec()].concat(),
            200,
            json!({"size": 3, "head": "abc", "note": ""}),
        ),
        ("a truncated body", BOUNDARY, file_part(b"abc")[..40].to_vec(), 422, missing_file.clone()),
        (
            "a body cut inside the file",
            BOUNDARY,
            file_part(b"abcdef")[..file_part(b"abcdef").len() - 4].to_vec(),
            200,
            json!({"size": 4, "head": "abcd", "note": ""}),
        ),
        ("an empty body", BOUNDARY, Vec::new(), 422, missing_file.clone()),
        (
            "a field that is not UTF-8",
            BOUNDARY,
            [
                file_part(b"x"),
                b"--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n\xff\r\n--XyZ--".to_vec(),
            ]
            .concat(),
            400,
            json!({"statusCode": 400, "message": "the body is not UTF-8"}),
        ),
        (
            "a note over its bound",
            BOUNDARY,
            [
                file_part(b"x"),
                b"--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n0123456789a\r\n".to_vec(),
            ]
            .concat(),
            422,
            json!({"statusCode": 422, "detail": [{"type": "string_too_long", "loc": ["body", "note"]}]}),
        ),
        // The reference's own quirks: a file field given twice is its first (the reference's
        // handler crashes on the list), `filename=` before `name=` is read as the name.
        (
            "a file given twice",
            BOUNDARY,
            [file_part(b"a"), file_part(b"b"), b"--XyZ--".to_vec()].concat(),
            200,
            json!({"size": 1, "head": "a", "note": ""}),
        ),
        (
            "filename before name",
            BOUNDARY,
            b"--XyZ\r\nContent-Disposition: form-data; filename=\"a.bin\"; name=\"file\"\r\n\r\nabc\r\n--XyZ--"
                .to_vec(),
            422,
            missing_file.clone(),
        ),
        (
            "a content type the route does not read",
            "text/plain",
            b"hello".to_vec(),
            415,
            json!({"statusCode": 415, "detail": [{"type": "unsupported_content_type", "loc": ["body"]}]}),
        ),
    ];
    let mut wrong = Vec::new();
    for (what, content_type, body, status, answer) in cases {
        let got = upload(content_type, &body);
        if got != (status, answer.clone()) {
            wrong.push(format!("{what}: got {got:?}, expected {:?}", (status, answer)));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn bad_base64_is_a_400_not_a_panic() {
    let mut event = TestRequest::post("/upload").header("content-type", BOUNDARY).rest_v1();
    event.json_mut()["body"] = Value::from("not base64!");
    event.json_mut()["isBase64Encoded"] = Value::Bool(true);
    let response = event.invoke(&contract::app()).expect("a supported event");
    assert_eq!(response.status(), 400, "{}", response.text());
    assert_eq!(body_json(&response.text()), json!({"statusCode": 400, "message": "the body is not valid base64"}));
}

mod dependencies {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use lambda_router::testing::TestRequest;
    use lambda_router::validate::Input;
    use lambda_router::{App, Dependency, Error, Request, Response, Route, Router, ServiceError, handler};
    use serde_json::{Value, json};

    static TENANT_CALLS: AtomicUsize = AtomicUsize::new(0);

    /// The tenant, counted.
    struct Tenant;

    impl Dependency for Tenant {
        type Output<'a> = &'a str;

        fn resolve<'a>(req: &Request<'a>) -> Result<&'a str, Error> {
            TENANT_CALLS.fetch_add(1, Ordering::SeqCst);
            req.header("x-tenant").ok_or_else(|| ServiceError::unauthorized("no tenant").into())
        }
    }

    /// Two dependencies on the tenant.
    struct Region;

    impl Dependency for Region {
        type Output<'a> = &'static str;

        fn resolve<'a>(req: &Request<'a>) -> Result<&'static str, Error> {
            Ok(if req.depends::<Tenant>()?.starts_with("eu-") { "eu" } else { "us" })
        }
    }

    struct Bucket;

    impl Dependency for Bucket {
        type Output<'a> = &'a str;

        fn resolve<'a>(req: &Request<'a>) -> Result<&'a str, Error> {
            let (tenant, region) = (req.depends::<Tenant>()?, req.depends::<Region>()?);
            Ok(req.format(format_args!("{region}-{tenant}")))
        }
    }

    /// A dependency on itself, through another.
    struct Chicken;
    struct Egg;

    impl Dependency for Chicken {
        type Output<'a> = u8;

        fn resolve<'a>(req: &Request<'a>) -> Result<u8, Error> {
            req.depends::<Egg>()
        }
    }

    impl Dependency for Egg {
        type Output<'a> = u8;

        fn resolve<'a>(req: &Request<'a>) -> Result<u8, Error> {
            req.depends::<Chicken>()
        }
    }

    #[derive(Input)]
    struct Where<'a> {
        #[query(default = 1)]
        page: i64,
        #[depends(Tenant)]
        tenant: &'a str,
        #[depends(Region)]
        region: &'static str,
        #[depends(Bucket)]
        bucket: &'a str,
    }

    #[handler]
    fn place<'a>(req: &Request<'a>, input: Where<'a>) -> Result<Response<'a>, Error> {
        // The handler asks again: the same value, not a new call.
        let again = req.depends::<Tenant>()?;
        let text =
            req.format(format_args!("{} {} {} {} {again}", input.page, input.tenant, input.region, input.bucket));
        Ok(Response::text(200, text))
    }

    fn circular<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
        Ok(Response::text(200, req.format(format_args!("{}", req.depends::<Chicken>()?))))
    }

    fn app() -> App {
        let router = Router::builder()
            .push(Route::get("/place", place))
            .push(Route::get("/circular", circular))
            .build()
            .expect("a valid table");
        App::with_router(router)
    }

    fn fake_tenant<'a>(_: &Request<'a>) -> Result<&'a str, Error> {
        Ok("eu-fake")
    }

    // One test, not three: the call counter is shared by the whole binary's threads.
    #[test]
    fn resolved_once_per_request_failing_through_the_error_path_and_replaceable() {
        let app = app();
        TENANT_CALLS.store(0, Ordering::SeqCst);
        let response = TestRequest::get("/place").header("x-tenant", "eu-acme").rest_v1().invoke(&app).unwrap();
        assert_eq!((response.status(), response.text().as_str()), (200, "1 eu-acme eu eu-eu-acme eu-acme"));
        // Asked for five times (the input, Region, Bucket twice over, the handler): resolved once.
        assert_eq!(TENANT_CALLS.load(Ordering::SeqCst), 1);
        let response = TestRequest::get("/place").header("x-tenant", "us-acme").http_v2().invoke(&app).unwrap();
        assert_eq!((response.status(), response.text().as_str()), (200, "1 us-acme us us-us-acme us-acme"));
        assert_eq!(TENANT_CALLS.load(Ordering::SeqCst), 2, "once per request, not once per app");

        // Its error takes the app's error path; the other inputs validated first (a 422 wins).
        let response = TestRequest::get("/place").rest_v1().invoke(&app).unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.json::<Value>(), json!({"statusCode": 401, "message": "no tenant"}));
        let calls = TENANT_CALLS.load(Ordering::SeqCst);
        let response = TestRequest::get("/place").query("page", "x").rest_v1().invoke(&app).unwrap();
        assert_eq!(response.status(), 422);
        assert_eq!(TENANT_CALLS.load(Ordering::SeqCst), calls, "not resolved for an invalid request");

        // Replaced on the app, as `dependency_overrides` does: the fake, and what depends on it.
        let app = app.override_dependency::<Tenant>(fake_tenant);
        let calls = TENANT_CALLS.load(Ordering::SeqCst);
        let response = TestRequest::get("/place").rest_v1().invoke(&app).unwrap();
        assert_eq!((response.status(), response.text().as_str()), (200, "1 eu-fake eu eu-eu-fake eu-fake"));
        assert_eq!(TENANT_CALLS.load(Ordering::SeqCst), calls, "the real resolver is not called");

        // A cycle is refused (a 500), not a stack overflow.
        let response = TestRequest::get("/circular").rest_v1().invoke(&app).unwrap();
        assert_eq!(response.status(), 500);
    }
}

/// The Swagger UI page carries the reference's options, and the OAuth 2 sign-in has a page to
/// come back to (the browser test, `test-support/browser/swagger_ui.sh`, runs them in Chromium).
#[test]
fn the_swagger_page_has_the_reference_options_and_an_oauth2_redirect() {
    use lambda_router::openapi::OAuth2Config;
    let app = contract::app().openapi(
        contract::openapi()
            .swagger_oauth2(OAuth2Config::new().client_id("ui").use_pkce(true))
            .persist_authorization(true),
    );
    let page = TestRequest::get("/swagger").http_v2().invoke(&app).unwrap();
    assert_eq!((page.status(), page.header("content-type")), (200, Some("text/html")));
    let page = page.text();
    for option in [
        "docExpansion: \"list\"",
        "deepLinking: true",
        "filter: true",
        "showExtensions: true",
        "showCommonExtensions: true",
        "withCredentials: true",
        "persistAuthorization: true",
        "oauth2RedirectUrl: here + \"?format=oauth2-redirect\"",
        "window.ui.initOAuth({ clientId: \"ui\", usePkceWithAuthorizationCodeGrant: true });",
    ] {
        assert!(page.contains(option), "{option} in {page}");
    }
    let redirect = TestRequest::get("/swagger").query("format", "oauth2-redirect").http_v2().invoke(&app).unwrap();
    assert_eq!((redirect.status(), redirect.header("content-type")), (200, Some("text/html")));
    assert!(redirect.text().contains("window.opener.swaggerUIRedirectOauth2"), "{}", redirect.text());
    // The reference's own app sets neither option.
    let plain = TestRequest::get("/swagger").http_v2().invoke(&contract::app()).unwrap().text();
    assert!(plain.contains("persistAuthorization: false") && !plain.contains("initOAuth"), "{plain}");
}

/// The agent's document (`--openapi --agent`) has no `enum`, which Amazon Bedrock Agents do not
/// take: a fixed set's values are in its `description`, as Bedrock's guide asks. The 3.1
/// document keeps `enum`.
#[test]
fn the_agents_document_says_a_fixed_set_in_its_description() {
    let app = contract::app();
    let agent: Value = serde_json::from_str(&app.agent_openapi_document()).unwrap();
    assert_eq!(agent["openapi"], "3.0.3");
    assert!(!agent.to_string().contains("\"enum\""), "no enum in the agent's document");
    let theme = agent["paths"]["/me"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|parameter| parameter["name"] == "theme")
        .expect("the theme cookie")["schema"]
        .clone();
    assert_eq!(theme, json!({"type": "string", "default": "light", "description": "One of: \"light\", \"dark\"."}));
    let format = &agent["components"]["schemas"]["Format"];
    assert_eq!(format, &json!({"type": "string", "title": "Format", "description": "One of: \"json\", \"csv\"."}));
    let full: Value = serde_json::from_str(&app.openapi_document()).unwrap();
    assert_eq!(full["components"]["schemas"]["Format"]["enum"], json!(["json", "csv"]));
}
