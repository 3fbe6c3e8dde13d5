//! The side panel: per-tag counts and filter, the annotation list (see `list`), the annotations
//! not placed in the text, and the item that shows one annotation.

use std::rc::Rc;

use yew::prelude::*;

use super::list::AnnotationList;
use super::state::{AppState, Msg, Place};
use super::ByPtr;
use crate::core::listing::Listing;
use crate::core::store::{short_quote, Action, Annotation, Store};
use crate::core::tags::{parse_hex_color, Tag, TagKind};
use crate::core::window::WINDOW_FROM;
use crate::web::clock;
use crate::web::reveal::{reveal, Revealed};

pub(super) fn safe_color(c: &str) -> &str {
    if parse_hex_color(c).is_some() {
        c
    } else {
        "#dddddd"
    }
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

/// Properties of [`AnnotationItem`].
#[derive(Properties)]
pub(super) struct ItemProps {
    pub annotation: Rc<Annotation>,
    pub tags: ByPtr<Vec<Tag>>,
    pub selected: bool,
    pub paragraph: Option<u32>,
    /// Its place in its list and the list's length (`aria-posinset`, `aria-setsize`).
    #[prop_or_default]
    pub position: Option<(usize, usize)>,
    /// Where a focused item the list's window has moved away from stays laid out (its top in
    /// the list, out of the flow).
    #[prop_or_default]
    pub kept_top: Option<f64>,
    pub dispatcher: UseReducerDispatcher<AppState>,
}

impl PartialEq for ItemProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.annotation, &other.annotation)
            && self.tags == other.tags
            && self.selected == other.selected
            && self.paragraph == other.paragraph
            && self.position == other.position
            && self.kept_top == other.kept_top
    }
}

/// One annotation: quote (click to go to it), tag chips, add-tag menu, note, delete.
#[function_component(AnnotationItem)]
pub(super) fn annotation_item(props: &ItemProps) -> Html {
    let a = &props.annotation;
    let d = props.dispatcher.clone();
    // The editing controls (note field, tag removal) exist only on the current item: thousands
    // of form controls in the list cost the browser layout, memory and autofill scans.
    let editing = props.selected || a.orphan;
    let tag_of = |id: &str| props.tags.0.iter().find(|t| t.id == id).cloned();
    let ongo = {
        let d = d.clone();
        let (id, start) = (a.id.clone(), a.start);
        Callback::from(move |_: MouseEvent| {
            // The picker opens under the highlight; while only its block is painted the
            // annotation is selected with the picker closed.
            let place = match reveal(start) {
                Some(Revealed::Mark(m)) => {
                    let r = m.get_bounding_client_rect();
                    let w = gloo::utils::window();
                    Some(Place {
                        left: r.left() + w.scroll_x().unwrap_or(0.0),
                        top: r.bottom() + w.scroll_y().unwrap_or(0.0) + 8.0,
                    })
                }
                Some(Revealed::Block(_)) | None => None,
            };
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
    let kept_style = props
        .kept_top
        .map(|top| format!("top:{}px", top.round() as i64));
    html! {
        <li class={classes!("item", props.selected.then_some("current"), props.kept_top.is_some().then_some("kept"))}
            data-annotation-id={a.id.clone()} data-start={(!a.orphan).then(|| a.start.to_string())}
            data-end={(!a.orphan).then(|| a.end.to_string())}
            aria-posinset={props.position.map(|(i, _)| i.to_string())}
            aria-setsize={props.position.map(|(_, n)| n.to_string())}
            style={kept_style}
            aria-current={props.selected.then_some("true")}>
            if a.conflict_of.is_some() {
                <p class="conflict">{ "Conflict copy: the imported version, kept beside yours" }</p>
            }
            if a.orphan {
                <p class="orphan-note">{ "Not found in this text" }</p>
            }
            <button type="button" class="go" onclick={ongo.clone()} disabled={a.orphan}
                aria-label={format!("Go to {where_}“{}”", short_quote(&a.quote, 160))}>
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

/// Properties of [`SidePanel`].
#[derive(Properties, PartialEq)]
pub struct SidePanelProps {}

/// Counts per tag, the filter, and the annotation list.
#[function_component(SidePanel)]
pub fn side_panel(_: &SidePanelProps) -> Html {
    let state = use_context::<super::state::AppContext>().expect("app context");
    let panel = use_node_ref();
    let tags = {
        let store = state.store.clone();
        use_memo(state.store.custom_tags().to_vec(), move |_| store.tags())
    };
    // The listing (annotations in document order, per-tag counts) follows the store a change at
    // a time: at 10,000 annotations, sorting and counting them all again took milliseconds per
    // change.
    let cache = use_mut_ref(|| None::<(Rc<Store>, Rc<Listing>)>);
    let listing = {
        let mut cache = cache.borrow_mut();
        let fresh = match cache.as_ref() {
            Some((store, _)) if Rc::ptr_eq(store, &state.store) => None,
            Some((store, old)) => Some(old.update(store, &state.store)),
            None => Some(Listing::new(&state.store)),
        };
        if let Some(listing) = fresh {
            *cache = Some((state.store.clone(), Rc::new(listing)));
        }
        Rc::clone(&cache.as_ref().expect("just filled").1)
    };
    let all = listing.items();
    let orphans_shown = use_state(|| ORPHAN_PAGE);
    // On small screens (CSS) the panel is a bottom sheet showing its heading until opened; going
    // to an annotation folds it so that the passage is in view.
    let sheet = use_state(|| false);
    {
        let sheet = sheet.clone();
        use_effect_with(state.selected.clone(), move |_| sheet.set(false));
    }
    let ontogglesheet = {
        let sheet = sheet.clone();
        Callback::from(move |_: MouseEvent| sheet.set(!*sheet))
    };
    let filter_buttons: Html = tags
        .iter()
        .filter_map(|t| {
            let n = listing.count(&t.id);
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
                // The badge is drawn by CSS (see the picker's TagButton): the visible text is
                // the label and the count, as the name says.
                <button type="button" class="filter" aria-pressed={pressed.to_string()}
                    style={format!("--c:{}", safe_color(&t.color))} {onclick}
                    data-badge={t.badge.clone()} aria-label={format!("{}: {n}", t.label)}>
                    { format!("{} ", t.label) }<b>{ n }</b>
                </button>
            })
        })
        .collect();
    let shown: Rc<Vec<Rc<Annotation>>> = {
        let filtered = use_memo(
            (ByPtr(Rc::clone(all)), state.filter.clone()),
            |(all, filter)| match filter {
                None => Rc::clone(&all.0),
                Some(f) => Rc::new(
                    all.0
                        .iter()
                        .filter(|a| a.tags.contains(f))
                        .cloned()
                        .collect(),
                ),
            },
        );
        Rc::clone(&filtered)
    };
    let tags_ptr = ByPtr(Rc::clone(&tags));
    let orphan_list = listing.orphans();
    // Unplaced annotations carry their editing controls: shown a page at a time, so that a file
    // of thousands of them does not lay out thousands of note fields at once.
    let orphans: Html = orphan_list
        .iter()
        .take(*orphans_shown)
        .map(|a| {
            html! {
                <AnnotationItem key={a.id.as_str()} annotation={Rc::clone(a)} tags={tags_ptr.clone()}
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
        <aside ref={panel.clone()} class={classes!("panel", (shown.len() > WINDOW_FROM).then_some("windowed"), sheet.then_some("open"))}
            aria-label="Annotations panel">
            <div class="sheet-head">
                <h2>{ "Annotations" }</h2>
                <p class="summary">{ summary }</p>
                <button type="button" class="sheet-toggle" aria-expanded={sheet.to_string()}
                    aria-controls="panel-body" onclick={ontogglesheet}>
                    { if *sheet { "Hide list" } else { "Show list" } }
                </button>
            </div>
            <div id="panel-body" class="sheet-body">
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
            <AnnotationList items={Rc::clone(&shown)} tags={tags_ptr.clone()}
                selected={state.selected.as_deref().and_then(|id| state.store.get_shared(id)).cloned()}
                doc={Rc::clone(&state.doc)} dispatcher={state.dispatcher()} scroller={panel} />
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
            </div>
        </aside>
    }
}
