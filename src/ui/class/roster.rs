//! The class's files and students: opening a batch or a folder, what each file gave, names hidden or shown, exports, clearing.

use yew::prelude::*;

use super::super::state::{AppContext, Msg};
use crate::core::class::export::{collection, csv, file_name};
use crate::core::class::key::Key;
use crate::core::class::ClassMsg;
use crate::web::{clock, files};

/// Opening files, the last batch's report, the students, the files set aside, and the tools.
#[function_component(Roster)]
pub fn roster() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let confirming = use_state(|| false);
    let set = state.class.set.clone();
    let hide = set.hidden();
    let onfiles = {
        let d = state.dispatcher();
        Callback::from(move |e: Event| super::open_class_files(d.clone(), files::take_picked(&e)))
    };
    let onhide = {
        let d = state.dispatcher();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            d.dispatch(Msg::Class(ClassMsg::HideNames(input.checked())));
        })
    };
    let oncsv = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let set = &state.class.set;
            let key = Key::chosen(
                set,
                &state.doc,
                state.store.shared().map(|a| &**a),
                &state.store.tags(),
            );
            let text = csv(set, &state.doc, key.as_ref(), set.hidden());
            let name = file_name(&state.doc, "csv");
            if let Err(e) = files::download(&name, "text/csv;charset=utf-8", &text) {
                state.dispatch(Msg::Alert(format!("Could not download {name}: {e}.")));
            }
        })
    };
    let onjson = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let set = &state.class.set;
            let value = collection(set, &state.doc, set.hidden(), clock::now());
            let name = file_name(&state.doc, "json");
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            if let Err(e) = files::download(&name, "application/ld+json", &text) {
                state.dispatch(Msg::Alert(format!("Could not download {name}: {e}.")));
            }
        })
    };
    let onclear = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(true))
    };
    let onclearyes = {
        let d = state.dispatcher();
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| {
            confirming.set(false);
            d.dispatch(Msg::Class(ClassMsg::Clear));
        })
    };
    let onclearno = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(false))
    };
    let onplace = {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::Class(ClassMsg::AnchorByQuote)))
    };
    let ondismiss = {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::Class(ClassMsg::DismissReport)))
    };
    let name = |key: &str| set.name_of(key, hide).unwrap_or_else(|| key.to_string());
    let report = state.class.opened.as_ref().map(|o| {
        let lines: Html = o
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                // File names often hold the student's name: hidden with the names.
                let file = if hide { format!("File {}", i + 1) } else { f.file.clone() };
                html! { <li>{ f.line(&file, name) }</li> }
            })
            .collect();
        html! {
            <section class="class-report" aria-labelledby="class-report-h">
                <h3 id="class-report-h">{ "What the files gave" }</h3>
                <ul>{ lines }</ul>
                if o.unsearched > 0 {
                    <p>{ format!("{} annotations were not searched for (the search budget of one batch ran out); they are kept as not found.", o.unsearched) }</p>
                }
                <button type="button" onclick={ondismiss}>{ "Close this report" }</button>
            </section>
        }
    });
    let students: Html = set
        .order(hide)
        .into_iter()
        .map(|i| {
            let s = &set.students()[i];
            let onremove = {
                let d = state.dispatcher();
                let key = s.key.clone();
                Callback::from(move |_: MouseEvent| {
                    d.dispatch(Msg::Class(ClassMsg::RemoveStudent(key.clone())))
                })
            };
            let shown = set.name(i, hide);
            html! {
                <tr key={s.key.clone()}>
                    <th scope="row">{ shown.clone() }</th>
                    <td>{ s.marks.len() }</td>
                    <td>{ s.unplaced.len() }</td>
                    <td>{ if hide { s.files.len().to_string() } else { s.files.join(", ") } }</td>
                    <td><button type="button" class="danger small" aria-label={format!("Remove {shown}")}
                        onclick={onremove}>{ "Remove" }</button></td>
                </tr>
            }
        })
        .collect();
    let aside: Html = set
        .aside()
        .iter()
        .map(|a| {
            let who = set.name_of(&a.key, hide).unwrap_or_else(|| a.name.clone());
            let file = if hide { "A file" } else { a.file.as_str() };
            html! { <li>{ format!("{file}: {who}, {} annotations", a.items.len()) }</li> }
        })
        .collect();
    html! {
        <section class="class-files" aria-labelledby="class-files-h">
            <h2 id="class-files-h">{ "Students' files" }</h2>
            <p class="hint">
                { "Open the files your students exported (Export JSON): pick several at once, a whole folder, \
                   or drop them here. Each file is one student, named by the name they signed with, else by \
                   the file's name. Your own annotations are not changed." }
            </p>
            <div class="class-tools">
                <label class="file-button">
                    <span aria-hidden="true">{ "Open students' files" }</span>
                    <input type="file" multiple=true class="sr-only-input" aria-label="Open students' files"
                        accept=".json,.jsonld,application/json,application/ld+json" onchange={onfiles.clone()} />
                </label>
                <label class="file-button">
                    <span aria-hidden="true">{ "Open a folder" }</span>
                    <input type="file" multiple=true webkitdirectory=true class="sr-only-input"
                        aria-label="Open a folder" onchange={onfiles} />
                </label>
                <label class="check">
                    <input type="checkbox" checked={hide} onchange={onhide} />
                    { "Hide names" }
                </label>
                if !set.is_empty() {
                    <button type="button" onclick={oncsv}>{ "Download class CSV" }</button>
                    <button type="button" onclick={onjson}>{ "Download class JSON" }</button>
                    if *confirming {
                        <span class="confirm" role="group" aria-label="Clear the class?">
                            { "Forget every student's work for this document? " }
                            <button type="button" class="danger" onclick={onclearyes}>{ "Yes, clear the class" }</button>
                            <button type="button" onclick={onclearno}>{ "Keep it" }</button>
                        </span>
                    } else {
                        <button type="button" class="danger" onclick={onclear}>{ "Clear class…" }</button>
                    }
                }
            </div>
            { report.unwrap_or_default() }
            if !set.students().is_empty() {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)">
                    <table class="roster">
                        <caption>{ format!("{} students", set.students().len()) }</caption>
                        <thead><tr>
                            <th scope="col">{ "Student" }</th><th scope="col">{ "Placed" }</th>
                            <th scope="col">{ "Not found" }</th><th scope="col">{ "Files" }</th>
                            <th scope="col"><span class="sr-only">{ "Remove" }</span></th>
                        </tr></thead>
                        <tbody>{ students }</tbody>
                    </table>
                </div>
            }
            if !set.aside().is_empty() {
                <h3>{ "Files for another document" }</h3>
                <p class="hint">{ "These files were made on a different text. Their annotations can be placed here by their quotes." }</p>
                <ul>{ aside }</ul>
                <button type="button" onclick={onplace}>{ "Place them by quote" }</button>
            }
        </section>
    }
}
