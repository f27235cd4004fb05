//! gzip and base64 for response bodies, and whether the client accepts gzip at all.
//!
//! The compressor and its output buffer live as long as the worker and are reused: after the
//! first compressed response, compressing allocates nothing.

use libdeflater::{CompressionLvl, Compressor};

/// The libdeflate level, chosen by measurement (`cargo bench --bench codec`, 10.5 KB of JSON
/// records): level 1 took 24 µs for 2,048 bytes, level 4 44 µs for 1,846, level 6 102 µs
/// for 1,583 (flate2's default: 249 µs, 1,773 bytes). Level 1 halves the time of level 4 for
/// ~10% more bytes: a Lambda bills every millisecond, while a few hundred bytes more on the
/// wire cost the client microseconds.
pub(crate) const GZIP_LEVEL: i32 = 1;

/// Whether an `Accept-Encoding` value accepts gzip, by RFC 9110 §12.5.3: codings are
/// case-insensitive, `x-gzip` is gzip (§8.4.1.3), a `q` of 0 means "not acceptable", and `*`
/// stands for every coding the value does not name. (The reference looks for the substring
/// `gzip`, so it compresses for `gzip;q=0` and not for `GZIP` or `*`.)
///
/// Checked over every value of a repeated `Accept-Encoding` header, read as one comma-separated
/// list (`tests/cors_compression.rs` holds the cases).
pub(crate) fn gzip_acceptable_values<'v>(values: impl Iterator<Item = &'v str>) -> bool {
    let mut gzip_q: Option<f64> = None;
    let mut star_q: Option<f64> = None;
    for item in values.flat_map(|value| value.split(',')) {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim();
        if coding.is_empty() {
            continue;
        }
        let mut q = 1.0;
        for param in parts {
            let (key, value) = param.split_once('=').unwrap_or((param, ""));
            if key.trim().eq_ignore_ascii_case("q") {
                q = value.trim().parse::<f64>().unwrap_or(0.0);
            }
        }
        if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
            gzip_q = Some(gzip_q.map_or(q, |g| g.max(q)));
        } else if coding == "*" {
            star_q = Some(q);
        }
    }
    match gzip_q {
        Some(q) => q > 0.0,
        None => star_q.is_some_and(|q| q > 0.0),
    }
}

/// A gzip compressor with its output buffer, both reused.
pub(crate) struct Gzip {
    compressor: Option<Compressor>,
    out: Vec<u8>,
}

impl std::fmt::Debug for Gzip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gzip").field("capacity", &self.out.capacity()).finish_non_exhaustive()
    }
}

impl Gzip {
    /// No state yet: libdeflate's (~200 KB at level 1) is made on the first compression, so
    /// a function that never compresses never pays for it.
    pub(crate) const fn new() -> Gzip {
        Gzip { compressor: None, out: Vec::new() }
    }

    /// Whether libdeflate's state was made.
    #[cfg(test)]
    pub(crate) fn started(&self) -> bool {
        self.compressor.is_some()
    }

    /// Compresses `input` into the reused buffer and returns the gzip member.
    pub(crate) fn compress(&mut self, input: &[u8]) -> &[u8] {
        let compressor =
            self.compressor.get_or_insert_with(|| Compressor::new(CompressionLvl::new(GZIP_LEVEL).unwrap_or_default()));
        let bound = compressor.gzip_compress_bound(input.len());
        if self.out.len() < bound {
            self.out.resize(bound, 0);
        }
        // The bound is libdeflate's worst case for this input, so compression cannot run out
        // of room; should it fail anyway, an empty member is never sent (see `encode`).
        match compressor.gzip_compress(input, &mut self.out) {
            Ok(written) => &self.out[..written],
            Err(_) => &[],
        }
    }
}
