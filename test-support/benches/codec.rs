//! Response codecs against their peers, in the same run: gzip of a 10 KB JSON body with
//! libdeflate at the level the library uses (and at 4 and 6, to show why that level) against
//! flate2 at its default level; base64 of 10 KB with base64-simd against the `base64` crate.
//!
//! Method: the body is 100 JSON records of a product listing (10,2xx bytes, built once). One
//! iteration compresses (or encodes) the whole body into a buffer reused across iterations,
//! as the library does. Compressed sizes are printed once before the timings.
//!
//! Run: `cargo bench -p test-support --bench codec`, then `python3 test-support/benches/summary.py` for the ratios.

use std::hint::black_box;
use std::io::Write;

use base64::Engine;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use libdeflater::{CompressionLvl, Compressor};

/// The level `src/response/compress.rs` uses.
const LIBRARY_LEVEL: i32 = 1;

fn body() -> Vec<u8> {
    let mut out = String::from("[");
    for i in 0..100 {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"id":{i},"sku":"SKU-{:06}","name":"Product number {i}","price":"{}.{:02}","stock":{},"tags":["new","sale"]}}"#,
            i * 7919 % 1_000_000,
            10 + i % 90,
            i % 100,
            i * 13 % 500
        ));
    }
    out.push(']');
    out.into_bytes()
}

fn libdeflate(level: i32) -> impl FnMut(&[u8], &mut Vec<u8>) -> usize {
    let mut compressor = Compressor::new(CompressionLvl::new(level).expect("a valid level"));
    move |input, out| {
        let bound = compressor.gzip_compress_bound(input.len());
        out.resize(bound, 0);
        compressor.gzip_compress(input, out).expect("the bound is enough")
    }
}

fn flate2_default(input: &[u8], out: &mut Vec<u8>) -> usize {
    out.clear();
    let mut encoder = flate2::write::GzEncoder::new(std::mem::take(out), flate2::Compression::default());
    encoder.write_all(input).expect("in memory");
    *out = encoder.finish().expect("in memory");
    out.len()
}

fn bench(c: &mut Criterion) {
    let input = body();
    let mut out = Vec::new();
    eprintln!("input: {} bytes of JSON", input.len());
    for level in [1, 4, 6, 9] {
        eprintln!("libdeflate level {level}: {} bytes", libdeflate(level)(&input, &mut out));
    }
    eprintln!("flate2 default (6): {} bytes", flate2_default(&input, &mut out));

    let mut group = c.benchmark_group("gzip-10KB");
    group.throughput(Throughput::Bytes(input.len() as u64));
    let mut ours = libdeflate(LIBRARY_LEVEL);
    group.bench_function("lambda-router", |b| b.iter(|| black_box(ours(black_box(&input), &mut out))));
    group.bench_function("flate2-default", |b| b.iter(|| black_box(flate2_default(black_box(&input), &mut out))));
    for level in [4, 6] {
        let mut other = libdeflate(level);
        group.bench_function(format!("libdeflate-level-{level}"), |b| {
            b.iter(|| black_box(other(black_box(&input), &mut out)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("base64-10KB");
    group.throughput(Throughput::Bytes(input.len() as u64));
    let mut encoded = Vec::with_capacity(input.len() * 2);
    group.bench_function("lambda-router", |b| {
        b.iter(|| {
            encoded.clear();
            base64_simd::STANDARD.encode_append(black_box(&input), &mut encoded);
            black_box(encoded.len())
        })
    });
    let mut text = String::with_capacity(input.len() * 2);
    group.bench_function("base64-crate", |b| {
        b.iter(|| {
            text.clear();
            base64::engine::general_purpose::STANDARD.encode_string(black_box(&input), &mut text);
            black_box(text.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
