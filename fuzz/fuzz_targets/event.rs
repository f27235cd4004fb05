//! Event parsing and source detection: arbitrary bytes never panic, and whatever is answered
//! is a Lambda response. Seeds: the fixture events (`fuzz/README.md`).
#![no_main]

use test_support::fuzz_app as common;

use lambda_router::{App, LambdaContext, Workspace};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static STATE: (App, std::cell::RefCell<Workspace>) = (common::app(), std::cell::RefCell::new(Workspace::new()));
}

fuzz_target!(|input: &[u8]| {
    STATE.with(|(app, workspace)| {
        let mut workspace = workspace.borrow_mut();
        if let Ok(response) = app.handle(&mut workspace, input, &LambdaContext::LOCAL) {
            common::check_response(response);
        }
    });
});
