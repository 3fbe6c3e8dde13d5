//! End-to-end tests of the painter's contract: `<mark>`s numbered with `data-s`/`data-e`, exactly
//! the annotated code points highlighted, and above 1,000 annotations highlights painted for the
//! blocks near the viewport (a block scrolled into view gets them), `textContent` unchanged.
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use e2e_support::{canonical_text, document_id, run, slice, storage_key, App};
use serde_json::{json, Value};

/// How many annotations the test stores: above the painter's 1,000, so painting is lazy.
const MANY: usize = 1_200;

/// Deterministic spans over the text: 1–120 code points at pseudo-random places (a linear
/// congruential generator, so the test needs no seed file), plus one over the text's last words.
fn spans(len: usize) -> Vec<(usize, usize)> {
    let mut x: u64 = 20_140_908;
    let mut next = |m: usize| {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((x >> 33) as usize) % m
    };
    let mut out: Vec<(usize, usize)> = (0..MANY - 1)
        .map(|_| {
            let l = 1 + next(120);
            let s = next(len - l);
            (s, s + l)
        })
        .collect();
    out.push((len - 20, len - 1));
    out
}

/// The app's own storage envelope holding `spans` (each tagged Pillar I).
fn envelope(spans: &[(usize, usize)]) -> String {
    let annotations: Vec<Value> = spans
        .iter()
        .enumerate()
        .map(|(i, &(s, e))| {
            json!({
                "id": format!("00000000-0000-4000-8000-{i:012}"),
                "start": s, "end": e, "quote": slice(s, e), "tags": ["pillar-1"], "note": "",
                "created": 1_700_000_000_000u64 + i as u64, "modified": 1_700_000_000_000u64 + i as u64,
            })
        })
        .collect();
    json!({
        "schema": 1, "app": "r2p-annotator", "document": document_id(),
        "annotations": annotations, "deleted": {}, "customTags": [],
    })
    .to_string()
}

/// `spans` clipped to `[from, to)`, merged where they overlap or touch.
fn union_within(spans: &[(usize, usize)], from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut clipped: Vec<(usize, usize)> = spans
        .iter()
        .map(|&(s, e)| (s.max(from), e.min(to)))
        .filter(|(s, e)| s < e)
        .collect();
    clipped.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in clipped {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// For each block that shows highlights: its code-point range and the merged ranges its marks
/// hold; and the marks whose text is not the canonical text of their `data-s`..`data-e`.
async fn painted_blocks(app: &App) -> (Vec<(usize, usize, Vec<(usize, usize)>)>, Vec<String>) {
    let v = app
        .js(
            "const a = document.querySelector('article[aria-label=\"Document\"]');\
             const text = [...a.textContent]; const blocks = []; const bad = [];\
             for (const b of a.querySelectorAll('[data-block]')) {\
               const marks = [...b.querySelectorAll('mark')];\
               if (!marks.length) continue;\
               const start = +b.getAttribute('data-block'), end = start + [...b.textContent].length;\
               const held = [];\
               for (const m of marks) {\
                 const s = +m.getAttribute('data-s'), e = +m.getAttribute('data-e');\
                 if (m.textContent !== text.slice(s, e).join('')) bad.push(m.outerHTML.slice(0, 120));\
                 const last = held[held.length - 1];\
                 if (last && s <= last[1]) last[1] = Math.max(last[1], e); else held.push([s, e]);\
               }\
               blocks.push([start, end, held]);\
             }\
             return [blocks, bad];",
            vec![],
        )
        .await;
    serde_json::from_value(v).expect("blocks and bad marks")
}

/// The painted blocks hold exactly the stored spans; returns the first code points of the
/// painted blocks.
async fn check_painted(app: &App, spans: &[(usize, usize)]) -> Vec<usize> {
    let (blocks, bad) = painted_blocks(app).await;
    assert_eq!(
        bad,
        Vec::<String>::new(),
        "marks whose text is not their span"
    );
    for (start, end, held) in &blocks {
        assert_eq!(
            held,
            &union_within(spans, *start, *end),
            "highlighted code points of the block at {start}"
        );
    }
    blocks.iter().map(|b| b.0).collect()
}

#[test]
fn many_annotations_paint_near_the_viewport_and_where_the_reader_scrolls() {
    run("lazy_paint", |app| async move {
        let text = canonical_text();
        let len = text.chars().count();
        let spans = spans(len);
        app.open_app().await;
        app.set_local_storage(&storage_key(), &envelope(&spans))
            .await;
        app.reload().await;
        app.wait_js(
            "highlights in the first screen",
            "return document.querySelector('article[aria-label=\"Document\"] mark') !== null;",
            vec![],
        )
        .await;
        let painted = check_painted(&app, &spans).await;
        let article_text =
            "return document.querySelector('article[aria-label=\"Document\"]').textContent;";
        assert_eq!(app.js(article_text, vec![]).await, json!(text));
        let last_block: usize = app
            .js(
                "return +[...document.querySelectorAll('article [data-block]')].pop().getAttribute('data-block');",
                vec![],
            )
            .await
            .as_u64()
            .expect("last block") as usize;
        assert!(
            !painted.is_empty() && !painted.contains(&last_block),
            "painted {painted:?}: the first screen, not the last block at {last_block}"
        );

        // Scrolled to the end, the last block gets its highlights; the text never changed.
        app.js(
            "[...document.querySelectorAll('article [data-block]')].pop().scrollIntoView({ block: 'center', behavior: 'instant' });",
            vec![],
        )
        .await;
        app.wait_js(
            "highlights in the last block",
            "return [...document.querySelectorAll('article [data-block]')].pop().querySelector('mark') !== null;",
            vec![],
        )
        .await;
        let painted = check_painted(&app, &spans).await;
        assert!(painted.contains(&last_block));
        assert_eq!(app.js(article_text, vec![]).await, json!(text));
        app.screenshot("lazy-paint-end").await;
    });
}
