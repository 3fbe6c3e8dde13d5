//! The class view in the app: the open document's class set, what the teacher looks at, and what
//! waits to be saved — changed by verb-named messages, as the app's own state is.

use std::rc::Rc;

use super::key::KeyChoice;
use super::persist::{load_class, save_class, ClassSaved};
use super::{ClassFile, ClassSet, Filter, Opened};
use crate::core::document::Document;
use crate::core::kv::KeyValue;
use crate::core::persist::Problem;

/// What the class view shows and what waits to be saved.
#[derive(Clone, Debug)]
pub struct ClassView {
    /// The class view is shown instead of the document.
    pub shown: bool,
    /// The open document's class.
    pub set: Rc<ClassSet>,
    /// Whether the stored class has been read ([`ClassView::load`]): until then nothing may
    /// change it, or the stored one would be written over unseen.
    pub loaded: bool,
    /// The class has changes not yet in storage.
    pub dirty: bool,
    /// What the last batch of files (or placing the files set aside) did, for its report.
    pub opened: Option<Rc<Opened>>,
    /// The heat layer's filter.
    pub filter: Filter,
    /// Classes of documents left with unsaved changes, kept until they are written.
    pub leaving: Rc<Vec<Rc<ClassSet>>>,
}

/// Compared by identity for the class sets, as [`crate::core::app::AppState`] compares its large
/// parts: the state is compared on every render.
impl PartialEq for ClassView {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.set, &o.set)
            && Rc::ptr_eq(&self.leaving, &o.leaving)
            && self.opened.as_ref().map(Rc::as_ptr) == o.opened.as_ref().map(Rc::as_ptr)
            && (self.shown, self.loaded, self.dirty) == (o.shown, o.loaded, o.dirty)
            && self.filter == o.filter
    }
}

/// What can happen to the class view.
#[derive(Clone, Debug)]
pub enum ClassMsg {
    /// Show the class view, or the document again.
    Show(bool),
    /// Open a batch of students' files (picked, dropped, or a folder's).
    OpenFiles(Rc<Vec<ClassFile>>),
    /// Place the files made on another document by their quotes.
    AnchorByQuote,
    /// Remove the student with this name key.
    RemoveStudent(String),
    /// Forget the whole class (the teacher confirmed).
    Clear,
    /// Choose the answer key, or none.
    SetKey(Option<KeyChoice>),
    /// Hide names (or show them).
    HideNames(bool),
    /// Show the heat of all tags or one.
    SetHeatFilter(Filter),
    /// Close the report of the last batch.
    DismissReport,
    /// The stored class of a document was read ([`ClassView::load`]).
    Loaded {
        /// The document.
        doc: String,
        /// What storage held.
        set: Option<Rc<ClassSet>>,
        /// What to tell the teacher (damaged data backed up), if anything.
        problem: Option<Problem>,
    },
    /// A save of a class finished ([`ClassView::flush`]).
    Saved {
        /// The class as it was saved.
        set: Rc<ClassSet>,
        /// What saving did.
        saved: Rc<ClassSaved>,
    },
}

/// What the app must do after a class message: say something, report a storage problem.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Effect {
    /// The state changed.
    pub changed: bool,
    /// For the polite live region.
    pub status: Option<String>,
    /// A storage problem, and whether the state is now stored.
    pub problem: Option<(Problem, bool)>,
    /// Something was written (a save that went well), for the app's "saving works again".
    pub stored: bool,
}

impl Effect {
    fn changed(status: impl Into<Option<String>>) -> Effect {
        Effect {
            changed: true,
            status: status.into(),
            ..Effect::default()
        }
    }
}

impl ClassView {
    /// An empty, unread class for the document with this id.
    pub fn new(document: &str) -> ClassView {
        ClassView {
            shown: false,
            set: Rc::new(ClassSet::new(document)),
            loaded: false,
            dirty: false,
            opened: None,
            filter: Filter::All,
            leaving: Rc::new(Vec::new()),
        }
    }

    /// True when a class waits to be written.
    pub fn unsaved(&self) -> bool {
        self.dirty || !self.leaving.is_empty()
    }

    /// Switches to the class of the document with this id (the view closes), keeping the one
    /// left until it is written if it has changes; a class left unsaved and opened again starts
    /// from its unsaved state.
    pub fn open(&mut self, document: &str) {
        if self.set.document() == document {
            return;
        }
        let mut leaving = (*self.leaving).clone();
        if self.dirty {
            leaving.retain(|s| s.document() != self.set.document());
            leaving.push(self.set.clone());
        }
        let kept = leaving.iter().position(|s| s.document() == document);
        let kept = kept.map(|i| leaving.remove(i));
        self.leaving = Rc::new(leaving);
        self.dirty = kept.is_some();
        self.loaded = kept.is_some();
        self.set = kept.unwrap_or_else(|| Rc::new(ClassSet::new(document)));
        self.shown = false;
        self.opened = None;
        self.filter = Filter::All;
    }

    /// Changes the class, if it has been read.
    fn change(&mut self, change: impl FnOnce(&mut ClassSet) -> Effect) -> Effect {
        if !self.loaded {
            return Effect::changed(
                "The class is still being read from this browser's storage: nothing was changed. Try again in a moment.".to_string(),
            );
        }
        let mut set = (*self.set).clone();
        let effect = change(&mut set);
        if set != *self.set {
            self.set = Rc::new(set);
            self.dirty = true;
        }
        effect
    }

    /// Applies one message; `doc` is the open document.
    pub fn update(&mut self, msg: ClassMsg, doc: &Document) -> Effect {
        match msg {
            ClassMsg::Show(shown) => {
                self.shown = shown;
                Effect::changed(None)
            }
            ClassMsg::OpenFiles(files) => {
                let mut opened = None;
                let effect = self.change(|set| {
                    let o = set.add_files(doc, &files);
                    let said = o.summary();
                    opened = Some(Rc::new(o));
                    Effect::changed(said)
                });
                self.opened = opened.or(self.opened.take());
                effect
            }
            ClassMsg::AnchorByQuote => {
                let mut opened = None;
                let effect = self.change(|set| {
                    if set.aside().is_empty() {
                        return Effect::default();
                    }
                    let o = set.anchor_aside(doc);
                    let said = o.placed_summary();
                    opened = Some(Rc::new(o));
                    Effect::changed(said)
                });
                self.opened = opened.or(self.opened.take());
                effect
            }
            ClassMsg::RemoveStudent(key) => self.change(|set| {
                let name = set.name_of(&key, set.hidden());
                match name {
                    Some(name) if set.remove_student(&key) => {
                        Effect::changed(format!("Removed {name} from the class."))
                    }
                    _ => Effect::default(),
                }
            }),
            ClassMsg::Clear => self.change(|set| {
                set.clear();
                Effect::changed(
                    "Cleared the class. The students' files themselves are unchanged.".to_string(),
                )
            }),
            ClassMsg::SetKey(key) => self.change(|set| {
                let said = match &key {
                    None => "There is no answer key now.".to_string(),
                    Some(KeyChoice::Teacher) => {
                        "Your own annotations are the answer key.".to_string()
                    }
                    Some(KeyChoice::Student(k)) => match set.name_of(k, set.hidden()) {
                        Some(name) => format!("{name}'s annotations are the answer key."),
                        None => return Effect::default(),
                    },
                };
                if set.set_key(key) {
                    Effect::changed(said)
                } else {
                    Effect::default()
                }
            }),
            ClassMsg::HideNames(hide) => self.change(|set| {
                set.set_hidden(hide);
                Effect::changed(if hide {
                    "Names are hidden: students are shown as Student A, Student B and so on, exports included.".to_string()
                } else {
                    "Names are shown.".to_string()
                })
            }),
            ClassMsg::SetHeatFilter(filter) => {
                let changed = filter != self.filter;
                self.filter = filter;
                Effect {
                    changed,
                    ..Effect::default()
                }
            }
            ClassMsg::DismissReport => Effect {
                changed: self.opened.take().is_some(),
                ..Effect::default()
            },
            ClassMsg::Loaded { doc, set, problem } => {
                if doc != self.set.document() || self.loaded {
                    return Effect::default();
                }
                if let Some(set) = set {
                    self.set = set;
                }
                self.loaded = true;
                // Damaged data was backed up: the next save writes afresh over it.
                self.dirty |= matches!(problem, Some(Problem::BackedUp(_)));
                Effect {
                    changed: true,
                    problem: problem.map(|p| (p, true)),
                    ..Effect::default()
                }
            }
            ClassMsg::Saved { set, saved } => {
                if saved.ok {
                    if Rc::ptr_eq(&set, &self.set) {
                        self.dirty = false;
                    }
                    let mut leaving = (*self.leaving).clone();
                    leaving.retain(|s| !Rc::ptr_eq(s, &set));
                    self.leaving = Rc::new(leaving);
                }
                Effect {
                    changed: true,
                    problem: saved.problem.clone().map(|p| (p, saved.ok)),
                    stored: saved.ok,
                    ..Effect::default()
                }
            }
        }
    }

    /// Reads the stored class of `doc` when it has not been read (after start-up and after every
    /// switch of document), for the view to take in.
    pub fn load(&self, doc: &Document, kv: &mut dyn KeyValue) -> Option<ClassMsg> {
        if self.loaded || self.set.document() != doc.id {
            return None;
        }
        let (set, problem) = load_class(kv, doc);
        Some(ClassMsg::Loaded {
            doc: doc.id.clone(),
            set: set.map(Rc::new),
            problem,
        })
    }

    /// Writes every class waiting — those left, then the open one — and returns what each save
    /// did, for the view to take in.
    pub fn flush(&self, kv: &mut dyn KeyValue) -> Vec<ClassMsg> {
        let open = self.dirty.then_some(&self.set);
        self.leaving
            .iter()
            .chain(open)
            .map(|set| ClassMsg::Saved {
                set: set.clone(),
                saved: Rc::new(save_class(kv, set)),
            })
            .collect()
    }
}
