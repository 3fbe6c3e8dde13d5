//! Scrolls the article to a code point: to the highlight covering it, or to its block while that
//! highlight is not painted (the article may paint only the blocks near the view).

use wasm_bindgen::JsCast;
use web_sys::{Element, NodeList};

use crate::core::offsets::last_at_or_before;

/// Where [`reveal`] scrolled to.
pub enum Revealed {
    /// The highlight (`mark`) covering the code point.
    Mark(Element),
    /// The block holding it: no painted highlight covers it (yet).
    Block(Element),
}

fn element(list: &NodeList, i: usize) -> Option<Element> {
    list.item(u32::try_from(i).ok()?)?.dyn_into().ok()
}

/// A numeric attribute of the `i`th element of `list` (0 when missing or not a number: such an
/// element sorts first).
fn number(list: &NodeList, i: usize, name: &str) -> usize {
    element(list, i)
        .and_then(|e| e.get_attribute(name))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Scrolls the article (`#document`) so that code point `offset` is in the middle of the view:
/// the `mark` whose run covers it (`data-s` ≤ offset < `data-e`) inside the block holding it
/// (the `[data-block]` with the largest first code point ≤ offset), else that block itself.
/// None when the article has no block there.
pub fn reveal(offset: usize) -> Option<Revealed> {
    let blocks = gloo::utils::document()
        .get_element_by_id("document")?
        .query_selector_all("[data-block]")
        .ok()?;
    let at = last_at_or_before(
        blocks.length() as usize,
        |i| number(&blocks, i, "data-block"),
        offset,
    )?;
    let block = element(&blocks, at)?;
    let marks = block.query_selector_all("mark[data-s]").ok()?;
    let mark = last_at_or_before(
        marks.length() as usize,
        |i| number(&marks, i, "data-s"),
        offset,
    )
    .filter(|&i| offset < number(&marks, i, "data-e"))
    .and_then(|i| element(&marks, i));
    let opts = web_sys::ScrollIntoViewOptions::new();
    opts.set_block(web_sys::ScrollLogicalPosition::Center);
    let target = mark.as_ref().unwrap_or(&block);
    target.scroll_into_view_with_scroll_into_view_options(&opts);
    Some(match mark {
        Some(m) => Revealed::Mark(m),
        None => Revealed::Block(block),
    })
}
