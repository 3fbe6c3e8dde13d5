//! The class roster: exported files read, each one student's, merged by student and anchored in
//! the document; files made on another document set aside until the teacher asks for them.

use std::collections::HashMap;

use super::key::KeyChoice;
use super::names::{file_student, hidden_name, name_key, scrambled, tidy};
use crate::core::anchor::{Anchorer, Anchoring, Selectors};
use crate::core::document::Document;
use crate::core::import::{resolve_tags, TagIndex};
use crate::core::store::Millis;
use crate::core::tags::{default_tags, Tag};
use crate::core::w3c::{document_iri, read_file, Incoming, Rejection};

/// One student's annotation in the class set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// The annotation's id in the student's file.
    pub id: String,
    /// First code point (for an unplaced mark: where the file said, or 0).
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The passage (for an unplaced mark: the file's quote, possibly empty).
    pub quote: String,
    /// Tag ids of the class's taxonomy ([`ClassSet::tags`]), in the file's order.
    pub tags: Vec<String>,
    /// The student's note; empty when none.
    pub note: String,
    /// When it was made.
    pub created: Millis,
    /// When it last changed.
    pub modified: Millis,
}

/// One student: every file that carries their name, merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Student {
    /// Their name as first written (white space tidied).
    pub name: String,
    /// What names must share to be theirs ([`name_key`]).
    pub key: String,
    /// The number of their hidden name ([`hidden_name`]).
    pub alias: u32,
    /// The files they came from, in the order opened.
    pub files: Vec<String>,
    /// Annotations placed in the document, by (start, end, id).
    pub marks: Vec<Mark>,
    /// Annotations that could not be placed: kept and counted, never dropped.
    pub unplaced: Vec<Mark>,
}

/// An annotation of a file set aside, waiting to be placed by its quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// What is known of its passage.
    pub selectors: Selectors,
    /// Whether its `source` names this document (its position can then be trusted).
    pub here: bool,
    /// The rest, as it will be kept (`start`, `end` and `quote` are set when it is placed).
    pub mark: Mark,
}

/// A file made on another document: listed, not placed until the teacher asks
/// ([`ClassSet::anchor_aside`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aside {
    /// The file's name.
    pub file: String,
    /// The student's name.
    pub name: String,
    /// Their name key.
    pub key: String,
    /// Their hidden name's number (the student's, once placed).
    pub alias: u32,
    /// Its annotations.
    pub items: Vec<Waiting>,
}

/// A file to open: its name (as the teacher should see it) and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassFile {
    /// The file's name.
    pub name: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// Whether a picked or dropped file is opened as a student's file: a `.json` or `.jsonld` name,
/// or a JSON media type. Anything else in a folder (notes, pictures) is left out, not reported as
/// unreadable.
pub fn takes_file(name: &str, media_type: &str) -> bool {
    let name = name.to_lowercase();
    name.ends_with(".json")
        || name.ends_with(".jsonld")
        || matches!(media_type, "application/json" | "application/ld+json")
}

/// What the status line says of the files [`takes_file`] left out.
pub fn skipped_line(n: usize) -> String {
    if n == 1 {
        "1 file that is not JSON was left out.".into()
    } else {
        format!("{n} files that are not JSON were left out.")
    }
}

impl FileReport {
    /// One line for the teacher: "amina.json: Amina Diallo (new) — 12 placed, 1 not found in
    /// this text"; `file` is the file as shown (its name, or a number while names are hidden:
    /// file names often hold the student's), `name` gives a student's name (or hidden name) from
    /// their name key.
    pub fn line(&self, file: &str, name: impl Fn(&str) -> String) -> String {
        match &self.outcome {
            Outcome::Unreadable(why) => format!("{file}: not opened — {why}"),
            Outcome::Added {
                student,
                joined,
                placed,
                moved,
                unplaced,
                repeated,
                rejected,
            } => {
                let mut parts = vec![format!("{placed} placed")];
                let more = [
                    (*moved, "placed by quote"),
                    (*unplaced, "not found in this text"),
                    (*repeated, "already there"),
                    (rejected.len(), "unreadable items"),
                ];
                parts.extend(
                    more.iter()
                        .filter(|(n, _)| *n > 0)
                        .map(|(n, what)| format!("{n} {what}")),
                );
                format!(
                    "{file}: {} ({}) — {}",
                    name(student),
                    if *joined { "joined" } else { "new" },
                    parts.join(", ")
                )
            }
            Outcome::Aside {
                student,
                annotations,
                ..
            } => format!(
                "{file}: {} — made on another document; {annotations} annotations set aside",
                name(student)
            ),
        }
    }
}

/// What became of one file.
#[derive(Clone, Debug, PartialEq)]
pub struct FileReport {
    /// The file's name.
    pub file: String,
    /// What became of it.
    pub outcome: Outcome,
}

/// What became of one file.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Not an annotation file: nothing was taken from it. The reason, for the teacher.
    Unreadable(String),
    /// Its annotations are the student's (with the student's name key).
    Added {
        /// The student's name key.
        student: String,
        /// The student was in the class already (from another file).
        joined: bool,
        /// Annotations placed where the file said.
        placed: usize,
        /// Annotations placed elsewhere, by their quote (the text differs from the file's).
        moved: usize,
        /// Annotations kept unplaced: their passage was not found.
        unplaced: usize,
        /// Annotations the student had already (same id): kept once, the later version.
        repeated: usize,
        /// Items of the file that are not readable annotations, with where and why.
        rejected: Vec<Rejection>,
    },
    /// Made on another document: set aside (with the student's name key).
    Aside {
        /// The student's name key.
        student: String,
        /// Annotations waiting.
        annotations: usize,
        /// Items that are not readable annotations.
        rejected: Vec<Rejection>,
    },
}

/// What opening files (or placing the files set aside) did, file by file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Opened {
    /// One report per file, in the order given.
    pub files: Vec<FileReport>,
    /// Annotations not searched for: the searching budget of one batch was spent (they are among
    /// the unplaced).
    pub unsearched: usize,
}

impl Opened {
    /// One sentence for the status line after opening files: "Opened 4 files: 2 new students,
    /// 1 file for another document set aside and 1 file could not be read."
    pub fn summary(&self) -> String {
        self.sentence(format!(
            "Opened {}",
            super::count(self.files.len(), "file", "files")
        ))
    }

    /// The same after placing the files set aside: "Placed 1 file by its quotes: 1 new student."
    pub fn placed_summary(&self) -> String {
        let n = self.files.len();
        self.sentence(format!(
            "Placed {} by {} quotes",
            super::count(n, "file", "files"),
            if n == 1 { "its" } else { "their" }
        ))
    }

    /// `head`, then what became of the files.
    fn sentence(&self, head: String) -> String {
        let mut new = 0;
        let mut joined = 0;
        let mut aside = 0;
        let mut unreadable = 0;
        let mut unplaced = 0;
        for f in &self.files {
            match &f.outcome {
                Outcome::Added {
                    joined: j,
                    unplaced: u,
                    ..
                } => {
                    unplaced += u;
                    if *j {
                        joined += 1;
                    } else {
                        new += 1;
                    }
                }
                Outcome::Aside { .. } => aside += 1,
                Outcome::Unreadable(_) => unreadable += 1,
            }
        }
        // (how many, the thing counted, one and many, and what became of them).
        let told = [
            (new, "new student", "new students", ""),
            (
                joined,
                "file",
                "files",
                " added to students already in the class",
            ),
            (aside, "file", "files", " for another document set aside"),
            (unreadable, "file", "files", " could not be read"),
            (
                unplaced,
                "annotation",
                "annotations",
                " not found in the text (kept, listed as unplaced)",
            ),
        ];
        let parts: Vec<String> = told
            .iter()
            .filter(|(n, ..)| *n > 0)
            .map(|&(n, one, many, what)| format!("{}{what}", super::count(n, one, many)))
            .collect();
        if parts.is_empty() {
            format!("{head}.")
        } else {
            format!("{head}: {}.", super::list(&parts))
        }
    }
}

/// The class for one document: its students, the files set aside, the taxonomy their tags come
/// from, the answer key chosen and whether names are hidden.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassSet {
    pub(super) document: String,
    pub(super) tags: Vec<Tag>,
    pub(super) students: Vec<Student>,
    pub(super) aside: Vec<Aside>,
    pub(super) key: Option<KeyChoice>,
    pub(super) hidden: bool,
    /// The next hidden name's number: a number once given stays with its student until the class
    /// is cleared, so "Student C" stays Student C when others come or go.
    pub(super) next_alias: u32,
}

impl ClassSet {
    /// An empty class for the document with this id.
    pub fn new(document: &str) -> ClassSet {
        ClassSet {
            document: document.to_string(),
            tags: default_tags(),
            students: Vec::new(),
            aside: Vec::new(),
            key: None,
            hidden: false,
            next_alias: 0,
        }
    }

    /// The document's id.
    pub fn document(&self) -> &str {
        &self.document
    }

    /// Students, in the order they came (see [`ClassSet::order`] for the order to show).
    pub fn students(&self) -> &[Student] {
        &self.students
    }

    /// Files made on another document, waiting.
    pub fn aside(&self) -> &[Aside] {
        &self.aside
    }

    /// The tags students used, and the built-in ones: pillars, themes, then the students' own
    /// themes in the order they came.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// The students' own themes: the tags after the built-in ones.
    pub fn own_themes(&self) -> &[Tag] {
        &self.tags[default_tags().len()..]
    }

    /// The tag with this id.
    pub fn tag(&self, id: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.id == id)
    }

    /// The answer key chosen, if any.
    pub fn key(&self) -> Option<&KeyChoice> {
        self.key.as_ref()
    }

    /// Whether names are hidden (kept, so that a reload while the screen is shown hides them
    /// still).
    pub fn hidden(&self) -> bool {
        self.hidden
    }

    /// Hides or shows names.
    pub fn set_hidden(&mut self, hidden: bool) {
        self.hidden = hidden;
    }

    /// True when there are no students and no files waiting.
    pub fn is_empty(&self) -> bool {
        self.students.is_empty() && self.aside.is_empty()
    }

    /// The student with this name key.
    pub fn student(&self, key: &str) -> Option<usize> {
        self.students.iter().position(|s| s.key == key)
    }

    /// The order students are shown in: by name, or by hidden name when names are hidden (so
    /// the order itself tells nothing of the names).
    pub fn order(&self, hide: bool) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.students.len()).collect();
        if hide {
            order.sort_unstable_by_key(|&i| self.students[i].alias);
        } else {
            order.sort_unstable_by(|&a, &b| {
                let (a, b) = (&self.students[a], &self.students[b]);
                (&a.key, &a.name, a.alias).cmp(&(&b.key, &b.name, b.alias))
            });
        }
        order
    }

    /// Student `i`'s name, or their hidden name.
    pub fn name(&self, i: usize, hide: bool) -> String {
        let s = &self.students[i];
        if hide {
            hidden_name(s.alias)
        } else {
            s.name.clone()
        }
    }

    /// The name of the student (or file set aside) with this name key, or its hidden name.
    pub fn name_of(&self, key: &str, hide: bool) -> Option<String> {
        let (name, alias) = match self.student(key) {
            Some(i) => (&self.students[i].name, self.students[i].alias),
            None => self
                .aside
                .iter()
                .find(|a| a.key == key)
                .map(|a| (&a.name, a.alias))?,
        };
        Some(if hide {
            hidden_name(alias)
        } else {
            name.clone()
        })
    }

    /// Chooses the answer key; false (and nothing changes) when it names no student of the class.
    pub fn set_key(&mut self, key: Option<KeyChoice>) -> bool {
        if let Some(KeyChoice::Student(k)) = &key {
            if self.student(k).is_none() {
                return false;
            }
        }
        self.key = key;
        true
    }

    /// Removes a student (and their files set aside); false when there is none of that name key.
    /// A key that was theirs is unset.
    pub fn remove_student(&mut self, key: &str) -> bool {
        let before = (self.students.len(), self.aside.len());
        self.students.retain(|s| s.key != key);
        self.aside.retain(|a| a.key != key);
        if self.key == Some(KeyChoice::Student(key.to_string())) {
            self.key = None;
        }
        before != (self.students.len(), self.aside.len())
    }

    /// Forgets every student and file, the students' themes and the key; hidden names stay
    /// hidden.
    pub fn clear(&mut self) {
        *self = ClassSet {
            hidden: self.hidden,
            ..ClassSet::new(&self.document)
        };
    }

    /// Reads a batch of files for `doc` (the class's document): each file is one student's,
    /// merged with the student's other files; a file made on another document (any of its
    /// annotations names another `source`) is set aside whole; an unreadable file changes
    /// nothing. Anchoring trusts a position only where an annotation names this very text as
    /// its source, as an import does.
    pub fn add_files(&mut self, doc: &Document, files: &[ClassFile]) -> Opened {
        let here = document_iri(&doc.id);
        let read: Vec<_> = files
            .iter()
            .map(|f| {
                read_file(&f.bytes).map(|contents| {
                    let name = file_student(&contents, &f.name);
                    (name_key(&name), name, contents)
                })
            })
            .collect();
        let mut fresh: Vec<String> = read
            .iter()
            .filter_map(|r| r.as_ref().ok().map(|(key, ..)| key.clone()))
            .collect();
        fresh.sort_unstable();
        fresh.dedup();
        fresh.retain(|k| self.alias_of(k).is_none());
        scrambled(&mut fresh);
        let mut aliases: HashMap<String, u32> = HashMap::new();
        for key in fresh {
            aliases.insert(key, self.next_alias);
            self.next_alias += 1;
        }
        let anchorer = Anchorer::new(&doc.text);
        let mut index = self.tag_index();
        let mut out = Opened::default();
        for (file, result) in files.iter().zip(read) {
            let outcome = match result {
                Err(e) => Outcome::Unreadable(e.to_string()),
                Ok((key, name, contents)) => {
                    let alias = self.alias_of(&key).unwrap_or_else(|| aliases[&key]);
                    index.describe(&contents.taxonomy);
                    let items: Vec<Waiting> = contents
                        .items
                        .iter()
                        .map(|item| self.waiting(item, &here, &mut index))
                        .collect();
                    let elsewhere = contents
                        .items
                        .iter()
                        .any(|i| i.source.as_ref().is_some_and(|s| *s != here));
                    if elsewhere {
                        let annotations = items.len();
                        self.aside.push(Aside {
                            file: file.name.clone(),
                            name,
                            key: key.clone(),
                            alias,
                            items,
                        });
                        Outcome::Aside {
                            student: key,
                            annotations,
                            rejected: contents.rejected,
                        }
                    } else {
                        self.place(
                            &anchorer,
                            Arrival {
                                file: &file.name,
                                key: &key,
                                name: &name,
                                alias,
                                items,
                                rejected: contents.rejected,
                            },
                        )
                    }
                }
            };
            out.files.push(FileReport {
                file: file.name.clone(),
                outcome,
            });
        }
        out.unsearched = anchorer.skipped();
        out
    }

    /// Places every file set aside by its quotes (positions trusted only for annotations made on
    /// this document), as the teacher asked.
    pub fn anchor_aside(&mut self, doc: &Document) -> Opened {
        let anchorer = Anchorer::new(&doc.text);
        let mut out = Opened::default();
        for a in std::mem::take(&mut self.aside) {
            let alias = self.alias_of(&a.key).unwrap_or(a.alias);
            let outcome = self.place(
                &anchorer,
                Arrival {
                    file: &a.file,
                    key: &a.key,
                    name: &a.name,
                    alias,
                    items: a.items,
                    rejected: vec![],
                },
            );
            out.files.push(FileReport {
                file: a.file,
                outcome,
            });
        }
        out.unsearched = anchorer.skipped();
        out
    }

    /// The hidden name's number already given to this name key.
    fn alias_of(&self, key: &str) -> Option<u32> {
        self.students
            .iter()
            .map(|s| (&s.key, s.alias))
            .chain(self.aside.iter().map(|a| (&a.key, a.alias)))
            .find(|(k, _)| *k == key)
            .map(|(_, alias)| alias)
    }

    /// The taxonomy indexed for resolving labels (the students' own themes take the palette's
    /// colours in turn).
    fn tag_index(&self) -> TagIndex {
        TagIndex::new(&self.tags, self.own_themes().len())
    }

    /// An annotation read from a file, its tags resolved, waiting to be placed.
    fn waiting(&mut self, item: &Incoming, here: &str, index: &mut TagIndex) -> Waiting {
        Waiting {
            selectors: item.selectors.clone(),
            here: item.source.as_deref() == Some(here),
            mark: Mark {
                id: item.id.clone(),
                start: 0,
                end: 0,
                quote: String::new(),
                tags: resolve_tags(&item.tags, index, &mut self.tags),
                note: item.note.clone(),
                created: item.created,
                modified: item.modified,
            },
        }
    }

    /// Anchors a file's annotations and merges them into its student's.
    fn place(&mut self, anchorer: &Anchorer, arrival: Arrival) -> Outcome {
        let Arrival {
            file,
            key,
            name,
            alias,
            items,
            rejected,
        } = arrival;
        let (mut placed, mut moved, mut unplaced) = (0, 0, 0);
        let marks: Vec<(Mark, bool)> = items
            .into_iter()
            .map(|w| {
                let mut mark = w.mark;
                match anchorer.anchor(&w.selectors, w.here) {
                    Anchoring::Position { start, end } => {
                        placed += 1;
                        (mark.start, mark.end) = (start, end);
                    }
                    Anchoring::Moved { start, end } | Anchoring::Fuzzy { start, end, .. } => {
                        moved += 1;
                        (mark.start, mark.end) = (start, end);
                    }
                    Anchoring::Orphan => {
                        unplaced += 1;
                        (mark.start, mark.end) = w.selectors.position.unwrap_or((0, 0));
                        mark.quote = w.selectors.exact.unwrap_or_default();
                        return (mark, false);
                    }
                }
                mark.quote = anchorer.text(mark.start, mark.end);
                (mark, true)
            })
            .collect();
        let joined = self.student(key).is_some();
        let i = self.student(key).unwrap_or_else(|| {
            self.students.push(Student {
                name: tidy(name),
                key: key.to_string(),
                alias,
                files: Vec::new(),
                marks: Vec::new(),
                unplaced: Vec::new(),
            });
            self.students.len() - 1
        });
        let repeated = merge(&mut self.students[i], marks);
        let student = &mut self.students[i];
        if !student.files.iter().any(|f| f == file) {
            student.files.push(file.to_string());
        }
        Outcome::Added {
            student: key.to_string(),
            joined,
            placed,
            moved,
            unplaced,
            repeated,
            rejected,
        }
    }
}

/// A file's annotations on their way into the class: whose they are and what the file held.
struct Arrival<'a> {
    file: &'a str,
    key: &'a str,
    name: &'a str,
    alias: u32,
    items: Vec<Waiting>,
    rejected: Vec<Rejection>,
}

/// Adds `incoming` marks (each with whether it is placed) to a student's: an id the student has
/// already is kept once, in its later version (the earlier one on a tie). Returns how many
/// incoming ids the student had.
fn merge(student: &mut Student, incoming: Vec<(Mark, bool)>) -> usize {
    let mut all: Vec<(Mark, bool)> = std::mem::take(&mut student.marks)
        .into_iter()
        .map(|m| (m, true))
        .chain(
            std::mem::take(&mut student.unplaced)
                .into_iter()
                .map(|m| (m, false)),
        )
        .collect();
    let mut at: HashMap<String, usize> = all
        .iter()
        .enumerate()
        .map(|(i, (m, _))| (m.id.clone(), i))
        .collect();
    let mut repeated = 0;
    for (mark, is_placed) in incoming {
        match at.get(&mark.id) {
            Some(&i) => {
                repeated += 1;
                if mark.modified > all[i].0.modified {
                    all[i] = (mark, is_placed);
                }
            }
            None => {
                at.insert(mark.id.clone(), all.len());
                all.push((mark, is_placed));
            }
        }
    }
    for (mark, is_placed) in all {
        if is_placed {
            student.marks.push(mark);
        } else {
            student.unplaced.push(mark);
        }
    }
    sort_marks(&mut student.marks);
    repeated
}

/// Puts placed marks in document order: (start, end, id).
pub(super) fn sort_marks(marks: &mut [Mark]) {
    marks.sort_unstable_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod line_tests {
    use super::*;

    #[test]
    fn only_json_files_are_taken_from_a_batch() {
        assert!(takes_file("amina.json", ""));
        assert!(takes_file("AMINA.JSON", "text/plain"));
        assert!(takes_file("class.jsonld", ""));
        assert!(takes_file("export", "application/json"));
        assert!(takes_file("export", "application/ld+json"));
        assert!(!takes_file("notes.txt", "text/plain"));
        assert!(!takes_file("photo.jpg", "image/jpeg"));
        assert!(!takes_file("json", ""));
        assert_eq!(skipped_line(1), "1 file that is not JSON was left out.");
        assert_eq!(skipped_line(3), "3 files that are not JSON were left out.");
    }

    #[test]
    fn each_file_gets_one_line_naming_what_it_gave() {
        let name = |k: &str| format!("<{k}>");
        let added = FileReport {
            file: "a.json".into(),
            outcome: Outcome::Added {
                student: "amina".into(),
                joined: true,
                placed: 3,
                moved: 0,
                unplaced: 2,
                repeated: 1,
                rejected: Vec::new(),
            },
        };
        assert_eq!(
            added.line(&added.file, name),
            "a.json: <amina> (joined) — 3 placed, 2 not found in this text, 1 already there"
        );
        let aside = FileReport {
            file: "f.json".into(),
            outcome: Outcome::Aside {
                student: "farah".into(),
                annotations: 4,
                rejected: Vec::new(),
            },
        };
        assert_eq!(
            aside.line(&aside.file, name),
            "f.json: <farah> — made on another document; 4 annotations set aside"
        );
        let bad = FileReport {
            file: "x.json".into(),
            outcome: Outcome::Unreadable("it is not JSON".into()),
        };
        assert_eq!(
            bad.line("File 3", name),
            "File 3: not opened — it is not JSON"
        );
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use serde_json::json;
    use sha2::{Digest, Sha256};

    use super::super::testing::{at, doc, file, file_of, item};
    use super::*;

    const TEXT: [&str; 3] = [
        "The State bears the primary responsibility to protect its populations.",
        "International assistance helps States build capacity.",
        "Timely and decisive response is needed when a State manifestly fails.",
    ];

    fn added(o: &Outcome) -> (bool, usize, usize, usize, usize) {
        match o {
            Outcome::Added {
                joined,
                placed,
                moved,
                unplaced,
                repeated,
                ..
            } => (*joined, *placed, *moved, *unplaced, *repeated),
            other => panic!("not added: {other:?}"),
        }
    }

    #[test]
    fn files_of_one_student_merge_and_an_annotation_is_kept_once() {
        let d = doc(&TEXT);
        let (s1, e1) = at(&d, "primary responsibility");
        let (s2, e2) = at(&d, "International assistance");
        let older = item(&d, "x", (s1, e1, &["Pillar I"], ""), Some("Amina Diallo"));
        let other = item(&d, "y", (s2, e2, &["Pillar II"], ""), Some("Amina Diallo"));
        let mut newer = item(
            &d,
            "x",
            (s1, e1, &["pillar i", "Prevention"], "better"),
            Some("  amina   DIALLO"),
        );
        newer["modified"] = json!("2025-02-01T00:00:00.000Z");
        let mut class = ClassSet::new(&d.id);
        let first = file_of("first.json", vec![older.clone(), other]);
        let opened = class.add_files(&d, &[first, file_of("second.json", vec![newer])]);
        assert_eq!(added(&opened.files[0].outcome), (false, 2, 0, 0, 0));
        assert_eq!(added(&opened.files[1].outcome), (true, 1, 0, 0, 1));
        assert_eq!(class.students().len(), 1);
        let amina = &class.students()[0];
        assert_eq!(amina.name, "Amina Diallo", "as first written");
        assert_eq!(amina.key, "amina diallo");
        assert_eq!(amina.files, ["first.json", "second.json"]);
        let marks: Vec<(&str, usize, &[String], &str)> = amina
            .marks
            .iter()
            .map(|m| (m.id.as_str(), m.start, &m.tags[..], m.note.as_str()))
            .collect();
        let (x_tags, y_tags) = (
            ["pillar-1".to_string(), "theme-prevention".into()],
            ["pillar-2".to_string()],
        );
        assert_eq!(
            marks,
            [("x", s1, &x_tags[..], "better"), ("y", s2, &y_tags[..], "")]
        );
        assert_eq!(amina.marks[0].quote, "primary responsibility");
        // The older version again: counted as repeated, the newer one stays.
        let again = class.add_files(&d, &[file_of("first.json", vec![older])]);
        assert_eq!(added(&again.files[0].outcome), (true, 1, 0, 0, 1));
        assert_eq!(class.students()[0].marks[0].note, "better");
        assert_eq!(class.students()[0].files.len(), 2, "a file is listed once");
    }

    #[test]
    fn an_unreadable_file_changes_nothing_and_says_why() {
        let d = doc(&TEXT);
        let mut class = ClassSet::new(&d.id);
        class.add_files(&d, &[file(&d, "Amina", &[(0, 3, &["Pillar I"], "")])]);
        let before = class.clone();
        let bad = |name: &str, bytes: &[u8]| ClassFile {
            name: name.into(),
            bytes: bytes.to_vec(),
        };
        let opened = class.add_files(
            &d,
            &[
                bad("notes.txt", b"hello"),
                bad("empty.json", b"  "),
                bad("other.json", br#"{"type":"Dataset"}"#),
            ],
        );
        let reasons: Vec<&str> = opened
            .files
            .iter()
            .map(|f| match &f.outcome {
                Outcome::Unreadable(why) => why.as_str(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(
            reasons[0].starts_with("The file is not valid JSON: "),
            "{reasons:?}"
        );
        assert_eq!(reasons[1], "The file is empty.");
        assert!(reasons[2].starts_with("The file is JSON but not W3C annotations"));
        assert_eq!(class, before);
        assert_eq!(
            opened.summary(),
            "Opened 3 files: 3 files could not be read."
        );
    }

    #[test]
    fn a_file_for_another_document_waits_until_placed_by_its_quotes() {
        let d = doc(&TEXT);
        let (s, e) = at(&d, "decisive response");
        let mut elsewhere = item(&d, "b-0", (s, e, &["Pillar III"], ""), Some("Ben"));
        elsewhere["target"]["source"] = json!("ni:///sha-256;another-text");
        // Its position was made on the other text: it must not be trusted here.
        elsewhere["target"]["selector"][1] =
            json!({"type": "TextPositionSelector", "start": 0, "end": 17});
        let mut class = ClassSet::new(&d.id);
        let opened = class.add_files(&d, &[file_of("ben.json", vec![elsewhere])]);
        assert!(matches!(
            &opened.files[0].outcome,
            Outcome::Aside { student, annotations: 1, .. } if student == "ben"
        ));
        assert!(class.students().is_empty(), "nothing placed yet");
        assert_eq!(class.aside()[0].name, "Ben");
        assert_eq!(class.name_of("ben", true).as_deref(), Some("Student A"));
        assert_eq!(
            opened.summary(),
            "Opened 1 file: 1 file for another document set aside."
        );
        let placed = class.anchor_aside(&d);
        assert_eq!(added(&placed.files[0].outcome), (false, 0, 1, 0, 0));
        assert_eq!(
            placed.placed_summary(),
            "Placed 1 file by its quotes: 1 new student."
        );
        assert!(class.aside().is_empty());
        let ben = &class.students()[0];
        assert_eq!((ben.marks[0].start, ben.marks[0].end), (s, e));
        assert_eq!(ben.marks[0].quote, "decisive response");
        assert_eq!(ben.alias, 0, "his hidden name stays");
    }

    #[test]
    fn passages_not_found_are_kept_and_counted() {
        let d = doc(&TEXT);
        let mut lost = item(&d, "a-0", (0, 3, &["Pillar I"], "mine"), Some("Amina"));
        lost["target"]["selector"][0]["exact"] = json!("a sentence that is nowhere in it");
        let found = item(&d, "a-1", (4, 9, &[], ""), Some("Amina"));
        let mut class = ClassSet::new(&d.id);
        let opened = class.add_files(&d, &[file_of("amina.json", vec![lost, found])]);
        assert_eq!(added(&opened.files[0].outcome), (false, 1, 0, 1, 0));
        let amina = &class.students()[0];
        assert_eq!(amina.unplaced.len(), 1);
        assert_eq!(amina.unplaced[0].quote, "a sentence that is nowhere in it");
        assert_eq!(amina.unplaced[0].note, "mine");
        assert_eq!(amina.marks[0].quote, "State");
        assert_eq!(
            opened.summary(),
            "Opened 1 file: 1 new student and 1 annotation not found in the text (kept, listed as unplaced)."
        );
    }

    fn hash_order(keys: &[&str]) -> Vec<String> {
        let mut by_hash: Vec<(String, String)> = keys
            .iter()
            .map(|k| {
                let h = Sha256::digest(k.as_bytes());
                (
                    h.iter().map(|b| format!("{b:02x}")).collect(),
                    k.to_string(),
                )
            })
            .collect();
        by_hash.sort_unstable();
        by_hash.into_iter().map(|(_, k)| k).collect()
    }

    #[test]
    fn hidden_names_are_given_by_hash_and_stay_with_their_students() {
        let d = doc(&TEXT);
        let mut class = ClassSet::new(&d.id);
        let one = |n: &str| file(&d, n, &[(0, 3, &["Pillar I"], "")]);
        class.add_files(&d, &[one("Chloé"), one("Amina"), one("Ben")]);
        let lettered: Vec<String> = class
            .order(true)
            .into_iter()
            .map(|i| class.students()[i].key.clone())
            .collect();
        assert_eq!(lettered, hash_order(&["amina", "ben", "chloé"]));
        let by_name: Vec<String> = class
            .order(false)
            .iter()
            .map(|&i| class.name(i, false))
            .collect();
        assert_eq!(by_name, ["Amina", "Ben", "Chloé"]);
        let hidden: Vec<String> = class
            .order(true)
            .iter()
            .map(|&i| class.name(i, true))
            .collect();
        assert_eq!(hidden, ["Student A", "Student B", "Student C"]);
        let alias = |class: &ClassSet, k: &str| class.students()[class.student(k).unwrap()].alias;
        let ben = alias(&class, "ben");
        assert!(class.remove_student("amina"));
        assert!(!class.remove_student("amina"), "gone already");
        class.add_files(&d, &[one("Dao")]);
        assert_eq!(alias(&class, "ben"), ben, "a letter stays with its student");
        assert_eq!(alias(&class, "dao"), 3, "and is never given twice");
        class.add_files(&d, &[one("amina")]);
        assert_eq!(alias(&class, "amina"), 4);
    }

    #[test]
    fn students_own_themes_join_the_taxonomy_once() {
        let d = doc(&TEXT);
        let collection = |creator: &str, label: &str| {
            let mut v = json!({
                "type": "AnnotationCollection",
                "r2p:taxonomy": [{"label": "Women, peace & security", "color": "#e5dbff", "badge": "WPS"}],
                "first": {"type": "AnnotationPage", "items": [item(&d, creator, (0, 3, &[label], ""), Some(creator))]}
            });
            v["creator"] = json!(creator);
            ClassFile {
                name: format!("{creator}.json"),
                bytes: serde_json::to_vec(&v).unwrap(),
            }
        };
        let mut class = ClassSet::new(&d.id);
        class.add_files(
            &d,
            &[
                collection("Amina", "Women, peace & security"),
                collection("Ben", "women, PEACE & security"),
            ],
        );
        let themes = class.own_themes();
        assert_eq!(themes.len(), 1);
        assert_eq!(themes[0].id, "custom-women-peace-security");
        assert_eq!(
            (
                themes[0].label.as_str(),
                themes[0].color.as_str(),
                themes[0].badge.as_str()
            ),
            ("Women, peace & security", "#e5dbff", "WPS")
        );
        for s in class.students() {
            assert_eq!(s.marks[0].tags, ["custom-women-peace-security"]);
        }
    }

    #[test]
    fn a_key_must_name_a_student_and_goes_with_them() {
        let d = doc(&TEXT);
        let mut class = ClassSet::new(&d.id);
        class.add_files(&d, &[file(&d, "Amina", &[(0, 3, &["Pillar I"], "")])]);
        assert!(!class.set_key(Some(KeyChoice::Student("nobody".into()))));
        assert_eq!(class.key(), None);
        assert!(class.set_key(Some(KeyChoice::Student("amina".into()))));
        assert!(class.remove_student("amina"));
        assert_eq!(class.key(), None, "the key went with its student");
        class.add_files(&d, &[file(&d, "Ben", &[(0, 3, &["Theme X"], "")])]);
        class.set_key(Some(KeyChoice::Teacher));
        class.set_hidden(true);
        class.clear();
        assert!(class.is_empty());
        assert_eq!(class.key(), None);
        assert!(class.own_themes().is_empty());
        assert!(class.hidden(), "names stay hidden");
        class.add_files(&d, &[file(&d, "Chloé", &[(0, 3, &[], "")])]);
        assert_eq!(class.students()[0].alias, 0, "letters start again");
    }

    #[test]
    fn a_batch_is_summed_up_in_one_sentence() {
        let d = doc(&TEXT);
        let mut class = ClassSet::new(&d.id);
        class.add_files(&d, &[file(&d, "Amina", &[(0, 3, &[], "")])]);
        let mut elsewhere = item(&d, "c-0", (0, 3, &[], ""), Some("Chloé"));
        elsewhere["target"]["source"] = json!("https://example.org/other");
        let opened = class.add_files(
            &d,
            &[
                file(&d, "Ben", &[(0, 3, &[], "")]),
                file(&d, "Dao", &[]),
                file_of(
                    "amina-2.json",
                    vec![item(&d, "a-9", (4, 9, &[], ""), Some("Amina"))],
                ),
                file_of("chloe.json", vec![elsewhere]),
                ClassFile {
                    name: "x.json".into(),
                    bytes: b"{".to_vec(),
                },
            ],
        );
        assert_eq!(
            opened.summary(),
            "Opened 5 files: 2 new students, 1 file added to students already in the class, 1 file for another document set aside and 1 file could not be read."
        );
    }
}
