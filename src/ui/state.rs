//! The app's one reducer state: the document, the store, what is selected, and what the user is told.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::anchor::Anchorer;
use crate::core::document::Document;
use crate::core::import::{plan_import, ImportPlan};
use crate::core::library::{Entry, Library};
use crate::core::store::{Action, Millis, Snapshot, Store};
use crate::core::w3c::FileContents;

/// A file read and planned, waiting for the user to confirm.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingImport {
    /// The file's name (or "pasted text").
    pub name: String,
    /// What the file holds.
    pub file: FileContents,
    /// What importing it would do.
    pub plan: ImportPlan,
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

/// Everything the UI shows.
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
}

/// Compared by identity for the large shared parts: the context compares states on every
/// render, and a deep comparison of 10,000 annotations there would cost more than the change.
impl PartialEq for AppState {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &o.doc)
            && Rc::ptr_eq(&self.store, &o.store)
            && Rc::ptr_eq(&self.library, &o.library)
            && self.selected == o.selected
            && self.pending == o.pending
            && self.picker == o.picker
            && self.filter == o.filter
            && self.status == o.status
            && self.alert == o.alert
            && self.save_failed == o.save_failed
            && self.import.as_ref().map(Rc::as_ptr) == o.import.as_ref().map(Rc::as_ptr)
            && self.update_ready == o.update_ready
            && self.name == o.name
            && self.report == o.report
            && self.removed == o.removed
    }
}

/// A document removed from the library, kept for Undo until the next removal.
#[derive(Clone, Debug, PartialEq)]
pub struct Removed {
    /// Where it stood in the list.
    pub at: usize,
    /// Its entry.
    pub entry: Entry,
    /// Its source text.
    pub source: String,
}

/// What can happen to the state.
pub enum Msg {
    /// A change to the annotations (undoable, except merges).
    Do(Action),
    /// Stored data read at start-up.
    Load(Snapshot),
    /// Another tab's changes.
    Merge(Snapshot),
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
    /// Record whether saving works.
    SaveFailed(bool),
    /// A file was read: plan its import and show the report.
    ReviewImport {
        /// File name.
        name: String,
        /// Its contents.
        file: FileContents,
    },
    /// The file is for another document: anchor its annotations by quote anyway.
    AnchorImportAnyway,
    /// Apply the pending import (one undo step).
    ConfirmImport,
    /// Drop the pending import; nothing changes.
    CancelImport,
    /// The service worker has a new version waiting.
    UpdateReady,
    /// Open another document (its annotations load from storage).
    OpenDocument(Rc<Document>),
    /// The library changed (added, renamed, removed, restored).
    SetLibrary(Library),
    /// A document was removed; keep it for Undo.
    Removed(Option<Rc<Removed>>),
    /// The student's name changed.
    SetName(Option<String>),
    /// Show or hide the report view.
    ShowReport(bool),
}

impl AppState {
    /// A fresh state for a document, the library and the student's name.
    pub fn with(doc: Rc<Document>, library: Library, name: Option<String>) -> AppState {
        AppState {
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
            update_ready: false,
            library: Rc::new(library),
            name,
            report: false,
            removed: None,
        }
    }

    fn plan(&self, file: &FileContents, anyway: bool) -> ImportPlan {
        plan_import(
            file,
            &self.doc,
            &Anchorer::new(&self.doc.text),
            &self.store,
            anyway,
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
        match store.apply(action) {
            Ok(outcome) => {
                self.store = Rc::new(store);
                if let Some(id) = created {
                    self.selected = Some(id);
                    self.pending = None;
                }
                if self
                    .selected
                    .as_ref()
                    .is_some_and(|id| self.store.get(id).is_none())
                {
                    self.selected = None;
                    self.picker = None;
                }
                self.announce(outcome.message);
            }
            Err(e) => self.announce(e.to_string()),
        }
    }
}

impl Reducible for AppState {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut s = (*self).clone();
        match msg {
            Msg::Do(action) => s.apply(action),
            Msg::Load(snapshot) => {
                let mut store = (*s.store).clone();
                if store.merge(&snapshot) > 0 {
                    s.store = Rc::new(store);
                }
            }
            Msg::Merge(snapshot) => {
                let mut store = (*s.store).clone();
                let n = store.merge(&snapshot);
                if n > 0 {
                    s.store = Rc::new(store);
                    s.announce(if n == 1 {
                        "1 change arrived from another tab.".into()
                    } else {
                        format!("{n} changes arrived from another tab.")
                    });
                    if s.selected
                        .as_ref()
                        .is_some_and(|id| s.store.get(id).is_none())
                    {
                        s.selected = None;
                        s.picker = None;
                    }
                }
            }
            Msg::SelectText { pending, place } => {
                s.pending = Some(pending);
                s.selected = None;
                s.picker = Some(place);
            }
            Msg::SelectAnnotation { id, place } => {
                s.pending = None;
                s.selected = id.filter(|id| s.store.get(id).is_some());
                s.picker = if s.selected.is_some() { place } else { None };
            }
            Msg::Tag { tag, new_id, at } => {
                let creator = s.name.clone();
                if let Some(p) = s.pending.clone() {
                    let quote = s.doc.slice(p.start, p.end);
                    s.apply(Action::Create {
                        id: new_id,
                        start: p.start,
                        end: p.end,
                        quote,
                        tags: vec![tag],
                        creator,
                        at,
                    });
                } else if let Some(id) = s.selected.clone() {
                    s.apply(Action::ToggleTag { id, tag, at });
                } else {
                    return self;
                }
            }
            Msg::ClosePicker => {
                if s.picker.is_none() && s.pending.is_none() {
                    return self;
                }
                s.picker = None;
                s.pending = None;
            }
            Msg::SetFilter(f) => s.filter = f,
            Msg::Announce(text) => s.announce(text),
            Msg::Alert(text) => s.alert = Some(text),
            Msg::DismissAlert => s.alert = None,
            Msg::ReviewImport { name, file } => {
                let plan = s.plan(&file, false);
                s.import = Some(Rc::new(PendingImport { name, file, plan }));
            }
            Msg::AnchorImportAnyway => {
                let Some(p) = s.import.clone() else {
                    return self;
                };
                let plan = s.plan(&p.file, true);
                s.import = Some(Rc::new(PendingImport {
                    plan,
                    ..(*p).clone()
                }));
            }
            Msg::ConfirmImport => {
                let Some(p) = s.import.take() else {
                    return self;
                };
                // Re-plan against the store as it is now (another tab may have saved meanwhile).
                let plan = s.plan(&p.file, p.plan.report.anchoring_other_document);
                s.apply(plan.action(&p.name));
            }
            Msg::CancelImport => {
                if s.import.take().is_none() {
                    return self;
                }
                s.announce("Import cancelled: nothing was changed.".into());
            }
            Msg::UpdateReady => s.update_ready = true,
            Msg::OpenDocument(doc) => {
                if doc.id == s.doc.id {
                    return self;
                }
                let mut fresh = AppState::with(doc, (*s.library).clone(), s.name.clone());
                let mut library = (*s.library).clone();
                library.current = library
                    .documents
                    .iter()
                    .any(|e| e.id == fresh.doc.id)
                    .then(|| fresh.doc.id.clone());
                fresh.library = Rc::new(library);
                fresh.update_ready = s.update_ready;
                fresh.save_failed = s.save_failed;
                fresh.removed = s.removed.clone();
                let title = fresh
                    .library
                    .documents
                    .iter()
                    .find(|e| e.id == fresh.doc.id)
                    .map_or_else(|| fresh.doc.title().to_string(), |e| e.title.clone());
                fresh.announce(format!(
                    "Opened “{}”.",
                    crate::core::store::short_quote(&title, 60)
                ));
                return Rc::new(fresh);
            }
            Msg::SetLibrary(library) => s.library = Rc::new(library),
            Msg::Removed(removed) => s.removed = removed,
            Msg::SetName(name) => {
                s.announce(match &name {
                    Some(n) => format!("New annotations will be signed “{n}”."),
                    None => "New annotations will not be signed.".into(),
                });
                s.name = name;
            }
            Msg::ShowReport(show) => {
                s.report = show;
                s.picker = None;
                s.pending = None;
            }
            Msg::SaveFailed(failed) => {
                if failed == s.save_failed {
                    return self;
                }
                s.save_failed = failed;
            }
        }
        Rc::new(s)
    }
}

/// The state handle every component reaches through the context.
pub type AppContext = UseReducerHandle<AppState>;
