//! A small JSON writer for the document: objects and arrays with their commas, strings
//! escaped, numbers exact. Out of line: the document is written once, and inlined writes would
//! multiply its code in every function binary.

use std::io::Write as _;

use crate::response::encode::write_str;
use crate::validate::Bound;

/// Writes JSON into a buffer: objects and arrays with their commas, strings escaped.
#[derive(Default)]
pub(super) struct Writer {
    pub(super) out: Vec<u8>,
    /// Per open object or array: whether it has a member yet.
    open: Vec<bool>,
}

// Out of line: the document is written once, and inlined writes would multiply its code in
// every function binary.
impl Writer {
    #[inline(never)]
    pub(super) fn separate(&mut self) {
        if let Some(has_member) = self.open.last_mut() {
            if *has_member {
                self.out.push(b',');
            }
            *has_member = true;
        }
    }

    #[inline(never)]
    pub(super) fn begin(&mut self, bracket: char) {
        self.separate();
        self.out.push(bracket as u8);
        self.open.push(false);
    }

    #[inline(never)]
    pub(super) fn end(&mut self, bracket: char) {
        self.open.pop();
        self.out.push(bracket as u8);
    }

    /// A key; the next value written is its value.
    #[inline(never)]
    pub(super) fn key(&mut self, key: &str) {
        self.separate();
        self.escaped(key);
        self.out.push(b':');
        // The value that follows must not add a comma of its own.
        if let Some(has_member) = self.open.last_mut() {
            *has_member = false;
        }
    }

    #[inline(never)]
    pub(super) fn string(&mut self, text: &str) {
        self.separate();
        self.escaped(text);
    }

    /// JSON text, written as it is (numbers, `true`, a default's JSON).
    #[inline(never)]
    pub(super) fn raw(&mut self, json: &str) {
        self.separate();
        self.out.extend_from_slice(json.as_bytes());
    }

    /// A bound as a JSON number: an integer exactly, a float in Rust's shortest round-trip
    /// form, which is JSON for every finite value (bounds are finite: `Bound::float`).
    #[inline(never)]
    pub(super) fn bound(&mut self, bound: Bound) {
        self.separate();
        // Writing to a `Vec` cannot fail.
        let _ = match bound {
            Bound::Int(value) => write!(self.out, "{value}"),
            Bound::Float(value) if value.is_finite() => write!(self.out, "{value:?}"),
            // Unreachable through `Bound::float`; never write what is not JSON.
            Bound::Float(_) => write!(self.out, "null"),
        };
    }

    #[inline(never)]
    pub(super) fn escaped(&mut self, text: &str) {
        write_str(&mut self.out, text);
    }

    #[inline(never)]
    pub(super) fn field(&mut self, key: &str, text: &str) {
        self.key(key);
        self.string(text);
    }

    /// `{"type": kind}` and its keys (the caller closes it).
    #[inline(never)]
    pub(super) fn typed(&mut self, kind: &str) {
        self.begin('{');
        self.field("type", kind);
    }
}
