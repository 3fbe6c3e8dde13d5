//! The report view: every annotation grouped by pillar then theme, for printing and handing in.

use yew::prelude::*;

use super::state::{AppContext, Msg};
use crate::core::report::{csv, groups, location, markdown};
use crate::core::store::Store;
use crate::web::{clock, files};

fn file_base(state: &super::state::AppState) -> String {
    crate::core::w3c::export_file_name(&state.doc, state.name.as_deref())
        .trim_end_matches(".json")
        .replace("-annotations", "-report")
}

fn labels(store: &Store, tags: &[String]) -> String {
    tags.iter()
        .map(|t| store.tag(t).map_or_else(|| t.clone(), |t| t.label.clone()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The report, with downloads (Markdown, CSV) and printing.
#[function_component(ReportView)]
pub fn report_view() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let download = |kind: &'static str| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let base = file_base(&state);
            let (name, mime, body) = if kind == "md" {
                (
                    format!("{base}.md"),
                    "text/markdown;charset=utf-8",
                    markdown(
                        &state.doc,
                        &state.store,
                        state.name.as_deref(),
                        clock::now(),
                    ),
                )
            } else {
                (
                    format!("{base}.csv"),
                    "text/csv;charset=utf-8",
                    csv(&state.doc, &state.store),
                )
            };
            match files::download(&name, mime, &body) {
                Ok(()) => state.dispatch(Msg::Announce(format!("Downloaded {name}."))),
                Err(e) => state.dispatch(Msg::Alert(format!("Could not download: {e}."))),
            }
        })
    };
    let onprint = Callback::from(|_: MouseEvent| {
        let _ = gloo::utils::window().print();
    });
    let onback = {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::ShowReport(false)))
    };
    let gs = groups(&state.store);
    let total: usize = gs.iter().map(|g| g.items.len()).sum();
    let sections: Html = gs
        .iter()
        .map(|g| {
            let (title, desc, color) = match &g.tag {
                Some(t) => (t.label.clone(), t.description.clone(), t.color.clone()),
                None => ("Untagged".to_string(), String::new(), "#eeeeee".to_string()),
            };
            let items: Html = g
                .items
                .iter()
                .map(|a| {
                    html! {
                        <li>
                            <span class="where">{ location(&state.doc, a) }</span>{ " " }
                            <q>{ a.quote.clone() }</q>
                            <div class="tags">{ format!("Tags: {}", labels(&state.store, &a.tags)) }</div>
                            if !a.note.is_empty() { <div class="note">{ format!("Note: {}", a.note) }</div> }
                        </li>
                    }
                })
                .collect();
            let color = if crate::core::tags::parse_hex_color(&color).is_some() { color } else { "#eeeeee".into() };
            html! {
                <section class="group" style={format!("--c:{color}")}>
                    <h2>{ format!("{title} ({})", g.items.len()) }</h2>
                    if !desc.is_empty() { <p class="desc">{ desc }</p> }
                    <ol>{ items }</ol>
                </section>
            }
        })
        .collect();
    let title: String = state
        .doc
        .title()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        <main class="report" aria-label="Report">
            <div class="report-tools">
                <button type="button" onclick={onback}>{ "Back to the document" }</button>
                <button type="button" onclick={download("md")}>{ "Download Markdown" }</button>
                <button type="button" onclick={download("csv")}>{ "Download CSV" }</button>
                <button type="button" onclick={onprint}>{ "Print" }</button>
            </div>
            <h1>{ format!("Annotations: {title}") }</h1>
            <p class="byline">
                if let Some(n) = &state.name { { format!("Student: {n} · ") } }
                { format!("{total} annotation{}", if total == 1 { "" } else { "s" }) }
            </p>
            if total == 0 { <p>{ "No annotations yet: highlight passages in the document first." }</p> }
            { sections }
        </main>
    }
}
