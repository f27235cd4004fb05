//! Items used by generated code only. Not part of the public API.

pub use crate::router::table::{Edge, Entry, NO_NODE, Node, RouteInfo, Span, StaticPath};

use crate::router::Route;

/// Whether `route` was declared with this pattern and these method bits: the generated code
/// asserts it at compile time for every route, so a table edited after its matcher was
/// generated fails the build instead of routing to the wrong handler.
pub const fn same_route<H>(route: &Route<H>, pattern: &str, methods: u16) -> bool {
    let a = route.pattern().as_bytes();
    let b = pattern.as_bytes();
    if a.len() != b.len() || route.methods().bits() != methods {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
