//! The answer key: one student's annotations or the teacher's own, and how far each student's
//! match it per pillar — by paragraph and by code point, as precision and recall.

use std::collections::BTreeMap;

use super::{marked_by_tag, ClassSet, Marked, PILLARS};
use crate::core::document::Document;
use crate::core::overlap::Overlap;
use crate::core::store::Annotation;
use crate::core::tags::Tag;

/// Whose annotations are the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyChoice {
    /// The teacher's own (the document's annotations in the teacher's store).
    Teacher,
    /// The student with this name key.
    Student(String),
}

/// What the key marked, tag by tag (tag ids of the class's taxonomy).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Key {
    by_tag: BTreeMap<String, Marked>,
}

impl Key {
    /// Student `i`'s placed annotations as the key.
    pub fn of_student(class: &ClassSet, doc: &Document, i: usize) -> Key {
        let marks = &class.students[i].marks;
        Key {
            by_tag: marked_by_tag(doc, marks.iter().map(|m| (&m.tags[..], m.start, m.end))),
        }
    }

    /// The teacher's placed annotations as the key. Their tag ids are the teacher's: each is
    /// matched to the class's tag of the same label (`tags` are the teacher's tags), so a theme
    /// the teacher and the students made separately under one name is one tag.
    pub fn of_teacher<'a>(
        class: &ClassSet,
        doc: &Document,
        annotations: impl IntoIterator<Item = &'a Annotation>,
        tags: &[Tag],
    ) -> Key {
        let class_id = |id: &String| -> String {
            let label = tags
                .iter()
                .find(|t| &t.id == id)
                .map(|t| t.label.to_lowercase());
            label
                .and_then(|l| class.tags.iter().find(|t| t.label.to_lowercase() == l))
                .map_or_else(|| id.clone(), |t| t.id.clone())
        };
        let placed: Vec<(Vec<String>, usize, usize)> = annotations
            .into_iter()
            .filter(|a| !a.orphan)
            .map(|a| (a.tags.iter().map(class_id).collect(), a.start, a.end))
            .collect();
        Key {
            by_tag: marked_by_tag(doc, placed.iter().map(|(t, s, e)| (&t[..], *s, *e))),
        }
    }

    /// The key the class has chosen ([`ClassSet::key`]), from the teacher's annotations and tags
    /// when it is theirs; None when none is chosen.
    pub fn chosen<'a>(
        class: &ClassSet,
        doc: &Document,
        teacher: impl IntoIterator<Item = &'a Annotation>,
        teacher_tags: &[Tag],
    ) -> Option<Key> {
        match class.key.as_ref()? {
            KeyChoice::Teacher => Some(Key::of_teacher(class, doc, teacher, teacher_tags)),
            KeyChoice::Student(k) => Some(Key::of_student(class, doc, class.student(k)?)),
        }
    }

    /// What the key marked with this tag.
    pub fn marked(&self, tag: &str) -> Option<&Marked> {
        self.by_tag.get(tag)
    }
}

/// A student's marks with one tag against the key's: precision and recall come from each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Score {
    /// Paragraphs tagged (the student's `a`, the key's `b`).
    pub paragraphs: Overlap,
    /// Code points tagged.
    pub spans: Overlap,
}

impl Score {
    /// The score of what a student marked with a tag against what the key marked with it.
    pub fn of(student: Option<&Marked>, key: Option<&Marked>) -> Score {
        let empty = Marked::default();
        let (s, k) = (student.unwrap_or(&empty), key.unwrap_or(&empty));
        Score {
            paragraphs: Overlap::of_units(&s.paragraphs, &k.paragraphs),
            spans: Overlap::of_spans(&s.spans, &k.spans),
        }
    }
}

/// One student's scores per pillar.
#[derive(Clone, Debug, PartialEq)]
pub struct StudentScores {
    /// The student (index into [`ClassSet::students`]).
    pub student: usize,
    /// Their name, or hidden name.
    pub name: String,
    /// They are the key (their scores are 1 wherever they marked anything).
    pub is_key: bool,
    /// Per pillar, in [`PILLARS`] order.
    pub pillars: [Score; 3],
}

/// Every student's scores per pillar against `key`, in the order shown.
pub fn pillar_scores(
    class: &ClassSet,
    doc: &Document,
    key: &Key,
    hide: bool,
) -> Vec<StudentScores> {
    let key_student = match &class.key {
        Some(KeyChoice::Student(k)) => class.student(k),
        _ => None,
    };
    class
        .order(hide)
        .into_iter()
        .map(|i| {
            let marks = &class.students[i].marks;
            let mine = marked_by_tag(doc, marks.iter().map(|m| (&m.tags[..], m.start, m.end)));
            StudentScores {
                student: i,
                name: class.name(i, hide),
                is_key: key_student == Some(i),
                pillars: PILLARS.map(|p| Score::of(mine.get(p), key.marked(p))),
            }
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::testing::{class, doc};
    use super::*;
    use crate::core::tags::{default_tags, TagKind};

    /// Paragraphs at 0..10 and 12..22.
    fn sample() -> (Document, ClassSet) {
        let d = doc(&["aaaaaaaaaa", "bbbbbbbbbb"]);
        let c = class(
            &d,
            &[
                (
                    "Amina",
                    &[
                        (2, 6, &["Pillar I"], ""),
                        (12, 20, &["Women, peace & security"], ""),
                        (14, 18, &["Pillar II"], ""),
                    ],
                ),
                (
                    "Ben",
                    &[(0, 10, &["Pillar I"], ""), (12, 14, &["Pillar I"], "")],
                ),
            ],
        );
        (d, c)
    }

    /// (precision, recall) by paragraph, then by code point.
    type Shares = ((Option<f64>, Option<f64>), (Option<f64>, Option<f64>));

    fn shares(s: &Score) -> Shares {
        (
            (s.paragraphs.precision(), s.paragraphs.recall()),
            (s.spans.precision(), s.spans.recall()),
        )
    }

    #[test]
    fn students_are_scored_per_pillar_against_the_teachers_annotations() {
        let (d, mut c) = sample();
        let mut theme = Annotation::bare("t2", 12, 16, &["custom-mine"]);
        theme.creator = Some("Teacher".into());
        let mut lost = Annotation::bare("t3", 0, 22, &["pillar-2"]);
        lost.orphan = true;
        let teacher = [Annotation::bare("t1", 0, 10, &["pillar-1"]), theme, lost];
        let mut tags = default_tags();
        tags.push(Tag {
            id: "custom-mine".into(),
            label: "women, peace & security".into(),
            description: String::new(),
            color: "#ffec99".into(),
            badge: "WP*".into(),
            kind: TagKind::Theme,
        });
        assert!(c.set_key(Some(KeyChoice::Teacher)));
        let key = Key::chosen(&c, &d, &teacher, &tags).expect("a key");
        let scores = pillar_scores(&c, &d, &key, false);
        assert_eq!(scores.len(), 2);
        let (amina, ben) = (&scores[0], &scores[1]);
        assert_eq!((amina.name.as_str(), amina.is_key), ("Amina", false));
        // Pillar I: the key marks ¶0, 0..10. Amina ¶0, 2..6: every paragraph and code point of
        // hers is the key's; she found ¶0 and 4 of its 10 code points.
        assert_eq!(
            shares(&amina.pillars[0]),
            ((Some(1.0), Some(1.0)), (Some(1.0), Some(0.4)))
        );
        // Pillar II: the key's only one is unplaced, so it marks nothing: no recall; Amina's
        // paragraph and code points are none of the key's.
        assert_eq!(
            shares(&amina.pillars[1]),
            ((Some(0.0), None), (Some(0.0), None))
        );
        assert_eq!(shares(&amina.pillars[2]), ((None, None), (None, None)));
        // Ben: ¶0 and ¶1 (12 code points) against ¶0 (10): half his paragraphs, 10 of his 12
        // code points; all of the key's.
        assert_eq!(
            shares(&ben.pillars[0]),
            ((Some(0.5), Some(1.0)), (Some(10.0 / 12.0), Some(1.0)))
        );
        // The teacher's theme is the students' theme of the same name: Amina marked 12..20, the
        // key 12..16.
        let theme = c.own_themes()[0].id.clone();
        let marks = &c.students[0].marks;
        let amina_theme = crate::core::class::marked_by_tag(
            &d,
            marks.iter().map(|m| (&m.tags[..], m.start, m.end)),
        );
        let s = Score::of(amina_theme.get(&theme), key.marked(&theme));
        assert_eq!(shares(&s), ((Some(1.0), Some(1.0)), (Some(0.5), Some(1.0))));
    }

    #[test]
    fn a_student_can_be_the_key() {
        let (d, mut c) = sample();
        assert_eq!(Key::chosen(&c, &d, &[], &[]), None, "no key chosen");
        assert!(c.set_key(Some(KeyChoice::Student("ben".into()))));
        let key = Key::chosen(&c, &d, &[], &[]).unwrap();
        let scores = pillar_scores(&c, &d, &key, true);
        let ben = scores.iter().find(|s| s.is_key).unwrap();
        assert_eq!(ben.student, c.student("ben").unwrap());
        assert!(ben.name.starts_with("Student "));
        assert_eq!(
            shares(&ben.pillars[0]),
            ((Some(1.0), Some(1.0)), (Some(1.0), Some(1.0)))
        );
        let amina = scores.iter().find(|s| !s.is_key).unwrap();
        // Amina ¶0, 2..6 against Ben's ¶0 and ¶1, 0..10 and 12..14.
        assert_eq!(
            shares(&amina.pillars[0]),
            ((Some(1.0), Some(0.5)), (Some(1.0), Some(4.0 / 12.0)))
        );
    }
}
