//! HTTP methods and sets of them, as a route declares and a request presents them.

use core::fmt;

/// An HTTP method a route can answer.
///
/// Events carry the method as text; [`Method::parse`] reads it case-insensitively, as the
/// reference does (`get` reaches a `GET` route).
///
/// ```
/// use lambda_router_core::Method;
/// assert_eq!(Method::parse("get"), Some(Method::Get));
/// assert_eq!(Method::parse("BREW"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Method {
    /// `GET`
    Get = 0,
    /// `HEAD` (not answered by `GET` routes: the reference answers 404)
    Head = 1,
    /// `POST`
    Post = 2,
    /// `PUT`
    Put = 3,
    /// `DELETE`
    Delete = 4,
    /// `PATCH`
    Patch = 5,
    /// `OPTIONS`
    Options = 6,
    /// `CONNECT`
    Connect = 7,
    /// `TRACE`
    Trace = 8,
}

impl Method {
    /// Every method, in bit order.
    pub const ALL: [Method; 9] = [
        Method::Get,
        Method::Head,
        Method::Post,
        Method::Put,
        Method::Delete,
        Method::Patch,
        Method::Options,
        Method::Connect,
        Method::Trace,
    ];

    /// Reads a method name in any letter case; `None` for a name outside [`Method::ALL`].
    pub fn parse(name: &str) -> Option<Method> {
        let bytes = name.as_bytes();
        // Longest method name is 7 bytes; upper-case into a stack buffer, no allocation.
        if bytes.is_empty() || bytes.len() > 7 {
            return None;
        }
        let mut upper = [0u8; 7];
        for (dst, src) in upper.iter_mut().zip(bytes) {
            *dst = src.to_ascii_uppercase();
        }
        Some(match &upper[..bytes.len()] {
            b"GET" => Method::Get,
            b"HEAD" => Method::Head,
            b"POST" => Method::Post,
            b"PUT" => Method::Put,
            b"DELETE" => Method::Delete,
            b"PATCH" => Method::Patch,
            b"OPTIONS" => Method::Options,
            b"CONNECT" => Method::Connect,
            b"TRACE" => Method::Trace,
            _ => return None,
        })
    }

    /// The canonical upper-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Options => "OPTIONS",
            Method::Connect => "CONNECT",
            Method::Trace => "TRACE",
        }
    }

    const fn bit(self) -> u16 {
        1 << self as u8
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of methods, one bit each: what a route answers.
///
/// ```
/// use lambda_router_core::{Method, MethodSet};
/// const WRITE: MethodSet = MethodSet::of(&[Method::Put, Method::Post]);
/// assert!(WRITE.contains(Method::Post));
/// assert!(!WRITE.contains(Method::Get));
/// assert_eq!(WRITE.to_string(), "POST,PUT");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MethodSet(u16);

impl MethodSet {
    /// No method.
    pub const EMPTY: MethodSet = MethodSet(0);
    /// Every method in [`Method::ALL`].
    pub const ANY: MethodSet = MethodSet((1 << Method::ALL.len()) - 1);

    /// The set of the given methods.
    pub const fn of(methods: &[Method]) -> MethodSet {
        let mut bits = 0;
        let mut i = 0;
        while i < methods.len() {
            bits |= methods[i].bit();
            i += 1;
        }
        MethodSet(bits)
    }

    /// The set holding `method` alone.
    pub const fn one(method: Method) -> MethodSet {
        MethodSet(method.bit())
    }

    /// The raw bits (bit `n` is `Method::ALL[n]`); generated tables store these.
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// The set whose raw bits are `bits`; bits beyond [`MethodSet::ANY`] are dropped.
    pub const fn from_bits(bits: u16) -> MethodSet {
        MethodSet(bits & MethodSet::ANY.0)
    }

    /// Whether `method` is in the set.
    #[inline]
    pub const fn contains(self, method: Method) -> bool {
        self.0 & method.bit() != 0
    }

    /// Whether the set holds no method.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The methods in both sets.
    pub const fn intersection(self, other: MethodSet) -> MethodSet {
        MethodSet(self.0 & other.0)
    }

    /// The methods in either set.
    pub const fn union(self, other: MethodSet) -> MethodSet {
        MethodSet(self.0 | other.0)
    }

    /// Whether every method of `self` is in `other`.
    pub const fn is_subset(self, other: MethodSet) -> bool {
        self.0 & !other.0 == 0
    }

    /// The methods of the set, in [`Method::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Method> {
        Method::ALL.into_iter().filter(move |m| self.contains(*m))
    }
}

impl fmt::Display for MethodSet {
    /// Comma-separated and sorted by name, the form of `Access-Control-Allow-Methods`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names = [""; Method::ALL.len()];
        let mut count = 0;
        for method in self.iter() {
            names[count] = method.as_str();
            count += 1;
        }
        names[..count].sort_unstable();
        for (i, name) in names[..count].iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(name)?;
        }
        Ok(())
    }
}

impl fmt::Debug for MethodSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MethodSet({self})")
    }
}
