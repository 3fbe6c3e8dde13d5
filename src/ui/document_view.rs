//! The document as an `<article>`: blocks of text runs, highlights as `<mark>`, and selection input.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::state::{AppContext, Msg, Pending, Place};
use super::ByPtr;
use crate::core::document::{BlockKind, Document, Inline, Styled};
use crate::core::layout::{changed_spans, Cover, Index, Layout, Run};
use crate::core::store::{Annotation, Store};
use crate::core::tags::{parse_hex_color, shade, Tag, TagKind};
use crate::web::paint::IdTable;
use crate::web::selection;

/// Colour of a highlight that has no tag yet.
const UNTAGGED_COLOR: &str = "#ffec99";

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
    /// Id handles for the layout's annotations (the glue writes `data-annotation-ids`).
    pub ids: Rc<IdTable>,
    /// All tags (for colours and underline styles).
    pub tags: Rc<Vec<Tag>>,
    /// The span of the selected annotation, outlined.
    #[prop_or_default]
    pub selected: Option<(usize, usize)>,
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
            && self.onselect == other.onselect
    }
}

/// Colour, underline class and overlap classes of a highlight, from its innermost annotation.
fn mark_look(a: &Annotation, depth: usize, tags: &[Tag]) -> (String, &'static str) {
    let tag = |id: &String| tags.iter().find(|t| &t.id == id);
    let color = a
        .tags
        .first()
        .and_then(tag)
        .map(|t| t.color.as_str())
        .filter(|c| parse_hex_color(c).is_some())
        .unwrap_or(UNTAGGED_COLOR);
    let pillar = a
        .tags
        .iter()
        .filter_map(tag)
        .find(|t| t.kind == TagKind::Pillar);
    let underline = match pillar.map(|t| t.id.as_str()) {
        Some("pillar-1") => "u-p1",
        Some("pillar-2") => "u-p2",
        Some("pillar-3") => "u-p3",
        _ if a.tags.is_empty() => "u-none",
        _ => "u-theme",
    };
    (format!("--hl:{}", shade(color, depth)), underline)
}

/// The class list for a combination of inline styles (bit 0 em, 1 strong, 2 code).
const INLINE_CLASSES: [&str; 8] = [
    "",
    "i-em",
    "i-strong",
    "i-em i-strong",
    "i-code",
    "i-em i-code",
    "i-strong i-code",
    "i-em i-strong i-code",
];

fn inline_bits(styles: &[Styled], at: usize) -> usize {
    styles
        .iter()
        .filter(|s| s.start <= at && at < s.end)
        .fold(0, |bits, s| {
            bits | match s.style {
                Inline::Emphasis => 1,
                Inline::Strong => 2,
                Inline::Code => 4,
            }
        })
}

/// A cover compared by identity, as an effect dependency.
#[derive(Clone)]
struct CoverKey(Rc<Cover>);

impl PartialEq for CoverKey {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, Clone)]
struct RunViewProps {
    start: usize,
    text: AttrValue,
    cover: Option<Rc<Cover>>,
    tags: Rc<Vec<Tag>>,
    selected: bool,
    inline: &'static str,
    /// Id handles of the current layout (not compared: only used when the cover changes).
    ids: Rc<IdTable>,
}

impl PartialEq for RunViewProps {
    fn eq(&self, other: &Self) -> bool {
        self.start == other.start
            && self.selected == other.selected
            && self.inline == other.inline
            && Rc::ptr_eq(&self.tags, &other.tags)
            && match (&self.cover, &other.cover) {
                (None, None) => true,
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                _ => false,
            }
            && self.text == other.text
    }
}

/// One run: plain text in a `<span>`, highlighted text in a `<mark>`. Re-renders only when its
/// own cover (by pointer), text or selection changes.
#[function_component(RunView)]
fn run_view(p: &RunViewProps) -> Html {
    let mark = use_node_ref();
    {
        // The ids are written by the glue (from its table), after the element exists.
        let mark = mark.clone();
        let table = p.ids.clone();
        use_effect_with(p.cover.clone().map(CoverKey), move |cover| {
            if let (Some(c), Some(el)) = (cover, mark.cast::<web_sys::Element>()) {
                table.set_ids(&el, &c.0.members);
            }
        });
    }
    let inline = (!p.inline.is_empty()).then_some(p.inline);
    match &p.cover {
        None => {
            html! { <span data-s={p.start.to_string()} class={inline}>{ p.text.clone() }</span> }
        }
        Some(c) => {
            let (style, underline) = mark_look(&c.inner, c.depth, &p.tags);
            let class = classes!(
                "hl",
                underline,
                (c.depth > 1).then_some("overlap"),
                (c.depth > 2).then_some("overlap3"),
                p.selected.then_some("selected"),
                inline
            );
            html! {
                <mark ref={mark} data-s={p.start.to_string()} {class} {style}>
                    { p.text.clone() }
                </mark>
            }
        }
    }
}

#[derive(Properties, Clone)]
struct BlockViewProps {
    doc: Rc<Document>,
    index: usize,
    runs: Rc<[Run]>,
    tags: Rc<Vec<Tag>>,
    /// The selected annotation's span, only when it touches this block.
    selected: Option<(usize, usize)>,
    /// Id handles of the current layout (not compared).
    ids: Rc<IdTable>,
}

impl PartialEq for BlockViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &other.doc)
            && self.index == other.index
            && Rc::ptr_eq(&self.runs, &other.runs)
            && Rc::ptr_eq(&self.tags, &other.tags)
            && self.selected == other.selected
    }
}

/// One block; re-renders only when its own runs, the tags or its part of the selection change.
#[function_component(BlockView)]
fn block_view(props: &BlockViewProps) -> Html {
    let block = &props.doc.blocks[props.index];
    // Byte offset of each code point of the block (and of its end), for slicing runs.
    let bytes: Vec<usize> = block
        .text
        .char_indices()
        .map(|(i, _)| i)
        .chain([block.text.len()])
        .collect();
    let mut cuts: Vec<usize> = block.styles.iter().flat_map(|s| [s.start, s.end]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut children: Vec<Html> = Vec::with_capacity(props.runs.len() + cuts.len());
    for r in props.runs.iter() {
        let selected = props
            .selected
            .is_some_and(|(s, e)| r.cover.is_some() && s <= r.start && r.end <= e);
        let mut from = r.start;
        for &to in cuts
            .iter()
            .filter(|&&c| c > r.start && c < r.end)
            .chain([&r.end])
        {
            let text = &block.text[bytes[from - block.start]..bytes[to - block.start]];
            children.push(html! {
                <RunView key={from} start={from} text={AttrValue::from(text.to_string())}
                    cover={r.cover.clone()} tags={props.tags.clone()} {selected}
                    inline={INLINE_CLASSES[inline_bits(&block.styles, from)]} ids={props.ids.clone()} />
            });
            from = to;
        }
    }
    let start = block.start.to_string();
    let runs: Html = children.into_iter().collect();
    match block.kind {
        BlockKind::Title => html! { <h1 dir="auto" data-block={start}>{ runs }</h1> },
        BlockKind::Subtitle => {
            html! { <h2 dir="auto" class="subtitle" data-block={start}>{ runs }</h2> }
        }
        BlockKind::Heading { level } => {
            html! { <@{format!("h{}", level.clamp(2, 6))} dir="auto" data-block={start}>{ runs }</@> }
        }
        BlockKind::Numbered { .. } => {
            html! { <p dir="auto" class="numbered" data-block={start}>{ runs }</p> }
        }
        BlockKind::Paragraph => html! { <p dir="auto" data-block={start}>{ runs }</p> },
        BlockKind::Dateline => {
            html! { <p dir="auto" class="dateline" data-block={start}>{ runs }</p> }
        }
        // List items: the list around them (see `ArticleView`) shows the bullet or number.
        BlockKind::Bullet | BlockKind::Ordered { .. } => {
            html! { <li dir="auto" data-block={start}>{ runs }</li> }
        }
        BlockKind::Quote => {
            html! { <blockquote dir="auto" data-block={start}>{ runs }</blockquote> }
        }
        BlockKind::Code => html! { <pre dir="auto" data-block={start}>{ runs }</pre> },
    }
}

fn page_place(left: f64, bottom: f64) -> Place {
    let w = gloo::utils::window();
    let sx = w.scroll_x().unwrap_or(0.0);
    let sy = w.scroll_y().unwrap_or(0.0);
    let width = w
        .inner_width()
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(1024.0);
    Place {
        left: (left + sx).clamp(sx + 8.0, (sx + width - 340.0).max(sx + 8.0)),
        top: bottom + sy + 8.0,
    }
}

/// The article: renders the document and turns mouse, touch and keyboard selection into events.
#[function_component(ArticleView)]
pub fn article_view(props: &ArticleViewProps) -> Html {
    let article = use_node_ref();
    let caret = use_state(|| None::<(f64, f64, f64)>);
    let touch = use_mut_ref(|| Cell::new(false));

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
        let runs = props
            .layout
            .blocks
            .get(i)
            .cloned()
            .unwrap_or_else(|| Rc::from(Vec::new()));
        let view = html! {
            <BlockView key={i} doc={Rc::clone(doc)} index={i} {runs} tags={props.tags.clone()} {selected}
                ids={props.ids.clone()} />
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

/// The article wired to the app state.
#[function_component(DocumentView)]
pub fn document_view() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    // The layout follows the store incrementally: only spans of annotations whose shared
    // pointer changed are laid out again.
    let cache = use_mut_ref(|| None::<(Rc<Document>, Rc<Store>, Rc<Index>, Rc<Layout>)>);
    let ((index_layout, layout), ids) = {
        let mut cache = cache.borrow_mut();
        let fresh = match cache.as_ref() {
            Some((d, st, _, _)) if Rc::ptr_eq(d, &state.doc) && Rc::ptr_eq(st, &state.store) => {
                None
            }
            Some((d, st, _, old)) if Rc::ptr_eq(d, &state.doc) => {
                let index = Rc::new(Index::new(state.store.shared()));
                let changed = changed_spans(st.shared_by_id(), state.store.shared_by_id());
                let layout = Rc::new(old.update(&state.doc, &index, changed));
                Some((index, layout))
            }
            _ => {
                let index = Rc::new(Index::new(state.store.shared()));
                let layout = Rc::new(Layout::full(&state.doc, &index));
                Some((index, layout))
            }
        };
        if let Some((index, layout)) = fresh {
            *cache = Some((state.doc.clone(), state.store.clone(), index, layout));
        }
        let (_, _, index, layout) = cache.as_ref().expect("just filled");
        let ids = use_memo(ByPtr(index.clone()), |index| IdTable::new(index.0.items()));
        ((index.clone(), layout.clone()), ids)
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
        <ArticleView doc={Rc::clone(&state.doc)} {layout} {ids} {tags} {selected} {onselect} />
    }
}
