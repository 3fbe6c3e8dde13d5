//! The document as an `<article>`: blocks of text runs, highlights as `<mark>`, and selection input.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::state::{AppContext, Msg, Pending, Place};
use super::ByPtr;
use crate::core::document::{BlockKind, Document, Inline, Styled};
use crate::core::segments::segment;
use crate::core::store::Annotation;
use crate::core::tags::{parse_hex_color, Tag, TagKind};
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

/// A run of text and what covers it.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    start: usize,
    end: usize,
    /// Space-separated ids of the covering annotations; None for plain text.
    ids: Option<AttrValue>,
    color: &'static str,
    custom_color: Option<String>,
    style: &'static str,
    depth: usize,
    selected: bool,
    /// Inline style classes from Markdown ("i-em i-strong"), empty for plain text.
    inline: &'static str,
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

/// Cuts runs further where an inline style starts or ends, so each run has one style.
fn split_by_styles(runs: Vec<Run>, styles: &[Styled]) -> Vec<Run> {
    if styles.is_empty() {
        return runs;
    }
    let mut cuts: Vec<usize> = styles.iter().flat_map(|s| [s.start, s.end]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(runs.len() + cuts.len());
    for r in runs {
        let mut from = r.start;
        for &c in cuts
            .iter()
            .filter(|&&c| c > r.start && c < r.end)
            .chain([&r.end])
        {
            out.push(Run {
                start: from,
                end: c,
                inline: INLINE_CLASSES[inline_bits(styles, from)],
                ..r.clone()
            });
            from = c;
        }
    }
    out
}

/// Properties of [`ArticleView`].
#[derive(Properties, Clone)]
pub struct ArticleViewProps {
    /// The document to show.
    pub doc: Rc<Document>,
    /// Annotations in document order.
    pub annotations: Rc<Vec<Annotation>>,
    /// All tags (for colours and underline styles).
    pub tags: Rc<Vec<Tag>>,
    /// The selected annotation, outlined.
    #[prop_or_default]
    pub selected: Option<String>,
    /// Called when the user selects text or clicks a point.
    #[prop_or_default]
    pub onselect: Callback<ArticleEvent>,
}

impl PartialEq for ArticleViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &other.doc)
            && Rc::ptr_eq(&self.annotations, &other.annotations)
            && Rc::ptr_eq(&self.tags, &other.tags)
            && self.selected == other.selected
            && self.onselect == other.onselect
    }
}

fn mark_style(a: &Annotation, tags: &[Tag]) -> (&'static str, Option<String>, &'static str) {
    let first = a
        .tags
        .first()
        .and_then(|id| tags.iter().find(|t| &t.id == id));
    let pillar = a
        .tags
        .iter()
        .filter_map(|id| tags.iter().find(|t| &t.id == id))
        .find(|t| t.kind == TagKind::Pillar);
    let style = match pillar.map(|t| t.id.as_str()) {
        Some("pillar-1") => "u-p1",
        Some("pillar-2") => "u-p2",
        Some("pillar-3") => "u-p3",
        _ if a.tags.is_empty() => "u-none",
        _ => "u-theme",
    };
    match first {
        Some(t) if parse_hex_color(&t.color).is_some() => ("", Some(t.color.clone()), style),
        _ => (UNTAGGED_COLOR, None, style),
    }
}

/// Cuts every block into runs with the exact set of annotations covering each.
fn runs_for(
    doc: &Document,
    annotations: &[Annotation],
    tags: &[Tag],
    selected: Option<&str>,
) -> Vec<Rc<[Run]>> {
    let mut out = Vec::with_capacity(doc.blocks.len());
    // Annotations are in document order: those that can touch a block start before its end.
    for b in &doc.blocks {
        let upto = annotations.partition_point(|a| a.start < b.end);
        let spans = annotations[..upto]
            .iter()
            .enumerate()
            .filter(|(_, a)| a.end > b.start)
            .map(|(i, a)| (a.start, a.end, i));
        let runs: Vec<Run> = segment(b.start, b.end, spans)
            .into_iter()
            .map(|seg| {
                if seg.keys.is_empty() {
                    return Run {
                        start: seg.start,
                        end: seg.end,
                        ids: None,
                        color: "",
                        custom_color: None,
                        style: "",
                        depth: 0,
                        selected: false,
                        inline: "",
                    };
                }
                let inner = seg
                    .keys
                    .iter()
                    .map(|&k| &annotations[k])
                    .min_by_key(|a| (a.len(), std::cmp::Reverse(a.start)))
                    .expect("non-empty");
                let (color, custom_color, style) = mark_style(inner, tags);
                let ids: Vec<&str> = seg
                    .keys
                    .iter()
                    .map(|&k| annotations[k].id.as_str())
                    .collect();
                Run {
                    start: seg.start,
                    end: seg.end,
                    ids: Some(ids.join(" ").into()),
                    color,
                    custom_color,
                    style,
                    depth: seg.keys.len(),
                    selected: selected.is_some_and(|s| ids.contains(&s)),
                    inline: "",
                }
            })
            .collect();
        out.push(split_by_styles(runs, &b.styles).into());
    }
    out
}

#[derive(Properties, Clone)]
struct BlockViewProps {
    doc: Rc<Document>,
    index: usize,
    runs: Rc<[Run]>,
}

impl PartialEq for BlockViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &other.doc) && self.index == other.index && self.runs == other.runs
    }
}

/// One block; re-renders only when its own runs change.
#[function_component(BlockView)]
fn block_view(props: &BlockViewProps) -> Html {
    let block = &props.doc.blocks[props.index];
    let mut chars = block
        .text
        .char_indices()
        .map(|(i, _)| i)
        .chain([block.text.len()]);
    let mut byte_at = {
        let mut consumed = 0usize;
        let mut last = 0usize;
        move |cp: usize| {
            while consumed <= cp {
                last = chars.next().unwrap_or(last);
                consumed += 1;
            }
            last
        }
    };
    let runs: Html = props
        .runs
        .iter()
        .map(|r| {
            let from = byte_at(r.start - block.start);
            let to = byte_at(r.end - block.start);
            let text = block.text[from..to].to_string();
            match &r.ids {
                None => html! { <span data-s={r.start.to_string()} class={(!r.inline.is_empty()).then_some(r.inline)}>{ text }</span> },
                Some(ids) => {
                    let color = r.custom_color.as_deref().unwrap_or(r.color);
                    let class = classes!(
                        "hl",
                        r.style,
                        (r.depth > 1).then_some("overlap"),
                        (r.depth > 2).then_some("overlap3"),
                        r.selected.then_some("selected"),
                        (!r.inline.is_empty()).then_some(r.inline)
                    );
                    html! {
                        <mark data-s={r.start.to_string()} data-annotation-ids={ids.clone()}
                              class={class} style={format!("--hl:{color}")}>{ text }</mark>
                    }
                }
            }
        })
        .collect();
    let start = block.start.to_string();
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
        BlockKind::Bullet => html! { <p dir="auto" class="bullet" data-block={start}>{ runs }</p> },
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
    let runs = {
        let p = props.clone();
        use_memo(
            (
                Rc::clone(&props.annotations),
                Rc::clone(&props.tags),
                props.selected.clone(),
                ByPtr(Rc::clone(&props.doc)),
            ),
            move |_| runs_for(&p.doc, &p.annotations, &p.tags, p.selected.as_deref()),
        )
    };

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
    for (i, b) in doc.blocks.iter().enumerate() {
        if i > 0 {
            // The separators are part of the canonical text, so textContent equals it exactly.
            let sep = if b.start - doc.blocks[i - 1].end == 1 {
                "\n"
            } else {
                "\n\n"
            };
            children.push(html! { { sep } });
        }
        children.push(html! {
            <BlockView key={i} doc={Rc::clone(doc)} index={i} runs={Rc::clone(&runs[i])} />
        });
    }
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
    let annotations = use_memo(ByPtr(Rc::clone(&state.store)), |store| {
        store
            .0
            .in_document_order()
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
    });
    let tags = use_memo(ByPtr(Rc::clone(&state.store)), |store| store.0.tags());
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
                let id = state.store.shortest_at(offset).map(|a| a.id.clone());
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
        <ArticleView doc={Rc::clone(&state.doc)} annotations={annotations} tags={tags}
            selected={state.selected.clone()} {onselect} />
    }
}
