//! The function's state, built once at start-up and shared by every invocation: the API's
//! token and the to-do items. Items are kept in the process here; a deployed function would
//! keep them in DynamoDB, and `connect` is where it would build its SDK client, awaiting
//! `aws_config::load_from_env()`. The handlers do not change for it: they `await` the store.

use std::sync::Mutex;

use serde::Serialize;

/// One item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Todo {
    pub id: u64,
    pub owner: String,
    pub title: String,
    pub done: bool,
}

/// The store and its configuration.
#[derive(Debug)]
pub struct Store {
    /// The bearer token callers must present (`TODOS_TOKEN`).
    pub(crate) token: String,
    items: Mutex<Vec<Todo>>,
    next_id: Mutex<u64>,
}

/// Why the function cannot start.
#[derive(Debug)]
pub struct StartError(String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

impl Store {
    /// Reads the configuration from the environment (`TODOS_TOKEN`, required) and connects.
    pub async fn connect() -> Result<Store, StartError> {
        let token = std::env::var("TODOS_TOKEN")
            .ok()
            .filter(|token| !token.is_empty())
            .ok_or_else(|| StartError("TODOS_TOKEN is not set: the API would accept any caller".into()))?;
        // A deployed function awaits its SDK client here.
        tokio::task::yield_now().await;
        Ok(Store::with_token(&token))
    }

    /// A store with this token and no items (tests build it directly).
    pub fn with_token(token: &str) -> Store {
        Store { token: token.to_owned(), items: Mutex::new(Vec::new()), next_id: Mutex::new(1) }
    }

    /// The caller's items, in creation order.
    pub async fn list(&self, owner: &str) -> Vec<Todo> {
        self.items().iter().filter(|todo| todo.owner == owner).cloned().collect()
    }

    /// One of the caller's items.
    pub async fn get(&self, owner: &str, id: u64) -> Option<Todo> {
        self.items().iter().find(|todo| todo.owner == owner && todo.id == id).cloned()
    }

    /// Adds an item for the caller.
    pub async fn create(&self, owner: &str, title: &str) -> Todo {
        let id = {
            let mut next = self.next_id.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let id = *next;
            *next += 1;
            id
        };
        let todo = Todo { id, owner: owner.to_owned(), title: title.to_owned(), done: false };
        self.items().push(todo.clone());
        todo
    }

    /// Marks one of the caller's items done or not; `None` if it has no such item.
    pub async fn set_done(&self, owner: &str, id: u64, done: bool) -> Option<Todo> {
        let mut items = self.items();
        let todo = items.iter_mut().find(|todo| todo.owner == owner && todo.id == id)?;
        todo.done = done;
        Some(todo.clone())
    }

    /// Removes one of the caller's items; whether there was one.
    pub async fn delete(&self, owner: &str, id: u64) -> bool {
        let mut items = self.items();
        let before = items.len();
        items.retain(|todo| !(todo.owner == owner && todo.id == id));
        items.len() != before
    }

    /// The items, even if a panicking invocation poisoned the lock (an item list is never
    /// left half-written: every change is one `Vec` operation).
    fn items(&self) -> std::sync::MutexGuard<'_, Vec<Todo>> {
        self.items.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
