//! The annotation store: a deterministic reducer with undo/redo and a lossless merge.
//!
//! Ids and timestamps come in through actions, so the same actions always give the same store.
//! Every change is stamped by a hybrid logical clock ([`Store::stamp`]): the wall-clock time it
//! came with, raised past every stamp this store has seen, so that a later edit or delete always
//! wins over what it saw, whatever any device's clock says.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::tags::{default_tags, Tag};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// One annotation: a code-point span of the canonical text, its tags and an optional note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotation {
    /// Stable id (a UUID).
    pub id: String,
    /// First code point of the passage.
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// The passage's text when it was made (for re-anchoring and export).
    pub quote: String,
    /// Tag ids, in the order they were added.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The user's note; empty when none.
    #[serde(default)]
    pub note: String,
    /// When it was made.
    pub created: Millis,
    /// When it last changed.
    pub modified: Millis,
    /// Who made it, when the user set a name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    /// `modified` times of the versions this one descends from (newest last, at most
    /// [`HISTORY_LIMIT`]): lets an import tell an update from a conflicting parallel edit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Millis>,
    /// Imported but not found in the text: kept and listed, never silently dropped; `start`
    /// and `end` then only record where the file said it was.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub orphan: bool,
    /// Set on the copy an import keeps beside an annotation both sides changed: the id of
    /// the local version it conflicts with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict_of: Option<String>,
}

/// How many ancestor versions an annotation remembers.
pub const HISTORY_LIMIT: usize = 32;

impl Annotation {
    /// A placed annotation with no quote, note, times or history: the core's tests build their
    /// layouts and pieces from these.
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub(crate) fn bare(id: &str, start: usize, end: usize, tags: &[&str]) -> Annotation {
        Annotation {
            id: id.into(),
            start,
            end,
            quote: String::new(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            note: String::new(),
            created: 0,
            modified: 0,
            creator: None,
            history: vec![],
            orphan: false,
            conflict_of: None,
        }
    }

    /// True when this version already contains `other` (same version, or `other` is an ancestor).
    pub fn descends_from(&self, other: &Annotation) -> bool {
        self.modified == other.modified && self.same_content(other)
            || self.history.contains(&other.modified)
    }

    /// Same passage, tags, note and creator (times and history aside).
    pub fn same_content(&self, other: &Annotation) -> bool {
        (
            self.start,
            self.end,
            &self.quote,
            &self.tags,
            &self.note,
            &self.creator,
            self.orphan,
        ) == (
            other.start,
            other.end,
            &other.quote,
            &other.tags,
            &other.note,
            &other.creator,
            other.orphan,
        )
    }
}

impl Annotation {
    /// Length in code points.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True for an empty span (never stored).
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// What the user (or another tab) does to the store.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Highlights `[start, end)` with the given tags.
    Create {
        /// New annotation's id.
        id: String,
        /// First code point.
        start: usize,
        /// One past the last code point.
        end: usize,
        /// The text of the span.
        quote: String,
        /// Initial tag ids.
        tags: Vec<String>,
        /// Creator name, if set.
        creator: Option<String>,
        /// Now.
        at: Millis,
    },
    /// Adds a tag to an annotation, or removes it when present.
    ToggleTag {
        /// Annotation id.
        id: String,
        /// Tag id.
        tag: String,
        /// Now.
        at: Millis,
    },
    /// Replaces an annotation's note. Consecutive edits of the same note (typing) form one undo
    /// step until [`Action::FinishNote`].
    SetNote {
        /// Annotation id.
        id: String,
        /// The new note.
        note: String,
        /// Now.
        at: Millis,
    },
    /// The note field was left: the next note edit starts a new undo step.
    FinishNote,
    /// Deletes an annotation.
    Delete {
        /// Annotation id.
        id: String,
        /// Now.
        at: Millis,
    },
    /// Adds a user theme and, when `apply_to` names an annotation, tags it (one undo step).
    AddCustomTag {
        /// The new tag.
        tag: Tag,
        /// Annotation to tag with it.
        apply_to: Option<String>,
        /// Now.
        at: Millis,
    },
    /// Undoes the last change.
    Undo {
        /// Now.
        at: Millis,
    },
    /// Redoes the last undone change.
    Redo {
        /// Now.
        at: Millis,
    },
    /// Takes in what another tab (or storage) holds; never undoable, never loses local work.
    Merge(Snapshot),
    /// Puts imported annotations (new, updated, conflict copies, orphans) and themes, as one
    /// undo step, keeping their own times.
    Import {
        /// Annotations to insert or replace.
        put: Vec<Annotation>,
        /// Themes the import needs.
        tags: Vec<Tag>,
        /// What the step is called in messages ("Imported 3 annotations from x.json.").
        label: String,
    },
}

/// The persistent part of a store: what storage and other tabs exchange.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Annotations in document order.
    pub annotations: Vec<Annotation>,
    /// Tombstones: id → when it was deleted, so a merge does not bring a deleted one back.
    pub deleted: BTreeMap<String, Millis>,
    /// The user's own themes.
    pub custom_tags: Vec<Tag>,
}

/// What a change did, in words for the live region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// A sentence such as "Tagged “…” as Pillar II."
    pub message: String,
}

/// Why an action could not be applied; the store is unchanged.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    /// The span is empty or reversed.
    #[error("Select some text first.")]
    EmptySpan,
    /// No annotation has that id.
    #[error("That annotation no longer exists.")]
    NoSuchAnnotation,
    /// An id is already taken.
    #[error("An annotation with that id already exists.")]
    DuplicateId,
    /// The tag id is unknown.
    #[error("Unknown tag.")]
    NoSuchTag,
    /// Undo with an empty history.
    #[error("Nothing to undo.")]
    NothingToUndo,
    /// Redo with nothing undone.
    #[error("Nothing to redo.")]
    NothingToRedo,
    /// An import that changes nothing.
    #[error("Nothing new to import: everything in the file is already here.")]
    NothingToImport,
    /// An id that is empty or too long to store and read back.
    #[error("An annotation needs an id of 1 to {MAX_ID_CHARS} characters.")]
    BadId,
}

/// Longest annotation id kept (ids are UUIDs here; files may bring IRIs).
pub const MAX_ID_CHARS: usize = 300;

#[derive(Clone, Debug, PartialEq)]
enum Edit {
    Annotation {
        id: String,
        before: Option<Annotation>,
        after: Option<Annotation>,
    },
    CustomTag {
        before: Option<Tag>,
        after: Option<Tag>,
    },
}

impl Edit {
    fn inverse(&self) -> Edit {
        match self {
            Edit::Annotation { id, before, after } => Edit::Annotation {
                id: id.clone(),
                before: after.clone(),
                after: before.clone(),
            },
            Edit::CustomTag { before, after } => Edit::CustomTag {
                before: after.clone(),
                after: before.clone(),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Batch {
    label: String,
    edits: Vec<Edit>,
    /// The annotation whose note is being typed into this step, while it is.
    typing: Option<String>,
}

/// How many changes undo remembers.
pub const UNDO_LIMIT: usize = 500;

/// The annotations of one document, the user's themes, and the undo history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Store {
    /// Shared so that cloning the store (once per change, as the UI keeps the old state) copies
    /// pointers, and so that the UI can tell changed annotations by pointer.
    /// Keyed by shared ids: the clone per change copies pointers, not 10,000 strings.
    annotations: BTreeMap<Rc<str>, Rc<Annotation>>,
    deleted: BTreeMap<String, Millis>,
    custom_tags: Vec<Tag>,
    /// Where each of the user's themes stands in `custom_tags`, by id: a file with thousands of
    /// themes is taken in with one lookup per theme, not one scan.
    custom_index: BTreeMap<String, usize>,
    /// Shared, like the annotations: the store is cloned once per change (typing a note is one
    /// change per key), and an import's step can hold thousands of edits.
    undo: Vec<Rc<Batch>>,
    redo: Vec<Rc<Batch>>,
    revision: u64,
    /// The highest stamp seen (times, tombstones, histories): the logical clock's state.
    clock: Millis,
}

fn builtin_tags() -> &'static [Tag] {
    static TAGS: OnceLock<Vec<Tag>> = OnceLock::new();
    TAGS.get_or_init(default_tags)
}

/// Shortens a quote for messages: at most `max` code points, with an ellipsis.
pub fn short_quote(quote: &str, max: usize) -> String {
    let flat: String = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

impl Store {
    /// An empty store.
    pub fn new() -> Store {
        Store::default()
    }

    /// Bumps on every change that storage must see.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The logical clock: the highest stamp this store has seen.
    pub fn clock(&self) -> Millis {
        self.clock
    }

    /// The stamp for a change made at wall-clock time `at`: `at`, or one past the highest stamp
    /// seen when that is later (a clock behind another tab's, or a file dated in the future).
    pub fn stamp(&self, at: Millis) -> Millis {
        at.max(self.clock.saturating_add(1))
    }

    fn see(&mut self, a: &Annotation) {
        let newest = a.history.iter().copied().max().unwrap_or(a.modified);
        self.clock = self.clock.max(a.modified).max(a.created).max(newest);
    }

    /// Number of annotations.
    pub fn len(&self) -> usize {
        self.annotations.len()
    }

    /// True when there are no annotations.
    pub fn is_empty(&self) -> bool {
        self.annotations.is_empty()
    }

    /// An annotation by id.
    pub fn get(&self, id: &str) -> Option<&Annotation> {
        self.annotations.get(id).map(|a| &**a)
    }

    /// An annotation by id, as its shared pointer.
    pub fn get_shared(&self, id: &str) -> Option<&Rc<Annotation>> {
        self.annotations.get(id)
    }

    /// Every annotation with its id, in id order, as shared pointers (for diffing two versions).
    pub fn shared_by_id(&self) -> impl Iterator<Item = (&Rc<str>, &Rc<Annotation>)> {
        self.annotations.iter()
    }

    /// Every annotation (placed and not), by id, as shared pointers: a changed annotation is a
    /// new pointer, an unchanged one keeps its pointer across changes.
    pub fn shared(&self) -> impl Iterator<Item = &Rc<Annotation>> {
        self.annotations.values()
    }

    /// All placed annotations in document order (start, then end, then id).
    pub fn in_document_order(&self) -> Vec<&Annotation> {
        let mut v: Vec<&Annotation> = self
            .annotations
            .values()
            .map(|a| &**a)
            .filter(|a| !a.orphan)
            .collect();
        v.sort_unstable_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
        v
    }

    /// Imported annotations that could not be placed in the text, oldest first.
    pub fn orphans(&self) -> Vec<&Annotation> {
        let mut v: Vec<&Annotation> = self
            .annotations
            .values()
            .map(|a| &**a)
            .filter(|a| a.orphan)
            .collect();
        v.sort_unstable_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        v
    }

    /// When the annotation with this id was deleted here, if it was.
    pub fn deleted_at(&self, id: &str) -> Option<Millis> {
        self.deleted.get(id).copied()
    }

    /// The shortest annotation covering code point `offset` (ties: the one starting last, then id).
    pub fn shortest_at(&self, offset: usize) -> Option<&Annotation> {
        self.annotations
            .values()
            .map(|a| &**a)
            .filter(|a| !a.orphan && a.start <= offset && offset < a.end)
            .min_by(|a, b| {
                (a.len(), std::cmp::Reverse(a.start), &a.id).cmp(&(
                    b.len(),
                    std::cmp::Reverse(b.start),
                    &b.id,
                ))
            })
    }

    /// Built-in tags followed by the user's themes.
    pub fn tags(&self) -> Vec<Tag> {
        builtin_tags()
            .iter()
            .chain(self.custom_tags.iter())
            .cloned()
            .collect()
    }

    /// A tag by id, built-in or the user's.
    pub fn tag(&self, id: &str) -> Option<&Tag> {
        builtin_tags()
            .iter()
            .find(|t| t.id == id)
            .or_else(|| self.custom_index.get(id).map(|&i| &self.custom_tags[i]))
    }

    /// Adds a theme unless one with its id is here; true when it was added.
    fn add_custom_tag(&mut self, t: &Tag) -> bool {
        if self.tag(&t.id).is_some() {
            return false;
        }
        self.custom_index
            .insert(t.id.clone(), self.custom_tags.len());
        self.custom_tags.push(t.clone());
        true
    }

    /// The user's own themes.
    pub fn custom_tags(&self) -> &[Tag] {
        &self.custom_tags
    }

    /// True when there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// True when there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// What storage keeps: annotations in document order, tombstones, user themes.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            annotations: self
                .in_document_order()
                .into_iter()
                .chain(self.orphans())
                .cloned()
                .collect(),
            deleted: self.deleted.clone(),
            custom_tags: self.custom_tags.clone(),
        }
    }

    fn tag_label(&self, id: &str) -> String {
        self.tag(id)
            .map_or_else(|| id.to_string(), |t| t.label.clone())
    }

    fn existing(&self, id: &str) -> Result<&Annotation, StoreError> {
        self.annotations
            .get(id)
            .map(|a| &**a)
            .ok_or(StoreError::NoSuchAnnotation)
    }

    /// Applies an action; on error nothing changes.
    pub fn apply(&mut self, action: Action) -> Result<Outcome, StoreError> {
        match action {
            Action::Undo { at } => self.step(true, self.stamp(at)),
            Action::Redo { at } => self.step(false, self.stamp(at)),
            Action::FinishNote => {
                if let Some(b) = self.undo.last_mut().filter(|b| b.typing.is_some()) {
                    Rc::make_mut(b).typing = None;
                }
                Ok(Outcome {
                    message: String::new(),
                })
            }
            Action::SetNote { id, note, at } if self.typing(&id) => {
                self.retype(id, note, self.stamp(at))
            }
            Action::Merge(snapshot) => {
                let n = self.merge(&snapshot);
                let message = match n {
                    0 => String::new(),
                    1 => "1 change arrived from another tab.".into(),
                    n => format!("{n} changes arrived from another tab."),
                };
                Ok(Outcome { message })
            }
            Action::Import { put, tags, .. }
                if put.is_empty() && tags.iter().all(|t| self.tag(&t.id).is_some()) =>
            {
                Err(StoreError::NothingToImport)
            }
            action => {
                let typing = match &action {
                    Action::SetNote { id, .. } => Some(id.clone()),
                    _ => None,
                };
                let (label, edits, at) = self.plan(self.stamped(action))?;
                let out = self.commit(label, edits, at);
                if let (Some(b), Some(_)) = (self.undo.last_mut(), &typing) {
                    Rc::make_mut(b).typing = typing;
                }
                out
            }
        }
    }

    /// The action with its wall-clock time replaced by this store's stamp for it.
    fn stamped(&self, mut action: Action) -> Action {
        match &mut action {
            Action::Create { at, .. }
            | Action::ToggleTag { at, .. }
            | Action::SetNote { at, .. }
            | Action::Delete { at, .. }
            | Action::AddCustomTag { at, .. }
            | Action::Undo { at }
            | Action::Redo { at } => *at = self.stamp(*at),
            Action::FinishNote | Action::Merge(_) | Action::Import { .. } => {}
        }
        action
    }

    /// True while the note of `id` is being typed into the last undo step.
    fn typing(&self, id: &str) -> bool {
        self.redo.is_empty()
            && self
                .undo
                .last()
                .is_some_and(|b| b.typing.as_deref() == Some(id))
            && self.annotations.contains_key(id)
    }

    /// One more keystroke of a note being typed: the last step's result changes, its start does not.
    fn retype(&mut self, id: String, note: String, at: Millis) -> Result<Outcome, StoreError> {
        let old = self.existing(&id)?.clone();
        if old.note == note {
            return Ok(Outcome {
                message: String::new(),
            });
        }
        let mut new = old.clone();
        new.note = note;
        new.modified = at;
        let edit = self.replace(&old, new);
        self.apply_edit(&edit, at);
        let batch = Rc::make_mut(self.undo.last_mut().expect("typing implies a step"));
        if let Some(Edit::Annotation { after, .. }) = batch.edits.last_mut() {
            *after = self.annotations.get(id.as_str()).map(|a| (**a).clone());
        }
        self.revision += 1;
        // Each keystroke is saved but not announced: a live region reading every key would drown
        // a screen reader; leaving the field announces the note once.
        Ok(Outcome {
            message: String::new(),
        })
    }

    fn plan(&self, action: Action) -> Result<(String, Vec<Edit>, Millis), StoreError> {
        Ok(match action {
            Action::Create {
                id,
                start,
                end,
                quote,
                tags,
                creator,
                at,
            } => {
                if id.is_empty() || id.chars().count() > MAX_ID_CHARS {
                    return Err(StoreError::BadId);
                }
                if start >= end {
                    return Err(StoreError::EmptySpan);
                }
                if self.annotations.contains_key(id.as_str()) {
                    return Err(StoreError::DuplicateId);
                }
                if let Some(bad) = tags.iter().find(|t| self.tag(t).is_none()) {
                    let _ = bad;
                    return Err(StoreError::NoSuchTag);
                }
                let mut unique: Vec<String> = Vec::new();
                for t in tags {
                    if !unique.contains(&t) {
                        unique.push(t);
                    }
                }
                let label = if unique.is_empty() {
                    format!("Highlighted “{}”.", short_quote(&quote, 40))
                } else {
                    let names: Vec<String> = unique.iter().map(|t| self.tag_label(t)).collect();
                    format!(
                        "Tagged “{}” as {}.",
                        short_quote(&quote, 40),
                        names.join(", ")
                    )
                };
                let a = Annotation {
                    id: id.clone(),
                    start,
                    end,
                    quote,
                    tags: unique,
                    note: String::new(),
                    created: at,
                    modified: at,
                    creator,
                    history: Vec::new(),
                    orphan: false,
                    conflict_of: None,
                };
                let edit = Edit::Annotation {
                    id,
                    before: None,
                    after: Some(a),
                };
                (label, vec![edit], at)
            }
            Action::ToggleTag { id, tag, at } => {
                let old = self.existing(&id)?;
                if self.tag(&tag).is_none() {
                    return Err(StoreError::NoSuchTag);
                }
                let mut new = old.clone();
                let label;
                if let Some(i) = new.tags.iter().position(|t| *t == tag) {
                    new.tags.remove(i);
                    label = format!(
                        "Removed {} from “{}”.",
                        self.tag_label(&tag),
                        short_quote(&old.quote, 40)
                    );
                } else {
                    new.tags.push(tag.clone());
                    label = format!(
                        "Tagged “{}” as {}.",
                        short_quote(&old.quote, 40),
                        self.tag_label(&tag)
                    );
                }
                new.modified = at;
                (label, vec![self.replace(old, new)], at)
            }
            Action::SetNote { id, note, at } => {
                let old = self.existing(&id)?;
                let mut new = old.clone();
                new.note = note;
                new.modified = at;
                let label = if new.note.is_empty() {
                    format!("Removed the note on “{}”.", short_quote(&old.quote, 40))
                } else {
                    format!("Saved the note on “{}”.", short_quote(&old.quote, 40))
                };
                (label, vec![self.replace(old, new)], at)
            }
            Action::Delete { id, at } => {
                let old = self.existing(&id)?;
                let label = format!("Deleted “{}”.", short_quote(&old.quote, 40));
                let edit = Edit::Annotation {
                    id,
                    before: Some(old.clone()),
                    after: None,
                };
                (label, vec![edit], at)
            }
            Action::AddCustomTag { tag, apply_to, at } => {
                let mut edits = vec![Edit::CustomTag {
                    before: None,
                    after: Some(tag.clone()),
                }];
                let mut label = format!("Added the theme {}.", tag.label);
                if let Some(id) = apply_to {
                    let old = self.existing(&id)?;
                    let mut new = old.clone();
                    new.tags.push(tag.id.clone());
                    new.modified = at;
                    label = format!(
                        "Added the theme {} and tagged “{}” with it.",
                        tag.label,
                        short_quote(&old.quote, 40)
                    );
                    edits.push(self.replace(old, new));
                }
                (label, edits, at)
            }
            Action::Import { put, tags, label } => {
                let mut edits: Vec<Edit> = tags
                    .into_iter()
                    .filter(|t| self.tag(&t.id).is_none())
                    .map(|t| Edit::CustomTag {
                        before: None,
                        after: Some(t),
                    })
                    .collect();
                for a in put {
                    if a.is_empty() && !a.orphan {
                        return Err(StoreError::EmptySpan);
                    }
                    if a.id.is_empty() || a.id.chars().count() > MAX_ID_CHARS {
                        return Err(StoreError::BadId);
                    }
                    edits.push(Edit::Annotation {
                        id: a.id.clone(),
                        before: self.annotations.get(a.id.as_str()).map(|x| (**x).clone()),
                        after: Some(a),
                    });
                }
                // Imported versions keep their own times: no "now" to bump them to.
                (label, edits, Millis::MIN)
            }
            Action::Undo { .. } | Action::Redo { .. } | Action::Merge(_) | Action::FinishNote => {
                unreachable!("handled in apply")
            }
        })
    }

    fn replace(&self, old: &Annotation, new: Annotation) -> Edit {
        Edit::Annotation {
            id: old.id.clone(),
            before: Some(old.clone()),
            after: Some(new),
        }
    }

    fn commit(
        &mut self,
        label: String,
        edits: Vec<Edit>,
        at: Millis,
    ) -> Result<Outcome, StoreError> {
        for e in &edits {
            self.apply_edit(e, at);
        }
        self.undo.push(Rc::new(Batch {
            label: label.clone(),
            edits,
            typing: None,
        }));
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.revision += 1;
        Ok(Outcome { message: label })
    }

    fn step(&mut self, undo: bool, at: Millis) -> Result<Outcome, StoreError> {
        let (from, err) = if undo {
            (&mut self.undo, StoreError::NothingToUndo)
        } else {
            (&mut self.redo, StoreError::NothingToRedo)
        };
        let batch = from.pop().ok_or(err)?;
        let edits: Vec<Edit> = if undo {
            batch.edits.iter().rev().map(Edit::inverse).collect()
        } else {
            batch.edits.clone()
        };
        for e in &edits {
            self.apply_edit(e, at);
        }
        let message = format!("{} {}", if undo { "Undid:" } else { "Redid:" }, batch.label);
        if undo {
            self.redo.push(batch);
        } else {
            self.undo.push(batch);
        }
        self.revision += 1;
        Ok(Outcome { message })
    }

    /// Sets the store to `after`; a restored annotation counts as changed now, so that a
    /// merge with an older copy or an older tombstone keeps it.
    fn apply_edit(&mut self, edit: &Edit, at: Millis) {
        match edit {
            Edit::Annotation { id, after, .. } => match after {
                Some(a) => {
                    let mut a = a.clone();
                    a.modified = a.modified.max(at);
                    // The new version descends from whatever version is here now.
                    if let Some(current) = self.annotations.get(id.as_str()) {
                        for t in current.history.iter().copied().chain([current.modified]) {
                            if !a.history.contains(&t) && t != a.modified {
                                a.history.push(t);
                            }
                        }
                        a.history.sort_unstable();
                        let excess = a.history.len().saturating_sub(HISTORY_LIMIT);
                        a.history.drain(..excess);
                    }
                    self.deleted.remove(id);
                    self.see(&a);
                    self.annotations.insert(Rc::from(id.as_str()), Rc::new(a));
                }
                None => {
                    self.annotations.remove(id.as_str());
                    self.deleted.insert(id.clone(), at);
                    self.clock = self.clock.max(at);
                }
            },
            // A theme, once made, stays available: undo takes it off the annotation but not
            // out of the taxonomy, because other tabs (and files) may already use it and a
            // merge must never have to choose between losing it and resurrecting it.
            Edit::CustomTag { after, .. } => {
                if let Some(t) = after {
                    self.add_custom_tag(t);
                }
            }
        }
    }

    /// Takes in another copy's state without losing either side: the newer version of each
    /// annotation wins, a tombstone removes only what is not newer than it, unknown themes are
    /// added. Returns how many things changed here.
    pub fn merge(&mut self, other: &Snapshot) -> usize {
        let mut changed = 0;
        for (id, &t) in &other.deleted {
            self.clock = self.clock.max(t);
            let mine = self.deleted.entry(id.clone()).or_insert(t);
            *mine = (*mine).max(t);
            if self
                .annotations
                .get(id.as_str())
                .is_some_and(|a| a.modified <= t)
            {
                self.annotations.remove(id.as_str());
                changed += 1;
            }
        }
        for a in &other.annotations {
            self.see(a);
            if (a.is_empty() && !a.orphan)
                || self.deleted.get(&a.id).is_some_and(|&t| t >= a.modified)
            {
                continue;
            }
            let take = match self.annotations.get(a.id.as_str()) {
                None => true,
                Some(mine) => {
                    a.modified > mine.modified
                        || (a.modified == mine.modified && a != &**mine && newer_tie(a, mine))
                }
            };
            if take {
                self.deleted.remove(&a.id);
                self.annotations
                    .insert(Rc::from(a.id.as_str()), Rc::new(a.clone()));
                changed += 1;
            }
        }
        for t in &other.custom_tags {
            if self.add_custom_tag(t) {
                changed += 1;
            }
        }
        if changed > 0 {
            self.revision += 1;
        }
        changed
    }
}

/// A deterministic choice between two different versions with the same time, so that every
/// tab settles on the same one.
fn newer_tie(a: &Annotation, b: &Annotation) -> bool {
    let key = |x: &Annotation| (x.note.clone(), x.tags.clone(), x.start, x.end);
    key(a) > key(b)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn create(id: &str, start: usize, end: usize, tags: &[&str], at: Millis) -> Action {
        Action::Create {
            id: id.into(),
            start,
            end,
            quote: format!("q{start}-{end}"),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            creator: None,
            at,
        }
    }

    #[test]
    fn create_tag_note_delete_with_messages() {
        let mut s = Store::new();
        let o = s.apply(create("a", 3, 9, &["pillar-2"], 10)).unwrap();
        assert_eq!(o.message, "Tagged “q3-9” as Pillar II.");
        assert_eq!(s.len(), 1);
        s.apply(Action::ToggleTag {
            id: "a".into(),
            tag: "theme-prevention".into(),
            at: 11,
        })
        .unwrap();
        s.apply(Action::SetNote {
            id: "a".into(),
            note: "see ¶4".into(),
            at: 12,
        })
        .unwrap();
        let a = s.get("a").unwrap();
        assert_eq!(a.tags, ["pillar-2", "theme-prevention"]);
        assert_eq!((a.note.as_str(), a.created, a.modified), ("see ¶4", 10, 12));
        assert_eq!(
            a.history,
            [10, 11],
            "each edit remembers the version it came from"
        );
        let v12 = a.clone();
        let o = s
            .apply(Action::ToggleTag {
                id: "a".into(),
                tag: "pillar-2".into(),
                at: 13,
            })
            .unwrap();
        assert_eq!(o.message, "Removed Pillar II from “q3-9”.");
        let v13 = s.get("a").unwrap().clone();
        assert!(v13.descends_from(&v12) && !v12.descends_from(&v13));
        assert!(v13.descends_from(&v13.clone()));
        s.apply(Action::Delete {
            id: "a".into(),
            at: 14,
        })
        .unwrap();
        assert!(s.is_empty());
        assert_eq!(s.snapshot().deleted.get("a"), Some(&14));
    }

    #[test]
    fn bad_actions_change_nothing() {
        let mut s = Store::new();
        s.apply(create("a", 3, 9, &[], 1)).unwrap();
        let before = s.clone();
        assert_eq!(
            s.apply(create("b", 5, 5, &[], 2)),
            Err(StoreError::EmptySpan)
        );
        assert_eq!(
            s.apply(create("b", 6, 5, &[], 2)),
            Err(StoreError::EmptySpan)
        );
        assert_eq!(
            s.apply(create("a", 1, 5, &[], 2)),
            Err(StoreError::DuplicateId)
        );
        assert_eq!(
            s.apply(create("b", 1, 5, &["nope"], 2)),
            Err(StoreError::NoSuchTag)
        );
        assert_eq!(
            s.apply(Action::Delete {
                id: "zz".into(),
                at: 2
            }),
            Err(StoreError::NoSuchAnnotation)
        );
        assert_eq!(
            s.apply(Action::Redo { at: 2 }),
            Err(StoreError::NothingToRedo)
        );
        assert_eq!(s, before);
    }

    #[test]
    fn delete_then_undo_then_redo() {
        let mut s = Store::new();
        s.apply(create("a", 0, 4, &["pillar-1"], 1)).unwrap();
        s.apply(Action::Delete {
            id: "a".into(),
            at: 2,
        })
        .unwrap();
        assert!(s.get("a").is_none());
        let o = s.apply(Action::Undo { at: 3 }).unwrap();
        assert_eq!(o.message, "Undid: Deleted “q0-4”.");
        let a = s.get("a").unwrap();
        assert_eq!((a.start, a.end, a.modified), (0, 4, 3));
        assert!(s.snapshot().deleted.is_empty());
        s.apply(Action::Redo { at: 4 }).unwrap();
        assert!(s.get("a").is_none());
        s.apply(Action::Undo { at: 5 }).unwrap();
        s.apply(Action::Undo { at: 6 }).unwrap();
        assert!(s.is_empty());
        assert_eq!(
            s.apply(Action::Undo { at: 7 }),
            Err(StoreError::NothingToUndo)
        );
    }

    #[test]
    fn new_change_clears_redo_and_custom_tag_is_one_step() {
        let mut s = Store::new();
        s.apply(create("a", 0, 4, &[], 1)).unwrap();
        s.apply(Action::Undo { at: 2 }).unwrap();
        s.apply(create("b", 0, 4, &[], 3)).unwrap();
        assert!(!s.can_redo());
        let tag = super::super::tags::new_custom_tag("Media", &s.tags()).unwrap();
        s.apply(Action::AddCustomTag {
            tag: tag.clone(),
            apply_to: Some("b".into()),
            at: 4,
        })
        .unwrap();
        assert_eq!(s.get("b").unwrap().tags, std::slice::from_ref(&tag.id));
        assert_eq!(s.tag(&tag.id).unwrap().label, "Media");
        s.apply(Action::Undo { at: 5 }).unwrap();
        assert!(s.get("b").unwrap().tags.is_empty());
        assert_eq!(
            s.custom_tags(),
            std::slice::from_ref(&tag),
            "the theme stays available"
        );
        s.apply(Action::Redo { at: 6 }).unwrap();
        assert_eq!(s.get("b").unwrap().tags, std::slice::from_ref(&tag.id));
        assert_eq!(s.custom_tags().len(), 1);
        // A save read back by the same tab brings in nothing new.
        assert_eq!(s.clone().merge(&s.snapshot()), 0);
    }

    #[test]
    fn shortest_annotation_wins_at_a_point() {
        let mut s = Store::new();
        s.apply(create("long", 0, 100, &[], 1)).unwrap();
        s.apply(create("mid", 10, 30, &[], 1)).unwrap();
        s.apply(create("short", 15, 20, &[], 1)).unwrap();
        assert_eq!(s.shortest_at(16).unwrap().id, "short");
        assert_eq!(s.shortest_at(25).unwrap().id, "mid");
        assert_eq!(s.shortest_at(5).unwrap().id, "long");
        assert!(s.shortest_at(100).is_none());
        let order: Vec<&str> = s
            .in_document_order()
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(order, ["long", "mid", "short"]);
    }

    #[test]
    fn merge_keeps_both_sides_and_respects_tombstones() {
        let mut a = Store::new();
        let mut b = Store::new();
        a.apply(create("x", 0, 5, &[], 1)).unwrap();
        b.merge(&a.snapshot());
        a.apply(create("from-a", 1, 2, &[], 2)).unwrap();
        b.apply(create("from-b", 3, 4, &[], 2)).unwrap();
        b.apply(Action::Delete {
            id: "x".into(),
            at: 3,
        })
        .unwrap();
        a.merge(&b.snapshot());
        b.merge(&a.snapshot());
        assert_eq!(a.snapshot(), b.snapshot());
        let ids: Vec<String> = a.snapshot().annotations.into_iter().map(|x| x.id).collect();
        assert_eq!(ids, ["from-a", "from-b"]);
        // Undo of the delete in b is newer than the tombstone: it comes back everywhere.
        b.apply(Action::Undo { at: 9 }).unwrap();
        a.merge(&b.snapshot());
        assert!(a.get("x").is_some());
        assert_eq!(
            a.merge(&b.snapshot()),
            0,
            "merging the same state twice changes nothing"
        );
    }

    fn arb_actions() -> impl Strategy<Value = Vec<(u8, usize, usize, u8)>> {
        proptest::collection::vec((0u8..6, 0usize..50, 1usize..30, 0u8..5), 1..40)
    }

    fn run(actions: &[(u8, usize, usize, u8)]) -> Store {
        let tags = [
            "pillar-1",
            "pillar-2",
            "pillar-3",
            "theme-prevention",
            "theme-arms-control",
        ];
        let mut s = Store::new();
        for (i, &(kind, x, len, t)) in actions.iter().enumerate() {
            let at = i as Millis + 1;
            let ids: Vec<String> = s.in_document_order().iter().map(|a| a.id.clone()).collect();
            let pick = |n: usize| ids.get(n % ids.len().max(1)).cloned().unwrap_or_default();
            let action = match kind {
                0 | 1 => create(&format!("id{i}"), x, x + len, &[tags[t as usize]], at),
                2 => Action::ToggleTag {
                    id: pick(x),
                    tag: tags[t as usize].into(),
                    at,
                },
                3 => Action::SetNote {
                    id: pick(x),
                    note: format!("n{i}"),
                    at,
                },
                4 => Action::Delete { id: pick(x), at },
                _ => Action::Undo { at },
            };
            let _ = s.apply(action);
        }
        s
    }

    proptest! {
        #[test]
        fn undo_all_then_redo_all_restores_content(actions in arb_actions()) {
            let mut s = run(&actions);
            let content = |s: &Store| -> Vec<(String, usize, usize, Vec<String>, String)> {
                s.in_document_order().iter()
                    .map(|a| (a.id.clone(), a.start, a.end, a.tags.clone(), a.note.clone()))
                    .collect()
            };
            let end_state = content(&s);
            let mut t = 1000;
            let mut undone = 0;
            while s.apply(Action::Undo { at: t }).is_ok() { t += 1; undone += 1; }
            prop_assert!(s.is_empty(), "undoing everything leaves nothing");
            for _ in 0..undone { s.apply(Action::Redo { at: t }).unwrap(); t += 1; }
            prop_assert_eq!(content(&s), end_state);
        }

        #[test]
        fn merge_is_commutative_and_loses_nothing(a in arb_actions(), b in arb_actions()) {
            let sa = run(&a);
            // b's ids must not collide with a's for this property: rename them.
            let mut sb = Store::new();
            for ann in run(&b).in_document_order() {
                let mut ann = ann.clone();
                ann.id = format!("b-{}", ann.id);
                sb.merge(&Snapshot { annotations: vec![ann], ..Default::default() });
            }
            let mut ab = sa.clone();
            ab.merge(&sb.snapshot());
            let mut ba = sb.clone();
            ba.merge(&sa.snapshot());
            prop_assert_eq!(ab.snapshot(), ba.snapshot());
            prop_assert_eq!(ab.len(), sa.len() + sb.len());
        }
    }
}
