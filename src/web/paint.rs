//! The painter: writes a block's pieces into its element as text nodes, `<span>`s and `<mark>`s in
//! one JavaScript pass, outside the virtual DOM.
//!
//! A block crosses the boundary once: its text as one string and its pieces as one array of
//! numbers. The few distinct looks (class and colour) and descriptions (tags, for screen readers)
//! cross once each, into tables on the JavaScript side, so no string crosses per mark.

use std::cell::RefCell;
use std::collections::HashMap;

use wasm_bindgen::prelude::*;

use std::rc::Rc;

use crate::core::pieces::{description, Look, Piece};
use crate::core::store::Annotation;
use crate::core::tags::Tag;

#[wasm_bindgen(inline_js = r#"
const looks = [];
const INLINE = ["", "i-em", "i-strong", "i-em i-strong", "i-code", "i-em i-code", "i-strong i-code",
  "i-em i-strong i-code"];
export function r2p_look(handle, cls, background) { looks[handle] = [cls, background]; }
// Descriptions live in one hidden element outside the article (its textContent stays the text),
// set as text, never as HTML.
export function r2p_description(handle, text) {
  let box = document.getElementById("r2p-descriptions");
  if (!box) {
    box = document.createElement("div");
    box.id = "r2p-descriptions";
    box.hidden = true;
    document.body.appendChild(box);
  }
  const d = document.createElement("span");
  d.id = "r2p-d" + handle;
  d.textContent = text;
  box.appendChild(d);
}
// ops: seven numbers per piece: from and to (UTF-16 in text), first and one-past-last code point,
// look handle + 1 (0: not highlighted), flags (bits 0-2 inline styles, bit 3 selected),
// description handle + 1 (0: none).
export function r2p_paint(el, text, ops) {
  const doc = el.ownerDocument;
  const f = doc.createDocumentFragment();
  for (let i = 0; i < ops.length; i += 7) {
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
    if (ops[i + 6]) m.setAttribute("aria-describedby", "r2p-d" + (ops[i + 6] - 1));
    if (cls) m.className = cls;
    m.appendChild(doc.createTextNode(t));
    f.appendChild(m);
  }
  el.replaceChildren(f);
}
"#)]
extern "C" {
    fn r2p_look(handle: u32, class: &str, background: &str);
    fn r2p_description(handle: u32, text: &str);
    fn r2p_paint(element: &web_sys::Element, text: &str, ops: &[u32]);
}

/// The flag bit of a selected piece (bits 0–2 are the inline styles).
const SELECTED: u32 = 8;

thread_local! {
    /// Looks already in the JavaScript table: (colour, level, underline) → handle.
    static LOOKS: RefCell<HashMap<(String, u8, &'static str), u32>> = RefCell::new(HashMap::new());
    /// Descriptions already in the page: (tag ids, level) → handle.
    static DESCRIPTIONS: RefCell<HashMap<(Vec<String>, u8), u32>> = RefCell::new(HashMap::new());
}

/// The handle of the description of a highlight whose innermost annotation is `a`, adding it to
/// the page the first time.
fn description_handle(a: &Annotation, level: u8, tags: &[Tag]) -> u32 {
    DESCRIPTIONS.with(|t| {
        let mut t = t.borrow_mut();
        let key = (a.tags.clone(), level);
        if let Some(&h) = t.get(&key) {
            return h;
        }
        let h = t.len() as u32;
        r2p_description(h, &description(a, level, tags));
        t.insert(key, h);
        h
    })
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

/// Replaces the children of `element` (a block) with its `pieces` of `text` (the block's text);
/// `tags` name the highlights' tags in their descriptions.
pub fn paint_block(element: &web_sys::Element, text: &str, pieces: &[Piece], tags: &[Tag]) {
    let mut ops = Vec::with_capacity(pieces.len() * 7);
    // Consecutive marks mostly share a look and an innermost annotation: skip the table lookups
    // for a repeat.
    let mut last: Option<(Look, u32)> = None;
    let mut last_description: Option<(Rc<Annotation>, u8, u32)> = None;
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
        let described = match (&p.inner, p.look) {
            (Some(a), Some(l)) => match &last_description {
                Some((prev, level, h)) if Rc::ptr_eq(prev, a) && *level == l.level => h + 1,
                _ => {
                    let h = description_handle(a, l.level, tags);
                    last_description = Some((Rc::clone(a), l.level, h));
                    h + 1
                }
            },
            _ => 0,
        };
        ops.extend([
            p.from16 as u32,
            p.to16 as u32,
            p.start as u32,
            p.end as u32,
            look,
            u32::from(p.inline) | if p.selected { SELECTED } else { 0 },
            described,
        ]);
    }
    r2p_paint(element, text, &ops);
}
