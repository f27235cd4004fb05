//! One agents case of `tests/fixtures/agents/cases.jsonl` answered N times by the agents example
//! through `App::handle`, on one workspace: a program for counting instructions per agent
//! invocation (the difference of two runs, start-up cancelled out). callgrind counts
//! instructions, not time: the same figure whatever else the machine does.
//!
//! ```text
//! cargo build --release -p test-support --example agent_invocations
//! for n in 100 1100; do valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/agent_invocations bedrock-agent/list-limit $n 2>&1 | grep Collected; done
//! ```
//!
//! (the second count minus the first, over 1,000).

use lambda_router::{LambdaContext, Workspace};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(id), Some(count)) = (args.next(), args.next().and_then(|n| n.parse::<usize>().ok())) else {
        eprintln!("usage: agent_invocations CASE-ID COUNT");
        std::process::exit(2);
    };
    let cases = include_str!("../tests/fixtures/agents/cases.jsonl");
    let Some(case) = cases
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|case| case["id"] == id.as_str())
    else {
        eprintln!("no case {id} in cases.jsonl");
        std::process::exit(2);
    };
    let event = serde_json::to_vec(&case["event"]).expect("an event serializes");
    let app = agents::app();
    let mut workspace = Workspace::new();
    let mut bytes = 0;
    for _ in 0..count {
        match app.handle(&mut workspace, std::hint::black_box(&event), &LambdaContext::LOCAL) {
            Ok(answer) => bytes += answer.len(),
            Err(error) => {
                eprintln!("{id}: {error}");
                std::process::exit(1);
            }
        }
    }
    println!("{count} invocations, {bytes} bytes answered");
}
