//! The class in figures: three charts, agreement per tag and between students, and the answer key's scores.

use std::rc::Rc;

use yew::prelude::*;

use super::super::chart::Chart;
use super::super::panel::safe_color;
use super::super::state::{AppContext, AppState, Msg};
use super::super::ByPtr;
use crate::core::agreement::Agreement;
use crate::core::class::agreement::{pair_overlaps, summary, tag_agreement};
use crate::core::class::charts::{
    pillars_per_paragraph, tags_per_student, themes_by_students, Table,
};
use crate::core::class::key::{pillar_scores, Key, KeyChoice};
use crate::core::class::{decimal, ClassMsg, ClassSet, Filter, PILLARS};
use crate::core::document::Document;
use crate::core::store::Store;

/// Decimals of the figures in the tables.
const PLACES: u32 = 2;

/// A share or a coefficient for a table cell ("0.75"; "—" when undefined).
fn figure(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |x| decimal(x, PLACES))
}

fn agreement(a: &Agreement) -> String {
    figure(a.as_ref().ok().copied())
}

/// The colours of a table's columns: the tag's colour, or grey for a column that is no tag.
fn colors(set: &ClassSet, t: &Table) -> Rc<Vec<String>> {
    Rc::new(
        t.columns
            .iter()
            .map(|c| {
                set.tag(&c.id)
                    .map_or("#bbbbbb", |t| safe_color(&t.color))
                    .to_string()
            })
            .collect(),
    )
}

/// Charts, agreement and the answer key, from the parts of the state they show: other changes
/// (the heat layer's filter, say) do not build their thousands of nodes again.
#[function_component(Figures)]
pub fn figures() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    html! {
        <FigureSections set={ByPtr(state.class.set.clone())} doc={ByPtr(state.doc.clone())}
            store={ByPtr(state.store.clone())} dispatcher={state.dispatcher()} />
    }
}

/// Properties of [`FigureSections`].
#[derive(Properties, PartialEq)]
struct FigureSectionsProps {
    set: ByPtr<ClassSet>,
    doc: ByPtr<Document>,
    /// The teacher's own annotations (a possible key).
    store: ByPtr<Store>,
    dispatcher: UseReducerDispatcher<AppState>,
}

#[function_component(FigureSections)]
fn figure_sections(props: &FigureSectionsProps) -> Html {
    let set = props.set.0.clone();
    let hide = set.hidden();
    let doc = props.doc.0.clone();
    let store = props.store.0.clone();
    let charts = use_memo(
        (ByPtr(set.clone()), ByPtr(doc.clone()), hide),
        |(s, d, h)| {
            [
                Rc::new(tags_per_student(&s.0, *h)),
                Rc::new(pillars_per_paragraph(&s.0, &d.0)),
                Rc::new(themes_by_students(&s.0)),
            ]
        },
    );
    let agreements = use_memo((ByPtr(set.clone()), ByPtr(doc.clone())), |(s, d)| {
        tag_agreement(&s.0, &d.0)
    });
    let pairs = use_memo((ByPtr(set.clone()), hide), |(s, h)| {
        pair_overlaps(&s.0, &Filter::All, *h)
    });
    // The key and its scores follow the class, the teacher's annotations and the names' setting
    // only (not, say, the heat layer's filter).
    let scored = use_memo(
        (ByPtr(set.clone()), ByPtr(doc.clone()), ByPtr(store.clone())),
        |(s, d, store)| {
            let key = Key::chosen(&s.0, &d.0, store.0.shared().map(|a| &**a), &store.0.tags())?;
            Some(pillar_scores(&s.0, &d.0, &key, s.0.hidden()))
        },
    );
    let charts_html: Html = charts
        .iter()
        .enumerate()
        .map(|(i, t)| html! { <Chart table={t.clone()} colors={colors(&set, t)} id={format!("chart-{i}")} /> })
        .collect();
    let agreement_rows: Html = agreements
        .iter()
        .map(|a| {
            html! {
                <tr>
                    <th scope="row">{ a.label.clone() }</th>
                    <td>{ agreement(&a.alpha) }</td>
                    <td>{ agreement(&a.kappa) }</td>
                    <td><p>{ a.alpha_line.clone() }</p><p>{ a.kappa_line.clone() }</p></td>
                </tr>
            }
        })
        .collect();
    let pair_rows: Html = pairs
        .iter()
        .map(|p| {
            html! {
                <tr>
                    <th scope="row">{ format!("{} & {}", set.name(p.a, hide), set.name(p.b, hide)) }</th>
                    <td>{ figure(p.overlap.f1()) }</td>
                    <td>{ p.line.clone() }</td>
                </tr>
            }
        })
        .collect();
    let onkey = {
        let d = props.dispatcher.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let v = select.value();
            d.dispatch(Msg::Class(ClassMsg::SetKey(match v.as_str() {
                "" => None,
                "teacher" => Some(KeyChoice::Teacher),
                other => Some(KeyChoice::Student(
                    other.strip_prefix("student:").unwrap_or(other).to_string(),
                )),
            })));
        })
    };
    let chosen = match set.key() {
        None => String::new(),
        Some(KeyChoice::Teacher) => "teacher".into(),
        Some(KeyChoice::Student(k)) => format!("student:{k}"),
    };
    let key_options: Html = set
        .order(hide)
        .into_iter()
        .map(|i| {
            let v = format!("student:{}", set.students()[i].key);
            let selected = chosen == v;
            html! { <option {selected} value={v}>{ set.name(i, hide) }</option> }
        })
        .collect();
    let pillar_heads: Html = PILLARS
        .iter()
        .map(|p| {
            let label = set
                .tag(p)
                .map_or_else(|| p.to_string(), |t| t.label.clone());
            html! { <th scope="colgroup" colspan="4">{ label }</th> }
        })
        .collect();
    let sub_heads: Html = PILLARS
        .iter()
        .map(|_| {
            html! {
                <>
                    <th scope="col">{ "¶ precision" }</th><th scope="col">{ "¶ recall" }</th>
                    <th scope="col">{ "span precision" }</th><th scope="col">{ "span recall" }</th>
                </>
            }
        })
        .collect();
    let scores: Html = scored
        .as_ref()
        .as_ref()
        .map(|all| {
            all.iter()
                .map(|s| {
                    let cells: Html = s
                        .pillars
                        .iter()
                        .map(|p| {
                            html! {
                                <>
                                    <td>{ figure(p.paragraphs.precision()) }</td>
                                    <td>{ figure(p.paragraphs.recall()) }</td>
                                    <td>{ figure(p.spans.precision()) }</td>
                                    <td>{ figure(p.spans.recall()) }</td>
                                </>
                            }
                        })
                        .collect();
                    html! {
                        <tr>
                            <th scope="row">{ s.name.clone() }{ if s.is_key { " (the key)" } else { "" } }</th>
                            { cells }
                        </tr>
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    html! {
        <>
            <section class="class-charts" aria-labelledby="class-charts-h">
                <h2 id="class-charts-h">{ "Charts" }</h2>
                { charts_html }
            </section>
            <section class="class-agreement" aria-labelledby="class-agreement-h">
                <h2 id="class-agreement-h">{ "Agreement" }</h2>
                <p class="agreement-summary">{ summary(&agreements) }</p>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)">
                    <table>
                        <caption>{ "Agreement per tag: paragraphs tagged or not, by each student" }</caption>
                        <thead><tr>
                            <th scope="col">{ "Tag" }</th><th scope="col">{ "Krippendorff's alpha" }</th>
                            <th scope="col">{ "Fleiss' kappa" }</th><th scope="col">{ "In words" }</th>
                        </tr></thead>
                        <tbody>{ agreement_rows }</tbody>
                    </table>
                </div>
                if !pairs.is_empty() {
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)">
                        <table>
                            <caption>{ "Overlap between students: F1 of the passages both marked" }</caption>
                            <thead><tr>
                                <th scope="col">{ "Students" }</th><th scope="col">{ "Overlap F1" }</th>
                                <th scope="col">{ "In words" }</th>
                            </tr></thead>
                            <tbody>{ pair_rows }</tbody>
                        </table>
                    </div>
                }
            </section>
            <section class="class-key" aria-labelledby="class-key-h">
                <h2 id="class-key-h">{ "Answer key" }</h2>
                <label>{ "Key: " }
                    <select onchange={onkey}>
                        <option value="" selected={chosen.is_empty()}>{ "No answer key" }</option>
                        <option value="teacher" selected={chosen == "teacher"}>{ "My own annotations" }</option>
                        { key_options }
                    </select>
                </label>
                if scored.is_some() {
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)">
                        <table class="scores">
                            <caption>{ "Each student against the key, per pillar: by paragraph (¶) and by passage (span)" }</caption>
                            <thead>
                                <tr><td></td>{ pillar_heads }</tr>
                                <tr><th scope="col">{ "Student" }</th>{ sub_heads }</tr>
                            </thead>
                            <tbody>{ scores }</tbody>
                        </table>
                    </div>
                } else {
                    <p class="hint">{ "Choose a key — one student's file or your own annotations — to score each student's precision and recall per pillar." }</p>
                }
            </section>
        </>
    }
}
