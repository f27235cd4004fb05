//! The fuzz targets' checks in `cargo test`, on stable: every kept crash input
//! (`tests/fixtures/fuzz-regressions/`) and every seed (`fuzz/seeds/`) goes through the
//! pipeline target's checks — a response of the source's shape or an event error, and a next
//! invocation answered as on a fresh workspace.

use test_support::fuzz_app as common;

use lambda_router::{LambdaContext, Workspace};

fn inputs(dir: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_file() && e.file_name() != "README.md")
                .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn typed_body_seeds_and_kept_crashes_pass_the_typed_checks() {
    let app = validation::app();
    let mut workspace = Workspace::new();
    let mut count = 0;
    for dir in ["tests/fixtures/fuzz-regressions/typed", "../fuzz/seeds/typed"] {
        for (_, input) in inputs(dir) {
            test_support::typed_fuzz::run(&app, &mut workspace, &input);
            count += 1;
        }
    }
    assert!(count >= 40, "the seeds are there ({count} inputs)");
}

#[test]
fn form_seeds_and_kept_crashes_pass_the_form_checks() {
    let app = contract::app();
    let mut workspace = Workspace::new();
    let mut count = 0;
    for dir in ["tests/fixtures/fuzz-regressions/forms", "../fuzz/seeds/forms"] {
        for (_, input) in inputs(dir) {
            test_support::form_fuzz::run(&app, &mut workspace, &input);
            // The same, padded past the lifting threshold and base64-encoded.
            if let Some((&choices, rest)) = input.split_first() {
                test_support::form_fuzz::run(&app, &mut workspace, &[&[choices | 8 | 16][..], rest].concat());
            }
            count += 1;
        }
    }
    assert!(count >= 40, "the seeds are there ({count} inputs)");
}

#[test]
fn kept_crashes_and_seeds_pass_the_fuzz_checks() {
    let app = common::app();
    let fresh = app.handle(&mut Workspace::new(), common::PROBE, &LambdaContext::LOCAL).unwrap().to_vec();
    let mut workspace = Workspace::new();
    let mut count = 0;
    for dir in ["tests/fixtures/fuzz-regressions", "../fuzz/seeds/event"] {
        for (name, input) in inputs(dir) {
            common::run(&app, &mut workspace, &fresh, &input);
            count += 1;
            let _ = name;
        }
    }
    assert!(count >= 26, "the seeds are there ({count} inputs)");
}
