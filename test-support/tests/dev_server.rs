//! The dev server, tested with real HTTP: the conformance example is started with
//! `--serve 127.0.0.1:PORT --source SOURCE`, and a hyper client checks JSON, binary, gzip,
//! cookies, CORS pre-flight and a 404 for each source.

mod common;

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;

fn start(source: &str) -> common::DevServer {
    common::start_dev_server("conformance", source)
}

struct Reply {
    status: u16,
    headers: hyper::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.unwrap();
        tokio::spawn(connection);
        let mut builder = hyper::Request::builder().method(method).uri(path).header("host", "localhost");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let response = sender.send_request(builder.body(Empty::<Bytes>::new()).unwrap()).await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply { status, headers, body }
    })
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 1 << 16];
    let n = libdeflater::Decompressor::new().gzip_decompress(bytes, &mut out).unwrap();
    out.truncate(n);
    out
}

#[test]
fn serves_every_kind_of_response_for_every_source() {
    for source in ["rest-v1", "http-v2", "alb", "function-url"] {
        let server = start(source);
        let port = server.1;

        let json = request(port, "GET", "/hello/world", &[]);
        assert_eq!(json.status, 200, "{source}");
        assert_eq!(json.header("content-type"), Some("application/json"));
        assert_eq!(json.body, br#"{"message":"hello world"}"#, "{source}");

        let query = request(port, "GET", "/query?name=Ada%20L", &[("X-Name", "bob")]);
        let expected_name = if source == "alb" { "Ada%20L" } else { "Ada L" };
        let seen: serde_json::Value = serde_json::from_slice(&query.body).unwrap();
        assert_eq!(seen, serde_json::json!({"name": expected_name, "header": "bob"}), "{source}");

        let binary = request(port, "GET", "/logo", &[]);
        assert_eq!(binary.header("content-type"), Some("image/png"));
        assert_eq!(binary.body, (0..=255u8).collect::<Vec<u8>>(), "{source}: binary bytes, base64 decoded");

        let gzip = request(port, "GET", "/compressed", &[("Accept-Encoding", "gzip")]);
        assert_eq!(gzip.header("content-encoding"), Some("gzip"), "{source}");
        let text = String::from_utf8(gunzip(&gzip.body)).unwrap();
        assert!(text.starts_with(r#"{"message":"hello universe hello universe"#), "{source}: {text:.60}");

        let cookies = request(port, "GET", "/cookies", &[]);
        assert_eq!(cookies.header("set-cookie"), Some("session=abc; HttpOnly; Secure"), "{source}");

        let preflight = request(
            port,
            "OPTIONS",
            "/hello",
            &[("Origin", "https://example.com"), ("Access-Control-Request-Method", "GET")],
        );
        assert_eq!(preflight.status, 204, "{source}");
        assert_eq!(preflight.header("access-control-allow-origin"), Some("https://example.com"));
        assert_eq!(preflight.header("access-control-allow-methods"), Some("GET,OPTIONS,POST,PUT"));

        let missing = request(port, "GET", "/nope/a/b", &[]);
        assert_eq!(missing.status, 404, "{source}");
        assert_eq!(missing.body, br#"{"statusCode":404,"message":"Not found"}"#);
        drop(server);
    }
}
