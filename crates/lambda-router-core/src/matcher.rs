//! Lookup: a method and a routing path in, the route and its parameters out.
//!
//! This is the request path. It must never allocate (parameters are borrowed slices of the
//! path, in an inline vector) and never panic on any path: every index it takes comes from
//! the table, which the compiler built consistent.

use crate::method::{Method, MethodSet};
use crate::params::{Params, Values};
use crate::table::{
    Edge, Entry, NO_EDGE, NO_NODE, Node, RouteInfo, SCAN_EDGES, Span, StaticPath, Table, edge_hash, segment_key,
    static_hash, static_length_bit, static_slot,
};

/// A route found for a request: its index in declaration order, and its parameters.
#[derive(Debug, Clone)]
pub struct Match<'t, 'p> {
    /// The index of the route in declaration order (mounted tables follow one another).
    pub route: usize,
    /// The captured path parameters.
    pub params: Params<'t, 'p>,
}

/// The characters a parameter may hold, as the reference allows them: `\w` and
/// `-._~()'!*:@,;=+&$%<> []{}|^`. Bytes from 0x80 are decided per character.
static PARAM_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'_');
        b += 1;
    }
    let extra = b"-._~()'!*:@,;=+&$%<> []{}|^";
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether `segment` can be a parameter's value.
#[inline]
fn is_param_value(segment: &str) -> bool {
    !segment.is_empty()
        && (segment.bytes().all(|b| PARAM_BYTE[b as usize])
            || segment.chars().all(|c| if c.is_ascii() { PARAM_BYTE[c as usize] } else { c.is_alphanumeric() }))
}

/// The index of the first `/`, eight bytes at a time: segments are a few bytes long, where a
/// call to memchr costs more than the scan.
#[inline]
fn find_slash(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut offset = 0;
    while let Some(chunk) = bytes[offset..].first_chunk::<8>() {
        let word = u64::from_le_bytes(*chunk) ^ (ONES * b'/' as u64);
        // The classic "has a zero byte" test: exact for the lowest zero byte, which is the
        // first `/` in little-endian order.
        let zeros = word.wrapping_sub(ONES) & !word & HIGHS;
        if zeros != 0 {
            return Some(offset + (zeros.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    bytes[offset..].iter().position(|&b| b == b'/').map(|i| offset + i)
}

/// Splits `rest` at its first `/`: the segment, and what follows the `/` (`None` when
/// there is no `/`).
///
/// INVARIANT relied on by the unchecked slicing: [`find_slash`] returns the index of a `/`
/// byte of `rest`, or `None`. Nothing outside this module reaches it; the property test below
/// checks it against checked slicing on arbitrary text, multi-byte characters included.
#[inline]
fn split_segment(rest: &str) -> (&str, Option<&str>) {
    match find_slash(rest.as_bytes()) {
        // SAFETY: `slash` indexes a `/` byte of `rest`. `/` is ASCII, so both `slash` and
        // `slash + 1` are char boundaries of the UTF-8 string `rest`, and `slash < rest.len()`.
        // (Checked slicing re-validates the boundaries on every segment of every lookup.)
        Some(slash) => unsafe { (rest.get_unchecked(..slash), Some(rest.get_unchecked(slash + 1..))) },
        None => (rest, None),
    }
}

/// The table's arrays as plain slices, taken once per lookup (each `Cow` deref is a branch).
#[derive(Clone, Copy)]
struct View<'t> {
    nodes: &'t [Node],
    edges: &'t [Edge],
    edge_index: &'t [u32],
    entries: &'t [Entry],
    routes: &'t [RouteInfo],
    strings: &'t [u8],
}

impl Table {
    /// Finds the route for `method` and `path` (a routing path: prefixes already stripped,
    /// see [`PathOptions`](crate::PathOptions)). Static routes are one hash probe; the rest
    /// walk the trie, most specific segment first, backtracking where a branch fails.
    #[inline]
    pub fn find<'t, 'p>(&'t self, method: Method, path: &'p str) -> Option<Match<'t, 'p>> {
        if let Some(route) = self.find_static(method, path) {
            return Some(Match { route, params: Params::empty() });
        }
        let view = View {
            nodes: &self.nodes,
            edges: &self.edges,
            edge_index: &self.edge_index,
            entries: &self.entries,
            routes: &self.routes,
            strings: self.strings.as_bytes(),
        };
        let mut values = Values::new();
        let route = match path.strip_prefix('/') {
            Some("") => view.search(0, None, path, method, &mut values)?,
            Some(rest) => view.search(0, Some(rest), path, method, &mut values)?,
            // Only the bare `.+` matches a path without its leading `/`.
            None => view.tails(0, None, path, method, &mut values)?,
        };
        let info = &view.routes[route];
        Some(Match { route, params: Params::new(&self.param_names[info.params.range()], &self.strings, values) })
    }

    /// Finds the route as the reference's REST API resolver does, whose patterns match
    /// `^pattern/*$`: `path` (prefixes stripped, trailing slashes kept) matches a route when it
    /// does with some of its trailing slashes removed. Every slash removed is what routes
    /// without a tail need (`/hello//` is `/hello`); all but one is what a pattern with a
    /// trailing slash needs (`/a//` is `/a/`); none is what a tail needs when only slashes
    /// follow its prefix (`/files//` is `/files/.+` with the tail `/`). When routes match with
    /// different numbers of slashes removed, the reference's precedence picks one: routes
    /// without parameters first, then in declaration order.
    ///
    /// Returns the match and the routing path it matched (for a path that matches no route,
    /// route with the path without its trailing slashes).
    ///
    /// ```
    /// use lambda_router_core::{Method, RouterBuilder};
    /// let router = RouterBuilder::new().get("/hello", 1).get("/files/.+", 2).get("/a/", 3).build().unwrap();
    /// let table = router.table();
    /// let route = |path| table.find_ignoring_trailing_slashes(Method::Get, path).map(|(m, p)| (m.route, p));
    /// assert_eq!(route("/hello//"), Some((0, "/hello")));
    /// assert_eq!(route("/files//"), Some((1, "/files//")));
    /// assert_eq!(route("/a//"), Some((2, "/a/")));
    /// assert_eq!(route("/files/"), None);
    /// ```
    pub fn find_ignoring_trailing_slashes<'t, 'p>(
        &'t self,
        method: Method,
        path: &'p str,
    ) -> Option<(Match<'t, 'p>, &'p str)> {
        let trimmed = path.trim_end_matches('/');
        // An all-slash path keeps one: the root.
        let every = if trimmed.is_empty() { path.get(..1).unwrap_or("/") } else { trimmed };
        let mut best = self.find(method, every).map(|found| (found, every));
        if trimmed.len() == path.len() {
            return best;
        }
        let all_but_one = path.get(..trimmed.len() + 1).unwrap_or(path);
        for candidate in [all_but_one, path] {
            if candidate == every || best.as_ref().is_some_and(|(_, matched)| *matched == candidate) {
                continue;
            }
            if let Some(found) = self.find(method, candidate) {
                let better = best.as_ref().is_none_or(|(current, _)| self.rank(found.route) < self.rank(current.route));
                if better {
                    best = Some((found, candidate));
                }
            }
        }
        best
    }

    /// The reference's precedence of a route: without parameters first, then in declaration
    /// order.
    fn rank(&self, route: usize) -> (bool, usize) {
        let pattern = self.pattern(route).unwrap_or("");
        (pattern.contains(['<', '{']), route)
    }

    #[inline]
    fn find_static(&self, method: Method, path: &str) -> Option<usize> {
        let statics: &[StaticPath] = &self.statics;
        // No static path has this length (or the table has none): skip the hash.
        if self.static_lengths & static_length_bit(path.len()) == 0 {
            return None;
        }
        let hash = static_hash(path.as_bytes(), self.seed);
        let slot = &statics[static_slot(hash, &self.displacements, statics.len())];
        if self.text(slot.path) != path {
            return None;
        }
        first(&self.entries[slot.entries.range()], method)
    }
}

/// The first route of `entries` (declaration order) that answers `method`.
#[inline]
fn first(entries: &[Entry], method: Method) -> Option<usize> {
    entries.iter().find(|entry| MethodSet::from_bits(entry.methods).contains(method)).map(|entry| entry.route as usize)
}

impl<'t> View<'t> {
    /// `rest` is what follows the `/` after this node's segment; `None` when the path ended.
    /// On failure, `values` may hold extra captures: the caller truncates.
    fn search<'p>(
        &self,
        mut node: usize,
        mut rest: Option<&'p str>,
        path: &'p str,
        method: Method,
        values: &mut Values<'p>,
    ) -> Option<usize> {
        loop {
            let here = &self.nodes[node];
            let Some(remaining) = rest else {
                return first(&self.entries[here.ends.range()], method)
                    .or_else(|| self.tails(node, None, path, method, values));
            };
            let (segment, next) = split_segment(remaining);
            let child = self.edge(node, here.edges, segment);
            let has_tails = here.tails.start != here.tails.end;
            // One way forward and nothing to fall back on: go on without recursing (most
            // steps of most tables are like this).
            if !has_tails {
                match child {
                    Some(child) if here.param == NO_NODE => {
                        (node, rest) = (child, next);
                        continue;
                    }
                    None if here.param == NO_NODE => return None,
                    None if is_param_value(segment) => {
                        values.push(segment);
                        (node, rest) = (here.param as usize, next);
                        continue;
                    }
                    None => return None,
                    Some(_) => {}
                }
            }
            let param = (here.param != NO_NODE && is_param_value(segment)).then_some(here.param as usize);
            let saved = values.len();
            if let Some(child) = child {
                if let Some(route) = self.search(child, next, path, method, values) {
                    return Some(route);
                }
                values.truncate(saved);
            }
            if let Some(param) = param {
                values.push(segment);
                if let Some(route) = self.search(param, next, path, method, values) {
                    return Some(route);
                }
                values.truncate(saved);
            }
            return self.tails(node, Some(remaining), path, method, values);
        }
    }

    /// The tails that start at `node`: `rest` (non-empty) or, for the bare `.+`, the whole path.
    fn tails<'p>(
        &self,
        node: usize,
        rest: Option<&'p str>,
        path: &'p str,
        method: Method,
        values: &mut Values<'p>,
    ) -> Option<usize> {
        for entry in &self.entries[self.nodes[node].tails.range()] {
            if !MethodSet::from_bits(entry.methods).contains(method) {
                continue;
            }
            let captured = if self.routes[entry.route as usize].whole_path_tail { Some(path) } else { rest };
            if let Some(captured) = captured.filter(|c| !c.is_empty()) {
                values.push(captured);
                return Some(entry.route as usize);
            }
        }
        None
    }

    /// The static child of `node` for `segment`.
    #[inline]
    fn edge(&self, node: usize, edges: Span, segment: &str) -> Option<usize> {
        let count = edges.end - edges.start;
        if count == 0 {
            return None;
        }
        let key = segment_key(segment.as_bytes());
        // Equal keys and lengths settle segments of up to eight bytes; longer ones compare
        // the bytes past the key.
        let strings = self.strings;
        let same = |edge: &Edge| {
            let Span { start, end } = edge.segment;
            edge.key == key
                && (end - start) as usize == segment.len()
                && (segment.len() <= 8
                    || strings.get(start as usize + 8..end as usize) == Some(&segment.as_bytes()[8..]))
        };
        if count <= SCAN_EDGES {
            return self.edges[edges.range()].iter().find(|e| same(e)).map(|e| e.node as usize);
        }
        let mask = self.edge_index.len() - 1;
        let mut slot = edge_hash(node as u32, key, segment.len()) as usize & mask;
        loop {
            let index = self.edge_index[slot];
            if index == NO_EDGE {
                return None;
            }
            let edge = &self.edges[index as usize];
            if edge.parent == node as u32 && same(edge) {
                return Some(edge.node as usize);
            }
            slot = (slot + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{find_slash, split_segment};

    /// The same split with checked slicing: what the unchecked version must equal.
    fn split_checked(rest: &str) -> (&str, Option<&str>) {
        match rest.find('/') {
            Some(slash) => (&rest[..slash], Some(&rest[slash + 1..])),
            None => (rest, None),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn split_segment_equals_checked_slicing(rest in "(/|a|é|€|😀|\\PC){0,40}") {
            prop_assert_eq!(find_slash(rest.as_bytes()), rest.find('/'));
            prop_assert_eq!(split_segment(&rest), split_checked(&rest));
        }
    }

    #[test]
    fn split_segment_at_every_offset_of_a_word() {
        // Every position of the slash relative to the 8-byte words find_slash reads.
        for len in 0..24 {
            for slash in 0..=len {
                let mut text: String = "é".repeat(len);
                text.insert(text.char_indices().nth(slash).map_or(text.len(), |(i, _)| i), '/');
                assert_eq!(split_segment(&text), split_checked(&text), "{text:?}");
            }
        }
    }
}
