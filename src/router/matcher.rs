//! Lookup: a method and a routing path in, the route and its parameters out.
//!
//! This is the request path. It must never allocate (parameters are borrowed slices of the
//! path, in an inline vector) and never panic on any path: every index it takes comes from
//! the table, which the compiler built consistent.

use smallvec::SmallVec;
use std::borrow::Cow;

use super::method::{Method, MethodSet};
use super::table::{Entry, NO_NODE, Span, Table, static_hash, static_slot};

/// Parameters captured inline before the vector spills to the heap. Four covers every route
/// of the GitHub API benchmark set (its deepest has four parameters) and keeps a match
/// small enough to return by value.
const INLINE_PARAMS: usize = 4;

/// The path parameters of a match, borrowed from the path that was matched.
///
/// ```
/// use lambda_router::{Method, Router};
/// let router = Router::builder().get("/repos/<owner>/<repo>", "repo").build().unwrap();
/// let found = router.find(Method::Get, "/repos/hyperium/hyper").unwrap();
/// assert_eq!(found.params.get("owner"), Some("hyperium"));
/// assert_eq!(found.params.iter().collect::<Vec<_>>(), [("owner", "hyperium"), ("repo", "hyper")]);
/// ```
#[derive(Debug, Clone)]
pub struct Params<'t, 'p> {
    names: &'t [Cow<'static, str>],
    values: SmallVec<[&'p str; INLINE_PARAMS]>,
}

impl<'t, 'p> Params<'t, 'p> {
    /// No parameters.
    pub fn empty() -> Params<'t, 'p> {
        Params {
            names: &[],
            values: SmallVec::new(),
        }
    }

    /// The value of the parameter `name`, as it appears in the path (not percent-decoded).
    pub fn get(&self, name: &str) -> Option<&'p str> {
        self.names
            .iter()
            .position(|n| n == name)
            .and_then(|i| self.values.get(i).copied())
    }

    /// The parameters, as `(name, value)`, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&'t str, &'p str)> + '_ {
        self.names
            .iter()
            .map(|n| &**n)
            .zip(self.values.iter().copied())
    }

    /// How many named parameters were captured.
    pub fn len(&self) -> usize {
        self.names.len().min(self.values.len())
    }

    /// Whether no named parameter was captured.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

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
            || segment.chars().all(|c| {
                if c.is_ascii() {
                    PARAM_BYTE[c as usize]
                } else {
                    c.is_alphanumeric()
                }
            }))
}

type Values<'p> = SmallVec<[&'p str; INLINE_PARAMS]>;

impl Table {
    /// Finds the route for `method` and `path` (a routing path: prefixes already stripped,
    /// see [`PathOptions`](crate::PathOptions)). Static routes are one hash probe; the rest
    /// walk the trie, most specific segment first, backtracking where a branch fails.
    #[inline]
    pub fn find<'t, 'p>(&'t self, method: Method, path: &'p str) -> Option<Match<'t, 'p>> {
        if let Some(route) = self.find_static(method, path) {
            return Some(Match {
                route,
                params: Params::empty(),
            });
        }
        let mut values = Values::new();
        let route = match path.strip_prefix('/') {
            Some("") => self.search(0, None, path, method, &mut values)?,
            Some(rest) => self.search(0, Some(rest), path, method, &mut values)?,
            // Only the bare `.+` matches a path without its leading `/`.
            None => self.tails(0, None, path, method, &mut values)?,
        };
        let info = &self.routes[route];
        Some(Match {
            route,
            params: Params {
                names: &self.param_names[info.params.range()],
                values,
            },
        })
    }

    #[inline]
    fn find_static(&self, method: Method, path: &str) -> Option<usize> {
        if self.statics.is_empty() {
            return None;
        }
        let hash = static_hash(path.as_bytes(), self.seed);
        let slot = &self.statics[static_slot(hash, &self.displacements, self.statics.len())];
        if slot.path != path {
            return None;
        }
        self.first(slot.entries, method)
    }

    /// The first route of `span` (declaration order) that answers `method`.
    #[inline]
    fn first(&self, span: Span, method: Method) -> Option<usize> {
        self.entries[span.range()]
            .iter()
            .find(|entry| MethodSet::from_bits(entry.methods).contains(method))
            .map(|entry| entry.route as usize)
    }

    /// `rest` is what follows the `/` after this node's segment; `None` when the path ended.
    fn search<'p>(
        &self,
        node: usize,
        rest: Option<&'p str>,
        path: &'p str,
        method: Method,
        values: &mut Values<'p>,
    ) -> Option<usize> {
        let here = &self.nodes[node];
        let Some(rest) = rest else {
            return self
                .first(here.ends, method)
                .or_else(|| self.tails(node, None, path, method, values));
        };
        let (segment, next) = match rest.find('/') {
            Some(slash) => (&rest[..slash], Some(&rest[slash + 1..])),
            None => (rest, None),
        };
        if let Some(child) = self.edge(here.edges, segment) {
            if let Some(route) = self.search(child, next, path, method, values) {
                return Some(route);
            }
        }
        if here.param != NO_NODE && is_param_value(segment) {
            values.push(segment);
            if let Some(route) = self.search(here.param as usize, next, path, method, values) {
                return Some(route);
            }
            values.pop();
        }
        self.tails(node, Some(rest), path, method, values)
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
        let tails = self.nodes[node].tails;
        let entries: &[Entry] = &self.entries[tails.range()];
        for entry in entries {
            if !MethodSet::from_bits(entry.methods).contains(method) {
                continue;
            }
            let captured = if self.routes[entry.route as usize].whole_path_tail {
                Some(path)
            } else {
                rest
            };
            if let Some(captured) = captured.filter(|c| !c.is_empty()) {
                values.push(captured);
                return Some(entry.route as usize);
            }
        }
        None
    }

    /// The static child of a node for `segment`.
    #[inline]
    fn edge(&self, edges: Span, segment: &str) -> Option<usize> {
        let edges = &self.edges[edges.range()];
        if edges.len() <= 8 {
            return edges
                .iter()
                .find(|e| e.segment == segment)
                .map(|e| e.node as usize);
        }
        edges
            .binary_search_by(|e| e.segment.as_bytes().cmp(segment.as_bytes()))
            .ok()
            .map(|i| edges[i].node as usize)
    }
}
