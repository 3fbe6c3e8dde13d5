//! Writes `data-annotation-ids` from a table of ids kept on the JavaScript side.
//!
//! With thousands of overlapping annotations every run lists hundreds of ids; building those
//! strings in wasm and copying each into JavaScript costs more than the rest of painting. So
//! each id crosses once, into a table, and a run passes only small numbers.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::core::store::Annotation;

#[wasm_bindgen(inline_js = r#"
const table = [];
export function r2p_register_id(handle, id) { table[handle] = id; }
export function r2p_set_ids(element, handles) {
  const parts = new Array(handles.length);
  for (let i = 0; i < handles.length; i++) parts[i] = table[handles[i]];
  element.setAttribute("data-annotation-ids", parts.join(" "));
}
"#)]
extern "C" {
    fn r2p_register_id(handle: u32, id: &str);
    fn r2p_set_ids(element: &web_sys::Element, handles: &[u32]);
}

thread_local! {
    static HANDLES: RefCell<HashMap<String, u32>> = RefCell::new(HashMap::new());
}

/// The handle of an id in the JavaScript table, registering it the first time.
fn handle(id: &str) -> u32 {
    HANDLES.with(|h| {
        let mut h = h.borrow_mut();
        if let Some(&n) = h.get(id) {
            return n;
        }
        let n = h.len() as u32;
        r2p_register_id(n, id);
        h.insert(id.to_string(), n);
        n
    })
}

/// Hashes a pointer by one multiplication: runs look up hundreds of members each, millions in
/// all at 10,000 annotations, where a string hash per lookup would dominate painting.
#[derive(Default)]
pub struct PtrHasher(u64);

impl Hasher for PtrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Handles of the annotations of one layout, by pointer. Valid while those annotations are
/// alive, which the layout's index guarantees.
#[derive(Default)]
pub struct IdTable {
    by_ptr: HashMap<usize, u32, BuildHasherDefault<PtrHasher>>,
}

impl IdTable {
    /// Registers every annotation of a layout (new ids cross to JavaScript once).
    pub fn new(items: &[Rc<Annotation>]) -> IdTable {
        let mut by_ptr = HashMap::with_capacity_and_hasher(items.len(), Default::default());
        for a in items {
            by_ptr.insert(Rc::as_ptr(a) as usize, handle(&a.id));
        }
        IdTable { by_ptr }
    }

    /// Sets `data-annotation-ids` on `element` to the ids of `members`, space-separated.
    pub fn set_ids(&self, element: &web_sys::Element, members: &[Rc<Annotation>]) {
        let handles: Vec<u32> = members
            .iter()
            .map(|a| {
                self.by_ptr
                    .get(&(Rc::as_ptr(a) as usize))
                    .copied()
                    .unwrap_or_else(|| handle(&a.id))
            })
            .collect();
        r2p_set_ids(element, &handles);
    }
}
