//! The whole-process benchmark, the peer's side (`benches/process.py`): the same 60 routes in
//! axum, each JSON line of stdin through `lambda_http`'s adapter (the service `lambda_http::run`
//! wraps the router in: `LambdaRequest` deserialized, `http::Request`, axum, `LambdaResponse`
//! serialized), one response line each on stdout, in `lambda_http`'s default configuration.
//! Output is flushed as lambda-router's `--event -` flushes it: whenever no further line is
//! already buffered.

use std::io::{BufRead, BufReader, BufWriter, Write};

use lambda_http::lambda_runtime::{Context, LambdaEvent};
use lambda_http::request::LambdaRequest;
use lambda_http::tower::Service;

#[path = "../benches/common/peer.rs"]
#[allow(dead_code)]
mod peer;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let mut adapter = lambda_http::Adapter::from(peer::router());
    let mut input = BufReader::with_capacity(1 << 16, std::io::stdin().lock());
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut line = String::new();
    loop {
        if !input.buffer().contains(&b'\n') {
            out.flush().expect("stdout is writable");
        }
        line.clear();
        if input.read_line(&mut line).expect("stdin is readable") == 0 {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let response = match serde_json::from_str::<LambdaRequest>(&line) {
            Ok(request) => {
                let event = LambdaEvent::new(request, Context::default());
                match runtime.block_on(adapter.call(event)) {
                    Ok(response) => serde_json::to_vec(&response).unwrap_or_default(),
                    Err(err) => format!("{{\"error\":{:?}}}", err.to_string()).into_bytes(),
                }
            }
            Err(err) => format!("{{\"error\":{:?}}}", err.to_string()).into_bytes(),
        };
        out.write_all(&response).and_then(|()| out.write_all(b"\n")).expect("stdout is writable");
    }
    out.flush().expect("stdout is writable");
}
