//! The pattern parser and the build-time compiler's entry point: arbitrary patterns and
//! arbitrary Rust source never panic; a table that compiles at run time compiles the same at
//! build time.
#![no_main]

use lambda_router_core::RouterBuilder;
use lambda_router_build::Build;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else { return };
    for line in text.lines().take(16) {
        let _ = lambda_router_core::parse_pattern(line);
    }
    let built = text.lines().take(16).fold(RouterBuilder::<()>::new(), |b, line| b.get(line, ())).build();
    // The same patterns as a const table, through the build-time reader and compiler.
    let entries: Vec<String> =
        text.lines().take(16).map(|line| format!("    Route::get({line:?}, handler),")).collect();
    let source = format!("pub const ROUTES: &[Route] = &[\n{}\n];\n", entries.join("\n"));
    let generated = Build::new("fuzz.rs").mount_source("", "fuzz_table.rs", &source, "ROUTES").generate();
    assert_eq!(built.is_ok(), generated.is_ok(), "run time and build time agree on {text:?}");
    // Arbitrary text as a table file: errors, never panics.
    let _ = Build::new("fuzz.rs").mount_source("", "arbitrary.rs", text, "ROUTES").generate();
});
