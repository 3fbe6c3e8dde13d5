//! The hand-in report: annotations grouped by pillar then theme, as Markdown and as CSV.

use super::document::Document;
use super::store::{Annotation, Millis, Store};
use super::tags::{Tag, TagKind};
use super::w3c::iso;

/// One group of the report: a tag (None: untagged) and its annotations in document order.
#[derive(Clone, Debug, PartialEq)]
pub struct Group<'a> {
    /// The tag that names the group.
    pub tag: Option<Tag>,
    /// Its annotations.
    pub items: Vec<&'a Annotation>,
}

/// Groups every placed and unplaced annotation exactly once: under its first pillar, else its
/// first theme, else "Untagged". Groups follow the taxonomy's order (pillars, themes, the
/// user's themes); empty groups are left out.
pub fn groups(store: &Store) -> Vec<Group<'_>> {
    let tags = store.tags();
    let home = |a: &Annotation| -> Option<String> {
        a.tags
            .iter()
            .find(|t| store.tag(t).is_some_and(|t| t.kind == TagKind::Pillar))
            .or_else(|| a.tags.iter().find(|t| store.tag(t).is_some()))
            .cloned()
    };
    let all: Vec<&Annotation> = store
        .in_document_order()
        .into_iter()
        .chain(store.orphans())
        .collect();
    let mut out: Vec<Group> = tags
        .into_iter()
        .map(|t| Group {
            items: all
                .iter()
                .copied()
                .filter(|a| home(a).as_deref() == Some(t.id.as_str()))
                .collect(),
            tag: Some(t),
        })
        .collect();
    out.push(Group {
        tag: None,
        items: all.iter().copied().filter(|a| home(a).is_none()).collect(),
    });
    out.retain(|g| !g.items.is_empty());
    out
}

fn group_title(g: &Group) -> String {
    match &g.tag {
        Some(t) if t.description.is_empty() => t.label.clone(),
        Some(t) => format!("{} — {}", t.label, t.description),
        None => "Untagged".into(),
    }
}

fn labels(store: &Store, a: &Annotation) -> Vec<String> {
    a.tags
        .iter()
        .map(|t| store.tag(t).map_or_else(|| t.clone(), |t| t.label.clone()))
        .collect()
}

/// Where an annotation is: "¶4", "heading", or "not placed".
pub fn location(doc: &Document, a: &Annotation) -> String {
    if a.orphan {
        return "not placed".into();
    }
    match doc.paragraph_number_at(a.start) {
        Some(n) => format!("¶{n}"),
        None => "—".into(),
    }
}

/// Escapes text so Markdown shows it as written (no emphasis, links, HTML or headings).
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_{}[]<>()#+-.!|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Markdown collapses line breaks; notes keep theirs as hard breaks inside the list item.
fn md_block(s: &str) -> String {
    s.lines()
        .map(md_escape)
        .collect::<Vec<_>>()
        .join("  \n    ")
}

/// The report as Markdown: a title, who and when, then one section per group.
pub fn markdown(doc: &Document, store: &Store, name: Option<&str>, now: Millis) -> String {
    let title: String = doc.title().split_whitespace().collect::<Vec<_>>().join(" ");
    let gs = groups(store);
    let total: usize = gs.iter().map(|g| g.items.len()).sum();
    let mut md = format!("# Annotations: {}\n\n", md_escape(&title));
    if let Some(n) = name {
        md.push_str(&format!("Student: {}  \n", md_escape(n)));
    }
    md.push_str(&format!(
        "Made with R2P Annotator on {} · {total} annotation{}\n",
        &iso(now)[..10],
        if total == 1 { "" } else { "s" }
    ));
    for g in &gs {
        md.push_str(&format!(
            "\n## {} ({})\n\n",
            md_escape(&group_title(g)),
            g.items.len()
        ));
        for a in &g.items {
            md.push_str(&format!(
                "- {} “{}”  \n    Tags: {}",
                location(doc, a),
                md_block(&a.quote),
                md_escape(&labels(store, a).join(", "))
            ));
            if !a.note.is_empty() {
                md.push_str(&format!("  \n    Note: {}", md_block(&a.note)));
            }
            md.push('\n');
        }
    }
    md
}

/// Leading characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection"):
/// `=`, `+`, `-`, `@`, tab and carriage return.
const CSV_FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One CSV field per RFC 4180: quoted when it holds a comma, quote or line break, quotes
/// doubled. A field starting with one of [`CSV_FORMULA_STARTS`] gets an apostrophe so
/// spreadsheets show text, not a formula. This also prefixes plain negative numbers (a note
/// "-5" becomes "'-5"), as OWASP advises: telling a number from a formula is not worth the risk.
pub(crate) fn csv_field(s: &str) -> String {
    let s = if s.starts_with(CSV_FORMULA_STARTS) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The report as CSV: UTF-8 with a byte-order mark (so spreadsheets read curly quotes right),
/// CRLF line ends, one row per annotation.
pub fn csv(doc: &Document, store: &Store) -> String {
    let mut out = String::from("\u{feff}");
    let header = [
        "Group", "Location", "Quote", "Tags", "Note", "Creator", "Created", "Modified", "Start",
        "End",
    ];
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for g in groups(store) {
        let group = g
            .tag
            .as_ref()
            .map_or("Untagged".to_string(), |t| t.label.clone());
        for a in &g.items {
            let row = [
                group.clone(),
                location(doc, a),
                a.quote.clone(),
                labels(store, a).join("; "),
                a.note.clone(),
                a.creator.clone().unwrap_or_default(),
                iso(a.created),
                iso(a.modified),
                a.start.to_string(),
                a.end.to_string(),
            ];
            out.push_str(
                &row.iter()
                    .map(|f| csv_field(f))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push_str("\r\n");
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::store::Action;

    fn sample(doc: &Document) -> Store {
        let mut s = Store::new();
        let spans = [
            (
                "a",
                "three types of assistance",
                vec!["theme-prevention", "pillar-2"],
                "Note, with \"quotes\"\nand a line",
            ),
            (
                "b",
                "prevention is at the heart",
                vec!["theme-prevention"],
                "",
            ),
            ("c", "Arms Trade Treaty", vec![], "=SUM(A1)"),
            ("d", "Background", vec!["pillar-1", "pillar-3"], ""),
        ];
        for (i, (id, q, tags, note)) in spans.into_iter().enumerate() {
            let start = doc.text[..doc.text.find(q).unwrap()].chars().count();
            s.apply(Action::Create {
                id: id.into(),
                start,
                end: start + q.chars().count(),
                quote: q.into(),
                tags: tags.into_iter().map(String::from).collect(),
                creator: Some("Amina".into()),
                at: 1_790_000_000_000 + i as i64,
            })
            .unwrap();
            if !note.is_empty() {
                s.apply(Action::SetNote {
                    id: id.into(),
                    note: note.into(),
                    at: 1_790_000_001_000,
                })
                .unwrap();
            }
        }
        s
    }

    #[test]
    fn every_annotation_is_listed_once_grouped_by_pillar_then_theme() {
        let doc = Document::default_summary();
        let s = sample(&doc);
        let gs = groups(&s);
        let got: Vec<(String, Vec<&str>)> = gs
            .iter()
            .map(|g| {
                (
                    g.tag
                        .as_ref()
                        .map_or("Untagged".into(), |t| t.label.clone()),
                    g.items.iter().map(|a| a.id.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Pillar I".to_string(), vec!["d"]),
                ("Pillar II".into(), vec!["a"]),
                ("Prevention".into(), vec!["b"]),
                ("Untagged".into(), vec!["c"]),
            ]
        );
        let md = markdown(&doc, &s, Some("Amina Diallo"), 1_795_000_000_000);
        for id in [
            "three types of assistance",
            "prevention is at the heart",
            "Arms Trade Treaty",
            "Background",
        ] {
            assert_eq!(md.matches(&md_escape(id)).count(), 1, "{id} once in:\n{md}");
        }
        assert!(md.starts_with("# Annotations: Informal, Interactive Dialogue"));
        assert!(md.contains("Student: Amina Diallo"));
        assert!(md.contains("## Pillar II — International assistance and capacity\\-building (1)"));
        assert!(md.contains("- ¶4 “three types of assistance”"), "{md}");
        assert!(
            md.contains("Note: Note, with \"quotes\"  \n    and a line"),
            "{md}"
        );
    }

    #[test]
    fn csv_is_rfc4180_with_bom_and_no_formulas() {
        let doc = Document::default_summary();
        let csv = csv(&doc, &sample(&doc));
        assert!(csv.starts_with(
            "\u{feff}Group,Location,Quote,Tags,Note,Creator,Created,Modified,Start,End\r\n"
        ));
        assert_eq!(csv.matches("\r\n").count(), 5, "header and 4 rows");
        assert!(
            csv.contains(",\"Note, with \"\"quotes\"\"\nand a line\","),
            "{csv}"
        );
        assert!(csv.contains(",'=SUM(A1),"), "{csv}");
        assert!(
            csv.contains("Pillar II,¶4,three types of assistance,Prevention; Pillar II,"),
            "{csv}"
        );
        // Parsing it back with a strict reader gives the same fields.
        let rows = parse_csv(csv.trim_start_matches('\u{feff}'));
        assert_eq!(rows.len(), 5);
        assert!(rows.iter().all(|r| r.len() == 10));
        let a = rows
            .iter()
            .find(|r| r[2] == "three types of assistance")
            .unwrap();
        assert_eq!(a[4], "Note, with \"quotes\"\nand a line");
        assert_eq!(rows[0][0], "Group");
    }

    #[test]
    fn csv_fields_starting_like_a_formula_get_an_apostrophe() {
        // Expected outputs written out by hand, one per leading character on OWASP's list.
        let cases = [
            ("=1+2", "'=1+2"),
            ("+1", "'+1"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "\"'\rcmd\""),
            // Only the first character counts; quoting still applies after the prefix.
            ("a=b", "a=b"),
            ("=a,b", "\"'=a,b\""),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(csv_field(input), expected, "csv_field({input:?})");
        }
    }

    /// A minimal RFC 4180 reader, for checking the writer.
    fn parse_csv(s: &str) -> Vec<Vec<String>> {
        let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
        let mut chars = s.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut field)),
                (false, '\r') => {}
                (false, '\n') => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => field.push(c),
            }
        }
        rows
    }
}
