//! Persistence as effects: load and save the store's snapshot, and take in other tabs' changes.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{AppContext, Msg};
use std::rc::Rc;

use super::state::AppState;
use crate::core::document::Document;
use crate::core::envelope::{annotations_key, backup_key, Envelope};
use crate::core::library::{document_key, library_key, parse, settings_key, Library, Settings};
use crate::web::storage;

/// Writes a small record unless it is already there; a failure here is reported by the next
/// annotation save, which hits the same quota.
fn write_quietly(key: &str, value: &str) {
    if storage::read(key).ok().flatten().as_deref() != Some(value) {
        let _ = storage::write(key, value);
    }
}

/// The state at start-up: the settings, the library, and the document open last (the summary
/// when there is none or it cannot be read).
pub fn startup() -> AppState {
    let read = |k: &str| storage::read(k).ok().flatten();
    let name = read(&settings_key())
        .and_then(|raw| serde_json::from_str::<Settings>(&raw).ok())
        .and_then(|s| s.name);
    let library = read(&library_key())
        .and_then(|raw| Library::parse(&raw))
        .unwrap_or_default();
    let doc = library
        .current
        .as_ref()
        .and_then(|id| {
            let entry = library.documents.iter().find(|e| &e.id == id)?;
            let source = read(&document_key(id))?;
            let doc = parse(&source, entry.format);
            (doc.id == *id).then_some(doc)
        })
        .unwrap_or_else(Document::default_summary);
    AppState::with(Rc::new(doc), library, name)
}

/// How long after the last change a save waits, so that a burst of changes (and the serialising
/// of thousands of annotations) costs one save, off the frame that shows the change.
const SAVE_DELAY_MS: u32 = 250;

/// Keeps localStorage and the state in step: at start (at once) and after changes (debounced,
/// and at once when the page is hidden or closed) it reads what is stored, takes in anything
/// it has not seen, and then writes the union, so a save never overwrites another tab's work.
/// A `storage` listener merges other tabs' saves.
#[hook]
pub fn use_persistence(state: AppContext) {
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let dirty = use_mut_ref(|| false);
    {
        let state = state.clone();
        let dirty = dirty.clone();
        use_effect_with(
            (state.doc.id.clone(), state.store.revision()),
            move |&(_, revision)| {
                let timer = if revision == 0 {
                    sync(&state);
                    None
                } else {
                    *dirty.borrow_mut() = true;
                    Some(gloo::timers::callback::Timeout::new(
                        SAVE_DELAY_MS,
                        move || {
                            *dirty.borrow_mut() = false;
                            sync(&state);
                        },
                    ))
                };
                move || drop(timer)
            },
        );
    }
    {
        // Leaving the page (or hiding it) saves what is pending right away.
        let latest = latest.clone();
        let dirty = dirty.clone();
        use_effect_with((), move |_| {
            let flush = move |_: &web_sys::Event| {
                if std::mem::take(&mut *dirty.borrow_mut()) {
                    sync(&latest.borrow());
                }
            };
            let flush = std::rc::Rc::new(flush);
            let f1 = flush.clone();
            let hide = EventListener::new(&gloo::utils::window(), "pagehide", move |e| f1(e));
            let vis = EventListener::new(&gloo::utils::document(), "visibilitychange", move |e| {
                if gloo::utils::document().visibility_state() == web_sys::VisibilityState::Hidden {
                    flush(e);
                }
            });
            move || drop((hide, vis))
        });
    }
    {
        // The library index and settings are written whenever they change.
        let library = state.library.clone();
        use_effect_with(super::ByPtr(library), |library| {
            write_quietly(&library_key(), &library.0.to_json());
        });
        let name = state.name.clone();
        use_effect_with(name, |name| {
            let settings = Settings { name: name.clone() };
            write_quietly(
                &settings_key(),
                &serde_json::to_string(&settings).unwrap_or_default(),
            );
        });
    }
    use_effect_with(state.doc.id.clone(), move |_| {
        let key = annotations_key(&state.doc.id);
        let doc = state.doc.clone();
        let dispatcher = state.dispatcher();
        let listener = EventListener::new(&gloo::utils::window(), "storage", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                return;
            };
            if e.key().as_deref() != Some(key.as_str()) {
                return;
            }
            if let Some(Ok(env)) = e.new_value().map(|v| Envelope::parse(&v, &doc.id, doc.len)) {
                dispatcher.dispatch(Msg::Merge(env.data));
            }
        });
        move || drop(listener)
    });
}

fn fail(state: &AppContext, message: String) {
    if !state.save_failed {
        state.dispatch(Msg::SaveFailed(true));
        state.dispatch(Msg::Alert(message));
    }
}

fn sync(state: &AppContext) {
    let doc = &state.doc;
    let key = annotations_key(&doc.id);
    let stored = match storage::read(&key) {
        Ok(v) => v,
        Err(e) => {
            return fail(
                state,
                format!("Annotations cannot be saved: {e}. The app keeps working, but your annotations live only in this tab until it is closed."),
            )
        }
    };
    if let Some(raw) = &stored {
        match Envelope::parse(raw, &doc.id, doc.len) {
            Ok(env) => {
                let mut probe = (*state.store).clone();
                if probe.merge(&env.data) > 0 {
                    // Stored data holds something not seen here: take it in first; the new
                    // revision brings this effect back to write the union.
                    let first = state.store.revision() == 0;
                    state.dispatch(if first {
                        Msg::Load(env.data)
                    } else {
                        Msg::Merge(env.data)
                    });
                    return;
                }
            }
            Err(err) => {
                let backup = backup_key(&doc.id, raw);
                if let Err(e) = storage::write_once(&backup, raw) {
                    // Never write over data that could not be backed up.
                    return fail(
                        state,
                        format!("{err} It could not be backed up ({e}), so nothing is saved over it; your annotations live only in this tab."),
                    );
                }
                state.dispatch(Msg::Alert(format!(
                    "{err} The original data is kept untouched under the storage key “{backup}”. The app starts afresh and saves your new annotations."
                )));
            }
        }
    } else if state.store.revision() == 0 {
        return; // Nothing stored and nothing done yet: nothing to write.
    }
    let json = Envelope::new(&doc.id, state.store.snapshot()).to_json();
    if stored.as_deref() == Some(json.as_str()) {
        return;
    }
    match storage::write(&key, &json) {
        Ok(()) => {
            if state.save_failed {
                state.dispatch(Msg::SaveFailed(false));
                state.dispatch(Msg::Announce("Saving works again: all annotations are saved.".into()));
            }
        }
        Err(e) => fail(
            state,
            format!("Your latest changes could not be saved: {e}. They are kept in this tab while it stays open; what was saved before is untouched."),
        ),
    }
}
