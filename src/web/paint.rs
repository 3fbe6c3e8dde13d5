//! The painter: writes a block's pieces into its element as text nodes, `<span>`s and `<mark>`s in
//! one JavaScript pass, outside the virtual DOM.
//!
//! A block crosses the boundary once: its text as one string and its pieces as one array of
//! numbers. The few distinct looks (class and colour) cross once each, into a table on the
//! JavaScript side, so no string is built per mark.

use std::cell::RefCell;
use std::collections::HashMap;

use wasm_bindgen::prelude::*;

use crate::core::pieces::{Look, Piece};

#[wasm_bindgen(inline_js = r#"
const looks = [];
const INLINE = ["", "i-em", "i-strong", "i-em i-strong", "i-code", "i-em i-code", "i-strong i-code",
  "i-em i-strong i-code"];
export function r2p_look(handle, cls, background) { looks[handle] = [cls, background]; }
// ops: six numbers per piece: from and to (UTF-16 in text), first and one-past-last code point,
// look handle + 1 (0: not highlighted), flags (bits 0-2 inline styles, bit 3 selected).
export function r2p_paint(el, text, ops) {
  const doc = el.ownerDocument;
  const f = doc.createDocumentFragment();
  for (let i = 0; i < ops.length; i += 6) {
    const t = text.slice(ops[i], ops[i + 1]);
    const look = ops[i + 4], flags = ops[i + 5];
    if (look === 0 && (flags & 7) === 0) { f.appendChild(doc.createTextNode(t)); continue; }
    const m = doc.createElement(look ? "mark" : "span");
    m.setAttribute("data-s", ops[i + 2]);
    m.setAttribute("data-e", ops[i + 3]);
    let cls = INLINE[flags & 7];
    if (look) {
      const l = looks[look - 1];
      cls = cls ? l[0] + " " + cls : l[0];
      m.style.setProperty("--hl", l[1]);
    }
    if (flags & 8) cls += " selected";
    if (cls) m.className = cls;
    m.appendChild(doc.createTextNode(t));
    f.appendChild(m);
  }
  el.replaceChildren(f);
}
"#)]
extern "C" {
    fn r2p_look(handle: u32, class: &str, background: &str);
    fn r2p_paint(element: &web_sys::Element, text: &str, ops: &[u32]);
}

/// The flag bit of a selected piece (bits 0–2 are the inline styles).
const SELECTED: u32 = 8;

thread_local! {
    /// Looks already in the JavaScript table: (colour, level, underline) → handle.
    static LOOKS: RefCell<HashMap<(String, u8, &'static str), u32>> = RefCell::new(HashMap::new());
}

/// The handle of a look in the JavaScript table, registering it the first time.
fn look_handle(look: &Look) -> u32 {
    LOOKS.with(|t| {
        let mut t = t.borrow_mut();
        let key = (look.color.to_string(), look.level, look.underline);
        if let Some(&h) = t.get(&key) {
            return h;
        }
        let h = t.len() as u32;
        r2p_look(h, &look.class(), &look.background());
        t.insert(key, h);
        h
    })
}

/// Replaces the children of `element` (a block) with its `pieces` of `text` (the block's text).
pub fn paint_block(element: &web_sys::Element, text: &str, pieces: &[Piece]) {
    let mut ops = Vec::with_capacity(pieces.len() * 6);
    // Consecutive marks mostly share a look: skip the table lookup for a repeat.
    let mut last: Option<(Look, u32)> = None;
    for p in pieces {
        let look = match p.look {
            None => 0,
            Some(l) => match last {
                Some((prev, h)) if prev == l => h + 1,
                _ => {
                    let h = look_handle(&l);
                    last = Some((l, h));
                    h + 1
                }
            },
        };
        ops.extend([
            p.from16 as u32,
            p.to16 as u32,
            p.start as u32,
            p.end as u32,
            look,
            u32::from(p.inline) | if p.selected { SELECTED } else { 0 },
        ]);
    }
    r2p_paint(element, text, &ops);
}
