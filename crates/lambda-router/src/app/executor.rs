//! A minimal executor for `App::handle`, the synchronous entry point: sync handlers finish in
//! one poll with a no-op waker and no allocation; a future that waits parks the thread until
//! woken.

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// Runs a future to completion on this thread: polled with a no-op waker first (sync
/// handlers finish in one poll, with no allocation); a future that waits parks the thread
/// until woken.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
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
