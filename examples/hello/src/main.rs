//! The hello example: `cargo run --release -p hello --features serve -- --serve`, then
//! `curl localhost:3000/hello`. In Lambda (`AWS_LAMBDA_RUNTIME_API` set) the same binary
//! serves the Runtime API; `-- --event FILE` runs events from a file.

mod routes;

use lambda_router::{App, Cors};

fn main() {
    let app = App::new(&routes::ROUTER).cors(Cors::default());
    std::process::exit(lambda_router::run(app));
}
