//! A naive matcher written from the precedence spec in the README: a linear scan over the
//! routes, keeping the most specific match. Shared by the differential property test and the
//! matcher's fuzz target, which check the real matcher against it.

#![allow(dead_code)]

use lambda_router::{Method, MethodSet};

/// A pattern segment as the spec describes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Static(String),
    Param(String),
    Tail(Option<String>),
}

/// The naive reader of the pattern syntax the generators use.
pub fn naive_parse(pattern: &str) -> (bool, Vec<Seg>) {
    if pattern == ".+" {
        return (true, vec![Seg::Tail(None)]);
    }
    if pattern == "/" {
        return (false, vec![]);
    }
    let segs = pattern[1..]
        .split('/')
        .map(|s| {
            if s == ".+" {
                Seg::Tail(None)
            } else if let Some(name) = s.strip_prefix('{').and_then(|s| s.strip_suffix("+}")) {
                Seg::Tail(Some(name.to_owned()))
            } else if let Some(name) = s.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
                Seg::Param(name.to_owned())
            } else if let Some(name) = s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Seg::Param(name.to_owned())
            } else {
                Seg::Static(s.to_owned())
            }
        })
        .collect();
    (false, segs)
}

pub fn param_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || "-._~()'!*:@,;=+&$%<> []{}|^".contains(c)
}

/// Matches one pattern against a path: the specificity of the match (per segment: 0 static,
/// 1 parameter, 2 tail) and the captured values, or `None`.
pub fn naive_match(pattern: &str, path: &str) -> Option<(Vec<u8>, Vec<String>)> {
    let (whole, segs) = naive_parse(pattern);
    if whole {
        return (!path.is_empty()).then(|| (vec![2], vec![]));
    }
    let rest = path.strip_prefix('/')?;
    let parts: Vec<&str> = if rest.is_empty() { vec![] } else { rest.split('/').collect() };
    let mut rank = Vec::new();
    let mut values = Vec::new();
    for (i, seg) in segs.iter().enumerate() {
        match seg {
            Seg::Static(text) => {
                if parts.get(i) != Some(&text.as_str()) {
                    return None;
                }
                rank.push(0);
            }
            Seg::Param(_) => {
                let part = parts.get(i)?;
                if part.is_empty() || !part.chars().all(param_char) {
                    return None;
                }
                rank.push(1);
                values.push(part.to_string());
            }
            Seg::Tail(_) => {
                if i >= parts.len() {
                    return None;
                }
                let tail = parts[i..].join("/");
                if tail.is_empty() {
                    return None;
                }
                rank.push(2);
                if let Seg::Tail(Some(_)) = seg {
                    values.push(tail);
                }
                return Some((rank, values));
            }
        }
    }
    (parts.len() == segs.len()).then_some((rank, values))
}

/// The spec as a linear scan: among the routes that match (method included), the one whose
/// segments are most specific from the left; among equals, the first declared.
pub fn naive_find(routes: &[(String, MethodSet)], method: Method, path: &str) -> Option<(usize, Vec<String>)> {
    let mut best: Option<(Vec<u8>, usize, Vec<String>)> = None;
    for (index, (pattern, methods)) in routes.iter().enumerate() {
        if !methods.contains(method) {
            continue;
        }
        if let Some((rank, values)) = naive_match(pattern, path)
            && best.as_ref().is_none_or(|(best_rank, _, _)| rank < *best_rank)
        {
            best = Some((rank, index, values));
        }
    }
    best.map(|(_, index, values)| (index, values))
}

/// Whether two patterns match exactly the same paths.
pub fn naive_same_shape(a: &str, b: &str) -> bool {
    let (whole_a, a) = naive_parse(a);
    let (whole_b, b) = naive_parse(b);
    whole_a == whole_b
        && a.len() == b.len()
        && a.iter().zip(&b).all(|pair| match pair {
            (Seg::Static(x), Seg::Static(y)) => x == y,
            (Seg::Param(_), Seg::Param(_)) | (Seg::Tail(_), Seg::Tail(_)) => true,
            _ => false,
        })
}
