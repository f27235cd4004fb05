//! An Amazon Bedrock Agents event answered: the agents example's OpenAPI action group
//! (`GET /claims?limit=1`, `POST /claims` with body properties, the same `POST` with two
//! errors) and its function action group (`get_weather`, `book`), through the whole pipeline on
//! both sides, in the same run.
//!
//! lambda-router: `agents::app()` (`examples/agents`), `App::handle` with a workspace reused
//! across iterations: the event detected in the same pass as the HTTP sources, routed through
//! the route table (or the tool table), the typed inputs validated, the Bedrock envelope written.
//! The peer: what a Rust user writes today, a `lambda_runtime` 1.x `service_fn` taking
//! `LambdaEvent<serde_json::Value>` that reads `apiPath`, `httpMethod`, `parameters` and
//! `requestBody` by hand, checks the same constraints by hand, and builds the envelope with
//! `serde_json::json!`. One peer invocation follows `lambda_runtime::run`'s own path without the
//! network, as `benches/common/peer.rs` does for `lambda_http`: the event bytes read as
//! `lambda_runtime` 1.5 reads every payload (`deserializer::deserialize`:
//! `serde_path_to_error::deserialize` over a `serde_json::Deserializer::from_slice`), the tower
//! service called with the `LambdaEvent`, `serde_json::to_vec` of the answer. Left out, in the
//! peer's favour: the `Context` that `lambda_runtime` builds from each invocation's headers (its
//! strings, its parsed client context), as lambda-router's own is left out. Each iteration is
//! event bytes in, response bytes out. Before measuring, every case
//! of `cases.jsonl` (a copy of `shared/conformance/agents/cases.jsonl`) is answered by both
//! sides and checked equal to the reference's answer (every key; a `body` string compared as
//! JSON, as `compare.py` does). The `floor` benchmarks time each side's first step alone on
//! each measured event: simd-json's parse into a reused tape (lambda-router), and
//! `lambda_runtime`'s read into a `Value` (the peer), with `serde_json::from_slice` alone beside
//! it (what the path tracking costs).
//!
//! Run: `cargo bench -p test-support --bench agents`.

mod common;

use std::hint::black_box;

use common::peer::block_on;
use criterion::{Criterion, criterion_group, criterion_main};
use lambda_router::{LambdaContext, Workspace};
use lambda_runtime::{Context, LambdaEvent, Service, service_fn};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The cases measured: `(group, case id in cases.jsonl)`; the id's last part names the floors.
/// `GET /ping` (no parameter, no validation, the body `pong`) is the cheapest route either
/// side answers: what the pipeline costs around a handler that does nothing.
const MEASURED: [(&str, &str); 6] = [
    ("agents: GET /ping (no input)", "bedrock-agent/ping"),
    ("agents: GET /claims?limit=1", "bedrock-agent/list-limit"),
    ("agents: POST /claims, 201 + session attributes", "bedrock-agent/file"),
    ("agents: POST /claims, 422 (2 errors)", "bedrock-agent/file-bad"),
    ("agents: function get_weather", "bedrock-agent-function/weather"),
    ("agents: function book, session attributes", "bedrock-agent-function/book"),
];

// The peer: the same app, by hand over `serde_json::Value`.

#[derive(Serialize, Clone, Copy)]
struct Claim {
    id: &'static str,
    status: &'static str,
    amount: f64,
}

const CLAIMS: [Claim; 2] =
    [Claim { id: "c-1", status: "open", amount: 120.5 }, Claim { id: "c-2", status: "paid", amount: 80.0 }];

/// What a route answers: the status, the body as text, the attributes it sets.
struct Reply {
    status: u16,
    body: String,
    session: Option<Value>,
    prompt: Option<Value>,
}

impl Reply {
    fn json(status: u16, body: &impl Serialize) -> Reply {
        Reply { status, body: serde_json::to_string(body).unwrap_or_default(), session: None, prompt: None }
    }

    /// The 422 of the HTTP apps: `{"statusCode":422,"detail":[{"loc":..,"type":..}]}`.
    fn invalid(detail: Vec<Value>) -> Reply {
        Reply::json(422, &json!({"statusCode": 422, "detail": detail}))
    }
}

/// `parameters[]` (or a body's `properties[]`): the value of the entry named `name`.
fn lookup<'a>(entries: &'a Value, name: &str) -> Option<&'a Value> {
    entries.as_array()?.iter().find(|entry| entry["name"] == name).map(|entry| &entry["value"])
}

/// `GET /claims`: `limit` 1..=10, default 3; `status` or absent.
fn list_claims(parameters: &Value) -> Reply {
    let limit = match lookup(parameters, "limit").map(|value| value.as_str().map(|text| text.trim().parse::<i64>())) {
        None => 3,
        Some(Some(Ok(limit))) if (1..=10).contains(&limit) => limit,
        Some(Some(Ok(limit))) => {
            let kind = if limit < 1 { "greater_than_equal" } else { "less_than_equal" };
            return Reply::invalid(vec![json!({"loc": ["query", "limit"], "type": kind})]);
        }
        Some(_) => return Reply::invalid(vec![json!({"loc": ["query", "limit"], "type": "int_parsing"})]),
    };
    let status = lookup(parameters, "status").and_then(Value::as_str);
    let found: Vec<Claim> = CLAIMS
        .iter()
        .filter(|claim| status.is_none_or(|status| claim.status == status))
        .take(limit as usize)
        .copied()
        .collect();
    Reply::json(200, &found)
}

/// `GET /claims/{claim_id}`: the claim, or 404.
fn get_claim(claim_id: &str) -> Reply {
    match CLAIMS.iter().find(|claim| claim.id == claim_id) {
        Some(claim) => Reply::json(200, claim),
        None => Reply::json(404, &json!({"statusCode": 404, "message": format!("no claim {claim_id}")})),
    }
}

/// `POST /claims`: `NewClaim` from the body's properties (`policy` 3..=12 chars, `amount` > 0
/// and ≤ 10000, `reason` ≤ 40 chars or null), 201 and the session attributes.
fn file_claim(request_body: &Value) -> Reply {
    let Some(properties) = request_body.get("content").and_then(|content| content.get("application/json")) else {
        return Reply::invalid(vec![json!({"loc": ["body"], "type": "missing"})]);
    };
    let properties = &properties["properties"];
    let mut detail = Vec::new();
    let mut error = |field: &str, kind: &str| detail.push(json!({"loc": ["body", field], "type": kind}));
    let policy = match lookup(properties, "policy").and_then(Value::as_str) {
        None => {
            error("policy", "missing");
            None
        }
        Some(policy) if policy.chars().count() < 3 => {
            error("policy", "string_too_short");
            None
        }
        Some(policy) if policy.chars().count() > 12 => {
            error("policy", "string_too_long");
            None
        }
        Some(policy) => Some(policy),
    };
    let amount = match lookup(properties, "amount").and_then(Value::as_str).map(|text| text.trim().parse::<f64>()) {
        None => {
            error("amount", "missing");
            None
        }
        Some(Err(_)) => {
            error("amount", "float_parsing");
            None
        }
        Some(Ok(amount)) if amount <= 0.0 => {
            error("amount", "greater_than");
            None
        }
        Some(Ok(amount)) if amount > 10000.0 => {
            error("amount", "less_than_equal");
            None
        }
        Some(Ok(amount)) => Some(amount),
    };
    let reason = lookup(properties, "reason").and_then(Value::as_str);
    if reason.is_some_and(|reason| reason.chars().count() > 40) {
        error("reason", "string_too_long");
    }
    match (policy, amount) {
        (Some(policy), Some(amount)) if detail.is_empty() => Reply {
            status: 201,
            body: serde_json::to_string(&json!({"id": "c-3", "policy": policy, "amount": amount, "reason": reason}))
                .unwrap_or_default(),
            session: Some(json!({"last_claim": "c-3"})),
            prompt: Some(json!({"policy": policy})),
        },
        _ => Reply::invalid(detail),
    }
}

/// An OpenAPI action group event: the route by method and `apiPath` (as written in the document,
/// or concrete), its answer in Bedrock's envelope.
fn openapi(event: &Value, api_path: &str) -> Value {
    let method = event["httpMethod"].as_str().unwrap_or_default();
    let parameters = &event["parameters"];
    let claim_id = api_path.strip_prefix("/claims/").filter(|rest| !rest.is_empty() && !rest.contains('/'));
    let reply = match (method, api_path, claim_id) {
        ("GET", "/claims", _) => list_claims(parameters),
        ("POST", "/claims", _) => file_claim(&event["requestBody"]),
        ("GET", _, Some(segment)) => match lookup(parameters, "claim_id").and_then(Value::as_str) {
            Some(claim_id) => get_claim(claim_id),
            None if segment != "{claim_id}" => get_claim(segment),
            None => Reply::invalid(vec![json!({"loc": ["path", "claim_id"], "type": "missing"})]),
        },
        ("GET", "/ping", _) => Reply { status: 200, body: "pong".to_owned(), session: None, prompt: None },
        _ => Reply::json(404, &json!({"statusCode": 404, "message": "Not found"})),
    };
    let mut answer = json!({
        "messageVersion": "1.0",
        "response": {
            "actionGroup": event["actionGroup"],
            "apiPath": api_path,
            "httpMethod": method,
            "httpStatusCode": reply.status,
            "responseBody": {"application/json": {"body": reply.body}},
        },
    });
    if let Some(session) = reply.session {
        answer["sessionAttributes"] = session;
    }
    if let Some(prompt) = reply.prompt {
        answer["promptSessionAttributes"] = prompt;
    }
    answer
}

/// A function's parameters, each converted by its declared type.
fn typed_parameters(parameters: &Value) -> Map<String, Value> {
    let mut typed = Map::new();
    for parameter in parameters.as_array().into_iter().flatten() {
        let (Some(name), Some(value)) = (parameter["name"].as_str(), parameter["value"].as_str()) else { continue };
        let value = match parameter["type"].as_str() {
            Some("integer") => value.trim().parse::<i64>().map_or(Value::Null, Value::from),
            Some("number") => value.trim().parse::<f64>().map_or(Value::Null, Value::from),
            Some("boolean") => Value::Bool(value.eq_ignore_ascii_case("true")),
            _ => Value::from(value),
        };
        typed.insert(name.to_owned(), value);
    }
    typed
}

/// What a tool answers: its result, the answer's state, its session attributes.
type ToolReply = Result<(Value, Option<&'static str>, Option<Value>), String>;

fn get_weather(parameters: &Map<String, Value>) -> ToolReply {
    let city = parameters.get("city").and_then(Value::as_str).ok_or("invalid parameters: `city` missing")?;
    let days = match parameters.get("days") {
        None => 1,
        Some(days) => days.as_i64().ok_or("invalid parameters: `days` int_parsing")?,
    };
    let forecast = vec!["sun"; days.clamp(0, 3) as usize];
    Ok((json!({"city": city, "days": days, "forecast": forecast}), None, None))
}

fn book(parameters: &Map<String, Value>) -> ToolReply {
    let name = parameters.get("name").and_then(Value::as_str).ok_or("invalid parameters: `name` missing")?;
    let people = match parameters.get("people") {
        None => return Err("invalid parameters: `people` missing".to_owned()),
        Some(people) => people.as_i64().ok_or("invalid parameters: `people` int_parsing")?,
    };
    let vip = parameters.get("vip").and_then(Value::as_bool).unwrap_or(false);
    if people > 8 {
        return Ok((json!("too many people"), Some("REPROMPT"), None));
    }
    Ok((json!({"booked": name, "people": people, "vip": vip}), None, Some(json!({"booking": name}))))
}

/// A function action group event: the tool by name, its answer (or `Error: ...`) in Bedrock's
/// envelope.
fn function(event: &Value, name: &str) -> Value {
    let parameters = typed_parameters(&event["parameters"]);
    let reply = match name {
        "get_weather" => get_weather(&parameters),
        "book" => book(&parameters),
        "fail" => Err("the kitchen is on fire".to_owned()),
        _ => Err(format!("no tool named `{name}` in this app")),
    };
    let (result, state, session) = reply.unwrap_or_else(|error| (json!(format!("Error: {error}")), None, None));
    let mut function_response =
        json!({"responseBody": {"TEXT": {"body": serde_json::to_string(&result).unwrap_or_default()}}});
    if let Some(state) = state {
        function_response["responseState"] = json!(state);
    }
    let or_empty = |value: &Value| if value.is_object() { value.clone() } else { json!({}) };
    json!({
        "messageVersion": "1.0",
        "response": {"actionGroup": event["actionGroup"], "function": name, "functionResponse": function_response},
        "sessionAttributes": session.unwrap_or_else(|| or_empty(&event["sessionAttributes"])),
        "promptSessionAttributes": or_empty(&event["promptSessionAttributes"]),
    })
}

/// The peer's handler, as `lambda_runtime::run(service_fn(handler))` would call it.
async fn handler(event: LambdaEvent<Value>) -> Result<Value, lambda_runtime::Error> {
    let event = event.payload;
    if let Some(api_path) = event["apiPath"].as_str() {
        Ok(openapi(&event, api_path))
    } else if let Some(name) = event["function"].as_str() {
        Ok(function(&event, name))
    } else {
        Err("not a Bedrock Agents event".into())
    }
}

/// One invocation of the peer, bytes in, bytes out: `lambda_runtime`'s deserialization of the
/// payload (its `deserializer.rs`, which reports the path of a payload that does not fit), the
/// service, the serialization of its answer.
fn invoke<S>(service: &mut S, input: &[u8]) -> Vec<u8>
where
    S: Service<LambdaEvent<Value>, Response = Value, Error = lambda_runtime::Error>,
{
    let payload: Value = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(input))
        .expect("lambda_runtime reads the event");
    let event = LambdaEvent::new(payload, Context::default());
    let answer = block_on(service.call(event)).expect("the handler answers");
    serde_json::to_vec(&answer).expect("the answer serializes")
}

/// An answer with every `body` string read as JSON when it is JSON (as compare.py does).
fn normalized(mut answer: Value) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map.iter_mut() {
                    if key == "body"
                        && let Some(parsed) = inner.as_str().and_then(|text| serde_json::from_str::<Value>(text).ok())
                    {
                        *inner = json!({"json": parsed});
                    } else {
                        walk(inner);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut answer);
    answer
}

fn parsed(response: &[u8]) -> Value {
    normalized(serde_json::from_slice(response).expect("a JSON answer"))
}

fn bench(c: &mut Criterion) {
    let app = agents::app();
    let mut workspace = Workspace::new();
    let mut peer = service_fn(handler);
    let cases: Vec<(String, Vec<u8>, Value)> = include_str!("../tests/fixtures/agents/cases.jsonl")
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let case: Value = serde_json::from_str(line).expect("a case");
            let event = serde_json::to_vec(&case["event"]).expect("serializes");
            (case["id"].as_str().expect("an id").to_owned(), event, normalized(case["expected"].clone()))
        })
        .collect();
    for (id, event, expected) in &cases {
        let ours = parsed(app.handle(&mut workspace, event, &LambdaContext::LOCAL).expect("an agent event"));
        assert_eq!(&ours, expected, "lambda-router {id}");
        let theirs = parsed(&invoke(&mut peer, event));
        assert_eq!(&theirs, expected, "peer {id}");
    }

    for (group_name, id) in MEASURED {
        let (_, event, _) = cases.iter().find(|(case, _, _)| case == id).expect("a measured case");
        let ours = app.handle(&mut workspace, event, &LambdaContext::LOCAL).expect("handled").to_vec();
        let theirs = invoke(&mut peer, event);
        eprintln!("{group_name}: event {} B, answers {} B / {} B", event.len(), ours.len(), theirs.len());
        let mut group = c.benchmark_group(group_name);
        group.bench_function("lambda-router", |b| {
            b.iter(|| {
                let response = app.handle(&mut workspace, black_box(event), &LambdaContext::LOCAL).expect("handled");
                black_box(response.len())
            })
        });
        group.bench_function("lambda_runtime+serde_json::Value", |b| {
            b.iter(|| black_box(invoke(&mut peer, black_box(event)).len()))
        });
        group.finish();
    }
    for (_, id) in MEASURED {
        let (_, event, _) = cases.iter().find(|(case, _, _)| case == id).expect("a measured case");
        floor(c, id.rsplit('/').next().unwrap_or(id), event);
    }
}

/// The floors of each side on one event: simd-json alone (the copy into a padded buffer and the
/// parse into a reused tape, which every lambda-router invocation does first), `lambda_runtime`'s
/// read into a `Value` (which the peer does first), and `serde_json::from_slice` alone.
fn floor(c: &mut Criterion, case: &str, event: &[u8]) {
    let mut buffer = vec![0u8; event.len() + simd_json::INPUT_PADDING];
    let mut buffers = simd_json::Buffers::new(event.len());
    let mut tape = Some(simd_json::tape::Tape(Vec::new()));
    let mut group = c.benchmark_group(format!("floor: {case} event ({} B)", event.len()));
    group.bench_function("simd-json parse", |b| {
        b.iter(|| {
            buffer[..event.len()].copy_from_slice(black_box(event));
            let mut parsed = tape.take().unwrap_or_else(|| simd_json::tape::Tape(Vec::new())).reset();
            simd_json::fill_tape_padded(&mut buffer, event.len(), &mut buffers, &mut parsed).expect("valid JSON");
            black_box(parsed.0.len());
            tape = Some(parsed.reset());
        })
    });
    group.bench_function("lambda_runtime's read into a serde_json::Value", |b| {
        b.iter(|| {
            let read: Result<Value, _> =
                serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(black_box(event)));
            black_box(read.expect("valid JSON").is_object())
        })
    });
    group.bench_function("serde_json::Value parse", |b| {
        b.iter(|| black_box(serde_json::from_slice::<Value>(black_box(event)).expect("valid JSON").is_object()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
