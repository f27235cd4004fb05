//! End to end through `lambda_runtime`: the hello example binary is started with
//! `AWS_LAMBDA_RUNTIME_API` pointing at a Runtime API emulator this test runs on 127.0.0.1
//! (`/invocation/next`, `/response`, `/error`, hyper). It gets a normal event, one whose
//! handler panics, a malformed one and more normal ones; every outcome is checked in order,
//! with the process still serving at the end. A second test runs invocations concurrently
//! (`AWS_LAMBDA_MAX_CONCURRENCY`) through an async handler that yields, so that they
//! interleave: each answer must be its own request's.

mod common;

use std::collections::VecDeque;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use serde_json::{Value, json};

/// What the function posted for one invocation.
#[derive(Debug, Clone)]
struct Outcome {
    request_id: String,
    kind: &'static str,
    body: Value,
}

/// What the emulator keeps per posted outcome: the bytes, read into an [`Outcome`] only when a
/// test asks, so that serving an invocation costs the emulator no JSON parsing (it is on the
/// function's path: `lambda_runtime` posts, waits for the answer, then polls again).
type Posted = (String, &'static str, Bytes);

#[derive(Default)]
struct State {
    queue: VecDeque<(String, Vec<u8>)>,
    outcomes: Vec<Posted>,
    polls: usize,
    /// Invocations handed out and not yet answered, and the most there ever were at once.
    in_flight: usize,
    max_in_flight: usize,
    /// When the first `/next` arrived and when each outcome's request arrived (before its
    /// body is read): the cold-start measurement's clock, read where the exchange happens
    /// rather than by a waiter that polls.
    first_poll_at: Option<Instant>,
    posted_at: Vec<Instant>,
    /// Per posted outcome: whether it carried the invocation id its `/next` gave
    /// (`Lambda-Runtime-Invocation-Id`), `None` when it carried none (`lambda_runtime` 1.x).
    echoed: Vec<Option<bool>>,
    /// Answer every `/next` with a 500 (a Runtime API gone wrong).
    refuse_next: bool,
}

/// A minimal Lambda Runtime API: `/next` hands out queued events (and holds the request
/// while the queue is empty), `/response` and `/error` record what the function posts.
struct Emulator {
    state: Arc<Mutex<State>>,
    port: u16,
    _runtime: tokio::runtime::Runtime,
}

impl Emulator {
    fn start() -> Emulator {
        let state = Arc::new(Mutex::new(State::default()));
        let (runtime, port) =
            common::serve_http(state.clone(), |state, request| async move { Ok(route(state, request).await) });
        Emulator { state, port, _runtime: runtime }
    }

    fn push(&self, request_id: &str, event: impl Into<Vec<u8>>) {
        self.state.lock().unwrap().queue.push_back((request_id.to_owned(), event.into()));
    }

    /// When the first `/next` and the first outcome arrived (call after `outcomes(1)`).
    fn first_exchange(&self) -> (Instant, Instant) {
        let state = self.state.lock().unwrap();
        (state.first_poll_at.expect("a /next arrived"), state.posted_at[0])
    }

    /// Waits until `count` outcomes are in (or panics after 30 s).
    fn outcomes(&self, count: usize) -> Vec<Outcome> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let posted = self.state.lock().unwrap().outcomes.len();
            if posted >= count {
                break;
            }
            assert!(Instant::now() < deadline, "only {posted} of {count} outcomes after 30 s");
            std::thread::sleep(Duration::from_micros(100));
        }
        let posted = self.state.lock().unwrap().outcomes.clone();
        posted
            .into_iter()
            .map(|(request_id, kind, body)| Outcome {
                request_id,
                kind,
                body: serde_json::from_slice(&body).unwrap_or_else(|_| json!(String::from_utf8_lossy(&body))),
            })
            .collect()
    }

    /// Starts the hello example against this emulator.
    fn run_hello(&self, concurrency: Option<u32>) -> Function {
        self.run(&common::binary("hello"), concurrency)
    }

    /// Starts `binary` against this emulator.
    fn run(&self, binary: &std::path::Path, concurrency: Option<u32>) -> Function {
        self.run_with(binary, concurrency, &[])
    }

    /// Starts `binary` against this emulator, with more environment.
    fn run_with(&self, binary: &std::path::Path, concurrency: Option<u32>, env: &[(&str, &str)]) -> Function {
        Function(self.command(binary, concurrency, env).spawn().expect("the hello example starts"))
    }

    /// The command that starts `binary` against this emulator, as Lambda would (logging at
    /// ERROR, output discarded); `env` comes last, so it may override.
    fn command(&self, binary: &std::path::Path, concurrency: Option<u32>, env: &[(&str, &str)]) -> Command {
        let mut command = Command::new(binary);
        command
            .env("AWS_LAMBDA_RUNTIME_API", format!("127.0.0.1:{}", self.port))
            .env("AWS_LAMBDA_FUNCTION_NAME", "hello")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_LEVEL", "ERROR")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(concurrency) = concurrency {
            command.env("AWS_LAMBDA_MAX_CONCURRENCY", concurrency.to_string());
        }
        command.envs(env.iter().copied());
        command
    }
}

struct Function(Child);

impl Function {
    fn still_running(&mut self) -> bool {
        matches!(self.0.try_wait(), Ok(None))
    }
}

impl Drop for Function {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn route(
    state: Arc<Mutex<State>>,
    request: hyper::Request<hyper::body::Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let path = request.uri().path().to_owned();
    let arrived = Instant::now();
    if path.ends_with("/invocation/next") {
        {
            let mut state = state.lock().unwrap();
            state.polls += 1;
            state.first_poll_at.get_or_insert(arrived);
            if state.refuse_next {
                return hyper::Response::builder().status(500).body(Full::new(Bytes::from_static(b"{}"))).unwrap();
            }
        }
        loop {
            let next = {
                let mut state = state.lock().unwrap();
                let next = state.queue.pop_front();
                if next.is_some() {
                    state.in_flight += 1;
                    state.max_in_flight = state.max_in_flight.max(state.in_flight);
                }
                next
            };
            if let Some((request_id, event)) = next {
                let deadline =
                    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() + 30_000;
                return hyper::Response::builder()
                    .header("lambda-runtime-aws-request-id", &request_id)
                    .header("lambda-runtime-deadline-ms", deadline.to_string())
                    .header(
                        "lambda-runtime-invoked-function-arn",
                        "arn:aws:lambda:us-east-1:123456789012:function:hello",
                    )
                    .header("lambda-runtime-trace-id", trace_id_of(&request_id))
                    .header("lambda-runtime-invocation-id", invocation_id_of(&request_id))
                    .body(Full::new(Bytes::from(event)))
                    .unwrap();
            }
            tokio::time::sleep(Duration::from_micros(100)).await;
        }
    }
    let kind = if path.ends_with("/response") {
        "response"
    } else if path.ends_with("/error") {
        "error"
    } else {
        "other"
    };
    let request_id = path.split('/').rev().nth(1).unwrap_or("").to_owned();
    let echoed =
        request.headers().get("lambda-runtime-invocation-id").map(|v| v == invocation_id_of(&request_id).as_str());
    let body = request.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let mut recorded = state.lock().unwrap();
    recorded.in_flight = recorded.in_flight.saturating_sub(1);
    recorded.outcomes.push((request_id, kind, body));
    recorded.echoed.push(echoed);
    recorded.posted_at.push(arrived);
    drop(recorded);
    hyper::Response::builder().status(202).body(Full::new(Bytes::from_static(b"{}"))).unwrap()
}

/// The invocation id the emulator hands out with `request_id`.
fn invocation_id_of(request_id: &str) -> String {
    format!("inv-{request_id}")
}

/// Asserts that every outcome posted so far echoed its invocation's id.
fn assert_every_post_echoed_its_invocation_id(emulator: &Emulator) {
    let echoed = emulator.state.lock().unwrap().echoed.clone();
    assert!(!echoed.is_empty() && echoed.iter().all(|e| *e == Some(true)), "{echoed:?}");
}

/// The X-Ray trace id the emulator hands out with `request_id`: each invocation its own.
fn trace_id_of(request_id: &str) -> String {
    format!("Root=1-00000000-{request_id};Sampled=0")
}

fn rest_event(path: &str) -> Vec<u8> {
    let mut event: Value = serde_json::from_str(include_str!(
        "../../crates/lambda-router/tests/fixtures/events/apiGatewayProxyEvent.json"
    ))
    .unwrap();
    event["path"] = json!(path);
    serde_json::to_vec(&event).unwrap()
}

fn body_of(outcome: &Outcome) -> Value {
    serde_json::from_str(outcome.body["body"].as_str().unwrap_or("null")).unwrap_or(Value::Null)
}

#[test]
fn normal_panicking_and_malformed_invocations_in_order() {
    let emulator = Emulator::start();
    emulator.push("one", rest_event("/hello"));
    emulator.push("two", rest_event("/boom"));
    emulator.push("three", b"this is not JSON".to_vec());
    emulator.push("four", br#"{"neither": "a REST nor an HTTP API event"}"#.to_vec());
    emulator.push("five", rest_event("/hello/again"));
    let mut function = emulator.run_hello(None);

    let outcomes = emulator.outcomes(5);
    let summary: Vec<(&str, &str)> = outcomes.iter().map(|o| (o.request_id.as_str(), o.kind)).collect();
    assert_eq!(
        summary,
        [("one", "response"), ("two", "response"), ("three", "error"), ("four", "error"), ("five", "response")]
    );
    assert_eq!(outcomes[0].body["statusCode"], 200);
    assert_eq!(body_of(&outcomes[0]), json!({"message": "hello universe"}));
    // The panic answers 500 with a generic body.
    assert_eq!(outcomes[1].body["statusCode"], 500);
    assert_eq!(body_of(&outcomes[1]), json!({"statusCode": 500, "message": "Internal Server Error"}));
    // Malformed events are reported to /error with what was wrong.
    assert_eq!(outcomes[2].body["errorType"], "LambdaRouter.InvalidEvent");
    assert_eq!(outcomes[2].body["errorMessage"], "invalid JSON at byte 0");
    assert_eq!(outcomes[3].body["errorType"], "LambdaRouter.InvalidEvent");
    assert!(outcomes[3].body["errorMessage"].as_str().unwrap().starts_with("unsupported event"));
    assert_eq!(body_of(&outcomes[4]), json!({"message": "hello again"}));

    // Still serving: polling for the next invocation, and answering it.
    assert!(function.still_running());
    emulator.push("six", rest_event("/hello/six"));
    let outcomes = emulator.outcomes(6);
    assert_eq!(body_of(&outcomes[5]), json!({"message": "hello six"}));
    assert!(function.still_running());
}

#[test]
fn the_pipeline_warms_up_while_the_first_next_waits_and_the_first_event_is_answered_as_ever() {
    for warm_up in ["on", "off"] {
        let emulator = Emulator::start();
        let env = [("AWS_LAMBDA_LOG_LEVEL", "debug"), ("LAMBDA_ROUTER_WARM_UP", warm_up)];
        let mut command = emulator.command(&common::binary("hello"), None, &env);
        let mut child = command.stderr(Stdio::piped()).spawn().expect("the hello example starts");
        let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut function = Function(child);
        // Every stderr line, as it comes.
        let (lines, seen) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufRead::lines(stderr).map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let warmed = |line: &str| line.contains("warmed up while waiting for the first event");
        if warm_up == "on" {
            // No event is queued yet, so the first `/next` waits; the warm-up happens before
            // any event exists, and the first invocation below takes the workspace it left.
            let line = std::iter::from_fn(|| seen.recv_timeout(Duration::from_secs(20)).ok())
                .find(|line| warmed(line))
                .expect("the warm-up's debug line, with no event queued");
            let deadline = Instant::now() + Duration::from_secs(20);
            while emulator.state.lock().unwrap().polls == 0 {
                assert!(Instant::now() < deadline, "the first /next never came");
                std::thread::sleep(Duration::from_millis(1));
            }
            let logged: Value = serde_json::from_str(&line).unwrap();
            assert_eq!(logged["level"], "DEBUG");
            assert!(logged["micros"].as_u64().is_some(), "{line}");
        }
        emulator.push("first", rest_event("/hello"));
        let outcomes = emulator.outcomes(1);
        assert_eq!(outcomes[0].kind, "response");
        assert_eq!(outcomes[0].body["statusCode"], 200);
        assert_eq!(body_of(&outcomes[0]), json!({"message": "hello universe"}));
        assert_eq!(outcomes[0].body["multiValueHeaders"]["Access-Control-Allow-Origin"], json!(["*"]));
        if warm_up == "off" {
            // Any warm-up line would have been written before the first invocation's answer.
            std::thread::sleep(Duration::from_millis(100));
            assert!(!seen.try_iter().any(|line| warmed(&line)), "LAMBDA_ROUTER_WARM_UP=off turns it off");
        }
        assert!(function.still_running());
    }
}

#[test]
fn without_the_concurrency_feature_invocations_run_one_at_a_time() {
    // hello is built without lambda-router's `concurrency` feature: asked for 4 at once, it
    // answers every invocation, one after the other.
    let emulator = Emulator::start();
    let names: Vec<String> = (0..8).map(|i| format!("name-{i}-{}", "x".repeat(i * 37))).collect();
    for (i, name) in names.iter().enumerate() {
        emulator.push(&format!("req-{i}"), rest_event(&format!("/later/{name}")));
    }
    let mut function = emulator.run_hello(Some(4));
    let outcomes = emulator.outcomes(names.len());
    for outcome in &outcomes {
        let index: usize = outcome.request_id.trim_start_matches("req-").parse().unwrap();
        assert_eq!(outcome.kind, "response");
        assert_eq!(body_of(outcome), json!({"message": format!("hello later, {}", names[index])}));
    }
    assert_eq!(emulator.state.lock().unwrap().max_in_flight, 1, "one invocation at a time");
    assert!(function.still_running());
}

#[test]
fn an_async_main_serves_concurrently_from_inside_its_own_runtime() {
    // The todos example: `#[tokio::main]` (a multi-thread runtime), async start-up, then
    // `run_async`; four invocations at once.
    let emulator = Emulator::start();
    // Titles of different lengths: each invocation's arena holds its own, and a response
    // carrying another invocation's title would show a shared arena.
    let titles: Vec<String> = (0..16).map(|i| format!("todo {i}-{}", "x".repeat(i * 37))).collect();
    for (i, title) in titles.iter().enumerate() {
        let mut event: Value = serde_json::from_slice(&rest_event("/todos")).unwrap();
        event["httpMethod"] = json!("POST");
        event["headers"]["Authorization"] = json!("Bearer e2e-token");
        event["multiValueHeaders"]["Authorization"] = json!(["Bearer e2e-token"]);
        event["body"] = json!(json!({"title": title}).to_string());
        emulator.push(&format!("req-{i}"), serde_json::to_vec(&event).unwrap());
    }
    emulator.push("health", rest_event("/health"));
    let mut function = emulator.run_with(&common::binary("todos"), Some(4), &[("TODOS_TOKEN", "e2e-token")]);
    let outcomes = emulator.outcomes(titles.len() + 1);
    for outcome in &outcomes {
        assert_eq!(outcome.kind, "response", "{outcome:?}");
        if outcome.request_id == "health" {
            assert_eq!(body_of(outcome), json!({"status": "ok"}));
            continue;
        }
        let index: usize = outcome.request_id.trim_start_matches("req-").parse().unwrap();
        assert_eq!(outcome.body["statusCode"], 201, "{outcome:?}");
        assert_eq!(body_of(outcome)["title"], json!(titles[index]), "{}", outcome.request_id);
    }
    let most = emulator.state.lock().unwrap().max_in_flight;
    assert!(most >= 2, "invocations ran concurrently: at most {most} at once");
    assert!(function.still_running());
}

/// The process's threads (Linux: `/proc/PID/task`).
fn threads_of(function: &Function) -> usize {
    std::fs::read_dir(format!("/proc/{}/task", function.0.id())).map_or(0, Iterator::count)
}

#[test]
fn a_handler_computing_for_50_ms_holds_up_no_other_slot() {
    // Four slots; the first event computes for 50 ms without awaiting. Meanwhile the other three
    // slots poll `/next` and answer every other invocation: all of them are posted before it.
    let emulator = Emulator::start();
    emulator.push("burn", rest_event("/burn/50"));
    let quick = 24;
    for i in 0..quick {
        emulator.push(&format!("req-{i}"), rest_event(&format!("/whoami/{i}")));
    }
    let mut function = emulator.run(&common::binary("slots"), Some(4));
    let outcomes = emulator.outcomes(quick + 1);
    assert!(outcomes.iter().all(|o| o.kind == "response"), "{outcomes:?}");
    let order: Vec<&str> = outcomes.iter().map(|o| o.request_id.as_str()).collect();
    assert_eq!(order.last(), Some(&"burn"), "every other invocation answered before the burn ended: {order:?}");
    assert_eq!(body_of(&outcomes[quick]), json!(50));
    assert_every_post_echoed_its_invocation_id(&emulator);
    let state = emulator.state.lock().unwrap();
    let (burn_polled, burn_posted) = (state.first_poll_at.unwrap(), state.posted_at[quick]);
    assert!(burn_posted - burn_polled >= Duration::from_millis(50));
    drop(state);
    assert!(function.still_running());
}

#[test]
fn an_invocation_awaiting_and_one_computing_hold_up_no_other_event() {
    // Four slots on two workers: the first invocation awaits a 300 ms timer (keeping its
    // worker), the second computes for 100 ms (keeping the other). The events after them are
    // taken by workers started meanwhile, and answered before either ends.
    let emulator = Emulator::start();
    emulator.push("wait", rest_event("/wait/300"));
    emulator.push("burn", rest_event("/burn/100"));
    let quick = 12;
    for i in 0..quick {
        emulator.push(&format!("req-{i}"), rest_event(&format!("/whoami/{i}")));
    }
    let mut function = emulator.run(&common::binary("slots"), Some(4));
    let outcomes = emulator.outcomes(quick + 2);
    assert!(outcomes.iter().all(|o| o.kind == "response"), "{outcomes:?}");
    let order: Vec<&str> = outcomes.iter().map(|o| o.request_id.as_str()).collect();
    assert_eq!(&order[quick..], ["burn", "wait"], "every other invocation answered before the burn ended: {order:?}");
    assert_every_post_echoed_its_invocation_id(&emulator);
    assert!(threads_of(&function) <= 4 + 1, "at most a worker per slot");
    assert!(function.still_running());
}

#[test]
fn each_slot_answers_with_its_own_context_and_logs_its_own_ids() {
    // Eight slots, 64 invocations that await mid-handler (so that they interleave), each with
    // its own request id and trace id; the access log on.
    let emulator = Emulator::start();
    let count = 64;
    for i in 0..count {
        emulator.push(&format!("req-{i}"), rest_event(&format!("/whoami/{i}")));
    }
    let binary = common::binary("slots");
    let mut command = emulator.command(&binary, Some(8), &[("LAMBDA_ROUTER_ACCESS_LOG", "true")]);
    let mut function = Function(command.stderr(Stdio::piped()).spawn().expect("the slots function starts"));
    let outcomes = emulator.outcomes(count);
    for outcome in &outcomes {
        assert_eq!(outcome.kind, "response", "{outcome:?}");
        let n: usize = outcome.request_id.trim_start_matches("req-").parse().unwrap();
        let (id, trace) = (format!("req-{n}"), trace_id_of(&format!("req-{n}")));
        assert_eq!(
            body_of(outcome),
            json!({"n": n.to_string(), "request_id": id, "xray_trace_id": trace, "after_await": [id, trace]})
        );
    }
    let most = emulator.state.lock().unwrap().max_in_flight;
    assert!(most >= 2, "invocations ran at once: at most {most}");
    // A worker thread per CPU (at least two, at most one per slot), more while invocations
    // await and every worker is busy, never more than one per slot; and the main thread
    // waiting for them, whatever the number of invocations. The workspaces are the slots', eight.
    let workers = std::thread::available_parallelism().map_or(2, usize::from).clamp(2, 8);
    let threads = threads_of(&function);
    assert!((workers + 1..=8 + 1).contains(&threads), "{threads} threads");
    assert!(function.still_running());
    // The access log: one line per invocation, each with its own request id and trace id.
    let _ = function.0.kill();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut function.0.stderr.take().unwrap(), &mut stderr).unwrap();
    let lines: Vec<Value> = stderr.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let requests: Vec<&Value> = lines.iter().filter(|l| l["message"] == "request").collect();
    assert_eq!(requests.len(), count, "{stderr}");
    for line in requests {
        let n = line["path"].as_str().unwrap().trim_start_matches("/whoami/");
        let id = format!("req-{n}");
        assert_eq!(line["request_id"], json!(id), "{line}");
        assert_eq!(line["xray_trace_id"], json!(trace_id_of(&id)), "{line}");
    }
}

#[test]
fn a_panic_or_a_malformed_event_in_one_slot_leaves_the_others_and_the_next_clean() {
    // Four slots, 48 invocations: every fifth panics mid-await, every seventh is no event,
    // the rest answer their own ids after awaiting (so that they interleave with the panics).
    let emulator = Emulator::start();
    let count = 48;
    let kind = |i: usize| {
        if i.is_multiple_of(5) {
            "boom"
        } else if i.is_multiple_of(7) {
            "malformed"
        } else {
            "whoami"
        }
    };
    for i in 0..count {
        let event = match kind(i) {
            "malformed" => br#"{"neither": "a REST nor an HTTP API event"}"#.to_vec(),
            path => rest_event(&format!("/{path}/{i}")),
        };
        emulator.push(&format!("req-{i}"), event);
    }
    let mut function = emulator.run(&common::binary("slots"), Some(4));
    let outcomes = emulator.outcomes(count);
    for outcome in &outcomes {
        let i: usize = outcome.request_id.trim_start_matches("req-").parse().unwrap();
        match kind(i) {
            "boom" => {
                assert_eq!(outcome.kind, "response", "{outcome:?}");
                assert_eq!(outcome.body["statusCode"], 500, "{outcome:?}");
                assert_eq!(body_of(outcome), json!({"statusCode": 500, "message": "Internal Server Error"}));
            }
            "malformed" => {
                assert_eq!(outcome.kind, "error", "{outcome:?}");
                assert_eq!(outcome.body["errorType"], "LambdaRouter.InvalidEvent", "{outcome:?}");
            }
            _ => {
                let id = format!("req-{i}");
                let trace = trace_id_of(&id);
                assert_eq!(
                    body_of(outcome),
                    json!({"n": i.to_string(), "request_id": id, "xray_trace_id": trace, "after_await": [id, trace]})
                );
            }
        }
    }
    // Still serving, every slot: four more, at once.
    assert!(function.still_running());
    for i in count..count + 4 {
        emulator.push(&format!("req-{i}"), rest_event(&format!("/whoami/{i}")));
    }
    let outcomes = emulator.outcomes(count + 4);
    assert!(outcomes[count..].iter().all(|o| o.kind == "response" && o.body["statusCode"] == 200), "{outcomes:?}");
    // Responses and errors alike carried their invocation's id.
    assert_every_post_echoed_its_invocation_id(&emulator);
    assert!(function.still_running());
}

#[test]
fn a_task_a_handler_leaves_on_its_worker_runs_while_no_event_comes() {
    // Two slots, two invocations that each leave a task on their worker's runtime waiting 20 ms
    // (`tokio::spawn`, `spawn_local`), then no event: an idle worker waits in the shared set,
    // not in its runtime's reactor, and still each task must run, and soon.
    let emulator = Emulator::start();
    emulator.push("spawn", rest_event("/spawn/20"));
    emulator.push("spawn-local", rest_event("/spawn-local/20"));
    let binary = common::binary("slots");
    let mut command = emulator.command(&binary, Some(2), &[]);
    let mut function = Function(command.stdout(Stdio::piped()).spawn().expect("the slots function starts"));
    let stdout = function.0.stdout.take().unwrap();
    let (lines, printed) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
            let Ok(line) = line else { break };
            if lines.send((line, Instant::now())).is_err() {
                break;
            }
        }
    });
    let outcomes = emulator.outcomes(2);
    assert!(outcomes.iter().all(|o| o.kind == "response"), "{outcomes:?}");
    let posted_at = emulator.state.lock().unwrap().posted_at.clone();
    let mut seen = Vec::new();
    for _ in 0..2 {
        let (line, at) = printed.recv_timeout(Duration::from_secs(10)).unwrap_or_else(|_| panic!("only {seen:?} ran"));
        let request_id = line.split(' ').next().unwrap_or("");
        let posted = posted_at[outcomes.iter().position(|o| o.request_id == request_id).expect("its invocation")];
        let after = at.saturating_duration_since(posted);
        assert!(after < Duration::from_millis(250), "{line} {after:?} after its invocation's answer");
        seen.push(line);
    }
    seen.sort();
    assert_eq!(seen, ["spawn 20", "spawn-local 20"]);
    assert!(function.still_running());
}

#[test]
fn slots_whose_next_keeps_failing_are_given_up_and_the_process_ends() {
    // Every `/next` answered 500: each of the two slots reconnects three times, then is given
    // up; with none left the process ends, with the error, instead of retrying forever.
    let emulator = Emulator::start();
    emulator.state.lock().unwrap().refuse_next = true;
    let binary = common::binary("slots");
    let mut command = emulator.command(&binary, Some(2), &[]);
    let mut function = Function(command.stderr(Stdio::piped()).spawn().expect("the slots function starts"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = function.0.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "still running after 20 s");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(1));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut function.0.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("3 new connections in a row failed too"), "{stderr}");
    // Two slots, each asking once and again after each of its three new connections.
    assert_eq!(emulator.state.lock().unwrap().polls, 2 * 4);
}

/// A binary to measure: what the table calls it, where it is, and its `ROUTES` (axum's).
struct Measured {
    name: &'static str,
    binary: std::path::PathBuf,
    /// Environment of its own (the axum program's route count).
    env: &'static [(&'static str, &'static str)],
}

/// With two CPUs or more, the measured function runs on CPU 1 and the emulator on CPU 0, so
/// that neither waits for the other's CPU (the scheduler would otherwise sometimes wake the
/// emulator onto the function's CPU, adding its wait to the function's time).
/// Decided once, before any spawn is timed: the count of CPUs is read from the affinity mask
/// and the cgroup files, I/O that does not belong inside a measurement. `COLD_START_PIN=off`
/// leaves both to the scheduler, as in Lambda, where the function and the Runtime API share
/// two vCPUs.
fn measured_cpu() -> Option<usize> {
    static CPU: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    *CPU.get_or_init(|| {
        let pin = std::env::var("COLD_START_PIN").map_or(true, |value| value != "off");
        (pin && std::thread::available_parallelism().map_or(1, usize::from) >= 2).then_some(1)
    })
}

/// The binaries of the table, then those of `COLD_START_EXTRA` (`NAME=PATH,...`): variants
/// built elsewhere (another profile, a change under test), measured in the same rounds.
/// Built before anything is timed.
fn measured_binaries() -> Vec<Measured> {
    let case = |name, binary, env| Measured { name, binary, env };
    let mut binaries = vec![
        case("bare lambda_runtime function (fixed response)", common::binary("bare_function"), &[]),
        case("lambda-router, hello example (deployed build)", common::deployed_binary("hello"), &[]),
        case("lambda-router, 10 routes", common::binary("cold_start_10"), &[]),
        case("lambda-router, 1,000 routes", common::binary("cold_start_1000"), &[]),
        case("lambda_http + axum, 10 routes", common::binary("axum_cold_start"), &[("ROUTES", "10")]),
        case("lambda_http + axum, 1,000 routes", common::binary("axum_cold_start"), &[("ROUTES", "1000")]),
    ];
    let extra = std::env::var("COLD_START_EXTRA").unwrap_or_default();
    for variant in extra.split(',').filter(|v| !v.is_empty()) {
        let (name, path) = variant.split_once('=').expect("COLD_START_EXTRA is NAME=PATH,...");
        let name: &'static str = Box::leak(format!("extra: {name}").into_boxed_str());
        binaries.push(case(name, path.into(), &[]));
    }
    // `COLD_START_ONLY=hello,extra`: the binaries whose names contain one of these (and the
    // bare function, the ratios' base), for more rounds of an A/B comparison in the same time.
    if let Ok(only) = std::env::var("COLD_START_ONLY") {
        let wanted: Vec<&str> = only.split(',').filter(|w| !w.is_empty()).collect();
        let others = binaries.split_off(1);
        binaries.extend(others.into_iter().filter(|measured| wanted.iter().any(|w| measured.name.contains(w))));
    }
    binaries
}

/// Puts a binary's file in the page cache the same way for every binary: written back, evicted,
/// then read once through the kernel's readahead. A file just written by the linker or `cp`
/// sits in the cache in pieces of whatever size its writer used, and the loader's page faults
/// map a piece at a time: identical copies of one binary measured 1.007× to 1.030× the bare
/// function in one run before this, each copy by how it had been written.
fn settle_page_cache(binary: &std::path::Path) {
    use std::io::Read;
    use std::os::fd::AsRawFd;
    let mut file = std::fs::File::open(binary).expect("open the measured binary");
    file.sync_all().expect("write the binary back");
    // SAFETY: an advice call on a descriptor this function owns; it reads no memory of ours.
    let evicted = unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
    assert_eq!(evicted, 0, "posix_fadvise on {}", binary.display());
    std::io::copy(&mut file.by_ref(), &mut std::io::sink()).expect("read the binary back");
}

/// Pins the calling thread (and the threads and processes it starts afterwards) to `cpu`.
/// Best effort: where the system refuses, the measurement runs unpinned.
fn pin_to(cpu: usize) {
    // SAFETY: a zeroed `cpu_set_t` is a valid empty set; CPU_SET writes inside it; the call
    // reads it for the calling thread only.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

/// Pins this thread, and so the emulators it starts, to CPU 0 when the functions get CPU 1.
fn pin_emulator() {
    if measured_cpu().is_some() {
        pin_to(0);
    }
}

impl Emulator {
    /// Starts a measured binary against this emulator, as Lambda starts a function.
    fn spawn(&self, measured: &Measured) -> Function {
        let mut command = Command::new(&measured.binary);
        if let Some(cpu) = measured_cpu() {
            use std::os::unix::process::CommandExt;
            // SAFETY: between fork and exec only an async-signal-safe system call runs.
            unsafe {
                command.pre_exec(move || {
                    pin_to(cpu);
                    Ok(())
                });
            }
        }
        command
            .env("AWS_LAMBDA_RUNTIME_API", format!("127.0.0.1:{}", self.port))
            .env("AWS_LAMBDA_FUNCTION_NAME", "measured")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true")
            .env_remove("RUST_LOG")
            .env_remove("AWS_LAMBDA_LOG_LEVEL")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command.envs(measured.env.iter().copied());
        Function(command.spawn().expect("the binary starts"))
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The median of each run's ratio to the bare function's run of the same round (paired in
/// time, so the VM's drift between rounds cancels).
fn median_ratio(own: &[f64], bare: &[f64]) -> f64 {
    median(own.iter().zip(bare).map(|(t, b)| t / b).collect())
}

fn stripped_size(binary: &std::path::Path) -> u64 {
    let stripped = std::env::temp_dir().join(format!("{}.stripped", binary.file_name().unwrap().to_string_lossy()));
    Command::new("strip")
        .arg("-o")
        .arg(&stripped)
        .arg(binary)
        .status()
        .ok()
        .filter(|s| s.success())
        .and_then(|_| std::fs::metadata(&stripped).ok())
        .map_or(0, |m| m.len())
}

/// Cold start: time from spawning a function to its first response through this emulator,
/// in the default configuration, 101 rounds (`COLD_START_ROUNDS`) with the binaries
/// alternated in a shuffled order, median; ratios against the bare `lambda_runtime`
/// function, both of the medians and the median of each round's ratio (paired in time, so
/// the VM's drift between rounds cancels). The clock is read by the emulator as each request
/// arrives, which also splits the time: spawn to the first `/next` (start-up: exec, loading,
/// the runtime, the connection) and `/next` to the response (the first invocation). A
/// measurement, not a pass/fail test: `benches/cold_start.sh` runs it in release mode.
#[test]
#[ignore = "a measurement; run it with benches/cold_start.sh"]
fn cold_start_to_first_response() {
    let rounds: usize = std::env::var("COLD_START_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(101);
    let binaries = measured_binaries();
    for measured in &binaries {
        settle_page_cache(&measured.binary);
    }
    pin_emulator();
    // Per binary, per round: (spawn to response, spawn to /next, /next to response), in ms.
    let mut times: Vec<Vec<[f64; 3]>> = vec![Vec::new(); binaries.len()];
    let mut order: Vec<usize> = (0..binaries.len()).collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..rounds {
        // Each round in its own order: what runs just before a binary (a warm page cache for
        // the same file, a process still being torn down) would otherwise favour some.
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        for &index in &order {
            let measured = &binaries[index];
            let emulator = Emulator::start();
            emulator.push("first", rest_event("/hello"));
            let spawned = Instant::now();
            let _function = emulator.spawn(measured);
            let outcomes = emulator.outcomes(1);
            assert_eq!(outcomes[0].kind, "response", "{}", measured.name);
            let (polled, posted) = emulator.first_exchange();
            let ms = |from: Instant, to: Instant| to.duration_since(from).as_secs_f64() * 1e3;
            times[index].push([ms(spawned, posted), ms(spawned, polled), ms(polled, posted)]);
        }
    }
    let column = |own: &[[f64; 3]], k: usize| -> Vec<f64> { own.iter().map(|t| t[k]).collect() };
    let bare = median(column(&times[0], 0));
    println!(
        "| binary ({rounds} rounds) | median spawn to first response | vs bare | median of the rounds' ratios | \
         spawn to first `/next` | `/next` to response | stripped size |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (measured, own) in binaries.iter().zip(&times) {
        let paired = median_ratio(&column(own, 0), &column(&times[0], 0));
        let size = stripped_size(&measured.binary) as f64 / 1e6;
        let [total, start_up, first] = [0, 1, 2].map(|k| median(column(own, k)));
        println!(
            "| {} | {total:.3} ms | {:.3}× | {paired:.3}× | {start_up:.3} ms | {first:.3} ms | {size:.2} MB |",
            measured.name,
            total / bare
        );
    }
}

/// Per invocation through `lambda_runtime`: 20,000 invocations queued in this emulator, time
/// from the first response to the last, per invocation; the binaries alternated, 5 runs each,
/// median, and the median of each run's ratio to the bare run just before it (paired in time,
/// as the VM drifts); CPUs pinned as for the cold start. A measurement:
/// `benches/cold_start.sh` runs it.
#[test]
#[ignore = "a measurement; run it with benches/cold_start.sh"]
fn per_invocation_through_lambda_runtime() {
    const INVOCATIONS: usize = 20_000;
    const RUNS: usize = 5;
    let binaries: Vec<Measured> = measured_binaries().into_iter().take(2).collect();
    pin_emulator();
    let event = rest_event("/hello/ada");
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); binaries.len()];
    for _ in 0..RUNS {
        for (index, measured) in binaries.iter().enumerate() {
            let emulator = Emulator::start();
            for i in 0..INVOCATIONS {
                emulator.push(&format!("req-{i}"), event.clone());
            }
            let _function = emulator.spawn(measured);
            emulator.outcomes(1);
            let started = Instant::now();
            let outcomes = emulator.outcomes(INVOCATIONS);
            times[index].push(started.elapsed().as_secs_f64() * 1e6 / (INVOCATIONS - 1) as f64);
            assert!(outcomes.iter().all(|o| o.kind == "response" && o.body["statusCode"] == 200), "{}", measured.name);
        }
    }
    let bare = median(times[0].clone());
    println!(
        "| binary | per invocation (median of {RUNS} runs of {INVOCATIONS}) | vs bare | median of the runs' ratios |"
    );
    println!("|---|---|---|---|");
    for (measured, own) in binaries.iter().zip(&times) {
        let per_invocation = median(own.clone());
        let paired = median_ratio(own, &times[0]);
        println!("| {} | {per_invocation:.1} µs | {:.3}× | {paired:.3}× |", measured.name, per_invocation / bare);
    }
}
