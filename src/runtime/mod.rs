//! Running an app: inside Lambda through `lambda_runtime`, or locally on events from a file
//! or stdin. The runtime loop lives here; what one invocation does lives in `App::handle`.

mod lambda;
mod local;

use crate::App;

/// Serves `app`: through the Lambda Runtime API when `AWS_LAMBDA_RUNTIME_API` is set;
/// otherwise from the command line:
///
/// - `--event FILE`: one JSON event, or JSON lines; one compact response line per event on
///   stdout (`{"error":"..."}` for a line that is no supported event);
/// - `--event -`: JSON lines on stdin, likewise.
///
/// Logs go to stderr. Returns the process exit code.
///
/// ```no_run
/// # fn app() -> lambda_router::App { unimplemented!() }
/// fn main() {
///     std::process::exit(lambda_router::run(app()));
/// }
/// ```
pub fn run(app: App) -> i32 {
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        return match lambda::serve(app) {
            Ok(()) => 0,
            Err(err) => {
                eprintln!("lambda-router: the Lambda runtime stopped: {err}");
                1
            }
        };
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["--event", source] => local::run_events(&app, source),
        _ => {
            eprintln!("{USAGE}");
            2
        }
    }
}

const USAGE: &str = "usage: <app> --event FILE   one JSON event, or JSON lines
       <app> --event -      JSON lines on stdin
(inside Lambda, with AWS_LAMBDA_RUNTIME_API set, it serves the Runtime API)";
