//! Many invocations at once on a few threads: a buffered function's invocation slots
//! (`AWS_LAMBDA_MAX_CONCURRENCY` above 1, with the `concurrency` feature, as on Lambda Managed
//! Instances), served by as many worker threads as the instance has CPUs (at least two), and
//! more while invocations await (at most one per slot).
//!
//! A slot is a keep-alive connection to the Runtime API and a workspace. Between invocations
//! it belongs to no thread: it waits in its place (a mutex) for its answer (an event, or the
//! answer to its post), its connection in one epoll set shared by the workers, registered once
//! and edge-triggered; the first worker free to look takes it. Bytes that arrive while a
//! worker has the slot mark its place pending, and that worker reads them when it puts the slot
//! back, so no arrival is missed and no system call re-arms anything. A worker is a
//! current-thread runtime that runs **one invocation at a time**: its leading task waits for
//! the shared set, takes one ready slot and runs the invocation itself, to its end. While
//! invocations await (a timer, an SDK call), a free worker is kept for the next event: when one
//! starts to await, or a worker takes an event, and none is left free, one more worker thread
//! starts (`Shared::keep_one_free`; at most one per slot, kept from then on). So:
//!
//! - a worker busy with a handler that computes for 50 ms without awaiting takes nothing more
//!   meanwhile: every other slot's event is taken by another worker, as with a thread per
//!   slot; only when every worker computes at once do the others wait (the CPUs are all busy
//!   then anyway);
//! - an awaiting invocation never waits for another's computation: it resumes on its own
//!   worker, where its future was pinned (nothing of an invocation moves between threads but
//!   the slot, and only between invocations), and that worker runs nothing else meanwhile; nor
//!   does an event wait for an awaiting invocation, while a thread per slot is not reached.
//!   Letting a worker take other events while its invocation awaits (as this pool did before)
//!   saves threads, but an invocation taken meanwhile that computes for 50 ms then holds up the
//!   awaiting one, and its slot, for as long: the isolation test
//!   `a_handler_computing_for_50_ms_holds_up_no_other_slot` failed 2 runs in 13 that way;
//! - handlers that do not await (most) keep the pool at one worker per CPU; handlers that
//!   await use up to a thread per slot in flight, as the thread per slot did (`lambda_runtime`
//!   runs a task per slot on a multi-thread runtime, which moves tasks between threads and so
//!   needs `Send` futures; a handler's future here need not be);
//! - under load a worker goes from one ready slot to the next without sleeping, where a thread
//!   per slot parked twice per invocation (for the event, for the answer to its post) and paid a
//!   context switch for each (BENCHMARKS.md, "Many invocations at once"). An invocation costs
//!   six system calls: for its event and for the answer to its post, an `epoll_wait`, a `recv`
//!   and a `send`.
//!
//! Reads never block (`recv` with `MSG_DONTWAIT`, when the set says there is something to
//! read); writes do (a post, a `/next`: small, to a Runtime API that reads them at once).
//!
//! Where an idle worker waits. A worker with nothing else to run (no invocation of its own in
//! flight, no task on its runtime from `tokio::spawn`, its slots opened: `Worker::alone`)
//! blocks in the shared set itself, in `epoll_wait`, for up to `IDLE_WAIT` (10 ms) at a time:
//! threads waiting there are woken one per arrival, so an arrival wakes one worker (which takes
//! it, or finds it held by another and marks it pending). A worker that waits in its runtime
//! instead watches the set through its reactor, which every arrival wakes (tokio's `AsyncFd`
//! cannot ask for `EPOLLEXCLUSIVE`): one that has a spawned task (a client library's connection
//! tasks, such as hyper's under the AWS SDK, count: while they live, that worker waits in its
//! runtime), and one that is quiet, having waited `IDLE_WAIT`
//! for nothing, until it takes a slot again (so no timer wakes an idle function). So under
//! load the spare wake-ups are gone, and at low load on an instance with many CPUs the quiet
//! workers are still woken by every arrival, all but one for nothing (measured here on two CPUs
//! only). Measured at 64 slots on two CPUs, the direct wait took the function from about one
//! context switch and four waits per invocation to 0.4 and two (BENCHMARKS.md, "Many
//! invocations at once").
//!
//! Its cost, bounded: while its leader blocks in the set, a worker's runtime does not turn, so
//! what else lives there waits for the leader (a task left with `spawn_local`, which the
//! runtime's metrics do not count; a wake-up from another thread; a timer or socket of this
//! runtime another worker's handler awaits): at most `IDLE_WAIT` for the wait, plus the
//! invocations the leader runs meanwhile, as the leader turns the runtime whenever `IDLE_WAIT`
//! has passed since it last did. The stop signal is level-triggered in the set, so every
//! waiter sees it in turn.
//!
//! A streaming function's slots keep a thread each (`invocations`): its handlers write as they
//! go, to their slot's connection.

use std::cell::Cell;
use std::future::Future as _;
use std::io::{self, Write as _};
use std::net::TcpStream;
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::{Duration, Instant};

use rustix::event::epoll::{self, EventData, EventFlags};
use rustix::event::{EventfdFlags, Timespec};
use rustix::net::RecvFlags;
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::sync::Notify;

use super::client::Config;
use super::wire::{self, Ids, Target};
use super::{INVALID_EVENT, PANICKED};
use crate::handler::CatchUnwind;
use crate::{App, Workspace};

/// The key of the stop signal in the shared set (the slots' keys are their indexes).
const STOP: u64 = u64::MAX;

/// No waiting.
const NOW: Timespec = Timespec { tv_sec: 0, tv_nsec: 0 };

/// The longest a worker's leader blocks in the shared set at a time, and the longest it goes,
/// between invocations, without turning its runtime (its timers, its sockets, the tasks there
/// that `Worker::alone` cannot see). A worker that waited that long for nothing sleeps in its
/// runtime until something arrives.
const IDLE_WAIT: Duration = Duration::from_millis(10);
const IDLE_WAIT_SPEC: Timespec = Timespec { tv_sec: 0, tv_nsec: IDLE_WAIT.subsec_nanos() as _ };

/// New connections in a row, without an event between them, after which a slot is given up
/// (a Runtime API that answers every `/next` with an error, or garbles it).
const MAX_REPAIRS: u32 = 3;

/// How many workers start to serve `slots` (more may start later, `add_worker`): one per CPU,
/// at least two (so that one handler computing without awaiting never holds up every slot), at
/// most one per slot.
pub(super) fn workers(slots: usize) -> usize {
    std::thread::available_parallelism().map_or(2, usize::from).max(2).min(slots)
}

/// Serves `slots` invocations at once on `workers(slots)` threads (and those added) until every
/// slot's connection is gone for good; the first failure is returned. The calling thread waits on
/// `runtime` meanwhile (which runs the graceful-shutdown extension's task, if any).
pub(super) fn serve(
    app: App,
    slots: usize,
    api: &str,
    config: Config,
    runtime: &tokio::runtime::Runtime,
) -> io::Result<()> {
    let workers = workers(slots);
    let shared = Arc::new(Shared::new(app, slots, workers, api, config)?);
    tracing::debug!(slots, workers, "serving invocations at once: a workspace per slot, a thread per worker");
    let mut threads = Vec::with_capacity(workers);
    for worker in 0..workers {
        match start_worker(&shared, worker, worker, workers) {
            Ok(thread) => threads.push(thread),
            Err(error) => {
                shared.stop_with(error);
                break;
            }
        }
    }
    // The process goes on while any slot does (as `lambda_runtime::run_concurrent`): every
    // worker ends once the last slot is given up, and the first to end says so.
    if !threads.is_empty() {
        runtime.block_on(shared.ended.notified());
    }
    for thread in threads {
        let _ = thread.join();
    }
    match shared.first_error.lock().unwrap_or_else(PoisonError::into_inner).take() {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Starts worker thread `index`, which opens every `stride`-th slot from `first` (none when
/// `first` is past the last slot: a worker added later).
fn start_worker(
    shared: &Arc<Shared>,
    index: usize,
    first: usize,
    stride: usize,
) -> io::Result<std::thread::JoinHandle<()>> {
    let shared = Arc::clone(shared);
    let added = first >= shared.slots.len();
    std::thread::Builder::new().name(format!("lambda-router-{index}")).spawn(move || {
        let served = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            tokio::task::LocalSet::new().block_on(&runtime, run_worker(&shared, first, stride))
        }));
        match served {
            Ok(Ok(())) => {}
            // An added worker that could not start (its runtime, its registration of the set):
            // serving goes on with the workers there are.
            Ok(Err(error)) if added => {
                shared.no_more_workers(&error);
                return;
            }
            Ok(Err(error)) => shared.stop_with(error),
            // A bug (handlers' panics are caught around each invocation): every slot stops,
            // rather than the process going on with fewer workers than it was given.
            Err(_) => shared.stop_with(io::Error::other("an invocation worker panicked")),
        }
        shared.ended.notify_one();
    })
}

/// An invocation awaits and no worker is free to take the next event: one more worker thread
/// (at most one per slot). It lives as long as the others and is not joined: it ends on the
/// stop signal, as every worker does, and `run` ends the process after `serve` returns.
fn add_worker(shared: &Arc<Shared>) {
    let slots = shared.slots.len();
    let Ok(index) = shared.workers.fetch_update(Ordering::AcqRel, Ordering::Acquire, |w| (w < slots).then_some(w + 1))
    else {
        return;
    };
    tracing::debug!(workers = index + 1, "every worker is busy and an invocation awaits: one more worker");
    if let Err(error) = start_worker(shared, index, slots, 1) {
        shared.no_more_workers(&error);
    }
}

/// What the workers share.
struct Shared {
    app: App,
    config: Config,
    /// Where the Runtime API is, and the prefix of its paths.
    target: Target,
    /// The set the idle slots wait in, and the stop signal.
    epoll: OwnedFd,
    /// Written once, when the last slot is gone: wakes every worker to end.
    stop: OwnedFd,
    /// Each slot's place, by index.
    slots: Box<[Mutex<Place>]>,
    /// Slots not given up yet.
    live: AtomicUsize,
    /// Worker threads started (at most one per slot; the bound itself once one could not be).
    workers: AtomicUsize,
    /// Workers waiting for an event, with no invocation of their own in flight.
    free: AtomicUsize,
    /// Invocations awaiting (each holding its worker).
    awaiting: AtomicUsize,
    /// Set once, when the workers stop: ends the invocations still awaiting.
    stopping: tokio::sync::watch::Sender<bool>,
    first_error: Mutex<Option<io::Error>>,
    /// Signalled by each worker's thread as it ends.
    ended: Notify,
}

impl Shared {
    fn new(app: App, slots: usize, workers: usize, api: &str, config: Config) -> io::Result<Shared> {
        let epoll = epoll::create(epoll::CreateFlags::CLOEXEC)?;
        let stop = rustix::event::eventfd(0, EventfdFlags::CLOEXEC | EventfdFlags::NONBLOCK)?;
        // Level-triggered and never disarmed: once written, every worker sees it.
        epoll::add(&epoll, &stop, EventData::new_u64(STOP), EventFlags::IN)?;
        Ok(Shared {
            app,
            config,
            target: Target::new(api),
            epoll,
            stop,
            slots: (0..slots).map(|_| Mutex::default()).collect(),
            live: AtomicUsize::new(slots),
            workers: AtomicUsize::new(workers),
            free: AtomicUsize::new(0),
            awaiting: AtomicUsize::new(0),
            stopping: tokio::sync::watch::Sender::new(false),
            first_error: Mutex::new(None),
            ended: Notify::new(),
        })
    }

    /// Puts `slot` back in its place, to wait for its next answer; unless something arrived
    /// for it while a worker had it, which is then read first: the slot is returned for that.
    fn settle(&self, mut slot: Box<Slot>) -> Option<Box<Slot>> {
        let index = slot.index;
        let mut place = self.slots[index].lock().unwrap_or_else(PoisonError::into_inner);
        if slot.fresh {
            // Edge-triggered, once per connection: each arrival of bytes wakes one worker.
            // Added and put in place under the lock: a worker woken at once finds it.
            let flags = EventFlags::IN | EventFlags::ET;
            if let Err(error) =
                epoll::add(&self.epoll, slot.connection.stream.as_fd(), EventData::new_u64(index as u64), flags)
            {
                drop(place);
                self.give_up(error.into());
                return None;
            }
            slot.fresh = false;
        }
        if std::mem::take(&mut place.pending) {
            return Some(slot);
        }
        place.slot = Some(slot);
        None
    }

    /// Reads what arrived for `slot` (an answer to its post, after which it asks for the next
    /// event; or an event) until it has an event, which it returns, or waits in its place.
    fn step(&self, mut slot: Box<Slot>) -> Option<Box<Slot>> {
        loop {
            match slot.advance(&self.target) {
                Ok(true) => return Some(slot),
                Ok(false) => {}
                Err(error) => slot = self.repair(slot, error)?,
            }
            slot = self.settle(slot)?;
        }
    }

    /// After `error` on `slot`'s connection: one new connection, asking for the next event; the
    /// slot is given up if that fails too.
    fn repair(&self, mut slot: Box<Slot>, error: io::Error) -> Option<Box<Slot>> {
        tracing::warn!(slot = slot.index, "the Runtime API connection ended: {error}");
        slot.repairs += 1;
        if slot.repairs > MAX_REPAIRS {
            self.give_up(io::Error::other(format!("{MAX_REPAIRS} new connections in a row failed too: {error}")));
            return None;
        }
        let repaired = Connection::open(&self.target).and_then(|connection| {
            slot.connection = connection;
            slot.fresh = true;
            slot.ask_next(&self.target)
        });
        match repaired {
            Ok(()) => Some(slot),
            Err(error) => {
                self.give_up(error);
                None
            }
        }
    }

    /// One slot is gone for good; when it was the last, every worker ends.
    fn give_up(&self, error: io::Error) {
        tracing::error!("an invocation slot stopped: {error}");
        let mut first = self.first_error.lock().unwrap_or_else(PoisonError::into_inner);
        first.get_or_insert(error);
        drop(first);
        let before = self.live.fetch_update(Ordering::AcqRel, Ordering::Acquire, |live| live.checked_sub(1));
        if before == Ok(1) {
            self.signal_stop();
        }
    }

    /// Wakes every worker to end (the stop item stays readable).
    fn signal_stop(&self) {
        let _ = rustix::io::write(&self.stop, &1u64.to_ne_bytes());
        self.stopping.send_replace(true);
    }

    /// An added worker could not start (a thread, a runtime, a descriptor: the machine's
    /// limits, which another try would meet again on every await): serving goes on with the
    /// workers there are, and none is added any more (`workers` then reads as the bound).
    fn no_more_workers(&self, error: &io::Error) {
        self.workers.store(self.slots.len(), Ordering::Release);
        tracing::warn!("could not start one more invocation worker, serving on with those there are: {error}");
    }

    /// Keeps a free worker while invocations await: one more worker when none is free and one
    /// awaits. Checked on both sides of the race (an invocation starting to await, a worker
    /// taking an event), each after its own change, sequentially consistent: at least one of
    /// the two sees the other's.
    fn keep_one_free(self: &Arc<Self>) {
        if self.free.load(Ordering::SeqCst) == 0 && self.awaiting.load(Ordering::SeqCst) > 0 {
            add_worker(self);
        }
    }

    /// A worker could not run: every slot stops.
    fn stop_with(&self, error: io::Error) {
        tracing::error!("an invocation worker stopped: {error}");
        self.first_error.lock().unwrap_or_else(PoisonError::into_inner).get_or_insert(error);
        self.live.store(0, Ordering::Release);
        self.signal_stop();
    }

    /// One ready slot from the set, waiting at most `patience` for one (the thread blocks).
    /// Threads waiting in the set are woken one per arrival (`epoll_wait` waits exclusively).
    fn take_one(&self, patience: &Timespec) -> io::Result<Taken> {
        let mut events = [std::mem::MaybeUninit::uninit(); 1];
        let (ready, _) = loop {
            match epoll::wait(&self.epoll, &mut events[..], Some(patience)) {
                Err(rustix::io::Errno::INTR) => continue,
                waited => break waited?,
            }
        };
        let Some(event) = ready.first() else {
            // `epoll_wait` without a timeout reads the ready list without its lock (Linux 5.11
            // on): it may say "nothing" while another thread scans the set (another worker's
            // `take_one`, or a reactor polling the set). A `poll` of the set takes the lock, so
            // its answer decides; only then may the caller clear the set's readiness (which no
            // edge would bring back for what the scan put back, the stop signal among them).
            let mut set = [rustix::event::PollFd::new(&self.epoll, rustix::event::PollFlags::IN)];
            let ready = loop {
                match rustix::event::poll(&mut set, Some(&NOW)) {
                    Err(rustix::io::Errno::INTR) => continue,
                    polled => break polled?,
                }
            };
            return Ok(if ready == 0 { Taken::Nothing } else { Taken::Again });
        };
        let key = event.data.u64();
        if key == STOP {
            return Ok(Taken::Stop);
        }
        let Some(place) = usize::try_from(key).ok().and_then(|index| self.slots.get(index)) else {
            return Ok(Taken::Again);
        };
        let mut place = place.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(match place.slot.take() {
            Some(slot) => Taken::Slot(slot),
            // A worker has it: it reads this when it puts it back (`settle`).
            None => {
                place.pending = true;
                Taken::Again
            }
        })
    }
}

/// A slot's place in the pool.
#[derive(Default)]
struct Place {
    /// The slot, while it waits; `None` while a worker has it (or before it is opened).
    slot: Option<Box<Slot>>,
    /// Bytes arrived for it while a worker had it: that worker reads them when it puts it back.
    pending: bool,
}

enum Taken {
    /// Nothing ready.
    Nothing,
    /// An event that gives no slot to this worker: look again.
    Again,
    Stop,
    Slot(Box<Slot>),
}

/// The shared set's file descriptor, for a worker's reactor to watch.
struct SetFd(Arc<Shared>);

impl AsRawFd for SetFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0.epoll.as_raw_fd()
    }
}

/// A slot's keep-alive connection: blocking writes, reads that never block.
struct Connection {
    stream: TcpStream,
}

impl Connection {
    fn open(target: &Target) -> io::Result<Connection> {
        let stream = TcpStream::connect(target.host.as_str())?;
        // Every request goes out as it is written: no waiting for the previous one's ACK.
        stream.set_nodelay(true)?;
        Ok(Connection { stream })
    }
}

/// What a slot waits for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Waiting {
    /// An event (its `/next` is sent).
    Event,
    /// The answer to its post (then it asks for the next event).
    Answer,
}

/// One invocation slot: its connection, its buffers, its workspace.
struct Slot {
    index: usize,
    connection: Connection,
    /// Not in the set yet (a new connection).
    fresh: bool,
    /// New connections since its last event.
    repairs: u32,
    waiting: Waiting,
    /// What was read and not consumed yet; the event is read in place, at `event`.
    read: Vec<u8>,
    event: std::ops::Range<usize>,
    ids: Ids,
    /// A request being written.
    write: Vec<u8>,
    workspace: Workspace,
}

impl Slot {
    fn open(index: usize, target: &Target) -> io::Result<Box<Slot>> {
        Ok(Box::new(Slot {
            index,
            connection: Connection::open(target)?,
            fresh: true,
            repairs: 0,
            waiting: Waiting::Event,
            read: Vec::with_capacity(8192),
            event: 0..0,
            ids: Ids::default(),
            write: Vec::with_capacity(8192),
            workspace: Workspace::new(),
        }))
    }

    /// Sends `/next`.
    fn ask_next(&mut self, target: &Target) -> io::Result<()> {
        self.read.clear();
        self.write.clear();
        target.next(&mut self.write);
        self.waiting = Waiting::Event;
        (&self.connection.stream).write_all(&self.write)
    }

    /// Reads what arrived; `true` when it completed an event (at `self.event`).
    fn advance(&mut self, target: &Target) -> io::Result<bool> {
        self.fill()?;
        let ids = (self.waiting == Waiting::Event).then_some(&mut self.ids);
        let Some(head) = wire::head(&self.read, ids)? else { return Ok(false) };
        let end = head.end();
        if self.read.len() < end {
            return Ok(false);
        }
        match self.waiting {
            Waiting::Event if head.status == 200 => {
                self.event = head.size..end;
                self.repairs = 0;
                Ok(true)
            }
            Waiting::Event => Err(io::Error::other(format!("the Runtime API answered /next with {}", head.status))),
            Waiting::Answer => {
                if !(200..300).contains(&head.status) {
                    let body = String::from_utf8_lossy(&self.read[head.size..end]);
                    tracing::error!(status = head.status, %body, "the Runtime API refused a response");
                }
                // Sent now, not with the post (HTTP pipelining): a client should not pipeline
                // after a POST (RFC 9112, 9.3.2), and it measured no faster here.
                self.ask_next(target)?;
                Ok(false)
            }
        }
    }

    /// Reads what the connection has, into `read`'s spare capacity (nothing zeroed).
    fn fill(&mut self) -> io::Result<()> {
        loop {
            self.read.reserve(8192);
            let spare = rustix::buffer::spare_capacity(&mut self.read);
            match rustix::net::recv(&self.connection.stream, spare, RecvFlags::DONTWAIT) {
                Ok((0, _)) => return Err(io::ErrorKind::UnexpectedEof.into()),
                // More may have come than there was room for: read on (an event can be 6 MB).
                Ok(_) if self.read.len() == self.read.capacity() => continue,
                Ok(_) => return Ok(()),
                // Armed for reading, and nothing to read yet (a wake-up with nothing behind it).
                Err(rustix::io::Errno::AGAIN) => return Ok(()),
                Err(rustix::io::Errno::INTR) => continue,
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// Runs the event at `self.event` through the pipeline and posts what it gives; the slot
    /// then waits for the answer to the post.
    async fn invoke(&mut self, shared: &Shared) -> io::Result<()> {
        let Slot { ids, workspace, read, event, write, connection, .. } = self;
        let context = shared.config.context(ids);
        let handled =
            CatchUnwind(std::pin::pin!(shared.app.handle_async(workspace, &read[event.clone()], &context))).await;
        write.clear();
        match handled {
            Ok(Ok(response)) => shared.target.post(write, ids, "response", wire::RESPONSE_HEADERS, response),
            Ok(Err(error)) => {
                let (headers, body) = wire::error_post(INVALID_EVENT, &error.to_string());
                shared.target.post(write, ids, "error", &headers, body.as_bytes());
            }
            Err(_) => {
                let (headers, body) = wire::error_post(PANICKED.0, PANICKED.1);
                shared.target.post(write, ids, "error", &headers, body.as_bytes());
            }
        }
        read.drain(..event.end);
        self.waiting = Waiting::Answer;
        (&connection.stream).write_all(write)
    }
}

/// One worker thread's state, shared by its executor (the task that leads it) and the task
/// that opens its slots.
struct Worker {
    shared: Arc<Shared>,
    set: AsyncFd<SetFd>,
    /// Signalled when the executor saw the stop signal.
    stopped: Notify,
    /// Still opening its share of the slots (`run_worker`, a task of its own).
    opening: Cell<bool>,
    runtime: tokio::runtime::Handle,
    /// When its runtime last turned (a yield of the leader).
    turned_at: Cell<Instant>,
    /// Nothing came in the last `IDLE_WAIT` it waited in the set: it waits in its runtime
    /// until it takes a slot again.
    quiet: Cell<bool>,
}

impl Worker {
    /// Nothing but the leader needs this worker's thread: no task spawned on its runtime
    /// (`tokio::spawn` from a handler), its slots opened. (The leader is its one executor, which
    /// runs one invocation at a time: waiting for an event, it has none in flight.) The leader
    /// may then block in the shared set itself rather than in its runtime's reactor.
    fn alone(&self) -> bool {
        !self.opening.get() && self.runtime.metrics().num_alive_tasks() == 0
    }
}

async fn run_worker(shared: &Arc<Shared>, first: usize, workers: usize) -> io::Result<()> {
    // SAFETY: `register_with_interest` asks that the descriptor `SetFd::as_raw_fd` gives stay
    // open, and the same, for the `AsyncFd`'s whole life. It is `Shared::epoll`, an `OwnedFd`
    // closed only when `Shared` drops, which the `Arc` inside `SetFd` prevents while the
    // `AsyncFd` lives; `Shared` is only ever reached through `Arc` (shared references), so the
    // field is never replaced. Nothing outside this module can reach either (private types),
    // and neither forgetting the `AsyncFd` (the `Arc` then leaks, the descriptor stays open), a
    // panic nor another thread can close the descriptor early.
    let set = unsafe { AsyncFd::register_with_interest(SetFd(Arc::clone(shared)), Interest::READABLE) }
        .map_err(io::Error::from)?;
    let worker = Rc::new(Worker {
        shared: Arc::clone(shared),
        set,
        stopped: Notify::new(),
        opening: Cell::new(true),
        runtime: tokio::runtime::Handle::current(),
        turned_at: Cell::new(Instant::now()),
        quiet: Cell::new(false),
    });
    // Leading from the start: the first slots' events are answered while the others open.
    spawn_executor(&worker);
    // This worker's share of the slots, opened and asking for their first event here, in
    // parallel with the other workers. Off the request path (several slots are for instances
    // provisioned ahead of their traffic): each workspace's memory faulted in and the
    // pipeline's code run once.
    let warm_up = super::warm_up_from_env();
    for index in (first..shared.slots.len()).step_by(workers) {
        let opened = Slot::open(index, &shared.target).and_then(|mut slot| {
            if warm_up {
                shared.app.warm_up(&mut slot.workspace);
            }
            slot.ask_next(&shared.target)?;
            Ok(slot)
        });
        match opened {
            Ok(slot) => {
                // In the set, its event is any free worker's to take: its arrival, even before
                // the slot was added, is reported then. Nothing comes back here: a worker marks
                // a slot's place pending only on an event of the slot's connection, which
                // `settle` adds to the set under the place's lock, after which it finds the slot
                // in place.
                if let Some(slot) = shared.settle(slot) {
                    shared.give_up(io::Error::other(format!("slot {} was pending before it was in place", slot.index)));
                }
            }
            Err(error) => shared.give_up(error),
        }
        tokio::task::yield_now().await;
    }
    worker.opening.set(false);
    worker.stopped.notified().await;
    Ok(())
}

/// Starts the worker's executor.
fn spawn_executor(worker: &Rc<Worker>) {
    let worker = Rc::clone(worker);
    tokio::task::spawn_local(async move {
        // A panic here is a bug of this module (handlers' panics are caught around each
        // invocation): the slot it held is gone and its worker may be left without a leader,
        // so every slot stops and the process ends, rather than serving on with fewer.
        let shared = Arc::clone(&worker.shared);
        let stopped = Rc::clone(&worker);
        if CatchUnwind(std::pin::pin!(execute(worker))).await.is_err() {
            shared.stop_with(io::Error::other("an invocation executor panicked"));
            stopped.stopped.notify_one();
        }
    });
}

/// The executor, which leads its worker: takes an event and runs it, and again: a worker runs
/// one invocation at a time. When an invocation awaits and no other worker is free to take the
/// next event, one more worker starts (`add_worker`), so that no event, and no invocation,
/// waits for another invocation's computation.
async fn execute(worker: Rc<Worker>) {
    let shared = &worker.shared;
    'serving: loop {
        let mut slot = match take(&worker).await {
            Some(slot) => {
                // This worker is no longer free: another, if an invocation awaits.
                shared.keep_one_free();
                slot
            }
            None => break,
        };
        // Its answer may be there by the time it is put back: then it goes on here.
        loop {
            let invoked = {
                let mut invocation = std::pin::pin!(slot.invoke(shared));
                match std::future::poll_fn(|cx| Poll::Ready(invocation.as_mut().poll(cx))).await {
                    Poll::Ready(invoked) => invoked,
                    Poll::Pending => {
                        shared.awaiting.fetch_add(1, Ordering::SeqCst);
                        shared.keep_one_free();
                        let awaited = until_stopped(shared, invocation).await;
                        shared.awaiting.fetch_sub(1, Ordering::SeqCst);
                        match awaited {
                            Some(invoked) => invoked,
                            // The workers stop: the invocation is dropped, and its slot.
                            None => break 'serving,
                        }
                    }
                }
            };
            let next = match invoked {
                Ok(()) => Some(slot),
                Err(error) => shared.repair(slot, error),
            };
            match next.and_then(|slot| shared.settle(slot)).and_then(|slot| shared.step(slot)) {
                Some(ready) => slot = ready,
                None => break,
            }
            // As in `take`: under load, the worker's other tasks still get their turn.
            tokio::task::coop::consume_budget().await;
        }
    }
    worker.stopped.notify_one();
}

/// Awaits `invocation`, unless the workers stop first (a stop after a bug or an error, which
/// leaves invocations in flight): `None` then.
async fn until_stopped<F: std::future::Future>(
    shared: &Shared,
    invocation: std::pin::Pin<&mut F>,
) -> Option<F::Output> {
    let mut stopping = shared.stopping.subscribe();
    let mut stopped = std::pin::pin!(stopping.wait_for(|stopped| *stopped));
    let mut invocation = invocation;
    std::future::poll_fn(|cx| {
        if let Poll::Ready(output) = invocation.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        match stopped.as_mut().poll(cx) {
            // Stopped (or the sender gone with `Shared`, which cannot happen while this runs).
            Poll::Ready(_) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}

/// This worker is free (waiting for an event) while it lives.
struct Free<'s>(&'s AtomicUsize);

impl<'s> Free<'s> {
    fn new(free: &'s AtomicUsize) -> Free<'s> {
        free.fetch_add(1, Ordering::SeqCst);
        Free(free)
    }
}

impl Drop for Free<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Waits for a slot with an event (the caller leads). `None` once the workers stop.
async fn take(worker: &Rc<Worker>) -> Option<Box<Slot>> {
    let _free = Free::new(&worker.shared.free);
    loop {
        if worker.shared.live.load(Ordering::Acquire) == 0 {
            return None;
        }
        // Under load the set always has a slot ready: every so often (tokio's budget) the
        // worker's other tasks run (those a handler spawned), and its reactor and timers turn,
        // as between any tasks.
        tokio::task::coop::consume_budget().await;
        if worker.alone() && !worker.quiet.get() {
            // Blocked in the set, this worker is woken only when an arrival is its to take:
            // one waiter per arrival, where a reactor watching the set is woken by every one.
            if worker.turned_at.get().elapsed() >= IDLE_WAIT {
                tokio::task::yield_now().await;
                worker.turned_at.set(Instant::now());
                continue;
            }
            match worker.shared.take_one(&IDLE_WAIT_SPEC) {
                Ok(Taken::Slot(slot)) => {
                    if let Some(slot) = worker.shared.step(slot) {
                        return Some(slot);
                    }
                    continue;
                }
                Ok(Taken::Again) => continue,
                Ok(Taken::Nothing) => worker.quiet.set(true),
                Ok(Taken::Stop) => return None,
                Err(error) => {
                    worker.shared.stop_with(error);
                    return None;
                }
            }
        }
        let mut ready = match worker.set.readable().await {
            Ok(ready) => ready,
            Err(error) => {
                worker.shared.stop_with(error);
                return None;
            }
        };
        let taken = match worker.shared.take_one(&NOW) {
            Ok(taken) => taken,
            Err(error) => {
                worker.shared.stop_with(error);
                return None;
            }
        };
        match taken {
            Taken::Nothing => ready.clear_ready(),
            Taken::Again => {}
            Taken::Stop => return None,
            Taken::Slot(slot) => {
                worker.quiet.set(false);
                if let Some(slot) = worker.shared.step(slot) {
                    return Some(slot);
                }
            }
        }
    }
}
