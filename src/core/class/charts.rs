//! The charts' data: each a typed table with a title and a one-sentence summary computed from its
//! numbers, so that the UI draws a chart and its accessible data table from the same value.

use super::heat::{paragraph_pillars, Dominant};
use super::{count, list, ClassSet, PILLARS};
use crate::core::document::{BlockKind, Document};
use crate::core::store::short_quote;
use crate::core::tags::TagKind;

/// Code points of a paragraph's text that name a row of unnumbered paragraphs.
const ROW_QUOTE_CHARS: usize = 30;

/// A column of values: a tag, or what the values count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// A tag id, or a plain word for a column that is no tag.
    pub id: String,
    /// Its header.
    pub label: String,
}

/// A row: what it is about, and one value per column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Its header.
    pub label: String,
    /// Counts, one per column.
    pub values: Vec<usize>,
}

/// A chart's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The chart's title.
    pub title: String,
    /// What the numbers say, in one sentence.
    pub description: String,
    /// The header of the rows' own column.
    pub row_header: String,
    /// The value columns.
    pub columns: Vec<Column>,
    /// The rows.
    pub rows: Vec<Row>,
}

/// The tags any student placed, in the taxonomy's order.
fn used_tags(class: &ClassSet) -> Vec<Column> {
    class
        .tags
        .iter()
        .filter(|t| {
            class
                .students
                .iter()
                .any(|s| s.marks.iter().any(|m| m.tags.contains(&t.id)))
        })
        .map(|t| Column {
            id: t.id.clone(),
            label: t.label.clone(),
        })
        .collect()
}

/// The labels with the highest total, and that total.
fn leaders(labels: &[String], totals: &[usize]) -> (Vec<String>, usize) {
    let most = totals.iter().copied().max().unwrap_or(0);
    let who = labels
        .iter()
        .zip(totals)
        .filter(|(_, &t)| t == most)
        .map(|(l, _)| l.clone())
        .collect();
    (who, most)
}

/// "was" for one, "were" for several.
fn were(n: usize) -> &'static str {
    if n == 1 {
        "was"
    } else {
        "were"
    }
}

/// How many of each student's placed annotations carry each tag any student used.
pub fn tags_per_student(class: &ClassSet, hide: bool) -> Table {
    let columns = used_tags(class);
    let rows: Vec<Row> = class
        .order(hide)
        .into_iter()
        .map(|i| Row {
            label: class.name(i, hide),
            values: columns
                .iter()
                .map(|c| {
                    let marks = &class.students[i].marks;
                    marks.iter().filter(|m| m.tags.contains(&c.id)).count()
                })
                .collect(),
        })
        .collect();
    let total: usize = rows.iter().flat_map(|r| &r.values).sum();
    let description = if total == 0 {
        "No student has tagged a passage yet.".to_string()
    } else {
        let labels: Vec<String> = columns.iter().map(|c| c.label.clone()).collect();
        let by_tag: Vec<usize> = (0..columns.len())
            .map(|c| rows.iter().map(|r| r.values[c]).sum())
            .collect();
        let (tags, tag_most) = leaders(&labels, &by_tag);
        let names: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
        let by_student: Vec<usize> = rows.iter().map(|r| r.values.iter().sum()).collect();
        let (students, student_most) = leaders(&names, &by_student);
        format!(
            "{} tagged passages {}; {} {} used most ({}), and {} tagged most ({}).",
            count(rows.len(), "student", "students"),
            count(total, "time", "times"),
            list(&tags),
            were(tags.len()),
            count(tag_most, "time", "times"),
            list(&students),
            count(student_most, "time", "times"),
        )
    };
    Table {
        title: "Tags per student".into(),
        description,
        row_header: "Student".into(),
        columns,
        rows,
    }
}

/// A block's row header: "¶7" for a numbered paragraph, else its kind or its first words.
pub fn block_label(doc: &Document, block: usize) -> String {
    let b = &doc.blocks[block];
    let quote = short_quote(&b.text, ROW_QUOTE_CHARS);
    match b.kind {
        BlockKind::Numbered { number } => format!("¶{number}"),
        BlockKind::Title => format!("Title “{quote}”"),
        BlockKind::Heading { .. } => format!("Heading “{quote}”"),
        _ => format!("“{quote}”"),
    }
}

/// For each paragraph, how many students gave it each pillar.
pub fn pillars_per_paragraph(class: &ClassSet, doc: &Document) -> Table {
    let columns: Vec<Column> = PILLARS
        .iter()
        .map(|&id| Column {
            id: id.into(),
            label: class.tag(id).map_or(id, |t| t.label.as_str()).into(),
        })
        .collect();
    let per = paragraph_pillars(class, doc);
    let mut leads = [0usize; 3];
    let (mut tied, mut unmarked) = (0, 0);
    for p in &per {
        match &p.dominant {
            Dominant::Pillar(i) => leads[*i] += 1,
            Dominant::Tie(_) => tied += 1,
            Dominant::Unmarked => unmarked += 1,
        }
    }
    let description = if unmarked == per.len() {
        "No student has tagged a paragraph with a pillar yet.".to_string()
    } else {
        let by_pillar: Vec<String> = columns
            .iter()
            .zip(leads)
            .map(|(c, n)| format!("{} in {n}", c.label))
            .collect();
        format!(
            "Of {}, most students chose {}; {}, and {}.",
            count(per.len(), "paragraph", "paragraphs"),
            list(&by_pillar),
            count(tied, "is tied", "are tied"),
            count(unmarked, "has no pillar", "have no pillar"),
        )
    };
    Table {
        title: "Pillars per paragraph".into(),
        description,
        row_header: "Paragraph".into(),
        columns,
        rows: per
            .into_iter()
            .enumerate()
            .map(|(b, p)| Row {
                label: block_label(doc, b),
                values: p.students.to_vec(),
            })
            .collect(),
    }
}

/// How many students used each theme: every built-in theme, used or not (that nobody used one
/// is worth seeing), and the students' own themes that a student of the class placed (not one
/// whose student was removed, or whose file waits aside).
pub fn themes_by_students(class: &ClassSet) -> Table {
    let used = used_tags(class);
    let own = class.own_themes();
    let themes: Vec<_> = class
        .tags
        .iter()
        .filter(|t| t.kind == TagKind::Theme)
        .filter(|t| !own.contains(t) || used.iter().any(|c| c.id == t.id))
        .collect();
    let rows: Vec<Row> = themes
        .iter()
        .map(|t| Row {
            label: t.label.clone(),
            values: vec![class
                .students
                .iter()
                .filter(|s| s.marks.iter().any(|m| m.tags.contains(&t.id)))
                .count()],
        })
        .collect();
    let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
    let totals: Vec<usize> = rows.iter().map(|r| r.values[0]).collect();
    let (top, most) = leaders(&labels, &totals);
    let unused = totals.iter().filter(|&&n| n == 0).count();
    let description = if most == 0 {
        "No student has used a theme yet.".to_string()
    } else {
        let nobody = match unused {
            0 => "every theme was used".to_string(),
            n => format!("{} used by nobody", count(n, "theme was", "themes were")),
        };
        format!(
            "{} {} used by the most students ({most} of {}); {nobody}.",
            list(&top),
            were(top.len()),
            class.students.len(),
        )
    };
    Table {
        title: "Students per theme".into(),
        description,
        row_header: "Theme".into(),
        columns: vec![Column {
            id: "students".into(),
            label: "Students".into(),
        }],
        rows,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::testing::class;
    use super::*;

    /// "Title line" 0..10 (a heading: a short line before numbered paragraphs), ¶1 12..31,
    /// ¶2 33..53.
    fn sample() -> (Document, ClassSet) {
        let d = Document::parse_plain("Title line\n\n1. First para text.\n\n2. Second para text.");
        let c = class(
            &d,
            &[
                (
                    "Amina",
                    &[
                        (12, 20, &["Pillar I", "Prevention"], ""),
                        (33, 40, &["Pillar II"], ""),
                    ],
                ),
                (
                    "Ben",
                    &[(14, 25, &["Pillar I"], ""), (35, 45, &["Pillar I"], "")],
                ),
                ("Chloé", &[(0, 5, &["Early warning"], "")]),
            ],
        );
        (d, c)
    }

    fn rows(t: &Table) -> Vec<(String, Vec<usize>)> {
        t.rows
            .iter()
            .map(|r| (r.label.clone(), r.values.clone()))
            .collect()
    }

    #[test]
    fn tags_per_student_counts_annotations_per_tag() {
        let (_, c) = sample();
        let t = tags_per_student(&c, false);
        assert_eq!(t.title, "Tags per student");
        let ids: Vec<&str> = t.columns.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "pillar-1",
                "pillar-2",
                "theme-prevention",
                "theme-early-warning"
            ]
        );
        assert_eq!(
            rows(&t),
            [
                ("Amina".to_string(), vec![1, 1, 1, 0]),
                ("Ben".into(), vec![2, 0, 0, 0]),
                ("Chloé".into(), vec![0, 0, 0, 1]),
            ]
        );
        assert_eq!(
            t.description,
            "3 students tagged passages 6 times; Pillar I was used most (3 times), and Amina tagged most (3 times)."
        );
        let hidden = tags_per_student(&c, true);
        assert!(hidden.rows.iter().all(|r| r.label.starts_with("Student ")));
        assert!(
            !hidden.description.contains("Amina"),
            "{}",
            hidden.description
        );
    }

    #[test]
    fn pillars_per_paragraph_has_a_row_for_every_paragraph() {
        let (d, c) = sample();
        let t = pillars_per_paragraph(&c, &d);
        let labels: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["Pillar I", "Pillar II", "Pillar III"]);
        assert_eq!(
            rows(&t),
            [
                ("Heading “Title line”".to_string(), vec![0, 0, 0]),
                ("¶1".into(), vec![2, 0, 0]),
                ("¶2".into(), vec![1, 1, 0]),
            ]
        );
        assert_eq!(
            t.description,
            "Of 3 paragraphs, most students chose Pillar I in 1, Pillar II in 0 and Pillar III in 0; 1 is tied, and 1 has no pillar."
        );
    }

    #[test]
    fn themes_count_students_not_annotations() {
        let (_, c) = sample();
        let t = themes_by_students(&c);
        assert_eq!(t.rows.len(), 14, "every built-in theme, used or not");
        assert_eq!(
            t.rows[0],
            Row {
                label: "Prevention".into(),
                values: vec![1]
            }
        );
        assert_eq!(
            t.rows[1],
            Row {
                label: "Early warning".into(),
                values: vec![1]
            }
        );
        assert!(t.rows[2..].iter().all(|r| r.values == [0]));
        assert_eq!(
            t.description,
            "Prevention and Early warning were used by the most students (1 of 3); 12 themes were used by nobody."
        );
    }

    #[test]
    fn a_students_own_theme_counts_while_a_student_uses_it() {
        let d = super::super::testing::doc(&["aaaa"]);
        let mut c = class(
            &d,
            &[
                ("Amina", &[(0, 2, &["My theme"], "")]),
                ("Ben", &[(0, 2, &["Prevention"], "")]),
            ],
        );
        let t = themes_by_students(&c);
        assert_eq!(t.rows.len(), 15);
        assert_eq!(
            t.rows[14],
            Row {
                label: "My theme".into(),
                values: vec![1]
            }
        );
        assert!(c.remove_student("amina"));
        assert_eq!(themes_by_students(&c).rows.len(), 14);
    }

    #[test]
    fn an_empty_class_says_so() {
        let d = Document::parse_plain("One.\n\nTwo.");
        let c = ClassSet::new(&d.id);
        assert_eq!(
            tags_per_student(&c, false).description,
            "No student has tagged a passage yet."
        );
        assert_eq!(
            pillars_per_paragraph(&c, &d).description,
            "No student has tagged a paragraph with a pillar yet."
        );
        assert_eq!(
            themes_by_students(&c).description,
            "No student has used a theme yet."
        );
        assert_eq!(block_label(&d, 1), "“Two.”");
    }
}
