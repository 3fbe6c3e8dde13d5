//! The document library: the user's own documents (plain text or Markdown), their limits and keys.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::document::Document;
use super::envelope::KEY_PREFIX;
use super::markdown;
use super::store::Millis;

/// Longest document title kept, in characters.
pub const MAX_TITLE_CHARS: usize = 120;

/// Largest document accepted, in bytes of UTF-8 (a 2 MB report fits comfortably). Sizes are
/// in decimal megabytes (10^6 bytes) everywhere, as the messages say.
pub const MAX_DOCUMENT_BYTES: usize = 5_000_000;

/// The key of the library index.
pub fn library_key() -> String {
    format!("{KEY_PREFIX}:v1:library")
}

/// The key holding one document's source text.
pub fn document_key(id: &str) -> String {
    format!("{KEY_PREFIX}:v1:document:{id}")
}

/// The key of the user's settings (name, last open document).
pub fn settings_key() -> String {
    format!("{KEY_PREFIX}:v1:settings")
}

/// How a document's source is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text: blank lines separate paragraphs.
    Plain,
    /// Markdown: headings, lists, emphasis.
    Markdown,
}

impl Format {
    /// The format a file name implies (`.txt`, `.md`, `.markdown`), if any.
    pub fn from_file_name(name: &str) -> Option<Format> {
        let lower = name.to_lowercase();
        if lower.ends_with(".txt") || lower.ends_with(".text") {
            Some(Format::Plain)
        } else if lower.ends_with(".md") || lower.ends_with(".markdown") {
            Some(Format::Markdown)
        } else {
            None
        }
    }
}

/// Parses a source in its format.
pub fn parse(source: &str, format: Format) -> Document {
    match format {
        Format::Plain => Document::parse_plain(source),
        Format::Markdown => markdown::parse(source),
    }
}

/// One of the user's documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// Content id of the parsed document (SHA-256 of its canonical text).
    pub id: String,
    /// The name shown in the library (the user may rename it).
    pub title: String,
    /// How the source is written.
    pub format: Format,
    /// When it was added.
    pub added: Millis,
    /// Size of the source in bytes.
    pub bytes: usize,
    /// Logical time it was last added or restored: a removal stamped later hides it, one
    /// stamped earlier does not.
    #[serde(default)]
    pub modified: Millis,
    /// Logical time of its last rename: the later rename wins a merge (and never brings a
    /// removed document back).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub renamed: Millis,
}

fn is_zero(t: &Millis) -> bool {
    *t == 0
}

/// The library index as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    /// The user's documents, newest first (the built-in summary is not listed here).
    pub documents: Vec<Entry>,
    /// The document open last (None: the summary).
    #[serde(default)]
    pub current: Option<String>,
    /// Tombstones: id → logical time it was removed, so a merge does not bring it back.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub removed: BTreeMap<String, Millis>,
}

/// Why a source cannot become a document.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SourceError {
    /// Over [`MAX_DOCUMENT_BYTES`].
    #[error("it is {} MB; the limit is 5 MB", megabytes(*.0))]
    TooLarge(usize),
    /// Not UTF-8.
    #[error("it is not UTF-8 text")]
    NotText,
    /// Nothing to read.
    #[error("it has no text")]
    Empty,
    /// Not .txt or .md.
    #[error("only .txt and .md files can be opened as documents")]
    UnknownFormat,
}

/// A size in megabytes (10^6 bytes) with one decimal ("50.0"), without float formatting
/// (which would add its tables to every download of the app).
pub fn megabytes(bytes: usize) -> String {
    let tenths = (bytes + 50_000) / 100_000;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Checks a file's bytes and returns its text (a leading byte-order mark removed).
pub fn check_source(bytes: &[u8]) -> Result<String, SourceError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(SourceError::TooLarge(bytes.len()));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| SourceError::NotText)?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(SourceError::Empty);
    }
    Ok(text.to_string())
}

/// A new document from a source the user gave (file name or "Pasted text", its text and format),
/// with its library entry; or why it cannot be one.
pub fn new_document(
    name: &str,
    text: &str,
    format: Format,
    at: Millis,
) -> Result<(Document, Entry), String> {
    let doc = parse(text, format);
    if doc.blocks.is_empty() {
        return Err(format!("{name} has no text to annotate."));
    }
    let entry = Entry {
        id: doc.id.clone(),
        title: title_for(&doc, name),
        format,
        added: at,
        bytes: text.len(),
        modified: 0,
        renamed: 0,
    };
    Ok((doc, entry))
}

/// A title for a new document: its own title block, else the file name without extension.
pub fn title_for(doc: &Document, file_name: &str) -> String {
    let own: String = doc.title().split_whitespace().collect::<Vec<_>>().join(" ");
    let base = file_name
        .rsplit_once('.')
        .map_or(file_name, |(b, _)| b)
        .trim();
    let t = if own.is_empty() || own.chars().count() > MAX_TITLE_CHARS {
        base.to_string()
    } else {
        own
    };
    let t: String = t.chars().take(MAX_TITLE_CHARS).collect();
    if t.is_empty() {
        "Untitled document".into()
    } else {
        t
    }
}

impl Library {
    /// The highest logical time in the index.
    fn clock(&self) -> Millis {
        let entries = self
            .documents
            .iter()
            .map(|e| e.modified.max(e.added).max(e.renamed));
        entries
            .chain(self.removed.values().copied())
            .max()
            .unwrap_or(0)
    }

    /// A stamp for a change at wall-clock `at`: later than everything in the index.
    pub fn stamp(&self, at: Millis) -> Millis {
        at.max(self.clock().saturating_add(1))
    }

    fn sort(&mut self) {
        self.documents
            .sort_unstable_by(|a, b| (b.added, &a.id).cmp(&(a.added, &b.id)));
    }

    /// Adds (or moves to the top) an entry; an existing entry with the same id keeps its title.
    pub fn add(&mut self, entry: Entry) {
        let stamp = self.stamp(entry.added);
        let title = self
            .documents
            .iter()
            .find(|e| e.id == entry.id)
            .map(|e| e.title.clone());
        self.documents.retain(|e| e.id != entry.id);
        let mut entry = entry;
        if let Some(t) = title {
            entry.title = t;
        }
        entry.added = stamp;
        entry.modified = stamp;
        self.removed.remove(&entry.id);
        self.documents.push(entry);
        self.sort();
    }

    /// Renames a document; returns false when there is no such document or the name is blank.
    pub fn rename(&mut self, id: &str, title: &str, at: Millis) -> bool {
        let stamp = self.stamp(at);
        let title: String = title.split_whitespace().collect::<Vec<_>>().join(" ");
        match self.documents.iter_mut().find(|e| e.id == id) {
            Some(e) if !title.is_empty() => {
                e.title = title.chars().take(MAX_TITLE_CHARS).collect();
                e.renamed = stamp;
                true
            }
            _ => false,
        }
    }

    /// Removes a document from the index and returns its entry (for undo).
    pub fn remove(&mut self, id: &str, at: Millis) -> Option<Entry> {
        let stamp = self.stamp(at);
        let i = self.documents.iter().position(|e| e.id == id)?;
        if self.current.as_deref() == Some(id) {
            self.current = None;
        }
        self.removed.insert(id.to_string(), stamp);
        Some(self.documents.remove(i))
    }

    /// Puts a removed entry back (where it stood: the list is ordered by when each was added).
    pub fn restore(&mut self, entry: Entry, at: Millis) {
        let stamp = self.stamp(at);
        self.documents.retain(|e| e.id != entry.id);
        self.removed.remove(&entry.id);
        self.documents.push(Entry {
            modified: stamp,
            ..entry
        });
        self.sort();
    }

    /// Takes in another tab's index without losing either side: the newer version of each entry
    /// wins, a removal hides only entries not changed after it. `current` stays this tab's own.
    /// Returns how many things changed here.
    pub fn merge(&mut self, other: &Library) -> usize {
        let mut changed = 0;
        for (id, &t) in &other.removed {
            let mine = self.removed.entry(id.clone()).or_insert(t);
            *mine = (*mine).max(t);
            let before = self.documents.len();
            self.documents.retain(|e| &e.id != id || e.modified > t);
            changed += before - self.documents.len();
        }
        for e in &other.documents {
            if self.removed.get(&e.id).is_some_and(|&t| t >= e.modified) {
                continue;
            }
            match self.documents.iter_mut().find(|m| m.id == e.id) {
                Some(m) => {
                    let mut both = if e.modified > m.modified {
                        e.clone()
                    } else {
                        m.clone()
                    };
                    let named = if (e.renamed, &e.title) > (m.renamed, &m.title) {
                        e
                    } else {
                        &*m
                    };
                    both.title = named.title.clone();
                    both.renamed = named.renamed;
                    if both != *m {
                        *m = both;
                        changed += 1;
                    }
                }
                None => {
                    self.documents.push(e.clone());
                    changed += 1;
                }
            }
        }
        self.removed
            .retain(|id, _| !self.documents.iter().any(|e| &e.id == id));
        if changed > 0 {
            self.sort();
        }
        changed
    }

    /// Reads the stored index; unreadable data gives an empty library (the caller backs it up).
    pub fn parse(raw: &str) -> Option<Library> {
        serde_json::from_str(raw).ok()
    }

    /// Serialises the index.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a library always serialises")
    }
}

/// The user's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The student's name: the creator of new annotations and part of export file names.
    #[serde(default)]
    pub name: Option<String>,
}

impl Settings {
    /// Normalises a typed name: trimmed, single spaces, at most 80 characters; blank → None.
    pub fn with_name(name: &str) -> Settings {
        let n: String = name.split_whitespace().collect::<Vec<_>>().join(" ");
        Settings {
            name: (!n.is_empty()).then(|| n.chars().take(80).collect()),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn formats_sizes_and_titles() {
        assert_eq!(Format::from_file_name("Lesson.MD"), Some(Format::Markdown));
        assert_eq!(Format::from_file_name("notes.txt"), Some(Format::Plain));
        assert_eq!(Format::from_file_name("x.pdf"), None);
        let two_mb = "Paragraph one.\n\n".repeat(2_000_000 / 16);
        assert!(check_source(two_mb.as_bytes()).is_ok());
        let big = vec![b'a'; 50 * 1_000_000];
        let e = check_source(&big).unwrap_err();
        assert_eq!(e.to_string(), "it is 50.0 MB; the limit is 5 MB");
        assert_eq!(check_source(b"\xef\xbb\xbf  \n"), Err(SourceError::Empty));
        assert_eq!(megabytes(2_049_999), "2.0");
        assert!(check_source(&vec![b'a'; MAX_DOCUMENT_BYTES]).is_ok());
        assert_eq!(
            check_source(&vec![b'a'; 5_100_000])
                .unwrap_err()
                .to_string(),
            "it is 5.1 MB; the limit is 5 MB"
        );
        assert_eq!(megabytes(2_050_000), "2.1");
        assert_eq!(megabytes(999), "0.0");
        assert_eq!(check_source(&[0xff, 0x00]), Err(SourceError::NotText));
        let md = parse("# Lesson one\n\nText", Format::Markdown);
        assert_eq!(title_for(&md, "file.md"), "Lesson one");
        let plain = parse("just text, no title", Format::Plain);
        assert_eq!(title_for(&plain, "my notes.txt"), "just text, no title");
        let long = parse(&"word ".repeat(100), Format::Plain);
        assert_eq!(title_for(&long, "my notes.txt"), "my notes");
    }

    #[test]
    fn library_add_rename_remove_restore() {
        let e = |id: &str, t: &str| Entry {
            id: id.into(),
            title: t.into(),
            format: Format::Plain,
            added: 1,
            bytes: 3,
            modified: 0,
            renamed: 0,
        };
        let mut lib = Library::default();
        lib.add(e("a", "A"));
        lib.add(e("b", "B"));
        assert!(lib.rename("a", "  Lesson   A ", 1));
        assert!(!lib.rename("a", "   ", 1));
        lib.add(e("a", "A again"));
        assert_eq!(
            lib.documents
                .iter()
                .map(|x| x.title.as_str())
                .collect::<Vec<_>>(),
            ["Lesson A", "B"],
            "re-adding keeps the title and moves it to the top"
        );
        lib.current = Some("b".into());
        let removed = lib.remove("b", 1).unwrap();
        assert_eq!(lib.current, None);
        lib.restore(removed, 1);
        assert_eq!(lib.documents[1].id, "b", "back where it stood");
        assert_eq!(Library::parse(&lib.to_json()), Some(lib));
        assert_eq!(Library::parse("{broken"), None);
        assert_eq!(
            Settings::with_name("  Amina   Diallo ").name.as_deref(),
            Some("Amina Diallo")
        );
        assert_eq!(Settings::with_name("   ").name, None);
    }

    fn entry(id: &str, added: Millis) -> Entry {
        Entry {
            id: id.into(),
            title: id.to_uppercase(),
            format: Format::Plain,
            added,
            bytes: 1,
            modified: 0,
            renamed: 0,
        }
    }

    #[test]
    fn merge_takes_both_tabs_documents_and_respects_removals() {
        let mut one = Library::default();
        let mut two = Library::default();
        one.add(entry("a", 10));
        two.merge(&one);
        one.add(entry("b", 20));
        two.add(entry("c", 30));
        assert!(two.rename("a", "Renamed in two", 31));
        assert!(two.rename("c", "C renamed", 32));
        let gone = one.remove("a", 21);
        assert!(gone.is_some());
        let (mut x, mut y) = (one.clone(), two.clone());
        x.merge(&two);
        y.merge(&one);
        assert_eq!(x.documents, y.documents, "merging is order-independent");
        let ids: Vec<&str> = x.documents.iter().map(|e| e.id.as_str()).collect();
        // A rename, even one stamped later, does not bring a removed document back: its text
        // went with the removal.
        assert_eq!(ids, ["c", "b"]);
        assert_eq!(x.documents[0].title, "C renamed");
        let mut z = x.clone();
        z.restore(gone.unwrap(), 0);
        x.merge(&z);
        assert_eq!(x.documents.len(), 3, "a restore after the removal wins");
        // A removal after everything a tab saw wins everywhere.
        x.remove("c", 0);
        y.merge(&x);
        assert!(y.documents.iter().all(|e| e.id != "c"));
        assert_eq!(
            y.merge(&x),
            0,
            "merging the same index twice changes nothing"
        );
    }

    #[test]
    fn a_fast_clock_cannot_block_a_later_change() {
        let mut lib = Library::default();
        lib.add(entry("a", 4_000_000_000_000)); // a classmate's clock, decades fast
        let removed = lib.remove("a", 1_700_000_000_000);
        assert!(removed.is_some());
        let mut other = Library::default();
        other.add(entry("a", 4_000_000_000_000));
        other.merge(&lib);
        assert!(
            other.documents.is_empty(),
            "the removal is newer, logically"
        );
    }
}
