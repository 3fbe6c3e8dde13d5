//! The Yew UI: one reducer state shared through a context, small function components.

mod chart;
mod class;
mod document_view;
mod library;
mod list;
mod panel;
mod persist;
mod picker;
mod report;
mod sharing;
pub mod state;
mod toolbar;

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::core::store::Action;
use crate::web::clock;

use document_view::DocumentView;
pub use document_view::{ArticleView, ArticleViewProps};
use panel::SidePanel;
use picker::TagPicker;
use state::{AppContext, Msg};
use toolbar::{Notices, Toolbar};

/// Compares shared values by identity: cheap memo keys for large immutable data.
#[derive(Clone)]
pub(crate) struct ByPtr<T>(pub Rc<T>);

impl<T> PartialEq for ByPtr<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Mounts the app on the page's body.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

/// True when keys typed at `target` belong to a text field, not to the app's shortcuts.
pub(crate) fn is_text_field(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            let tag = el.tag_name().to_ascii_lowercase();
            tag == "textarea"
                || tag == "select"
                || (tag == "input" && el.get_attribute("type").as_deref() != Some("checkbox"))
                || el.get_attribute("contenteditable").is_some()
        })
}

/// Global keys: Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, the pillar keys 1–3 while the picker is open,
/// Escape. Registered once; the reducer decides what a key does in the current state.
#[hook]
fn use_global_keys(state: AppContext, picker_open: bool) {
    use_effect_with(picker_open, move |&open| {
        let options = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(
            &gloo::utils::document(),
            "keydown",
            options,
            move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if is_text_field(e.target()) {
                    if e.key() == "Escape" && open {
                        state.dispatch(Msg::ClosePicker);
                    }
                    return;
                }
                let ctrl = e.ctrl_key() || e.meta_key();
                let key = e.key();
                if ctrl && !e.alt_key() {
                    let lower = key.to_ascii_lowercase();
                    let action = match (lower.as_str(), e.shift_key()) {
                        ("z", false) => Some(Action::Undo { at: clock::now() }),
                        ("z", true) | ("y", false) => Some(Action::Redo { at: clock::now() }),
                        _ => None,
                    };
                    if let Some(a) = action {
                        e.prevent_default();
                        state.dispatch(Msg::Do(a));
                    }
                    return;
                }
                if e.alt_key() || !open {
                    return;
                }
                match key.as_str() {
                    "1" | "2" | "3" => {
                        e.prevent_default();
                        state.dispatch(Msg::Tag {
                            tag: format!("pillar-{key}"),
                            new_id: clock::new_id(),
                            at: clock::now(),
                        });
                    }
                    "Escape" => {
                        e.prevent_default();
                        state.dispatch(Msg::ClosePicker);
                    }
                    _ => {}
                }
            },
        );
        move || drop(listener)
    });
}

/// The whole app: toolbar, document, picker, side panel, live regions.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(persist::startup);
    persist::use_persistence(state.clone());
    use_global_keys(
        state.clone(),
        state.picker.is_some() && state.import.is_none(),
    );
    sharing::use_drop_and_paste(state.clone());
    {
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            crate::web::offline::register(move || d.dispatch(Msg::UpdateReady));
        });
    }
    html! {
        <ContextProvider<AppContext> context={state.clone()}>
            <a class="skip" href="#document">{ "Skip to the document" }</a>
            <div class="top">
                <Toolbar />
                <Notices />
            </div>
            if state.report {
                <report::ReportView />
            } else if state.class.shown {
                <class::ClassView />
            } else {
                <main class="layout">
                    <div class="reading">
                        <DocumentView />
                        <TagPicker />
                    </div>
                    <SidePanel />
                </main>
            }
            <sharing::ImportDialog />
        </ContextProvider<AppContext>>
    }
}
