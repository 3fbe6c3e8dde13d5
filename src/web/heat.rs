//! The heat painter: writes each block of the class view's text as text nodes and shaded `<mark>`s in one JavaScript pass, outside the virtual DOM.

use std::cell::RefCell;
use std::collections::HashMap;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::class::heat::{heat_pieces, level, run_label, Heat};
use crate::core::document::Document;

#[wasm_bindgen(inline_js = r#"
const titles = [];
export function r2p_heat_title(handle, text) { titles[handle] = text; }
// ops: five numbers per piece: from and to (UTF-16 in text), first and one-past-last code point,
// shade (0: unmarked text) and title handle + 1 in the sixth.
export function r2p_heat(el, text, ops) {
  const doc = el.ownerDocument;
  const f = doc.createDocumentFragment();
  for (let i = 0; i < ops.length; i += 6) {
    const t = text.slice(ops[i], ops[i + 1]);
    if (ops[i + 4] === 0) { f.appendChild(doc.createTextNode(t)); continue; }
    const m = doc.createElement("mark");
    m.className = "heat h" + ops[i + 4];
    m.setAttribute("data-s", ops[i + 2]);
    m.setAttribute("data-e", ops[i + 3]);
    m.title = titles[ops[i + 5] - 1];
    m.appendChild(doc.createTextNode(t));
    f.appendChild(m);
  }
  el.replaceChildren(f);
}
"#)]
extern "C" {
    fn r2p_heat_title(handle: u32, text: &str);
    fn r2p_heat(element: &web_sys::Element, text: &str, ops: &[u32]);
}

thread_local! {
    /// Titles already in the JavaScript table: (students, class size) → handle.
    static TITLES: RefCell<HashMap<(usize, usize), u32>> = RefCell::new(HashMap::new());
}

/// The handle of the title "Marked by `count` of `size` students", sent across once.
fn title(count: usize, size: usize) -> u32 {
    TITLES.with(|t| {
        let mut t = t.borrow_mut();
        let next = t.len() as u32;
        *t.entry((count, size)).or_insert_with(|| {
            r2p_heat_title(next, &run_label(count, size));
            next
        })
    })
}

/// Paints every block of `doc` into the element among `root`'s `[data-hb]` ones that stands for
/// it (in document order, one per block).
pub fn paint(root: &web_sys::Element, doc: &Document, heat: &Heat) {
    let Ok(list) = root.query_selector_all("[data-hb]") else {
        return;
    };
    let size = heat.class_size();
    for (i, block) in doc.blocks.iter().enumerate() {
        let Some(el) = list
            .item(i as u32)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let ops: Vec<u32> = heat_pieces(heat, block.start, &block.text)
            .iter()
            .flat_map(|p| {
                let shade = level(p.students, size) as u32;
                let title = if p.students > 0 {
                    title(p.students, size) + 1
                } else {
                    0
                };
                [p.from16, p.to16, p.start, p.end]
                    .map(|x| x as u32)
                    .into_iter()
                    .chain([shade, title])
            })
            .collect();
        r2p_heat(&el, &block.text, &ops);
    }
}

/// Gives the `<mark>` of the run starting at code point `start` the page's Tab stop among
/// `root`'s runs (roving focus), taking it from the one that had it; with `focus`, focuses it.
pub fn rove(root: &web_sys::Element, start: usize, focus: bool) {
    let Ok(Some(mark)) = root.query_selector(&format!("mark[data-s=\"{start}\"]")) else {
        return;
    };
    // Taking the attribute from the focused mark itself would blur it.
    if let Ok(Some(old)) = root.query_selector("mark[tabindex]") {
        if old != mark {
            let _ = old.remove_attribute("tabindex");
        }
    }
    let _ = mark.set_attribute("tabindex", "0");
    if focus {
        if let Ok(el) = mark.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}
