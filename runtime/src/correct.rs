//! Error correction: the third and last reading of a received JSON document.
//!
//! When neither the strict nor the relaxed reading ([`crate::relaxed`]) decodes a body, it is
//! read once more filling what the server left out, as Smithy's *client error correction*
//! does: a required field that is missing (or `null`) takes its type's zero value (`""`, `0`,
//! `false`, an empty list or map, a struct whose own required fields are zero, a timestamp at
//! the Unix epoch). A server that forgot one field of a documented object should not cost the
//! caller every other field.
//!
//! Correction stops short of inventing a value out of nothing: it fills fields only of an
//! object that holds at least one key its type documents (a body of another shape still
//! fails), or of an empty object that is a field of one (mistral's `"dimensions": {}`), never inside an untagged union (it must not pick a variant the body does not
//! match; the variant a tagged union's tag names is corrected), and not deeper than
//! [`MAX_ZERO_DEPTH`] nested zero structs. The reading logs the fields it filled.

use std::cell::{Cell, RefCell};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::relaxed::Relaxed;

/// How many zero structs may nest inside one another (a required field of a recursive type).
const MAX_ZERO_DEPTH: u8 = 8;

/// How many filled field names the warning lists.
const MAX_LISTED: usize = 8;

/// What the struct being decoded may correct, and what it has seen.
#[derive(Clone, Copy, Default)]
struct Scope {
    /// Reached through the relaxed reader's own `deserialize_map` (not a union's buffer).
    fill: bool,
    /// Keys read, and those of them the type does not document.
    keys: u32,
    skipped: u32,
    /// A field (or an item of a field) of an object that was recognised: `{}` there is that
    /// field's object with everything left out, not a body of another shape.
    nested: bool,
}

impl Scope {
    fn recognised(&self) -> bool {
        self.keys > self.skipped || (self.keys == 0 && self.nested)
    }
}

thread_local! {
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static TOKEN: Cell<bool> = const { Cell::new(false) };
    static SCOPE: Cell<Scope> = Cell::new(Scope::default());
    static ZERO_DEPTH: Cell<u8> = const { Cell::new(0) };
    static FILLED: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// Whether a correcting reading is under way on this thread.
pub(crate) fn active() -> bool {
    ACTIVE.with(Cell::get)
}

/// Whether the struct being decoded fills what is missing: a correcting reading, of an object
/// the relaxed reader handed to it.
pub(crate) fn fills() -> bool {
    active() && SCOPE.with(Cell::get).fill
}

/// Reads `document` into `T` correcting it; `Ok` with the names of the fields filled.
pub(crate) fn read<T: DeserializeOwned>(document: Value) -> Result<(T, Vec<&'static str>), ()> {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            ACTIVE.with(|active| active.set(false));
            TOKEN.with(|token| token.set(false));
            SCOPE.with(|scope| scope.set(Scope::default()));
            ZERO_DEPTH.with(|depth| depth.set(0));
        }
    }
    FILLED.with(|filled| filled.borrow_mut().clear());
    ACTIVE.with(|active| active.set(true));
    let _reset = Reset;
    let value = T::deserialize(Relaxed::new(document)).map_err(|_| ())?;
    let filled = FILLED.with(|filled| std::mem::take(&mut *filled.borrow_mut()));
    Ok((value, filled))
}

/// Marks the next struct to read entries as one that may be corrected (set by the relaxed
/// reader right before it hands an object to a visitor; `false` clears a stale mark).
pub(crate) fn mark_next_struct(fill: bool) {
    TOKEN.with(|token| token.set(fill));
}

/// The decoding of one struct in a correcting reading: takes the mark, restores the outer
/// struct's scope when dropped.
pub(crate) struct StructScope(Scope);

impl StructScope {
    pub(crate) fn enter() -> Self {
        let fill = TOKEN.with(|token| token.replace(false));
        let outer = SCOPE.with(Cell::get);
        let own = Scope {
            fill,
            nested: outer.fill && outer.keys > outer.skipped,
            ..Scope::default()
        };
        Self(SCOPE.with(|scope| scope.replace(own)))
    }
}

impl Drop for StructScope {
    fn drop(&mut self) {
        SCOPE.with(|scope| scope.set(self.0));
    }
}

/// A key of the current struct was read.
pub(crate) fn saw_key() {
    if active() {
        SCOPE.with(|scope| {
            let mut current = scope.get();
            current.keys += 1;
            scope.set(current);
        });
    }
}

/// A key read before was one the type does not document (it was skipped).
pub(crate) fn skipped_key() {
    if active() {
        SCOPE.with(|scope| {
            let mut current = scope.get();
            current.skipped += 1;
            scope.set(current);
        });
    }
}

/// The zero value of the missing required field `wire` of the current struct, when it may be
/// filled.
pub(crate) fn zero<T: DeserializeOwned>(wire: &'static str) -> Option<T> {
    if !active() {
        return None;
    }
    let scope = SCOPE.with(Cell::get);
    let depth = ZERO_DEPTH.with(Cell::get);
    let recognised = scope.recognised() || depth > 0;
    if !scope.fill || !recognised || depth >= MAX_ZERO_DEPTH {
        return None;
    }
    ZERO_DEPTH.with(|d| d.set(depth + 1));
    // `null` read correcting is the zero of any plain type; a timestamp has no empty text.
    let value = [
        Value::Null,
        Value::from("1970-01-01T00:00:00Z"),
        Value::from("1970-01-01"),
    ]
    .into_iter()
    .find_map(|zero| T::deserialize(Relaxed::zero(zero)).ok());
    ZERO_DEPTH.with(|d| d.set(depth));
    if value.is_some() && depth == 0 {
        FILLED.with(|filled| {
            let mut filled = filled.borrow_mut();
            if filled.len() < MAX_LISTED && !filled.contains(&wire) {
                filled.push(wire);
            }
        });
    }
    value
}

#[cfg(test)]
#[path = "correct_tests.rs"]
mod tests;
