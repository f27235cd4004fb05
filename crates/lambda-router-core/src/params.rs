//! The path parameters of a match: borrowed slices of the matched path, held inline.
//!
//! On the request path: never allocates for up to [`INLINE_PARAMS`] parameters, and has no
//! `unsafe` (an array of `&str` starts filled with `""`, so no slot is ever uninitialized).

use crate::table::Span;

/// Parameters captured inline before the values spill to the heap. Four covers every route
/// of the GitHub API benchmark set (its deepest has four parameters) and keeps a match
/// small enough to return by value.
pub(crate) const INLINE_PARAMS: usize = 4;

/// The captured values, in path order: inline up to [`INLINE_PARAMS`], then on the heap.
#[derive(Debug, Clone)]
pub(crate) enum Values<'p> {
    Inline { values: [&'p str; INLINE_PARAMS], len: u8 },
    Spilled(Vec<&'p str>),
}

impl<'p> Values<'p> {
    #[inline]
    pub(crate) const fn new() -> Values<'p> {
        Values::Inline { values: [""; INLINE_PARAMS], len: 0 }
    }

    #[inline]
    pub(crate) fn push(&mut self, value: &'p str) {
        match self {
            Values::Inline { values, len } if (*len as usize) < INLINE_PARAMS => {
                values[*len as usize] = value;
                *len += 1;
            }
            Values::Inline { values, .. } => {
                let mut spilled = Vec::with_capacity(INLINE_PARAMS * 2);
                spilled.extend_from_slice(values);
                spilled.push(value);
                *self = Values::Spilled(spilled);
            }
            Values::Spilled(values) => values.push(value),
        }
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.as_slice().len()
    }

    #[inline]
    pub(crate) fn truncate(&mut self, to: usize) {
        match self {
            Values::Inline { len, .. } => *len = (*len).min(to.min(INLINE_PARAMS) as u8),
            Values::Spilled(values) => values.truncate(to),
        }
    }

    #[inline]
    pub(crate) fn as_slice(&self) -> &[&'p str] {
        match self {
            Values::Inline { values, len } => &values[..*len as usize],
            Values::Spilled(values) => values,
        }
    }
}

/// The path parameters of a match, borrowed from the path that was matched.
///
/// ```
/// use lambda_router_core::{Method, RouterBuilder};
/// let router = RouterBuilder::new().get("/repos/<owner>/<repo>", "repo").build().unwrap();
/// let found = router.find(Method::Get, "/repos/hyperium/hyper").unwrap();
/// assert_eq!(found.params.get("owner"), Some("hyperium"));
/// assert_eq!(found.params.iter().collect::<Vec<_>>(), [("owner", "hyperium"), ("repo", "hyper")]);
/// ```
#[derive(Debug, Clone)]
pub struct Params<'t, 'p> {
    /// Ranges of `strings`, the table's.
    names: &'t [Span],
    strings: &'t str,
    values: Values<'p>,
}

impl<'t, 'p> Params<'t, 'p> {
    /// No parameters.
    #[inline]
    pub const fn empty() -> Params<'t, 'p> {
        Params { names: &[], strings: "", values: Values::new() }
    }

    #[inline]
    pub(crate) fn new(names: &'t [Span], strings: &'t str, values: Values<'p>) -> Params<'t, 'p> {
        Params { names, strings, values }
    }

    fn name(&self, span: Span) -> &'t str {
        self.strings.get(span.range()).unwrap_or("")
    }

    /// The value of the parameter `name`, as it appears in the path (not percent-decoded).
    pub fn get(&self, name: &str) -> Option<&'p str> {
        self.names.iter().position(|&n| self.name(n) == name).and_then(|i| self.values.as_slice().get(i).copied())
    }

    /// The parameters, as `(name, value)`, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&'t str, &'p str)> + '_ {
        self.names.iter().map(|&n| self.name(n)).zip(self.values.as_slice().iter().copied())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_stay_inline_then_spill_in_order() {
        let mut values = Values::new();
        let words = ["a", "b", "c", "d", "e", "f"];
        for (i, word) in words.iter().enumerate() {
            values.push(word);
            assert_eq!(values.as_slice(), &words[..=i]);
            assert_eq!(matches!(values, Values::Inline { .. }), i < INLINE_PARAMS);
        }
        values.truncate(2);
        assert_eq!(values.as_slice(), ["a", "b"]);
        let mut inline = Values::new();
        inline.push("x");
        inline.push("y");
        inline.truncate(5);
        assert_eq!(inline.as_slice(), ["x", "y"]);
        inline.truncate(0);
        assert!(inline.as_slice().is_empty());
    }
}
