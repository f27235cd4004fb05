//! One `tracing` span per invocation, `invocation`, with the request id and the X-Ray trace id:
//! a handler's events before and after an await are inside it, sequentially and with eight
//! invocations interleaved on one thread. The subscriber is a small capturing one, written here.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use lambda_router::testing::TestRequest;
use lambda_router::{App, Error, LambdaContext, Request, Response, Route, Router, Workspace};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// What was captured: each span's name and fields, and each event's message with the span it
/// was in.
#[derive(Default)]
struct Captured {
    spans: HashMap<u64, (String, HashMap<String, String>)>,
    events: Vec<(String, Option<u64>)>,
}

#[derive(Clone, Default)]
struct Capture {
    captured: Arc<Mutex<Captured>>,
    next: Arc<AtomicU64>,
}

thread_local! {
    static STACK: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

struct Fields<'m>(&'m mut HashMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = HashMap::new();
        attributes.record(&mut Fields(&mut fields));
        self.captured.lock().unwrap().spans.insert(id, (attributes.metadata().name().to_owned(), fields));
        Id::from_u64(id)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = HashMap::new();
        event.record(&mut Fields(&mut fields));
        let parent = STACK.with(|stack| stack.borrow().last().copied());
        let message = fields.remove("message").unwrap_or_default();
        self.captured.lock().unwrap().events.push((message, parent));
    }

    fn enter(&self, span: &Id) {
        STACK.with(|stack| stack.borrow_mut().push(span.into_u64()));
    }

    fn exit(&self, span: &Id) {
        STACK.with(|stack| {
            let mut stack = stack.borrow_mut();
            if let Some(at) = stack.iter().rposition(|id| *id == span.into_u64()) {
                stack.remove(at);
            }
        });
    }
}

async fn traced<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let who = req.param("who").unwrap_or_default();
    tracing::info!("before {who}");
    // Another invocation runs meanwhile, when several are in flight.
    for _ in 0..3 {
        tokio::task::yield_now().await;
    }
    tracing::info!("after {who}");
    Ok(Response::text(200, "ok"))
}

fn app() -> App {
    App::with_router(Router::builder().push(Route::get("/t/<who>", traced)).build().unwrap())
}

/// Each handler event's span: its name and request id, and the trace id.
fn span_of(captured: &Captured, message: &str) -> (String, String, String) {
    let (_, parent) =
        captured.events.iter().find(|(m, _)| m == message).unwrap_or_else(|| panic!("no event {message:?}"));
    let (name, fields) = &captured.spans[&parent.unwrap_or_else(|| panic!("{message:?} outside any span"))];
    (name.clone(), fields["request_id"].clone(), fields.get("xray_trace_id").cloned().unwrap_or_default())
}

#[test]
fn each_invocation_is_one_span_and_its_events_nest_in_it() {
    let capture = Capture::default();
    let captured = capture.captured.clone();
    tracing::subscriber::with_default(capture, || {
        let app = app();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        // Sequentially, on one workspace.
        let mut workspace = Workspace::new();
        for i in 0..3 {
            let request_id = format!("seq-{i}");
            let trace = format!("Root=1-00000000-00000000000000000000000{i}");
            let lambda = LambdaContext { request_id: &request_id, xray_trace_id: Some(&trace), ..LambdaContext::LOCAL };
            let event = TestRequest::get(&format!("/t/seq{i}")).rest_v1().to_bytes();
            runtime.block_on(app.handle_async(&mut workspace, &event, &lambda)).unwrap();
        }
        // Eight at once, interleaved on one thread, each on its own workspace.
        let local = tokio::task::LocalSet::new();
        let app = std::rc::Rc::new(app);
        for i in 0..8 {
            let app = app.clone();
            local.spawn_local(async move {
                let request_id = format!("par-{i}");
                let trace = format!("Root=1-11111111-00000000000000000000000{i}");
                let lambda =
                    LambdaContext { request_id: &request_id, xray_trace_id: Some(&trace), ..LambdaContext::LOCAL };
                let event = TestRequest::get(&format!("/t/par{i}")).rest_v1().to_bytes();
                let mut workspace = Workspace::new();
                app.handle_async(&mut workspace, &event, &lambda).await.unwrap();
            });
        }
        runtime.block_on(local);
    });
    let captured = captured.lock().unwrap();
    for (prefix, root) in [("seq", "00000000"), ("par", "11111111")] {
        let count = if prefix == "seq" { 3 } else { 8 };
        for i in 0..count {
            for when in ["before", "after"] {
                let (name, request_id, trace) = span_of(&captured, &format!("{when} {prefix}{i}"));
                assert_eq!(name, "invocation");
                assert_eq!(request_id, format!("{prefix}-{i}"), "{when} {prefix}{i}");
                assert_eq!(trace, format!("Root=1-{root}-00000000000000000000000{i}"));
            }
        }
    }
    // The events of the eight interleaved: not all of one before the other's.
    let order: Vec<&str> = captured.events.iter().map(|(m, _)| m.as_str()).filter(|m| m.contains("par")).collect();
    assert!(
        order.iter().position(|m| *m == "after par0") > order.iter().position(|m| *m == "before par7"),
        "{order:?}"
    );
    println!(
        "captured: {:?}",
        captured.spans.values().find(|(_, f)| f.get("request_id").is_some_and(|r| r == "par-3"))
    );
}
