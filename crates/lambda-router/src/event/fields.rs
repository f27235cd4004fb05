//! Headers and query strings: views of the event's tape, searched on demand.
//!
//! Events carry these as single-value maps, multi-value maps, or both (REST API v1 sends
//! both; ALB sends one or the other; HTTP API v2 joins repeated values with commas). These
//! views answer the same questions whatever the shape, without copying anything.

use super::json::{Json, elements, last_string, members, string};

/// The request headers: names compared case-insensitively, values as the event gives them.
///
/// `get` gives one value: the single-value map's (REST API v1 and ALB keep the last of a
/// repeated header there; HTTP API v2 joins them with `,`), or else the last of the
/// multi-value map's. `get_all` gives every value.
#[derive(Debug, Clone, Copy, Default)]
pub struct Headers<'a> {
    /// An object of strings (VPC Lattice v2: of lists).
    pub(crate) single: Option<Json<'a>>,
    /// An object of lists of strings.
    pub(crate) multi: Option<Json<'a>>,
    /// HTTP API v2 joins a repeated header's values with `,`.
    pub(crate) comma_joined: bool,
}

fn find_ci<'a>(map: Option<Json<'a>>, name: &str) -> Option<Json<'a>> {
    members(map?).find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value)
}

fn find_exact<'a>(map: Option<Json<'a>>, name: &str) -> Option<Json<'a>> {
    members(map?).find(|(key, _)| *key == name).map(|(_, value)| value)
}

/// A string, or the last string of a list.
fn one(value: Json<'_>) -> Option<&str> {
    string(value).or_else(|| last_string(value))
}

/// A string alone, or every string of a list.
fn all(value: Option<Json<'_>>) -> impl Iterator<Item = &str> {
    value.into_iter().flat_map(|v| string(v).into_iter().chain(elements(v).filter_map(string)))
}

impl<'a> Headers<'a> {
    /// One value of the header `name` (any case), or `None`.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        find_ci(self.single, name).and_then(one).or_else(|| find_ci(self.multi, name).and_then(last_string))
    }

    /// The value of the header `name` (any case) in the single-value map alone, as the
    /// reference's `headers.get(name)` reads it (an ALB event with multi-value headers has
    /// none).
    pub fn single_value(&self, name: &str) -> Option<&'a str> {
        find_ci(self.single, name).and_then(one)
    }

    /// Every value of the header `name` (any case) in the multi-value map alone.
    pub(crate) fn get_all_multi(&self, name: &str) -> impl Iterator<Item = &'a str> + use<'a> {
        all(find_ci(self.multi, name))
    }

    /// Every value of the header `name` (any case), in order.
    pub fn get_all(&self, name: &str) -> impl Iterator<Item = &'a str> + use<'a> {
        let found = find_ci(self.multi, name).or_else(|| find_ci(self.single, name));
        all(found)
    }

    /// Whether a list of the header `name` is given a bare string, which the reference refuses
    /// (`list_type`): a multi-value map's string, or, outside HTTP API v2 (whose values are
    /// split into lists), the single-value map's.
    pub(crate) fn is_bare_string(&self, name: &str) -> bool {
        match find_ci(self.multi, name) {
            Some(value) => string(value).is_some(),
            None => !self.comma_joined && find_ci(self.single, name).and_then(string).is_some(),
        }
    }

    /// Every value of the header `name` as the reference lists them: for HTTP API v2, whose
    /// events join a repeated header's values with `,`, every value split at each `,` (and
    /// not trimmed: `a, b` is `a` and ` b`).
    pub(crate) fn get_all_split(&self, name: &str) -> impl Iterator<Item = &'a str> + use<'a> {
        let parts = if self.comma_joined { usize::MAX } else { 1 };
        self.get_all(name).flat_map(move |value| value.splitn(parts, ','))
    }

    /// How many header names the event carries (its larger map's; a look at the tape, no
    /// scan).
    pub fn count(&self) -> usize {
        let names = |map: Option<Json<'a>>| map.and_then(super::json::object).map_or(0, |o| o.len());
        names(self.single).max(names(self.multi))
    }

    /// Every `(name, value)` pair, names as the event spells them.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a> {
        let map = self.multi.or(self.single);
        map.into_iter().flat_map(members).flat_map(|(key, value)| all(Some(value)).map(move |v| (key, v)))
    }
}

/// The query string parameters: names compared exactly.
///
/// `get` follows the reference per source: REST API v1 and ALB give the last value of a
/// repeated key, HTTP API v2 the values joined with `,`. Values are as the event gives them:
/// API Gateway decodes them, ALB does not (`%20` stays).
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<'a> {
    pub(crate) single: Option<Json<'a>>,
    pub(crate) multi: Option<Json<'a>>,
    /// HTTP API v2 joins repeated values with `,` in its single-value map.
    pub(crate) comma_joined: bool,
    /// HTTP API v2's `rawQueryString`, which tells a repeated name from a value with a comma.
    pub(crate) raw: Option<&'a str>,
    /// An Amazon Bedrock Agents event's `parameters`: a list of `{"name", "value"}` strings
    /// (checked), whatever their place in the operation; a repeated name's last value wins.
    pub(crate) params: Option<Json<'a>>,
    /// The same parameters, read once (the pipeline fills it in the invocation's arena before
    /// any handler or middleware runs).
    pub(crate) pairs: Option<&'a [AgentParam<'a>]>,
}

/// The type a Bedrock Agents function call declares for a parameter (its `type`), by which the
/// reference converts the value before the tool sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    /// `string`, `array`, another type or none: the text as sent.
    Text,
    /// `integer`: read by Python's `int()`.
    Integer,
    /// `number`: read by Python's `float()`.
    Number,
    /// `boolean`: true exactly when the text is `true` in any case (`value.lower() == "true"`).
    Boolean,
}

impl Declared {
    fn of(type_: Option<&str>) -> Declared {
        match type_ {
            Some("integer") => Declared::Integer,
            Some("number") => Declared::Number,
            Some("boolean") => Declared::Boolean,
            _ => Declared::Text,
        }
    }
}

/// One of a Bedrock Agents event's parameters (or an operation's body properties), read once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AgentParam<'a> {
    pub(crate) name: &'a str,
    pub(crate) value: &'a str,
    /// A function call's declared type; `None` for an operation's parameter, which the route's
    /// typed inputs read whatever its `type` (the reference validates those as an HTTP request's).
    pub(crate) declared: Option<Declared>,
}

/// Each parameter of a Bedrock Agents function call, with the type it declares.
pub(crate) fn agent_function_params(params: Option<Json<'_>>) -> impl Iterator<Item = AgentParam<'_>> {
    params.into_iter().flat_map(elements).filter_map(|item| {
        let (name, value) = agent_param(item)?;
        let declared = Some(Declared::of(super::json::member(item, "type").and_then(string)));
        Some(AgentParam { name, value, declared })
    })
}

/// Each of a Bedrock Agents operation's parameters (or body properties), read by the route's
/// types.
pub(crate) fn agent_operation_params(params: Option<Json<'_>>) -> impl Iterator<Item = AgentParam<'_>> {
    agent_params(params).map(|(name, value)| AgentParam { name, value, declared: None })
}

/// The `(name, value)` of each of a Bedrock Agents event's parameters.
fn agent_params(params: Option<Json<'_>>) -> impl Iterator<Item = (&str, &str)> {
    params.into_iter().flat_map(elements).filter_map(agent_param)
}

/// The `name` and `value` strings of one `{"name", "value"}` entry.
fn agent_param(item: Json<'_>) -> Option<(&str, &str)> {
    Some((super::json::member(item, "name").and_then(string)?, super::json::member(item, "value").and_then(string)?))
}

impl<'a> Query<'a> {
    /// One value of the parameter `name`, or `None`.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        if let Some(param) = self.last_param(name) {
            return Some(param.value);
        }
        if self.params.is_some() {
            return agent_params(self.params).filter(|(key, _)| *key == name).last().map(|(_, value)| value);
        }
        match find_exact(self.single, name) {
            Some(value) => one(value),
            None => find_exact(self.multi, name).and_then(last_string),
        }
    }

    /// A Bedrock Agents parameter's value (a repeated name's last) and, for a function call's,
    /// its declared type.
    pub(crate) fn agent_param(&self, name: &str) -> Option<(&'a str, Option<Declared>)> {
        match self.pairs {
            Some(_) => self.last_param(name).map(|param| (param.value, param.declared)),
            None => self.get(name).map(|value| (value, None)),
        }
    }

    /// The last of the read parameters named `name` (none before the pipeline reads them).
    fn last_param(&self, name: &str) -> Option<&'a AgentParam<'a>> {
        self.pairs?.iter().rev().find(|param| param.name == name)
    }

    /// Every value of the parameter `name`, in order. For HTTP API v2, whose events join
    /// repeated values with `,`, the joined value is split again.
    pub fn get_all(&self, name: &str) -> impl Iterator<Item = &'a str> + use<'a> {
        // `splitn(1, ..)` yields the value whole: only HTTP API v2 values are split again.
        let parts = if self.comma_joined { usize::MAX } else { 1 };
        self.get_all_raw(name).flat_map(move |value| value.splitn(parts, ','))
    }

    /// Every value of the parameter `name` as the event lists it: HTTP API v2's joined
    /// values left whole.
    pub(crate) fn get_all_raw(&self, name: &str) -> impl Iterator<Item = &'a str> + use<'a> {
        let agent = self.params.is_some().then(|| self.get(name)).flatten();
        let maps = if self.params.is_some() {
            None
        } else {
            find_exact(self.multi, name).or_else(|| find_exact(self.single, name))
        };
        agent.into_iter().chain(all(maps))
    }

    /// Whether a list of the parameter `name` is given a bare string by the multi-value map,
    /// which the reference refuses (`list_type`); the single-value map's values it splits.
    pub(crate) fn is_bare_string(&self, name: &str) -> bool {
        find_exact(self.multi, name).and_then(string).is_some()
    }

    /// Whether HTTP API v2 joined several values of `name`: the name is written more than once
    /// in the query string, its keys decoded as the reference's `parse_qs` decodes them
    /// (`+` is a space, `%XX` a byte; pieces split at `&`, empty ones skipped).
    pub(crate) fn is_repeated(&self, name: &str) -> bool {
        let Some(raw) = self.raw else { return false };
        let mut seen = 0;
        for piece in raw.split('&').filter(|piece| !piece.is_empty()) {
            let key = piece.split_once('=').map_or(piece, |(key, _)| key);
            if decoded_equals(key.as_bytes(), name.as_bytes()) {
                seen += 1;
                if seen > 1 {
                    return true;
                }
            }
        }
        false
    }

    /// Every `(name, value)` pair (a Bedrock Agents event's parameters, in order).
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a> {
        let map = self.multi.or(self.single);
        let maps = map.into_iter().flat_map(members).flat_map(|(key, value)| all(Some(value)).map(move |v| (key, v)));
        agent_params(self.params).chain(maps)
    }

    /// Whether the request has no query parameter.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// Whether `encoded`, read as a query-string key (`+` a space, `%XX` a byte, a `%` without two
/// hex digits itself), is the bytes `name`.
fn decoded_equals(encoded: &[u8], name: &[u8]) -> bool {
    let hex = |byte: u8| (byte as char).to_digit(16);
    let (mut at, mut matched) = (0, 0);
    while at < encoded.len() {
        let (byte, width) = match encoded[at] {
            b'+' => (b' ', 1),
            b'%' => match (encoded.get(at + 1).copied().and_then(hex), encoded.get(at + 2).copied().and_then(hex)) {
                (Some(high), Some(low)) => ((high * 16 + low) as u8, 3),
                _ => (b'%', 1),
            },
            byte => (byte, 1),
        };
        if name.get(matched) != Some(&byte) {
            return false;
        }
        matched += 1;
        at += width;
    }
    matched == name.len()
}
