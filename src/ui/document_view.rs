//! The document as an `<article>`: one element per block (painted by `web::paint`), and selection input.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::state::{AppContext, Msg, Pending, Place};
use super::ByPtr;
use crate::core::document::{BlockKind, Document};
use crate::core::layout::{changed_spans, changes, Index, Layout, Run};
use crate::core::pieces::{paints_highlights, pieces, plain_pieces};
use crate::core::store::Store;
use crate::core::tags::Tag;
use crate::web::near::NearBlocks;
use crate::web::{paint, selection};

/// What the user did in the article.
#[derive(Clone, Debug, PartialEq)]
pub enum ArticleEvent {
    /// Selected the span `[start, end)`; `place` is under the selection (page pixels).
    Text {
        /// First code point.
        start: usize,
        /// One past the last code point.
        end: usize,
        /// Where a picker would go.
        place: Place,
    },
    /// Clicked (or put the caret) at a code point.
    Point {
        /// The code point.
        offset: usize,
        /// Where a picker would go.
        place: Place,
    },
}

/// Properties of [`ArticleView`].
#[derive(Properties, Clone)]
pub struct ArticleViewProps {
    /// The document to show.
    pub doc: Rc<Document>,
    /// Its highlight layout (runs per block).
    pub layout: Rc<Layout>,
    /// All tags (for colours and underline styles).
    pub tags: Rc<Vec<Tag>>,
    /// The span of the selected annotation, outlined.
    #[prop_or_default]
    pub selected: Option<(usize, usize)>,
    /// How many annotations are placed on the page (above `PAINT_ALL_UP_TO`, only blocks near
    /// the viewport paint their highlights).
    #[prop_or_default]
    pub placed: usize,
    /// The blocks near the viewport (their first code points), as last reported by `onnear`.
    #[prop_or_default]
    pub near: Rc<BTreeSet<usize>>,
    /// Called with blocks (first code points) that came near the viewport (true) or left it.
    #[prop_or_default]
    pub onnear: Callback<Vec<(usize, bool)>>,
    /// Called when the user selects text or clicks a point.
    #[prop_or_default]
    pub onselect: Callback<ArticleEvent>,
}

impl PartialEq for ArticleViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &other.doc)
            && Rc::ptr_eq(&self.layout, &other.layout)
            && Rc::ptr_eq(&self.tags, &other.tags)
            && self.selected == other.selected
            && self.placed == other.placed
            && Rc::ptr_eq(&self.near, &other.near)
            && self.onselect == other.onselect
            && self.onnear == other.onnear
    }
}

#[derive(Properties, Clone)]
struct BlockViewProps {
    doc: Rc<Document>,
    index: usize,
    /// The block's runs, when laid out.
    runs: Option<Rc<[Run]>>,
    tags: Rc<Vec<Tag>>,
    /// The selected annotation's span, only when it touches this block.
    selected: Option<(usize, usize)>,
    /// Paint the highlights (else the text plain, see `paints_highlights`).
    highlights: bool,
}

/// Runs compared by pointer (a block not laid out has none).
fn same_runs(a: &Option<Rc<[Run]>>, b: &Option<Rc<[Run]>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

impl PartialEq for BlockViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &other.doc)
            && self.index == other.index
            && same_runs(&self.runs, &other.runs)
            && Rc::ptr_eq(&self.tags, &other.tags)
            && self.selected == other.selected
            && self.highlights == other.highlights
    }
}

/// One block: an empty element in the virtual DOM whose children the painter writes, again
/// only when its own runs, the tags or its part of the selection change.
#[function_component(BlockView)]
fn block_view(props: &BlockViewProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.clone(), move |p| {
            if let Some(el) = node.cast::<web_sys::Element>() {
                let block = &p.doc.blocks[p.index];
                let pieces = match &p.runs {
                    Some(runs) if p.highlights => pieces(block, runs, &p.tags, p.selected),
                    _ => plain_pieces(block),
                };
                paint::paint_block(&el, &block.text, &pieces, &p.tags);
            }
        });
    }
    let block = &props.doc.blocks[props.index];
    let start = block.start.to_string();
    match block.kind {
        BlockKind::Title => html! { <h1 ref={node} dir="auto" data-block={start}></h1> },
        BlockKind::Subtitle => {
            html! { <h2 ref={node} dir="auto" class="subtitle" data-block={start}></h2> }
        }
        BlockKind::Heading { level } => {
            html! { <@{format!("h{}", level.clamp(2, 6))} ref={node} dir="auto" data-block={start}></@> }
        }
        BlockKind::Numbered { .. } => {
            html! { <p ref={node} dir="auto" class="numbered" data-block={start}></p> }
        }
        BlockKind::Paragraph => html! { <p ref={node} dir="auto" data-block={start}></p> },
        BlockKind::Dateline => {
            html! { <p ref={node} dir="auto" class="dateline" data-block={start}></p> }
        }
        // List items: the list around them (see `ArticleView`) shows the bullet or number.
        BlockKind::Bullet | BlockKind::Ordered { .. } => {
            html! { <li ref={node} dir="auto" data-block={start}></li> }
        }
        BlockKind::Quote => {
            html! { <blockquote ref={node} dir="auto" data-block={start}></blockquote> }
        }
        BlockKind::Code => html! { <pre ref={node} dir="auto" data-block={start}></pre> },
    }
}

/// Where a picker goes under a point of the view (see [`crate::core::placement::under`]).
fn page_place(left: f64, bottom: f64) -> Place {
    let (scroll_x, scroll_y, width) = crate::web::viewport::scroll_and_width();
    crate::core::placement::under(left, bottom, scroll_x, scroll_y, width)
}

/// The article: renders the document and turns mouse, touch and keyboard selection into events.
#[function_component(ArticleView)]
pub fn article_view(props: &ArticleViewProps) -> Html {
    let article = use_node_ref();
    let caret = use_state(|| None::<(f64, f64, f64)>);
    let touch = use_mut_ref(|| Cell::new(false));
    {
        let article = article.clone();
        let onnear = props.onnear.clone();
        use_effect_with(ByPtr(props.doc.clone()), move |_| {
            let watcher = NearBlocks::new(move |changed| onnear.emit(changed));
            if let (Some(w), Some(el)) = (&watcher, article.cast::<web_sys::Element>()) {
                w.observe_blocks(&el);
            }
            move || drop(watcher)
        });
    }

    let report = {
        let article = article.clone();
        let onselect = props.onselect.clone();
        move |click: Option<(f64, f64)>| {
            let Some(el) = article.cast::<web_sys::Element>() else {
                return;
            };
            if let Some(span) = selection::selected_span(&el) {
                onselect.emit(ArticleEvent::Text {
                    start: span.start,
                    end: span.end,
                    place: page_place(span.left, span.bottom),
                });
            } else if let Some(offset) = selection::caret_offset(&el) {
                let place = match (click, selection::caret_rect()) {
                    (Some((x, y)), _) => page_place(x, y + 12.0),
                    (None, Some((x, y, h))) => page_place(x, y + h),
                    _ => page_place(0.0, 0.0),
                };
                onselect.emit(ArticleEvent::Point { offset, place });
            }
        }
    };

    let onmouseup = {
        let report = report.clone();
        let touch = touch.clone();
        Callback::from(move |e: MouseEvent| {
            touch.borrow().set(false);
            if e.button() == 0 {
                report(Some((f64::from(e.client_x()), f64::from(e.client_y()))));
            }
        })
    };

    // Touch selection handles move the selection without mouse events: follow selectionchange,
    // settled for a moment, but only after a touch so that mouse drags are reported once.
    {
        let report = report.clone();
        let touch = touch.clone();
        use_effect_with((), move |_| {
            let pending: Rc<Cell<Option<Timeout>>> = Rc::new(Cell::new(None));
            let listener =
                EventListener::new(&gloo::utils::document(), "selectionchange", move |_| {
                    if !touch.borrow().get() {
                        return;
                    }
                    let report = report.clone();
                    pending.set(Some(Timeout::new(350, move || report(None))));
                });
            move || drop(listener)
        });
    }
    let ontouchstart = {
        let touch = touch.clone();
        Callback::from(move |_: TouchEvent| touch.borrow().set(true))
    };

    let update_caret = {
        let caret = caret.clone();
        move || {
            let collapsed = selection::current().is_some_and(|s| s.is_collapsed());
            caret.set(if collapsed {
                selection::caret_rect().map(|(x, y, h)| {
                    let w = gloo::utils::window();
                    (
                        x + w.scroll_x().unwrap_or(0.0),
                        y + w.scroll_y().unwrap_or(0.0),
                        h,
                    )
                })
            } else {
                None
            });
        }
    };

    let onfocus = {
        let article = article.clone();
        let update_caret = update_caret.clone();
        Callback::from(move |_: FocusEvent| {
            if let Some(el) = article.cast::<web_sys::Element>() {
                if !selection::is_inside(&el) {
                    selection::place_caret_at_start(&el);
                }
                update_caret();
            }
        })
    };
    let onblur = {
        let caret = caret.clone();
        Callback::from(move |_: FocusEvent| caret.set(None))
    };

    let onkeydown = {
        let update_caret = update_caret.clone();
        let report = report.clone();
        Callback::from(move |e: KeyboardEvent| {
            // Left and right are visual ("left"/"right"), so arrows follow right-to-left text too.
            let granularity_of = |key: &str, ctrl: bool| match key {
                "ArrowLeft" | "ArrowRight" if ctrl => Some(("word", key == "ArrowRight", true)),
                "ArrowLeft" | "ArrowRight" => Some(("character", key == "ArrowRight", true)),
                "ArrowUp" | "ArrowDown" => Some(("line", key == "ArrowDown", false)),
                "Home" | "End" => Some(("lineboundary", key == "End", false)),
                _ => None,
            };
            if e.alt_key() {
                return;
            }
            let Some((granularity, forward, visual)) = granularity_of(&e.key(), e.ctrl_key())
            else {
                if e.key() == "Enter" {
                    e.prevent_default();
                    report(None);
                }
                return;
            };
            e.prevent_default();
            selection::modify(e.shift_key(), forward, visual, granularity);
            update_caret();
            if e.shift_key() {
                report(None);
            }
        })
    };

    let caret_html = match *caret {
        Some((x, y, h)) => html! {
            <div class="caret" aria-hidden="true" style={format!("left:{}px;top:{}px;height:{}px", x as i64, y as i64, h.ceil() as i64)}></div>
        },
        None => html! {},
    };

    let doc = &props.doc;
    let mut children: Vec<Html> = Vec::with_capacity(doc.blocks.len() * 2);
    // Consecutive list items go into one <ul> or <ol> (the separators between them too, so that
    // textContent stays the canonical text): (ordered, first number, its items).
    let mut list: Option<(bool, u32, Vec<Html>)> = None;
    let close = |list: Option<(bool, u32, Vec<Html>)>, children: &mut Vec<Html>| {
        if let Some((ordered, first, items)) = list {
            children.push(if ordered {
                html! { <ol dir="auto" start={first.to_string()}>{ for items }</ol> }
            } else {
                html! { <ul dir="auto">{ for items }</ul> }
            });
        }
    };
    for (i, b) in doc.blocks.iter().enumerate() {
        let item = match b.kind {
            BlockKind::Bullet => Some((false, 0)),
            BlockKind::Ordered { number } => Some((true, number)),
            _ => None,
        };
        if list.as_ref().map(|l| l.0) != item.map(|(ordered, _)| ordered) {
            close(list.take(), &mut children);
        }
        if i > 0 {
            // The separators are part of the canonical text, so textContent equals it exactly.
            let sep = if b.start - doc.blocks[i - 1].end == 1 {
                "\n"
            } else {
                "\n\n"
            };
            match list.as_mut() {
                Some((_, _, items)) => items.push(html! { { sep } }),
                None => children.push(html! { { sep } }),
            }
        }
        let selected = props.selected.filter(|&(s, e)| s < b.end && e > b.start);
        let runs = props.layout.blocks.get(i).cloned().flatten();
        let highlights = paints_highlights(props.placed, props.near.contains(&b.start));
        let view = html! {
            <BlockView key={i} doc={Rc::clone(doc)} index={i} {runs} tags={props.tags.clone()} {selected} {highlights} />
        };
        match (item, list.as_mut()) {
            (Some(_), Some((_, _, items))) => items.push(view),
            (Some((ordered, first)), None) => list = Some((ordered, first, vec![view])),
            (None, _) => children.push(view),
        }
    }
    close(list, &mut children);
    html! {
        <>
            <article id="document" aria-label="Document" tabindex="0" ref={article}
                aria-describedby="document-help"
                {onmouseup} {ontouchstart} {onkeydown} {onfocus} {onblur}>
                { for children }
            </article>
            { caret_html }
        </>
    }
}

/// The blocks near the viewport, by first code point.
#[derive(Default, PartialEq)]
struct Near(Rc<BTreeSet<usize>>);

impl Reducible for Near {
    type Action = Vec<(usize, bool)>;

    fn reduce(self: Rc<Self>, changed: Self::Action) -> Rc<Self> {
        let mut set = (*self.0).clone();
        for (start, is_near) in changed {
            if is_near {
                set.insert(start);
            } else {
                set.remove(&start);
            }
        }
        if set == *self.0 {
            self
        } else {
            Rc::new(Near(Rc::new(set)))
        }
    }
}

/// The article wired to the app state.
#[function_component(DocumentView)]
pub fn document_view() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    // The layout follows the store incrementally: only spans of annotations whose shared
    // pointer changed are laid out again.
    let cache = use_mut_ref(|| None::<(Rc<Document>, Rc<Store>, Rc<Index>, Rc<Layout>)>);
    let near = use_reducer(Near::default);
    let (index_layout, layout) = {
        let mut cache = cache.borrow_mut();
        let fresh = match cache.as_ref() {
            Some((d, st, _, _)) if Rc::ptr_eq(d, &state.doc) && Rc::ptr_eq(st, &state.store) => {
                None
            }
            Some((d, st, index, old)) if Rc::ptr_eq(d, &state.doc) => {
                let changes = changes(st.shared_by_id(), state.store.shared_by_id());
                let index = Rc::new(index.update(&changes, state.store.shared()));
                let layout = Rc::new(old.update(&state.doc, &index, changed_spans(&changes)));
                Some((index, layout))
            }
            _ => {
                let index = Rc::new(Index::new(state.store.shared()));
                Some((index, Rc::new(Layout::default())))
            }
        };
        if let Some((index, layout)) = fresh {
            *cache = Some((state.doc.clone(), state.store.clone(), index, layout));
        }
        let (_, _, index, layout) = cache.as_mut().expect("just filled");
        // Lay out the blocks that paint their highlights and are not laid out yet: all of them
        // up to PAINT_ALL_UP_TO annotations, above only those near the viewport.
        let placed = index.items().len();
        let blocks = &state.doc.blocks;
        let wanted = |i: usize| paints_highlights(placed, near.0.contains(&blocks[i].start));
        if let Some(filled) = layout.fill(&state.doc, index, wanted) {
            *layout = Rc::new(filled);
        }
        (index.clone(), layout.clone())
    };
    // Keyed on the user's themes, not the store: every highlight re-renders when tags change.
    let tags = {
        let store = state.store.clone();
        use_memo(state.store.custom_tags().to_vec(), move |_| store.tags())
    };
    let selected = state
        .selected
        .as_ref()
        .and_then(|id| state.store.get(id))
        .filter(|a| !a.orphan)
        .map(|a| (a.start, a.end));
    let placed = index_layout.items().len();
    let onnear = {
        let near = near.dispatcher();
        Callback::from(move |changed| near.dispatch(changed))
    };
    let onselect = {
        let state = state.clone();
        Callback::from(move |e: ArticleEvent| match e {
            ArticleEvent::Text { start, end, place } => {
                if let Some((start, end)) = state.doc.trim_span(start, end) {
                    state.dispatch(Msg::SelectText {
                        pending: Pending { start, end },
                        place,
                    });
                }
            }
            ArticleEvent::Point { offset, place } => {
                let id = index_layout.shortest_at(offset).map(|a| a.id.clone());
                state.dispatch(Msg::SelectAnnotation {
                    place: id.as_ref().map(|_| place),
                    id,
                });
            }
        })
    };
    // Once a selection became an annotation, fold the native selection to its end so the new
    // highlight shows (and a keyboard user's caret stays where it was).
    use_effect_with(state.selected.clone(), |selected| {
        if selected.is_some() {
            if let Some(sel) = selection::current() {
                if !sel.is_collapsed() {
                    let _ = sel.collapse_to_end();
                }
            }
        }
    });
    html! {
        <ArticleView doc={Rc::clone(&state.doc)} {layout} {tags} {placed} near={near.0.clone()} {onnear} {selected} {onselect} />
    }
}
