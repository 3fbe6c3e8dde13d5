//! Agreement in the class: per tag, Krippendorff's alpha and Fleiss' kappa over paragraphs
//! (tagged or not, by each student); per pair of students, the overlap F1 of their spans; each
//! figure with a line in plain words.

use std::collections::BTreeSet;

use super::{decimal, marked_by_tag, ClassSet, Filter, PILLARS};
use crate::core::agreement::{
    agreement_sentence, alpha_reliability, fleiss_kappa, krippendorff_alpha_nominal, tag_ratings,
    Agreement, TagUse,
};
use crate::core::document::Document;
use crate::core::overlap::{Overlap, Span};

/// Decimals a figure is written with in its line.
const FIGURE_PLACES: u32 = 2;

/// One tag's agreement among students.
#[derive(Clone, Debug, PartialEq)]
pub struct TagAgreement {
    /// The tag's id.
    pub tag: String,
    /// Its label.
    pub label: String,
    /// Krippendorff's alpha (nominal): units are paragraphs, values tagged or not.
    pub alpha: Agreement,
    /// Fleiss' kappa on the same matrix.
    pub kappa: Agreement,
    /// Alpha in words, with Krippendorff's verdict on it.
    pub alpha_line: String,
    /// Kappa in words.
    pub kappa_line: String,
}

/// Agreement per tag: the pillars always, and every other tag a student placed, in the
/// taxonomy's order. Every block of `doc` is a unit; every student saw every block.
pub fn tag_agreement(class: &ClassSet, doc: &Document) -> Vec<TagAgreement> {
    let marked: Vec<_> = class
        .students
        .iter()
        .map(|s| marked_by_tag(doc, s.marks.iter().map(|m| (&m.tags[..], m.start, m.end))))
        .collect();
    let none = BTreeSet::new();
    class
        .tags
        .iter()
        .filter(|t| {
            PILLARS.contains(&t.id.as_str()) || marked.iter().any(|m| m.contains_key(&t.id))
        })
        .map(|t| {
            let uses: Vec<TagUse> = marked
                .iter()
                .map(|m| TagUse {
                    tagged: m.get(&t.id).map_or(&none, |m| &m.paragraphs),
                    seen: None,
                })
                .collect();
            let ratings = tag_ratings(&uses, doc.blocks.len());
            let (alpha, kappa) = (krippendorff_alpha_nominal(&ratings), fleiss_kappa(&ratings));
            TagAgreement {
                tag: t.id.clone(),
                label: t.label.clone(),
                alpha,
                kappa,
                alpha_line: alpha_line(&t.label, alpha),
                kappa_line: figure_line("Fleiss' kappa", &t.label, kappa),
            }
        })
        .collect()
}

/// "Fleiss' kappa 0.43: students agree moderately on Pillar II."
fn figure_line(name: &str, label: &str, figure: Agreement) -> String {
    let words = agreement_sentence(&[(label, figure)]);
    match figure {
        Ok(value) => {
            let mut words = words.chars();
            let first = words.next().map(|c| c.to_lowercase().collect::<String>());
            format!(
                "{name} {}: {}{}",
                decimal(value, FIGURE_PLACES),
                first.unwrap_or_default(),
                words.as_str()
            )
        }
        Err(_) => format!("No {name}: {words}"),
    }
}

/// Alpha's line, with Krippendorff's verdict when there is a value.
fn alpha_line(label: &str, alpha: Agreement) -> String {
    let line = figure_line("Krippendorff's alpha", label, alpha);
    match alpha {
        Ok(a) => format!(
            "{line} By Krippendorff's standard that is {}.",
            alpha_reliability(a).words()
        ),
        Err(_) => line,
    }
}

/// All tags' alphas in one sentence: "Students agree well on Pillar II, hardly at all on
/// Pillar III. Nobody used Arms control."
pub fn summary(tags: &[TagAgreement]) -> String {
    let figures: Vec<(&str, Agreement)> =
        tags.iter().map(|t| (t.label.as_str(), t.alpha)).collect();
    agreement_sentence(&figures)
}

/// How far two students' spans coincide.
#[derive(Clone, Debug, PartialEq)]
pub struct PairOverlap {
    /// The first student (index into [`ClassSet::students`]), earlier in the order shown.
    pub a: usize,
    /// The second.
    pub b: usize,
    /// The code points each marked, and both.
    pub overlap: Overlap,
    /// In words.
    pub line: String,
}

/// Every pair of students, in the order shown, with the overlap F1 of the spans the filter
/// admits.
pub fn pair_overlaps(class: &ClassSet, filter: &Filter, hide: bool) -> Vec<PairOverlap> {
    let order = class.order(hide);
    let spans: Vec<Vec<Span>> = class
        .students
        .iter()
        .map(|s| {
            let admitted = s.marks.iter().filter(|m| filter.admits(&m.tags));
            admitted.map(|m| (m.start, m.end)).collect()
        })
        .collect();
    let mut out = Vec::new();
    for (n, &a) in order.iter().enumerate() {
        for &b in &order[n + 1..] {
            let overlap = Overlap::of_spans(&spans[a], &spans[b]);
            out.push(PairOverlap {
                a,
                b,
                overlap,
                line: pair_line(&class.name(a, hide), &class.name(b, hide), overlap),
            });
        }
    }
    out
}

/// A pair's F1 in words. F1 (Dice) is 2|A∩B| / (|A| + |B|): the text both marked, as a share of
/// the mean of what each marked.
fn pair_line(a: &str, b: &str, overlap: Overlap) -> String {
    match overlap.f1() {
        None => format!("Neither {a} nor {b} marked anything."),
        Some(f1) if overlap.shared == 0 => {
            format!(
                "{a} and {b} marked nothing in common (F1 {}).",
                decimal(f1, FIGURE_PLACES)
            )
        }
        Some(f1) if overlap.shared == overlap.a && overlap.a == overlap.b => {
            format!(
                "{a} and {b} marked exactly the same text (F1 {}).",
                decimal(f1, FIGURE_PLACES)
            )
        }
        Some(f1) => format!(
            "The text both {a} and {b} marked is {}% of what each marked on average (F1 {}).",
            decimal(f1 * 100.0, 0),
            decimal(f1, FIGURE_PLACES)
        ),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::testing::{class, doc};
    use super::*;
    use crate::core::agreement::Undefined;

    /// Paragraphs at 0..4, 6..10, 12..16, 18..22. Pillar I: Amina tags ¶0 and ¶1, Ben ¶0 and ¶2;
    /// Prevention: Amina alone, ¶3.
    fn sample() -> (Document, ClassSet) {
        let d = doc(&["aaaa", "bbbb", "cccc", "dddd"]);
        let c = class(
            &d,
            &[
                (
                    "Amina",
                    &[
                        (0, 2, &["Pillar I"], ""),
                        (6, 8, &["Pillar I"], ""),
                        (18, 20, &["Prevention"], ""),
                    ],
                ),
                (
                    "Ben",
                    &[(1, 3, &["Pillar I"], ""), (12, 14, &["Pillar I"], "")],
                ),
            ],
        );
        (d, c)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn each_tag_is_rated_per_paragraph() {
        let (d, c) = sample();
        let figures = tag_agreement(&c, &d);
        let tags: Vec<&str> = figures.iter().map(|f| f.tag.as_str()).collect();
        assert_eq!(
            tags,
            ["pillar-1", "pillar-2", "pillar-3", "theme-prevention"]
        );
        // Pillar I, Amina 1 1 0 0 and Ben 1 0 1 0. Coincidences: o11 = 2, o00 = 2, o10 = o01 = 2;
        // n = 8, n0 = n1 = 4: D_o = 4/8, D_e = (64 − 32)/56, α = 1 − 0.5/(4/7) = 0.125. Kappa:
        // P̄ = 2/4, P_e = 0.5² + 0.5² = 0.5, κ = 0.
        let p1 = &figures[0];
        assert!(close(p1.alpha.unwrap(), 0.125), "{:?}", p1.alpha);
        assert!(close(p1.kappa.unwrap(), 0.0), "{:?}", p1.kappa);
        assert_eq!(
            p1.alpha_line,
            "Krippendorff's alpha 0.13: students agree hardly at all on Pillar I. By Krippendorff's standard that is not reliable."
        );
        assert_eq!(
            p1.kappa_line,
            "Fleiss' kappa 0.00: students agree hardly at all on Pillar I."
        );
        assert_eq!(figures[1].alpha, Err(Undefined::NoVariation { value: 0 }));
        assert_eq!(
            figures[1].alpha_line,
            "No Krippendorff's alpha: Nobody used Pillar II."
        );
        // Prevention, Amina 0 0 0 1 and Ben 0 0 0 0: o00 = 6, o01 = o10 = 1; n0 = 7, n1 = 1;
        // D_o = 2/8, D_e = (64 − 49 − 1)/56 = 1/4, α = 0. P̄ = 3/4, P_e = (7/8)² + (1/8)² = 50/64,
        // κ = (48/64 − 50/64)/(14/64) = −1/7.
        let prevention = &figures[3];
        assert!(close(prevention.alpha.unwrap(), 0.0));
        assert!(close(prevention.kappa.unwrap(), -1.0 / 7.0));
        assert_eq!(
            prevention.kappa_line,
            "Fleiss' kappa -0.14: students agree less than by chance on Prevention."
        );
        assert_eq!(
            summary(&figures),
            "Students agree hardly at all on Pillar I and Prevention. Nobody used Pillar II and Pillar III."
        );
    }

    #[test]
    fn one_student_is_no_agreement() {
        let d = doc(&["aaaa", "bbbb"]);
        let c = class(&d, &[("Amina", &[(0, 2, &["Pillar I"], "")])]);
        let figures = tag_agreement(&c, &d);
        assert_eq!(figures[0].alpha, Err(Undefined::TooFewCoders));
        assert_eq!(
            figures[0].kappa_line,
            "No Fleiss' kappa: There are not enough students to measure agreement on Pillar I."
        );
    }

    #[test]
    fn pairs_compare_the_text_each_marked() {
        let (_, c) = sample();
        // Amina 0..2, 6..8, 18..20 (6 code points); Ben 1..3, 12..14 (4); both 1..2.
        let all = pair_overlaps(&c, &Filter::All, false);
        assert_eq!(all.len(), 1);
        assert_eq!(
            (all[0].overlap.a, all[0].overlap.b, all[0].overlap.shared),
            (6, 4, 1)
        );
        assert_eq!(
            all[0].line,
            "The text both Amina and Ben marked is 20% of what each marked on average (F1 0.20)."
        );
        let prevention = pair_overlaps(&c, &Filter::Tag("theme-prevention".into()), false);
        assert_eq!(
            prevention[0].line,
            "Amina and Ben marked nothing in common (F1 0.00)."
        );
        let none = pair_overlaps(&c, &Filter::Tag("pillar-3".into()), true);
        assert!(
            none[0].line.starts_with("Neither Student "),
            "{}",
            none[0].line
        );
        let d = doc(&["aaaa"]);
        let same = class(
            &d,
            &[
                ("Ben", &[(0, 2, &[], "")]),
                ("Amina", &[(0, 1, &[], ""), (1, 2, &[], "")]),
            ],
        );
        let pairs = pair_overlaps(&same, &Filter::All, false);
        assert_eq!((pairs[0].a, pairs[0].b), (1, 0), "Amina first, by name");
        assert_eq!(
            pairs[0].line,
            "Amina and Ben marked exactly the same text (F1 1.00)."
        );
    }
}
