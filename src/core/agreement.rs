//! Chance-corrected agreement among coders (Krippendorff's alpha, Fleiss' kappa), and in words.
//!
//! Data come as a reliability matrix: one row per coder (a student), one column per unit (a
//! paragraph), a nominal value or `None` in each cell. A coder with no value at all takes no part.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

/// Coders × units; `None` where a coder gave a unit no value. A row shorter than the longest lacks
/// values for the last units.
pub type Ratings = [Vec<Option<u32>>];

/// Why a coefficient has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Undefined {
    /// Fewer than two coders gave any value: nobody to agree with.
    TooFewCoders,
    /// No unit has values enough to compare: from two coders for alpha, from every coder for kappa.
    NoPairableUnits,
    /// Every value compared is `value`: chance alone would agree perfectly (alpha's expected
    /// disagreement is 0, kappa's P_e is 1), which leaves 0/0.
    NoVariation {
        /// The only value given.
        value: u32,
    },
}

/// A coefficient (1 perfect agreement, 0 what chance gives, below 0 worse), or why there is none.
pub type Agreement = Result<f64, Undefined>;

/// The rows that hold at least one value.
fn coders(ratings: &Ratings) -> Vec<&[Option<u32>]> {
    ratings
        .iter()
        .filter(|row| row.iter().any(Option::is_some))
        .map(Vec::as_slice)
        .collect()
}

/// For each unit, how many of `coders` gave it each value.
fn unit_counts(coders: &[&[Option<u32>]]) -> Vec<BTreeMap<u32, usize>> {
    let units = coders.iter().map(|row| row.len()).max().unwrap_or(0);
    (0..units)
        .map(|u| {
            let mut counts = BTreeMap::new();
            for value in coders
                .iter()
                .filter_map(|row| row.get(u).copied().flatten())
            {
                *counts.entry(value).or_default() += 1;
            }
            counts
        })
        .collect()
}

/// Fails unless the values compared (with their totals) hold at least two distinct values.
fn varied(totals: &BTreeMap<u32, usize>) -> Result<(), Undefined> {
    let mut values = totals.keys();
    match (values.next(), values.next()) {
        (None, _) => Err(Undefined::NoPairableUnits),
        (Some(&value), None) => Err(Undefined::NoVariation { value }),
        _ => Ok(()),
    }
}

/// Krippendorff's alpha for nominal data, computed through the coincidence matrix as in
/// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C.
///
/// A unit with m ≥ 2 values adds 1/(m − 1) to cell (c, k) for each ordered pair of values c, k from
/// different coders; a unit with fewer values has no pair and drops out. With the marginals n_c and
/// n = Σ n_c, α = 1 − D_o/D_e where D_o = Σ_{c≠k} o_ck / n and D_e = Σ_{c≠k} n_c n_k / (n(n − 1)).
/// Nominal distances are 1 off the diagonal and 0 on it, so the diagonal and the marginals suffice.
pub fn krippendorff_alpha_nominal(ratings: &Ratings) -> Agreement {
    let coders = coders(ratings);
    if coders.len() < 2 {
        return Err(Undefined::TooFewCoders);
    }
    let mut diagonal = 0.0; // Σ_c o_cc
    let mut marginals: BTreeMap<u32, usize> = BTreeMap::new(); // n_c
    for counts in unit_counts(&coders) {
        let m: usize = counts.values().sum();
        if m < 2 {
            continue;
        }
        for (&value, &count) in &counts {
            diagonal += (count * (count - 1)) as f64 / (m - 1) as f64;
            *marginals.entry(value).or_default() += count;
        }
    }
    varied(&marginals)?;
    let n = marginals.values().sum::<usize>() as f64;
    let observed = (n - diagonal) / n;
    let squares = marginals.values().map(|&c| (c * c) as f64).sum::<f64>();
    let expected = (n * n - squares) / (n * (n - 1.0));
    Ok(1.0 - observed / expected)
}

/// Fleiss' kappa (Fleiss 1971, "Measuring nominal scale agreement among many raters",
/// Psychological Bulletin 76(5), 378–382) over the units that every coder rated.
///
/// Fleiss defined kappa for the same number of raters on every unit. Its generalisations to varying
/// numbers (e.g. Gwet, Handbook of Inter-Rater Reliability, 4th ed., 2014) must choose how to weigh
/// units with few raters against units with many; rather than choose, this keeps Fleiss' own
/// statistic on the complete units, where statsmodels can check it, and leaves missing values to
/// alpha, which is made for them. In the class view a value goes missing only where a student did
/// not see a paragraph, so few units drop out.
pub fn fleiss_kappa(ratings: &Ratings) -> Agreement {
    let coders = coders(ratings);
    let raters = coders.len();
    if raters < 2 {
        return Err(Undefined::TooFewCoders);
    }
    let complete: Vec<_> = unit_counts(&coders)
        .into_iter()
        .filter(|counts| counts.values().sum::<usize>() == raters)
        .collect();
    let mut totals: BTreeMap<u32, usize> = BTreeMap::new();
    let mut agreeing_pairs = 0; // Σ_i Σ_j n_ij (n_ij − 1)
    for counts in &complete {
        for (&value, &count) in counts {
            agreeing_pairs += count * (count - 1);
            *totals.entry(value).or_default() += count;
        }
    }
    varied(&totals)?;
    let ratings_made = (complete.len() * raters) as f64;
    // P̄: the mean over units of the share of rater pairs that agree.
    let p_bar = agreeing_pairs as f64 / (ratings_made * (raters - 1) as f64);
    let p_e: f64 = totals
        .values()
        .map(|&c| (c as f64 / ratings_made).powi(2))
        .sum();
    Ok((p_bar - p_e) / (1.0 - p_e))
}

/// The value of a paragraph a student tagged with the tag at hand.
pub const TAGGED: u32 = 1;
/// The value of a paragraph a student saw and did not tag with it.
pub const NOT_TAGGED: u32 = 0;

/// What one student did with one tag.
#[derive(Clone, Copy, Debug)]
pub struct TagUse<'a> {
    /// The paragraphs they tagged with it; indices past the document's end are ignored.
    pub tagged: &'a BTreeSet<usize>,
    /// The paragraphs they saw, when not all of them; a paragraph they tagged counts as seen.
    pub seen: Option<&'a BTreeSet<usize>>,
}

/// One tag's reliability matrix: a row per student, a column per paragraph, [`TAGGED`] or
/// [`NOT_TAGGED`], `None` where the student did not see the paragraph.
pub fn tag_ratings(students: &[TagUse], paragraphs: usize) -> Vec<Vec<Option<u32>>> {
    students
        .iter()
        .map(|s| {
            (0..paragraphs)
                .map(|p| {
                    if s.tagged.contains(&p) {
                        Some(TAGGED)
                    } else if s.seen.is_none_or(|seen| seen.contains(&p)) {
                        Some(NOT_TAGGED)
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect()
}

/// How strongly coders agree, in the bands of Landis & Koch (1977), "The measurement of observer
/// agreement for categorical data", Biometrics 33(1), 159–174, p. 165. They were drawn for kappa;
/// alpha shares its scale (1 perfect, 0 chance), so they serve for both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Below 0: "poor".
    Poor,
    /// Up to 0.20.
    Slight,
    /// Up to 0.40.
    Fair,
    /// Up to 0.60.
    Moderate,
    /// Up to 0.80.
    Substantial,
    /// Above 0.80.
    AlmostPerfect,
}

/// Landis & Koch's bands from 0 up, each with its highest value (they print 0.00–0.20, 0.21–0.40…).
const LANDIS_KOCH: [(f64, Strength); 4] = [
    (0.20, Strength::Slight),
    (0.40, Strength::Fair),
    (0.60, Strength::Moderate),
    (0.80, Strength::Substantial),
];

/// The band a coefficient falls in.
pub fn strength(value: f64) -> Strength {
    if value < 0.0 {
        return Strength::Poor;
    }
    LANDIS_KOCH
        .iter()
        .find(|(top, _)| value <= *top)
        .map_or(Strength::AlmostPerfect, |&(_, s)| s)
}

impl Strength {
    /// How students agree, to follow "Students agree …".
    pub fn words(self) -> &'static str {
        match self {
            Strength::Poor => "less than by chance",
            Strength::Slight => "hardly at all",
            Strength::Fair => "a little",
            Strength::Moderate => "moderately",
            Strength::Substantial => "well",
            Strength::AlmostPerfect => "almost perfectly",
        }
    }
}

/// Krippendorff (2004), Content Analysis, 2nd ed., p. 241: rely on variables with α ≥ .800.
pub const ALPHA_RELIABLE: f64 = 0.800;
/// Ibid.: consider variables with .667 ≤ α < .800 only for tentative conclusions.
pub const ALPHA_TENTATIVE: f64 = 0.667;

/// Whether an alpha is high enough to build on, by Krippendorff's own standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reliability {
    /// At least [`ALPHA_RELIABLE`].
    Reliable,
    /// At least [`ALPHA_TENTATIVE`].
    Tentative,
    /// Lower.
    Unreliable,
}

/// Krippendorff's verdict on an alpha.
pub fn alpha_reliability(alpha: f64) -> Reliability {
    if alpha >= ALPHA_RELIABLE {
        Reliability::Reliable
    } else if alpha >= ALPHA_TENTATIVE {
        Reliability::Tentative
    } else {
        Reliability::Unreliable
    }
}

impl Reliability {
    /// The verdict in words.
    pub fn words(self) -> &'static str {
        match self {
            Reliability::Reliable => "reliable",
            Reliability::Tentative => "good enough for tentative conclusions only",
            Reliability::Unreliable => "not reliable",
        }
    }
}

/// The statement a tag's figure gets; agreement first, strongest first.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Clause {
    Agree(Reverse<Strength>),
    TooFewStudents,
    TooFewReaders,
    Unused,
    UsedEverywhere,
}

/// "A", "A and B", "A, B and C".
fn list(labels: &[&str]) -> String {
    match labels {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Plain words for tags' figures from one coefficient computed on [`tag_ratings`]: "Students agree
/// well on Pillar II, hardly at all on Pillar III." Tags with the same words share a clause; each
/// kind of undefined figure gets a sentence of its own after it ("Nobody used Arms control.").
pub fn agreement_sentence(figures: &[(&str, Agreement)]) -> String {
    let mut clauses: BTreeMap<Clause, Vec<&str>> = BTreeMap::new();
    for &(label, figure) in figures {
        let clause = match figure {
            Ok(value) => Clause::Agree(Reverse(strength(value))),
            Err(Undefined::TooFewCoders) => Clause::TooFewStudents,
            Err(Undefined::NoPairableUnits) => Clause::TooFewReaders,
            Err(Undefined::NoVariation { value: NOT_TAGGED }) => Clause::Unused,
            Err(Undefined::NoVariation { .. }) => Clause::UsedEverywhere,
        };
        clauses.entry(clause).or_default().push(label);
    }
    let mut agree = Vec::new();
    let mut sentences = Vec::new();
    for (clause, labels) in &clauses {
        let labels = list(labels);
        match clause {
            Clause::Agree(Reverse(s)) => agree.push(format!("{} on {labels}", s.words())),
            Clause::TooFewStudents => sentences.push(format!(
                "There are not enough students to measure agreement on {labels}."
            )),
            Clause::TooFewReaders => sentences.push(format!(
                "Too few students read the same paragraphs to measure agreement on {labels}."
            )),
            Clause::Unused => sentences.push(format!("Nobody used {labels}.")),
            Clause::UsedEverywhere => sentences.push(format!(
                "Every student put {labels} on every paragraph they read."
            )),
        }
    }
    if !agree.is_empty() {
        sentences.insert(0, format!("Students agree {}.", agree.join(", ")));
    }
    sentences.join(" ")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    /// A published figure, given to three decimals.
    const PUBLISHED: f64 = 0.0005;

    /// A reliability matrix written a row per line, "." for no value.
    fn rows(lines: &[&str]) -> Vec<Vec<Option<u32>>> {
        lines
            .iter()
            .map(|line| line.split_whitespace().map(|v| v.parse().ok()).collect())
            .collect()
    }

    #[test]
    fn krippendorff_2011_worked_examples() {
        // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A: binary
        // data, two observers, no missing values; published α = 0.095.
        let a = rows(&["0 1 0 0 0 0 0 0 1 0", "1 1 1 0 0 1 0 0 0 0"]);
        let alpha = krippendorff_alpha_nominal(&a).unwrap();
        assert!(close(alpha, 0.095, PUBLISHED), "{alpha}");
        // Section C: nominal data, four observers, twelve units, missing values (unit 12 has one
        // value and is not pairable); published α = 0.743.
        let c = rows(&[
            "1 2 3 3 2 1 4 1 2 . . .",
            "1 2 3 3 2 2 4 1 2 5 . 3",
            ". 3 3 3 2 3 4 2 2 5 1 .",
            "1 2 3 3 2 4 4 1 2 5 1 .",
        ]);
        let alpha = krippendorff_alpha_nominal(&c).unwrap();
        assert!(close(alpha, 0.743, PUBLISHED), "{alpha}");
    }

    #[test]
    fn fleiss_1971_worked_example() {
        // Fleiss (1971) as reproduced on Wikipedia's "Fleiss' kappa" page: 10 subjects, 14 raters,
        // 5 categories; per subject, how many raters chose each category; published κ = 0.210.
        let table = [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ];
        // Kappa does not ask which rater chose what: rater r takes the r-th choice on each subject.
        let choices: Vec<Vec<u32>> = table
            .iter()
            .map(|counts| {
                (0u32..)
                    .zip(counts)
                    .flat_map(|(category, &n)| std::iter::repeat_n(category, n))
                    .collect()
            })
            .collect();
        let ratings: Vec<Vec<Option<u32>>> = (0..14)
            .map(|r| choices.iter().map(|subject| Some(subject[r])).collect())
            .collect();
        let kappa = fleiss_kappa(&ratings).unwrap();
        assert!(close(kappa, 0.210, PUBLISHED), "{kappa}");
    }

    /// Computed by make_reference.py with the `krippendorff` and `statsmodels` packages.
    const REFERENCE: &str = include_str!("../../tests/fixtures/agreement/reference.json");

    #[test]
    fn figures_match_the_reference_packages() {
        let reference: Value = serde_json::from_str(REFERENCE).unwrap();
        let fixtures = reference["fixtures"].as_object().unwrap();
        assert!(fixtures.len() >= 15, "{}", fixtures.len());
        for (name, f) in fixtures {
            let ratings: Vec<Vec<Option<u32>>> =
                serde_json::from_value(f["ratings"].clone()).unwrap();
            let (alpha, kappa) = (krippendorff_alpha_nominal(&ratings), fleiss_kappa(&ratings));
            let want = |key: &str| f[key].as_f64();
            match f["undefined"].as_str() {
                None => {
                    let (a, k) = (alpha.unwrap(), kappa.unwrap());
                    assert!(close(a, want("alpha").unwrap(), 1e-9), "{name}: α {a}");
                    assert!(
                        close(k, want("fleiss_kappa").unwrap(), 1e-9),
                        "{name}: κ {k}"
                    );
                }
                Some(reason) => {
                    let reason = match reason {
                        "too_few_coders" => Undefined::TooFewCoders,
                        "no_pairable_units" => Undefined::NoPairableUnits,
                        "no_variation_0" => Undefined::NoVariation { value: 0 },
                        "no_variation_1" => Undefined::NoVariation { value: 1 },
                        other => panic!("{name}: unknown reason {other}"),
                    };
                    assert_eq!((alpha, kappa), (Err(reason), Err(reason)), "{name}");
                    // The packages gave no number either.
                    assert_eq!(
                        (want("alpha"), want("fleiss_kappa")),
                        (None, None),
                        "{name}"
                    );
                }
            }
        }
    }

    #[test]
    fn one_student_and_unused_tags_are_undefined() {
        let too_few = Err(Undefined::TooFewCoders);
        // A row with no value is nobody.
        for one in [rows(&["0 1 1 0"]), rows(&["0 1 1 0", ". . . ."]), vec![]] {
            assert_eq!(krippendorff_alpha_nominal(&one), too_few, "{one:?}");
            assert_eq!(fleiss_kappa(&one), too_few, "{one:?}");
        }
        let unused = rows(&["0 0 0", "0 0 0"]);
        let none_used = Err(Undefined::NoVariation { value: NOT_TAGGED });
        assert_eq!(krippendorff_alpha_nominal(&unused), none_used);
        assert_eq!(fleiss_kappa(&unused), none_used);
    }

    #[test]
    fn identical_students_agree_perfectly() {
        let same = rows(&["0 1 1 0 2", "0 1 1 0 2", "0 1 1 0 2"]);
        assert_eq!(krippendorff_alpha_nominal(&same), Ok(1.0));
        assert_eq!(fleiss_kappa(&same), Ok(1.0));
    }

    #[test]
    fn units_with_fewer_than_two_values_drop_out_of_alpha() {
        // Unit 0: 1, 1 (agree); unit 1: one value only; unit 2: 0, 1 (disagree); unit 3: none.
        // Pairable values 1, 1, 0, 1: n = 4, n_0 = 1, n_1 = 3. D_o = (o_01 + o_10)/n = 2/4;
        // D_e = 2 n_0 n_1 / (n(n − 1)) = 6/12. α = 1 − 0.5/0.5 = 0.
        for lone in [0, 1, 7] {
            let data = rows(&["1 . 0 .", &format!("1 {lone} . ."), ". . 1"]);
            assert_eq!(krippendorff_alpha_nominal(&data), Ok(0.0), "{lone}");
        }
        let unpaired = rows(&["1 .", ". 0"]);
        let none = Err(Undefined::NoPairableUnits);
        assert_eq!(krippendorff_alpha_nominal(&unpaired), none);
    }

    #[test]
    fn kappa_keeps_the_units_every_student_rated() {
        // Units 0–2 rated by all three: P_i = 1, 1, (2·1 + 1·0)/(3·2) = 1/3, so P̄ = 7/9; of the 9
        // ratings 4 are 0 and 5 are 1, so P_e = (16 + 25)/81 = 41/81; κ = (63 − 41)/(81 − 41).
        // Unit 3, which the second student did not rate, changes nothing.
        for (a, c) in [(0, 1), (1, 1), (0, 0)] {
            let data = rows(&[&format!("0 1 1 {a}"), "0 1 0 .", &format!("0 1 1 {c}")]);
            let kappa = fleiss_kappa(&data).unwrap();
            assert!(close(kappa, 22.0 / 40.0, 1e-12), "{a} {c}: {kappa}");
        }
        let no_complete_unit = rows(&["0 .", ". 1", "1 0"]);
        assert_eq!(
            fleiss_kappa(&no_complete_unit),
            Err(Undefined::NoPairableUnits)
        );
    }

    #[test]
    fn tag_ratings_mark_what_each_student_saw_and_tagged() {
        let (a_tagged, b_tagged, b_seen) = (
            BTreeSet::from([0, 2, 9]),
            BTreeSet::from([3]),
            BTreeSet::from([1, 2]),
        );
        let students = [
            TagUse {
                tagged: &a_tagged,
                seen: None,
            },
            TagUse {
                tagged: &b_tagged,
                seen: Some(&b_seen),
            },
        ];
        assert_eq!(
            tag_ratings(&students, 4),
            vec![
                vec![Some(1), Some(0), Some(1), Some(0)],
                vec![None, Some(0), Some(0), Some(1)],
            ]
        );
        let nobody = BTreeSet::new();
        let unused = tag_ratings(
            &[TagUse {
                tagged: &nobody,
                seen: None,
            }; 3],
            5,
        );
        assert_eq!(
            agreement_sentence(&[("Arms control", krippendorff_alpha_nominal(&unused))]),
            "Nobody used Arms control."
        );
    }

    #[test]
    fn bands_follow_landis_koch_and_krippendorff() {
        for (value, want) in [
            (-0.01, Strength::Poor),
            (0.0, Strength::Slight),
            (0.20, Strength::Slight),
            (0.205, Strength::Fair),
            (0.40, Strength::Fair),
            (0.55, Strength::Moderate),
            (0.80, Strength::Substantial),
            (0.81, Strength::AlmostPerfect),
            (1.0, Strength::AlmostPerfect),
        ] {
            assert_eq!(strength(value), want, "{value}");
        }
        for (value, want) in [
            (1.0, Reliability::Reliable),
            (0.8, Reliability::Reliable),
            (0.7999, Reliability::Tentative),
            (0.667, Reliability::Tentative),
            (0.6669, Reliability::Unreliable),
            (-0.5, Reliability::Unreliable),
        ] {
            assert_eq!(alpha_reliability(value), want, "{value}");
        }
        assert_eq!(
            Reliability::Tentative.words(),
            "good enough for tentative conclusions only"
        );
    }

    #[test]
    fn sentences_group_tags_strongest_first() {
        assert_eq!(
            agreement_sentence(&[("Pillar III", Ok(0.05)), ("Pillar II", Ok(0.72))]),
            "Students agree well on Pillar II, hardly at all on Pillar III."
        );
        assert_eq!(
            agreement_sentence(&[
                ("Pillar I", Ok(0.5)),
                (
                    "Prevention",
                    Err(Undefined::NoVariation { value: NOT_TAGGED })
                ),
                ("Pillar II", Ok(0.45)),
                (
                    "Early warning",
                    Err(Undefined::NoVariation { value: TAGGED })
                ),
                ("Pillar III", Ok(0.9)),
                (
                    "Arms control",
                    Err(Undefined::NoVariation { value: NOT_TAGGED })
                ),
                (
                    "Civil society",
                    Err(Undefined::NoVariation { value: NOT_TAGGED })
                ),
                ("Hate speech", Ok(-0.2)),
            ]),
            "Students agree almost perfectly on Pillar III, moderately on Pillar I and Pillar II, \
             less than by chance on Hate speech. Nobody used Prevention, Arms control and Civil \
             society. Every student put Early warning on every paragraph they read."
        );
        assert_eq!(
            agreement_sentence(&[
                ("Pillar I", Err(Undefined::TooFewCoders)),
                ("Pillar II", Err(Undefined::TooFewCoders)),
            ]),
            "There are not enough students to measure agreement on Pillar I and Pillar II."
        );
        assert_eq!(
            agreement_sentence(&[("Pillar I", Err(Undefined::NoPairableUnits))]),
            "Too few students read the same paragraphs to measure agreement on Pillar I."
        );
        assert_eq!(agreement_sentence(&[]), "");
    }

    /// Coders × units with values 0..categories, or missing.
    fn matrix(missing: bool) -> impl Strategy<Value = Vec<Vec<Option<u32>>>> {
        (1usize..7, 1usize..25, 2u32..5).prop_flat_map(move |(coders, units, categories)| {
            let cell = if missing {
                proptest::option::of(0..categories).boxed()
            } else {
                (0..categories).prop_map(Some).boxed()
            };
            proptest::collection::vec(proptest::collection::vec(cell, units), coders)
        })
    }

    proptest! {
        #[test]
        fn identical_coders_with_variation_agree_perfectly(
            row in proptest::collection::vec(0u32..4, 2..30),
            coders in 2usize..8,
        ) {
            let ratings = vec![row.iter().copied().map(Some).collect::<Vec<_>>(); coders];
            let varied = row.iter().any(|&v| v != row[0]);
            let want = if varied { Ok(1.0) } else { Err(Undefined::NoVariation { value: row[0] }) };
            prop_assert_eq!(krippendorff_alpha_nominal(&ratings), want);
            prop_assert_eq!(fleiss_kappa(&ratings), want);
        }

        #[test]
        fn figures_ignore_the_order_of_coders_and_units(ratings in matrix(true)) {
            let mut shuffled: Vec<Vec<Option<u32>>> = ratings
                .iter()
                .rev()
                .map(|row| row.iter().rev().copied().collect())
                .collect();
            shuffled.rotate_left(1);
            for f in [krippendorff_alpha_nominal, fleiss_kappa] {
                match (f(&ratings), f(&shuffled)) {
                    (Ok(a), Ok(b)) => prop_assert!(close(a, b, 1e-12) && a <= 1.0 + 1e-12, "{a} {b}"),
                    (a, b) => prop_assert_eq!(a, b),
                }
            }
        }

        #[test]
        fn on_complete_data_alpha_is_kappa_corrected_for_sample_size(ratings in matrix(false)) {
            // With N units all rated by m coders (n = Nm values), the two definitions give
            // 1 − α = (1 − 1/n)(1 − κ): the same observed agreement, and P_e = Σ(n_c/n)² against
            // D_e's Σ n_c(n − n_c)/(n(n − 1)).
            let n = (ratings.len() * ratings[0].len()) as f64;
            match (krippendorff_alpha_nominal(&ratings), fleiss_kappa(&ratings)) {
                (Ok(alpha), Ok(kappa)) => {
                    prop_assert!(close(1.0 - alpha, (1.0 - 1.0 / n) * (1.0 - kappa), 1e-9), "{alpha} {kappa}")
                }
                (a, k) => prop_assert_eq!(a, k),
            }
        }
    }
}
