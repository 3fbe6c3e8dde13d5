//! What a block paints: its runs cut where inline styles change, each piece with code-point and
//! UTF-16 offsets and the look of its highlight.

use std::rc::Rc;

use super::document::{Block, Inline};
use super::layout::Run;
use super::store::Annotation;
use super::tags::{parse_hex_color, shade, Tag, TagKind};

/// Colour of a highlight that has no tag yet (or whose tag has no valid colour).
pub const UNTAGGED_COLOR: &str = "#ffec99";

/// How a highlight looks, from its innermost annotation and how many annotations cover it. Only
/// depths 1, 2 and 3+ look different, so a page has few distinct looks however many marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Look<'a> {
    /// The innermost annotation's first tag's colour (`#rrggbb`).
    pub color: &'a str,
    /// 1, 2 or 3 (three or more covering annotations).
    pub level: u8,
    /// The underline class: which pillar, a theme only, or no tag.
    pub underline: &'static str,
}

impl Look<'_> {
    /// The mark's class list.
    pub fn class(&self) -> String {
        let overlap = match self.level {
            1 => "",
            2 => " overlap",
            _ => " overlap overlap3",
        };
        format!("hl {}{overlap}", self.underline)
    }

    /// The background colour (`--hl`): darker as more annotations overlap.
    pub fn background(&self) -> String {
        shade(self.color, usize::from(self.level))
    }
}

/// The look of a run whose innermost annotation is `a`, covered `depth` times.
pub fn look<'a>(a: &Annotation, depth: usize, tags: &'a [Tag]) -> Look<'a> {
    let tag = |id: &String| tags.iter().find(|t| &t.id == id);
    let color = a
        .tags
        .first()
        .and_then(tag)
        .map(|t| t.color.as_str())
        .filter(|c| parse_hex_color(c).is_some())
        .unwrap_or(UNTAGGED_COLOR);
    let pillar = a
        .tags
        .iter()
        .filter_map(tag)
        .find(|t| t.kind == TagKind::Pillar);
    let underline = match pillar.map(|t| t.id.as_str()) {
        Some("pillar-1") => "u-p1",
        Some("pillar-2") => "u-p2",
        Some("pillar-3") => "u-p3",
        _ if a.tags.is_empty() => "u-none",
        _ => "u-theme",
    };
    Look {
        color,
        level: depth.clamp(1, 3) as u8,
        underline,
    }
}

/// Up to this many placed annotations every block paints its highlights; above it only blocks
/// near the viewport do (the others show their text plain until they come near): the DOM of
/// every run of a heavily annotated text costs the browser more style and layout than the
/// reader ever sees.
pub const PAINT_ALL_UP_TO: usize = 1000;

/// Whether a block paints its highlights, with `placed` annotations on the page.
pub fn paints_highlights(placed: usize, near: bool) -> bool {
    placed <= PAINT_ALL_UP_TO || near
}

/// The pieces of `block` shown as plain text: its inline styles, no highlight.
pub fn plain_pieces<'a>(block: &Block) -> Vec<Piece<'a>> {
    if block.start == block.end {
        return Vec::new();
    }
    let whole = Run {
        start: block.start,
        end: block.end,
        cover: None,
    };
    pieces(block, &[whole], &[], None)
}

/// Inline style bits of a piece: 1 emphasis, 2 strong, 4 code.
pub const EMPHASIS: u8 = 1;
/// See [`EMPHASIS`].
pub const STRONG: u8 = 2;
/// See [`EMPHASIS`].
pub const CODE: u8 = 4;

/// One piece of a block: text with one cover and one set of inline styles.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece<'a> {
    /// First code point (of the canonical text).
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Where the piece starts in the block's text, in UTF-16 units (the DOM's unit).
    pub from16: usize,
    /// Where it ends, in UTF-16 units of the block's text.
    pub to16: usize,
    /// The highlight's look; None for text no annotation covers.
    pub look: Option<Look<'a>>,
    /// Inline style bits ([`EMPHASIS`], [`STRONG`], [`CODE`]).
    pub inline: u8,
    /// Inside the selected annotation's span (outlined).
    pub selected: bool,
    /// The innermost covering annotation (its tags describe the highlight to screen readers).
    pub inner: Option<Rc<Annotation>>,
}

/// What a screen reader hears of a highlight beside its text (`aria-describedby`): the innermost
/// annotation's tags by label, and whether other highlights overlap it (`level` as in [`Look`]).
pub fn description(a: &Annotation, level: u8, tags: &[Tag]) -> String {
    let labels: Vec<&str> = a
        .tags
        .iter()
        .map(|id| {
            tags.iter()
                .find(|t| &t.id == id)
                .map_or(id.as_str(), |t| t.label.as_str())
        })
        .collect();
    let what = if labels.is_empty() {
        "no tag".to_string()
    } else {
        labels.join(", ")
    };
    let overlap = match level {
        0 | 1 => "",
        2 => "; overlaps another highlight",
        _ => "; overlaps two or more other highlights",
    };
    format!("Highlight: {what}{overlap}")
}

/// The pieces of `block` for its `runs`: every code point of the block in exactly one piece, in
/// order. `selected` is the selected annotation's span.
pub fn pieces<'a>(
    block: &Block,
    runs: &[Run],
    tags: &'a [Tag],
    selected: Option<(usize, usize)>,
) -> Vec<Piece<'a>> {
    let units = crate::core::offsets::utf16_starts(&block.text);
    let mut cuts: Vec<usize> = block.styles.iter().flat_map(|s| [s.start, s.end]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let inline_at = |at: usize| {
        block
            .styles
            .iter()
            .filter(|s| s.start <= at && at < s.end)
            .fold(0, |bits, s| {
                bits | match s.style {
                    Inline::Emphasis => EMPHASIS,
                    Inline::Strong => STRONG,
                    Inline::Code => CODE,
                }
            })
    };
    let mut out = Vec::with_capacity(runs.len() + cuts.len());
    for r in runs {
        let look = r.cover.as_ref().map(|c| look(&c.inner, c.depth, tags));
        let inner = r.cover.as_ref().map(|c| Rc::clone(&c.inner));
        let selected = look.is_some() && selected.is_some_and(|(s, e)| s <= r.start && r.end <= e);
        let mut from = r.start;
        let first_cut = cuts.partition_point(|&c| c <= r.start);
        for &to in cuts[first_cut..]
            .iter()
            .take_while(|&&c| c < r.end)
            .chain([&r.end])
        {
            out.push(Piece {
                start: from,
                end: to,
                from16: units[from - block.start],
                to16: units[to - block.start],
                look,
                inline: inline_at(from),
                selected,
                inner: inner.clone(),
            });
            from = to;
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::document::Document;
    use crate::core::layout::{Index, Layout};
    use crate::core::markdown;
    use crate::core::store::Store;
    use std::rc::Rc;

    fn ann(id: &str, start: usize, end: usize, tags: &[&str]) -> Rc<Annotation> {
        Rc::new(Annotation::bare(id, start, end, tags))
    }

    #[test]
    fn pieces_cover_the_block_with_utf16_offsets_styles_and_looks() {
        // "A 🌍 *big* deal": the emoji is two UTF-16 units, "big" is emphasised.
        let doc = markdown::parse("A 🌍 *big* deal");
        let block = &doc.blocks[0];
        assert_eq!(block.text, "A 🌍 big deal");
        let tags = Store::default().tags();
        // One annotation over "🌍 big" (code points 2..7), another over "big d" (4..9).
        let items = [
            ann("a", 2, 7, &["pillar-2"]),
            ann("b", 4, 9, &["theme-prevention"]),
        ];
        let layout = Layout::full(&doc, &Index::new(&items));
        let got = pieces(
            block,
            layout.blocks[0].as_deref().unwrap(),
            &tags,
            Some((4, 9)),
        );
        let text16: Vec<u16> = block.text.encode_utf16().collect();
        let shown: Vec<(String, Option<u8>, u8, bool)> = got
            .iter()
            .map(|p| {
                (
                    String::from_utf16(&text16[p.from16..p.to16]).unwrap(),
                    p.look.map(|l| l.level),
                    p.inline,
                    p.selected,
                )
            })
            .collect();
        let want: Vec<(String, Option<u8>, u8, bool)> = vec![
            ("A ".into(), None, 0, false),
            ("🌍 ".into(), Some(1), 0, false),
            ("big".into(), Some(2), EMPHASIS, true),
            (" d".into(), Some(1), 0, true),
            ("eal".into(), None, 0, false),
        ];
        assert_eq!(shown, want);
        // Code points: "🌍 " is 2..4 (one code point each), "big" 4..7.
        assert_eq!((got[1].start, got[1].end), (2, 4));
        assert_eq!((got[2].start, got[2].end), (4, 7));
        // The innermost annotation gives the look: over "big" both are 5 long, and the one
        // starting last ("b", a theme) wins the tie.
        assert_eq!(got[1].look.unwrap().underline, "u-p2");
        assert_eq!(got[2].look.unwrap().underline, "u-theme");
    }

    #[test]
    fn looks_differ_only_by_first_tag_colour_depth_level_and_pillar() {
        let tags = Store::default().tags();
        let p1 = tags.iter().find(|t| t.id == "pillar-1").unwrap();
        let a = ann("a", 0, 1, &["pillar-1"]);
        assert_eq!(look(&a, 7, &tags), look(&a, 3, &tags));
        assert_ne!(look(&a, 2, &tags), look(&a, 3, &tags));
        let l = look(&a, 1, &tags);
        assert_eq!(l.color, p1.color);
        assert_eq!(l.class(), "hl u-p1");
        assert_eq!(look(&a, 2, &tags).class(), "hl u-p1 overlap");
        assert_eq!(look(&a, 9, &tags).class(), "hl u-p1 overlap overlap3");
        let untagged = ann("b", 0, 1, &[]);
        assert_eq!(look(&untagged, 1, &tags).color, UNTAGGED_COLOR);
        assert_eq!(look(&untagged, 1, &tags).class(), "hl u-none");
        // A plain-text document with no styles: one piece per run.
        let doc = Document::parse_plain("one two");
        let layout = Layout::full(&doc, &Index::new(&[ann("c", 4, 7, &["pillar-1"])]));
        let p = pieces(
            &doc.blocks[0],
            layout.blocks[0].as_deref().unwrap(),
            &tags,
            None,
        );
        assert_eq!(
            p.iter().map(|p| (p.start, p.end)).collect::<Vec<_>>(),
            [(0, 4), (4, 7)]
        );
    }

    #[test]
    fn plain_pieces_keep_styles_and_drop_highlights() {
        let doc = markdown::parse("A 🌍 *big* deal");
        let p = plain_pieces(&doc.blocks[0]);
        let spans: Vec<(usize, usize, Option<Look>, u8)> = p
            .iter()
            .map(|p| (p.start, p.end, p.look, p.inline))
            .collect();
        assert_eq!(
            spans,
            [(0, 4, None, 0), (4, 7, None, EMPHASIS), (7, 12, None, 0)]
        );
        assert_eq!(
            (p[2].from16, p[2].to16),
            (8, 13),
            "🌍 counts two UTF-16 units"
        );
    }

    #[test]
    fn descriptions_name_the_tags_and_the_overlap() {
        let tags = Store::default().tags();
        let a = ann("a", 0, 1, &["pillar-2", "theme-prevention"]);
        assert_eq!(
            description(&a, 1, &tags),
            "Highlight: Pillar II, Prevention"
        );
        assert_eq!(
            description(&a, 2, &tags),
            "Highlight: Pillar II, Prevention; overlaps another highlight"
        );
        assert_eq!(
            description(&ann("b", 0, 1, &[]), 3, &tags),
            "Highlight: no tag; overlaps two or more other highlights"
        );
        // The pieces carry their innermost annotation; plain text none.
        let doc = Document::parse_plain("one two");
        let layout = Layout::full(&doc, &Index::new(&[ann("c", 4, 7, &["pillar-1"])]));
        let p = pieces(
            &doc.blocks[0],
            layout.blocks[0].as_deref().unwrap(),
            &tags,
            None,
        );
        assert_eq!(p[0].inner, None);
        assert_eq!(p[1].inner.as_ref().map(|a| a.id.as_str()), Some("c"));
    }

    #[test]
    fn highlights_paint_everywhere_below_the_limit_and_near_the_viewport_from_it() {
        assert!(paints_highlights(1000, false));
        assert!(!paints_highlights(1001, false));
        assert!(paints_highlights(1001, true));
    }
}
