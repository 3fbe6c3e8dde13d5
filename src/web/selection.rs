//! DOM selection ⇄ code-point offsets in the canonical text, and keyboard caret movement.
//!
//! Every block carries `data-block` (its first code point) and every highlighted or styled run
//! `data-s`/`data-e`, so a boundary in a text node maps by counting over that node and, for plain
//! text, back to the nearest run or the block's start. Boundaries on elements (a triple-click, a
//! selection ending between blocks) fall back to measuring the text from the article's start
//! with a DOM Range.

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

/// The code-point offset where the text node `node` starts, from the run around it (`data-s`) or,
/// for plain text directly in a block, from the nearest run before it (`data-e`) or the block's
/// start (`data-block`) plus the text between.
fn text_node_start(node: &Node) -> Option<usize> {
    let attr = |el: &Element, name: &str| el.get_attribute(name)?.parse::<usize>().ok();
    let parent = node.parent_element()?;
    if let Some(start) = attr(&parent, "data-s") {
        return Some(start);
    }
    let block = attr(&parent, "data-block")?;
    let mut between = 0;
    let mut sibling = node.previous_sibling();
    while let Some(n) = sibling {
        if let Some(end) = n.dyn_ref::<Element>().and_then(|el| attr(el, "data-e")) {
            return Some(end + between);
        }
        between += text_len_code_points(&n.text_content().unwrap_or_default());
        sibling = n.previous_sibling();
    }
    Some(block + between)
}

/// The code-point offset in the article's text of the DOM boundary (`node`, `offset`), where
/// `offset` is in UTF-16 units for a text node and in children for an element. Boundaries
/// before the article clamp to 0 and after it to its length.
pub fn boundary_offset(article: &Element, node: &Node, offset: u32) -> Option<usize> {
    if node.node_type() == Node::TEXT_NODE && article.contains(Some(node)) {
        if let Some(start) = text_node_start(node) {
            let text = node.text_content().unwrap_or_default();
            let utf16: Vec<u16> = text.encode_utf16().take(offset as usize).collect();
            let prefix = String::from_utf16_lossy(&utf16);
            return Some(start + utf16_to_code_points(&prefix, utf16.len()));
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

/// The block element holding code point `offset`: the last `[data-block]` starting at or before it.
fn block_at(article: &Element, offset: usize) -> Option<Element> {
    let blocks = article.query_selector_all("[data-block]").ok()?;
    let mut best = None;
    for i in 0..blocks.length() {
        let el: Element = blocks.item(i)?.dyn_into().ok()?;
        match el.get_attribute("data-block")?.parse::<usize>() {
            Ok(s) if s <= offset => best = Some(el),
            _ => break,
        }
    }
    best
}

/// Puts a collapsed caret at the start of the article's first text.
pub fn place_caret_at_start(article: &Element) {
    if let (Some(sel), Some(boundary)) = (current(), dom_boundary(article, 0)) {
        let _ = sel.collapse_with_offset(Some(&boundary.0), boundary.1);
    }
}

/// The (text node, UTF-16 offset) of code point `offset`, found by walking the children of the
/// block that holds it (text nodes, and runs with one text node each).
pub fn dom_boundary(article: &Element, offset: usize) -> Option<(Node, u32)> {
    let block = block_at(article, offset)?;
    let mut at: usize = block.get_attribute("data-block")?.parse().ok()?;
    let children = block.child_nodes();
    for i in 0..children.length() {
        let child = children.item(i)?;
        let text = child.text_content().unwrap_or_default();
        let len = text_len_code_points(&text);
        if offset < at + len || i + 1 == children.length() {
            let node = if child.node_type() == Node::TEXT_NODE {
                child
            } else {
                child.first_child()?
            };
            let units: usize = text.chars().take(offset - at).map(char::len_utf16).sum();
            return Some((node, units as u32));
        }
        at += len;
    }
    None
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
