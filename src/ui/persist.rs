//! Persistence as effects: the core decides what to save and how ([`crate::core::persist`]);
//! this hook runs those saves on timers and page events and feeds other tabs' saves back in.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{AppContext, AppState};
use crate::core::app;
use crate::core::library::{settings_key, Settings};
use crate::web::frame;
use crate::web::storage::{self, Local};

/// The state at start-up, read from localStorage by the core; the open document's annotations
/// follow once the document is painted (see `use_persistence`).
pub fn startup() -> AppState {
    app::open(&mut Local)
}

/// How long after the last change a save waits, so that a burst of changes (typing, and the
/// serialising of thousands of annotations) costs one save, off the frame that shows the change.
const SAVE_DELAY_MS: u32 = 250;

/// Runs the core's saves of everything waiting and feeds their results back.
fn flush(state: &AppState, d: &UseReducerDispatcher<AppState>) {
    for msg in app::flush(state, &mut Local) {
        d.dispatch(msg);
    }
}

/// Keeps localStorage and the state in step: changes are saved after a short pause, documents
/// left and library changes at once, and everything pending when the page is hidden, closed or
/// loses focus. A `storage` listener merges other tabs' saves.
#[hook]
pub fn use_persistence(state: AppContext) {
    let latest: Rc<RefCell<AppState>> = use_mut_ref(|| (*state).clone());
    *latest.borrow_mut() = (*state).clone();
    {
        let latest = latest.clone();
        let d = state.dispatcher();
        use_effect_with(
            (state.doc.id.clone(), state.store.revision(), state.dirty),
            move |&(_, _, dirty)| {
                let timer = dirty.then(|| {
                    gloo::timers::callback::Timeout::new(SAVE_DELAY_MS, move || {
                        flush(&latest.borrow(), &d)
                    })
                });
                move || drop(timer)
            },
        );
    }
    {
        let latest = latest.clone();
        let d = state.dispatcher();
        use_effect_with(
            (super::ByPtr(state.leaving.clone()), state.library_dirty),
            move |(leaving, library_dirty)| {
                if !leaving.0.is_empty() || *library_dirty {
                    flush(&latest.borrow(), &d);
                }
            },
        );
    }
    {
        // A changed class is saved after the same pause.
        let latest = latest.clone();
        let d = state.dispatcher();
        use_effect_with(
            (super::ByPtr(state.class.set.clone()), state.class.dirty),
            move |(_, dirty)| {
                let timer = dirty.then(|| {
                    gloo::timers::callback::Timeout::new(SAVE_DELAY_MS, move || {
                        flush(&latest.borrow(), &d)
                    })
                });
                move || drop(timer)
            },
        );
    }
    {
        // Leaving the page, hiding it or leaving the window saves what is pending right away.
        let latest = latest.clone();
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            let now = Rc::new(move || {
                let s = latest.borrow().clone();
                if s.unsaved() {
                    flush(&s, &d);
                }
            });
            let (f1, f2, f3) = (now.clone(), now.clone(), now);
            let window = gloo::utils::window();
            let hide = EventListener::new(&window, "pagehide", move |_| f1());
            let blur = EventListener::new(&window, "blur", move |_| f2());
            let vis = EventListener::new(&gloo::utils::document(), "visibilitychange", move |_| {
                if gloo::utils::document().visibility_state() == web_sys::VisibilityState::Hidden {
                    f3();
                }
            });
            move || drop((hide, blur, vis))
        });
    }
    {
        // A document just opened: read its stored annotations, after its text is painted.
        let latest = latest.clone();
        let d = state.dispatcher();
        use_effect_with(state.doc.id.clone(), move |_| {
            frame::after_next_paint(move || {
                if let Some(msg) = app::load(&latest.borrow(), &mut Local) {
                    d.dispatch(msg);
                }
                if let Some(msg) = app::load_class(&latest.borrow(), &mut Local) {
                    d.dispatch(msg);
                }
            });
        });
    }
    {
        // The settings are written whenever they change (one small record, this tab's own).
        let name = state.name.clone();
        use_effect_with(name, |name| {
            let value = serde_json::to_string(&Settings { name: name.clone() }).unwrap_or_default();
            if storage::read(&settings_key()).ok().flatten().as_deref() != Some(value.as_str()) {
                let _ = storage::write(&settings_key(), &value);
            }
        });
    }
    {
        // Other tabs' saves: the open document's annotations and the library index.
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "storage", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                    return;
                };
                let (Some(key), Some(value)) = (e.key(), e.new_value()) else {
                    return;
                };
                let msg = app::storage_event(&latest.borrow(), &key, &value);
                if let Some(msg) = msg {
                    d.dispatch(msg);
                }
            });
            move || drop(listener)
        });
    }
}
