//! The class's exports: a summary as CSV (one row per student and tag, like the report's CSV) and
//! every student's annotations as one W3C collection, each signed with its student's name.

use std::collections::HashSet;

use serde_json::Value;

use super::key::{Key, Score};
use super::names::hidden_name;
use super::{decimal, marked_by_tag, ClassSet, Mark};
use crate::core::anchor::Anchorer;
use crate::core::document::Document;
use crate::core::overlap::Overlap;
use crate::core::report::csv_field;
use crate::core::store::{Annotation, Millis};
use crate::core::tags::{slug, TagKind};
use crate::core::w3c::{annotation_json, collection_json, document_iri, export_file_name};

/// Decimals of precision and recall in the CSV.
const SCORE_PLACES: u32 = 3;

/// The export's file name: `<document-slug>-annotations-class.<extension>`.
pub fn file_name(doc: &Document, extension: &str) -> String {
    let json = export_file_name(doc, Some("class"));
    format!("{}.{extension}", json.trim_end_matches(".json"))
}

/// The columns of [`csv`].
const COLUMNS: [&str; 8] = [
    "Student",
    "Tag",
    "Tag id",
    "Kind",
    "Annotations",
    "Unplaced",
    "Paragraphs",
    "Characters",
];

/// The columns [`csv`] adds when a key is set.
const KEY_COLUMNS: [&str; 4] = [
    "Paragraph precision",
    "Paragraph recall",
    "Span precision",
    "Span recall",
];

/// A share for the CSV: three decimals, or an empty cell where it is undefined (nothing marked
/// to take a share of).
fn share(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| decimal(x, SCORE_PLACES))
}

/// The class summary as CSV (RFC 4180, UTF-8 with a byte-order mark, CRLF line ends, cells
/// guarded against formulas, as the report's): one row per student (in the order shown) and tag
/// any student used (in the taxonomy's order), even where that student did not use it.
///
/// Columns: Student (name or hidden name); Tag (label); Tag id; Kind (Pillar or Theme);
/// Annotations (placed ones with the tag); Unplaced (with the tag, not found in the text);
/// Paragraphs (overlapped by the placed ones); Characters (code points they cover, each once);
/// with a key, precision and recall against it by paragraph and by code point (empty where
/// undefined: nothing marked to take a share of).
pub fn csv(class: &ClassSet, doc: &Document, key: Option<&Key>, hide: bool) -> String {
    let tags: Vec<_> = class
        .tags
        .iter()
        .filter(|t| {
            class.students.iter().any(|s| {
                let mut all = s.marks.iter().chain(&s.unplaced);
                all.any(|m| m.tags.contains(&t.id))
            })
        })
        .collect();
    let key_columns = key.map_or(&[][..], |_| &KEY_COLUMNS[..]);
    let mut out = String::from("\u{feff}");
    out.push_str(&[&COLUMNS[..], key_columns].concat().join(","));
    out.push_str("\r\n");
    for i in class.order(hide) {
        let student = &class.students[i];
        let marked = marked_by_tag(
            doc,
            student.marks.iter().map(|m| (&m.tags[..], m.start, m.end)),
        );
        for t in &tags {
            let mine = marked.get(&t.id);
            let unplaced = student.unplaced.iter().filter(|m| m.tags.contains(&t.id));
            let mut row = vec![
                class.name(i, hide),
                t.label.clone(),
                t.id.clone(),
                match t.kind {
                    TagKind::Pillar => "Pillar",
                    TagKind::Theme => "Theme",
                }
                .into(),
                mine.map_or(0, |m| m.annotations).to_string(),
                unplaced.count().to_string(),
                mine.map_or(0, |m| m.paragraphs.len()).to_string(),
                mine.map_or(0, |m| Overlap::of_spans(&m.spans, &[]).a)
                    .to_string(),
            ];
            if let Some(key) = key {
                let score = Score::of(mine, key.marked(&t.id));
                row.extend([
                    share(score.paragraphs.precision()),
                    share(score.paragraphs.recall()),
                    share(score.spans.precision()),
                    share(score.spans.recall()),
                ]);
            }
            let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

/// Every student's annotations (placed ones in document order, then unplaced ones), students in
/// the order shown, as one W3C `AnnotationCollection`; each annotation's `creator` is its
/// student's name, or hidden name. An id two students share (one had imported the other's work)
/// is kept by the first; the other's copy gets the id with its student's hidden name appended,
/// which names nobody.
pub fn collection(class: &ClassSet, doc: &Document, hide: bool, generated: Millis) -> Value {
    let source = document_iri(&doc.id);
    let anchorer = Anchorer::new(&doc.text);
    let label = |id: &str| class.tag(id).map_or(id, |t| t.label.as_str()).to_string();
    let mut taken: HashSet<String> = HashSet::new();
    let mut items = Vec::new();
    for i in class.order(hide) {
        let student = &class.students[i];
        let marks = (student.marks.iter().map(|m| (m, false)))
            .chain(student.unplaced.iter().map(|m| (m, true)));
        for (m, orphan) in marks {
            let id = unique_id(&m.id, student.alias, &mut taken);
            let a = annotation(m, id, class.name(i, hide), orphan);
            items.push(annotation_json(&a, &label, &source, &anchorer));
        }
    }
    let title: String = doc.title().split_whitespace().collect::<Vec<_>>().join(" ");
    collection_json(
        &format!("class {}", doc.id),
        &format!("Class annotations on “{title}”"),
        items,
        class.own_themes(),
        generated,
    )
}

/// `id`, or, when an earlier student's annotation has it, `id` with this student's hidden name.
fn unique_id(id: &str, alias: u32, taken: &mut HashSet<String>) -> String {
    let mut unique = id.to_string();
    let mut n = 1;
    while taken.contains(&unique) {
        unique = format!("{id}-{}", slug(&hidden_name(alias)));
        if n > 1 {
            unique.push_str(&format!("-{n}"));
        }
        n += 1;
    }
    taken.insert(unique.clone());
    unique
}

/// A student's mark as an annotation signed with `creator`.
fn annotation(m: &Mark, id: String, creator: String, orphan: bool) -> Annotation {
    Annotation {
        id,
        start: m.start,
        end: m.end,
        quote: m.quote.clone(),
        tags: m.tags.clone(),
        note: m.note.clone(),
        created: m.created,
        modified: m.modified,
        creator: Some(creator),
        history: Vec::new(),
        orphan,
        conflict_of: None,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use serde_json::json;

    use super::super::key::KeyChoice;
    use super::super::testing::{doc, file_of, item};
    use super::*;
    use crate::core::tags::default_tags;
    use crate::core::w3c::read_file;

    /// Paragraphs at 0..4 and 6..10. "Diallo, Amina": Pillar I 0..3 and 1..4 (the second also
    /// "=SUM(A1)"); Ben: Pillar II 6..9, and a Pillar I passage that is not in the text.
    fn sample() -> (Document, ClassSet) {
        let d = doc(&["aaaa", "bbbb"]);
        let amina = Some("Diallo, Amina");
        let mut lost = item(&d, "b-1", (0, 2, &["Pillar I"], ""), Some("Ben"));
        lost["target"]["selector"][0]["exact"] = json!("not in the text at all");
        let mut c = ClassSet::new(&d.id);
        c.add_files(
            &d,
            &[
                file_of(
                    "amina.json",
                    vec![
                        item(&d, "same", (0, 3, &["Pillar I"], "mine"), amina),
                        item(&d, "a-1", (1, 4, &["Pillar I", "=SUM(A1)"], ""), amina),
                    ],
                ),
                file_of(
                    "ben.json",
                    vec![
                        item(&d, "same", (6, 9, &["Pillar II"], ""), Some("Ben")),
                        lost,
                    ],
                ),
            ],
        );
        (d, c)
    }

    #[test]
    fn the_summary_has_a_row_per_student_and_tag() {
        let (d, c) = sample();
        let want = "\u{feff}Student,Tag,Tag id,Kind,Annotations,Unplaced,Paragraphs,Characters\r\n\
            Ben,Pillar I,pillar-1,Pillar,0,1,0,0\r\n\
            Ben,Pillar II,pillar-2,Pillar,1,0,1,3\r\n\
            Ben,'=SUM(A1),custom-sum-a1,Theme,0,0,0,0\r\n\
            \"Diallo, Amina\",Pillar I,pillar-1,Pillar,2,0,1,4\r\n\
            \"Diallo, Amina\",Pillar II,pillar-2,Pillar,0,0,0,0\r\n\
            \"Diallo, Amina\",'=SUM(A1),custom-sum-a1,Theme,1,0,1,3\r\n";
        assert_eq!(csv(&c, &d, None, false), want);
    }

    #[test]
    fn with_a_key_the_summary_scores_each_tag() {
        let (d, mut c) = sample();
        c.set_key(Some(KeyChoice::Teacher));
        // The key: Pillar I on 0..4 (¶0).
        let teacher = [Annotation::bare("t", 0, 4, &["pillar-1"])];
        let key = Key::chosen(&c, &d, &teacher, &default_tags()).unwrap();
        let got = csv(&c, &d, Some(&key), true);
        let lines: Vec<&str> = got.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "\u{feff}Student,Tag,Tag id,Kind,Annotations,Unplaced,Paragraphs,Characters,Paragraph precision,Paragraph recall,Span precision,Span recall"
        );
        let (amina, ben) = (
            c.name(c.student("diallo, amina").unwrap(), true),
            c.name(c.student("ben").unwrap(), true),
        );
        let rows: Vec<&str> = lines[1..].to_vec();
        let row = |who: &str, tag: &str| {
            rows.iter()
                .find(|r| r.starts_with(&format!("{who},{tag},")))
                .copied()
                .unwrap()
        };
        // Ben placed no Pillar I: no precision, and none of the key found.
        assert!(row(&ben, "Pillar I").ends_with(",0,1,0,0,,0.000,,0.000"));
        // His Pillar II is none of the key's, which has no Pillar II to recall.
        assert!(row(&ben, "Pillar II").ends_with(",1,0,1,3,0.000,,0.000,"));
        assert!(row(&ben, "'=SUM(A1)").ends_with(",0,0,0,0,,,,"));
        assert!(row(&amina, "Pillar I").ends_with(",2,0,1,4,1.000,1.000,1.000,1.000"));
        assert!(row(&amina, "'=SUM(A1)").ends_with(",1,0,1,3,0.000,,0.000,"));
        assert!(!got.contains("Ben") && !got.contains("Diallo"), "{got}");
        assert_eq!(
            rows.len(),
            7,
            "six rows and the empty string after the last CRLF"
        );
    }

    #[test]
    fn the_collection_keeps_every_annotation_signed_by_its_student() {
        let (d, c) = sample();
        let v = collection(&c, &d, false, 1_795_000_000_000);
        assert_eq!(v["type"], "AnnotationCollection");
        assert_eq!(v["label"], "Class annotations on “aaaa”");
        assert_eq!(v["r2p:taxonomy"][0]["label"], "=SUM(A1)");
        let back = read_file(&serde_json::to_vec(&v).unwrap()).unwrap();
        assert_eq!(back.rejected, vec![], "every id is unique");
        let got: Vec<(String, Option<String>, Option<String>)> = back
            .items
            .iter()
            .map(|i| (i.id.clone(), i.creator.clone(), i.selectors.exact.clone()))
            .collect();
        let ben_alias = c.students()[c.student("ben").unwrap()].alias;
        let (amina_alias, ben) = (
            c.students()[c.student("diallo, amina").unwrap()].alias,
            Some("Ben".to_string()),
        );
        assert_ne!(ben_alias, amina_alias);
        let amina = Some("Diallo, Amina".to_string());
        assert_eq!(
            got,
            [
                ("same".to_string(), ben.clone(), Some("bbb".into())),
                ("b-1".into(), ben, Some("not in the text at all".into())),
                (
                    format!(
                        "same-student-{}",
                        crate::core::class::names::letters(amina_alias).to_lowercase()
                    ),
                    amina.clone(),
                    Some("aaa".into())
                ),
                ("a-1".into(), amina, Some("aaa".into())),
            ]
        );
        assert_eq!(back.items[2].note, "mine");
        assert_eq!(back.items[3].tags, ["Pillar I", "=SUM(A1)"]);
        assert_eq!(
            back.items[1].selectors.position, None,
            "unplaced: its quote only"
        );
        let hidden = collection(&c, &d, true, 1_795_000_000_000).to_string();
        assert!(!hidden.contains("Ben") && !hidden.contains("Diallo"));
        assert!(hidden.contains("Student A") && hidden.contains("Student B"));
        assert_eq!(file_name(&d, "csv"), "aaaa-annotations-class.csv");
    }
}
