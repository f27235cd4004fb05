//! A minimal executor for `App::handle`, the synchronous entry point: sync handlers finish in
//! one poll with a no-op waker and no allocation; a future that waits parks the thread until
//! woken.

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// Runs a future to completion on this thread: polled with a no-op waker first (sync
/// handlers finish in one poll, with no allocation); a future that waits parks the thread
/// until woken.
///
/// The future is pinned by the caller (`std::pin::pin!(..)` at the call), where it was made:
/// taken by value, it would be copied into this frame, all of its bytes (the pipeline's future
/// is a few KiB), on every invocation.
pub(crate) fn block_on<F: Future>(mut future: std::pin::Pin<&mut F>) -> F::Output {
    if let Poll::Ready(output) = future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        return output;
    }
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}
