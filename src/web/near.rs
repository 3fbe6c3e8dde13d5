//! Which blocks of the article are near the viewport: an IntersectionObserver whose margin
//! reaches a screen above and below it, so a block is reported before it scrolls into view.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// How far beyond the viewport a block counts as near: one screen above and below.
const MARGIN: &str = "100% 0px 100% 0px";

/// Watches blocks (elements with `data-block`) and reports which came near or went away.
pub struct NearBlocks {
    observer: IntersectionObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl NearBlocks {
    /// Calls `changed` with the `data-block` offsets (first code points) of the blocks whose
    /// nearness changed, each with whether it is now near.
    pub fn new(changed: impl Fn(Vec<(usize, bool)>) + 'static) -> Option<NearBlocks> {
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let report: Vec<(usize, bool)> = entries
                .iter()
                .filter_map(|e| {
                    let e: IntersectionObserverEntry = e.dyn_into().ok()?;
                    let start = e.target().get_attribute("data-block")?.parse().ok()?;
                    Some((start, e.is_intersecting()))
                })
                .collect();
            if !report.is_empty() {
                changed(report);
            }
        });
        let init = IntersectionObserverInit::new();
        init.set_root_margin(MARGIN);
        let observer =
            IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &init)
                .ok()?;
        Some(NearBlocks {
            observer,
            _callback: callback,
        })
    }

    /// Watches every block inside `article` (watching a block twice is harmless).
    pub fn observe_blocks(&self, article: &Element) {
        let Ok(blocks) = article.query_selector_all("[data-block]") else {
            return;
        };
        for i in 0..blocks.length() {
            if let Some(el) = blocks.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                self.observer.observe(&el);
            }
        }
    }
}

impl Drop for NearBlocks {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
