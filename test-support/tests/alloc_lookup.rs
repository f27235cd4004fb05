//! A lookup allocates nothing: counted with a counting global allocator, on every path of
//! the GitHub benchmark set and on the conformance routes (static, dynamic, tail, 404).

#[path = "routes/conformance.rs"]
mod conformance;
#[path = "routes/github.rs"]
mod github;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use lambda_router::{Method, PathOptions};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which we pass on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (see `alloc`).
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `dealloc`; the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

#[test]
fn lookups_allocate_nothing() {
    let paths: Vec<&str> = include_str!("../benches/data/github-paths.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let options = PathOptions::new().strip_prefix("/api").ignore_trailing_slash(true);
    let conformance_paths = ["/hello", "/hello/world", "/errors/other", "/files/a/b/c", "/nope/x/y", "/api/hello//"];
    let mut found = 0;
    let count = allocations_during(|| {
        for path in &paths {
            found += github::ROUTER.find(Method::Get, path).map_or(0, |m| m.params.len() + 1);
        }
        for path in conformance_paths {
            let routing = options.routing_path(path);
            found += conformance::ROUTER.find(Method::Get, routing).map_or(0, |m| m.params.len() + 1);
        }
    });
    assert_eq!(count, 0, "allocations during {} lookups", paths.len() + conformance_paths.len());
    assert!(found > paths.len(), "the lookups found their routes");
}
