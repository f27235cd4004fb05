//! The compiled route table: flat arrays, no pointers, so that a table can be a `static` in
//! generated code or be built while the program runs — one type, one matcher.
//!
//! Shared with `build.rs` (included by path), so it depends on `std` alone. Nothing here
//! runs per request except [`static_hash`].
//!
//! Layout:
//! - static paths (patterns without parameters) sit in a perfect hash: `static_hash(path,
//!   seed)` picks a displacement pair from `displacements`, the pair picks one slot of
//!   `statics`, and one string comparison confirms the hit;
//! - every other pattern is a path of the segment trie `nodes`, whose static children are
//!   ranges of `edges` sorted by segment text;
//! - routes that end at a node (or whose tail starts there) are ranges of `entries`, in
//!   declaration order, each with the methods it answers.

use std::borrow::Cow;

/// A range `[start, end)` into one of the table's arrays. `u32` keeps nodes small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The empty range.
    pub const EMPTY: Span = Span { start: 0, end: 0 };

    #[inline]
    pub(crate) fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One route that may answer at a place in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub struct Entry {
    /// [`MethodSet`](super::method::MethodSet) bits.
    pub methods: u16,
    /// Index of the route in declaration order.
    pub route: u16,
}

/// A static path of the perfect hash.
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(hidden)]
pub struct StaticPath {
    pub path: Cow<'static, str>,
    /// Into `entries`.
    pub entries: Span,
}

/// A static child of a trie node.
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(hidden)]
pub struct Edge {
    /// The node this edge leaves.
    pub parent: u32,
    /// [`segment_key`] of `segment`: most lookups are decided by one integer comparison.
    pub key: u64,
    pub segment: Cow<'static, str>,
    pub node: u32,
}

/// The first eight bytes of a segment, big-endian (so integer order is byte order), zero
/// padded. Edges are sorted by `(key, segment)`; equal keys fall back to the bytes.
#[inline]
#[doc(hidden)]
pub fn segment_key(segment: &[u8]) -> u64 {
    if let Some(head) = segment.first_chunk::<8>() {
        return u64::from_be_bytes(*head);
    }
    // Fewer than eight bytes: a short loop, not a variable-length copy (a call to memcpy).
    let mut key = 0u64;
    for (i, &byte) in segment.iter().enumerate() {
        key |= (byte as u64) << (56 - 8 * i);
    }
    key
}
/// A trie node: the place reached after some segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub struct Node {
    /// Static children, into `edges`, sorted by (key, length, bytes).
    pub edges: Span,
    /// The child reached through a parameter, or [`NO_NODE`].
    pub param: u32,
    /// Routes whose pattern ends here, into `entries`.
    pub ends: Span,
    /// Routes whose tail (`{name+}`, `.+`) starts here, into `entries`.
    pub tails: Span,
}

/// A node with more static children than this finds them through `edge_index`; smaller
/// ones are scanned (a few integer comparisons beat a hash).
#[doc(hidden)]
pub const SCAN_EDGES: u32 = 4;

/// An empty slot of `edge_index`.
#[doc(hidden)]
pub const NO_EDGE: u32 = u32::MAX;

/// Where the edge from `parent` for a segment of `key` and `len` bytes starts its probe.
#[inline]
#[doc(hidden)]
pub fn edge_hash(parent: u32, key: u64, len: usize) -> u64 {
    fold(key ^ MULTIPLIER, ((parent as u64) << 32 | len as u64) ^ MIX)
}

/// `Node::param` when the node has no parameter child.
#[doc(hidden)]
pub const NO_NODE: u32 = u32::MAX;

/// Per route: its full pattern (mount prefix included) and its parameter names.
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(hidden)]
pub struct RouteInfo {
    pub pattern: Cow<'static, str>,
    /// Into `Table::param_names`, in path order.
    pub params: Span,
    /// The bare `.+`: its tail captures the whole path, `/` included.
    pub whole_path_tail: bool,
}

/// A compiled route table. Build one with [`Router::builder`](crate::Router::builder) at run
/// time or with the `build` feature at build time; the fields are public only so that
/// generated code can write a table as a `static`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// One bit per static path length (`static_length_bit`): most dynamic paths skip the hash.
    #[doc(hidden)]
    pub static_lengths: u64,
    #[doc(hidden)]
    pub seed: u64,
    #[doc(hidden)]
    pub displacements: Cow<'static, [(u32, u32)]>,
    #[doc(hidden)]
    pub statics: Cow<'static, [StaticPath]>,
    #[doc(hidden)]
    pub nodes: Cow<'static, [Node]>,
    #[doc(hidden)]
    pub edges: Cow<'static, [Edge]>,
    /// Open-addressing index of the edges of large nodes, by [`edge_hash`]: a power-of-two
    /// number of slots holding an index into `edges` or [`NO_EDGE`].
    #[doc(hidden)]
    pub edge_index: Cow<'static, [u32]>,
    #[doc(hidden)]
    pub entries: Cow<'static, [Entry]>,
    #[doc(hidden)]
    pub routes: Cow<'static, [RouteInfo]>,
    #[doc(hidden)]
    pub param_names: Cow<'static, [Cow<'static, str>]>,
}

impl Table {
    /// How many routes the table holds.
    pub fn len(&self) -> usize {
        self.routes.len()
    }

    /// Whether the table holds no route.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// The full pattern of route `route` (mount prefix included), as declared.
    pub fn pattern(&self, route: usize) -> Option<&str> {
        self.routes.get(route).map(|info| &*info.pattern)
    }
}

/// The bit of `static_lengths` for a path of `len` bytes (lengths from 63 share a bit).
#[inline]
#[doc(hidden)]
pub fn static_length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;
const MIX: u64 = 0xA076_1D64_78BD_642F;

#[inline(always)]
fn fold(a: u64, b: u64) -> u64 {
    let wide = (a as u128).wrapping_mul(b as u128);
    (wide as u64) ^ ((wide >> 64) as u64)
}

/// The hash of the static-path perfect hash: 16 bytes per step with a 64×64→128 folded
/// multiply (as wyhash does), seeded. Short paths take a few nanoseconds, where SipHash (phf's)
/// takes ~20 ns; distribution only has to be good enough for the build-time search of
/// displacements, which retries with another seed when it is not.
#[inline]
#[doc(hidden)]
pub fn static_hash(key: &[u8], seed: u64) -> u64 {
    let mut hash = seed ^ (key.len() as u64).wrapping_mul(MULTIPLIER);
    let mut rest = key;
    while let Some((pair, tail)) = rest.split_first_chunk::<16>() {
        let (a, b) = pair.split_at(8);
        let a = u64::from_le_bytes(a.try_into().unwrap_or([0; 8]));
        let b = u64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
        hash = fold(hash ^ a, b ^ MIX);
        rest = tail;
    }
    let (a, b) = read_tail(rest);
    fold(hash ^ a ^ MULTIPLIER, b ^ MIX)
}

/// The last 0–15 bytes as two words, zero padded, without a variable-length copy.
#[inline(always)]
fn read_tail(rest: &[u8]) -> (u64, u64) {
    let word = |bytes: &[u8]| {
        if let Some(head) = bytes.first_chunk::<8>() {
            return u64::from_le_bytes(*head);
        }
        let mut word = 0u64;
        for (i, &byte) in bytes.iter().enumerate() {
            word |= (byte as u64) << (8 * i);
        }
        word
    };
    if rest.len() > 8 { (word(&rest[..8]), word(&rest[8..])) } else { (word(rest), 0) }
}

/// Where a key lands: displacement bucket, then slot, from one hash (CHD, as phf does it).
/// `slots` is a power of two, so the slot is a mask, not a division.
#[inline]
#[doc(hidden)]
pub fn static_slot(hash: u64, displacements: &[(u32, u32)], slots: usize) -> usize {
    let bucket = (((hash >> 32) * displacements.len() as u64) >> 32) as usize;
    let (d1, d2) = displacements[bucket];
    let f1 = hash as u32;
    let f2 = (hash as u32).rotate_left(16) | 1;
    f1.wrapping_add(d1.wrapping_mul(f2)).wrapping_add(d2) as usize & (slots - 1)
}
