//! Byte-identical responses on every architecture: every conformance event goes through the
//! conformance app, and the responses must equal the golden file made on x86_64
//! (`tests/fixtures/conformance/golden.jsonl`; gzip bodies compared after decompression, since
//! only the decompressed bytes are specified). On aarch64 (CI's qemu leg), simd-json,
//! base64-simd and libdeflate take their NEON paths, which no x86_64 test runs: a SIMD path
//! that disagreed with the scalar one would change a response here.
//!
//! `LAMBDA_ROUTER_BLESS=1 cargo test --test conformance_golden` rewrites the golden file.

use lambda_router::{LambdaContext, Workspace};
use serde_json::Value;

/// The response line, with a gzip body replaced by its decompressed text.
fn normalized(line: &[u8]) -> String {
    let mut response: Value = serde_json::from_slice(line).expect("a JSON response");
    let gzip = ["headers", "multiValueHeaders"].iter().any(|key| {
        response[key].as_object().is_some_and(|headers| {
            headers.iter().any(|(name, value)| {
                name.eq_ignore_ascii_case("content-encoding") && value.to_string().contains("gzip")
            })
        })
    });
    if gzip {
        let compressed = base64_simd::STANDARD.decode_to_vec(response["body"].as_str().unwrap()).unwrap();
        let mut out = vec![0u8; 1 << 20];
        let n = libdeflater::Decompressor::new().gzip_decompress(&compressed, &mut out).expect("valid gzip");
        out.truncate(n);
        response["body"] = Value::String(format!("gunzipped:{}", base64_simd::STANDARD.encode_to_string(&out)));
    }
    serde_json::to_string(&response).unwrap()
}

/// The parser's SIMD path on this machine: on aarch64 it must be NEON (so this leg tests it).
#[test]
fn simd_json_takes_its_simd_path() {
    let algorithm = format!("{:?}", simd_json::Deserializer::algorithm());
    println!("simd-json implementation on {}: {algorithm}", std::env::consts::ARCH);
    if cfg!(target_arch = "aarch64") {
        assert_eq!(algorithm, "NEON");
    }
}

#[test]
fn conformance_responses_are_the_golden_ones() {
    let app = conformance::app();
    let mut workspace = Workspace::new();
    let mut lines = Vec::new();
    for event in include_str!("fixtures/conformance/events.jsonl").lines().filter(|l| !l.trim().is_empty()) {
        let line = match app.handle(&mut workspace, event.as_bytes(), &LambdaContext::LOCAL) {
            Ok(response) => normalized(response),
            Err(error) => format!("error: {error}"),
        };
        lines.push(line);
    }
    let golden_path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/conformance/golden.jsonl");
    if std::env::var_os("LAMBDA_ROUTER_BLESS").is_some() {
        std::fs::write(golden_path, lines.join("\n") + "\n").unwrap();
    }
    let golden = std::fs::read_to_string(golden_path).expect("the golden file");
    let golden: Vec<&str> = golden.lines().collect();
    assert_eq!(lines.len(), golden.len());
    for (index, (line, expected)) in lines.iter().zip(&golden).enumerate() {
        assert_eq!(line, expected, "event {} of events.jsonl ({})", index + 1, std::env::consts::ARCH);
    }
    println!("{} responses identical to the golden file on {}", lines.len(), std::env::consts::ARCH);
}
