//! The whole-process benchmark, lambda-router's side (`benches/process.py`): the pipeline
//! benchmark's 60-route app (`test_support::pipeline`), run as a deployed function's binary
//! runs it, in the default configuration: `process_ours --event -` reads JSON lines.

fn main() {
    std::process::exit(lambda_router::run(test_support::pipeline::app()));
}
