//! The side panel: per-tag counts and filter, and the list of annotations in document order.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{AppState, Msg, Place};
use super::ByPtr;
use crate::core::store::{short_quote, Action, Annotation};
use crate::core::tags::{parse_hex_color, Tag, TagKind};
use crate::web::clock;

fn safe_color(c: &str) -> &str {
    if parse_hex_color(c).is_some() {
        c
    } else {
        "#dddddd"
    }
}

/// The highlight holding code point `offset` in the article.
fn first_mark(offset: usize) -> Option<web_sys::Element> {
    let marks = gloo::utils::document()
        .query_selector_all("#document mark[data-s]")
        .ok()?;
    let at = |m: &web_sys::Element, name: &str| m.get_attribute(name)?.parse::<usize>().ok();
    (0..marks.length())
        .filter_map(|i| marks.item(i)?.dyn_into::<web_sys::Element>().ok())
        .find(|m| at(m, "data-s") <= Some(offset) && Some(offset) < at(m, "data-e"))
}

/// A note field's handlers: each keystroke is saved (the core keeps one undo step per visit to
/// the field), and leaving the field ends that step and announces the note once.
pub(crate) fn note_handlers(
    d: UseReducerDispatcher<AppState>,
    a: &Annotation,
) -> (Callback<InputEvent>, Callback<FocusEvent>) {
    let id = a.id.clone();
    let typed = {
        let d = d.clone();
        let id = id.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            d.dispatch(Msg::EditNote {
                id: id.clone(),
                note: area.value(),
                at: clock::now(),
            });
        })
    };
    let left = Callback::from(move |_: FocusEvent| d.dispatch(Msg::FinishNote { id: id.clone() }));
    (typed, left)
}

/// How many unplaced annotations the panel shows at first, and adds per "Show more".
const ORPHAN_PAGE: usize = 50;

#[derive(Properties)]
struct ItemProps {
    annotation: Rc<Annotation>,
    tags: ByPtr<Vec<Tag>>,
    selected: bool,
    paragraph: Option<u32>,
    dispatcher: UseReducerDispatcher<AppState>,
}

impl PartialEq for ItemProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.annotation, &other.annotation)
            && self.tags == other.tags
            && self.selected == other.selected
            && self.paragraph == other.paragraph
    }
}

/// One annotation: quote (click to go to it), tag chips, add-tag menu, note, delete.
#[function_component(AnnotationItem)]
fn annotation_item(props: &ItemProps) -> Html {
    let a = &props.annotation;
    let d = props.dispatcher.clone();
    // The editing controls (note field, tag removal) exist only on the current item: thousands
    // of form controls in the list cost the browser layout, memory and autofill scans.
    let editing = props.selected || a.orphan;
    let tag_of = |id: &str| props.tags.0.iter().find(|t| t.id == id).cloned();
    let ongo = {
        let d = d.clone();
        let id = a.id.clone();
        let start = a.start;
        Callback::from(move |_: MouseEvent| {
            let place = first_mark(start).map(|m| {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Center);
                m.scroll_into_view_with_scroll_into_view_options(&opts);
                let r = m.get_bounding_client_rect();
                let w = gloo::utils::window();
                Place {
                    left: r.left() + w.scroll_x().unwrap_or(0.0),
                    top: r.bottom() + w.scroll_y().unwrap_or(0.0) + 8.0,
                }
            });
            d.dispatch(Msg::SelectAnnotation {
                id: Some(id.clone()),
                place,
            });
        })
    };
    let chips: Html = a
        .tags
        .iter()
        .map(|tid| {
            let t = tag_of(tid);
            let (label, badge, color) = t.map_or_else(
                || (tid.clone(), "?".to_string(), "#dddddd".to_string()),
                |t| (t.label, t.badge, t.color),
            );
            let onremove = {
                let d = d.clone();
                let (id, tid) = (a.id.clone(), tid.clone());
                Callback::from(move |_: MouseEvent| {
                    d.dispatch(Msg::Do(Action::ToggleTag {
                        id: id.clone(),
                        tag: tid.clone(),
                        at: clock::now(),
                    }))
                })
            };
            html! {
                <li class="chip" style={format!("--c:{}", safe_color(&color))}>
                    <span class="badge" aria-hidden="true">{ badge }</span>
                    <span>{ label.clone() }</span>
                    if editing {
                        <button type="button" aria-label={format!("Remove {label}")} onclick={onremove}>{ "×" }</button>
                    }
                </li>
            }
        })
        .collect();
    let (oninput, onblur) = note_handlers(d.clone(), a);
    let ondelete = {
        let id = a.id.clone();
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Msg::Do(Action::Delete {
                id: id.clone(),
                at: clock::now(),
            }))
        })
    };
    let where_ = props
        .paragraph
        .map_or_else(String::new, |n| format!("¶{n} "));
    html! {
        <li class={classes!("item", props.selected.then_some("current"))} data-annotation-id={a.id.clone()}
            data-start={(!a.orphan).then(|| a.start.to_string())}
            data-end={(!a.orphan).then(|| a.end.to_string())}
            aria-current={props.selected.then_some("true")}>
            if a.conflict_of.is_some() {
                <p class="conflict">{ "Conflict copy: the imported version, kept beside yours" }</p>
            }
            if a.orphan {
                <p class="orphan-note">{ "Not found in this text" }</p>
            }
            <button type="button" class="go" onclick={ongo.clone()} disabled={a.orphan}
                aria-label={format!("Go to {where_}“{}”", short_quote(&a.quote, 60))}>
                <span class="where">{ where_.clone() }</span>
                <q>{ short_quote(&a.quote, 160) }</q>
            </button>
            <ul class="chips" aria-label="Tags">{ chips }</ul>
            if editing {
                <div class="item-tools">
                    if !a.orphan {
                        <button type="button" class="tags-button" onclick={ongo.clone()}
                            aria-label={format!("Edit tags of “{}”", short_quote(&a.quote, 40))}>{ "Tags…" }</button>
                    }
                    <button type="button" class="danger" aria-label="Delete annotation" onclick={ondelete}>{ "Delete" }</button>
                </div>
                <textarea aria-label="Note" rows="2" placeholder="Note…" value={a.note.clone()} {oninput} {onblur} />
            } else {
                if !a.note.is_empty() { <p class="note-text">{ a.note.clone() }</p> }
                <button type="button" class="danger small" aria-label="Delete annotation" onclick={ondelete}>{ "Delete" }</button>
            }
        </li>
    }
}

#[derive(Properties)]
struct ListGroupProps {
    items: Rc<[Rc<Annotation>]>,
    tags: ByPtr<Vec<Tag>>,
    selected: Option<String>,
    doc: Rc<crate::core::document::Document>,
    dispatcher: UseReducerDispatcher<AppState>,
}

impl PartialEq for ListGroupProps {
    fn eq(&self, o: &Self) -> bool {
        self.items.len() == o.items.len()
            && self
                .items
                .iter()
                .zip(o.items.iter())
                .all(|(a, b)| Rc::ptr_eq(a, b))
            && self.tags == o.tags
            && self.selected == o.selected
            && Rc::ptr_eq(&self.doc, &o.doc)
    }
}

/// The list items of one document block (a fragment: the items stay direct children of the list).
#[function_component(ListGroup)]
fn list_group(p: &ListGroupProps) -> Html {
    p.items
        .iter()
        .map(|a| {
            html! {
                <AnnotationItem key={a.id.as_str()} annotation={Rc::clone(a)} tags={p.tags.clone()}
                    selected={p.selected.as_deref() == Some(a.id.as_str())}
                    paragraph={p.doc.paragraph_number_at(a.start)}
                    dispatcher={p.dispatcher.clone()} />
            }
        })
        .collect()
}

/// List items rendered at once; the rest follow, [`MORE_ITEMS`] per frame.
const FIRST_ITEMS: usize = 200;
/// List items added per frame while a long list fills in.
const MORE_ITEMS: usize = 800;

/// Properties of [`SidePanel`].
#[derive(Properties, PartialEq)]
pub struct SidePanelProps {}

/// Counts per tag, the filter, and the annotation list.
#[function_component(SidePanel)]
pub fn side_panel(_: &SidePanelProps) -> Html {
    let state = use_context::<super::state::AppContext>().expect("app context");
    let tags = {
        let store = state.store.clone();
        use_memo(state.store.custom_tags().to_vec(), move |_| store.tags())
    };
    // Annotations in document order and the per-tag counts, once per store version.
    let all: Rc<Vec<Rc<Annotation>>> = use_memo(ByPtr(Rc::clone(&state.store)), |s| {
        let mut v: Vec<Rc<Annotation>> = s.0.shared().filter(|a| !a.orphan).cloned().collect();
        v.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
        v
    });
    let counts: Rc<std::collections::HashMap<String, usize>> =
        use_memo(ByPtr(all.clone()), |all| {
            let mut m = std::collections::HashMap::new();
            for a in all.0.iter() {
                for t in &a.tags {
                    *m.entry(t.clone()).or_insert(0) += 1;
                }
            }
            m
        });
    // A long list is filled in over a few frames, so the document paints first.
    let limit = use_state(|| FIRST_ITEMS);
    let orphans_shown = use_state(|| ORPHAN_PAGE);
    {
        let limit = limit.clone();
        let total = all.len();
        use_effect_with((*limit, total), move |&(shown, total)| {
            let timer = (shown < total).then(|| {
                gloo::timers::callback::Timeout::new(0, move || limit.set(shown + MORE_ITEMS))
            });
            move || drop(timer)
        });
    }
    let filter_buttons: Html = tags
        .iter()
        .filter_map(|t| {
            let n = counts.get(&t.id).copied().unwrap_or(0);
            if n == 0 && t.kind == TagKind::Theme {
                return None;
            }
            let pressed = state.filter.as_deref() == Some(t.id.as_str());
            let onclick = {
                let d = state.dispatcher();
                let id = t.id.clone();
                Callback::from(move |_: MouseEvent| {
                    d.dispatch(Msg::SetFilter((!pressed).then(|| id.clone())))
                })
            };
            Some(html! {
                <button type="button" class="filter" aria-pressed={pressed.to_string()}
                    style={format!("--c:{}", safe_color(&t.color))} {onclick}
                    aria-label={format!("{}: {n}", t.label)}>
                    <span class="badge" aria-hidden="true">{ t.badge.clone() }</span>
                    <span aria-hidden="true">{ format!("{} ", t.label) }<b>{ n }</b></span>
                </button>
            })
        })
        .collect();
    let shown: Vec<&Rc<Annotation>> = all
        .iter()
        .filter(|a| state.filter.as_ref().is_none_or(|f| a.tags.contains(f)))
        .collect();
    let tags_ptr = ByPtr(Rc::clone(&tags));
    // Items go in groups (one per document block) that re-render only when their own
    // annotations change, so one new annotation does not rebuild 10,000 list items.
    let mut groups: Vec<Html> = Vec::new();
    let mut rest = *limit;
    let mut i = 0;
    while i < shown.len() && rest > 0 {
        let block = state.doc.block_at(shown[i].start).unwrap_or(0);
        let mut j = i;
        while j < shown.len()
            && j - i < rest
            && state.doc.block_at(shown[j].start).unwrap_or(0) == block
        {
            j += 1;
        }
        let items: Rc<[Rc<Annotation>]> = shown[i..j].iter().map(|a| Rc::clone(a)).collect();
        let selected = state
            .selected
            .clone()
            .filter(|id| items.iter().any(|a| &a.id == id));
        groups.push(html! {
            <ListGroup key={block} {items} tags={tags_ptr.clone()} {selected}
                doc={Rc::clone(&state.doc)} dispatcher={state.dispatcher()} />
        });
        rest -= j - i;
        i = j;
    }
    let items: Html = groups.into_iter().collect();
    let orphan_list: Vec<Rc<Annotation>> =
        state.store.shared().filter(|a| a.orphan).cloned().collect();
    // Unplaced annotations carry their editing controls: shown a page at a time, so that a file
    // of thousands of them does not lay out thousands of note fields at once.
    let orphans: Html = orphan_list
        .iter()
        .take(*orphans_shown)
        .map(|a| {
            html! {
                <AnnotationItem key={a.id.as_str()} annotation={Rc::clone(a)} tags={ByPtr(Rc::clone(&tags))}
                    selected=false paragraph={None::<u32>} dispatcher={state.dispatcher()} />
            }
        })
        .collect();
    let clear = {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::SetFilter(None)))
    };
    let summary = match (all.len(), state.filter.is_some()) {
        (0, _) => "No annotations yet.".to_string(),
        (n, false) => format!("{n} annotation{}", if n == 1 { "" } else { "s" }),
        (n, true) => format!("{} of {n} shown", shown.len()),
    };
    html! {
        <aside class="panel" aria-label="Annotations panel">
            <h2>{ "Annotations" }</h2>
            <p class="summary">{ summary }</p>
            <div class="filters" role="group" aria-label="Filter by tag">
                { filter_buttons }
                if state.filter.is_some() {
                    <button type="button" class="filter all" onclick={clear}>{ "Show all" }</button>
                }
            </div>
            if all.is_empty() {
                <p class="hint">
                    { "Select a passage in the document with the mouse, by touch, or with the keyboard \
                       (focus the document, move with the arrow keys, hold Shift to select), then pick a \
                       pillar or theme — or press 1, 2 or 3." }
                </p>
            }
            <ul role="list" aria-label="Annotations" class="list">{ items }</ul>
            if !orphan_list.is_empty() {
                <h3 class="orphans-title">{ format!("Not placed ({})", orphan_list.len()) }</h3>
                <p class="hint">{ "Imported annotations whose passage could not be found in this document. They are kept and exported with their quote." }</p>
                <ul role="list" aria-label="Not placed" class="list">{ orphans }</ul>
                if orphan_list.len() > *orphans_shown {
                    <button type="button" class="more" onclick={{
                        let shown = orphans_shown.clone();
                        Callback::from(move |_: MouseEvent| shown.set(*shown + ORPHAN_PAGE))
                    }}>
                        { format!("Show {} more ({} not shown yet)", ORPHAN_PAGE.min(orphan_list.len() - *orphans_shown), orphan_list.len() - *orphans_shown) }
                    </button>
                }
            }
        </aside>
    }
}
