//! The class set in storage: one compact, versioned JSON value per document, kept until the
//! teacher clears the class; damaged data is backed up untouched, a full storage reported.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::key::KeyChoice;
use super::names::{name_key, tidy};
use super::roster::{sort_marks, Aside, ClassSet, Mark, Student, Waiting};
use crate::core::anchor::{Anchorer, Anchoring, Selectors};
use crate::core::document::Document;
use crate::core::envelope::{APP, KEY_PREFIX, SCHEMA_VERSION};
use crate::core::kv::KeyValue;
use crate::core::persist::{read, Problem};
use crate::core::store::{Millis, MAX_ID_CHARS};
use crate::core::tags::{default_tags, Tag};

/// The format of the stored class this build writes and reads.
pub const CLASS_SCHEMA: u32 = 1;

/// The storage key of the class of the document with this content id (beside the teacher's own
/// annotations, [`crate::core::envelope::annotations_key`]).
pub fn class_key(document_id: &str) -> String {
    format!("{KEY_PREFIX}:v{SCHEMA_VERSION}:class:{document_id}")
}

/// What a damaged class of this document is backed up under ([`crate::core::kv::backup_key`]).
fn backup_scope(document_id: &str) -> String {
    format!("class:{document_id}")
}

/// How the class is named in messages about its storage.
const WHAT: &str = "The class's data";

/// Why stored class data could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ClassDataError {
    /// Not JSON, or not what this app writes.
    #[error("The saved class is damaged and could not be read ({0}).")]
    Corrupt(String),
    /// Written by a newer version of the app.
    #[error("The saved class was written by a newer version of R2P Annotator (format {0}; this one reads format {CLASS_SCHEMA}).")]
    NewerVersion(u64),
    /// Belongs to another document.
    #[error("The saved class belongs to a different document.")]
    OtherDocument,
}

/// A mark as an array: id, start, end, quote, tag ids, note, created, modified.
#[derive(Serialize, Deserialize)]
struct StoredMark(
    String,
    usize,
    usize,
    String,
    Vec<String>,
    String,
    Millis,
    Millis,
);

/// A waiting annotation as an array: its mark, then exact, prefix, suffix, position, whether
/// its source is this document.
#[derive(Serialize, Deserialize)]
struct StoredWaiting(
    StoredMark,
    Option<String>,
    String,
    String,
    Option<(usize, usize)>,
    bool,
);

#[derive(Serialize, Deserialize)]
struct StoredStudent {
    name: String,
    alias: u32,
    files: Vec<String>,
    marks: Vec<StoredMark>,
    #[serde(default)]
    unplaced: Vec<StoredMark>,
}

#[derive(Serialize, Deserialize)]
struct StoredAside {
    file: String,
    name: String,
    alias: u32,
    items: Vec<StoredWaiting>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum StoredKey {
    Teacher,
    Student(String),
}

/// The stored value. The built-in tags are not stored: only the students' own themes.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    schema: u32,
    app: String,
    document: String,
    #[serde(default)]
    hidden: bool,
    #[serde(default)]
    key: Option<StoredKey>,
    next_alias: u32,
    #[serde(default)]
    themes: Vec<Tag>,
    #[serde(default)]
    students: Vec<StoredStudent>,
    #[serde(default)]
    aside: Vec<StoredAside>,
}

/// The version alone, read first so that a newer format is not called damaged.
#[derive(Deserialize)]
struct Head {
    schema: Option<u64>,
}

fn stored_mark(m: &Mark) -> StoredMark {
    StoredMark(
        m.id.clone(),
        m.start,
        m.end,
        m.quote.clone(),
        m.tags.clone(),
        m.note.clone(),
        m.created,
        m.modified,
    )
}

fn mark(s: StoredMark) -> Mark {
    let StoredMark(id, start, end, quote, tags, note, created, modified) = s;
    Mark {
        id,
        start,
        end,
        quote,
        tags,
        note,
        created,
        modified,
    }
}

/// The class as stored: deterministic, so that an unchanged class is not written again.
pub fn to_json(class: &ClassSet) -> String {
    let stored = Stored {
        schema: CLASS_SCHEMA,
        app: APP.into(),
        document: class.document.clone(),
        hidden: class.hidden,
        key: class.key.as_ref().map(|k| match k {
            KeyChoice::Teacher => StoredKey::Teacher,
            KeyChoice::Student(s) => StoredKey::Student(s.clone()),
        }),
        next_alias: class.next_alias,
        themes: class.own_themes().to_vec(),
        students: class
            .students
            .iter()
            .map(|s| StoredStudent {
                name: s.name.clone(),
                alias: s.alias,
                files: s.files.clone(),
                marks: s.marks.iter().map(stored_mark).collect(),
                unplaced: s.unplaced.iter().map(stored_mark).collect(),
            })
            .collect(),
        aside: class
            .aside
            .iter()
            .map(|a| StoredAside {
                file: a.file.clone(),
                name: a.name.clone(),
                alias: a.alias,
                items: a
                    .items
                    .iter()
                    .map(|w| {
                        let s = &w.selectors;
                        StoredWaiting(
                            stored_mark(&w.mark),
                            s.exact.clone(),
                            s.prefix.clone(),
                            s.suffix.clone(),
                            s.position,
                            w.here,
                        )
                    })
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_string(&stored).expect("a class always serialises")
}

fn corrupt(why: impl Into<String>) -> ClassDataError {
    ClassDataError::Corrupt(why.into())
}

/// Reads stored text for the document with this id, checking everything that does not depend
/// on the document's text: the version first, then the shape, then that names, ids, tags and
/// hidden names are what this app writes.
fn parse(raw: &str, document_id: &str) -> Result<Stored, ClassDataError> {
    let head: Head = serde_json::from_str(raw).map_err(|e| corrupt(e.to_string()))?;
    let schema = head.schema.ok_or_else(|| corrupt("no format version"))?;
    if schema > u64::from(CLASS_SCHEMA) {
        return Err(ClassDataError::NewerVersion(schema));
    }
    let s: Stored = serde_json::from_str(raw).map_err(|e| corrupt(e.to_string()))?;
    if s.app != APP || s.schema == 0 {
        return Err(corrupt("not R2P Annotator data"));
    }
    if s.document != document_id {
        return Err(ClassDataError::OtherDocument);
    }
    let builtin: HashSet<String> = default_tags().into_iter().map(|t| t.id).collect();
    let mut themes: HashSet<&str> = HashSet::new();
    for t in &s.themes {
        if t.id.is_empty() || builtin.contains(&t.id) || !themes.insert(&t.id) {
            return Err(corrupt(format!(
                "the theme “{}” has an id that is empty or taken",
                t.label
            )));
        }
    }
    let known = |id: &String| builtin.contains(id) || themes.contains(id.as_str());
    let check_mark = |m: &StoredMark, who: &str| -> Result<(), ClassDataError> {
        let StoredMark(id, _, _, _, tags, ..) = m;
        if id.is_empty() || id.chars().count() > MAX_ID_CHARS {
            return Err(corrupt(format!(
                "an annotation of {who} has an id of {} characters",
                id.chars().count()
            )));
        }
        match tags.iter().find(|t| !known(t)) {
            Some(t) => Err(corrupt(format!(
                "an annotation of {who} has an unknown tag “{t}”"
            ))),
            None => Ok(()),
        }
    };
    let mut keys: HashSet<String> = HashSet::new();
    let mut aliases: HashSet<u32> = HashSet::new();
    for st in &s.students {
        let key = name_key(&st.name);
        if key.is_empty() {
            return Err(corrupt("a student has no name"));
        }
        if !keys.insert(key) {
            return Err(corrupt(format!(
                "the student “{}” is listed twice",
                st.name
            )));
        }
        if !aliases.insert(st.alias) || st.alias >= s.next_alias {
            return Err(corrupt(format!(
                "the student “{}” has a wrong hidden name",
                st.name
            )));
        }
        let mut ids: HashSet<&str> = HashSet::new();
        for m in st.marks.iter().chain(&st.unplaced) {
            check_mark(m, &st.name)?;
            let StoredMark(id, ..) = m;
            if !ids.insert(id) {
                return Err(corrupt(format!(
                    "{} has the annotation “{id}” twice",
                    st.name
                )));
            }
        }
        // A placed mark's passage is never empty.
        if (st.marks.iter()).any(|StoredMark(_, start, end, ..)| start >= end) {
            return Err(corrupt(format!(
                "an annotation of {} has an empty passage",
                st.name
            )));
        }
    }
    for a in &s.aside {
        if name_key(&a.name).is_empty() || a.alias >= s.next_alias {
            return Err(corrupt(format!(
                "the file “{}” set aside has no student",
                a.file
            )));
        }
        for w in &a.items {
            check_mark(&w.0, &a.name)?;
        }
    }
    if let Some(StoredKey::Student(k)) = &s.key {
        if !keys.contains(k) {
            return Err(corrupt("the answer key names no student of the class"));
        }
    }
    Ok(s)
}

/// The class from what was stored, for `doc` as it is now: a mark whose place no longer holds
/// its quote (the text was read differently by a newer version of the app) is found again by its
/// quote, or kept unplaced — never dropped.
fn build(s: Stored, doc: &Document) -> ClassSet {
    let anchorer = Anchorer::new(&doc.text);
    let mut tags = default_tags();
    tags.extend(s.themes);
    let students = s
        .students
        .into_iter()
        .map(|st| {
            let mut unplaced: Vec<Mark> = st.unplaced.into_iter().map(mark).collect();
            let mut marks = Vec::new();
            for mut m in st.marks.into_iter().map(mark) {
                if m.end <= doc.len && anchorer.text(m.start, m.end) == m.quote {
                    marks.push(m);
                    continue;
                }
                let sel = Selectors {
                    exact: Some(m.quote.clone()).filter(|q| !q.is_empty()),
                    prefix: String::new(),
                    suffix: String::new(),
                    position: Some((m.start, m.end)),
                };
                match anchorer.anchor(&sel, true) {
                    Anchoring::Position { start, end }
                    | Anchoring::Moved { start, end }
                    | Anchoring::Fuzzy { start, end, .. } => {
                        (m.start, m.end) = (start, end);
                        m.quote = anchorer.text(start, end);
                        marks.push(m);
                    }
                    Anchoring::Orphan => unplaced.push(m),
                }
            }
            sort_marks(&mut marks);
            Student {
                key: name_key(&st.name),
                name: tidy(&st.name),
                alias: st.alias,
                files: st.files,
                marks,
                unplaced,
            }
        })
        .collect();
    let aside = s
        .aside
        .into_iter()
        .map(|a| Aside {
            key: name_key(&a.name),
            name: tidy(&a.name),
            file: a.file,
            alias: a.alias,
            items: a
                .items
                .into_iter()
                .map(
                    |StoredWaiting(m, exact, prefix, suffix, position, here)| Waiting {
                        selectors: Selectors {
                            exact,
                            prefix,
                            suffix,
                            position,
                        },
                        here,
                        mark: mark(m),
                    },
                )
                .collect(),
        })
        .collect();
    ClassSet {
        document: s.document,
        tags,
        students,
        aside,
        key: s.key.map(|k| match k {
            StoredKey::Teacher => KeyChoice::Teacher,
            StoredKey::Student(k) => KeyChoice::Student(k),
        }),
        hidden: s.hidden,
        next_alias: s.next_alias,
    }
}

/// Reads stored class data for `doc`.
pub fn from_json(raw: &str, doc: &Document) -> Result<ClassSet, ClassDataError> {
    parse(raw, &doc.id).map(|s| build(s, doc))
}

/// What saving a class did.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassSaved {
    /// The document whose class it is.
    pub document: String,
    /// Whether the class is now in storage as it is in memory.
    pub ok: bool,
    /// What to tell the teacher, if anything.
    pub problem: Option<Problem>,
}

/// Saves the class (an empty one is removed from storage). Stored data that cannot be read is
/// backed up first and never written over otherwise; whatever fails, the class in memory stays
/// as it is, and the message says how to keep it.
pub fn save_class(kv: &mut dyn KeyValue, class: &ClassSet) -> ClassSaved {
    let document = class.document.clone();
    let key = class_key(&document);
    let mut out = ClassSaved {
        document,
        ok: false,
        problem: None,
    };
    let stored = read(
        kv,
        &key,
        &backup_scope(&out.document),
        WHAT,
        |raw| parse(raw, &out.document).map(|_| ()),
        &mut out.problem,
    );
    let stored = match stored {
        Ok(v) => v,
        Err(p) => {
            out.problem = Some(p);
            return out;
        }
    };
    let written = if class.is_empty() {
        if stored.is_none() {
            Ok(())
        } else {
            kv.remove(&key)
        }
    } else {
        let json = to_json(class);
        if stored.is_some_and(|(raw, _)| raw == json) {
            Ok(())
        } else {
            kv.set(&key, &json)
        }
    };
    match written {
        Ok(()) => out.ok = true,
        Err(e) => {
            out.problem = Some(Problem::NotSaved(format!(
                "The class could not be saved: {e}. It stays open in this tab while the tab is open, and what was saved before is untouched. The students' files are not changed: export the class or open them again later."
            )))
        }
    }
    out
}

/// Reads the class stored for `doc`, if any, without writing anything but a backup of damaged
/// data (the teacher told where it is).
pub fn load_class(kv: &mut dyn KeyValue, doc: &Document) -> (Option<ClassSet>, Option<Problem>) {
    let mut problem = None;
    match read(
        kv,
        &class_key(&doc.id),
        &backup_scope(&doc.id),
        WHAT,
        |raw| parse(raw, &doc.id),
        &mut problem,
    ) {
        Ok(v) => (v.map(|(_, s)| build(s, doc)), problem),
        Err(p) => (None, Some(p)),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::super::testing::{at, doc, file, file_of, item, Mem};
    use super::super::ClassFile;
    use super::*;
    use crate::core::kv::backup_key;

    const TEXT: [&str; 2] = [
        "The State bears the primary responsibility to protect.",
        "Timely and decisive response is needed.",
    ];

    /// A class with a bit of everything: two students, a theme of theirs, an unplaced
    /// annotation, a file set aside, a key and hidden names.
    fn sample(d: &Document) -> ClassSet {
        let mut c = ClassSet::new(&d.id);
        let (s, e) = at(d, "primary responsibility");
        let mut lost = item(d, "b-1", (0, 3, &["Pillar I"], ""), Some("Ben"));
        lost["target"]["selector"][0]["exact"] = json!("not in the text at all");
        let mut elsewhere = item(d, "c-0", (0, 3, &["Pillar III"], ""), Some("Chloé"));
        elsewhere["target"]["source"] = json!("https://example.org/other");
        c.add_files(
            d,
            &[
                file(d, "Amina", &[(s, e, &["Pillar I", "My theme"], "a “note”")]),
                file_of(
                    "ben.json",
                    vec![item(d, "b-0", (s, e, &[], ""), Some("Ben")), lost],
                ),
                file_of("chloe.json", vec![elsewhere]),
            ],
        );
        c.set_key(Some(KeyChoice::Student("ben".into())));
        c.set_hidden(true);
        c
    }

    #[test]
    fn a_class_comes_back_as_it_was_stored() {
        let d = doc(&TEXT);
        let c = sample(&d);
        assert_eq!(c.students()[1].unplaced.len(), 1);
        assert_eq!(c.aside().len(), 1);
        let json = to_json(&c);
        assert_eq!(from_json(&json, &d), Ok(c.clone()));
        let mut kv = Mem::default();
        let saved = save_class(&mut kv, &c);
        assert_eq!((saved.ok, saved.problem), (true, None));
        assert_eq!(kv.values[&class_key(&d.id)], json);
        assert_eq!(class_key(&d.id), format!("r2p-annotator:v1:class:{}", d.id));
        assert_eq!(load_class(&mut kv, &d), (Some(c.clone()), None));
        save_class(&mut kv, &c);
        assert_eq!(kv.writes, 1, "an unchanged class is not written again");
        let mut cleared = c;
        cleared.clear();
        assert!(save_class(&mut kv, &cleared).ok);
        assert!(
            kv.values.is_empty(),
            "a cleared class leaves nothing stored"
        );
        assert_eq!(load_class(&mut kv, &d), (None, None));
    }

    #[test]
    fn damaged_data_is_backed_up_untouched_and_reported() {
        let d = doc(&TEXT);
        let mut kv = Mem::default();
        let key = class_key(&d.id);
        let raw = r#"{"schema":1,"app":"r2p-annotator","document":"x","#;
        kv.values.insert(key.clone(), raw.into());
        let (class, problem) = load_class(&mut kv, &d);
        assert_eq!(class, None);
        let backup = backup_key(
            &format!("class:{}", d.id),
            &raw.encode_utf16().collect::<Vec<_>>(),
        );
        let Some(Problem::BackedUp(message)) = problem else {
            panic!("{problem:?}")
        };
        assert!(
            message.starts_with("The saved class is damaged and could not be read ("),
            "{message}"
        );
        assert!(message.contains(&backup), "{message}");
        assert_eq!(kv.values[&backup], raw, "kept exactly");
        assert_eq!(kv.values[&key], raw, "reading writes nothing over it");
        // Saving then writes afresh, the backup staying.
        let c = sample(&d);
        assert!(save_class(&mut kv, &c).ok);
        assert_eq!(kv.values[&key], to_json(&c));
        assert_eq!(kv.values[&backup], raw);
    }

    #[test]
    fn what_this_app_would_not_write_is_refused_with_the_reason() {
        let d = doc(&TEXT);
        let good: serde_json::Value = serde_json::from_str(&to_json(&sample(&d))).unwrap();
        let refused = |change: &dyn Fn(&mut serde_json::Value)| {
            let mut v = good.clone();
            change(&mut v);
            from_json(&v.to_string(), &d).unwrap_err().to_string()
        };
        assert_eq!(
            refused(&|v| v["schema"] = json!(2)),
            "The saved class was written by a newer version of R2P Annotator (format 2; this one reads format 1)."
        );
        assert_eq!(
            refused(&|v| v["document"] = json!("another")),
            "The saved class belongs to a different document."
        );
        assert_eq!(
            refused(&|v| v["students"][0]["marks"][0][4] = json!(["custom-gone"])),
            "The saved class is damaged and could not be read (an annotation of Amina has an unknown tag “custom-gone”)."
        );
        assert_eq!(
            refused(&|v| v["students"][1]["name"] = json!(" AMINA ")),
            "The saved class is damaged and could not be read (the student “ AMINA ” is listed twice)."
        );
        assert_eq!(
            refused(&|v| v["students"][0]["alias"] = json!(99)),
            "The saved class is damaged and could not be read (the student “Amina” has a wrong hidden name)."
        );
        assert_eq!(
            refused(&|v| v["key"] = json!({"student": "nobody"})),
            "The saved class is damaged and could not be read (the answer key names no student of the class)."
        );
        assert!(refused(&|v| v["app"] = json!("other")).ends_with("(not R2P Annotator data)."));
        assert!(refused(&|v| v["students"] = json!(3)).starts_with("The saved class is damaged"));
    }

    #[test]
    fn a_full_storage_is_reported_and_nothing_is_lost() {
        let d = doc(&TEXT);
        let mut kv = Mem::default();
        let c = sample(&d);
        save_class(&mut kv, &c);
        let before = kv.values.clone();
        kv.full = true;
        let mut more = c.clone();
        more.add_files(&d, &[file(&d, "Dao", &[(0, 3, &[], "")])]);
        let kept = more.clone();
        let saved = save_class(&mut kv, &more);
        assert!(!saved.ok);
        assert_eq!(
            saved.problem,
            Some(Problem::NotSaved("The class could not be saved: this browser's storage for the page is full. It stays open in this tab while the tab is open, and what was saved before is untouched. The students' files are not changed: export the class or open them again later.".into()))
        );
        assert_eq!(kv.values, before, "what was saved before is untouched");
        assert_eq!(more, kept);
    }

    #[test]
    fn marks_follow_their_quotes_when_the_text_is_read_differently() {
        let d = doc(&TEXT);
        let c = sample(&d);
        let raw = to_json(&c);
        // The same document (same id), read by a later version with a paragraph more in front
        // and the second paragraph gone.
        let mut later = doc(&["A new first paragraph.", TEXT[0]]);
        later.id = d.id.clone();
        let back = from_json(&raw, &later).unwrap();
        let amina = &back.students()[back.student("amina").unwrap()];
        let (s, e) = at(&later, "primary responsibility");
        assert_eq!((amina.marks[0].start, amina.marks[0].end), (s, e));
        assert_eq!(amina.marks[0].quote, "primary responsibility");
        let mut gone = c.clone();
        let dao = file(
            &d,
            "Dao",
            &[(at(&d, "decisive").0, at(&d, "decisive").1, &[], "")],
        );
        gone.add_files(&d, &[dao]);
        let back = from_json(&to_json(&gone), &later).unwrap();
        let dao = &back.students()[back.student("dao").unwrap()];
        assert!(dao.marks.is_empty());
        assert_eq!(
            dao.unplaced[0].quote, "decisive",
            "kept unplaced, never dropped"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// A class the roster built is never one its own storage would call damaged (that would
        /// back it up on every save).
        #[test]
        fn whatever_the_roster_builds_is_read_back_as_it_was(
            students in proptest::collection::vec(
                ("[ aA-]{0,3}", proptest::collection::vec((0usize..60, 1usize..30, 0usize..3), 0..5)),
                0..5,
            )
        ) {
            let d = doc(&TEXT);
            let files: Vec<ClassFile> = students
                .iter()
                .map(|(name, marks)| {
                    let items = (marks.iter().enumerate())
                        .map(|(k, &(start, len, t))| {
                            let tags: &[&str] = [&[][..], &["Pillar I"], &["My theme"]][t];
                            let end = (start + len).min(d.len);
                            item(&d, &k.to_string(), (start, end, tags, ""), None)
                        })
                        .collect();
                    file_of(&format!("{name}.json"), items)
                })
                .collect();
            let mut c = ClassSet::new(&d.id);
            c.add_files(&d, &files);
            prop_assert_eq!(from_json(&to_json(&c), &d), Ok(c));
        }
    }
}
