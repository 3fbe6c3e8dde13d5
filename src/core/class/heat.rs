//! The heat layer: how many students marked each run of the text (and who, with which tags and
//! notes), a colour scale for those counts, and per paragraph the pillar most students chose.

use std::ops::Range;

use super::{paragraphs, ClassSet, Filter, Mark, PILLARS};
use crate::core::document::Document;
use crate::core::tags::Tag;

/// Shades of the colour scale above "unmarked" (level 0): level `HEAT_LEVELS` is the whole class.
pub const HEAT_LEVELS: usize = 5;

/// One student's placed mark, by place in the class: `students[student].marks[mark]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarkRef {
    /// Index into [`ClassSet::students`].
    pub student: usize,
    /// Index into that student's `marks`.
    pub mark: usize,
}

/// A run of text `[start, end)` covered by the same marks all along (so whatever its details
/// say is true of every code point of it); two runs side by side differ in their marks, though
/// they may have as many students.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Students who marked it (each counted once however many of their marks cover it).
    pub students: usize,
    /// Its marks, in [`Heat::covering`]'s list.
    covering: Range<usize>,
}

/// The heat layer for one filter: the covered runs of the text in order (text no student marked
/// has no run).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heat {
    runs: Vec<Run>,
    covering: Vec<MarkRef>,
    class_size: usize,
}

impl Heat {
    /// Sweeps the marks the filter admits: their starts and ends sorted once (O(n log n) for n
    /// marks), then every run cut in one pass with the set of marks open over it.
    pub fn new(class: &ClassSet, filter: &Filter) -> Heat {
        let mut refs: Vec<MarkRef> = Vec::new();
        // (position, opens, mark): at one position closes sort before opens.
        let mut events: Vec<(usize, bool, usize)> = Vec::new();
        for (student, s) in class.students.iter().enumerate() {
            for (mark, m) in s.marks.iter().enumerate() {
                if m.start < m.end && filter.admits(&m.tags) {
                    events.push((m.start, true, refs.len()));
                    events.push((m.end, false, refs.len()));
                    refs.push(MarkRef { student, mark });
                }
            }
        }
        events.sort_unstable();
        let mut heat = Heat {
            class_size: class.students.len(),
            ..Heat::default()
        };
        let mut open: Vec<usize> = Vec::new(); // sorted
        let mut per_student = vec![0usize; class.students.len()];
        let mut students = 0;
        let mut pos = 0;
        for (at, opens, k) in events {
            if at > pos && !open.is_empty() {
                let from = heat.covering.len();
                heat.covering.extend(open.iter().map(|&k| refs[k]));
                heat.runs.push(Run {
                    start: pos,
                    end: at,
                    students,
                    covering: from..heat.covering.len(),
                });
            }
            pos = at;
            let n = &mut per_student[refs[k].student];
            if opens {
                let i = open.binary_search(&k).unwrap_or_else(|i| i);
                open.insert(i, k);
                students += usize::from(*n == 0);
                *n += 1;
            } else {
                if let Ok(i) = open.binary_search(&k) {
                    open.remove(i);
                }
                *n -= 1;
                students -= usize::from(*n == 0);
            }
        }
        heat
    }

    /// Every run, in text order.
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// The runs that overlap `[start, end)` (a block's, say), in order.
    pub fn runs_in(&self, start: usize, end: usize) -> &[Run] {
        let first = self.runs.partition_point(|r| r.end <= start);
        let last = self.runs.partition_point(|r| r.start < end);
        &self.runs[first..last.max(first)]
    }

    /// The index in [`Heat::runs`] of the run at code point `offset`, if anyone marked it.
    pub fn run_index_at(&self, offset: usize) -> Option<usize> {
        let i = self.runs.partition_point(|r| r.end <= offset);
        self.runs.get(i).filter(|r| r.start <= offset).map(|_| i)
    }

    /// The run at code point `offset`, if anyone marked it.
    pub fn run_at(&self, offset: usize) -> Option<&Run> {
        self.run_index_at(offset).map(|i| &self.runs[i])
    }

    /// The marks covering a run.
    pub fn covering(&self, run: &Run) -> &[MarkRef] {
        &self.covering[run.covering.clone()]
    }

    /// Students in the class (what the counts are out of).
    pub fn class_size(&self) -> usize {
        self.class_size
    }

    /// Who marked a run with what: one entry per mark covering it, students in the order shown.
    pub fn details<'a>(&self, run: &Run, class: &'a ClassSet, hide: bool) -> Vec<Detail<'a>> {
        let mut rank = vec![0; class.students.len()];
        for (place, i) in class.order(hide).into_iter().enumerate() {
            rank[i] = place;
        }
        let mut refs = self.covering(run).to_vec();
        refs.sort_unstable_by_key(|r| (rank[r.student], r.mark));
        refs.into_iter()
            .map(|r| {
                let mark = &class.students[r.student].marks[r.mark];
                Detail {
                    student: r.student,
                    name: class.name(r.student, hide),
                    tags: mark.tags.iter().filter_map(|t| class.tag(t)).collect(),
                    mark,
                }
            })
            .collect()
    }
}

/// One mark covering a run, for the teacher's look at it.
#[derive(Clone, Debug, PartialEq)]
pub struct Detail<'a> {
    /// Index into [`ClassSet::students`].
    pub student: usize,
    /// Their name, or hidden name.
    pub name: String,
    /// The mark's tags.
    pub tags: Vec<&'a Tag>,
    /// The mark (its note, its whole passage).
    pub mark: &'a Mark,
}

/// A stretch of one block's text for the painter: a run (how many students marked it) or
/// unmarked text (0 students), with its place in code points of the document and in UTF-16 units
/// of the block's text (the DOM's unit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeatPiece {
    /// First code point (document offsets).
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// Where it starts in the block's text, UTF-16 units.
    pub from16: usize,
    /// Where it ends there.
    pub to16: usize,
    /// Students who marked it (0: nobody).
    pub students: usize,
}

/// A block's text `[block_start, block_start + text's length)` cut at the runs of `heat`: the
/// runs clipped to the block, and the unmarked text between them.
pub fn heat_pieces(heat: &Heat, block_start: usize, text: &str) -> Vec<HeatPiece> {
    let units = crate::core::offsets::utf16_starts(text);
    let block_end = block_start + units.len() - 1;
    let mut out = Vec::new();
    let mut piece = |start: usize, end: usize, students: usize| {
        out.push(HeatPiece {
            start,
            end,
            from16: units[start - block_start],
            to16: units[end - block_start],
            students,
        })
    };
    let mut pos = block_start;
    for run in heat.runs_in(block_start, block_end) {
        let (s, e) = (run.start.max(block_start), run.end.min(block_end));
        if s > pos {
            piece(pos, s, 0);
        }
        piece(s, e, run.students);
        pos = e;
    }
    if pos < block_end {
        piece(pos, block_end, 0);
    }
    out
}

/// The shade of a run `count` of `students` marked: 0 for none, else 1 ..= [`HEAT_LEVELS`] in
/// equal shares of the class (rounded up, so any mark shows and only the whole class is darkest).
pub fn level(count: usize, students: usize) -> usize {
    if count == 0 || students == 0 {
        return 0;
    }
    (count * HEAT_LEVELS).div_ceil(students).min(HEAT_LEVELS)
}

/// One shade of the legend: the counts of students it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shade {
    /// 1 ..= [`HEAT_LEVELS`].
    pub level: usize,
    /// Fewest students.
    pub min: usize,
    /// Most students.
    pub max: usize,
}

/// The shades a class of `students` can show, lightest first (a small class skips some).
pub fn legend(students: usize) -> Vec<Shade> {
    let mut out: Vec<Shade> = Vec::new();
    for count in 1..=students {
        let l = level(count, students);
        match out.last_mut() {
            Some(s) if s.level == l => s.max = count,
            _ => out.push(Shade {
                level: l,
                min: count,
                max: count,
            }),
        }
    }
    out
}

/// "1–2"; "3".
fn range(s: &Shade) -> String {
    if s.min == s.max {
        s.min.to_string()
    } else {
        format!("{}–{}", s.min, s.max)
    }
}

/// The legend in words, for its caption and for readers who cannot tell the shades apart.
pub fn legend_description(students: usize) -> String {
    match students {
        0 => return "No student's work is open yet.".into(),
        1 => return "Shading shows what the only student marked.".into(),
        _ => {}
    }
    let ranges: Vec<String> = legend(students).iter().map(range).collect();
    format!(
        "The darker the shade, the more of the {students} students marked the passage; from lightest to darkest: {} students. Each passage's label gives its number.",
        super::list(&ranges),
    )
}

/// A run's accessible name (and title): "Marked by 3 of 12 students".
pub fn run_label(count: usize, students: usize) -> String {
    format!(
        "Marked by {count} of {}",
        super::count(students, "student", "students")
    )
}

/// Which pillar most students gave a paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dominant {
    /// No student tagged it with a pillar.
    Unmarked,
    /// This pillar (index into [`PILLARS`]) had more students than each other.
    Pillar(usize),
    /// These pillars (indices into [`PILLARS`], two or three) had the most students, as many
    /// each: no pillar is called dominant on a tie.
    Tie(Vec<usize>),
}

/// The pillars students gave one paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParagraphPillars {
    /// Students who tagged any part of it with each pillar, in [`PILLARS`] order.
    pub students: [usize; 3],
    /// The pillar most of them chose.
    pub dominant: Dominant,
}

/// For each block of `doc`, how many students gave it each pillar, and which dominates.
pub fn paragraph_pillars(class: &ClassSet, doc: &Document) -> Vec<ParagraphPillars> {
    let blocks = doc.blocks.len();
    let mut counts = vec![[0usize; 3]; blocks];
    // The last student counted per block and pillar (plus one; 0 for none): each counts once.
    let mut counted = vec![[0usize; 3]; blocks];
    for (s, student) in class.students.iter().enumerate() {
        for m in &student.marks {
            for (p, pillar) in PILLARS.iter().enumerate() {
                if !m.tags.iter().any(|t| t == pillar) {
                    continue;
                }
                for b in paragraphs(doc, m.start, m.end) {
                    if counted[b][p] != s + 1 {
                        counted[b][p] = s + 1;
                        counts[b][p] += 1;
                    }
                }
            }
        }
    }
    counts
        .into_iter()
        .map(|students| {
            let most = students.iter().copied().max().unwrap_or(0);
            let top: Vec<usize> = (0..PILLARS.len())
                .filter(|&p| students[p] == most)
                .collect();
            let dominant = match top.as_slice() {
                _ if most == 0 => Dominant::Unmarked,
                [p] => Dominant::Pillar(*p),
                _ => Dominant::Tie(top),
            };
            ParagraphPillars { students, dominant }
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod pieces_tests {
    use super::super::testing::{class, doc};
    use super::*;

    #[test]
    fn a_block_is_cut_at_the_runs_with_utf16_places() {
        // Block 1 of "aaaa" / "b😀cdef" starts at code point 6; "😀" is two UTF-16 units.
        let d = doc(&["aaaa", "b😀cdef"]);
        let (b, text) = (d.blocks[1].start, d.blocks[1].text.clone());
        assert_eq!((b, text.as_str()), (6, "b😀cdef"));
        // Two students over "😀c" (7..9), one of them on to "d" (..10); a mark on block 0 too.
        let c = class(
            &d,
            &[
                (
                    "Amina",
                    &[(7, 10, &["Pillar I"], ""), (1, 3, &["Pillar I"], "")],
                ),
                ("Ben", &[(7, 9, &["Pillar II"], "")]),
            ],
        );
        let heat = Heat::new(&c, &Filter::All);
        let got: Vec<(usize, usize, usize, usize, usize)> = heat_pieces(&heat, b, &text)
            .iter()
            .map(|p| (p.start, p.end, p.from16, p.to16, p.students))
            .collect();
        assert_eq!(
            got,
            vec![
                (6, 7, 0, 1, 0),   // "b"
                (7, 9, 1, 4, 2),   // "😀c": both
                (9, 10, 4, 5, 1),  // "d": Amina
                (10, 12, 5, 7, 0), // "ef"
            ]
        );
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::super::roster::Student;
    use super::super::testing::{class, doc};
    use super::*;

    /// Two paragraphs of ten code points: 0..10 and 12..22.
    fn sample() -> (Document, ClassSet) {
        let d = doc(&["aaaaaaaaaa", "bbbbbbbbbb"]);
        let c = class(
            &d,
            &[
                (
                    "Amina",
                    &[(0, 6, &["Pillar I"], "a1"), (4, 10, &["Pillar II"], "")],
                ),
                ("Ben", &[(2, 8, &["Pillar I"], "")]),
                ("Chloé", &[(5, 15, &["Prevention"], "spills over")]),
            ],
        );
        (d, c)
    }

    fn runs(heat: &Heat) -> Vec<(usize, usize, usize)> {
        heat.runs()
            .iter()
            .map(|r| (r.start, r.end, r.students))
            .collect()
    }

    #[test]
    fn runs_count_students_once_however_many_of_their_marks_cover() {
        let (_, c) = sample();
        let all = Heat::new(&c, &Filter::All);
        assert_eq!(
            runs(&all),
            [
                (0, 2, 1),
                (2, 4, 2),
                (4, 5, 2), // Amina twice, Ben
                (5, 6, 3),
                (6, 8, 3),
                (8, 10, 2),
                (10, 15, 1),
            ]
        );
        assert_eq!(all.class_size(), 3);
        let pillar_one = Heat::new(&c, &Filter::Tag("pillar-1".into()));
        assert_eq!(runs(&pillar_one), [(0, 2, 1), (2, 6, 2), (6, 8, 1)]);
        let prevention = Heat::new(&c, &Filter::Tag("theme-prevention".into()));
        assert_eq!(runs(&prevention), [(5, 15, 1)]);
        assert!(Heat::new(&c, &Filter::Tag("pillar-3".into()))
            .runs()
            .is_empty());
    }

    #[test]
    fn a_run_tells_who_marked_it_with_what() {
        let (_, c) = sample();
        let heat = Heat::new(&c, &Filter::All);
        assert_eq!(heat.run_at(16), None);
        assert_eq!(
            heat.runs_in(12, 22)
                .iter()
                .map(|r| r.start)
                .collect::<Vec<_>>(),
            [10]
        );
        let run = heat.run_at(5).unwrap();
        assert_eq!((run.start, run.end), (5, 6));
        let said: Vec<(String, Vec<&str>, &str)> = heat
            .details(run, &c, false)
            .into_iter()
            .map(|d| {
                let tags = d.tags.iter().map(|t| t.label.as_str()).collect();
                (d.name, tags, d.mark.note.as_str())
            })
            .collect();
        assert_eq!(
            said,
            [
                ("Amina".to_string(), vec!["Pillar I"], "a1"),
                ("Amina".into(), vec!["Pillar II"], ""),
                ("Ben".into(), vec!["Pillar I"], ""),
                ("Chloé".into(), vec!["Prevention"], "spills over"),
            ]
        );
        let hidden: Vec<String> = heat
            .details(run, &c, true)
            .into_iter()
            .map(|d| d.name)
            .collect();
        assert!(
            hidden.iter().all(|n| n.starts_with("Student ")),
            "{hidden:?}"
        );
    }

    #[test]
    fn the_colour_scale_shares_the_class_in_equal_parts() {
        // Level = ⌈5 × count / students⌉; for 12 students: 1–2 → 1, 3–4 → 2, 5–7 → 3, 8–9 → 4,
        // 10–12 → 5.
        let twelve: Vec<usize> = (0..=12).map(|c| level(c, 12)).collect();
        assert_eq!(twelve, [0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 5]);
        let shades: Vec<(usize, usize, usize)> =
            legend(12).iter().map(|s| (s.level, s.min, s.max)).collect();
        assert_eq!(
            shades,
            [(1, 1, 2), (2, 3, 4), (3, 5, 7), (4, 8, 9), (5, 10, 12)]
        );
        assert_eq!(
            legend_description(12),
            "The darker the shade, the more of the 12 students marked the passage; from lightest to darkest: 1–2, 3–4, 5–7, 8–9 and 10–12 students. Each passage's label gives its number."
        );
        // Three students: 1 → ⌈5/3⌉ = 2, 2 → ⌈10/3⌉ = 4, 3 → 5.
        let shades: Vec<(usize, usize, usize)> =
            legend(3).iter().map(|s| (s.level, s.min, s.max)).collect();
        assert_eq!(shades, [(2, 1, 1), (4, 2, 2), (5, 3, 3)]);
        assert_eq!(
            legend_description(3),
            "The darker the shade, the more of the 3 students marked the passage; from lightest to darkest: 1, 2 and 3 students. Each passage's label gives its number."
        );
        assert_eq!(level(1, 1), HEAT_LEVELS);
        assert_eq!(level(0, 0), 0);
        assert_eq!(
            legend_description(1),
            "Shading shows what the only student marked."
        );
        assert_eq!(run_label(3, 12), "Marked by 3 of 12 students");
        assert_eq!(run_label(1, 1), "Marked by 1 of 1 student");
    }

    #[test]
    fn each_paragraph_gets_the_pillar_most_students_chose() {
        // Paragraphs at 0..10, 12..22, 24..34, 36..46.
        let d = doc(&["aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc", "dddddddddd"]);
        let c = class(
            &d,
            &[
                (
                    "A",
                    &[(0, 3, &["Pillar I"], ""), (12, 14, &["Pillar II"], "")],
                ),
                (
                    "B",
                    &[
                        (1, 4, &["Pillar II"], ""),
                        (5, 7, &["Pillar II"], ""),
                        (13, 15, &["Pillar I", "Pillar II"], ""),
                    ],
                ),
                (
                    "C",
                    &[(2, 3, &["Pillar I"], ""), (20, 26, &["Pillar III"], "")],
                ),
                ("D", &[(24, 26, &["Pillar I"], "")]),
            ],
        );
        let got: Vec<([usize; 3], Dominant)> = paragraph_pillars(&c, &d)
            .into_iter()
            .map(|p| (p.students, p.dominant))
            .collect();
        assert_eq!(
            got,
            [
                ([2, 1, 0], Dominant::Pillar(0)),       // A and C: I; B (twice): II
                ([1, 2, 1], Dominant::Pillar(1)),       // B: I; A and B: II; C: III
                ([1, 0, 1], Dominant::Tie(vec![0, 2])), // D: I; C (from ¶2): III
                ([0, 0, 0], Dominant::Unmarked),
            ]
        );
    }

    fn random_class() -> impl Strategy<Value = ClassSet> {
        let mark = (0usize..40, 1usize..15, 0usize..4);
        let student = proptest::collection::vec(mark, 0..6);
        proptest::collection::vec(student, 0..5).prop_map(|students| {
            let mut c = ClassSet::new("doc");
            c.students = students
                .into_iter()
                .enumerate()
                .map(|(i, marks)| Student {
                    name: format!("S{i}"),
                    key: format!("s{i}"),
                    alias: i as u32,
                    files: vec![],
                    marks: marks
                        .into_iter()
                        .enumerate()
                        .map(|(k, (start, len, tags))| Mark {
                            id: k.to_string(),
                            start,
                            end: start + len,
                            quote: String::new(),
                            // 0: none, 1: pillar-1, 2: theme-x, 3: both.
                            tags: [(1, "pillar-1"), (2, "theme-x")]
                                .iter()
                                .filter(|(bit, _)| tags & bit != 0)
                                .map(|(_, t)| t.to_string())
                                .collect(),
                            note: String::new(),
                            created: 0,
                            modified: 0,
                        })
                        .collect(),
                    unplaced: vec![],
                })
                .collect();
            c
        })
    }

    proptest! {
        #[test]
        fn runs_agree_with_a_count_at_every_code_point(c in random_class()) {
            for filter in [Filter::All, Filter::Tag("pillar-1".into()), Filter::Tag("theme-x".into())] {
                let heat = Heat::new(&c, &filter);
                for w in heat.runs().windows(2) {
                    prop_assert!(w[0].end <= w[1].start, "ordered, apart: {:?}", w);
                    if w[0].end == w[1].start {
                        prop_assert_ne!(heat.covering(&w[0]), heat.covering(&w[1]), "maximal");
                    }
                }
                for p in 0..60 {
                    let covering: BTreeSet<(usize, usize)> = c.students.iter().enumerate()
                        .flat_map(|(s, st)| st.marks.iter().enumerate().map(move |(m, mark)| (s, m, mark)))
                        .filter(|(_, _, m)| m.start <= p && p < m.end && filter.admits(&m.tags))
                        .map(|(s, m, _)| (s, m))
                        .collect();
                    let students: BTreeSet<usize> = covering.iter().map(|&(s, _)| s).collect();
                    let run = heat.run_at(p);
                    prop_assert_eq!(run.map_or(0, |r| r.students), students.len(), "at {}", p);
                    let got: BTreeSet<(usize, usize)> = run
                        .map(|r| heat.covering(r).iter().map(|m| (m.student, m.mark)).collect())
                        .unwrap_or_default();
                    prop_assert_eq!(got, covering, "at {}", p);
                    if let Some(r) = run {
                        prop_assert!(r.start <= p && p < r.end);
                    }
                }
            }
        }
    }
}
