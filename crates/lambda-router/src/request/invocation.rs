//! The invocation's context: typed values that middleware put and later middleware and the
//! handler read (the reference's `append_context`). Empty at the start of every invocation;
//! values live in the invocation's arena, so putting one allocates nothing on the heap.
//!
//! All the unsafe code of this file is the one cast in [`InvocationContext::get`]; its
//! INVARIANT: an entry keyed by `TypeId::of::<K>()` points to a `K::Value<'a>` in the arena,
//! for the very `'a` of the context. Safe code cannot break it: entries are only made by
//! `insert::<K>` with a `K::Value<'a>`; `'a` cannot be shortened, because the context (and so
//! the `Request` that reaches it) is invariant in `'a`; the arena is not reset while `'a`
//! lives; and values never need dropping (checked at compile time), so none is ever read after
//! a destructor ran.

use std::any::TypeId;
use std::cell::Cell;
use std::marker::PhantomData;

use bumpalo::Bump;

/// A key of the invocation's context, naming the type of its value. The value may borrow from
/// the request (`'a`).
///
/// ```
/// use lambda_router::ContextKey;
/// /// The tenant a middleware read from a header.
/// struct Tenant;
/// impl ContextKey for Tenant {
///     type Value<'a> = Option<&'a str>;
/// }
/// ```
pub trait ContextKey: 'static {
    /// The value's type. It must not need dropping (no `String`, `Vec`, `Box`; borrow from the
    /// request or copy into [`Request::arena`](crate::Request::arena) instead): values live in
    /// the arena, which runs no destructor.
    type Value<'a>;
}

/// One value put by `insert`, newest first.
struct Entry<'a> {
    key: TypeId,
    value: *const (),
    older: Option<&'a Entry<'a>>,
}

/// The typed values of one invocation (see [`Request::context`](crate::Request::context)).
pub struct InvocationContext<'a> {
    arena: &'a Bump,
    newest: Cell<Option<&'a Entry<'a>>>,
    /// Invariant in `'a` (see the module's INVARIANT).
    _invariant: PhantomData<fn(&'a ()) -> &'a ()>,
}

impl<'a> InvocationContext<'a> {
    pub(crate) fn new(arena: &'a Bump) -> InvocationContext<'a> {
        InvocationContext { arena, newest: Cell::new(None), _invariant: PhantomData }
    }

    /// Puts `value` under `K`; a value already there stays readable by whoever holds it, and
    /// `get` returns the new one from now on.
    pub fn insert<K: ContextKey>(&self, value: K::Value<'a>) {
        const {
            assert!(
                !std::mem::needs_drop::<K::Value<'static>>(),
                "a context value must not need dropping: borrow from the request or copy into the arena"
            )
        };
        let value: &'a K::Value<'a> = self.arena.alloc(value);
        let entry = self.arena.alloc(Entry {
            key: TypeId::of::<K>(),
            value: (value as *const K::Value<'a>).cast::<()>(),
            older: self.newest.get(),
        });
        self.newest.set(Some(entry));
    }

    /// The newest value put under `K` in this invocation.
    pub fn get<K: ContextKey>(&self) -> Option<&'a K::Value<'a>> {
        let mut entry = self.newest.get();
        while let Some(found) = entry {
            if found.key == TypeId::of::<K>() {
                // SAFETY: the module's INVARIANT: this entry was made by `insert::<K>` on this
                // context, so it points to a live `K::Value<'a>` in the arena, for this `'a`.
                return Some(unsafe { &*found.value.cast::<K::Value<'a>>() });
            }
            entry = found.older;
        }
        None
    }

    /// Whether a value was put under `K` in this invocation.
    pub fn contains<K: ContextKey>(&self) -> bool {
        self.get::<K>().is_some()
    }
}

impl std::fmt::Debug for InvocationContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut count = 0;
        let mut entry = self.newest.get();
        while let Some(found) = entry {
            count += 1;
            entry = found.older;
        }
        f.debug_struct("InvocationContext").field("values", &count).finish()
    }
}
