//! A to-do list API, written as a production function is: its state is built once at start-up,
//! asynchronously (where a real function awaits `aws_config::load_from_env()` and builds its
//! DynamoDB client), inside the program's own tokio runtime, then shared with every handler.
//!
//! ```sh
//! TODOS_TOKEN=secret cargo run -p todos --features serve -- --serve
//! curl -H 'Authorization: Bearer secret' -d '{"title":"write docs"}' localhost:3000/todos
//! ```

#[tokio::main]
async fn main() {
    let store = match todos::Store::connect().await {
        Ok(store) => store,
        Err(err) => {
            eprintln!("todos: cannot start: {err}");
            std::process::exit(1);
        }
    };
    std::process::exit(lambda_router::run_async(todos::app(store)).await);
}
