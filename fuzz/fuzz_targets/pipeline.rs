//! The whole pipeline: arbitrary bytes → response bytes of the source's shape (or an event
//! error), and the next invocation on the same workspace answers as on a fresh one.
#![no_main]

use test_support::fuzz_app as common;

use lambda_router::{App, LambdaContext, Workspace};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static STATE: (App, std::cell::RefCell<Workspace>, Vec<u8>) = {
        let app = common::app();
        let fresh = app.handle(&mut Workspace::new(), common::PROBE, &LambdaContext::LOCAL).expect("probe").to_vec();
        (app, std::cell::RefCell::new(Workspace::new()), fresh)
    };
}

fuzz_target!(|input: &[u8]| {
    STATE.with(|(app, workspace, fresh)| common::run(app, &mut workspace.borrow_mut(), fresh, input));
});
