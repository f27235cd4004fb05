//! Form and multipart bodies: arbitrary bytes as the contract app's `POST /signup` and
//! `POST /upload` bodies, every source, base64 or not, lifted or not (checks and the input's
//! layout in `test-support/src/form_fuzz.rs`).
#![no_main]

use lambda_router::{App, Workspace};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static STATE: (App, std::cell::RefCell<Workspace>) = (contract::app(), std::cell::RefCell::new(Workspace::new()));
}

fuzz_target!(|data: &[u8]| {
    STATE.with(|(app, workspace)| test_support::form_fuzz::run(app, &mut workspace.borrow_mut(), data));
});
