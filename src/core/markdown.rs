//! A small Markdown reader for documents: headings, paragraphs, lists, quotes, code, emphasis.
//!
//! Hand-written rather than a CommonMark crate because the app must stay small (every byte is
//! downloaded by each classroom browser) and documents need only this subset. Raw HTML in the
//! file is kept as literal text: nothing from a file is ever interpreted as markup.

use super::document::{BlockKind, Document, Inline, Styled};

/// Parses inline Markdown: returns the visible text and its styles (code points, relative).
pub fn inline(src: &str) -> (String, Vec<Styled>) {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::new();
    let mut styles = Vec::new();
    let mut len = 0usize;
    inline_into(&chars, &mut out, &mut len, &mut styles, 0);
    (out, styles)
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
}

fn find_closing(chars: &[char], from: usize, delim: char, width: usize) -> Option<usize> {
    let mut j = from;
    while j + width <= chars.len() {
        if chars[j] == '\\' {
            j += 2;
            continue;
        }
        let run = chars[j..j + width].iter().all(|&c| c == delim);
        let longer = chars.get(j + width) == Some(&delim) || (j > 0 && chars[j - 1] == delim);
        if run && !longer && j > from && !chars[j - 1].is_whitespace() {
            let after_ok =
                delim != '_' || chars.get(j + width).is_none_or(|c| !c.is_alphanumeric());
            if after_ok {
                return Some(j);
            }
        }
        j += 1;
    }
    None
}

/// Finds the next occurrence of one character, remembering its last answer so that asking again
/// from a later position costs nothing until that answer is passed: a line with thousands of
/// unclosed `[` or backticks is scanned once, not once per opener.
struct Next {
    c: char,
    from: usize,
    at: Option<usize>,
}

impl Next {
    fn new(c: char) -> Next {
        Next {
            c,
            from: usize::MAX,
            at: None,
        }
    }

    fn find(&mut self, chars: &[char], from: usize) -> Option<usize> {
        let known = from >= self.from && self.at.is_none_or(|at| from <= at);
        if !known {
            self.from = from;
            self.at = (from..chars.len()).find(|&j| chars[j] == self.c);
        }
        self.at
    }
}

fn inline_into(
    chars: &[char],
    out: &mut String,
    len: &mut usize,
    styles: &mut Vec<Styled>,
    depth: usize,
) {
    let (mut tick, mut bracket, mut paren) = (Next::new('`'), Next::new(']'), Next::new(')'));
    // Where a search for a closing run of (delimiter, width) found none: none exists after it.
    let mut unclosed: Vec<(char, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1).is_some_and(|&n| is_punct(n)) {
            out.push(chars[i + 1]);
            *len += 1;
            i += 2;
            continue;
        }
        if c == '`' {
            if let Some(j) = tick.find(chars, i + 1) {
                let start = *len;
                for &ch in &chars[i + 1..j] {
                    out.push(ch);
                    *len += 1;
                }
                if *len > start {
                    styles.push(Styled {
                        start,
                        end: *len,
                        style: Inline::Code,
                    });
                }
                i = j + 1;
                continue;
            }
        }
        if (c == '*' || c == '_') && depth < 8 {
            let width = chars[i..].iter().take(3).take_while(|&&d| d == c).count();
            let opens = chars.get(i + width).is_some_and(|n| !n.is_whitespace())
                && (c == '*' || i == 0 || !chars[i - 1].is_alphanumeric());
            let hopeless = unclosed
                .iter()
                .any(|&(d, w, from)| d == c && w == width && i + width >= from);
            if opens && !hopeless {
                let found = find_closing(chars, i + width, c, width);
                if found.is_none() {
                    unclosed.push((c, width, i + width));
                }
                if let Some(j) = found {
                    let start = *len;
                    inline_into(&chars[i + width..j], out, len, styles, depth + 1);
                    let kinds: &[Inline] = match width {
                        1 => &[Inline::Emphasis],
                        2 => &[Inline::Strong],
                        _ => &[Inline::Strong, Inline::Emphasis],
                    };
                    if *len > start {
                        for &style in kinds {
                            styles.push(Styled {
                                start,
                                end: *len,
                                style,
                            });
                        }
                    }
                    i = j + width;
                    continue;
                }
            }
        }
        if c == '[' {
            // [text](target): the text is shown; the link target is not followed.
            if let Some(close) = bracket.find(chars, i + 1) {
                if chars.get(close + 1) == Some(&'(') {
                    if let Some(end) = paren.find(chars, close + 2) {
                        inline_into(&chars[i + 1..close], out, len, styles, depth + 1);
                        i = end + 1;
                        continue;
                    }
                }
            }
        }
        out.push(c);
        *len += 1;
        i += 1;
    }
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim_end();
    Some((hashes as u8, text))
}

fn bullet(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    if indent > 3 && !t.is_empty() {
        return None;
    }
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return Some(rest);
        }
    }
    None
}

fn ordered(line: &str) -> Option<(u32, &str)> {
    let t = line.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let rest = &t[digits..];
    let rest = rest
        .strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))?;
    Some((t[..digits].parse().ok()?, rest))
}

fn is_rule(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() >= 3
        && (t.chars().all(|c| c == '-')
            || t.chars().all(|c| c == '*')
            || t.chars().all(|c| c == '_'))
}

/// Parses a Markdown source into a document whose text is what the reader sees.
pub fn parse(source: &str) -> Document {
    let source = source.replace("\r\n", "\n").replace('\r', "\n");
    let mut parts: Vec<(BlockKind, String, Vec<Styled>)> = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let mut para_kind = BlockKind::Paragraph;
    let flush = |parts: &mut Vec<(BlockKind, String, Vec<Styled>)>,
                 para: &mut Vec<String>,
                 kind: &BlockKind| {
        if para.is_empty() {
            return;
        }
        let joined = para.join("\n");
        para.clear();
        let (text, styles) = inline(joined.trim());
        if text.trim().is_empty() {
            return;
        }
        parts.push((kind.clone(), text, styles));
    };
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            flush(&mut parts, &mut para, &para_kind);
            let fence: String = line.trim_start().chars().take(3).collect();
            let mut code = Vec::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with(&fence) {
                    break;
                }
                code.push(l.to_string());
            }
            let text = code.join("\n");
            if !text.trim().is_empty() {
                parts.push((BlockKind::Code, text, Vec::new()));
            }
            continue;
        }
        if line.trim().is_empty() {
            flush(&mut parts, &mut para, &para_kind);
            continue;
        }
        if let Some((level, text)) = heading(line) {
            flush(&mut parts, &mut para, &para_kind);
            let kind = if level == 1 {
                BlockKind::Title
            } else {
                BlockKind::Heading { level }
            };
            para = vec![text.to_string()];
            flush(&mut parts, &mut para, &kind);
            continue;
        }
        if is_rule(line) && bullet(line).is_none() {
            flush(&mut parts, &mut para, &para_kind);
            continue;
        }
        if let Some(rest) = bullet(line) {
            flush(&mut parts, &mut para, &para_kind);
            para_kind = BlockKind::Bullet;
            para.push(rest.to_string());
            continue;
        }
        if let Some((n, rest)) = ordered(line) {
            flush(&mut parts, &mut para, &para_kind);
            para_kind = BlockKind::Ordered { number: n };
            para.push(rest.to_string());
            continue;
        }
        if let Some(rest) = line.trim_start().strip_prefix('>') {
            if para_kind != BlockKind::Quote {
                flush(&mut parts, &mut para, &para_kind);
                para_kind = BlockKind::Quote;
            }
            para.push(rest.trim_start().to_string());
            continue;
        }
        if para.is_empty() {
            para_kind = BlockKind::Paragraph;
        }
        para.push(line.trim().to_string());
    }
    flush(&mut parts, &mut para, &para_kind);
    Document::from_blocks(parts)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn styled(doc: &Document) -> Vec<(String, Inline)> {
        doc.blocks
            .iter()
            .flat_map(|b| {
                b.styles
                    .iter()
                    .map(|s| (doc.slice(s.start, s.end), s.style))
            })
            .collect()
    }

    #[test]
    fn blocks_of_a_markdown_lesson() {
        let doc = parse(
            "# R2P lesson\n\nIntro with *emphasis*, **strong** and `code`.\nSecond line.\n\n## Pillars\n\n\
             - Pillar I: the State\n- Pillar II: *help*\n  continued\n\n1. First\n2) Second\n\n> A quote\n> goes on\n\n\
             ```\nraw <b>html</b>\n```\n\n---\n\n<script>alert(1)</script> stays text\n",
        );
        let kinds: Vec<(&BlockKind, &str)> = doc
            .blocks
            .iter()
            .map(|b| (&b.kind, b.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (&BlockKind::Title, "R2P lesson"),
                (
                    &BlockKind::Paragraph,
                    "Intro with emphasis, strong and code.\nSecond line."
                ),
                (&BlockKind::Heading { level: 2 }, "Pillars"),
                // The list shows bullets and numbers; the text does not hold them.
                (&BlockKind::Bullet, "Pillar I: the State"),
                (&BlockKind::Bullet, "Pillar II: help\ncontinued"),
                (&BlockKind::Ordered { number: 1 }, "First"),
                (&BlockKind::Ordered { number: 2 }, "Second"),
                (&BlockKind::Quote, "A quote\ngoes on"),
                (&BlockKind::Code, "raw <b>html</b>"),
                (
                    &BlockKind::Paragraph,
                    "<script>alert(1)</script> stays text"
                ),
            ]
        );
        assert_eq!(
            styled(&doc),
            [
                ("emphasis".to_string(), Inline::Emphasis),
                ("strong".into(), Inline::Strong),
                ("code".into(), Inline::Code),
                ("help".into(), Inline::Emphasis),
            ]
        );
        for b in &doc.blocks {
            assert_eq!(doc.slice(b.start, b.end), b.text);
        }
    }

    #[test]
    fn inline_edge_cases() {
        assert_eq!(inline("a * b * c").0, "a * b * c");
        assert_eq!(inline("snake_case_name").0, "snake_case_name");
        assert_eq!(inline(r"\*literal\*").0, "*literal*");
        assert_eq!(inline("***both***").0, "both");
        assert_eq!(
            inline("see [the report](http://x.org/a)").0,
            "see the report"
        );
        let (t, s) = inline("**bold *and em* inside**");
        assert_eq!(t, "bold and em inside");
        assert_eq!(s.len(), 2);
        assert_eq!(inline("unclosed **bold").0, "unclosed **bold");
        assert_eq!(inline("`unclosed").0, "`unclosed");
    }

    #[test]
    fn a_megabyte_of_unclosed_markup_reads_in_linear_time() {
        for unit in ["[a *b _c `d ", "[x](y [", "**a ***b *c ", "[]"] {
            let line = unit.repeat(1_000_000 / unit.len());
            let started = std::time::Instant::now();
            let doc = parse(&line);
            let took = started.elapsed();
            assert!(took.as_secs_f64() < 2.0, "{unit:?}: {took:?}");
            assert!(doc.len > 0);
        }
    }

    #[test]
    fn arabic_and_chinese_keep_code_points() {
        let doc = parse("# مسؤولية الحماية\n\nتقع **المسؤولية** الأساسية على الدولة.\n\n保护的责任 *第二支柱* 🌍");
        assert_eq!(doc.blocks.len(), 3);
        assert_eq!(styled(&doc)[0].0, "المسؤولية");
        assert_eq!(styled(&doc)[1].0, "第二支柱");
        assert_eq!(doc.len, doc.text.chars().count());
    }
}
