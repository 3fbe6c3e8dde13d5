//! Focus: modal dialogs (Tab and Shift+Tab cycle inside, focus goes back where it was), and which element an event came from.

use wasm_bindgen::JsCast;

/// What can take focus by Tab inside a dialog.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

/// Keeps a Tab or Shift+Tab pressed in `dialog` inside it: from its last focusable element Tab
/// goes to the first, and Shift+Tab from the first to the last.
pub fn cycle(dialog: &web_sys::Element, e: &web_sys::KeyboardEvent) {
    if e.key() != "Tab" {
        return;
    }
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|el| el.get_client_rects().length() > 0)
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        e.prevent_default();
        return;
    };
    let active = gloo::utils::document().active_element();
    let inside = active.as_ref().is_some_and(|a| dialog.contains(Some(a)));
    let at = |el: &web_sys::HtmlElement| active.as_ref() == Some(el.unchecked_ref());
    let to = if e.shift_key() {
        (!inside || at(first)).then_some(last)
    } else {
        (!inside || at(last)).then_some(first)
    };
    if let Some(el) = to {
        e.prevent_default();
        let _ = el.focus();
    }
}

/// The element that has focus now (to give it back when a dialog closes).
pub fn active() -> Option<web_sys::HtmlElement> {
    gloo::utils::document()
        .active_element()
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
}

/// Gives focus back to `el` if it is still in the page.
pub fn restore(el: Option<web_sys::HtmlElement>) {
    if let Some(el) = el.filter(|el| el.is_connected()) {
        let _ = el.focus();
    }
}

/// The number in attribute `name` of the element an event happened on, or of its nearest
/// ancestor that has one (a click on text inside a highlight).
pub fn number_attr(target: Option<web_sys::EventTarget>, name: &str) -> Option<usize> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    el.closest(&format!("[{name}]"))
        .ok()
        .flatten()?
        .get_attribute(name)?
        .parse()
        .ok()
}
