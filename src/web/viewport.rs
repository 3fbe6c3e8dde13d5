//! The view's scroll position and size, and scrolling so that the tag picker and its selection are both in view.

use crate::core::app::Place;
use crate::core::placement::{scroll_to_show, selection_bottom};

fn number(v: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>) -> f64 {
    v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0)
}

/// The view's horizontal and vertical scroll and its width (CSS pixels).
pub fn scroll_and_width() -> (f64, f64, f64) {
    let w = gloo::utils::window();
    (
        w.scroll_x().unwrap_or(0.0),
        w.scroll_y().unwrap_or(0.0),
        number(w.inner_width()),
    )
}

/// Scrolls the page as far as [`scroll_to_show`] says (up or down) for the `picker` put at `place`.
pub fn show_picker_and_selection(picker: &web_sys::Element, place: Place) {
    let w = gloo::utils::window();
    let box_ = picker.get_bounding_client_rect();
    let selection = selection_bottom(place) - w.scroll_y().unwrap_or(0.0);
    // The sticky top (toolbar and notices) covers the page down to its bottom.
    let toolbar = gloo::utils::document()
        .query_selector(".top")
        .ok()
        .flatten()
        .map_or(0.0, |top| top.get_bounding_client_rect().bottom());
    let dy = scroll_to_show(
        number(w.inner_height()),
        toolbar,
        selection,
        box_.top(),
        box_.bottom(),
    );
    if dy != 0.0 {
        w.scroll_by_with_x_and_y(0.0, dy);
    }
}
