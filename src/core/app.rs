//! The app's state machine: what the UI shows and every decision about saving, documents and
//! imports, driven by verb-named messages that bring their clocks, ids and storage results.

use std::rc::Rc;

use super::anchor::Anchorer;
use super::class::{ClassMsg, ClassView};
use super::document::Document;
use super::envelope::Envelope;
use super::import::{plan_import, ImportPlan, Planner};
use super::kv::{KeyValue, Raw};
use super::library::{document_key, parse, settings_key, Entry, Library, Settings};
use super::persist::{self, LibrarySaved, Problem, Saved};
use super::store::{short_quote, Action, Millis, Snapshot, Store};
use super::w3c::FileContents;

/// A file read and planned, waiting for the user to confirm.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingImport {
    /// The file's name (or "pasted text").
    pub name: String,
    /// What the file holds.
    pub file: Rc<FileContents>,
    /// What importing it would do.
    pub plan: ImportPlan,
    /// The revision of the store the plan was made against: confirming applies the plan as it
    /// is while the store is still at it, and plans again otherwise.
    pub revision: u64,
}

/// Where the tag picker stands, in page pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
}

/// A text selection that is not an annotation yet.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// A document removed from the library, kept for Undo until the next removal.
#[derive(Clone, Debug, PartialEq)]
pub struct Removed {
    /// Its entry.
    pub entry: Entry,
    /// Its source text, when it could be read.
    pub source: Option<String>,
}

/// A document left while its annotations had unsaved changes: kept until they are written.
#[derive(Clone, Debug, PartialEq)]
pub struct Unsaved {
    /// The document.
    pub doc: Rc<Document>,
    /// Its annotations as they were when it was left.
    pub store: Rc<Store>,
}

/// Everything the UI shows, and what is waiting to be saved.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The open document.
    pub doc: Rc<Document>,
    /// Its annotations and history.
    pub store: Rc<Store>,
    /// The annotation being edited (picker in edit mode, list item current).
    pub selected: Option<String>,
    /// A fresh text selection the picker can tag.
    pub pending: Option<Pending>,
    /// Where the picker is, when it is open.
    pub picker: Option<Place>,
    /// Show only annotations with this tag in the list.
    pub filter: Option<String>,
    /// The last thing announced in the polite live region, with a counter so repeats are re-read.
    pub status: (String, u32),
    /// An error for the alert region.
    pub alert: Option<String>,
    /// Whether the last save failed (so the alert is not repeated on every change).
    pub save_failed: bool,
    /// An import waiting for confirmation.
    pub import: Option<Rc<PendingImport>>,
    /// A file whose import is being planned (a step at a time, see
    /// [`crate::core::import::Planner`]): its name, the items planned so far and how many it has.
    pub planning: Option<(String, usize, usize)>,
    /// A new version of the app is installed and waiting.
    pub update_ready: bool,
    /// The user's documents.
    pub library: Rc<Library>,
    /// The student's name, creator of new annotations.
    pub name: Option<String>,
    /// Showing the hand-in report instead of the document.
    pub report: bool,
    /// The document removed last, for its Undo.
    pub removed: Option<Rc<Removed>>,
    /// The open document's annotations have changes not yet in storage.
    pub dirty: bool,
    /// Documents left with unsaved changes, to be written at once.
    pub leaving: Rc<Vec<Unsaved>>,
    /// The library index has changes not yet in storage.
    pub library_dirty: bool,
    /// Documents removed here whose text is deleted once the index without them is saved.
    pub drop_sources: Rc<Vec<String>>,
    /// Whether the open document's stored annotations have been read (see [`load`]).
    pub loaded: bool,
    /// Texts of documents added or restored here, kept until an index listing them is saved
    /// (another tab may have deleted a text this tab's index still lists).
    pub keep_sources: Rc<Vec<(String, Rc<str>)>>,
    /// The class view (students' files on the open document) and its class set.
    pub class: ClassView,
}

/// Compared by identity for the large shared parts: the context compares states on every
/// render, and a deep comparison of 10,000 annotations there would cost more than the change.
impl PartialEq for AppState {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &o.doc)
            && Rc::ptr_eq(&self.store, &o.store)
            && Rc::ptr_eq(&self.library, &o.library)
            && Rc::ptr_eq(&self.leaving, &o.leaving)
            && self.selected == o.selected
            && self.pending == o.pending
            && self.picker == o.picker
            && self.filter == o.filter
            && self.status == o.status
            && self.alert == o.alert
            && self.save_failed == o.save_failed
            && self.import.as_ref().map(Rc::as_ptr) == o.import.as_ref().map(Rc::as_ptr)
            && self.planning == o.planning
            && self.update_ready == o.update_ready
            && self.name == o.name
            && self.report == o.report
            && self.removed == o.removed
            && self.dirty == o.dirty
            && self.library_dirty == o.library_dirty
            && self.drop_sources == o.drop_sources
            && Rc::ptr_eq(&self.keep_sources, &o.keep_sources)
            && self.loaded == o.loaded
            && self.class == o.class
    }
}

/// What can happen to the state.
#[derive(Clone, Debug)]
pub enum Msg {
    /// A change to the annotations (undoable).
    Do(Action),
    /// A keystroke in a note: saved as typed, one undo step per visit to the field.
    EditNote {
        /// Annotation id.
        id: String,
        /// The whole note as it now reads.
        note: String,
        /// Now.
        at: Millis,
    },
    /// The note field was left.
    FinishNote {
        /// Annotation id.
        id: String,
    },
    /// Another tab saved this document's annotations.
    MergeFromTab(Snapshot),
    /// A document's stored annotations were read (see [`load`]).
    Loaded {
        /// The document.
        doc: String,
        /// What storage held.
        stored: Option<Snapshot>,
        /// What to tell the user (damaged data backed up), if anything.
        problem: Option<Problem>,
    },
    /// A save of some document's annotations finished.
    Saved(Rc<Saved>),
    /// Another tab saved the library index.
    MergeLibrary(Library),
    /// A save of the library index finished.
    LibrarySaved(Rc<LibrarySaved>),
    /// The user selected text: open the picker for it.
    SelectText {
        /// The span.
        pending: Pending,
        /// Where to show the picker.
        place: Place,
    },
    /// The user picked an annotation (click on a highlight or in the list); None clears.
    SelectAnnotation {
        /// The annotation id, or None.
        id: Option<String>,
        /// Where to open the picker; None leaves it closed.
        place: Option<Place>,
    },
    /// A pillar key (1, 2, 3) or a tag button: tag the pending selection (creating an
    /// annotation with `new_id`) or toggle the tag on the selected annotation.
    Tag {
        /// Tag id.
        tag: String,
        /// Id for a new annotation.
        new_id: String,
        /// Now.
        at: Millis,
    },
    /// Escape: close the picker and forget the pending selection.
    ClosePicker,
    /// Filter the list by a tag (None: all).
    SetFilter(Option<String>),
    /// Say something politely.
    Announce(String),
    /// Show an error.
    Alert(String),
    /// Hide the error.
    DismissAlert,
    /// Planning a file's import a step at a time: `done` of its `total` items are planned.
    /// `done == 0` starts it (and supersedes any other planning); later steps only count while
    /// it has not been cancelled. Ignored when `doc` is no longer the open document.
    ImportProgress {
        /// File name.
        name: String,
        /// The document it is planned for.
        doc: String,
        /// Items planned so far.
        done: usize,
        /// Items in the file.
        total: usize,
    },
    /// The planning started by [`Msg::ImportProgress`] finished: show the report. Ignored when
    /// that planning was cancelled (or superseded), or `doc` is no longer the open document.
    ImportPlanned {
        /// File name.
        name: String,
        /// The document it was planned for.
        doc: String,
        /// Its contents.
        file: Rc<FileContents>,
        /// What importing it would do.
        plan: ImportPlan,
        /// The revision of the store it was planned against.
        revision: u64,
    },
    /// Apply the pending import (one undo step).
    ConfirmImport {
        /// Now.
        at: Millis,
    },
    /// Drop the pending import; nothing changes.
    CancelImport,
    /// The service worker has a new version waiting.
    UpdateReady,
    /// Open a document: the summary or one of the library's, read from storage.
    OpenDocument(Rc<Document>),
    /// A new document was read from a file or pasted: add it to the library and open it.
    AddDocument {
        /// The parsed document.
        doc: Rc<Document>,
        /// Its source as given.
        source: Rc<str>,
        /// Its library entry.
        entry: Entry,
        /// Whether its source could be stored (else it is open for this session only).
        kept: Result<(), String>,
    },
    /// Rename a library document.
    RenameDocument {
        /// Document id.
        id: String,
        /// The new name.
        title: String,
        /// Now.
        at: Millis,
    },
    /// Remove a document from the library (its annotations stay stored).
    RemoveDocument {
        /// Document id.
        id: String,
        /// Its source as it was stored, for Undo.
        source: Option<String>,
        /// Now.
        at: Millis,
    },
    /// Undo the last removal (its source stored again, or why not).
    RestoreDocument {
        /// Whether the source could be stored again.
        kept: Result<(), String>,
        /// Now.
        at: Millis,
    },
    /// Forget the removed document (its Undo bar was dismissed).
    DismissRemoved,
    /// The student's name changed.
    SetName(Option<String>),
    /// Show or hide the report view.
    ShowReport(bool),
    /// A change to the class view (see [`ClassMsg`]).
    Class(ClassMsg),
}

impl AppState {
    /// A fresh state for a document, the library and the student's name.
    pub fn with(doc: Rc<Document>, library: Library, name: Option<String>) -> AppState {
        AppState {
            class: ClassView::new(&doc.id),
            doc,
            store: Rc::new(Store::new()),
            selected: None,
            pending: None,
            picker: None,
            filter: None,
            status: (String::new(), 0),
            alert: None,
            save_failed: false,
            import: None,
            planning: None,
            update_ready: false,
            library: Rc::new(library),
            name,
            report: false,
            removed: None,
            dirty: false,
            leaving: Rc::new(Vec::new()),
            library_dirty: false,
            drop_sources: Rc::new(Vec::new()),
            keep_sources: Rc::new(Vec::new()),
            loaded: false,
        }
    }

    /// True when something waits to be written.
    pub fn unsaved(&self) -> bool {
        self.dirty
            || self.library_dirty
            || !self.leaving.is_empty()
            || !self.drop_sources.is_empty()
            || !self.keep_sources.is_empty()
            || self.class.unsaved()
    }

    fn plan(&self, file: &FileContents, anyway: bool, now: Millis) -> ImportPlan {
        plan_import(
            file,
            &self.doc,
            &Anchorer::new(&self.doc.text),
            &self.store,
            anyway,
            now,
        )
    }

    fn announce(&mut self, text: String) {
        if !text.is_empty() {
            self.status = (text, self.status.1.wrapping_add(1));
        }
    }

    fn apply(&mut self, action: Action) {
        let created = match &action {
            Action::Create { id, .. } => Some(id.clone()),
            _ => None,
        };
        let mut store = (*self.store).clone();
        let before = store.revision();
        match store.apply(action) {
            Ok(outcome) => {
                self.dirty |= store.revision() != before;
                self.store = Rc::new(store);
                if let Some(id) = created {
                    self.selected = Some(id);
                    self.pending = None;
                }
                self.forget_missing_selection();
                self.announce(outcome.message);
            }
            Err(e) => self.announce(e.to_string()),
        }
    }

    fn forget_missing_selection(&mut self) {
        if self
            .selected
            .as_ref()
            .is_some_and(|id| self.store.get(id).is_none())
        {
            self.selected = None;
            self.picker = None;
        }
    }

    fn merge(&mut self, data: &Snapshot, quiet: bool) {
        let mut store = (*self.store).clone();
        let n = store.merge(data);
        if n == 0 {
            return;
        }
        self.store = Rc::new(store);
        if !quiet {
            self.announce(if n == 1 {
                "1 change arrived from another tab.".into()
            } else {
                format!("{n} changes arrived from another tab.")
            });
        }
        self.forget_missing_selection();
    }

    fn problem(&mut self, problem: &Option<Problem>, ok: bool) {
        match problem {
            Some(Problem::NotSaved(m)) => {
                if !self.save_failed {
                    self.alert = Some(m.clone());
                }
                self.save_failed = true;
            }
            Some(Problem::BackedUp(m)) => self.alert = Some(m.clone()),
            None => {}
        }
        // Saving works again only once nothing is left unwritten (one target may fail while
        // another succeeds).
        if ok && self.save_failed && !self.unsaved() {
            self.save_failed = false;
            self.announce("Saving works again: all your changes are saved.".into());
        }
    }

    fn saved(&mut self, saved: &Saved) {
        if saved.doc == self.doc.id {
            // Another tab's work comes in quietly: the user did not ask for it and nothing of
            // theirs changes. The save wrote the union, so nothing is left to write unless the
            // store changed since the save began.
            let unchanged = self.store.revision() == saved.revision;
            if let Some(stored) = &saved.stored {
                self.merge(stored, true);
            }
            if saved.ok && unchanged {
                self.dirty = false;
            }
        } else if saved.ok {
            let mut leaving = (*self.leaving).clone();
            leaving.retain(|u| !(u.doc.id == saved.doc && u.store.revision() == saved.revision));
            self.leaving = Rc::new(leaving);
        }
        self.problem(&saved.problem, saved.ok);
    }

    fn library_saved(&mut self, saved: &LibrarySaved) {
        if !saved.kept.is_empty() {
            let mut keep = (*self.keep_sources).clone();
            keep.retain(|(id, _)| !saved.kept.contains(id));
            self.keep_sources = Rc::new(keep);
        }
        if !saved.dropped.is_empty() {
            let mut drop = (*self.drop_sources).clone();
            drop.retain(|id| !saved.dropped.contains(id));
            self.drop_sources = Rc::new(drop);
        }
        if let Some(stored) = &saved.stored {
            self.merge_library(stored);
        }
        if saved.ok
            && saved.stored.as_ref().is_none_or(|s| {
                let mut mine = (*self.library).clone();
                mine.merge(s) == 0
            })
        {
            self.library_dirty = false;
        }
        self.problem(&saved.problem, saved.ok);
    }

    fn keep_source(&mut self, id: &str, source: Rc<str>) {
        let mut keep = (*self.keep_sources).clone();
        keep.retain(|(k, _)| k != id);
        keep.push((id.to_string(), source));
        self.keep_sources = Rc::new(keep);
    }

    fn merge_library(&mut self, other: &Library) {
        let mut library = (*self.library).clone();
        if library.merge(other) > 0 {
            self.library = Rc::new(library);
        }
    }

    fn change_library(&mut self, change: impl FnOnce(&mut Library) -> bool) -> bool {
        let mut library = (*self.library).clone();
        let changed = change(&mut library);
        if changed {
            self.library = Rc::new(library);
            self.library_dirty = true;
        }
        changed
    }

    /// Switches to `doc`, keeping the document left in `leaving` until its changes are written.
    fn open(&mut self, doc: Rc<Document>, announce: bool) {
        if doc.id == self.doc.id {
            return;
        }
        if self.dirty {
            let mut leaving = (*self.leaving).clone();
            leaving.retain(|u| u.doc.id != self.doc.id);
            leaving.push(Unsaved {
                doc: self.doc.clone(),
                store: self.store.clone(),
            });
            self.leaving = Rc::new(leaving);
        }
        // A document left unsaved and opened again starts from its unsaved state.
        let store = self
            .leaving
            .iter()
            .find(|u| u.doc.id == doc.id)
            .map(|u| u.store.clone());
        if store.is_some() {
            let mut leaving = (*self.leaving).clone();
            leaving.retain(|u| u.doc.id != doc.id);
            self.leaving = Rc::new(leaving);
        }
        self.dirty = store.is_some();
        self.store = store.unwrap_or_default();
        self.doc = doc;
        self.loaded = false;
        self.class.open(&self.doc.id);
        let id = self.doc.id.clone();
        let listed = self.library.documents.iter().any(|e| e.id == id);
        if self.library.current.as_deref() != listed.then_some(id.as_str()) {
            let mut library = (*self.library).clone();
            library.current = listed.then(|| id.clone());
            self.library = Rc::new(library);
            self.library_dirty = true;
        }
        self.selected = None;
        self.pending = None;
        self.picker = None;
        self.filter = None;
        self.import = None;
        self.planning = None;
        self.report = false;
        if announce {
            let title = self
                .library
                .documents
                .iter()
                .find(|e| e.id == id)
                .map_or_else(|| self.doc.title().to_string(), |e| e.title.clone());
            self.announce(format!("Opened “{}”.", short_quote(&title, 60)));
        }
    }

    /// Applies one message. Deterministic: the same state and message give the same result.
    pub fn update(&mut self, msg: Msg) -> bool {
        match msg {
            Msg::Do(action) => self.apply(action),
            Msg::EditNote { id, note, at } => {
                if self.store.get(&id).is_none_or(|a| a.note == note) {
                    return false;
                }
                self.apply(Action::SetNote { id, note, at });
            }
            Msg::FinishNote { id } => {
                let Some(a) = self.store.get(&id) else {
                    return false;
                };
                let said = if a.note.is_empty() {
                    format!("Note on “{}” is empty.", short_quote(&a.quote, 40))
                } else {
                    format!("Saved the note on “{}”.", short_quote(&a.quote, 40))
                };
                let mut store = (*self.store).clone();
                let _ = store.apply(Action::FinishNote);
                self.store = Rc::new(store);
                self.announce(said);
            }
            Msg::MergeFromTab(data) => self.merge(&data, false),
            Msg::Loaded {
                doc,
                stored,
                problem,
            } => {
                if doc != self.doc.id || self.loaded {
                    return false;
                }
                if let Some(data) = stored {
                    self.merge(&data, true);
                }
                self.loaded = true;
                // Damaged data was backed up: the next save writes afresh over it.
                self.dirty |= matches!(problem, Some(Problem::BackedUp(_)));
                self.problem(&problem, true);
            }
            Msg::Saved(saved) => self.saved(&saved),
            Msg::MergeLibrary(library) => self.merge_library(&library),
            Msg::LibrarySaved(saved) => self.library_saved(&saved),
            Msg::SelectText { pending, place } => {
                self.pending = Some(pending);
                self.selected = None;
                self.picker = Some(place);
            }
            Msg::SelectAnnotation { id, place } => {
                self.pending = None;
                self.selected = id.filter(|id| self.store.get(id).is_some());
                self.picker = if self.selected.is_some() { place } else { None };
            }
            Msg::Tag { tag, new_id, at } => {
                let creator = self.name.clone();
                if let Some(p) = self.pending.clone() {
                    let quote = self.doc.slice(p.start, p.end);
                    self.apply(Action::Create {
                        id: new_id,
                        start: p.start,
                        end: p.end,
                        quote,
                        tags: vec![tag],
                        creator,
                        at,
                    });
                } else if let Some(id) = self.selected.clone() {
                    self.apply(Action::ToggleTag { id, tag, at });
                } else {
                    return false;
                }
            }
            Msg::ClosePicker => {
                if self.picker.is_none() && self.pending.is_none() {
                    return false;
                }
                self.picker = None;
                self.pending = None;
            }
            Msg::SetFilter(f) => self.filter = f,
            Msg::Announce(text) => self.announce(text),
            Msg::Alert(text) => self.alert = Some(text),
            Msg::DismissAlert => self.alert = None,
            Msg::ImportProgress {
                name,
                doc,
                done,
                total,
            } => {
                if doc != self.doc.id {
                    return false;
                }
                let running = self.planning.as_ref().is_some_and(|(n, ..)| *n == name);
                if done > 0 && !running {
                    // Cancelled (or superseded by another file) meanwhile.
                    return false;
                }
                self.planning = Some((name, done, total));
            }
            Msg::ImportPlanned {
                name,
                doc,
                file,
                plan,
                revision,
            } => {
                let running = self.planning.as_ref().is_some_and(|(n, ..)| *n == name);
                if doc != self.doc.id || !running {
                    return false;
                }
                self.planning = None;
                self.import = Some(Rc::new(PendingImport {
                    name,
                    file,
                    plan,
                    revision,
                }));
            }
            Msg::ConfirmImport { at } => {
                let Some(p) = self.import.take() else {
                    return false;
                };
                if p.revision == self.store.revision() {
                    self.apply(p.plan.action(&p.name));
                } else {
                    // The store changed since (another tab saved meanwhile): plan against it.
                    let plan = self.plan(&p.file, p.plan.report.anchoring_other_document, at);
                    self.apply(plan.action(&p.name));
                }
            }
            Msg::CancelImport => {
                let planning = self.planning.take().is_some();
                if self.import.take().is_none() && !planning {
                    return false;
                }
                self.announce("Import cancelled: nothing was changed.".into());
            }
            Msg::UpdateReady => self.update_ready = true,
            Msg::OpenDocument(doc) => {
                if doc.id == self.doc.id {
                    return false;
                }
                self.open(doc, true);
            }
            Msg::AddDocument {
                doc,
                source,
                entry,
                kept,
            } => {
                let title = entry.title.clone();
                match kept {
                    Ok(()) => {
                        self.keep_source(&entry.id, source);
                        self.change_library(|l| {
                            l.add(entry);
                            true
                        });
                    }
                    Err(e) => {
                        self.alert = Some(format!(
                            "“{title}” is open for this session only: {e}, so it could not be kept. Everything stored before is untouched; export your annotations (Export JSON) to keep them."
                        ))
                    }
                }
                self.open(doc, true);
            }
            Msg::RenameDocument { id, title, at } => {
                if !self.change_library(|l| l.rename(&id, &title, at)) {
                    return false;
                }
            }
            Msg::RemoveDocument { id, source, at } => {
                let mut entry = None;
                self.change_library(|l| {
                    entry = l.remove(&id, at);
                    entry.is_some()
                });
                let Some(entry) = entry else {
                    return false;
                };
                let title = entry.title.clone();
                if source.is_some() {
                    let mut drop = (*self.drop_sources).clone();
                    drop.push(id.clone());
                    self.drop_sources = Rc::new(drop);
                }
                self.removed = Some(Rc::new(Removed { entry, source }));
                if self.doc.id == id {
                    self.open(Rc::new(Document::default_summary()), false);
                }
                self.announce(format!("Removed “{title}” from your documents."));
            }
            Msg::RestoreDocument { kept, at } => {
                let Some(removed) = self.removed.clone() else {
                    return false;
                };
                let title = removed.entry.title.clone();
                if let Err(e) = kept {
                    self.alert = Some(format!("Could not bring “{title}” back: {e}."));
                    return true;
                }
                self.change_library(|l| {
                    l.restore(removed.entry.clone(), at);
                    true
                });
                let mut drop = (*self.drop_sources).clone();
                drop.retain(|id| *id != removed.entry.id);
                self.drop_sources = Rc::new(drop);
                if let Some(source) = &removed.source {
                    self.keep_source(&removed.entry.id, source.as_str().into());
                }
                self.removed = None;
                self.announce(format!("“{title}” is back in your documents."));
            }
            Msg::DismissRemoved => self.removed = None,
            Msg::SetName(name) => {
                self.announce(match &name {
                    Some(n) => format!("New annotations will be signed “{n}”."),
                    None => "New annotations will not be signed.".into(),
                });
                self.name = name;
            }
            Msg::ShowReport(show) => {
                self.report = show;
                self.class.shown &= !show;
                self.picker = None;
                self.pending = None;
            }
            Msg::Class(msg) => {
                let effect = self.class.update(msg, &self.doc);
                if self.class.shown {
                    self.report = false;
                    self.picker = None;
                    self.pending = None;
                }
                if let Some(status) = effect.status {
                    self.announce(status);
                }
                match effect.problem {
                    Some((problem, ok)) => self.problem(&Some(problem), ok),
                    None => self.problem(&None, effect.stored),
                }
                return effect.changed;
            }
        }
        true
    }
}

/// Reads a library document back from storage: its source parsed in its format. The document
/// keeps the id it was added under, so a later change to the parser never strands its
/// annotations (they are keyed by that id).
pub fn read_document(kv: &dyn KeyValue, entry: &Entry) -> Option<Document> {
    match kv.get(&document_key(&entry.id)) {
        Ok(Some(Raw::Text(source))) => {
            let mut doc = parse(&source, entry.format);
            doc.id = entry.id.clone();
            (!doc.blocks.is_empty()).then_some(doc)
        }
        _ => None,
    }
}

/// The state at start-up: the settings, the library, the document open last (the summary when
/// there is none or it cannot be read) and its stored annotations, with anything damaged
/// backed up and the user told.
pub fn startup(kv: &mut dyn KeyValue) -> AppState {
    let mut state = open(kv);
    for msg in load(&state, kv).into_iter().chain(load_class(&state, kv)) {
        state.update(msg);
    }
    state
}

/// The state at start-up before the open document's annotations are read: the library, the
/// open document and the settings. The page shows the document from this and reads the
/// annotations ([`load`]) in its next task, so that the text appears before the work of
/// thousands of highlights.
pub fn open(kv: &mut dyn KeyValue) -> AppState {
    let name = match kv.get(&settings_key()) {
        Ok(Some(Raw::Text(raw))) => serde_json::from_str::<Settings>(&raw)
            .ok()
            .and_then(|s| s.name),
        _ => None,
    };
    let (library, library_problem) = persist::load_library(kv);
    let doc = library
        .current
        .as_ref()
        .and_then(|id| library.documents.iter().find(|e| &e.id == id))
        .and_then(|entry| read_document(kv, entry))
        .unwrap_or_else(Document::default_summary);
    let mut state = AppState::with(Rc::new(doc), library, name);
    // A damaged library was backed up; the list starts afresh and says so.
    state.problem(&library_problem, true);
    if matches!(library_problem, Some(Problem::BackedUp(_))) {
        state.library_dirty = true;
    }
    state
}

/// How far `planner` has come with the file called `name`: a [`Msg::ImportProgress`] (the first
/// one, with nothing planned yet, starts the planning run).
pub fn import_progress(name: &str, planner: &Planner) -> Msg {
    let (done, total) = planner.progress();
    Msg::ImportProgress {
        name: name.to_string(),
        doc: planner.doc().id.clone(),
        done,
        total,
    }
}

/// The finished plan of `planner` for the file called `name`, as a [`Msg::ImportPlanned`].
pub fn import_planned(name: String, planner: Planner) -> Msg {
    let (doc, file) = (planner.doc().id.clone(), planner.file().clone());
    let revision = planner.store().revision();
    Msg::ImportPlanned {
        name,
        doc,
        file,
        plan: planner.finish(),
        revision,
    }
}

/// Reads the open document's stored annotations when they have not been read yet (after start-up
/// and after every switch of document), for the state to take in.
pub fn load(state: &AppState, kv: &mut dyn KeyValue) -> Option<Msg> {
    if state.loaded {
        return None;
    }
    let (stored, problem) = persist::load_annotations(kv, &state.doc);
    Some(Msg::Loaded {
        doc: state.doc.id.clone(),
        stored,
        problem,
    })
}

/// Reads the open document's stored class when it has not been read yet (after start-up and
/// after every switch of document), for the state to take in. The class view needs it before
/// anything in it can change.
pub fn load_class(state: &AppState, kv: &mut dyn KeyValue) -> Option<Msg> {
    state.class.load(&state.doc, kv).map(Msg::Class)
}

/// Writes everything `state` has waiting — documents left, the open one, the library, the classes
/// — and returns what each save did, for the state to take in.
pub fn flush(state: &AppState, kv: &mut dyn KeyValue) -> Vec<Msg> {
    let mut out = Vec::new();
    for u in state.leaving.iter() {
        let saved = persist::save_annotations(kv, &u.doc, &u.store);
        out.push(Msg::Saved(Rc::new(saved)));
    }
    if state.dirty {
        let saved = persist::save_annotations(kv, &state.doc, &state.store);
        out.push(Msg::Saved(Rc::new(saved)));
    }
    if state.library_dirty || !state.drop_sources.is_empty() || !state.keep_sources.is_empty() {
        out.push(Msg::LibrarySaved(Rc::new(persist::save_library(
            kv,
            &state.library,
            &state.drop_sources,
            &state.keep_sources,
        ))));
    }
    out.extend(state.class.flush(kv).into_iter().map(Msg::Class));
    out
}

/// What another tab's write (a `storage` event) means for this state, if anything.
pub fn storage_event(state: &AppState, key: &str, value: &str) -> Option<Msg> {
    if key == super::library::library_key() {
        return Library::parse(value).map(Msg::MergeLibrary);
    }
    if key == super::envelope::annotations_key(&state.doc.id) {
        return Envelope::read(value, &state.doc)
            .ok()
            .map(|env| Msg::MergeFromTab(env.data));
    }
    None
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::core::class::key::KeyChoice;
    use crate::core::class::Filter;
    use crate::core::envelope::annotations_key;
    use crate::core::kv::{backup_key, StorageError};
    use crate::core::library::{library_key, Format};

    /// localStorage in memory, values as UTF-16 code units (as browsers keep them).
    #[derive(Default)]
    struct Mem(BTreeMap<String, Vec<u16>>);

    impl KeyValue for Mem {
        fn get(&self, key: &str) -> Result<Option<Raw>, StorageError> {
            Ok(self
                .0
                .get(key)
                .map(|v| String::from_utf16(v).map_or(Raw::NotUtf16, Raw::Text)))
        }
        fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
            self.0.insert(key.into(), value.encode_utf16().collect());
            Ok(())
        }
        fn remove(&mut self, key: &str) -> Result<(), StorageError> {
            self.0.remove(key);
            Ok(())
        }
        fn back_up(&mut self, from: &str, scope: &str) -> Result<String, StorageError> {
            let v = self.0.get(from).cloned().unwrap_or_default();
            let key = backup_key(scope, &v);
            self.0.entry(key.clone()).or_insert(v);
            Ok(key)
        }
    }

    impl Mem {
        fn text(&self, key: &str) -> Option<String> {
            self.0
                .get(key)
                .map(|v| String::from_utf16(v).expect("text"))
        }
    }

    const NOW: Millis = 1_790_000_000_000;

    /// Plans a file's import the way the page does (a planning run, then its plan), at once.
    fn plan_now(s: &mut AppState, file: FileContents, anyway: bool) {
        let mut planner = Planner::new(Rc::new(file), s.doc.clone(), s.store.clone(), anyway, NOW);
        s.update(import_progress("f.json", &planner));
        while !planner.step(10) {}
        s.update(import_planned("f.json".into(), planner));
    }

    fn run(s: &mut AppState, kv: &mut Mem, msgs: Vec<Msg>) {
        for m in msgs {
            s.update(m);
        }
        for m in flush(s, kv) {
            s.update(m);
        }
    }

    fn annotate(s: &mut AppState, id: &str, start: usize, end: usize, at: Millis) {
        s.update(Msg::SelectText {
            pending: Pending { start, end },
            place: Place {
                left: 0.0,
                top: 0.0,
            },
        });
        s.update(Msg::Tag {
            tag: "pillar-1".into(),
            new_id: id.into(),
            at,
        });
    }

    fn stored_ids(kv: &Mem, doc: &Document) -> Vec<String> {
        let raw = kv.text(&annotations_key(&doc.id)).unwrap_or_default();
        Envelope::parse(&raw, &doc.id, doc.len)
            .map(|e| e.data.annotations.into_iter().map(|a| a.id).collect())
            .unwrap_or_default()
    }

    fn pasted() -> (Rc<Document>, Entry, &'static str) {
        let source = "A pasted lesson.\n\nIt has two paragraphs.";
        let doc = parse(source, Format::Plain);
        let entry = Entry {
            id: doc.id.clone(),
            title: "Pasted".into(),
            format: Format::Plain,
            added: NOW,
            bytes: source.len(),
            modified: 0,
            renamed: 0,
        };
        (Rc::new(doc), entry, source)
    }

    #[test]
    fn switching_documents_writes_the_pending_change_of_the_one_left() {
        let mut kv = Mem::default();
        let mut s = startup(&mut kv);
        let summary = s.doc.clone();
        annotate(&mut s, "a", 10, 20, NOW);
        assert!(s.dirty, "a change waits for the debounce");
        let (doc, entry, source) = pasted();
        kv.set(&document_key(&doc.id), source).unwrap();
        s.update(Msg::AddDocument {
            doc,
            source: source.into(),
            entry,
            kept: Ok(()),
        });
        assert_eq!(
            s.leaving.len(),
            1,
            "the summary's change is kept until written"
        );
        run(&mut s, &mut kv, vec![]);
        assert_eq!(stored_ids(&kv, &summary), ["a"]);
        assert!(s.leaving.is_empty() && !s.unsaved());
    }

    #[test]
    fn a_document_opened_again_shows_its_stored_annotations() {
        let mut kv = Mem::default();
        let mut s = startup(&mut kv);
        annotate(&mut s, "a", 10, 20, NOW);
        run(&mut s, &mut kv, vec![]);
        let summary = s.doc.clone();
        let (doc, entry, source) = pasted();
        kv.set(&document_key(&doc.id), source).unwrap();
        let add = Msg::AddDocument {
            doc,
            source: source.into(),
            entry,
            kept: Ok(()),
        };
        run(&mut s, &mut kv, vec![add]);
        s.update(Msg::OpenDocument(summary));
        assert!(!s.loaded);
        let msg = load(&s, &mut kv).expect("a read is due");
        s.update(msg);
        assert!(
            s.store.get("a").is_some(),
            "the summary's annotation is back"
        );
        assert!(!s.dirty, "reading is not a change");
    }

    #[test]
    fn a_note_is_saved_as_typed_in_one_undo_step() {
        let mut kv = Mem::default();
        let mut s = startup(&mut kv);
        annotate(&mut s, "a", 10, 20, NOW);
        run(&mut s, &mut kv, vec![]);
        let mut note = String::new();
        for (i, c) in "why".chars().enumerate() {
            note.push(c);
            s.update(Msg::EditNote {
                id: "a".into(),
                note: note.clone(),
                at: NOW + 1 + i as Millis,
            });
            assert!(s.dirty);
        }
        // The tab closes before the field is left: pagehide flushes.
        run(&mut s, &mut kv, vec![]);
        let raw = kv.text(&annotations_key(&s.doc.id)).unwrap();
        assert!(raw.contains(r#""note":"why""#), "{raw}");
        s.update(Msg::FinishNote { id: "a".into() });
        assert_eq!(
            s.status.0,
            "Saved the note on “q”.".replace('q', &s.store.get("a").unwrap().quote)
        );
        s.update(Msg::Do(Action::Undo { at: NOW + 10 }));
        assert_eq!(
            s.store.get("a").unwrap().note,
            "",
            "one undo takes the whole note back"
        );
    }

    #[test]
    fn an_annotation_dated_in_the_future_can_be_deleted() {
        let mut kv = Mem::default();
        let mut s = startup(&mut kv);
        // As stored before this fix: a file's time taken as it came.
        annotate(&mut s, "x", 10, 20, 4_070_908_800_000); // 2099-01-01
        run(
            &mut s,
            &mut kv,
            vec![Msg::Do(Action::Delete {
                id: "x".into(),
                at: NOW,
            })],
        );
        let mut other = startup(&mut kv);
        assert!(
            other.store.get("x").is_none(),
            "the delete holds after reload"
        );
        other.update(Msg::MergeFromTab(s.store.snapshot()));
        assert!(other.store.get("x").is_none(), "and in another tab");
        // A file dated in 2099 is clamped to this device's clock at import.
        let file = crate::core::w3c::read_file(
            br#"[{"type":"Annotation","id":"urn:uuid:11111111-1111-4111-8111-111111111111","modified":"2099-01-01T00:00:00Z","body":[{"type":"TextualBody","purpose":"tagging","value":"Pillar III"}],"target":{"selector":{"type":"TextPositionSelector","start":0,"end":5}}}]"#,
        )
        .unwrap();
        plan_now(&mut s, file, true);
        assert_eq!(s.import.as_ref().unwrap().plan.report.future_dated, 1);
        s.update(Msg::ConfirmImport { at: NOW });
        let a = s
            .store
            .get("11111111-1111-4111-8111-111111111111")
            .expect("imported");
        assert_eq!(a.modified, NOW);
    }

    #[test]
    fn an_empty_id_never_reaches_storage() {
        let mut kv = Mem::default();
        let mut s = startup(&mut kv);
        let file = crate::core::w3c::read_file(
            br#"[{"type":"Annotation","id":"urn:uuid:","body":[{"type":"TextualBody","purpose":"tagging","value":"Pillar III"}],"target":{"selector":{"type":"TextQuoteSelector","exact":"civil society organizations"}}}]"#,
        )
        .unwrap();
        assert!(file.items.is_empty());
        assert_eq!(file.rejected.len(), 1);
        assert!(
            file.rejected[0].reason.contains("names no annotation"),
            "{:?}",
            file.rejected
        );
        annotate(&mut s, "", 1, 5, NOW);
        annotate(&mut s, "b", 1, 5, NOW);
        run(&mut s, &mut kv, vec![]);
        let again = startup(&mut kv);
        assert_eq!(again.alert, None);
        assert_eq!(stored_ids(&kv, &again.doc), ["b"]);
    }

    #[test]
    fn a_damaged_library_is_backed_up_exactly_and_reported() {
        let mut kv = Mem::default();
        let damaged: Vec<u16> = vec![0x7b, 0xd83d, 0x62]; // "{", a lone surrogate, "b"
        kv.0.insert(library_key(), damaged.clone());
        let mut s = startup(&mut kv);
        let alert = s.alert.clone().expect("an alert");
        let backup = backup_key(crate::core::persist::LIBRARY_SCOPE, &damaged);
        assert!(alert.contains(&backup), "{alert}");
        assert_eq!(kv.0.get(&backup), Some(&damaged), "byte-exact");
        let (doc, entry, source) = pasted();
        kv.set(&document_key(&doc.id), source).unwrap();
        run(
            &mut s,
            &mut kv,
            vec![Msg::AddDocument {
                doc,
                source: source.into(),
                entry,
                kept: Ok(()),
            }],
        );
        let lib = Library::parse(&kv.text(&library_key()).unwrap()).expect("readable now");
        assert_eq!(lib.documents.len(), 1);
        assert_eq!(kv.0.get(&backup), Some(&damaged), "the backup stays");
    }

    #[test]
    fn a_document_whose_text_changed_keeps_its_annotations() {
        let fixture: BTreeMap<String, String> = serde_json::from_str(FIXTURE).unwrap();
        let mut kv = Mem::default();
        for (k, v) in &fixture {
            kv.set(k, v).unwrap();
        }
        // What a change to the parser does: the same source now reads as a different text.
        let lib = Library::parse(&fixture[&library_key()]).unwrap();
        let id = lib.current.clone().unwrap();
        let source = kv.text(&document_key(&id)).unwrap();
        let changed = source.replacen(
            "# Pasted lesson\n\n",
            "# Pasted lesson\n\nA new first paragraph.\n\n",
            1,
        );
        assert_ne!(changed, source);
        kv.set(&document_key(&id), &changed).unwrap();
        let mut s = startup(&mut kv);
        assert_eq!(s.doc.id, id, "the id stays");
        assert_eq!(s.alert, None, "nothing is called damaged");
        let a = s
            .store
            .get("6f1c2a10-0000-4000-8000-000000000003")
            .expect("kept");
        assert!(!a.orphan);
        assert_eq!(s.doc.slice(a.start, a.end), a.quote);
        assert_eq!(a.quote, "tates bear the primary responsibility — “to ");
        assert_eq!(
            a.start,
            16 + "A new first paragraph.\n\n".chars().count(),
            "moved by the inserted paragraph"
        );
        // Saving writes what any version reads back strictly.
        annotate(&mut s, "n", 1, 4, NOW);
        run(&mut s, &mut kv, vec![]);
        let raw = kv.text(&annotations_key(&id)).unwrap();
        assert!(Envelope::parse(&raw, &id, s.doc.len).is_ok(), "{raw}");
    }

    /// Storage as schema 1 wrote it before documents kept their ids through parser changes.
    const FIXTURE: &str = include_str!("../../tests/fixtures/storage-schema-1.json");

    #[test]
    fn storage_of_schema_one_opens_unchanged() {
        let fixture: BTreeMap<String, String> = serde_json::from_str(FIXTURE).unwrap();
        let mut kv = Mem::default();
        for (k, v) in &fixture {
            kv.set(k, v).unwrap();
        }
        let s = startup(&mut kv);
        assert_eq!(s.alert, None);
        let lib_raw: serde_json::Value = serde_json::from_str(&fixture[&library_key()]).unwrap();
        let current = lib_raw["current"].as_str().unwrap();
        assert_eq!(s.doc.id, current, "the document open last opens again");
        let check = |s: &AppState| {
            let raw: serde_json::Value =
                serde_json::from_str(&fixture[&annotations_key(&s.doc.id)]).unwrap();
            let want = raw["annotations"].as_array().unwrap();
            assert_eq!(s.store.len(), want.len());
            for w in want {
                let a = s.store.get(w["id"].as_str().unwrap()).expect("kept");
                let (start, end) = (
                    w["start"].as_u64().unwrap() as usize,
                    w["end"].as_u64().unwrap() as usize,
                );
                assert_eq!((a.start, a.end), (start, end));
                assert_eq!(
                    s.doc.slice(start, end),
                    w["quote"].as_str().unwrap(),
                    "offsets still fit the text"
                );
                assert_eq!(a.note, w["note"].as_str().unwrap_or(""));
            }
        };
        check(&s);
        let mut s = s;
        s.update(Msg::OpenDocument(Rc::new(Document::default_summary())));
        let (stored, problem) = persist::load_annotations(&mut kv, &s.doc);
        assert_eq!(problem, None);
        s.update(Msg::MergeFromTab(stored.expect("summary annotations")));
        check(&s);
    }

    fn class_files(doc: &Document, names: &[&str]) -> Msg {
        let files = names
            .iter()
            .map(|n| crate::core::class::testing::file(doc, n, &[(10, 20, &["Pillar I"], "")]))
            .collect();
        Msg::Class(ClassMsg::OpenFiles(Rc::new(files)))
    }

    #[test]
    fn a_class_survives_a_reload_and_leaves_the_teachers_annotations_alone() {
        let mut kv = Mem::default();
        let mut s = startup(&mut kv);
        assert!(s.class.loaded, "start-up reads the stored class too");
        annotate(&mut s, "mine", 1, 5, NOW);
        run(&mut s, &mut kv, vec![]);
        let store = s.store.clone();
        s.update(Msg::Class(ClassMsg::Show(true)));
        assert!(s.class.shown);
        let doc = s.doc.clone();
        run(&mut s, &mut kv, vec![class_files(&doc, &["Amina", "Ben"])]);
        assert_eq!(s.status.0, "Opened 2 files: 2 new students.");
        assert!(
            Rc::ptr_eq(&s.store, &store),
            "the teacher's annotations are untouched"
        );
        assert!(!s.class.dirty && !s.unsaved(), "written");
        let key = crate::core::class::persist::class_key(&doc.id);
        assert!(kv.text(&key).is_some());
        let again = startup(&mut kv);
        assert_eq!(again.class.set, s.class.set);
        assert_eq!(
            again.store.len(),
            1,
            "only the teacher's own: {:?}",
            again.store
        );
        assert_eq!(stored_ids(&kv, &doc), ["mine"]);
        // Showing the report closes the class view.
        s.update(Msg::ShowReport(true));
        assert!(!s.class.shown && s.report);
    }

    #[test]
    fn nothing_changes_the_class_before_the_stored_one_is_read() {
        let mut kv = Mem::default();
        let mut first = startup(&mut kv);
        let doc = first.doc.clone();
        run(&mut first, &mut kv, vec![class_files(&doc, &["Amina"])]);
        let mut s = open(&mut kv);
        assert!(!s.class.loaded);
        assert!(s.update(class_files(&doc, &["Ben"])));
        assert!(
            s.status.0.starts_with("The class is still being read"),
            "{}",
            s.status.0
        );
        assert!(s.class.set.students().is_empty() && !s.class.dirty);
        let msg = load_class(&s, &mut kv).expect("a read is due");
        s.update(msg);
        assert_eq!(load_class(&s, &mut kv).map(|_| ()), None, "read once");
        run(&mut s, &mut kv, vec![class_files(&doc, &["Ben"])]);
        let names: Vec<&str> = (s.class.set.students().iter())
            .map(|st| st.name.as_str())
            .collect();
        assert_eq!(names, ["Amina", "Ben"], "the stored class was kept");
    }

    #[test]
    fn a_class_left_unsaved_is_written_and_found_again() {
        let mut kv = Mem::default();
        let mut s = startup(&mut kv);
        let summary = s.doc.clone();
        s.update(class_files(&summary, &["Amina"]));
        assert!(s.class.dirty);
        let (doc, entry, source) = pasted();
        kv.set(&document_key(&doc.id), source).unwrap();
        s.update(Msg::AddDocument {
            doc,
            source: source.into(),
            entry,
            kept: Ok(()),
        });
        assert_eq!(s.class.leaving.len(), 1, "kept until written");
        assert!(
            s.class.set.is_empty() && !s.class.loaded,
            "the new document's class"
        );
        // Back before anything was written: the unsaved class again.
        s.update(Msg::OpenDocument(summary.clone()));
        assert_eq!(s.class.set.students().len(), 1);
        assert!(s.class.loaded && s.class.dirty && s.class.leaving.is_empty());
        let (doc, ..) = pasted();
        s.update(Msg::OpenDocument(doc));
        run(&mut s, &mut kv, vec![]);
        assert!(s.class.leaving.is_empty() && !s.unsaved());
        s.update(Msg::OpenDocument(summary));
        let msg = load_class(&s, &mut kv).expect("a read is due");
        s.update(msg);
        assert_eq!(s.class.set.students()[0].name, "Amina");
    }

    #[test]
    fn a_class_that_cannot_be_saved_stays_in_the_tab_and_says_so() {
        let mut kv = crate::core::class::testing::Mem::default();
        let mut s = startup(&mut kv);
        let doc = s.doc.clone();
        kv.full = true;
        s.update(class_files(&doc, &["Amina"]));
        for m in flush(&s, &mut kv) {
            s.update(m);
        }
        let alert = s.alert.clone().expect("an alert");
        assert!(
            alert.starts_with(
                "The class could not be saved: this browser's storage for the page is full."
            ),
            "{alert}"
        );
        assert!(s.class.dirty && s.save_failed);
        assert_eq!(s.class.set.students().len(), 1, "nothing lost in the tab");
        kv.full = false;
        for m in flush(&s, &mut kv) {
            s.update(m);
        }
        assert!(!s.class.dirty && !s.save_failed);
        assert_eq!(
            s.status.0,
            "Saving works again: all your changes are saved."
        );
    }

    #[test]
    fn class_messages_say_what_they_did() {
        let mut kv = Mem::default();
        let mut s = startup(&mut kv);
        let doc = s.doc.clone();
        s.update(class_files(&doc, &["Amina", "Ben"]));
        let say = |s: &mut AppState, msg: ClassMsg| {
            s.update(Msg::Class(msg));
            s.status.0.clone()
        };
        assert_eq!(
            say(
                &mut s,
                ClassMsg::SetKey(Some(KeyChoice::Student("ben".into())))
            ),
            "Ben's annotations are the answer key."
        );
        let hidden = say(&mut s, ClassMsg::HideNames(true));
        assert!(hidden.starts_with("Names are hidden"));
        let removed = say(&mut s, ClassMsg::RemoveStudent("ben".into()));
        assert!(
            removed.starts_with("Removed Student ") && !removed.contains("Ben"),
            "{removed}"
        );
        assert_eq!(s.class.set.key(), None);
        assert!(!s.update(Msg::Class(ClassMsg::RemoveStudent("ben".into()))));
        assert_eq!(
            say(&mut s, ClassMsg::SetKey(Some(KeyChoice::Teacher))),
            "Your own annotations are the answer key."
        );
        assert!(s.update(Msg::Class(ClassMsg::SetHeatFilter(Filter::Tag(
            "pillar-1".into()
        )))));
        assert_eq!(s.class.filter, Filter::Tag("pillar-1".into()));
        assert!(s.class.opened.is_some());
        assert!(s.update(Msg::Class(ClassMsg::DismissReport)));
        assert_eq!(s.class.opened, None);
        assert_eq!(
            say(&mut s, ClassMsg::Clear),
            "Cleared the class. The students' files themselves are unchanged."
        );
        run(&mut s, &mut kv, vec![]);
        let key = crate::core::class::persist::class_key(&doc.id);
        assert_eq!(kv.text(&key), None, "a cleared class leaves nothing stored");
    }

    /// A plan made a step at a time reaches the report only while its planning still runs, and
    /// is applied as it is while the store has not changed since (planned again otherwise).
    #[test]
    fn a_stepped_plan_is_shown_unless_cancelled_and_applied_while_the_store_is_unchanged() {
        let mut kv = Mem::default();
        let mut s = startup(&mut kv);
        let file = Rc::new(
            crate::core::w3c::read_file(
                br#"[{"type":"Annotation","id":"urn:uuid:00000000-0000-4000-8000-000000000001","target":{"selector":{"type":"TextQuoteSelector","exact":"civil society organizations"}}}]"#,
            )
            .unwrap(),
        );
        let planned = |s: &AppState| {
            let mut p = Planner::new(file.clone(), s.doc.clone(), s.store.clone(), false, NOW);
            while !p.step(1) {}
            import_planned("f.json".into(), p)
        };
        let start = |s: &AppState| Msg::ImportProgress {
            name: "f.json".into(),
            doc: s.doc.id.clone(),
            done: 0,
            total: 1,
        };
        // Cancelled while planning: the plan that arrives afterwards is dropped.
        assert!(s.update(start(&s)));
        assert_eq!(s.planning, Some(("f.json".into(), 0, 1)));
        assert!(s.update(Msg::CancelImport));
        assert_eq!(s.planning, None);
        let late = planned(&s);
        assert!(!s.update(late));
        assert!(s.import.is_none());
        // Progress for another document is not this one's.
        assert!(!s.update(Msg::ImportProgress {
            name: "f.json".into(),
            doc: "elsewhere".into(),
            done: 0,
            total: 1,
        }));
        // Planned while the store stays as it was: its plan is what Import applies.
        s.update(start(&s));
        let msg = planned(&s);
        assert!(s.update(msg));
        assert_eq!(s.planning, None);
        let mut p = (**s.import.as_ref().expect("the report")).clone();
        assert_eq!(p.plan.report.new, 1);
        p.plan.put.clear();
        s.import = Some(Rc::new(p.clone()));
        s.update(Msg::ConfirmImport { at: NOW });
        assert_eq!(
            s.store.len(),
            0,
            "the stored plan (emptied here) was applied"
        );
        // The store changed meanwhile: planned again against it.
        annotate(&mut s, "mine", 1, 5, NOW);
        s.import = Some(Rc::new(p));
        s.update(Msg::ConfirmImport { at: NOW });
        assert_eq!(s.store.len(), 2, "planned again: {:?}", s.status);
    }
}
