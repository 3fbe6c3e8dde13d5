//! DOM selection ⇄ code-point offsets in the canonical text, and keyboard caret movement.
//!
//! The article renders every run of text inside an element carrying `data-s` (the run's first
//! code point), so a boundary in a text node maps with one UTF-16 → code-point count over that
//! node alone. Boundaries on elements (a triple-click, a selection ending between blocks) fall
//! back to measuring the text from the article's start with a DOM Range.

use wasm_bindgen::JsCast;
use web_sys::{Element, Node, Range, Selection};

use crate::core::offsets::utf16_to_code_points;

/// A selected span in code points and where it is on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct SelectedSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Left edge of the selection's bounding box, in viewport pixels.
    pub left: f64,
    /// Bottom edge of the selection's bounding box, in viewport pixels.
    pub bottom: f64,
}

/// The window's current selection.
pub fn current() -> Option<Selection> {
    web_sys::window()?.get_selection().ok().flatten()
}

fn text_len_code_points(s: &str) -> usize {
    s.chars().count()
}

/// The code-point offset in the article's text of the DOM boundary (`node`, `offset`), where
/// `offset` is in UTF-16 units for a text node and in children for an element. Boundaries
/// before the article clamp to 0 and after it to its length.
pub fn boundary_offset(article: &Element, node: &Node, offset: u32) -> Option<usize> {
    if node.node_type() == Node::TEXT_NODE {
        if let Some(run) = node.parent_element() {
            if let Some(start) = run
                .get_attribute("data-s")
                .and_then(|s| s.parse::<usize>().ok())
            {
                if article.contains(Some(node)) {
                    let text = node.text_content().unwrap_or_default();
                    let utf16: Vec<u16> = text.encode_utf16().take(offset as usize).collect();
                    let prefix = String::from_utf16_lossy(&utf16);
                    return Some(start + utf16_to_code_points(&prefix, utf16.len()));
                }
            }
        }
    }
    let article_node: &Node = article.as_ref();
    if !article.contains(Some(node)) {
        let position = article_node.compare_document_position(node);
        return Some(if position & Node::DOCUMENT_POSITION_PRECEDING != 0 {
            0
        } else {
            text_len_code_points(&article.text_content().unwrap_or_default())
        });
    }
    let range = Range::new().ok()?;
    range.set_start(article_node, 0).ok()?;
    range.set_end(node, offset).ok()?;
    Some(text_len_code_points(&String::from(range.to_string())))
}

/// The selection's span inside the article, when it is not collapsed.
pub fn selected_span(article: &Element) -> Option<SelectedSpan> {
    let sel = current()?;
    if sel.range_count() == 0 || sel.is_collapsed() {
        return None;
    }
    let range = sel.get_range_at(0).ok()?;
    let start = boundary_offset(
        article,
        &range.start_container().ok()?,
        range.start_offset().ok()?,
    )?;
    let end = boundary_offset(
        article,
        &range.end_container().ok()?,
        range.end_offset().ok()?,
    )?;
    if start >= end {
        return None;
    }
    let rect = range.get_bounding_client_rect();
    Some(SelectedSpan {
        start,
        end,
        left: rect.left(),
        bottom: rect.bottom(),
    })
}

/// The code-point offset of a collapsed selection (a click or the keyboard caret) in the article.
pub fn caret_offset(article: &Element) -> Option<usize> {
    let sel = current()?;
    let node = sel.focus_node()?;
    if !article.contains(Some(&node)) {
        return None;
    }
    boundary_offset(article, &node, sel.focus_offset())
}

/// True when the selection has a boundary inside the article.
pub fn is_inside(article: &Element) -> bool {
    current()
        .and_then(|s| s.focus_node())
        .is_some_and(|n| article.contains(Some(&n)))
}

/// Puts a collapsed caret at the start of the article's first run of text.
pub fn place_caret_at_start(article: &Element) {
    let first = article
        .query_selector("[data-s]")
        .ok()
        .flatten()
        .and_then(|run| run.first_child());
    if let (Some(sel), Some(node)) = (current(), first) {
        let _ = sel.collapse_with_offset(Some(&node), 0);
    }
}

/// The (text node, UTF-16 offset) of code point `offset`, found through the runs' `data-s`.
pub fn dom_boundary(article: &Element, offset: usize) -> Option<(Node, u32)> {
    let runs = article.query_selector_all("[data-s]").ok()?;
    let mut best: Option<(Element, usize)> = None;
    for i in 0..runs.length() {
        let el: Element = runs.item(i)?.dyn_into().ok()?;
        let s: usize = el.get_attribute("data-s")?.parse().ok()?;
        if s <= offset {
            best = Some((el, s));
        } else {
            break;
        }
    }
    let (el, s) = best?;
    let text_node = el.first_child()?;
    let text = text_node.text_content().unwrap_or_default();
    let units: usize = text.chars().take(offset - s).map(char::len_utf16).sum();
    Some((text_node, units as u32))
}

/// Moves or extends the selection like caret browsing: `extend` for Shift, `granularity` one of
/// "character", "word", "line", "lineboundary"; `visual` moves right/left on screen (so arrows
/// follow right-to-left text) instead of forward/backward in reading order. Chromium does not
/// do this itself in non-editable text.
pub fn modify(extend: bool, forward: bool, visual: bool, granularity: &str) {
    let direction = match (visual, forward) {
        (true, true) => "right",
        (true, false) => "left",
        (false, true) => "forward",
        (false, false) => "backward",
    };
    if let Some(sel) = current() {
        let _ = sel.modify(
            if extend { "extend" } else { "move" },
            direction,
            granularity,
        );
    }
}

/// Where the caret (the selection's focus) is drawn: (left, top, height) in viewport pixels.
pub fn caret_rect() -> Option<(f64, f64, f64)> {
    let sel = current()?;
    let node = sel.focus_node()?;
    let range = Range::new().ok()?;
    range.set_start(&node, sel.focus_offset()).ok()?;
    range.collapse_with_to_start(true);
    let rects = range.get_client_rects()?;
    let rect = if rects.length() > 0 {
        rects.item(0)?
    } else {
        range.get_bounding_client_rect()
    };
    if rect.height() == 0.0 {
        let el = if node.node_type() == Node::TEXT_NODE {
            node.parent_element()?
        } else {
            node.dyn_into().ok()?
        };
        let r = el.get_bounding_client_rect();
        return Some((r.left(), r.top(), r.height().min(24.0)));
    }
    Some((rect.left(), rect.top(), rect.height()))
}
