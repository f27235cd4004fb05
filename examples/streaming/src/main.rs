//! The streaming example: a function configured to stream (a Function URL with
//! `InvokeMode: RESPONSE_STREAM`, a REST API method in `STREAM` mode). In Lambda
//! (`AWS_LAMBDA_RUNTIME_API` set) it posts each answer as it is written; `-- --event FILE`
//! prints the equivalent buffered responses.

mod routes;

fn main() {
    let app = lambda_router::App::new(&routes::ROUTER).streaming();
    std::process::exit(lambda_router::run(app));
}
