//! The Documents menu: the summary and the user's own documents — open, add (file, drop, paste),
//! rename, remove with undo.

use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use super::state::{AppContext, AppState, Msg, Removed};
use crate::core::app::read_document;
use crate::core::document::Document;
use crate::core::library::{
    check_source, document_key, new_document, Entry, Format, MAX_DOCUMENT_BYTES, MAX_TITLE_CHARS,
};
use crate::core::store::short_quote;
use crate::web::storage::{self, Local};
use crate::web::{clock, files};

/// Adds a document from its text and opens it. When its text does not fit in storage it is
/// still opened, for this session only, and the user is told (the core decides).
pub fn open_source(d: &UseReducerDispatcher<AppState>, name: &str, text: &str, format: Format) {
    let (doc, entry) = match new_document(name, text, format, clock::now()) {
        Ok(made) => made,
        Err(e) => return d.dispatch(Msg::Alert(e)),
    };
    let kept = storage::write(&document_key(&doc.id), text).map_err(|e| e.to_string());
    d.dispatch(Msg::AddDocument {
        doc: Rc::new(doc),
        source: text.into(),
        entry,
        kept,
    });
}

/// Reads a picked or dropped .txt / .md file and opens it.
pub fn open_file(d: UseReducerDispatcher<AppState>, file: web_sys::File) {
    let name = file.name();
    let Some(format) = Format::from_file_name(&name) else {
        d.dispatch(Msg::Alert(format!(
            "Could not open {name}: only .txt and .md files can be opened as documents."
        )));
        return;
    };
    spawn_local(async move {
        let text = files::read_bytes(file, MAX_DOCUMENT_BYTES)
            .await
            .and_then(|bytes| check_source(&bytes).map_err(|e| e.to_string()));
        match text {
            Ok(text) => open_source(&d, &name, &text, format),
            Err(e) => d.dispatch(Msg::Alert(format!(
                "Could not open {name}: {e}. Nothing was changed."
            ))),
        }
    });
}

fn open_entry(state: &AppContext, entry: &Entry) {
    match read_document(&Local, entry) {
        Some(doc) => state.dispatch(Msg::OpenDocument(Rc::new(doc))),
        None => state.dispatch(Msg::Alert(format!(
            "“{}” could not be read back from this browser's storage.",
            entry.title
        ))),
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    entry: Entry,
    current: bool,
}

#[function_component(DocumentRow)]
fn document_row(props: &RowProps) -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let renaming = use_state(|| false);
    let e = &props.entry;
    let onopen = {
        let state = state.clone();
        let e = e.clone();
        Callback::from(move |_: MouseEvent| open_entry(&state, &e))
    };
    let onrename = {
        let renaming = renaming.clone();
        Callback::from(move |_: MouseEvent| renaming.set(true))
    };
    let onsubmit = {
        let state = state.clone();
        let renaming = renaming.clone();
        let id = e.id.clone();
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let form: web_sys::HtmlFormElement = ev.target_unchecked_into();
            let value = form
                .elements()
                .named_item("title")
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(n).ok())
                .map(|i| i.value())
                .unwrap_or_default();
            state.dispatch(Msg::RenameDocument {
                id: id.clone(),
                title: value,
                at: clock::now(),
            });
            renaming.set(false);
        })
    };
    let onremove = {
        let state = state.clone();
        let id = e.id.clone();
        Callback::from(move |_: MouseEvent| {
            // The text is held for Undo; the core deletes it from storage once the library
            // without the document is saved.
            let source = storage::read(&document_key(&id)).ok().flatten();
            state.dispatch(Msg::RemoveDocument {
                id: id.clone(),
                source,
                at: clock::now(),
            });
        })
    };
    let size = if e.bytes >= 1_000_000 {
        format!("{} MB", crate::core::library::megabytes(e.bytes))
    } else {
        format!("{} KB", e.bytes.div_ceil(1000))
    };
    html! {
        <li class={classes!("doc", props.current.then_some("current"))}>
            if *renaming {
                <form class="rename" {onsubmit}>
                    <input name="title" aria-label={format!("New name for {}", e.title)} value={e.title.clone()} maxlength={MAX_TITLE_CHARS.to_string()} />
                    <button type="submit">{ "Save" }</button>
                </form>
            } else {
                <button type="button" class="open" onclick={onopen} aria-current={props.current.then_some("true")}>
                    { e.title.clone() }
                </button>
                <span class="meta">{ format!("{} · {size}", if e.format == Format::Markdown { "Markdown" } else { "Text" }) }</span>
                <button type="button" aria-label={format!("Rename {}", e.title)} onclick={onrename}>{ "Rename" }</button>
                <button type="button" class="danger" aria-label={format!("Remove {}", e.title)} onclick={onremove}>{ "Remove" }</button>
            }
        </li>
    }
}

/// The Documents button and its panel.
#[function_component(DocumentsMenu)]
pub fn documents_menu() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let open = use_state(|| false);
    let pasting = use_state(|| false);
    {
        let open = open.clone();
        use_effect_with(state.doc.id.clone(), move |_| open.set(false));
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let onkeydown = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                open.set(false);
            }
        })
    };
    let summary = Rc::new(Document::default_summary());
    let onsummary = {
        let d = state.dispatcher();
        let summary = summary.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::OpenDocument(summary.clone())))
    };
    let onpick = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                open_file(state.dispatcher(), file);
            }
            input.set_value("");
        })
    };
    let onpaste = {
        let state = state.clone();
        let pasting = pasting.clone();
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let form: web_sys::HtmlFormElement = ev.target_unchecked_into();
            let field = |name: &str| -> String {
                let el = form.elements().named_item(name);
                el.as_ref()
                    .and_then(|n| {
                        wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlTextAreaElement>(n)
                            .map(|t| t.value())
                    })
                    .or_else(|| {
                        el.as_ref().and_then(|n| {
                            wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlSelectElement>(n)
                                .map(|s| s.value())
                        })
                    })
                    .unwrap_or_default()
            };
            let text = field("text");
            let format = if field("format") == "markdown" {
                Format::Markdown
            } else {
                Format::Plain
            };
            match check_source(text.as_bytes()) {
                Ok(text) => {
                    open_source(&state.dispatcher(), "Pasted text", &text, format);
                    pasting.set(false);
                }
                Err(e) => {
                    state.dispatch(Msg::Alert(format!("Could not open the pasted text: {e}.")))
                }
            }
        })
    };
    let rows: Html = state
        .library
        .documents
        .iter()
        .map(|e| html! { <DocumentRow key={e.id.clone()} entry={e.clone()} current={e.id == state.doc.id} /> })
        .collect();
    let is_summary = state.doc.id == summary.id;
    html! {
        <div class="documents">
            <button type="button" aria-expanded={open.to_string()} onclick={toggle}
                title={short_quote(state.doc.title(), 200)}>{ "Documents" }</button>
            if *open {
                <div role="dialog" aria-label="Documents" class="documents-panel" {onkeydown}>
                    <ul class="doc-list" aria-label="Your documents">
                        <li class={classes!("doc", is_summary.then_some("current"))}>
                            <button type="button" class="open" onclick={onsummary} aria-current={is_summary.then_some("true")}>
                                { "President's Summary: R2P dialogue, 8 September 2014" }
                            </button>
                            <span class="meta">{ "Built in" }</span>
                        </li>
                        { rows }
                    </ul>
                    <div class="doc-add">
                        <label class="file-button">
                            <span aria-hidden="true">{ "Open a .txt or .md file" }</span>
                            <input type="file" class="sr-only-input" aria-label="Open a document"
                                accept=".txt,.md,.markdown,text/plain,text/markdown" onchange={onpick} />
                        </label>
                        <button type="button" onclick={{ let p = pasting.clone(); Callback::from(move |_: MouseEvent| p.set(!*p)) }}>
                            { "Paste text" }
                        </button>
                    </div>
                    if *pasting {
                        <form class="paste-doc" onsubmit={onpaste}>
                            <textarea name="text" aria-label="Document text" rows="6" placeholder="Paste the document's text here" />
                            <label>{ "Format " }
                                <select name="format" aria-label="Format">
                                    <option value="plain" selected=true>{ "Plain text" }</option>
                                    <option value="markdown">{ "Markdown" }</option>
                                </select>
                            </label>
                            <button type="submit">{ "Open pasted text" }</button>
                        </form>
                    }
                    <p class="hint">{ format!("Documents up to {} MB; each keeps its own annotations. You can also drop a file on the page.", MAX_DOCUMENT_BYTES / 1_000_000) }</p>
                </div>
            }
        </div>
    }
}

/// The undo bar after removing a document.
#[function_component(RemovedBar)]
pub fn removed_bar() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let Some(removed) = state.removed.clone() else {
        return html! {};
    };
    let onundo = {
        let state = state.clone();
        let removed = removed.clone();
        Callback::from(move |_: MouseEvent| {
            let Removed { entry, source } = (*removed).clone();
            let kept = match source {
                Some(source) => {
                    storage::write(&document_key(&entry.id), &source).map_err(|e| e.to_string())
                }
                None => Ok(()), // never removed: it could not be read
            };
            state.dispatch(Msg::RestoreDocument {
                kept,
                at: clock::now(),
            });
        })
    };
    let ondismiss = {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::DismissRemoved))
    };
    html! {
        <div class="update">
            <span>{ format!("Removed “{}” from your documents (its annotations stay saved).", removed.entry.title) }</span>
            <button type="button" onclick={onundo}>{ "Undo remove" }</button>
            <button type="button" aria-label="Dismiss" onclick={ondismiss}>{ "×" }</button>
        </div>
    }
}
