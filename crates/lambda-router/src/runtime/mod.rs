//! Running an app: inside Lambda, through `lambda_runtime` one invocation at a time (`lambda`),
//! or through the library's own Runtime API client for a streaming function or several
//! invocations at once (`invocations`: a thread per streaming slot, `client`; a buffered
//! function's slots shared by a few worker threads, `pool`; both framed by `wire`); or locally,
//! on events from a file or stdin, or as a dev server. The runtime loops live here; what one invocation does
//! lives in `App::handle`.

mod client;
mod invocations;
mod lambda;
mod local;
mod logging;
#[cfg(all(feature = "concurrency", target_os = "linux"))]
mod pool;
#[cfg(feature = "dev-server")]
pub(crate) mod serve;
mod streaming;
mod wire;

use crate::App;

/// Serves `app`: through the Lambda Runtime API when `AWS_LAMBDA_RUNTIME_API` is set;
/// otherwise from the command line:
///
/// - `--event FILE`: one JSON event, or JSON lines; one compact response line per event on
///   stdout (`{"error":"..."}` for a line that is no supported event);
/// - `--event -`: JSON lines on stdin, likewise;
/// - `--serve [ADDR] [--source SOURCE]`: a local HTTP server (feature `dev-server`, off by
///   default: it stays out of deployed binaries) that turns
///   each request into an event of SOURCE (`rest-v1`, `http-v2`, `alb`, `function-url`).
///
/// Logs go to stderr. Returns the process exit code.
///
/// In Lambda, while the first `/next` waits for its answer, the idle thread runs a built-in
/// event through the stages of the pipeline that run no user code, so that the first
/// invocation finds its memory and code ready; `LAMBDA_ROUTER_WARM_UP=off` turns this off.
///
/// ```no_run
/// # fn app() -> lambda_router::App { unimplemented!() }
/// fn main() {
///     std::process::exit(lambda_router::run(app()));
/// }
/// ```
pub fn run(app: App) -> i32 {
    logging::init();
    let asked = invocations::asked_from_env();
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() && (app.streaming || invocations::slots(asked) > 1) {
        return match invocations::serve(app, asked) {
            Ok(()) => 0,
            Err(err) => {
                eprintln!("lambda-router: the runtime stopped: {err}");
                1
            }
        };
    }
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
    match args.first().map(String::as_str) {
        Some("--event") if args.len() == 2 => local::run_events(&app, &args[1]),
        Some("--openapi") if args.len() == 1 => {
            println!("{}", app.openapi_document());
            0
        }
        Some("--openapi") if args.len() == 2 && args[1] == "--agent" => {
            println!("{}", app.agent_openapi_document());
            0
        }
        Some("--function-schema") if args.len() == 1 => {
            println!("{}", app.function_schema());
            0
        }
        #[cfg(feature = "dev-server")]
        Some("--serve" | "--source") => match serve::ServeOptions::parse(&args) {
            Ok(options) => match serve::serve(app, options) {
                Ok(()) => 0,
                Err(err) => {
                    eprintln!("lambda-router: the dev server stopped: {err}");
                    1
                }
            },
            Err(err) => {
                eprintln!("lambda-router: {err}\n{USAGE}");
                2
            }
        },
        #[cfg(not(feature = "dev-server"))]
        Some("--serve" | "--source") => {
            eprintln!(
                "lambda-router: this binary was built without the dev server (it stays out of deployed \
                 binaries); build it with lambda-router's `dev-server` feature, e.g. \
                 `cargo run --features serve -- --serve` where the function crate forwards `serve = \
                 [\"lambda-router/dev-server\"]`"
            );
            2
        }
        _ => {
            eprintln!("{USAGE}");
            2
        }
    }
}

/// As [`run`], awaited inside a tokio runtime the program already runs, after an async
/// start-up (an AWS SDK client, a secret, a configuration):
///
/// ```no_run
/// # async fn load_config() -> String { String::new() }
/// # fn routes() -> lambda_router::Router { unimplemented!() }
/// #[tokio::main]
/// async fn main() {
///     let config = load_config().await; // e.g. aws_config::load_from_env().await
///     let app = lambda_router::App::with_router(routes()).state(config);
///     std::process::exit(lambda_router::run_async(app).await);
/// }
/// ```
///
/// Invocations run on a thread of their own with a current-thread runtime, the configuration
/// the pipeline is built for (an invocation's future lives in its arena and never moves between
/// threads), whatever runtime the caller has; with the `concurrency` feature,
/// `AWS_LAMBDA_MAX_CONCURRENCY` above 1 works as with [`run`]. Futures created at start-up,
/// like an SDK client's connection pool, keep working: tokio's I/O and timers can be used from
/// any runtime while the caller's runtime is alive, which it is, awaiting this. Returns the
/// process exit code.
pub async fn run_async(app: App) -> i32 {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new().name("lambda-router".into()).spawn(move || {
        let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(app))).unwrap_or(101);
        let _ = sender.send(code);
    });
    if let Err(err) = spawned {
        eprintln!("lambda-router: cannot start the invocation thread: {err}");
        return 1;
    }
    receiver.await.unwrap_or(101)
}

const USAGE: &str = "usage: <app> --event FILE    one JSON event, or JSON lines; one response line each
       <app> --openapi       print the OpenAPI document (3.1)
       <app> --openapi --agent   the document an Amazon Bedrock agent takes (3.0, hidden routes left out)
       <app> --function-schema   the FunctionSchema of the app's tools (a Bedrock function action group)
       <app> --event -       JSON lines on stdin
       <app> --serve [ADDR] [--source rest-v1|http-v2|alb|function-url]
                             a local HTTP server (default 127.0.0.1:3000, rest-v1 events)
(inside Lambda, with AWS_LAMBDA_RUNTIME_API set, it serves the Runtime API)";

/// Whether to warm up while waiting for the first event: yes, unless `LAMBDA_ROUTER_WARM_UP` is
/// `off` (or `false`, `no`, `0`, in any case). The warm-up counts on another CPU answering the
/// `/next` meanwhile. A Lambda function sees two vCPUs at every memory size up to 3 GB (more
/// above), though below 1,769 MB its CPU time is a fraction of one vCPU's; how the Runtime
/// API's answer fares under that quota was not measured here. Where the function and the
/// Runtime API share a single CPU, the warm-up holds the answer back by about what it saves
/// (41 µs later to the first response, measured), so there it is better turned off. Checking
/// the CPUs online instead (a read of `/sys/devices/system/cpu/online` in the park) took back
/// half of the first invocation's gain pinned, all of it unpinned.
pub(super) fn warm_up_from_env() -> bool {
    crate::env::switch("LAMBDA_ROUTER_WARM_UP") != Some(false)
}

/// The error type posted for an event that is no supported event.
const INVALID_EVENT: &str = "LambdaRouter.InvalidEvent";

/// The error type and message posted for an invocation that panicked outside the handlers (a
/// handler's panic is answered with a 500 inside the pipeline).
const PANICKED: (&str, &str) = ("LambdaRouter.Panic", "the invocation panicked");
