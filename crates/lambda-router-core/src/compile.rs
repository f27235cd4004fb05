//! The table compiler: route patterns and methods in, a [`Table`] out, or an error that names
//! the route. The same code runs in build scripts (through `lambda-router-build`) and at run
//! time, so a table built either way is the same table.
//!
//! Never runs per request.

use std::borrow::Cow;
use std::fmt;

use crate::method::MethodSet;
use crate::pattern::{self, Pattern, PatternError, Segment};
use crate::table::{
    Edge, Entry, NO_EDGE, NO_NODE, Node, RouteInfo, SCAN_EDGES, Span, StaticPath, Table, edge_hash, segment_key,
    static_hash, static_length_bit, static_slot,
};

/// One route as the compiler sees it: the full pattern (mount prefix included) and methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    /// The full pattern, mount prefix included.
    pub pattern: String,
    /// The methods the route answers.
    pub methods: MethodSet,
}

/// Why a set of routes cannot be compiled into a table.
///
/// ```
/// use lambda_router_core::{RouteError, RouterBuilder};
/// let err = RouterBuilder::new()
///     .get("/users/<id>", ())
///     .get("/users/{user}", ())
///     .build()
///     .unwrap_err();
/// assert!(matches!(err, RouteError::Conflict { .. }));
/// assert_eq!(
///     err.to_string(),
///     "route #1 `GET /users/{user}` can never match: route #0 `GET /users/<id>` \
///      has the same shape and answers the same methods first"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RouteError {
    /// A route's pattern is malformed.
    Pattern {
        /// Index of the route in declaration order.
        route: usize,
        /// What is wrong with it.
        error: PatternError,
    },
    /// A route answers no method.
    NoMethod {
        /// Index of the route in declaration order.
        route: usize,
        /// Its pattern.
        pattern: String,
    },
    /// A route can never be reached: earlier routes of the same shape answer all its methods.
    Conflict {
        /// Index of the unreachable route.
        route: usize,
        /// Its methods and pattern, as `GET /users/{user}`.
        route_desc: String,
        /// Index of the earlier route it collides with.
        earlier: usize,
        /// The earlier route's methods and pattern.
        earlier_desc: String,
    },
    /// More routes than a table can index (65,535).
    TooManyRoutes {
        /// How many routes were given.
        count: usize,
    },
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::Pattern { route, error } => write!(f, "route #{route}: {error}"),
            RouteError::NoMethod { route, pattern } => {
                write!(f, "route #{route} `{pattern}` answers no method")
            }
            RouteError::Conflict { route, route_desc, earlier, earlier_desc } => write!(
                f,
                "route #{route} `{route_desc}` can never match: route #{earlier} \
                 `{earlier_desc}` has the same shape and answers the same methods first"
            ),
            RouteError::TooManyRoutes { count } => {
                write!(f, "{count} routes: a table holds at most {}", u16::MAX)
            }
        }
    }
}

impl std::error::Error for RouteError {}

/// Compiles routes, in declaration order, into a table, or names the route that cannot be
/// compiled.
///
/// ```
/// use lambda_router_core::{Method, MethodSet, RouteSpec, compile};
/// let spec = |pattern: &str| RouteSpec { pattern: pattern.into(), methods: MethodSet::one(Method::Get) };
/// let table = compile(&[spec("/hello"), spec("/hello/<name>")]).unwrap();
/// assert_eq!(table.find(Method::Get, "/hello/ada").unwrap().route, 1);
/// assert!(compile(&[spec("/a/<x>"), spec("/a/<y>")]).is_err());
/// ```
pub fn compile(routes: &[RouteSpec]) -> Result<Table, RouteError> {
    if routes.len() > u16::MAX as usize {
        return Err(RouteError::TooManyRoutes { count: routes.len() });
    }
    let mut patterns = Vec::with_capacity(routes.len());
    for (index, route) in routes.iter().enumerate() {
        let parsed = pattern::parse(&route.pattern).map_err(|error| RouteError::Pattern { route: index, error })?;
        if route.methods.is_empty() {
            return Err(RouteError::NoMethod { route: index, pattern: route.pattern.clone() });
        }
        patterns.push(parsed);
    }
    check_conflicts(routes, &patterns)?;

    let mut strings = Strings::default();
    let mut infos = Vec::with_capacity(routes.len());
    let mut param_names = Vec::new();
    for (route, parsed) in routes.iter().zip(&patterns) {
        let start = param_names.len() as u32;
        for name in parsed.param_names() {
            param_names.push(strings.add(name));
        }
        infos.push(RouteInfo {
            pattern: strings.add(&route.pattern),
            methods: route.methods.bits(),
            params: Span { start, end: param_names.len() as u32 },
            whole_path_tail: matches!(parsed.segments.last(), Some(Segment::Tail { whole_path: true, .. })),
        });
    }

    let mut entries = Vec::new();
    let (static_lengths, seed, displacements, statics) = build_statics(routes, &patterns, &mut entries, &mut strings);
    let (nodes, edges, edge_index) = build_trie(routes, &patterns, &mut entries, &mut strings);
    let table = Table {
        static_lengths,
        seed,
        displacements: Cow::Owned(displacements),
        statics: Cow::Owned(statics),
        nodes: Cow::Owned(nodes),
        edges: Cow::Owned(edges),
        edge_index: Cow::Owned(edge_index),
        entries: Cow::Owned(entries),
        routes: Cow::Owned(infos),
        param_names: Cow::Owned(param_names),
        strings: Cow::Owned(strings.text),
    };
    // The compiler builds consistent tables; checking costs microseconds once per router and
    // keeps a compiler bug from reaching the matcher.
    super::table::check_parts(&table.parts());
    Ok(table)
}

/// The table's strings, each stored once: a range of one `String`.
#[derive(Default)]
struct Strings {
    text: String,
    seen: std::collections::HashMap<String, Span>,
}

impl Strings {
    fn add(&mut self, text: &str) -> Span {
        if let Some(span) = self.seen.get(text) {
            return *span;
        }
        let start = self.text.len() as u32;
        self.text.push_str(text);
        let span = Span { start, end: self.text.len() as u32 };
        self.seen.insert(text.to_owned(), span);
        span
    }
}

fn describe(route: &RouteSpec) -> String {
    let methods: Vec<&str> = route.methods.iter().map(|m| m.as_str()).collect();
    format!("{} {}", methods.join(","), route.pattern)
}

/// A route is unreachable when earlier routes of the same shape answer all of its methods.
fn check_conflicts(routes: &[RouteSpec], patterns: &[Pattern]) -> Result<(), RouteError> {
    for (index, (route, parsed)) in routes.iter().zip(patterns).enumerate() {
        let mut covered = MethodSet::EMPTY;
        let mut first_overlap = None;
        for (earlier, (other, other_parsed)) in routes.iter().zip(patterns).enumerate().take(index) {
            if !parsed.same_shape(other_parsed) {
                continue;
            }
            if first_overlap.is_none() && !route.methods.intersection(other.methods).is_empty() {
                first_overlap = Some(earlier);
            }
            covered = covered.union(other.methods);
        }
        if let Some(earlier) = first_overlap.filter(|_| route.methods.is_subset(covered)) {
            return Err(RouteError::Conflict {
                route: index,
                route_desc: describe(route),
                earlier,
                earlier_desc: describe(&routes[earlier]),
            });
        }
    }
    Ok(())
}

/// `(static_lengths, seed, displacements, statics)`.
type Statics = (u64, u64, Vec<(u32, u32)>, Vec<StaticPath>);

/// The static paths, in a perfect hash (CHD: hash, displace, compress).
fn build_statics(
    routes: &[RouteSpec],
    patterns: &[Pattern],
    entries: &mut Vec<Entry>,
    strings: &mut Strings,
) -> Statics {
    // Distinct paths in first-declaration order, each with its routes in declaration order.
    let mut paths: Vec<(String, Vec<Entry>)> = Vec::new();
    for (index, (route, parsed)) in routes.iter().zip(patterns).enumerate() {
        if !parsed.is_static() {
            continue;
        }
        let path = parsed.static_path();
        let entry = Entry { methods: route.methods.bits(), route: index as u16 };
        match paths.iter_mut().find(|(p, _)| *p == path) {
            Some((_, list)) => list.push(entry),
            None => paths.push((path, vec![entry])),
        }
    }
    if paths.is_empty() {
        return (0, 0, Vec::new(), Vec::new());
    }
    let lengths = paths.iter().fold(0, |bits, (p, _)| bits | static_length_bit(p.len()));
    let slots = paths.len().next_power_of_two();
    let buckets = paths.len().div_ceil(4);
    let mut seed: u64 = 0x5EED;
    let placement = loop {
        if let Some(found) = place(&paths, seed, buckets, slots) {
            break found;
        }
        // A failed search is rare; a new seed gives new hashes.
        seed = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
    };
    let (displacements, slot_of) = placement;
    let mut statics = vec![StaticPath { path: Span::EMPTY, entries: Span::EMPTY }; slots];
    for (key, (path, list)) in paths.into_iter().enumerate() {
        let start = entries.len() as u32;
        entries.extend(list);
        statics[slot_of[key]] =
            StaticPath { path: strings.add(&path), entries: Span { start, end: entries.len() as u32 } };
    }
    (lengths, seed, displacements, statics)
}

/// The displacement pair of every bucket, and the slot of every key.
type Placement = (Vec<(u32, u32)>, Vec<usize>);

/// One try at placing every key with `seed`: the displacements and each key's slot.
fn place(paths: &[(String, Vec<Entry>)], seed: u64, buckets: usize, slots: usize) -> Option<Placement> {
    let hashes: Vec<u64> = paths.iter().map(|(p, _)| static_hash(p.as_bytes(), seed)).collect();
    let mut sorted = hashes.clone();
    sorted.sort_unstable();
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    // Which bucket each key falls in: the matcher computes it the same way, from the hash.
    let bucket_of = |hash: u64| (((hash >> 32) * buckets as u64) >> 32) as usize;
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); buckets];
    for (key, &hash) in hashes.iter().enumerate() {
        members[bucket_of(hash)].push(key);
    }
    let mut order: Vec<usize> = (0..buckets).collect();
    order.sort_by_key(|&b| std::cmp::Reverse(members[b].len()));

    let mut displacements = vec![(0u32, 0u32); buckets];
    let mut taken = vec![false; slots];
    let mut slot_of = vec![0usize; paths.len()];
    let mut trial = Vec::new();
    for bucket in order {
        if members[bucket].is_empty() {
            continue;
        }
        let mut placed = false;
        'search: for d1 in 0..slots as u32 {
            for d2 in 0..slots as u32 {
                displacements[bucket] = (d1, d2);
                trial.clear();
                let fits = members[bucket].iter().all(|&key| {
                    let slot = static_slot(hashes[key], &displacements, slots);
                    let free = !taken[slot] && !trial.contains(&slot);
                    trial.push(slot);
                    free
                });
                if !fits {
                    continue;
                }
                for (&key, &slot) in members[bucket].iter().zip(&trial) {
                    taken[slot] = true;
                    slot_of[key] = slot;
                }
                placed = true;
                break 'search;
            }
        }
        if !placed {
            return None;
        }
    }
    Some((displacements, slot_of))
}

/// A trie node while it is being built: children in vectors, flattened afterwards.
#[derive(Default)]
struct BuildNode {
    statics: Vec<(String, usize)>,
    param: Option<usize>,
    ends: Vec<Entry>,
    tails: Vec<Entry>,
}

/// The trie of the patterns that have parameters or tails, flattened into arrays.
fn build_trie(
    routes: &[RouteSpec],
    patterns: &[Pattern],
    entries: &mut Vec<Entry>,
    strings: &mut Strings,
) -> (Vec<Node>, Vec<Edge>, Vec<u32>) {
    let mut nodes = vec![BuildNode::default()];
    for (index, (route, parsed)) in routes.iter().zip(patterns).enumerate() {
        if parsed.is_static() {
            continue;
        }
        let entry = Entry { methods: route.methods.bits(), route: index as u16 };
        let mut at = 0;
        for segment in &parsed.segments {
            at = match segment {
                Segment::Static(text) => match nodes[at].statics.iter().find(|(t, _)| t == text) {
                    Some(&(_, child)) => child,
                    None => {
                        nodes.push(BuildNode::default());
                        let child = nodes.len() - 1;
                        nodes[at].statics.push((text.clone(), child));
                        child
                    }
                },
                Segment::Param(_) => match nodes[at].param {
                    Some(child) => child,
                    None => {
                        nodes.push(BuildNode::default());
                        let child = nodes.len() - 1;
                        nodes[at].param = Some(child);
                        child
                    }
                },
                Segment::Tail { .. } => {
                    nodes[at].tails.push(entry);
                    break;
                }
            };
        }
        if !matches!(parsed.segments.last(), Some(Segment::Tail { .. })) {
            nodes[at].ends.push(entry);
        }
    }

    let mut flat_nodes = Vec::with_capacity(nodes.len());
    let mut edges = Vec::new();
    for node in &mut nodes {
        // A deterministic order: key, length,
        // bytes (past the key, the bytes decide; before it, the key already did).
        node.statics.sort_by(|(a, _), (b, _)| {
            (segment_key(a.as_bytes()), a.len(), a.as_bytes()).cmp(&(segment_key(b.as_bytes()), b.len(), b.as_bytes()))
        });
        let edge_start = edges.len() as u32;
        let parent = flat_nodes.len() as u32;
        edges.extend(node.statics.iter().map(|(text, child)| Edge {
            parent,
            key: segment_key(text.as_bytes()),
            segment: strings.add(text),
            node: *child as u32,
        }));
        let ends_start = entries.len() as u32;
        entries.extend(&node.ends);
        let tails_start = entries.len() as u32;
        entries.extend(&node.tails);
        flat_nodes.push(Node {
            edges: Span { start: edge_start, end: edges.len() as u32 },
            param: node.param.map_or(NO_NODE, |child| child as u32),
            ends: Span { start: ends_start, end: tails_start },
            tails: Span { start: tails_start, end: entries.len() as u32 },
        });
    }
    let edge_index = index_edges(&flat_nodes, &edges);
    (flat_nodes, edges, edge_index)
}

/// The open-addressing index of the edges of nodes with more than [`SCAN_EDGES`] children,
/// at most half full so that probes stay short.
fn index_edges(nodes: &[Node], edges: &[Edge]) -> Vec<u32> {
    let indexed: Vec<usize> =
        nodes.iter().filter(|n| n.edges.end - n.edges.start > SCAN_EDGES).flat_map(|n| n.edges.range()).collect();
    if indexed.is_empty() {
        return Vec::new();
    }
    let slots = (indexed.len() * 2).next_power_of_two();
    let mut index = vec![NO_EDGE; slots];
    for edge in indexed {
        let e = &edges[edge];
        let mut slot = edge_hash(e.parent, e.key, (e.segment.end - e.segment.start) as usize) as usize & (slots - 1);
        while index[slot] != NO_EDGE {
            slot = (slot + 1) & (slots - 1);
        }
        index[slot] = edge as u32;
    }
    index
}
