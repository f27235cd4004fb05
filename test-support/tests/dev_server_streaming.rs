//! `--serve` streams: the streaming example is started with `--serve 127.0.0.1:PORT --source
//! function-url`, and a client reads `/chat` frame by frame, as `curl -N` does: each server-sent
//! event arrives when the handler writes it, not at the end. A buffered route is a plain
//! reply, and a source that cannot stream (`http-v2`) gets the buffered answer.

mod common;

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;

fn start(source: &str) -> common::DevServer {
    common::start_dev_server("streaming", source)
}

/// The reply's status, headers and body frames with their arrival times (from the request).
fn fetch(port: u16, path: &str) -> (u16, hyper::HeaderMap, Vec<(Duration, Bytes)>) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.unwrap();
        tokio::spawn(connection);
        let started = Instant::now();
        let request = hyper::Request::get(path).header("host", "localhost").body(Empty::<Bytes>::new()).unwrap();
        let response = sender.send_request(request).await.unwrap();
        let (parts, mut body) = response.into_parts();
        let mut frames = Vec::new();
        while let Some(Ok(frame)) = body.frame().await {
            if let Ok(data) = frame.into_data() {
                frames.push((started.elapsed(), data));
            }
        }
        (parts.status.as_u16(), parts.headers, frames)
    })
}

#[test]
fn server_sent_events_arrive_as_they_are_written() {
    let server = start("function-url");
    let (status, headers, chat) = fetch(server.1, "/chat?tokens=4&delay_ms=100");
    let frames = chat;
    assert_eq!(status, 200);
    assert_eq!(headers.get("content-type").unwrap(), "text/event-stream");
    assert_eq!(headers.get("transfer-encoding").unwrap(), "chunked");
    let text: String = frames.iter().map(|(_, data)| String::from_utf8_lossy(data)).collect();
    assert_eq!(text, "data: token-0\n\ndata: token-1\n\ndata: token-2\n\ndata: token-3\n\n");
    println!(
        "--serve /chat?tokens=4&delay_ms=100, frames (ms): {:?}",
        frames
            .iter()
            .map(|(at, d)| (at.as_secs_f64() * 1e3, String::from_utf8_lossy(d).into_owned()))
            .collect::<Vec<_>>()
    );
    assert_eq!(frames.len(), 4, "one frame per event");
    for (i, (at, _)) in frames.iter().enumerate() {
        let written = Duration::from_millis(100 * i as u64);
        assert!(*at >= written && *at < written + Duration::from_millis(50), "token {i} at {at:?}");
    }
    let (status, headers, hello) = fetch(server.1, "/hello");
    assert_eq!((status, headers.get("content-type").unwrap().to_str().unwrap()), (200, "application/json"));
    assert_eq!(hello.iter().flat_map(|(_, d)| d.to_vec()).collect::<Vec<_>>(), br#"{"message":"hello, streaming"}"#);
    let (_, _, export) = fetch(server.1, "/export?rows=3");
    let text: String = export.iter().map(|(_, data)| String::from_utf8_lossy(data)).collect();
    assert_eq!(text, "0,row-0,0\n1,row-1,7\n2,row-2,14\n");
}

#[test]
fn a_source_that_cannot_stream_is_answered_buffered() {
    let server = start("http-v2");
    let (status, headers, frames) = fetch(server.1, "/chat?tokens=2&delay_ms=10");
    assert_eq!(status, 200);
    assert!(headers.get("transfer-encoding").is_none(), "{headers:?}");
    let text: String = frames.iter().map(|(_, data)| String::from_utf8_lossy(data)).collect();
    assert_eq!(text, "data: token-0\n\ndata: token-1\n\n");
}
