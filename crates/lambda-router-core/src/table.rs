//! The compiled route table: flat arrays, no pointers, so that a table can be a `static` in
//! generated code or be built while the program runs — one type, one matcher.
//!
//! Nothing here runs per request except the hash functions. The fields are private: a table
//! comes from the compiler (run time), or from generated code through
//! [`Table::from_static`], which checks at compile time every invariant the matcher relies on.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub struct StaticPath {
    /// Into `Table::strings`.
    pub path: Span,
    /// Into `entries`.
    pub entries: Span,
}

/// A static child of a trie node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub struct Edge {
    /// The node this edge leaves.
    pub parent: u32,
    /// [`segment_key`] of `segment`: most lookups are decided by one integer comparison.
    pub key: u64,
    /// Into `Table::strings`.
    pub segment: Span,
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

/// Per route: its full pattern (mount prefix included), its methods and its parameter names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub struct RouteInfo {
    /// Into `Table::strings`.
    pub pattern: Span,
    /// [`MethodSet`](crate::MethodSet) bits.
    pub methods: u16,
    /// Into `Table::param_names`, in path order.
    pub params: Span,
    /// The bare `.+`: its tail captures the whole path, `/` included.
    pub whole_path_tail: bool,
}

/// A compiled route table: what [`Router`](crate::Router) looks routes up in. Made by the
/// compiler at run time ([`RouterBuilder::build`](crate::RouterBuilder::build)) or written as
/// a `static` by `lambda-router-build`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// One bit per static path length (`static_length_bit`): most dynamic paths skip the hash.
    pub(crate) static_lengths: u64,
    pub(crate) seed: u64,
    pub(crate) displacements: Cow<'static, [(u32, u32)]>,
    pub(crate) statics: Cow<'static, [StaticPath]>,
    pub(crate) nodes: Cow<'static, [Node]>,
    pub(crate) edges: Cow<'static, [Edge]>,
    /// Open-addressing index of the edges of large nodes, by [`edge_hash`]: a power-of-two
    /// number of slots holding an index into `edges` or [`NO_EDGE`].
    pub(crate) edge_index: Cow<'static, [u32]>,
    pub(crate) entries: Cow<'static, [Entry]>,
    pub(crate) routes: Cow<'static, [RouteInfo]>,
    /// Into `strings`.
    pub(crate) param_names: Cow<'static, [Span]>,
    /// Every string of the table (patterns, static paths, segments, parameter names) in one:
    /// the rest of the table holds ranges of it, not pointers, so a table written as a
    /// `static` needs no relocation per string when the binary loads.
    pub(crate) strings: Cow<'static, str>,
}

/// A table's arrays, borrowed: what generated code hands to [`Table::from_static`] and what
/// the build crate reads to write it.
#[derive(Debug, Clone, Copy)]
#[doc(hidden)]
pub struct TableParts<'a> {
    pub static_lengths: u64,
    pub seed: u64,
    pub displacements: &'a [(u32, u32)],
    pub statics: &'a [StaticPath],
    pub nodes: &'a [Node],
    pub edges: &'a [Edge],
    pub edge_index: &'a [u32],
    pub entries: &'a [Entry],
    pub routes: &'a [RouteInfo],
    pub param_names: &'a [Span],
    pub strings: &'a str,
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
        self.routes.get(route).map(|info| self.text(info.pattern))
    }

    /// The text of a range of `strings` (checked by `check_parts`: in bounds, on character
    /// boundaries).
    #[inline]
    pub(crate) fn text(&self, span: Span) -> &str {
        self.strings.get(span.range()).unwrap_or("")
    }

    /// The methods route `route` answers (none for no such route).
    pub fn methods(&self, route: usize) -> crate::MethodSet {
        crate::MethodSet::from_bits(self.routes.get(route).map_or(0, |info| info.methods))
    }

    /// The table's arrays, for the build crate to write as Rust.
    #[doc(hidden)]
    pub fn parts(&self) -> TableParts<'_> {
        TableParts {
            static_lengths: self.static_lengths,
            seed: self.seed,
            displacements: &self.displacements,
            statics: &self.statics,
            nodes: &self.nodes,
            edges: &self.edges,
            edge_index: &self.edge_index,
            entries: &self.entries,
            routes: &self.routes,
            param_names: &self.param_names,
            strings: &self.strings,
        }
    }

    /// A table from generated code. Every invariant the matcher relies on is checked here, so
    /// that no table, however written, makes a lookup index out of bounds or probe forever;
    /// in a `static` the checks run at compile time and a violation is a build error.
    ///
    /// # Panics
    ///
    /// When the parts are inconsistent (at compile time, in a `static`).
    #[doc(hidden)]
    pub const fn from_static(parts: TableParts<'static>) -> Table {
        check_parts(&parts);
        Table {
            static_lengths: parts.static_lengths,
            seed: parts.seed,
            displacements: Cow::Borrowed(parts.displacements),
            statics: Cow::Borrowed(parts.statics),
            nodes: Cow::Borrowed(parts.nodes),
            edges: Cow::Borrowed(parts.edges),
            edge_index: Cow::Borrowed(parts.edge_index),
            entries: Cow::Borrowed(parts.entries),
            routes: Cow::Borrowed(parts.routes),
            param_names: Cow::Borrowed(parts.param_names),
            strings: Cow::Borrowed(parts.strings),
        }
    }
}

/// The matcher's invariants (see `matcher.rs`), checked in a `const fn`:
/// - the root node exists; every node index is in `nodes` (or [`NO_NODE`] for `param`);
/// - every span lies within its array, start ≤ end;
/// - `statics` is empty or a power of two long, with displacements to pick a slot from;
/// - `edge_index` is empty or a power of two long, holds at least one [`NO_EDGE`] (a probe for
///   a missing edge ends), and every other slot is an index into `edges`;
/// - every entry names a route, every route's parameter names are in `param_names`;
/// - every string range lies within `strings`, on character boundaries.
pub(crate) const fn check_parts(parts: &TableParts<'_>) {
    let nodes = parts.nodes.len();
    assert!(nodes > 0, "a route table needs its root node");
    let statics = parts.statics.len();
    assert!(
        if statics == 0 {
            parts.static_lengths == 0
        } else {
            statics.is_power_of_two() && !parts.displacements.is_empty()
        },
        "the static paths need a power-of-two number of slots and their displacements"
    );
    let mut i = 0;
    while i < statics {
        assert!(span_within(parts.statics[i].entries, parts.entries.len()), "a static path's entries are out of range");
        assert!(text_within(parts.statics[i].path, parts.strings), "a static path is out of range");
        i += 1;
    }
    i = 0;
    while i < nodes {
        let node = &parts.nodes[i];
        assert!(span_within(node.edges, parts.edges.len()), "a node's edges are out of range");
        assert!(span_within(node.ends, parts.entries.len()), "a node's entries are out of range");
        assert!(span_within(node.tails, parts.entries.len()), "a node's tails are out of range");
        assert!(node.param == NO_NODE || (node.param as usize) < nodes, "a node's parameter child is out of range");
        // A node that is looked up through the index needs one.
        assert!(node.edges.end - node.edges.start <= SCAN_EDGES || !parts.edge_index.is_empty(), "no edge index");
        i += 1;
    }
    i = 0;
    while i < parts.edges.len() {
        let edge = &parts.edges[i];
        assert!((edge.node as usize) < nodes && (edge.parent as usize) < nodes, "an edge's node is out of range");
        assert!(text_within(edge.segment, parts.strings), "an edge's segment is out of range");
        i += 1;
    }
    let slots = parts.edge_index.len();
    assert!(slots == 0 || slots.is_power_of_two(), "the edge index must have a power-of-two length");
    let mut empty = slots == 0;
    i = 0;
    while i < slots {
        let slot = parts.edge_index[i];
        if slot == NO_EDGE {
            empty = true;
        } else {
            assert!((slot as usize) < parts.edges.len(), "an edge index slot is out of range");
        }
        i += 1;
    }
    assert!(empty, "the edge index needs an empty slot, or a probe for a missing edge never ends");
    i = 0;
    while i < parts.entries.len() {
        assert!((parts.entries[i].route as usize) < parts.routes.len(), "an entry's route is out of range");
        i += 1;
    }
    i = 0;
    while i < parts.routes.len() {
        assert!(span_within(parts.routes[i].params, parts.param_names.len()), "a route's parameters are out of range");
        assert!(text_within(parts.routes[i].pattern, parts.strings), "a route's pattern is out of range");
        i += 1;
    }
    i = 0;
    while i < parts.param_names.len() {
        assert!(text_within(parts.param_names[i], parts.strings), "a parameter name is out of range");
        i += 1;
    }
}

const fn span_within(span: Span, len: usize) -> bool {
    span.start <= span.end && (span.end as usize) <= len
}

/// Whether `span` is a range of `text` that starts and ends on character boundaries.
const fn text_within(span: Span, text: &str) -> bool {
    span_within(span, text.len())
        && text.is_char_boundary(span.start as usize)
        && text.is_char_boundary(span.end as usize)
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
