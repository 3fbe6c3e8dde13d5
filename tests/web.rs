//! Browser tests: the rendered article's DOM selections map to the right code-point spans.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use r2p_annotator::core::document::Document;
use r2p_annotator::core::layout::{Index, Layout};
use r2p_annotator::core::store::Annotation;
use r2p_annotator::core::tags::default_tags;
use r2p_annotator::ui::{ArticleView, ArticleViewProps};
use r2p_annotator::web::selection;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Node};

wasm_bindgen_test_configure!(run_in_browser);

const TEXT: &str = "“Protect” 🌍 people\n\n1. Emoji 🕊️ peace and “quoted” text 👩🏽‍⚖️ here.\n2. Second “para” 🌍🌍 end.";

fn annotation(id: &str, start: usize, end: usize) -> Annotation {
    Annotation {
        id: id.into(),
        start,
        end,
        quote: String::new(),
        tags: vec!["pillar-2".into()],
        note: String::new(),
        created: 0,
        modified: 0,
        creator: None,
        history: Vec::new(),
        orphan: false,
        conflict_of: None,
    }
}

async fn mount(doc: Rc<Document>, annotations: Vec<Annotation>) -> Element {
    let host = gloo::utils::document().create_element("div").unwrap();
    gloo::utils::body().append_child(&host).unwrap();
    let shared: Vec<Rc<Annotation>> = annotations.into_iter().map(Rc::new).collect();
    let index = Index::new(&shared);
    let layout = Rc::new(Layout::full(&doc, &index));
    let props = ArticleViewProps {
        doc,
        layout,
        tags: Rc::new(default_tags()),
        selected: None,
        placed: shared.len(),
        near: Default::default(),
        onnear: Default::default(),
        onselect: Default::default(),
    };
    yew::Renderer::<ArticleView>::with_root_and_props(host.clone(), props).render();
    gloo::timers::future::TimeoutFuture::new(20).await;
    host.query_selector("article")
        .unwrap()
        .expect("article rendered")
}

/// The text nodes of `node`, in document order.
fn text_nodes(node: &Node, out: &mut Vec<Node>) {
    if node.node_type() == Node::TEXT_NODE {
        out.push(node.clone());
    }
    let children = node.child_nodes();
    for i in 0..children.length() {
        text_nodes(&children.item(i).unwrap(), out);
    }
}

/// The text node and UTF-16 offset of the first occurrence of `needle` in the article.
fn locate(article: &Element, needle: &str) -> (Node, u32) {
    let mut nodes = Vec::new();
    text_nodes(article, &mut nodes);
    for node in nodes {
        let text = node.text_content().unwrap();
        if let Some(byte) = text.find(needle) {
            return (node, text[..byte].encode_utf16().count() as u32);
        }
    }
    panic!("{needle} not rendered");
}

fn code_point_of(doc: &Document, needle: &str) -> usize {
    doc.text[..doc.text.find(needle).unwrap()].chars().count()
}

fn select(a: (&Node, u32), b: (&Node, u32)) {
    let sel = selection::current().unwrap();
    sel.set_base_and_extent(a.0, a.1, b.0, b.1).unwrap();
}

#[wasm_bindgen_test]
async fn text_content_is_the_canonical_text() {
    let doc = Rc::new(Document::parse_plain(TEXT));
    let article = mount(doc.clone(), vec![annotation("a", 3, 12)]).await;
    assert_eq!(article.text_content().unwrap(), doc.text);
    // Each mark holds exactly the text of its data-s..data-e; together they hold 3..12.
    let marks = article.query_selector_all("mark").unwrap();
    let mut covered = Vec::new();
    for i in 0..marks.length() {
        let m: Element = marks.item(i).unwrap().unchecked_into();
        let n = |a: &str| m.get_attribute(a).unwrap().parse::<usize>().unwrap();
        assert_eq!(
            m.text_content().unwrap(),
            doc.slice(n("data-s"), n("data-e"))
        );
        covered.push((n("data-s"), n("data-e")));
    }
    assert_eq!(covered, [(3, 12)]);
}

#[wasm_bindgen_test]
async fn selection_within_a_paragraph_maps_to_code_points() {
    let doc = Rc::new(Document::parse_plain(TEXT));
    let article = mount(doc.clone(), vec![]).await;
    // From “quoted” (curly quotes) to just after the emoji with a skin tone and ZWJ sequence.
    let (n1, o1) = locate(&article, "“quoted”");
    let (n2, o2) = locate(&article, " here.");
    select((&n1, o1), (&n2, o2));
    let span = selection::selected_span(&article).expect("a selection");
    let start = code_point_of(&doc, "“quoted”");
    let end = code_point_of(&doc, " here.");
    assert_eq!((span.start, span.end), (start, end));
    assert_eq!(doc.slice(span.start, span.end), "“quoted” text 👩🏽‍⚖️");
}

#[wasm_bindgen_test]
async fn selection_across_paragraphs_and_highlights_maps_to_code_points() {
    let doc = Rc::new(Document::parse_plain(TEXT));
    // Highlights split the text into several runs; boundaries land inside marks.
    let p = code_point_of(&doc, "peace");
    let article = mount(
        doc.clone(),
        vec![annotation("a", p, p + 20), annotation("b", p + 5, p + 40)],
    )
    .await;
    // The overlap of a and b is one mark, numbered with its code points.
    let both = format!("mark.overlap[data-s='{}'][data-e='{}']", p + 5, p + 20);
    assert_eq!(
        article
            .query_selector(&both)
            .unwrap()
            .expect("the overlap's mark")
            .text_content()
            .unwrap(),
        doc.slice(p + 5, p + 20)
    );
    let (n1, o1) = locate(&article, "🕊️");
    let (n2, o2) = locate(&article, "🌍🌍");
    // Backwards selection: focus before anchor.
    select((&n2, o2 + 2), (&n1, o1));
    let span = selection::selected_span(&article).unwrap();
    assert_eq!(span.start, code_point_of(&doc, "🕊️"));
    assert_eq!(span.end, code_point_of(&doc, "🌍🌍") + 1);
    assert!(doc.slice(span.start, span.end).ends_with("“para” 🌍"));
}

#[wasm_bindgen_test]
async fn highlights_describe_their_tags_outside_the_article_text() {
    let doc = Rc::new(Document::parse_plain(TEXT));
    let p = code_point_of(&doc, "peace");
    let article = mount(
        doc.clone(),
        vec![annotation("a", p, p + 20), annotation("b", p + 5, p + 40)],
    )
    .await;
    let description = |selector: &str| {
        let mark = article
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"));
        let id = mark
            .get_attribute("aria-describedby")
            .expect("aria-describedby");
        let d = gloo::utils::document()
            .get_element_by_id(&id)
            .expect("the description");
        assert!(!article.contains(Some(&d)), "described outside the article");
        d.text_content().unwrap()
    };
    let (s, e) = (p + 5, p + 20);
    assert_eq!(
        description(&format!("mark[data-s='{s}'][data-e='{e}']")),
        "Highlight: Pillar II; overlaps another highlight"
    );
    assert_eq!(
        description(&format!("mark[data-s='{p}']")),
        "Highlight: Pillar II"
    );
    assert_eq!(article.text_content().unwrap(), doc.text);
}

#[wasm_bindgen_test]
async fn element_boundaries_and_dom_boundaries_round_trip() {
    let doc = Rc::new(Document::parse_plain(TEXT));
    let article = mount(doc.clone(), vec![annotation("a", 4, 9)]).await;
    // Boundaries on elements (as triple-click makes) use the Range fallback.
    let first_para: Node = article
        .query_selector("p.numbered")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let start = selection::boundary_offset(&article, &first_para, 0).unwrap();
    let end = selection::boundary_offset(&article, &first_para, first_para.child_nodes().length())
        .unwrap();
    assert_eq!(doc.slice(start, end), doc.blocks[1].text);
    // Every code point inside a block maps to a DOM boundary and back (the separators between
    // blocks are not inside any run).
    for b in &doc.blocks {
        for cp in b.start..b.end {
            let (node, off) = selection::dom_boundary(&article, cp).expect("boundary");
            assert_eq!(
                selection::boundary_offset(&article, &node, off),
                Some(cp),
                "cp {cp}"
            );
        }
    }
}

/// localStorage as the core's KeyValue: a value holding a lone surrogate is reported as not
/// text, and its backup keeps every UTF-16 code unit (it never passes through a Rust string).
#[wasm_bindgen_test]
fn local_storage_backs_up_lone_surrogates_exactly() {
    use r2p_annotator::core::kv::{backup_key, KeyValue, Raw};
    use r2p_annotator::web::storage::Local;
    let storage = gloo::utils::window().local_storage().unwrap().unwrap();
    let key = "r2p-annotator:web-test:damaged";
    let units: Vec<u16> = vec![0x7b, 0xd83d, 0x22, 0xdc00, 0x7d]; // {, lone high, ", lone low, }
    let value = js_sys::JsString::from_char_code(&units);
    let set: js_sys::Function = js_sys::Reflect::get(&storage, &"setItem".into())
        .unwrap()
        .unchecked_into();
    set.call2(&storage, &key.into(), &value).unwrap();
    let mut kv = Local;
    assert_eq!(kv.get(key).unwrap(), Some(Raw::NotUtf16));
    let backup = kv.back_up(key, "web-test").unwrap();
    assert_eq!(backup, backup_key("web-test", &units));
    let get: js_sys::Function = js_sys::Reflect::get(&storage, &"getItem".into())
        .unwrap()
        .unchecked_into();
    let copied: js_sys::JsString = get
        .call1(&storage, &backup.as_str().into())
        .unwrap()
        .unchecked_into();
    assert_eq!(copied.iter().collect::<Vec<u16>>(), units);
    // A second backup of the same data writes nothing new and names the same key.
    assert_eq!(kv.back_up(key, "web-test").unwrap(), backup);
    storage.remove_item(key).unwrap();
    storage.remove_item(&backup).unwrap();
}

/// `reveal` finds the block holding a code point (the last `[data-block]` starting at or before
/// it) and in it the `mark` whose run covers it (`data-s` ≤ it < `data-e`); a code point no
/// highlight covers gives the block, as does a block not painted yet (bare text).
#[wasm_bindgen_test]
fn reveal_finds_the_covering_mark_or_else_the_block() {
    use r2p_annotator::web::reveal::{reveal, Revealed};
    let page = gloo::utils::document();
    let host = page.create_element("div").unwrap();
    // First in the page, so that `#document` is this article (the tests above mount others).
    host.set_inner_html(
        "<article id=\"document\">\
           <p data-block=\"0\"><span data-s=\"0\">Title</span></p>\
           <ul><li data-block=\"7\"><mark data-s=\"7\" data-e=\"10\">one</mark>\
             <span data-s=\"10\" data-e=\"15\"> two </span><mark data-s=\"15\" data-e=\"18\">🌍🌍x</mark></li></ul>\
           <p data-block=\"40\">last, not painted</p>\
         </article>",
    );
    let body = gloo::utils::body();
    body.insert_before(&host, body.first_child().as_ref())
        .unwrap();
    let found = |offset| match reveal(offset) {
        Some(Revealed::Mark(m)) => format!("mark {}", m.get_attribute("data-s").unwrap()),
        Some(Revealed::Block(b)) => format!("block {}", b.get_attribute("data-block").unwrap()),
        None => "nothing".into(),
    };
    assert_eq!(found(2), "block 0");
    assert_eq!(found(7), "mark 7");
    assert_eq!(found(9), "mark 7");
    assert_eq!(found(10), "block 7", "between the marks: the block");
    assert_eq!(found(17), "mark 15");
    assert_eq!(found(18), "block 7");
    assert_eq!(found(41), "block 40");
    host.remove();
}
