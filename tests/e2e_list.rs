//! End-to-end test of the windowed annotation list: 1,000 stored annotations, of which the list
//! renders only those near its view, each item saying where it stands in the whole; every item
//! reachable by keyboard and by clicking its highlight, and the tag filter windowed the same way.
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use e2e_support::{
    canonical_text, document_id, numbered_paragraph, run, slice, storage_key, words, App,
    BLANK_PAGE,
};
use fantoccini::key::Key;
use serde_json::{json, Value};

/// How many annotations the test stores.
const STORED: usize = 1000;
/// The most list items the page may hold for them: a few screenfuls, far fewer than all.
const MOST_RENDERED: usize = 100;

/// A stored annotation, as the test knows it.
#[derive(Clone, Debug)]
struct Ann {
    id: String,
    start: usize,
    end: usize,
    tag: &'static str,
}

/// `STORED` annotations on the summary: the last one alone on a few words of paragraph 11, the
/// others spread over the rest of the text (spans of 1–120 code points from a fixed-seed
/// generator, overlapping freely), tagged with the three pillars in turn.
fn annotations() -> Vec<Ann> {
    let len = canonical_text().chars().count();
    let (p_start, p_end) = numbered_paragraph(11);
    let mut seed: u64 = 20140908;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut out = Vec::with_capacity(STORED);
    while out.len() < STORED - 1 {
        let n = 1 + next() % 120;
        let start = next() % (len - n);
        if start < p_end && start + n > p_start {
            continue;
        }
        let i = out.len();
        out.push(Ann {
            id: format!("list-{i:04}"),
            start,
            end: start + n,
            tag: ["pillar-1", "pillar-2", "pillar-3"][i % 3],
        });
    }
    let (start, end) = words(p_start, p_end, 2, 5);
    out.push(Ann {
        id: "list-alone".into(),
        start,
        end,
        tag: "pillar-3",
    });
    out
}

/// The app's storage envelope holding `anns`.
fn envelope(anns: &[Ann]) -> String {
    let annotations: Vec<Value> = anns
        .iter()
        .map(|a| {
            json!({
                "id": a.id, "start": a.start, "end": a.end, "quote": slice(a.start, a.end),
                "tags": [a.tag], "note": "", "created": 1_700_000_000_000i64,
                "modified": 1_700_000_000_000i64,
            })
        })
        .collect();
    json!({
        "schema": 1, "app": "r2p-annotator", "document": document_id(),
        "annotations": annotations, "deleted": {}, "customTags": [],
    })
    .to_string()
}

/// The list "Annotations" as rendered: per item, its id, data-start, data-end, aria-posinset,
/// aria-setsize and aria-current; and the focused element's item's position, if any.
const RENDERED: &str = "\
    const ul = document.querySelector('ul[role=\"list\"][aria-label=\"Annotations\"]');\
    const num = (el, a) => el.hasAttribute(a) ? Number(el.getAttribute(a)) : null;\
    const items = [...ul.children].map(li => [li.getAttribute('data-annotation-id'),\
      num(li, 'data-start'), num(li, 'data-end'), num(li, 'aria-posinset'), num(li, 'aria-setsize'),\
      li.getAttribute('aria-current') === 'true']);\
    const f = document.activeElement && document.activeElement.closest('li[aria-posinset]');\
    return { items, focused: f && ul.contains(f) ? num(f, 'aria-posinset') : null };";

/// True when the character at code point `arguments[0]` of the article is in the viewport
/// (found by walking the article's text, whatever its markup).
const IN_VIEWPORT: &str = "\
    const article = document.querySelector('article[aria-label=\"Document\"]');\
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);\
    let at = 0, node;\
    while ((node = walker.nextNode())) {\
      const cps = [...node.data];\
      if (arguments[0] < at + cps.length) {\
        const from = cps.slice(0, arguments[0] - at).join('').length;\
        const r = document.createRange();\
        r.setStart(node, from); r.setEnd(node, from + cps[arguments[0] - at].length);\
        const box = r.getBoundingClientRect();\
        return box.height > 0 && box.top >= 0 && box.bottom <= innerHeight;\
      }\
      at += cps.length;\
    }\
    return false;";

/// One rendered item: (id, start, end, posinset, setsize, current).
type Item = (String, usize, usize, usize, usize, bool);

async fn rendered(app: &App) -> (Vec<Item>, Option<usize>) {
    let v = app.js(RENDERED, vec![]).await;
    let items = v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            let n = |k: usize| {
                i[k].as_u64()
                    .unwrap_or_else(|| panic!("item {i} lacks field {k}")) as usize
            };
            (
                i[0].as_str().expect("data-annotation-id").to_string(),
                n(1),
                n(2),
                n(3),
                n(4),
                i[5] == json!(true),
            )
        })
        .collect();
    (items, v["focused"].as_u64().map(|p| p as usize))
}

/// Checks the rendered items against `want` (the listed annotations in document order): few of
/// them, each with its annotation's id, span and place in the whole. Returns their positions.
async fn check_items(app: &App, want: &[&Ann]) -> Vec<usize> {
    let (items, _) = rendered(app).await;
    assert!(
        !items.is_empty() && items.len() <= MOST_RENDERED,
        "the list renders {} items of {}: a window of at most {MOST_RENDERED} is expected",
        items.len(),
        want.len()
    );
    for (id, start, end, pos, size, _) in &items {
        assert_eq!(*size, want.len(), "aria-setsize of {id}");
        let a = want
            .get(pos.wrapping_sub(1))
            .unwrap_or_else(|| panic!("{id} has aria-posinset {pos} of {}", want.len()));
        assert_eq!(
            (id.as_str(), *start, *end),
            (a.id.as_str(), a.start, a.end),
            "the item at aria-posinset {pos}: its data-annotation-id, data-start, data-end"
        );
    }
    items.iter().map(|i| i.3).collect()
}

/// Waits until the list's item at `pos` is rendered and holds the focus.
async fn wait_focused(app: &App, pos: usize) {
    app.wait_for(&format!("focus on list item {pos}"), || async {
        match rendered(app).await {
            (items, Some(f)) if f == pos && items.iter().any(|i| i.3 == pos) => Ok(()),
            (items, f) => Err(format!(
                "focus is on item {f:?}; rendered: {:?}",
                items.iter().map(|i| i.3).collect::<Vec<_>>()
            )),
        }
    })
    .await
}

/// Waits until the summary above the list says `text`.
async fn wait_summary(app: &App, text: &str) {
    app.wait_js(
        &format!("the summary {text:?}"),
        "const p = document.querySelector('.panel .summary');\
         return !!p && p.textContent.trim() === arguments[0];",
        vec![json!(text)],
    )
    .await;
}

/// Scrolls the panel to `fraction` of its height and waits until the list has rendered the
/// items there: until the first rendered item's position satisfies `there`.
async fn scroll_panel(app: &App, fraction: f64, there: impl Fn(usize) -> bool) {
    app.js(
        "const p = document.querySelector('.panel'); p.scrollTop = p.scrollHeight * arguments[0];",
        vec![json!(fraction)],
    )
    .await;
    app.wait_for("the window to follow the scroll", || async {
        let (items, _) = rendered(app).await;
        match items.first() {
            Some(i) if there(i.3) => Ok(()),
            first => Err(format!("the first rendered item is {first:?}")),
        }
    })
    .await;
}

#[test]
fn a_thousand_annotations_are_windowed_and_all_reachable() {
    let anns = annotations();
    let mut sorted: Vec<&Ann> = anns.iter().collect();
    sorted.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
    let alone = sorted
        .iter()
        .position(|a| a.id == "list-alone")
        .expect("the lone annotation");
    let stored = envelope(&anns);
    run("list_windowed", |app| async move {
        app.goto(BLANK_PAGE).await;
        app.set_local_storage(&storage_key(), &stored).await;
        app.open_app().await;
        wait_summary(&app, &format!("{STORED} annotations")).await;
        app.screenshot("opened").await;

        // At the top: the first items, in order, each saying where it stands.
        let first = check_items(&app, &sorted).await;
        assert_eq!(first, (1..=first.len()).collect::<Vec<_>>(), "from the top");

        // Scrolled half way: the items there, in order.
        scroll_panel(&app, 0.5, |first| first > 100).await;
        let middle = check_items(&app, &sorted).await;
        assert!(
            middle.windows(2).all(|w| w[1] == w[0] + 1) && middle[0] > 100,
            "half way down, consecutive items far from the first: {middle:?}"
        );

        // Clicking a highlight far down (covered by one annotation only) selects it, and its
        // item is brought into the list, current.
        assert!(alone > 700, "the lone annotation stands at {alone}");
        let target = &sorted[alone];
        app.click_char((target.start + target.end) / 2).await;
        app.wait_current(&target.id).await;
        let (items, _) = rendered(&app).await;
        let current: Vec<&Item> = items.iter().filter(|i| i.5).collect();
        assert_eq!(
            current
                .iter()
                .map(|i| (i.0.as_str(), i.3))
                .collect::<Vec<_>>(),
            vec![(target.id.as_str(), alone + 1)],
            "the current item after clicking its highlight"
        );
        check_items(&app, &sorted).await;
        app.screenshot("clicked").await;
        app.escape().await;

        // Keyboard: from the first item, End, ArrowUp, ArrowDown, Home; Tab reaches the
        // item's own controls.
        scroll_panel(&app, 0.0, |first| first == 1).await;
        app.js(
            "document.querySelector('ul[aria-label=\"Annotations\"] > li[aria-posinset=\"1\"] button.go').focus();",
            vec![],
        )
        .await;
        wait_focused(&app, 1).await;
        app.press(&[Key::End.into()]).await;
        wait_focused(&app, STORED).await;
        check_items(&app, &sorted).await;
        app.press(&[Key::Up.into()]).await;
        wait_focused(&app, STORED - 1).await;
        app.press(&[Key::Down.into()]).await;
        wait_focused(&app, STORED).await;
        app.press(&[Key::Home.into()]).await;
        wait_focused(&app, 1).await;
        check_items(&app, &sorted).await;
        app.press(&[Key::Tab.into()]).await;
        let on = app
            .js(
                "const a = document.activeElement; const li = a.closest('li[aria-posinset]');\
                 return [a.getAttribute('aria-label'), li && li.getAttribute('aria-posinset')];",
                vec![],
            )
            .await;
        assert_eq!(
            on,
            json!(["Delete annotation", "1"]),
            "Tab from an item's go-to button reaches its Delete button"
        );

        // The tag filter: the Pillar I annotations, windowed the same way.
        let pillar_one: Vec<&Ann> = sorted
            .iter()
            .copied()
            .filter(|a| a.tag == "pillar-1")
            .collect();
        app.button(&format!("Pillar I: {}", pillar_one.len()))
            .await
            .click()
            .await
            .expect("click the Pillar I filter");
        wait_summary(&app, &format!("{} of {STORED} shown", pillar_one.len())).await;
        let filtered = check_items(&app, &pillar_one).await;
        assert_eq!(filtered[0], 1, "the filtered list from its top");
        app.screenshot("filtered").await;

        // End, then Enter on the last of them, with the article scrolled to its top: the
        // article scrolls to that annotation's highlight and the picker opens on it.
        let last = pillar_one[pillar_one.len() - 1];
        app.js("window.scrollTo(0, 0);", vec![]).await;
        app.js(
            "document.querySelector('ul[aria-label=\"Annotations\"] > li[aria-posinset=\"1\"] button.go').focus();",
            vec![],
        )
        .await;
        wait_focused(&app, 1).await;
        app.press(&[Key::End.into()]).await;
        wait_focused(&app, pillar_one.len()).await;
        app.press(&[Key::Enter.into()]).await;
        app.wait_current(&last.id).await;
        app.wait_picker().await;
        app.wait_js(
            &format!(
                "code point {} (where {} starts) in the viewport",
                last.start, last.id
            ),
            IN_VIEWPORT,
            vec![json!(last.start)],
        )
        .await;
        app.screenshot("gone_to").await;
    });
}
