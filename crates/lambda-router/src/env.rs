//! On/off switches read from the environment, in one vocabulary for every variable.

/// `Some(true)` for `1`, `true`, `yes` or `on`, `Some(false)` for `0`, `false`, `no` or `off`
/// (in any case, spaces around ignored); `None` when `name` is unset or says neither.
pub(crate) fn switch(name: &str) -> Option<bool> {
    let value = std::env::var(name).ok()?;
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}
