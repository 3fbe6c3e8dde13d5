//! Running work once what was just rendered has been painted.

use std::cell::Cell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// At most this long to wait for a frame: a tab in the background gets none.
const FRAME_WAIT_MS: u32 = 100;

/// Work to run once, shared by the frame callback and the fallback timer.
type Once = Rc<Cell<Option<Box<dyn FnOnce()>>>>;

/// Runs `f` once, in a task after the next frame (so that what is rendered now is painted
/// first), or after [`FRAME_WAIT_MS`] if no frame comes.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    let f: Once = Rc::new(Cell::new(Some(Box::new(f))));
    let run = {
        let f = f.clone();
        move || {
            if let Some(f) = f.take() {
                f();
            }
        }
    };
    let fallback = run.clone();
    Timeout::new(FRAME_WAIT_MS, fallback).forget();
    if let Some(window) = web_sys::window() {
        let next_task = Closure::once_into_js(move || Timeout::new(0, run).forget());
        let _ = window.request_animation_frame(next_task.unchecked_ref());
    }
}
