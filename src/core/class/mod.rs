//! The class view's core: many students' exported files on one document, for a teacher.
//!
//! A [`ClassSet`] is built from the files ([`roster`]) and kept apart from the teacher's own
//! annotations, which nothing here changes. From it come the heat layer ([`heat`]), the charts'
//! tables ([`charts`]), agreement among students ([`agreement`]), scores against an answer key
//! ([`key`]), the exports ([`export`]) and what is stored ([`persist`]); [`view`] is its state in
//! the app. Every output that names students can hide their names ([`names`]). Nothing here
//! depends on the browser.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::document::Document;
use super::overlap::Span;

pub mod agreement;
pub mod charts;
pub mod export;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod fixture;
pub mod heat;
pub mod key;
pub mod names;
pub mod persist;
pub mod roster;
pub mod view;

pub use roster::{Aside, ClassFile, ClassSet, FileReport, Mark, Opened, Outcome, Student, Waiting};
pub use view::{ClassMsg, ClassView};

/// The pillars' tag ids, in order, as [`super::tags::default_tags`] names them.
pub const PILLARS: [&str; 3] = ["pillar-1", "pillar-2", "pillar-3"];

/// Which of the students' annotations a view takes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Filter {
    /// Every annotation, tagged or not.
    #[default]
    All,
    /// Those carrying this tag id.
    Tag(String),
}

impl Filter {
    /// Whether an annotation with these tag ids is taken.
    pub fn admits(&self, tags: &[String]) -> bool {
        match self {
            Filter::All => true,
            Filter::Tag(t) => tags.contains(t),
        }
    }
}

/// The blocks (paragraphs) that `[start, end)` overlaps, by index; empty for an empty span.
pub fn paragraphs(doc: &Document, start: usize, end: usize) -> Range<usize> {
    if start >= end {
        return 0..0;
    }
    let first = doc.blocks.partition_point(|b| b.end <= start);
    let last = doc.blocks.partition_point(|b| b.start < end);
    first..last.max(first)
}

/// What one student (or the key) marked with one tag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marked {
    /// Annotations carrying the tag.
    pub annotations: usize,
    /// Their spans, as they are (overlapping ones are merged where they are measured).
    pub spans: Vec<Span>,
    /// The paragraphs they overlap.
    pub paragraphs: BTreeSet<usize>,
}

/// What a set of placed annotations, each given as (tag ids, start, end), marked with each tag.
pub fn marked_by_tag<'a>(
    doc: &Document,
    annotations: impl IntoIterator<Item = (&'a [String], usize, usize)>,
) -> BTreeMap<String, Marked> {
    let mut out: BTreeMap<String, Marked> = BTreeMap::new();
    for (tags, start, end) in annotations {
        for tag in tags {
            let m = out.entry(tag.clone()).or_default();
            m.annotations += 1;
            m.spans.push((start, end));
            m.paragraphs.extend(paragraphs(doc, start, end));
        }
    }
    out
}

/// `x` with `places` decimals ("0.667", "-0.125"), written with integer formatting only: float
/// formatting would add its tables to the wasm build for a handful of figures.
pub fn decimal(x: f64, places: u32) -> String {
    let scale = 10i64.pow(places);
    let n = (x * scale as f64).round() as i64;
    let sign = if n < 0 { "-" } else { "" };
    let (whole, part) = (n.abs() / scale, n.abs() % scale);
    if places == 0 {
        return format!("{sign}{whole}");
    }
    format!("{sign}{whole}.{part:0width$}", width = places as usize)
}

/// "A", "A and B", "A, B and C".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "1 student", "2 students".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Builders for the class's tests: documents of plain paragraphs and students' files made on them.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod testing {
    use std::collections::BTreeMap;

    use serde_json::{json, Value};

    use super::{ClassFile, ClassSet};
    use crate::core::document::{BlockKind, Document};
    use crate::core::kv::{backup_key, KeyValue, Raw, StorageError};
    use crate::core::w3c::document_iri;

    /// Storage in memory that can be full.
    #[derive(Default)]
    pub struct Mem {
        /// The values by key.
        pub values: BTreeMap<String, String>,
        /// Every write fails as when the quota is used up.
        pub full: bool,
        /// Writes that went through.
        pub writes: usize,
    }

    impl KeyValue for Mem {
        fn get(&self, key: &str) -> Result<Option<Raw>, StorageError> {
            Ok(self.values.get(key).cloned().map(Raw::Text))
        }
        fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
            if self.full {
                return Err(StorageError::Full);
            }
            self.writes += 1;
            self.values.insert(key.into(), value.into());
            Ok(())
        }
        fn remove(&mut self, key: &str) -> Result<(), StorageError> {
            self.values.remove(key);
            Ok(())
        }
        fn back_up(&mut self, from: &str, scope: &str) -> Result<String, StorageError> {
            let v = self.values.get(from).cloned().unwrap_or_default();
            let key = backup_key(scope, &v.encode_utf16().collect::<Vec<_>>());
            self.values.entry(key.clone()).or_insert(v);
            Ok(key)
        }
    }

    /// A document of these paragraphs, separated by blank lines (two code points).
    pub fn doc(paragraphs: &[&str]) -> Document {
        Document::from_blocks(
            paragraphs
                .iter()
                .map(|t| (BlockKind::Paragraph, t.to_string(), vec![]))
                .collect(),
        )
    }

    /// Where `phrase` first is in `doc`, in code points.
    pub fn at(doc: &Document, phrase: &str) -> (usize, usize) {
        let start = doc.text[..doc.text.find(phrase).expect("in the text")]
            .chars()
            .count();
        (start, start + phrase.chars().count())
    }

    /// An annotation: start, end, tag labels, note.
    pub type Spec<'a> = (usize, usize, &'a [&'a str], &'a str);

    /// One annotation as this app exports it, made on `doc`, with id `id`.
    pub fn item(
        doc: &Document,
        id: &str,
        (start, end, tags, note): Spec,
        creator: Option<&str>,
    ) -> Value {
        let mut body: Vec<Value> = tags
            .iter()
            .map(|t| json!({"type": "TextualBody", "purpose": "tagging", "value": t}))
            .collect();
        if !note.is_empty() {
            body.push(json!({"type": "TextualBody", "purpose": "commenting", "value": note}));
        }
        let mut v = json!({
            "type": "Annotation",
            "id": format!("urn:r2p-annotator:annotation:{id}"),
            "created": "2025-01-02T03:04:05.000Z",
            "body": body,
            "target": {
                "source": document_iri(&doc.id),
                "selector": [
                    {"type": "TextQuoteSelector", "exact": doc.slice(start, end)},
                    {"type": "TextPositionSelector", "start": start, "end": end}
                ]
            }
        });
        if let Some(c) = creator {
            v["creator"] = json!({"type": "Person", "name": c});
        }
        v
    }

    /// A file named `name` holding `items` in a collection.
    pub fn file_of(name: &str, items: Vec<Value>) -> ClassFile {
        let v = json!({
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "AnnotationCollection",
            "first": {"type": "AnnotationPage", "items": items}
        });
        ClassFile {
            name: name.into(),
            bytes: serde_json::to_vec(&v).unwrap(),
        }
    }

    /// A student's file, `<name>.json`, every annotation signed with their name; ids `<name>-<i>`.
    pub fn file(doc: &Document, name: &str, specs: &[Spec]) -> ClassFile {
        let items = (specs.iter().enumerate())
            .map(|(i, &s)| item(doc, &format!("{name}-{i}"), s, Some(name)))
            .collect();
        file_of(&format!("{name}.json"), items)
    }

    /// A class of these students, each from one file.
    pub fn class(doc: &Document, students: &[(&str, &[Spec])]) -> ClassSet {
        let mut class = ClassSet::new(&doc.id);
        let files: Vec<ClassFile> = students.iter().map(|(n, s)| file(doc, n, s)).collect();
        class.add_files(doc, &files);
        class
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::document::BlockKind;
    use crate::core::tags::{default_tags, TagKind};

    #[test]
    fn pillars_are_the_taxonomys() {
        let ids: Vec<String> = default_tags()
            .into_iter()
            .filter(|t| t.kind == TagKind::Pillar)
            .map(|t| t.id)
            .collect();
        assert_eq!(ids, PILLARS);
    }

    #[test]
    fn spans_find_the_paragraphs_they_touch() {
        // "abc" 0..3, separator 3..5, "de" 5..7, separator 7..9, "fgh" 9..12.
        let doc = Document::from_blocks(
            ["abc", "de", "fgh"]
                .iter()
                .map(|t| (BlockKind::Paragraph, t.to_string(), vec![]))
                .collect(),
        );
        assert_eq!(paragraphs(&doc, 0, 3), 0..1);
        assert_eq!(paragraphs(&doc, 2, 6), 0..2);
        assert!(
            paragraphs(&doc, 3, 5).is_empty(),
            "a separator alone is no paragraph"
        );
        assert_eq!(paragraphs(&doc, 4, 10), 1..3);
        assert_eq!(paragraphs(&doc, 0, 12), 0..3);
        assert!(paragraphs(&doc, 5, 5).is_empty());
    }

    #[test]
    fn decimals_round_half_away_from_zero() {
        assert_eq!(decimal(2.0 / 3.0, 3), "0.667");
        assert_eq!(decimal(-0.125, 2), "-0.13");
        assert_eq!(decimal(1.0, 3), "1.000");
        assert_eq!(decimal(0.05, 1), "0.1");
        assert_eq!(decimal(-0.0004, 3), "0.000");
        assert_eq!(decimal(0.824, 0), "1");
        assert_eq!(decimal(12.5, 1), "12.5");
    }

    #[test]
    fn marked_counts_annotations_spans_and_paragraphs_per_tag() {
        let doc = Document::from_blocks(
            ["abc", "de"]
                .iter()
                .map(|t| (BlockKind::Paragraph, t.to_string(), vec![]))
                .collect(),
        );
        let (p1, both) = (
            vec!["pillar-1".to_string()],
            vec!["pillar-1".to_string(), "x".into()],
        );
        let m = marked_by_tag(&doc, [(&p1[..], 0, 2), (&both[..], 1, 6)]);
        assert_eq!(m["pillar-1"].annotations, 2);
        assert_eq!(m["pillar-1"].spans, vec![(0, 2), (1, 6)]);
        assert_eq!(m["pillar-1"].paragraphs, BTreeSet::from([0, 1]));
        assert_eq!(m["x"].paragraphs, BTreeSet::from([0, 1]));
        assert_eq!(m.len(), 2);
    }
}
