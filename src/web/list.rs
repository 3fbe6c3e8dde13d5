//! The annotation list's geometry and events: the part of it in view, where its rendered items
//! are, scrolling it, focusing an item, and view changes (scroll, resize) once per frame.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, EventTarget, HtmlElement};

use crate::core::window::{Placed, View};

/// The part of `list` in view through `scroller` (the element that scrolls it) and the window's
/// viewport, in the list's coordinates.
pub fn view(list: &Element, scroller: &Element) -> View {
    let s = scroller.get_bounding_client_rect();
    let viewport = gloo::utils::window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    View::of(
        list.get_bounding_client_rect().top(),
        s.top(),
        s.bottom(),
        viewport,
    )
}

/// An element's bottom margin in pixels (0 when it cannot be read).
fn margin_bottom(el: &Element) -> f64 {
    gloo::utils::window()
        .get_computed_style(el)
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value("margin-bottom").ok())
        .and_then(|v| v.trim_end_matches("px").parse().ok())
        .unwrap_or(0.0)
}

/// The item position (`aria-posinset`, from 1) of a list item element.
fn position(li: &Element) -> Option<usize> {
    li.get_attribute("aria-posinset")?.parse().ok()
}

/// The rendered items of `list` (its children with `aria-posinset`) as laid out: index, top, and
/// height with the gap to the next item (the items' bottom margin), in the list's coordinates.
pub fn placed(list: &Element) -> Vec<Placed> {
    let top = list.get_bounding_client_rect().top();
    let children = list.children();
    let mut gap = None;
    (0..children.length())
        .filter_map(|i| {
            let li = children.item(i)?;
            let index = position(&li)?.checked_sub(1)?;
            let r = li.get_bounding_client_rect();
            // Every item has the same margin: read it once.
            let gap = *gap.get_or_insert_with(|| margin_bottom(&li));
            Some(Placed {
                index,
                top: r.top() - top,
                height: r.height() + gap,
            })
        })
        .collect()
}

/// Scrolls `scroller` by `dy` pixels, at once.
pub fn scroll_by(scroller: &Element, dy: f64) {
    if dy != 0.0 {
        scroller.scroll_by_with_x_and_y(0.0, dy);
    }
}

/// Focuses the go-to button of the item at `index` of `list`; false when it is not rendered.
pub fn focus_item(list: &Element, index: usize) -> bool {
    let selector = format!(":scope > li[aria-posinset=\"{}\"] button.go", index + 1);
    match list
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|b| b.dyn_into::<HtmlElement>().ok())
    {
        Some(button) => button.focus().is_ok(),
        None => false,
    }
}

/// The index of the list item that holds `target` (an event's target), if one does.
pub fn item_index(target: Option<EventTarget>) -> Option<usize> {
    let el: Element = target?.dyn_into().ok()?;
    position(&el.closest("li[aria-posinset]").ok()??)?.checked_sub(1)
}

/// True when `target` (an event's target or related target) is inside `list`.
pub fn holds(list: &Element, target: Option<EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
        .is_some_and(|n| list.contains(Some(&n)))
}

/// Runs `f` at the next animation frame, before that frame's layout: the page's other changes
/// are in by then, so measuring lays it out once. Returns the frame's id, to cancel it.
pub fn next_frame(f: impl FnOnce() + 'static) -> Option<i32> {
    let callback = Closure::once_into_js(f);
    gloo::utils::window()
        .request_animation_frame(callback.unchecked_ref())
        .ok()
}

/// Cancels a frame asked for with [`next_frame`].
pub fn cancel_frame(id: i32) {
    let _ = gloo::utils::window().cancel_animation_frame(id);
}

/// Listens for changes of a list's view — its scroller scrolled, the page scrolled, the window
/// resized — with passive listeners, and calls back once per animation frame at most. Dropping
/// it removes the listeners and any frame still pending.
pub struct ViewWatch {
    _listeners: [EventListener; 3],
    pending: Rc<Cell<Option<i32>>>,
    // Kept alive while a frame may call it.
    _frame: Rc<Closure<dyn FnMut()>>,
}

impl ViewWatch {
    /// Starts listening; `changed` runs in the frame after one or more of these events.
    pub fn new(scroller: &Element, changed: impl Fn() + 'static) -> ViewWatch {
        let pending: Rc<Cell<Option<i32>>> = Rc::default();
        let frame = {
            let pending = pending.clone();
            Rc::new(Closure::<dyn FnMut()>::new(move || {
                pending.set(None);
                changed();
            }))
        };
        let schedule = {
            let pending = pending.clone();
            let frame = frame.clone();
            move |_: &web_sys::Event| {
                if pending.get().is_none() {
                    let callback: &js_sys::Function = (*frame).as_ref().unchecked_ref();
                    if let Ok(id) = gloo::utils::window().request_animation_frame(callback) {
                        pending.set(Some(id));
                    }
                }
            }
        };
        let window = gloo::utils::window();
        // gloo's listeners are passive unless asked otherwise: scrolling is never held up.
        let listeners = [
            EventListener::new(scroller, "scroll", schedule.clone()),
            EventListener::new(&window, "scroll", schedule.clone()),
            EventListener::new(&window, "resize", schedule),
        ];
        ViewWatch {
            _listeners: listeners,
            pending,
            _frame: frame,
        }
    }
}

impl Drop for ViewWatch {
    fn drop(&mut self) {
        if let Some(id) = self.pending.take() {
            cancel_frame(id);
        }
    }
}
