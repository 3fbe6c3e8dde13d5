//! Sharing: Export JSON, Import JSON (picker, drag-and-drop, paste) and the import report dialog.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::state::{AppContext, AppState, Msg};
use crate::core::anchor::Anchorer;
use crate::core::app::{import_planned, import_progress};
use crate::core::document::Document;
use crate::core::import::Planner;
use crate::core::store::{short_quote, Store};
use crate::core::w3c::{self, read_file, MAX_FILE_BYTES};
use crate::web::{clock, files, focus};

/// How long planning works before the page gets a turn, in milliseconds.
const SLICE_MS: f64 = 8.0;

/// How often the progress shown is brought up to date, in milliseconds.
const PROGRESS_MS: f64 = 100.0;

thread_local! {
    /// The planning run under way: a new file or Cancel ends the one before.
    static RUN: Cell<u64> = const { Cell::new(0) };
}

/// Ends the planning run under way, if any (its steps stop at their next turn).
fn stop_planning() {
    RUN.with(|r| r.set(r.get().wrapping_add(1)));
}

/// The open document and its annotations as of the last render, for imports started by events
/// and finished after awaits (a handle captured earlier holds the state of its own render).
type Latest = Rc<RefCell<(Rc<Document>, Rc<Store>)>>;

#[hook]
fn use_latest(state: &AppContext) -> Latest {
    let latest = use_mut_ref(|| (state.doc.clone(), state.store.clone()));
    *latest.borrow_mut() = (state.doc.clone(), state.store.clone());
    latest
}

/// Reads bytes as an annotation file and plans its import, or says why it cannot.
fn review(
    dispatcher: &UseReducerDispatcher<AppState>,
    latest: &Latest,
    name: String,
    bytes: &[u8],
) {
    match read_file(bytes) {
        Ok(file) => {
            let (doc, store) = latest.borrow().clone();
            let planner = Planner::new(Rc::new(file), doc, store, false, clock::now());
            plan_in_steps(dispatcher.clone(), latest.clone(), name, planner);
        }
        Err(e) => dispatcher.dispatch(Msg::Alert(format!(
            "Could not import {name}: {e} Nothing was changed."
        ))),
    }
}

/// Runs `planner` a slice of time at a time, giving the page a turn between slices, and
/// forwards its progress and its plan to the state (which decides what to make of them).
fn plan_in_steps(
    dispatcher: UseReducerDispatcher<AppState>,
    latest: Latest,
    name: String,
    mut planner: Planner,
) {
    stop_planning();
    let run = RUN.with(Cell::get);
    let doc = planner.doc().id.clone();
    // Plans for about a slice of time; true once every item is planned.
    let step = |planner: &mut Planner| {
        let started = js_sys::Date::now();
        while !planner.step(1) {
            if js_sys::Date::now() - started >= SLICE_MS {
                return false;
            }
        }
        true
    };
    dispatcher.dispatch(import_progress(&name, &planner));
    // A small file is planned in the first slice: its report shows at once.
    if step(&mut planner) {
        dispatcher.dispatch(import_planned(name, planner));
        return;
    }
    let mut shown = js_sys::Date::now();
    spawn_local(async move {
        loop {
            let now = js_sys::Date::now();
            // Not while nothing is planned yet: a 0 would start planning again after a Cancel.
            if now - shown >= PROGRESS_MS && planner.progress().0 > 0 {
                shown = now;
                dispatcher.dispatch(import_progress(&name, &planner));
            }
            TimeoutFuture::new(0).await;
            let moved = latest.borrow().0.id != doc;
            if RUN.with(Cell::get) != run || moved {
                return;
            }
            if step(&mut planner) {
                break;
            }
        }
        dispatcher.dispatch(import_planned(name, planner));
    });
}

/// Reads a picked or dropped file and reviews it.
fn review_file(dispatcher: UseReducerDispatcher<AppState>, latest: Latest, file: web_sys::File) {
    let name = file.name();
    spawn_local(async move {
        match files::read_bytes(file, MAX_FILE_BYTES).await {
            Ok(bytes) => review(&dispatcher, &latest, name, &bytes),
            Err(e) => dispatcher.dispatch(Msg::Alert(format!(
                "Could not import {name}: {e}. Nothing was changed."
            ))),
        }
    });
}

/// Export and import buttons for the toolbar.
#[function_component(ShareButtons)]
pub fn share_buttons() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let latest = use_latest(&state);
    let onexport = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let doc = &state.doc;
            let value = w3c::export(doc, &state.store, &Anchorer::new(&doc.text), clock::now());
            let json = serde_json::to_string_pretty(&value).expect("JSON values serialise");
            let name = w3c::export_file_name(doc, state.name.as_deref());
            let n = state.store.len();
            match files::download(&name, "application/ld+json", &json) {
                Ok(()) => state.dispatch(Msg::Announce(format!(
                    "Exported {n} annotation{} as {name}.",
                    if n == 1 { "" } else { "s" }
                ))),
                Err(e) => state.dispatch(Msg::Alert(format!("Could not export: {e}."))),
            }
        })
    };
    let onpick = {
        let d = state.dispatcher();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                review_file(d.clone(), latest.clone(), file);
            }
            // Picking the same file again must fire `change` again.
            input.set_value("");
        })
    };
    html! {
        <div class="share">
            <button type="button" onclick={onexport}
                title="Download all annotations as W3C Web Annotation JSON">{ "Export JSON" }</button>
            <label class="file-button" title="Import W3C Web Annotation JSON (or drop a file on the page, or paste)">
                <span aria-hidden="true">{ "Import JSON" }</span>
                <input type="file" aria-label="Import JSON" class="sr-only-input"
                    accept=".json,.jsonld,application/json,application/ld+json" onchange={onpick} />
            </label>
        </div>
    }
}

/// Drag-and-drop of a file anywhere on the page, and pasting JSON outside text fields.
#[hook]
pub fn use_drop_and_paste(state: AppContext) {
    let latest = use_latest(&state);
    let class_shown = use_mut_ref(|| false);
    *class_shown.borrow_mut() = state.class.shown;
    use_effect_with((), move |_| {
        let document = gloo::utils::document();
        let opts = EventListenerOptions::enable_prevent_default();
        let dragover = EventListener::new_with_options(&document, "dragover", opts, |e| {
            let is_files = e
                .dyn_ref::<web_sys::DragEvent>()
                .and_then(|d| d.data_transfer())
                .is_some_and(|dt| dt.types().includes(&"Files".into(), 0));
            if is_files {
                e.prevent_default();
            }
        });
        let d = state.dispatcher();
        let dropped = latest.clone();
        let ondrop = EventListener::new_with_options(&document, "drop", opts, move |e| {
            let Some(dt) = e
                .dyn_ref::<web_sys::DragEvent>()
                .and_then(|d| d.data_transfer())
            else {
                return;
            };
            // In the class view a drop is a batch of students' files, or folders of them.
            if *class_shown.borrow() {
                e.prevent_default();
                super::class::open_dropped(d.clone(), dt);
                return;
            }
            let Some(file) = dt.files().and_then(|f| f.get(0)) else {
                return;
            };
            e.prevent_default();
            if crate::core::library::Format::from_file_name(&file.name()).is_some() {
                super::library::open_file(d.clone(), file);
            } else {
                review_file(d.clone(), dropped.clone(), file);
            }
        });
        let d = state.dispatcher();
        let paste = EventListener::new(&document, "paste", move |e| {
            if super::is_text_field(e.target()) {
                return;
            }
            let Some(text) = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|c| c.clipboard_data())
                .and_then(|dt| dt.get_data("text/plain").ok())
            else {
                return;
            };
            let trimmed = text.trim_start();
            if trimmed.starts_with('{') || trimmed.starts_with('[') {
                review(&d, &latest, "pasted text".into(), text.as_bytes());
            }
        });
        move || drop((dragover, ondrop, paste))
    });
}

/// At most this many entries of each of the report's lists are shown: a hostile file can fill
/// them with 100,000, which would take the page minutes to lay out.
const LIST_CAP: usize = 200;

/// The first [`LIST_CAP`] entries of a list, and how many more there are.
fn capped<T>(items: &[T], each: impl Fn(&T) -> Html) -> Html {
    let more = items.len().saturating_sub(LIST_CAP);
    html! {
        <>
            { for items.iter().take(LIST_CAP).map(each) }
            if more > 0 {
                <li>{ format!("… and {more} more.") }</li>
            }
        </>
    }
}

/// The import report: what the file would change, for the user to confirm or cancel.
#[function_component(ImportDialog)]
pub fn import_dialog() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let latest = use_latest(&state);
    let confirm_ref = use_node_ref();
    let dialog_ref = use_node_ref();
    // Where focus was before the dialog opened: it goes back there when the dialog closes.
    let before = use_mut_ref(|| None::<web_sys::HtmlElement>);
    {
        // The first button of what is shown (Cancel while planning, then the report's first).
        let confirm_ref = confirm_ref.clone();
        let shown = match (&state.planning, &state.import) {
            (Some(_), _) => 1,
            (None, Some(_)) => 2,
            (None, None) => 0,
        };
        use_effect_with(shown, move |shown| {
            if *shown != 0 {
                let mut before = before.borrow_mut();
                if before.is_none() {
                    *before = focus::active();
                }
                if let Some(b) = confirm_ref.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            } else {
                focus::restore(before.borrow_mut().take());
            }
        });
    }
    // A modal dialog keeps Tab and Shift+Tab inside.
    let trap = {
        let dialog_ref = dialog_ref.clone();
        move |e: &KeyboardEvent| {
            if let Some(dialog) = dialog_ref.cast::<web_sys::Element>() {
                focus::cycle(&dialog, e);
            }
        }
    };
    let d = state.dispatcher();
    if let Some((name, done, total)) = state.planning.clone() {
        let cancel = {
            let d = d.clone();
            Callback::from(move |_: MouseEvent| {
                stop_planning();
                d.dispatch(Msg::CancelImport);
            })
        };
        let onkeydown = {
            let (d, trap) = (d.clone(), trap.clone());
            Callback::from(move |e: KeyboardEvent| {
                trap(&e);
                if e.key() == "Escape" {
                    e.stop_propagation();
                    stop_planning();
                    d.dispatch(Msg::CancelImport);
                }
            })
        };
        return html! {
            <div class="backdrop">
                <div role="dialog" aria-modal="true" aria-labelledby="import-title" class="import-dialog" ref={dialog_ref.clone()} {onkeydown}>
                    <h2 id="import-title">{ format!("Reading {name}…") }</h2>
                    <p>
                        <progress aria-label="Annotations read" max={total.max(1).to_string()} value={done.to_string()}></progress>
                    </p>
                    <p>{ format!("{done} of {total} annotation{} read.", if total == 1 { "" } else { "s" }) }</p>
                    <div class="dialog-actions">
                        <button type="button" ref={confirm_ref} onclick={cancel}>{ "Cancel" }</button>
                    </div>
                </div>
            </div>
        };
    }
    let Some(pending) = state.import.clone() else {
        return html! {};
    };
    let r = &pending.plan.report;
    let on = |msg: fn() -> Msg| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(msg()))
    };
    let onkeydown = {
        let d = d.clone();
        Callback::from(move |e: KeyboardEvent| {
            trap(&e);
            if e.key() == "Escape" {
                e.stop_propagation();
                d.dispatch(Msg::CancelImport);
            }
        })
    };
    let blocked = r.other_document > 0 && !r.anchoring_other_document;
    // Placing a file's annotations by their quotes is the costly search: planned a slice at a
    // time, like the first reading.
    let anyway = {
        let (d, pending) = (d.clone(), pending.clone());
        Callback::from(move |_: MouseEvent| {
            let (doc, store) = latest.borrow().clone();
            let planner = Planner::new(pending.file.clone(), doc, store, true, clock::now());
            plan_in_steps(d.clone(), latest.clone(), pending.name.clone(), planner);
        })
    };
    let changes = !pending.plan.put.is_empty() || !pending.plan.tags.is_empty();
    let line = |n: usize, what: &str| -> Html {
        html! { <li><b>{ n }</b>{ format!(" {what}") }</li> }
    };
    let orphans = capped(
        &r.orphans,
        |q| html! { <li><q>{ short_quote(q, 120) }</q></li> },
    );
    let rejected = capped(&r.rejected, |x| {
        let field = if x.field.is_empty() {
            String::new()
        } else {
            format!(", {}", x.field)
        };
        html! { <li>{ format!("Item {}{field}: {}", x.index + 1, x.reason) }</li> }
    });
    let warnings = capped(&r.warnings, |w| html! { <li>{ w.clone() }</li> });
    html! {
        <div class="backdrop">
            <div role="dialog" aria-modal="true" aria-labelledby="import-title" class="import-dialog" ref={dialog_ref.clone()} {onkeydown}>
                <h2 id="import-title">{ format!("Import from {}", pending.name) }</h2>
                if r.other_document > 0 {
                    <p class="warn">
                        { format!("{} annotation{} in this file {} made on a different document (or a different version of it). ",
                            r.other_document, if r.other_document == 1 { "" } else { "s" },
                            if r.other_document == 1 { "was" } else { "were" }) }
                        if blocked {
                            { "Their positions cannot be trusted here; they can still be placed by finding their quoted text." }
                        } else {
                            { "They are placed by finding their quoted text." }
                        }
                    </p>
                }
                if !blocked {
                <ul class="counts">
                    { line(r.new, "new") }
                    { line(r.updated, "updated (the file's version is newer)") }
                    { line(r.unchanged, "unchanged") }
                    { line(r.conflicts, "in conflict (changed on both sides: the file's version is kept as a copy beside yours)") }
                    { line(r.reanchored, "re-anchored (the text moved or changed)") }
                    { line(r.orphans.len(), "could not be placed (kept, listed under “Not placed”)") }
                    { line(r.rejected.len(), "rejected") }
                    if r.deleted_here > 0 { { line(r.deleted_here, "deleted here after the file was made (not brought back)") } }
                    if r.future_dated > 0 { { line(r.future_dated, "dated after this device's clock (their times were set to now)") } }
                    if r.ignored_bodies > 0 { { line(r.ignored_bodies, "bodies of other kinds ignored (links, images…)") } }
                </ul>
                }
                if !r.new_tags.is_empty() {
                    <p>{ format!("New themes: {}.", r.new_tags.join(", ")) }</p>
                }
                if !r.orphans.is_empty() {
                    <details open=true><summary>{ "Could not be placed" }</summary><ul>{ orphans }</ul></details>
                }
                if !r.rejected.is_empty() {
                    <details open=true><summary>{ "Rejected" }</summary><ul class="rejected">{ rejected }</ul></details>
                }
                if !r.warnings.is_empty() {
                    <details><summary>{ "Notes" }</summary><ul>{ warnings }</ul></details>
                }
                <div class="dialog-actions">
                    if blocked {
                        <button type="button" ref={confirm_ref} class="primary" onclick={anyway}>
                            { "Anchor by quote anyway" }
                        </button>
                    } else {
                        <button type="button" ref={confirm_ref} class="primary" disabled={!changes}
                            onclick={on(|| Msg::ConfirmImport { at: clock::now() })}>
                            { if changes { "Import" } else { "Nothing to import" } }
                        </button>
                    }
                    <button type="button" onclick={on(|| Msg::CancelImport)}>{ "Cancel" }</button>
                </div>
            </div>
        </div>
    }
}
