//! The document model: plain text parsed into blocks over one canonical text, offsets in code points.

use sha2::{Digest, Sha256};

/// The built-in summary's id: the SHA-256 of its canonical text as first published.
pub const SUMMARY_ID: &str = "a525d7b4305cbe3eb58f4023f29b47996dcf933a4840b5bd082a9ba2bf507b11";

/// The default document, shipped verbatim from the seed (the parser makes the two page-break repairs).
pub const DEFAULT_SOURCE: &str =
    include_str!("../../www/documents/r2p-presidents-summary-2014.txt");

/// What a block is, which decides how it is laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// The document title (in the source: a block wrapped in `**`).
    Title,
    /// A line in capitals, such as "PRESIDENT'S SUMMARY".
    Subtitle,
    /// A section heading ("Background" in the summary is level 3; Markdown `##` is level 2).
    Heading {
        /// 2 to 6, as HTML heading levels.
        level: u8,
    },
    /// A numbered paragraph; `number` is its number as written.
    Numbered { number: u32 },
    /// A short line between the title and the body, such as "New York, 8 September 2014".
    Dateline,
    /// Any other paragraph.
    Paragraph,
    /// An item of a bulleted list (Markdown `-`, `*`, `+`): the list shows the bullet, which is
    /// not part of the text.
    Bullet,
    /// An item of a numbered list (Markdown `1.`): the list shows `number`, which is not part of
    /// the text (unlike a numbered paragraph's).
    Ordered {
        /// Its number as written.
        number: u32,
    },
    /// A quoted passage (Markdown `>`).
    Quote,
    /// Preformatted text (a Markdown code fence); line breaks are kept on screen.
    Code,
}

/// An inline style inside a block (from Markdown emphasis).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Inline {
    /// `*text*`: italics.
    Emphasis,
    /// `**text**`: bold.
    Strong,
    /// `` `text` ``: monospace.
    Code,
}

/// A styled range of the canonical text, in code points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Styled {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The style.
    pub style: Inline,
}

impl Styled {
    /// The same style `by` code points further on.
    pub fn shifted(self, by: usize) -> Styled {
        Styled {
            start: self.start + by,
            end: self.end + by,
            style: self.style,
        }
    }
}

/// One block of the document: a kind and a half-open code-point range of the canonical text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// How the block is laid out.
    pub kind: BlockKind,
    /// First code point of the block in the canonical text.
    pub start: usize,
    /// One past the last code point of the block.
    pub end: usize,
    /// The block's text (exactly `text[start..end]` of the canonical text).
    pub text: String,
    /// Inline styles, in absolute code points, sorted by start.
    pub styles: Vec<Styled>,
}

/// A parsed document: its canonical text (what the page's `textContent` equals) and its blocks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The canonical text; every offset in the app is a code-point offset into it.
    pub text: String,
    /// Blocks in order; the text between two blocks is a separator ("\n" or "\n\n").
    pub blocks: Vec<Block>,
    /// SHA-256 of the canonical text, lowercase hex: the document's identity.
    pub id: String,
    /// Length of the canonical text in code points.
    pub len: usize,
}

struct RawBlock {
    text: String,
    /// Blank line before it in the source (else a single line break).
    blank_before: bool,
    bold: bool,
}

fn paragraph_number(text: &str) -> Option<u32> {
    let digits: String = text.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    let rest = &text[digits.len()..];
    if rest.starts_with(". ") {
        digits.parse().ok()
    } else {
        None
    }
}

fn ends_sentence(text: &str) -> bool {
    matches!(
        text.trim_end().chars().last(),
        Some('.' | '!' | '?' | ':' | ';' | '”' | '"' | '’' | ')' | ']')
    )
}

fn is_capitals(text: &str) -> bool {
    text.chars().any(char::is_alphabetic) && !text.chars().any(char::is_lowercase)
}

impl Document {
    /// Parses plain text: blank lines separate blocks; inside a block, a line that starts with a
    /// paragraph number ("7. ") starts a new block. A numbered paragraph cut by a page break (it
    /// does not end a sentence and the next block is not numbered) is joined to the next block
    /// with one space. A block wrapped in `**` is the title and loses the markers.
    pub fn parse_plain(source: &str) -> Document {
        let source = source.replace("\r\n", "\n");
        let mut raw: Vec<RawBlock> = Vec::new();
        let mut blank = true;
        for chunk_line in source.split('\n') {
            let line = chunk_line.trim_end();
            if line.trim().is_empty() {
                blank = true;
                continue;
            }
            let starts_new = blank || paragraph_number(line).is_some();
            if starts_new {
                raw.push(RawBlock {
                    text: line.to_string(),
                    blank_before: blank,
                    bold: false,
                });
            } else if let Some(last) = raw.last_mut() {
                last.text.push('\n');
                last.text.push_str(line);
            }
            blank = false;
        }
        for block in &mut raw {
            let t = block.text.trim();
            if t.len() > 4 && t.starts_with("**") && t.ends_with("**") {
                block.text = t[2..t.len() - 2].to_string();
                block.bold = true;
            }
        }
        // Page-break repair: join a cut numbered paragraph with its continuation.
        let mut joined: Vec<RawBlock> = Vec::with_capacity(raw.len());
        for block in raw {
            if let Some(prev) = joined.last_mut() {
                if paragraph_number(&prev.text).is_some()
                    && !ends_sentence(&prev.text)
                    && paragraph_number(&block.text).is_none()
                    && !block.bold
                    && block.text.chars().next().is_some_and(char::is_alphanumeric)
                {
                    prev.text.push(' ');
                    prev.text.push_str(&block.text);
                    continue;
                }
            }
            joined.push(block);
        }
        let mut text = String::new();
        let mut blocks = Vec::with_capacity(joined.len());
        let mut pos = 0usize;
        for (i, b) in joined.iter().enumerate() {
            if i > 0 {
                let sep = if b.blank_before { "\n\n" } else { "\n" };
                text.push_str(sep);
                pos += sep.len();
            }
            let next_numbered = joined
                .get(i + 1)
                .is_some_and(|n| paragraph_number(&n.text).is_some());
            let kind = if let Some(number) = paragraph_number(&b.text) {
                BlockKind::Numbered { number }
            } else if b.bold && i == 0 {
                BlockKind::Title
            } else if is_capitals(&b.text) && b.text.chars().count() < 80 {
                BlockKind::Subtitle
            } else if next_numbered && !ends_sentence(&b.text) && b.text.chars().count() < 80 {
                BlockKind::Heading { level: 3 }
            } else if blocks
                .first()
                .is_some_and(|f: &Block| f.kind == BlockKind::Title)
                && blocks.iter().all(|p: &Block| {
                    matches!(
                        p.kind,
                        BlockKind::Title | BlockKind::Dateline | BlockKind::Subtitle
                    )
                })
                && !ends_sentence(&b.text)
                && b.text.chars().count() < 80
            {
                BlockKind::Dateline
            } else {
                BlockKind::Paragraph
            };
            let n = b.text.chars().count();
            blocks.push(Block {
                kind,
                start: pos,
                end: pos + n,
                text: b.text.clone(),
                styles: Vec::new(),
            });
            text.push_str(&b.text);
            pos += n;
        }
        Document::from_parts(text, blocks)
    }

    /// Builds a document from blocks (kind, text, styles relative to the block's start),
    /// separated by blank lines.
    pub fn from_blocks(parts: Vec<(BlockKind, String, Vec<Styled>)>) -> Document {
        let mut text = String::new();
        let mut blocks = Vec::with_capacity(parts.len());
        let mut pos = 0;
        for (i, (kind, t, styles)) in parts.into_iter().enumerate() {
            if i > 0 {
                text.push_str("\n\n");
                pos += 2;
            }
            let n = t.chars().count();
            let styles = styles.into_iter().map(|st| st.shifted(pos)).collect();
            text.push_str(&t);
            blocks.push(Block {
                kind,
                start: pos,
                end: pos + n,
                text: t,
                styles,
            });
            pos += n;
        }
        Document::from_parts(text, blocks)
    }

    fn from_parts(text: String, blocks: Vec<Block>) -> Document {
        let id = content_id(&text);
        let len = text.chars().count();
        Document {
            text,
            blocks,
            id,
            len,
        }
    }

    /// The default document: the President's Summary of the 2014 GA dialogue on R2P.
    pub fn default_summary() -> Document {
        let mut doc = Document::parse_plain(DEFAULT_SOURCE);
        // Its id is fixed: annotations are stored under it, and a later change to the parser
        // must not strand them.
        doc.id = SUMMARY_ID.into();
        doc
    }

    /// The title (first Title block), else the first block's text.
    pub fn title(&self) -> &str {
        self.blocks
            .iter()
            .find(|b| b.kind == BlockKind::Title)
            .or(self.blocks.first())
            .map(|b| b.text.as_str())
            .unwrap_or("")
    }

    /// The text of `[start, end)` in code points (clamped to the document).
    /// The byte offset of each code-point offset in `points` (None past the end), in one walk
    /// over the text: checking thousands of spans costs one pass, not one per span.
    pub fn byte_offsets(&self, points: &[usize]) -> Vec<Option<usize>> {
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_unstable_by_key(|&i| points[i]);
        let mut out = vec![None; points.len()];
        let mut chars = self
            .text
            .char_indices()
            .map(|(b, _)| b)
            .chain([self.text.len()]);
        let (mut cp, mut byte) = (0, chars.next());
        for i in order {
            while cp < points[i] && byte.is_some() {
                byte = chars.next();
                cp += 1;
            }
            out[i] = byte.filter(|_| cp == points[i]);
        }
        out
    }

    pub fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.len);
        if start >= end {
            return String::new();
        }
        self.text.chars().skip(start).take(end - start).collect()
    }

    /// Narrows `[start, end)` to exclude white space at either edge (a drag often takes the
    /// space after a word or the line break between paragraphs); None when nothing is left.
    pub fn trim_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let end = end.min(self.len);
        if start >= end {
            return None;
        }
        let chars: Vec<char> = self.text.chars().skip(start).take(end - start).collect();
        let lead = chars.iter().take_while(|c| c.is_whitespace()).count();
        if lead == chars.len() {
            return None;
        }
        let trail = chars.iter().rev().take_while(|c| c.is_whitespace()).count();
        Some((start + lead, end - trail))
    }

    /// Index of the block that contains code point `offset`, or the next block after it.
    pub fn block_at(&self, offset: usize) -> Option<usize> {
        let i = self.blocks.partition_point(|b| b.end <= offset);
        (i < self.blocks.len()).then_some(i)
    }

    /// The paragraph number of the numbered paragraph containing `offset`, if any.
    pub fn paragraph_number_at(&self, offset: usize) -> Option<u32> {
        let b = &self.blocks[self.block_at(offset)?];
        match b.kind {
            BlockKind::Numbered { number } if b.start <= offset => Some(number),
            _ => None,
        }
    }
}

/// SHA-256 of a text, lowercase hex.
pub fn content_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_of_code_points_in_one_walk() {
        let d = Document::parse_plain("a🌍“b”\n\nc");
        assert_eq!(d.text, "a🌍“b”\n\nc");
        let got = d.byte_offsets(&[3, 0, 1, 2, 8, 9, 4]);
        assert_eq!(
            got,
            [Some(8), Some(0), Some(1), Some(5), Some(15), None, Some(9)]
        );
    }

    #[test]
    fn summary_has_title_headings_and_thirteen_numbered_paragraphs() {
        let d = Document::default_summary();
        let numbers: Vec<u32> = d
            .blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::Numbered { number } => Some(number),
                _ => None,
            })
            .collect();
        assert_eq!(numbers, (1..=13).collect::<Vec<_>>());
        assert_eq!(d.blocks[0].kind, BlockKind::Title);
        assert!(d.title().starts_with("Informal, Interactive Dialogue"));
        assert!(d
            .title()
            .ends_with("Fulfilling Our Collective Responsibility"));
        assert!(!d.text.contains("**"), "bold markers are markup, not text");
        let kinds: Vec<(&str, &BlockKind)> = d
            .blocks
            .iter()
            .filter(|b| !matches!(b.kind, BlockKind::Numbered { .. }))
            .map(|b| (b.text.as_str(), &b.kind))
            .collect();
        assert_eq!(
            kinds[1],
            ("New York, 8 September 2014", &BlockKind::Dateline)
        );
        assert_eq!(kinds[2], ("PRESIDENT'S SUMMARY", &BlockKind::Subtitle));
        assert_eq!(kinds[3], ("Background", &BlockKind::Heading { level: 3 }));
        assert_eq!(kinds[4], ("Summary", &BlockKind::Heading { level: 3 }));
        assert_eq!(kinds.len(), 5);
    }

    #[test]
    fn page_break_splits_are_joined() {
        let d = Document::default_summary();
        let para = |n: u32| {
            d.blocks
                .iter()
                .find(|b| b.kind == BlockKind::Numbered { number: n })
                .unwrap()
                .text
                .clone()
        };
        assert!(para(5).contains("H.E. Dr. Jean Ping underlined"));
        assert!(para(5).ends_with("how to move forward."));
        assert!(para(9).contains("roles played by the Human Rights Council and regional"));
        assert!(para(9).ends_with("Rights Up Front initiative."));
    }

    #[test]
    fn canonical_text_keeps_curly_quotes_and_block_ranges_match() {
        let d = Document::default_summary();
        assert!(d.text.contains('“') && d.text.contains('’'));
        for b in &d.blocks {
            assert_eq!(d.slice(b.start, b.end), b.text);
        }
        for w in d.blocks.windows(2) {
            let sep = d.slice(w[0].end, w[1].start);
            assert!(sep == "\n" || sep == "\n\n", "separator {sep:?}");
        }
        assert_eq!(d.len, d.text.chars().count());
        assert_eq!(d.id, content_id(&d.text));
        assert_eq!(d.id.len(), 64);
        assert!(!d.text.starts_with('\n') && !d.text.ends_with(' '));
    }

    #[test]
    fn blocks_and_offsets_use_code_points_with_emoji() {
        let d = Document::parse_plain("Peace 🕊️ now\n\n1. “Protect” 🌍 all.\n2. Next");
        assert_eq!(d.blocks.len(), 3);
        assert_eq!(
            d.blocks[0].kind,
            BlockKind::Heading { level: 3 },
            "a short line before ¶1"
        );
        assert_eq!(d.blocks[1].kind, BlockKind::Numbered { number: 1 });
        let s = d.blocks[1].start;
        assert_eq!(d.slice(s + 3, s + 12), "“Protect”");
        assert_eq!(d.slice(s + 13, s + 14), "🌍");
        assert_eq!(d.block_at(s + 13), Some(1));
        assert_eq!(d.paragraph_number_at(s + 13), Some(1));
        assert_eq!(d.paragraph_number_at(0), None);
        let p = d.blocks[0].end;
        assert_eq!(d.trim_span(p - 3, p + 2), Some((p - 3, p)));
        assert_eq!(d.trim_span(p - 3, p + 3), Some((p - 3, p + 3)));
        assert_eq!(d.trim_span(p, p + 2), None);
        assert_eq!(d.trim_span(5, 5), None);
    }
}
