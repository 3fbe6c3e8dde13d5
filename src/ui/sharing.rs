//! Sharing: Export JSON, Import JSON (picker, drag-and-drop, paste) and the import report dialog.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::state::{AppContext, AppState, Msg};
use crate::core::anchor::Anchorer;
use crate::core::store::short_quote;
use crate::core::w3c::{self, read_file, MAX_FILE_BYTES};
use crate::web::{clock, files};

/// Reads bytes as an annotation file and opens the report, or says why it cannot.
fn review(dispatcher: &UseReducerDispatcher<AppState>, name: String, bytes: &[u8]) {
    match read_file(bytes) {
        Ok(file) => dispatcher.dispatch(Msg::ReviewImport {
            name,
            file,
            at: clock::now(),
        }),
        Err(e) => dispatcher.dispatch(Msg::Alert(format!(
            "Could not import {name}: {e} Nothing was changed."
        ))),
    }
}

/// Reads a picked or dropped file and reviews it.
fn review_file(dispatcher: UseReducerDispatcher<AppState>, file: web_sys::File) {
    let name = file.name();
    spawn_local(async move {
        match files::read_bytes(file, MAX_FILE_BYTES).await {
            Ok(bytes) => review(&dispatcher, name, &bytes),
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
                review_file(d.clone(), file);
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
        let ondrop = EventListener::new_with_options(&document, "drop", opts, move |e| {
            let Some(file) = e
                .dyn_ref::<web_sys::DragEvent>()
                .and_then(|d| d.data_transfer())
                .and_then(|dt| dt.files())
                .and_then(|f| f.get(0))
            else {
                return;
            };
            e.prevent_default();
            if crate::core::library::Format::from_file_name(&file.name()).is_some() {
                super::library::open_file(d.clone(), file);
            } else {
                review_file(d.clone(), file);
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
                review(&d, "pasted text".into(), text.as_bytes());
            }
        });
        move || drop((dragover, ondrop, paste))
    });
}

/// The import report: what the file would change, for the user to confirm or cancel.
#[function_component(ImportDialog)]
pub fn import_dialog() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let confirm_ref = use_node_ref();
    {
        let confirm_ref = confirm_ref.clone();
        let open = state.import.is_some();
        use_effect_with(open, move |open| {
            if *open {
                if let Some(b) = confirm_ref.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        });
    }
    let Some(pending) = state.import.clone() else {
        return html! {};
    };
    let r = &pending.plan.report;
    let d = state.dispatcher();
    let on = |msg: fn() -> Msg| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(msg()))
    };
    let onkeydown = {
        let d = d.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                d.dispatch(Msg::CancelImport);
            }
        })
    };
    let blocked = r.other_document > 0 && !r.anchoring_other_document;
    let changes = !pending.plan.put.is_empty() || !pending.plan.tags.is_empty();
    let line = |n: usize, what: &str| -> Html {
        html! { <li><b>{ n }</b>{ format!(" {what}") }</li> }
    };
    let orphans: Html = r
        .orphans
        .iter()
        .map(|q| html! { <li><q>{ short_quote(q, 120) }</q></li> })
        .collect();
    let rejected: Html = r
        .rejected
        .iter()
        .map(|x| {
            let field = if x.field.is_empty() {
                String::new()
            } else {
                format!(", {}", x.field)
            };
            html! { <li>{ format!("Item {}{field}: {}", x.index + 1, x.reason) }</li> }
        })
        .collect();
    let warnings: Html = r
        .warnings
        .iter()
        .map(|w| html! { <li>{ w.clone() }</li> })
        .collect();
    html! {
        <div class="backdrop">
            <div role="dialog" aria-modal="true" aria-labelledby="import-title" class="import-dialog" {onkeydown}>
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
                        <button type="button" ref={confirm_ref} class="primary" onclick={on(|| Msg::AnchorImportAnyway { at: clock::now() })}>
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
