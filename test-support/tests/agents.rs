//! The agents app of `shared/conformance/agents/`: every case answers as the reference did
//! and allocates nothing once warm; the same binary answers HTTP for the same routes; tools
//! fail in Bedrock's envelope, never as a Lambda error; events that only look like agent
//! events (or HTTP events) are refused by name, hostile `parameters` and `requestBody` shapes
//! included, and the next invocation answers as ever.

use lambda_router::testing::TestRequest;
use lambda_router::{EventError, LambdaContext, Workspace};
use serde_json::{Value, json};
use test_support::alloc::{Counting, allocations_during, is_counting};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn cases() -> Vec<Value> {
    include_str!("fixtures/agents/cases.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The answer, with every `body` string read as JSON when it is JSON (as compare.py does).
fn normalized(mut answer: Value) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map.iter_mut() {
                    if key == "body"
                        && let Some(text) = inner.as_str()
                        && let Ok(parsed) = serde_json::from_str::<Value>(text)
                    {
                        *inner = json!({"json": parsed});
                        continue;
                    }
                    walk(inner);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut answer);
    answer
}

fn answer(workspace: &mut Workspace, event: &[u8]) -> Result<Value, EventError> {
    let app = agents::app();
    let out = app.handle(workspace, event, &LambdaContext::LOCAL)?;
    Ok(serde_json::from_slice(out).expect("the answer is JSON"))
}

#[test]
fn every_case_answers_as_the_reference_did() {
    let mut workspace = Workspace::new();
    let cases = cases();
    assert_eq!(cases.len(), 20);
    for case in cases {
        let event = serde_json::to_vec(&case["event"]).unwrap();
        let got = answer(&mut workspace, &event).expect("an agent event");
        assert_eq!(normalized(got), normalized(case["expected"].clone()), "{}", case["id"]);
    }
}

/// A name given twice, in a body's properties or in the parameters, keeps its last value, as
/// the reference's dict does. Each answer is the reference's own (`agents_app.py`, run on the
/// same event: the `file` or `list-limit` case with the list replaced).
#[test]
fn a_repeated_name_keeps_its_last_value() {
    let cases = cases();
    let case = |id: &str| cases.iter().find(|case| case["id"] == id).expect("the case")["event"].clone();
    let mut workspace = Workspace::new();
    for (list, values, reference) in [
        (
            "properties",
            r#"[{"name": "policy", "type": "string", "value": "AAA"}, {"name": "amount", "type": "number", "value": "1"}, {"name": "policy", "type": "string", "value": "POL-9"}]"#,
            r#"{"messageVersion":"1.0","response":{"actionGroup":"ClaimsActions","apiPath":"/claims","httpMethod":"POST","httpStatusCode":201,"responseBody":{"application/json":{"body":"{\"id\":\"c-3\",\"policy\":\"POL-9\",\"amount\":1.0,\"reason\":null}"}}},"sessionAttributes":{"last_claim":"c-3"},"promptSessionAttributes":{"policy":"POL-9"}}"#,
        ),
        (
            "properties",
            r#"[{"name": "policy", "type": "string", "value": "POL-1"}, {"name": "amount", "type": "number", "value": "1"}, {"name": "amount", "type": "number", "value": "-5"}]"#,
            r#"{"messageVersion":"1.0","response":{"actionGroup":"ClaimsActions","apiPath":"/claims","httpMethod":"POST","httpStatusCode":422,"responseBody":{"application/json":{"body":"{\"statusCode\":422,\"detail\":[{\"loc\":[\"body\",\"amount\"],\"type\":\"greater_than\"}]}"}}}}"#,
        ),
        (
            "parameters",
            r#"[{"name": "limit", "type": "integer", "value": "1"}, {"name": "limit", "type": "integer", "value": "2"}]"#,
            r#"{"messageVersion":"1.0","response":{"actionGroup":"ClaimsActions","apiPath":"/claims","httpMethod":"GET","httpStatusCode":200,"responseBody":{"application/json":{"body":"[{\"id\":\"c-1\",\"status\":\"open\",\"amount\":120.5},{\"id\":\"c-2\",\"status\":\"paid\",\"amount\":80.0}]"}}}}"#,
        ),
    ] {
        let mut event = case(if list == "properties" { "bedrock-agent/file" } else { "bedrock-agent/list-limit" });
        let values: Value = serde_json::from_str(values).unwrap();
        if list == "properties" {
            event["requestBody"]["content"]["application/json"]["properties"] = values;
        } else {
            event["parameters"] = values;
        }
        let got = answer(&mut workspace, &serde_json::to_vec(&event).unwrap()).expect("an agent event");
        let reference: Value = serde_json::from_str(reference).unwrap();
        assert_eq!(normalized(got), normalized(reference), "{list}: {event}");
    }
}

/// A function call's `boolean` parameter is `true` exactly when its text is `true` in any
/// case, as the reference reads it (`value.lower() == "true"`): each row's `vip` is what
/// `agents_app.py` answered for the `book` case with that text.
#[test]
fn a_function_boolean_is_read_as_the_reference_reads_it() {
    let cases = cases();
    let book =
        cases.iter().find(|case| case["id"] == "bedrock-agent-function/book").expect("the case")["event"].clone();
    let mut workspace = Workspace::new();
    for (text, vip) in
        [("y", false), ("TRUE", true), ("tRuE", true), ("no ", false), ("yes", false), ("1", false), (" true", false)]
    {
        let mut event = book.clone();
        event["parameters"][2] = json!({"name": "vip", "type": "boolean", "value": text});
        let got = answer(&mut workspace, &serde_json::to_vec(&event).unwrap()).expect("an agent event");
        let body = got["response"]["functionResponse"]["responseBody"]["TEXT"]["body"].as_str().expect("a body");
        let body: Value = serde_json::from_str(body).expect("JSON");
        assert_eq!(body, json!({"booked": "Ann", "people": 4, "vip": vip}), "{text:?}");
    }
}

/// A function call's value is converted by the type the call declares, as the reference converts
/// it before its tool sees it: an `integer` by Python's `int()` (Unicode digits, `_` between
/// digits, spaces; not `1.0`), a `number` by `float()`. Each row's answer is what
/// `agents_app.py` answered for `get_weather` with that `days`: its number of days, or a tool's
/// error (the reference passes a text `int()` refuses on, and the tool fails on it; ours refuses
/// it by name).
#[test]
fn a_function_value_is_converted_by_its_declared_type() {
    let app = agents::app();
    let mut workspace = Workspace::new();
    let mut call = |declared: Option<&str>, text: &str| {
        let mut days = json!({"name": "days", "value": text});
        if let Some(declared) = declared {
            days["type"] = json!(declared);
        }
        let mut event = TestRequest::post("/get_weather").bedrock_agent_function();
        event.json_mut()["parameters"] = json!([{"name": "city", "type": "string", "value": "Oslo"}, days]);
        let got = app.handle(&mut workspace, &event.to_bytes(), &LambdaContext::LOCAL).expect("an agent event");
        let got: Value = serde_json::from_slice(got).expect("JSON");
        let body = got["response"]["functionResponse"]["responseBody"]["TEXT"]["body"].as_str().expect("a body");
        serde_json::from_str::<Value>(body).expect("JSON")
    };
    for (declared, text, days) in [
        (Some("integer"), "4", 4),
        (Some("integer"), " +7_0 ", 70),
        (Some("integer"), "١٢", 12),
        (Some("integer"), "４", 4),
        (Some("integer"), "\u{a0}2", 2),
        (Some("number"), "4", 4),
        (Some("number"), "4.0", 4),
    ] {
        assert_eq!(call(declared, text)["days"], json!(days), "{declared:?} {text:?}");
    }
    for (declared, text, error) in [
        (Some("integer"), "1.0", "int_parsing"),
        (Some("integer"), "2.5", "int_parsing"),
        (Some("integer"), "1e1", "int_parsing"),
        (Some("integer"), "4_", "int_parsing"),
        (Some("integer"), "²", "int_parsing"),
        (Some("string"), "4", "int_type"),
        (Some("array"), "4", "int_type"),
        (None, "4", "int_type"),
        // Where a typed tool cannot take what Python passes on: the reference's tool gets `True`
        // and answers `"days": true`; `5.5` and answers `"days": 5.5`.
        (Some("boolean"), "true", "int_type"),
        (Some("number"), "5.5", "int_from_float"),
    ] {
        let expected = format!("Error: invalid parameters: `days` {error}");
        assert_eq!(call(declared, text), json!(expected), "{declared:?} {text:?}");
    }
}

#[test]
fn every_case_but_a_handlers_own_404_allocates_nothing_once_warm() {
    assert!(is_counting(), "the counting allocator is installed");
    let app = agents::app();
    let mut workspace = Workspace::new();
    let events: Vec<(String, Vec<u8>)> = cases()
        .iter()
        .map(|case| (case["id"].as_str().unwrap().to_owned(), serde_json::to_vec(&case["event"]).unwrap()))
        .collect();
    for _ in 0..2 {
        for (_, event) in &events {
            app.handle(&mut workspace, event, &LambdaContext::LOCAL).unwrap();
        }
    }
    let mut offenders = Vec::new();
    for (id, event) in &events {
        let (allocations, ()) = allocations_during(|| {
            app.handle(&mut workspace, event, &LambdaContext::LOCAL).unwrap();
        });
        if allocations > 0 {
            offenders.push((id.as_str(), allocations));
        }
    }
    // `get_claim` formats its 404's message into a `ServiceError` (a `String`): the one
    // allocation, the handler's own. Valid calls, 422s, the router's 404 and every tool call
    // allocate nothing.
    assert_eq!(offenders, [("bedrock-agent/claim-missing", 1)], "(case, allocations)");
}

#[test]
fn one_binary_answers_http_and_agents_for_the_same_routes() {
    let app = agents::app();
    let http = TestRequest::get("/claims").query("limit", "1").http_v2().invoke(&app).unwrap();
    let agent = TestRequest::get("/claims").query("limit", "1").bedrock_agent().invoke(&app).unwrap();
    assert_eq!((http.status(), agent.status()), (200, 200));
    assert_eq!(http.json::<Value>(), json!([{"id": "c-1", "status": "open", "amount": 120.5}]));
    assert_eq!(agent.json::<Value>(), http.json::<Value>());
    assert_eq!(agent.raw()["response"]["apiPath"], "/claims");
    // The same validation, the same 422.
    let http = TestRequest::get("/claims").query("limit", "50").rest_v1().invoke(&app).unwrap();
    let agent = TestRequest::get("/claims").query("limit", "50").bedrock_agent().invoke(&app).unwrap();
    assert_eq!((http.status(), agent.status()), (422, 422));
    assert_eq!(agent.text(), http.text());
    // Over HTTP, a body is JSON; for an agent, its properties.
    let body = json!({"policy": "POL-9", "amount": 10});
    let http = TestRequest::post("/claims").json_body(&body).alb().invoke(&app).unwrap();
    let agent = TestRequest::post("/claims").json_body(&body).bedrock_agent().invoke(&app).unwrap();
    assert_eq!((http.status(), agent.status()), (201, 201));
    assert_eq!(agent.json::<Value>(), json!({"id": "c-3", "policy": "POL-9", "amount": 10.0, "reason": null}));
    assert_eq!(agent.json::<Value>(), http.json::<Value>());
    assert_eq!(agent.raw()["sessionAttributes"], json!({"last_claim": "c-3"}));
    assert!(http.raw().get("sessionAttributes").is_none(), "HTTP answers carry no session");
}

#[test]
fn tools_fail_inside_the_envelope() {
    let app = agents::app();
    let call = |path: &str, params: &[(&str, &str)]| {
        let mut request = TestRequest::post(path);
        for (name, value) in params {
            request = request.query(name, value);
        }
        let response = request.bedrock_agent_function().invoke(&app).expect("an agent event");
        let envelope = response.raw().clone();
        assert_eq!(envelope["messageVersion"], "1.0");
        (response.json::<Value>(), envelope)
    };
    assert_eq!(call("/nope", &[]).0, json!("Error: no tool named `nope` in this app"));
    assert_eq!(call("/get_weather", &[]).0, json!("Error: invalid parameters: `city` missing"));
    assert_eq!(
        call("/get_weather", &[("city", "Oslo"), ("days", "x")]).0,
        json!("Error: invalid parameters: `days` int_parsing")
    );
    assert_eq!(call("/fail", &[]).0, json!("Error: the kitchen is on fire"));
    let (body, envelope) = call("/book", &[("name", "Ann"), ("people", "12")]);
    assert_eq!(body, json!("too many people"));
    assert_eq!(envelope["response"]["functionResponse"]["responseState"], "REPROMPT");
    let (body, envelope) = call("/get_weather", &[("city", "Oslo"), ("days", "5")]);
    assert_eq!(body, json!({"city": "Oslo", "days": 5, "forecast": ["sun", "sun", "sun"]}));
    assert_eq!(envelope["sessionAttributes"], json!({}), "the event's (empty) session kept");
}

#[test]
fn look_alikes_and_hostile_shapes_are_refused_by_name() {
    let base = cases()[0]["event"].clone();
    let edited = |edit: &dyn Fn(&mut Value)| {
        let mut event = base.clone();
        edit(&mut event);
        serde_json::to_vec(&event).unwrap()
    };
    let refused: Vec<(&str, Vec<u8>, &str)> = vec![
        ("an agent event with a path", edited(&|e| e["path"] = json!("/claims")), "`path`"),
        ("an agent event with requestContext", edited(&|e| e["requestContext"] = json!({})), "`requestContext`"),
        ("an operation and a function", edited(&|e| e["function"] = json!("book")), "`function`"),
        ("no messageVersion", edited(&|e| drop(e.as_object_mut().unwrap().remove("messageVersion"))), "messageVersion"),
        ("no agent", edited(&|e| drop(e.as_object_mut().unwrap().remove("agent"))), "`agent`"),
        ("no apiPath", edited(&|e| drop(e.as_object_mut().unwrap().remove("apiPath"))), "apiPath"),
        ("parameters not a list", edited(&|e| e["parameters"] = json!({"limit": "1"})), "`parameters`"),
        (
            "a parameter without a name",
            edited(&|e| e["parameters"] = json!([{"name": "status", "value": "open"}, {"value": "1"}])),
            "`parameters[1].name` is missing or not a string",
        ),
        (
            "a number as a value",
            edited(&|e| e["parameters"] = json!([{"name": "limit", "value": 1}])),
            "`parameters[0].value` is missing or not a string",
        ),
        ("a list of strings", edited(&|e| e["parameters"] = json!(["limit=1"])), "`parameters[0]` is not an object"),
        ("requestBody not an object", edited(&|e| e["requestBody"] = json!("{}")), "`requestBody`"),
        // Empty values of the wrong type (the reference reads Python's falsy values as absent).
        ("parameters an empty object", edited(&|e| e["parameters"] = json!({})), "`parameters` is not a list"),
        ("requestBody without content", edited(&|e| e["requestBody"] = json!({})), "`requestBody` is not"),
        ("sessionAttributes a list", edited(&|e| e["sessionAttributes"] = json!([])), "`sessionAttributes` is not"),
        (
            "properties not a list",
            edited(&|e| e["requestBody"] = json!({"content": {"application/json": {"properties": {"a": 1}}}})),
            "properties",
        ),
        (
            "a property without a value",
            edited(&|e| e["requestBody"] = json!({"content": {"application/json": {"properties": [{"name": "a"}]}}})),
            "`requestBody.content.application/json.properties[0].value` is missing or not a string",
        ),
        (
            "an HTTP event with actionGroup",
            serde_json::to_vec(&{
                let mut event = TestRequest::get("/claims").rest_v1().json().clone();
                event["actionGroup"] = json!("ClaimsActions");
                event
            })
            .unwrap(),
            "`path`",
        ),
    ];
    let mut workspace = Workspace::new();
    let fresh = answer(&mut Workspace::new(), &serde_json::to_vec(&base).unwrap()).unwrap();
    for (what, event, names) in refused {
        let error = answer(&mut workspace, &event).expect_err(what).to_string();
        assert!(error.contains(names), "{what}: {error}");
        // The next invocation answers as on a fresh workspace.
        assert_eq!(answer(&mut workspace, &serde_json::to_vec(&base).unwrap()).unwrap(), fresh, "after {what}");
    }
    // A body in another content type than JSON is no body: `missing`, as the reference.
    let event = edited(&|e| {
        e["httpMethod"] = json!("POST");
        e["requestBody"] = json!({"content": {"text/plain": {"body": "x"}}});
    });
    let got = answer(&mut workspace, &event).unwrap();
    assert_eq!(got["response"]["httpStatusCode"], 422, "{got}");
}
