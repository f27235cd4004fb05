//! Typed bodies: arbitrary bytes as the JSON body of the validation app's `POST /orders` and
//! `PUT /todos/<id>` (checks in `test-support/src/typed_fuzz.rs`).
#![no_main]

use lambda_router::{App, Workspace};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static STATE: (App, std::cell::RefCell<Workspace>) = (validation::app(), std::cell::RefCell::new(Workspace::new()));
}

fuzz_target!(|body: &[u8]| {
    STATE.with(|(app, workspace)| test_support::typed_fuzz::run(app, &mut workspace.borrow_mut(), body));
});
