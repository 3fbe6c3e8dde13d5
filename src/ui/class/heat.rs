//! The class on the text: each run shaded by how many students marked it, the legend, the tag filter, per paragraph the dominant pillar, and who said what about the run in focus.

use std::rc::Rc;

use yew::prelude::*;

use super::super::state::{AppContext, Msg};
use super::super::ByPtr;
use crate::core::class::heat::{
    legend, legend_description, level, paragraph_pillars, run_label, Dominant, Heat,
};
use crate::core::class::{ClassMsg, ClassSet, Filter, PILLARS};
use crate::core::document::{BlockKind, Document};
use crate::web::focus;

/// The byte offset of each code point of `text`, and its length at the end.
fn char_bytes(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// The label of pillar `i` ("Pillar II").
fn pillar_label(set: &ClassSet, i: usize) -> String {
    set.tag(PILLARS[i])
        .map_or_else(|| PILLARS[i].to_string(), |t| t.label.clone())
}

/// "Mostly Pillar II (4 students)", "Pillar I and Pillar II tie (2 students each)", or nothing.
fn dominant_line(set: &ClassSet, d: &Dominant, counts: &[usize; 3]) -> Option<String> {
    match d {
        Dominant::Unmarked => None,
        Dominant::Pillar(i) => Some(format!(
            "Mostly {} ({} of the class)",
            pillar_label(set, *i),
            counts[*i]
        )),
        Dominant::Tie(is) => Some(format!(
            "{} tie ({} students each)",
            is.iter()
                .map(|&i| pillar_label(set, i))
                .collect::<Vec<_>>()
                .join(" and "),
            counts[is[0]]
        )),
    }
}

/// Properties of [`HeatText`].
#[derive(Properties, PartialEq)]
struct HeatTextProps {
    doc: Rc<Document>,
    set: Rc<ClassSet>,
    heat: ByPtr<Heat>,
    /// The run that takes Tab (roving focus).
    current: Option<usize>,
}

/// The document with its runs shaded.
#[function_component(HeatText)]
fn heat_text(props: &HeatTextProps) -> Html {
    let heat = &props.heat.0;
    let students = heat.class_size();
    let pillars = paragraph_pillars(&props.set, &props.doc);
    let runs = heat.runs();
    let tab_run = props.current.unwrap_or(0);
    props
        .doc
        .blocks
        .iter()
        .enumerate()
        .map(|(b, block)| {
            let bytes = char_bytes(&block.text);
            let at = |offset: usize| bytes[(offset - block.start).min(bytes.len() - 1)];
            let mut children: Vec<Html> = Vec::new();
            let mut pos = block.start;
            let first = runs.partition_point(|r| r.end <= block.start);
            for (i, run) in runs.iter().enumerate().skip(first) {
                if run.start >= block.end {
                    break;
                }
                let (s, e) = (run.start.max(block.start), run.end.min(block.end));
                if s > pos {
                    children.push(html! { { &block.text[at(pos)..at(s)] } });
                }
                let label = run_label(run.students, students);
                children.push(html! {
                    <mark class={format!("heat h{}", level(run.students, students))}
                        data-run={i.to_string()} data-s={s.to_string()} data-e={e.to_string()}
                        title={label} tabindex={if i == tab_run { "0" } else { "-1" }}>
                        { &block.text[at(s)..at(e)] }
                    </mark>
                });
                pos = e;
            }
            if pos < block.end {
                children.push(html! { { &block.text[at(pos)..] } });
            }
            let counts = pillars.get(b).map(|p| p.students).unwrap_or_default();
            let dominant = pillars
                .get(b)
                .and_then(|p| dominant_line(&props.set, &p.dominant, &counts));
            let badge = pillars.get(b).map(|p| match &p.dominant {
                Dominant::Pillar(i) => props
                    .set
                    .tag(PILLARS[*i])
                    .map(|t| t.badge.clone())
                    .unwrap_or_default(),
                Dominant::Tie(_) => "=".to_string(),
                Dominant::Unmarked => String::new(),
            });
            let body = match block.kind {
                BlockKind::Heading { .. } => html! { <p class="heat-heading">{ children }</p> },
                _ => html! { <p>{ children }</p> },
            };
            html! {
                <div class="heat-block" key={block.start.to_string()}>
                    if let Some(line) = dominant {
                        <span class="dominant" title={line.clone()}>
                            <span aria-hidden="true">{ badge.unwrap_or_default() }</span>
                            <span class="sr-only">{ line }</span>
                        </span>
                    }
                    { body }
                </div>
            }
        })
        .collect()
}

/// The heat layer's section: filter, legend, text, details.
#[function_component(HeatSection)]
pub fn heat_section() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let set = state.class.set.clone();
    let filter = state.class.filter.clone();
    let heat = use_memo((ByPtr(set.clone()), filter.clone()), |(set, f)| {
        Heat::new(&set.0, f)
    });
    let current = use_state(|| None::<usize>);
    {
        let current = current.clone();
        use_effect_with(ByPtr(heat.clone()), move |_| current.set(None));
    }
    let text_ref = use_node_ref();
    let hide = set.hidden();
    let students = heat.class_size();
    let used: Vec<_> = set
        .tags()
        .iter()
        .filter(|t| {
            set.students()
                .iter()
                .any(|s| s.marks.iter().any(|m| m.tags.contains(&t.id)))
        })
        .collect();
    let onfilter = {
        let d = state.dispatcher();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let v = select.value();
            d.dispatch(Msg::Class(ClassMsg::SetHeatFilter(if v.is_empty() {
                Filter::All
            } else {
                Filter::Tag(v)
            })));
        })
    };
    let pick = {
        let current = current.clone();
        Callback::from(move |target: Option<web_sys::EventTarget>| {
            if let Some(i) = focus::number_attr(target, "data-run") {
                current.set(Some(i));
            }
        })
    };
    let onclick = pick.reform(|e: MouseEvent| e.target());
    let onfocusin = pick.reform(|e: FocusEvent| e.target());
    let onmouseover = pick.reform(|e: MouseEvent| e.target());
    let onkeydown = {
        let current = current.clone();
        let text_ref = text_ref.clone();
        let last = heat.runs().len().saturating_sub(1);
        Callback::from(move |e: KeyboardEvent| {
            let at = current.unwrap_or(0);
            let to = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => at.saturating_add(1).min(last),
                "ArrowLeft" | "ArrowUp" => at.saturating_sub(1),
                "Home" => 0,
                "End" => last,
                _ => return,
            };
            e.prevent_default();
            current.set(Some(to));
            if let Some(root) = text_ref.cast::<web_sys::Element>() {
                focus::focus_in(&root, &format!("[data-run=\"{to}\"]"));
            }
        })
    };
    let shades: Html = legend(students)
        .iter()
        .map(|s| {
            let n = if s.min == s.max {
                s.min.to_string()
            } else {
                format!("{}–{}", s.min, s.max)
            };
            html! { <li><span class={format!("heat h{}", s.level)} aria-hidden="true">{ "\u{a0}\u{a0}\u{a0}\u{a0}" }</span>{ format!(" {n}") }</li> }
        })
        .collect();
    let details = current.and_then(|i| heat.runs().get(i)).map(|run| {
        let items: Html = heat
            .details(run, &set, hide)
            .into_iter()
            .map(|d| {
                let tags = d
                    .tags
                    .iter()
                    .map(|t| t.label.clone())
                    .collect::<Vec<_>>()
                    .join(", ");
                html! {
                    <li>
                        <strong>{ d.name }</strong>{ ": " }
                        { if tags.is_empty() { "no tag".to_string() } else { tags } }
                        if !d.mark.note.is_empty() { <p class="note-text">{ d.mark.note.clone() }</p> }
                    </li>
                }
            })
            .collect();
        let quote = state.doc.slice(run.start, run.end);
        html! {
            <>
                <p><strong>{ run_label(run.students, students) }</strong></p>
                <p class="picker-quote">{ format!("“{}”", crate::core::store::short_quote(&quote, 120)) }</p>
                <ul>{ items }</ul>
            </>
        }
    });
    let selected = match &filter {
        Filter::All => String::new(),
        Filter::Tag(t) => t.clone(),
    };
    let options: Html = used
        .iter()
        .map(|t| html! { <option value={t.id.clone()} selected={selected == t.id}>{ t.label.clone() }</option> })
        .collect();
    html! {
        <section class="class-heat" aria-labelledby="class-heat-h">
            <h2 id="class-heat-h">{ "The class on the text" }</h2>
            <div class="heat-tools">
                <label>{ "Show " }
                    <select onchange={onfilter} aria-label="Tag shown">
                        <option value="" selected={selected.is_empty()}>{ "All tags" }</option>
                        { options }
                    </select>
                </label>
                <figure class="legend">
                    <ul aria-hidden="true">{ shades }</ul>
                    <figcaption>{ legend_description(students) }</figcaption>
                </figure>
            </div>
            <div class="heat-layout">
                <div class="heat-text" ref={text_ref} role="group" aria-label="Text shaded by how many students marked it"
                    aria-describedby="heat-keys" {onclick} {onfocusin} {onmouseover} {onkeydown}>
                    <HeatText doc={state.doc.clone()} set={set.clone()} heat={ByPtr(heat.clone())} current={*current} />
                </div>
                <aside class="heat-details" aria-live="polite" aria-label="Who marked this passage">
                    <p id="heat-keys" class="hint">{ "Point at, tap or focus a shaded passage (Tab, then the arrow keys) to see who marked it, with which tags and notes." }</p>
                    { details.unwrap_or_default() }
                </aside>
            </div>
        </section>
    }
}
