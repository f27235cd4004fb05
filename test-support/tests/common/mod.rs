//! Helpers shared by the tests that run the example binaries.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// The path of an app's binary (an example crate of the workspace: `hello`, `conformance`,
/// `users`) or of one of this crate's examples (the cold-start programs), built with the test's
/// profile if needed: `cargo test` alone does not build them, so this asks cargo.
pub fn binary(name: &str) -> PathBuf {
    build(name, &["serve"])
}

/// An app's binary as it is deployed: no feature beyond the defaults (no dev server).
pub fn deployed_binary(name: &str) -> PathBuf {
    build(name, &[])
}

/// An app's binary with `features` of its own (and nothing else beyond its defaults). The path
/// is the same whatever the features: a test that builds one binary two ways runs them one
/// after the other.
pub fn binary_with(name: &str, features: &[&str]) -> PathBuf {
    build(name, features)
}

fn build(name: &str, features: &[&str]) -> PathBuf {
    let own_example = name.starts_with("cold_start")
        || name == "axum_cold_start"
        || name == "bare_function"
        || name == "axum_streaming"
        || name == "slots";
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut args = vec!["build", "--quiet"];
    if own_example {
        args.extend(["-p", "test-support", "--example", name]);
        if name == "slots" {
            // Several invocations at once (`AWS_LAMBDA_MAX_CONCURRENCY`).
            args.extend(["--features", "lambda-router/concurrency"]);
        }
    } else {
        // Every example forwards the dev server from its `serve` feature.
        args.extend(["-p", name]);
        for feature in features {
            args.extend(["--features", feature]);
        }
    }
    if !cfg!(debug_assertions) {
        args.push("--release");
    }
    let status = Command::new(cargo).args(&args).current_dir(env!("CARGO_MANIFEST_DIR")).status().expect("cargo runs");
    assert!(status.success(), "cargo {} failed", args.join(" "));
    let mut path = std::env::current_exe().expect("the test binary's path");
    path.pop(); // the test binary's name
    path.pop(); // deps: now target/debug or target/release
    if own_example {
        path.push("examples");
    }
    path.push(name);
    assert!(path.exists(), "{} exists", path.display());
    path
}

/// A free port on 127.0.0.1 (bound, read, released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("an address").port()
}

/// The Runtime API emulators' HTTP/1 server: `route` answers each request on 127.0.0.1 (an
/// `Err` closes the connection, as a peer that goes away), on a runtime of its own with one
/// worker thread. Returns the runtime (the server lives as long as it does) and the port.
pub fn serve_http<S, F, Fut>(state: S, route: F) -> (tokio::runtime::Runtime, u16)
where
    S: Clone + Send + Sync + 'static,
    F: Fn(S, hyper::Request<hyper::body::Incoming>) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<hyper::Response<http_body_util::Full<hyper::body::Bytes>>, &'static str>>
        + Send
        + 'static,
{
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let port = listener.local_addr().unwrap().port();
    runtime.spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let state = state.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| route(state.clone(), request));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (runtime, port)
}

/// An example's dev server (`--serve 127.0.0.1:PORT --source SOURCE`), killed when dropped.
pub struct DevServer(pub std::process::Child, pub u16);

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `example`'s dev server impersonating `source`, and waits (20 s at most) until it
/// listens.
pub fn start_dev_server(example: &str, source: &str) -> DevServer {
    let port = free_port();
    let child = Command::new(binary(example))
        .args(["--serve", &format!("127.0.0.1:{port}"), "--source", source])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the example starts");
    let server = DevServer(child, port);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "the dev server listens within 20 s");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    server
}
