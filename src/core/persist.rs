//! Saving decisions: read what is stored, take in what another tab saved, back up what cannot be
//! read, and write the union — for one document's annotations and for the library index.
//!
//! These run against any [`KeyValue`]: localStorage in the browser, a model in the simulation.

use std::rc::Rc;

use super::document::Document;
use super::envelope::{self, annotations_key, Envelope};
use super::kv::{KeyValue, Raw, StorageError};
use super::library::{document_key, library_key, Library};
use super::store::{Snapshot, Store};

/// What the user must be told after a save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Nothing could be written: the changes live only in this tab.
    NotSaved(String),
    /// Stored data could not be read; it was kept under a backup key and the app saved afresh.
    BackedUp(String),
}

/// What saving one document's annotations did.
#[derive(Clone, Debug, PartialEq)]
pub struct Saved {
    /// The document.
    pub doc: String,
    /// The store revision that was saved (written, or found already stored).
    pub revision: u64,
    /// What storage held (another tab's work) for the caller to take in.
    pub stored: Option<Snapshot>,
    /// Whether the saved state is now in storage.
    pub ok: bool,
    /// What to tell the user, if anything.
    pub problem: Option<Problem>,
}

fn not_saved(e: &StorageError) -> Problem {
    Problem::NotSaved(format!(
        "Your latest changes could not be saved: {e}. They are kept in this tab while it stays open; what was saved before is untouched. Export JSON keeps a copy."
    ))
}

/// Reads a stored value, backing it up when it cannot be read as `parse` wants. `Ok(None)`: no
/// value (or one now backed up, with the message in `problem`); `Err`: nothing may be written.
pub(crate) fn read<T, E: std::fmt::Display>(
    kv: &mut dyn KeyValue,
    key: &str,
    scope: &str,
    what: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
    problem: &mut Option<Problem>,
) -> Result<Option<(String, T)>, Problem> {
    let raw = match kv.get(key) {
        Ok(v) => v,
        Err(e) => {
            return Err(Problem::NotSaved(format!(
                "{what} cannot be saved: {e}. The app keeps working, but your changes live only in this tab until it is closed."
            )))
        }
    };
    let why = match raw {
        None => return Ok(None),
        Some(Raw::Text(raw)) => match parse(&raw) {
            Ok(v) => return Ok(Some((raw, v))),
            Err(e) => e.to_string(),
        },
        Some(Raw::NotUtf16) => {
            format!("{what} saved in this browser are damaged (they are not valid text).")
        }
    };
    match kv.back_up(key, scope) {
        Ok(backup) => {
            *problem = Some(Problem::BackedUp(format!(
                "{why} The original data is kept untouched under the storage key “{backup}”. The app starts afresh and saves your new changes."
            )));
            Ok(None)
        }
        // Never write over data that could not be backed up.
        Err(e) => Err(Problem::NotSaved(format!(
            "{why} It could not be backed up ({e}), so nothing is saved over it; your changes live only in this tab."
        ))),
    }
}

/// Saves `store` (revision `revision`) for the document `doc` of `len` code points: what is
/// stored is read first and merged in, so a save never overwrites another tab's work.
pub fn save_annotations(kv: &mut dyn KeyValue, document: &Document, store: &Store) -> Saved {
    let (doc, len) = (document.id.as_str(), document.len);
    let mut out = Saved {
        doc: doc.to_string(),
        revision: store.revision(),
        stored: None,
        ok: false,
        problem: None,
    };
    let key = annotations_key(doc);
    let stored = match read(
        kv,
        &key,
        doc,
        "The saved annotations",
        |raw| Envelope::read(raw, document),
        &mut out.problem,
    ) {
        Ok(v) => v,
        Err(p) => {
            out.problem = Some(p);
            return out;
        }
    };
    let mut union = store.clone();
    if let Some((_, env)) = &stored {
        union.merge(&env.data);
    }
    let snapshot = union.snapshot();
    if stored.is_none() && out.problem.is_none() && snapshot == Snapshot::default() {
        out.ok = true; // Nothing stored and nothing to store.
        return out;
    }
    if let Err(e) = envelope::check(&snapshot, len) {
        out.problem = Some(Problem::NotSaved(format!(
            "Your latest changes could not be saved: {e}. They are kept in this tab while it stays open."
        )));
        return out;
    }
    let json = Envelope::new(doc, snapshot).to_json();
    let unchanged = stored.as_ref().is_some_and(|(raw, _)| *raw == json);
    out.stored = stored.map(|(_, env)| env.data);
    if unchanged {
        out.ok = true;
        return out;
    }
    match kv.set(&key, &json) {
        Ok(()) => out.ok = true,
        Err(e) => out.problem = Some(not_saved(&e)),
    }
    out
}

/// What saving the library index did.
#[derive(Clone, Debug, PartialEq)]
pub struct LibrarySaved {
    /// What storage held, for the caller to take in.
    pub stored: Option<Library>,
    /// Whether this index is now in storage.
    pub ok: bool,
    /// What to tell the user, if anything.
    pub problem: Option<Problem>,
    /// Documents whose text was deleted (or needs no deleting any more).
    pub dropped: Vec<String>,
    /// Documents whose text is stored under an index that lists them (or that no longer lists them).
    pub kept: Vec<String>,
}

/// What a damaged library index is called in the alert.
const LIBRARY_DAMAGED: &str = "The saved list of documents is damaged and could not be read.";

/// The backup scope of a damaged library index.
pub const LIBRARY_SCOPE: &str = "library";

/// Saves the library index, merged with what another tab stored; then deletes the text of the
/// documents in `drop` (removed here) that the saved index no longer lists. The text goes only
/// after the index without it is stored, so no index ever lists a document whose text is gone.
/// Texts in `keep` (added or restored here) are written again when the saved index lists them
/// and another tab deleted them.
pub fn save_library(
    kv: &mut dyn KeyValue,
    library: &Library,
    drop: &[String],
    keep: &[(String, Rc<str>)],
) -> LibrarySaved {
    let mut out = LibrarySaved {
        stored: None,
        ok: false,
        problem: None,
        dropped: Vec::new(),
        kept: Vec::new(),
    };
    let key = library_key();
    let stored = match read(
        kv,
        &key,
        LIBRARY_SCOPE,
        "Your list of documents",
        |raw| Library::parse(raw).ok_or(LIBRARY_DAMAGED),
        &mut out.problem,
    ) {
        Ok(v) => v,
        Err(p) => {
            out.problem = Some(p);
            return out;
        }
    };
    let mut union = library.clone();
    if let Some((_, l)) = &stored {
        union.merge(l);
    }
    let json = union.to_json();
    let unchanged = stored.as_ref().is_some_and(|(raw, _)| *raw == json);
    out.stored = stored.map(|(_, l)| l);
    let empty = out.stored.is_none() && out.problem.is_none() && union == Library::default();
    out.ok = unchanged
        || empty
        || {
            match kv.set(&key, &json) {
                Ok(()) => true,
                Err(e) => {
                    out.problem = Some(Problem::NotSaved(format!(
                    "Your list of documents could not be saved: {e}. Every document stays open-able in this tab; what was saved before is untouched."
                )));
                    false
                }
            }
        };
    if out.ok {
        for (id, source) in keep {
            let key = document_key(id);
            let listed = union.documents.iter().any(|e| &e.id == id);
            let there = matches!(kv.get(&key), Ok(Some(_)));
            if !listed || there || kv.set(&key, source).is_ok() {
                out.kept.push(id.clone());
            }
        }
        for id in drop {
            let listed = union.documents.iter().any(|e| &e.id == id);
            if listed || kv.remove(&document_key(id)).is_ok() {
                out.dropped.push(id.clone());
            }
        }
    }
    out
}

/// Reads the library at start-up: the index, or an empty one when there is none; a damaged
/// index is backed up first and the user told.
pub fn load_library(kv: &mut dyn KeyValue) -> (Library, Option<Problem>) {
    let mut problem = None;
    let lib = match read(
        kv,
        &library_key(),
        LIBRARY_SCOPE,
        "Your list of documents",
        |raw| Library::parse(raw).ok_or(LIBRARY_DAMAGED),
        &mut problem,
    ) {
        Ok(Some((_, l))) => l,
        Ok(None) => Library::default(),
        Err(p) => {
            problem = Some(p);
            Library::default()
        }
    };
    (lib, problem)
}

/// Reads a document's stored annotations without writing anything (damaged data is backed up,
/// and the user told).
pub fn load_annotations(
    kv: &mut dyn KeyValue,
    document: &Document,
) -> (Option<Snapshot>, Option<Problem>) {
    let mut problem = None;
    match read(
        kv,
        &annotations_key(&document.id),
        &document.id,
        "The saved annotations",
        |raw| Envelope::read(raw, document),
        &mut problem,
    ) {
        Ok(v) => (v.map(|(_, env)| env.data), problem),
        Err(p) => (None, Some(p)),
    }
}
