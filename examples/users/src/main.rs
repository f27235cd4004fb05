//! The reference's sample layout: routes split across modules, mounted with a prefix. The
//! build script compiles both tables into one static router (`Build::mount`), so the prefix
//! costs nothing at run time:
//!
//! ```text
//! GET  /users          users::list_users
//! GET  /users/<user_id> users::get_user
//! POST /users          users::create_user
//! GET  /status         health::status
//! ```
//!
//! `cargo run -p users --features serve -- --serve`, then `curl localhost:3000/users/1`.

mod health;
mod users;

lambda_router::include_router!("routes.rs");

fn main() {
    std::process::exit(lambda_router::run(lambda_router::App::new(&ROUTER)));
}
