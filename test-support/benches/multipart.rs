//! A multipart upload parsed and validated: REST v1 `POST /upload`, `isBase64Encoded`, a
//! `multipart/form-data` body of a 64 KB binary file and two form fields, through the whole
//! pipeline on both sides, in the same run; valid, and with two errors.
//!
//! lambda-router: a typed input (`#[derive(Input)]`: `#[file] file: UploadFile<'a>`,
//! `#[form(max_length = 32)] note: &'a str`, `#[form(ge = 1, le = 100)] count: i64`), the body
//! base64-decoded into the arena, the file a slice of it, the reference's 422 when invalid. The
//! peer: `lambda_http` + axum 0.8 with axum's `Multipart` extractor (multer), the same
//! constraints checked by hand in the handler, answering the same JSON (status and body are
//! checked equal before measuring). Each iteration is event bytes in, response bytes out, as in
//! `benches/pipeline.rs` and `benches/typed.rs`.
//!
//! Run: `cargo bench -p test-support --bench multipart`.

mod common;

use std::hint::black_box;

use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response as AxumResponse};
use common::{peer::Peer, scenarios};
use criterion::{Criterion, criterion_group, criterion_main};
use lambda_router::validate::{Input, UploadFile};
use lambda_router::{App, Error, LambdaContext, Request, Response, Route, Router, Workspace, handler};
use serde::Serialize;
use serde_json::{Value, json};

/// What both sides answer for a valid upload.
#[derive(Serialize)]
struct Uploaded<'a> {
    size: usize,
    note: &'a str,
    count: i64,
}

#[derive(Input)]
struct Upload<'a> {
    #[file]
    file: UploadFile<'a>,
    #[form(max_length = 32)]
    note: &'a str,
    #[form(ge = 1, le = 100)]
    count: i64,
}

#[handler]
fn upload<'a>(req: &Request<'a>, input: Upload<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&Uploaded { size: input.file.len(), note: input.note, count: input.count })
}

/// lambda-router's app: `POST /upload` only.
fn app() -> App {
    App::with_router(Router::builder().push(Route::post("/upload", upload)).build().expect("a valid table"))
}

/// The reference's 422, as lambda-router writes it.
#[derive(Serialize)]
struct Invalid {
    #[serde(rename = "statusCode")]
    status_code: u16,
    detail: Vec<Problem>,
}

#[derive(Serialize)]
struct Problem {
    loc: [&'static str; 2],
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The peer's handler: axum's `Multipart`, then the route's constraints by hand, in the order
/// and with the error types the reference (and lambda-router) answers.
async fn peer_upload(multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> AxumResponse {
    let mut multipart = match multipart {
        Ok(multipart) => multipart,
        Err(rejection) => return rejection.into_response(),
    };
    let (mut file, mut note, mut count) = (None, None, None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return err.into_response(),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let read = match name.as_str() {
            "file" if field.file_name().is_some() => field.bytes().await.map(|bytes| file = Some(bytes)),
            "note" => field.text().await.map(|text| note = Some(text)),
            "count" => field.text().await.map(|text| count = Some(text)),
            _ => Ok(()),
        };
        if let Err(err) = read {
            return err.into_response();
        }
    }
    let mut detail = Vec::new();
    let mut error = |field: &'static str, kind: &'static str| detail.push(Problem { loc: ["body", field], kind });
    if file.is_none() {
        error("file", "missing");
    }
    match &note {
        None => error("note", "missing"),
        Some(note) if note.chars().count() > 32 => error("note", "string_too_long"),
        Some(_) => {}
    }
    let count = match count.as_deref().map(|text| text.trim().parse::<i64>()) {
        None => {
            error("count", "missing");
            None
        }
        Some(Err(_)) => {
            error("count", "int_parsing");
            None
        }
        Some(Ok(count)) if count < 1 => {
            error("count", "greater_than_equal");
            None
        }
        Some(Ok(count)) if count > 100 => {
            error("count", "less_than_equal");
            None
        }
        Some(Ok(count)) => Some(count),
    };
    match (file, note, count) {
        (Some(file), Some(note), Some(count)) if detail.is_empty() => {
            axum::Json(Uploaded { size: file.len(), note: &note, count }).into_response()
        }
        _ => {
            let body = Invalid { status_code: 422, detail };
            (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response()
        }
    }
}

fn peer() -> Peer {
    Peer::with_router(axum::Router::new().route("/upload", axum::routing::post(peer_upload)))
}

const BOUNDARY: &str = "----LambdaRouterBench7MA4YWxkTrZu0gW";
const FILE_SIZE: usize = 64 * 1024;

/// 64 KB of binary bytes (xorshift), with runs that look like a multipart body's structure:
/// CRLFs, blank lines and `-` runs (never the boundary itself).
fn file_bytes() -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut bytes: Vec<u8> = (0..FILE_SIZE)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect();
    let lookalikes: [&[u8]; 4] = [b"\r\n", b"\r\n\r\n", b"\r\n------", b"--\r\n--LambdaRouterBench\r\n"];
    for (index, at) in (0..FILE_SIZE - 64).step_by(997).enumerate() {
        let piece = lookalikes[index % lookalikes.len()];
        bytes[at..at + piece.len()].copy_from_slice(piece);
    }
    assert!(!bytes.windows(BOUNDARY.len()).any(|window| window == BOUNDARY.as_bytes()));
    bytes
}

/// A REST v1 `POST /upload` event whose base64 body is a multipart upload of the file and the
/// two fields.
fn event(note: &str, count: &str) -> Vec<u8> {
    let mut body = Vec::with_capacity(FILE_SIZE + 512);
    body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
    body.extend_from_slice(b"Content-Disposition: form-data; name=\"file\"; filename=\"photo.bin\"\r\n");
    body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
    body.extend_from_slice(&file_bytes());
    for (name, value) in [("note", note), ("count", count)] {
        body.extend_from_slice(format!("\r\n--{BOUNDARY}\r\n").as_bytes());
        body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}").as_bytes());
    }
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let encoded = base64_simd::STANDARD.encode_to_string(&body);
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let event = scenarios::rest_v1("POST", "/upload", Some(&encoded), &[("Content-Type", &content_type)]);
    let mut event: Value = serde_json::from_slice(&event).expect("the event is JSON");
    event["isBase64Encoded"] = json!(true);
    serde_json::to_vec(&event).expect("serializes")
}

/// The status and the body of a Lambda response's bytes.
fn answer(response: &[u8]) -> (u64, String) {
    let response: Value = serde_json::from_slice(response).expect("a JSON response");
    let body = response["body"].as_str().unwrap_or_default().to_owned();
    (response["statusCode"].as_u64().unwrap_or(0), body)
}

fn bench(c: &mut Criterion) {
    let app = app();
    let mut workspace = Workspace::new();
    let mut peer = peer();
    let cases = [
        ("multipart: POST /upload, 64 KB file + 2 fields, valid", event("holiday photos", "7"), 200),
        ("multipart: POST /upload, 64 KB file + 2 fields, 422", event(&"x".repeat(40), "0"), 422),
    ];
    for (name, event, status) in &cases {
        let ours = app.handle(&mut workspace, event, &LambdaContext::LOCAL).expect("a supported event").to_vec();
        let theirs = peer.invoke(event);
        let (ours, theirs) = (answer(&ours), answer(&theirs));
        assert_eq!(ours.0, *status, "lambda-router {name}: {}", ours.1);
        assert_eq!(ours, theirs, "{name}: both sides answer the same status and body, byte for byte");
        eprintln!("{name}: event {} B, answer {} {}", event.len(), ours.0, ours.1);
    }
    for (name, event, _) in &cases {
        let mut group = c.benchmark_group(*name);
        group.bench_function("lambda-router", |b| {
            b.iter(|| {
                let response = app.handle(&mut workspace, black_box(event), &LambdaContext::LOCAL).expect("handled");
                black_box(response.len())
            })
        });
        group.bench_function("lambda_http+axum Multipart", |b| {
            b.iter(|| black_box(peer.invoke(black_box(event)).len()))
        });
        group.finish();
    }
    floor(c, &cases[0].1);
}

/// The floor: what every lambda-router invocation of the valid event does before routing
/// (simd-json over the whole event, its 88 KB body string included) and what reading the
/// multipart body starts with (base64-simd decoding it); and simd-json over the same event with
/// an empty body, to show what the body's string costs the event parse alone.
fn floor(c: &mut Criterion, event: &[u8]) {
    let parse = |c: &mut Criterion, name: &str, event: &[u8]| {
        let mut buffer = vec![0u8; event.len() + simd_json::INPUT_PADDING];
        let mut buffers = simd_json::Buffers::new(event.len());
        let mut tape = Some(simd_json::tape::Tape(Vec::new()));
        c.bench_function(name, |b| {
            b.iter(|| {
                buffer[..event.len()].copy_from_slice(black_box(event));
                let mut parsed = tape.take().unwrap_or_else(|| simd_json::tape::Tape(Vec::new())).reset();
                simd_json::fill_tape_padded(&mut buffer, event.len(), &mut buffers, &mut parsed).expect("valid JSON");
                black_box(parsed.0.len());
                tape = Some(parsed.reset());
            })
        });
    };
    let mut value: Value = serde_json::from_slice(event).expect("the event is JSON");
    let body = value["body"].as_str().expect("a body").to_owned();
    value["body"] = json!("");
    let without_body = serde_json::to_vec(&value).expect("serializes");
    parse(c, &format!("floor/simd-json parse of the event ({} B)", event.len()), event);
    parse(
        c,
        &format!("floor/simd-json parse of the event with an empty body ({} B)", without_body.len()),
        &without_body,
    );
    let mut decoded = vec![0u8; FILE_SIZE + 512];
    c.bench_function(&format!("floor/base64-simd decode of the body ({} B)", body.len()), |b| {
        b.iter(|| {
            let out = base64_simd::Out::from_slice(&mut decoded);
            black_box(base64_simd::STANDARD.decode(black_box(body.as_bytes()), out).expect("base64").len())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
