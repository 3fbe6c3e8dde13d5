//! The class on the text: each run shaded by how many students marked it, the legend, the tag filter, per paragraph the dominant pillar, and who said what about the run in focus.

use std::rc::Rc;

use yew::prelude::*;

use super::super::state::{AppContext, Msg};
use super::super::ByPtr;
use crate::core::class::heat::{
    legend, legend_description, paragraph_pillars, run_label, Dominant, Heat,
};
use crate::core::class::{ClassMsg, ClassSet, Filter, PILLARS};
use crate::core::document::{BlockKind, Document};
use crate::web::focus;
use crate::web::heat as paint;

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
}

/// The document's blocks, each with the pillar most students gave it; their text is painted by
/// [`heat::paint`] (thousands of runs: the virtual DOM took 70 ms to switch the filter).
#[function_component(HeatText)]
fn heat_text(props: &HeatTextProps) -> Html {
    let pillars = paragraph_pillars(&props.set, &props.doc);
    props
        .doc
        .blocks
        .iter()
        .enumerate()
        .map(|(b, block)| {
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
            let class = match block.kind {
                BlockKind::Heading { .. } => "heat-heading",
                _ => "",
            };
            html! {
                <div class="heat-block" key={block.start.to_string()}>
                    if let Some(line) = dominant {
                        <span class="dominant" title={line.clone()}>
                            <span aria-hidden="true">{ badge.unwrap_or_default() }</span>
                            <span class="sr-only">{ line }</span>
                        </span>
                    }
                    <p {class} data-hb={b.to_string()}></p>
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
        let heat = heat.clone();
        Callback::from(move |target: Option<web_sys::EventTarget>| {
            let offset = focus::number_attr(target, "data-s");
            if let Some(i) = offset.and_then(|o| heat.run_index_at(o)) {
                if *current != Some(i) {
                    current.set(Some(i));
                }
            }
        })
    };
    let onclick = pick.reform(|e: MouseEvent| e.target());
    let onfocusin = pick.reform(|e: FocusEvent| e.target());
    let onmouseover = pick.reform(|e: MouseEvent| e.target());
    // The runs are painted outside the virtual DOM whenever the heat changes; the current run
    // (the first until one is chosen) holds the Tab stop.
    let moved = use_state(|| false);
    {
        let text_ref = text_ref.clone();
        let doc = state.doc.clone();
        use_effect_with(
            (ByPtr(heat.clone()), ByPtr(doc.clone())),
            move |(heat, doc)| {
                if let Some(root) = text_ref.cast::<web_sys::Element>() {
                    paint::paint(&root, &doc.0, &heat.0);
                    if let Some(first) = heat.0.runs().first() {
                        paint::rove(&root, first.start, false);
                    }
                }
            },
        );
    }
    {
        let text_ref = text_ref.clone();
        let heat = heat.clone();
        let moved = moved.clone();
        use_effect_with(*current, move |&current| {
            let run = current.and_then(|i| heat.runs().get(i));
            if let (Some(root), Some(run)) = (text_ref.cast::<web_sys::Element>(), run) {
                paint::rove(&root, run.start, *moved);
            }
            if *moved {
                moved.set(false);
            }
        });
    }
    // The arrow keys move the focus from run to run.
    let onkeydown = {
        let current = current.clone();
        let moved = moved.clone();
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
            moved.set(true);
            current.set(Some(to));
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
                <div class="heat-text" ref={text_ref} role="group" data-filter={selected.clone()} aria-label="Text shaded by how many students marked it"
                    aria-describedby="heat-keys" {onclick} {onfocusin} {onmouseover} {onkeydown}>
                    <HeatText doc={state.doc.clone()} set={set.clone()} />
                </div>
                <aside class="heat-details" aria-live="polite" aria-label="Who marked this passage">
                    <p id="heat-keys" class="hint">{ "Point at, tap or focus a shaded passage (Tab, then the arrow keys) to see who marked it, with which tags and notes." }</p>
                    { details.unwrap_or_default() }
                </aside>
            </div>
        </section>
    }
}
