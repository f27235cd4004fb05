//! What a function writes to stderr, checked on the `hello` binary as Lambda runs it: nothing
//! per invocation by default; one JSON access-log line per invocation when asked
//! (`LAMBDA_ROUTER_ACCESS_LOG`); the event and the response in debug mode (`POWERTOOLS_DEV`),
//! whatever the log level.

mod common;

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// Runs `hello --event -` on two REST API events with `env`; returns stdout and stderr.
fn run_hello(env: &[(&str, &str)]) -> (String, String) {
    let mut event: Value = serde_json::from_str(include_str!(
        "../../crates/lambda-router/tests/fixtures/events/apiGatewayProxyEvent.json"
    ))
    .unwrap();
    event["httpMethod"] = json!("GET");
    event["path"] = json!("/hello/ada");
    let line = serde_json::to_string(&event).unwrap();
    let mut command = Command::new(common::binary("hello"));
    command.arg("--event").arg("-").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for name in ["LAMBDA_ROUTER_ACCESS_LOG", "POWERTOOLS_DEV", "POWERTOOLS_EVENT_HANDLER_DEBUG", "RUST_LOG"] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    let mut child = command.spawn().expect("hello starts");
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{line}\n{line}").unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    (String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

#[test]
fn quiet_by_default() {
    let (stdout, stderr) = run_hello(&[]);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert_eq!(stderr, "", "no log line per invocation at the default level");
}

#[test]
fn the_access_log_is_one_json_line_per_invocation() {
    let (_, stderr) = run_hello(&[("LAMBDA_ROUTER_ACCESS_LOG", "true")]);
    let lines: Vec<Value> = stderr.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    for (index, line) in lines.iter().enumerate() {
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["message"], "request");
        assert_eq!(line["request_id"], "local");
        assert_eq!(line["correlation_id"], "id=", "API Gateway's request id, as the sample event has it");
        assert_eq!(line["method"], "GET");
        assert_eq!(line["path"], "/hello/ada");
        assert_eq!(line["route"], "/hello/<name>");
        assert_eq!(line["status"], 200);
        assert!(line["duration_us"].as_u64().is_some(), "{line}");
        assert_eq!(line["cold_start"], index == 0, "only the first invocation is a cold start");
    }
}

#[test]
fn debug_mode_shows_the_event_and_the_response_whatever_the_level() {
    let (_, stderr) = run_hello(&[("POWERTOOLS_DEV", "true"), ("RUST_LOG", "error")]);
    let lines: Vec<Value> = stderr.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 4, "an event and a response per invocation: {stderr}");
    assert_eq!(lines[0]["event"]["path"], "/hello/ada");
    assert_eq!(lines[1]["response"]["statusCode"], 200);
}

/// `--event -` answers a caller that sends one event and waits: the response is flushed before
/// the next read could wait (and, under a stream of events, once per buffer, not per line).
#[test]
fn a_response_is_flushed_before_waiting_for_the_next_event() {
    use std::io::BufRead as _;
    let mut child = Command::new(common::binary("hello"))
        .args(["--event", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("hello starts");
    let mut stdin = child.stdin.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let _ = sender.send(line.unwrap_or_default());
        }
    });
    let event = r#"{"httpMethod":"GET","path":"/hello/ada","headers":{},"requestContext":{"stage":"prod"}}"#;
    for _ in 0..2 {
        writeln!(stdin, "{event}").unwrap();
        stdin.flush().unwrap();
        let line = receiver.recv_timeout(std::time::Duration::from_secs(10)).expect("a response while stdin is open");
        assert!(line.contains(r#""statusCode":200"#), "{line}");
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
