//! End-to-end document library tests: opening .md/.txt files, separate annotations, limits, removal, report.
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use std::path::Path;
use std::time::{Duration, Instant};

use e2e_support::{
    canonical_text, document_id, drop_file, numbered_paragraph, open_documents, open_listed, run,
    storage_key, word_range, words, App,
};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const LIBRARY_KEY: &str = "r2p-annotator:v1:library";
const SUMMARY_TITLE: &str = "President's Summary: R2P dialogue, 8 September 2014";

/// The key holding a user document's source.
fn document_key(id: &str) -> String {
    format!("r2p-annotator:v1:document:{id}")
}

/// The key holding a document's annotations.
fn annotations_key(id: &str) -> String {
    format!("r2p-annotator:v1:annotations:{id}")
}

/// SHA-256 hex of a text, computed here independently of the app.
fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Code points `[start, end)` of `text`.
fn cp_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Code-point range of the first occurrence of `needle` in `text`.
fn find_cp(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in the text"));
    let start = text[..at].chars().count();
    (start, start + needle.chars().count())
}

/// Writes `contents` to `dir/name` and returns the path.
fn write_file(dir: &Path, name: &str, contents: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
    path
}

/// The article's `textContent`, if the article is there.
async fn article_text(app: &App) -> Option<String> {
    app.js(
        "const a = document.querySelector('article[aria-label=\"Document\"]');\
         return a ? a.textContent : null;",
        vec![],
    )
    .await
    .as_str()
    .map(String::from)
}

/// Waits until the article's `textContent` is exactly `want`.
async fn wait_text(app: &App, want: &str) {
    app.wait_for("the article to show the expected document", || async {
        match article_text(app).await {
            Some(got) if got == want => Ok(()),
            Some(got) => {
                let at = got
                    .chars()
                    .zip(want.chars())
                    .position(|(a, b)| a != b)
                    .unwrap_or(got.chars().count().min(want.chars().count()));
                Err(format!(
                    "textContent ({} code points) differs at {at}: page {:?}, expected {:?}",
                    got.chars().count(),
                    got.chars().skip(at).take(40).collect::<String>(),
                    want.chars().skip(at).take(40).collect::<String>()
                ))
            }
            None => Err("no <article aria-label=\"Document\">".into()),
        }
    })
    .await
}

/// The Documents dialog's rows: (title of button.open, aria-current of that button).
async fn listed(app: &App) -> Vec<(String, Option<String>)> {
    let v = app
        .js(
            "const d = document.querySelector('[role=\"dialog\"][aria-label=\"Documents\"]');\
             return [...d.querySelectorAll('li.doc button.open')]\
               .map(b => [b.textContent.trim(), b.getAttribute('aria-current')]);",
            vec![],
        )
        .await;
    v.as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap_or_default().to_string(),
                r[1].as_str().map(String::from),
            )
        })
        .collect()
}

/// Picks `path` in the Documents dialog's file input.
async fn pick_file(app: &App, path: &Path) {
    open_documents(app).await;
    let input = app
        .client
        .find(Locator::Css(
            "[role=\"dialog\"][aria-label=\"Documents\"] input[type=\"file\"][aria-label=\"Open a document\"]",
        ))
        .await
        .expect("an <input type=file aria-label=\"Open a document\"> in the Documents dialog");
    let accept = input
        .attr("accept")
        .await
        .expect("accept")
        .unwrap_or_default();
    for ext in [".txt", ".md"] {
        assert!(
            accept.split(',').any(|a| a.trim() == ext),
            "the file input's accept={accept:?} lacks {ext}"
        );
    }
    input
        .send_keys(path.to_str().expect("UTF-8 path"))
        .await
        .unwrap_or_else(|e| panic!("cannot pick {}: {e}", path.display()));
}

/// The parsed library index.
async fn library(app: &App) -> Value {
    let raw = app
        .local_storage()
        .await
        .remove(LIBRARY_KEY)
        .unwrap_or_else(|| panic!("nothing stored under {LIBRARY_KEY}"));
    serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{LIBRARY_KEY} is not JSON ({e}): {raw}"))
}

/// The annotations stored for document `id` (empty when none).
async fn stored(app: &App, id: &str) -> Vec<Value> {
    app.local_storage()
        .await
        .remove(&annotations_key(id))
        .and_then(|raw| serde_json::from_str::<Value>(&raw).ok())
        .and_then(|v| v["annotations"].as_array().cloned())
        .unwrap_or_default()
}

/// Waits until document `id` has an annotation whose id is not in `known`, and returns it.
async fn wait_new(app: &App, id: &str, known: &[String]) -> Value {
    app.wait_for(
        &format!("a new annotation under {}", annotations_key(id)),
        || async {
            let list = stored(app, id).await;
            list.iter()
                .find(|a| !known.iter().any(|k| a["id"] == k.as_str()))
                .cloned()
                .ok_or_else(|| format!("stored: {list:?}"))
        },
    )
    .await
}

/// Ids of the annotations stored for document `id`.
async fn stored_ids(app: &App, id: &str) -> Vec<String> {
    stored(app, id)
        .await
        .iter()
        .filter_map(|a| a["id"].as_str().map(String::from))
        .collect()
}

/// Checks the stored annotation's offsets, quote and tags against `text`; returns its id.
fn check_ann(ann: &Value, text: &str, (start, end): (usize, usize), tags: &[&str]) -> String {
    assert_eq!(
        (ann["start"].as_u64(), ann["end"].as_u64()),
        (Some(start as u64), Some(end as u64)),
        "stored start/end of {ann}; expected the text {:?}",
        cp_slice(text, start, end)
    );
    assert_eq!(
        ann["quote"].as_str(),
        Some(cp_slice(text, start, end).as_str()),
        "stored quote"
    );
    assert_eq!(ann["tags"], json!(tags), "stored tags of {ann}");
    ann["id"].as_str().expect("annotation id").to_string()
}

/// Every annotation id any `<mark>` in the article lists.
async fn mark_ids(app: &App) -> Vec<String> {
    let mut ids: Vec<String> = app.marks().await.into_iter().flatten().collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Drags over `[start, end)` of `text`, clicks `label` in the picker, and returns the new
/// annotation stored for document `doc` (after its `<mark>` shows the quote).
async fn annotate(
    app: &App,
    doc: &str,
    text: &str,
    (start, end): (usize, usize),
    label: &str,
) -> Value {
    let known = stored_ids(app, doc).await;
    let selected = app.drag_select(start, end).await;
    assert_eq!(
        selected,
        cp_slice(text, start, end),
        "what the drag selected"
    );
    app.click_picker_tag(label).await;
    let ann = wait_new(app, doc, &known).await;
    let id = ann["id"].as_str().expect("id").to_string();
    app.wait_mark_with(&[&id]).await;
    assert_eq!(app.marked_text(&id).await, selected, "the new mark's text");
    ann
}

/// The selection's anchor and focus as code-point offsets in the article, when it is inside.
async fn caret(app: &App) -> Option<(usize, usize)> {
    let v = app
        .js(
            "const a = document.querySelector('article[aria-label=\"Document\"]');\
             const s = getSelection();\
             if (!a || !s.rangeCount || !a.contains(s.focusNode) || !a.contains(s.anchorNode)) return null;\
             const at = (n, o) => { const r = document.createRange(); r.setStart(a, 0); r.setEnd(n, o);\
                                    return [...r.toString()].length; };\
             return [at(s.anchorNode, s.anchorOffset), at(s.focusNode, s.focusOffset)];",
            vec![],
        )
        .await;
    Some((v[0].as_u64()? as usize, v[1].as_u64()? as usize))
}

/// Presses Tab until the article has focus.
async fn tab_to_article(app: &App) {
    for _ in 0..60 {
        let on = app
            .js(
                "return document.activeElement === \
                 document.querySelector('article[aria-label=\"Document\"]');",
                vec![],
            )
            .await;
        if on == json!(true) {
            return;
        }
        app.press(&[Key::Tab.into()]).await;
    }
    panic!("60 presses of Tab never focused <article aria-label=\"Document\">");
}

/// Waits until the Report view is up and returns its groups: (h2, quotes of its items).
async fn report_groups(app: &App) -> Vec<(String, Vec<String>)> {
    let v = app
        .wait_js(
            "<main class=\"report\" aria-label=\"Report\">",
            "const m = document.querySelector('main.report[aria-label=\"Report\"]');\
             if (!m) return null;\
             return [...m.querySelectorAll('section.group')].map(s => [\
               s.querySelector('h2').textContent.trim(),\
               [...s.querySelectorAll('li')].map(li => li.querySelector('q').textContent)]);",
            vec![],
        )
        .await;
    serde_json::from_value(v).expect("groups as [h2, [quotes]]")
}

/// The Markdown lesson of the first test: title, h2, bullets, emphasis, raw HTML, Arabic, Chinese.
const LESSON_MD: &str = "# Lesson on protection\n\
\n\
## Why it **matters** now\n\
\n\
- First point with *emphasis*\n\
- Second point with **strong** words and `code`\n\
\n\
3. Third, numbered\n\
4. Fourth\n\
\n\
<script>alert(1)</script> stays text, and so does <img src=x onerror=alert(2)>.\n\
\n\
حماية السكان مسؤولية كل دولة\n\
\n\
保护责任是每个国家的首要责任，国际社会应当提供协助🌍🤝团结一致。\n\
\n\
Last line.\n";

/// What the article must show for [`LESSON_MD`].
const LESSON_TEXT: &str = "Lesson on protection\n\n\
Why it matters now\n\n\
First point with emphasis\n\n\
Second point with strong words and code\n\n\
Third, numbered\n\n\
Fourth\n\n\
<script>alert(1)</script> stays text, and so does <img src=x onerror=alert(2)>.\n\n\
حماية السكان مسؤولية كل دولة\n\n\
保护责任是每个国家的首要责任，国际社会应当提供协助🌍🤝团结一致。\n\n\
Last line.";

#[test]
fn markdown_file_renders_and_keeps_rtl_and_cjk_annotations() {
    let tmp = tempfile::tempdir().expect("temp dir");
    run("docs_markdown", |app| {
        let dir = tmp.path();
        async move {
            app.open_app().await;
            let path = write_file(dir, "lesson.md", LESSON_MD.as_bytes());
            pick_file(&app, &path).await;
            wait_text(&app, LESSON_TEXT).await;
            app.wait_status("Opened “Lesson on protection”.").await;

            // Structure: h1, h2, bullets, inline runs, raw HTML as text, dir=auto everywhere.
            let dom = app
                .js(
                    "const a = document.querySelector('article[aria-label=\"Document\"]');\
                     const t = s => [...a.querySelectorAll(s)].map(e => e.textContent);\
                     return { h1: t('h1'), h2: t('h2'), bullets: t('ul > li'), numbered: t('ol > li'),\
                              starts: [...a.querySelectorAll('ol')].map(o => o.getAttribute('start')),\
                              lists: [...a.querySelectorAll('ul, ol')].map(l => l.tagName + ' ' + l.children.length),\
                              em: t('.i-em'), strong: t('.i-strong'), code: t('.i-code'),\
                              elements: [...a.querySelectorAll('script, img, b, iframe, style')].length,\
                              blocks: [...a.children].map(e => [e.tagName, e.getAttribute('dir')]),\
                              rtl: [...a.children].filter(e => e.matches(':dir(rtl)')).map(e => e.textContent) };",
                    vec![],
                )
                .await;
            assert_eq!(dom["h1"], json!(["Lesson on protection"]), "article h1");
            assert_eq!(dom["h2"], json!(["Why it matters now"]), "article h2");
            // Lists are lists: <ul>/<ol> with <li>s; bullets and numbers are the list's, not text.
            assert_eq!(
                dom["bullets"],
                json!([
                    "First point with emphasis",
                    "Second point with strong words and code"
                ]),
                "bulleted list items"
            );
            assert_eq!(
                dom["numbered"],
                json!(["Third, numbered", "Fourth"]),
                "numbered list items"
            );
            assert_eq!(
                dom["starts"],
                json!(["3"]),
                "the numbered list starts where the file does"
            );
            assert_eq!(
                dom["lists"],
                json!(["UL 2", "OL 2"]),
                "one list each, two items each"
            );
            assert_eq!(dom["em"], json!(["emphasis"]), "runs with class i-em");
            assert_eq!(
                dom["strong"],
                json!(["matters", "strong"]),
                "runs with class i-strong"
            );
            assert_eq!(dom["code"], json!(["code"]), "runs with class i-code");
            assert_eq!(
                dom["elements"],
                json!(0),
                "raw HTML from the file must not become elements in the article"
            );
            for b in dom["blocks"].as_array().expect("blocks") {
                assert_eq!(b[1], json!("auto"), "every block has dir=auto: {b}");
            }
            assert_eq!(
                dom["rtl"],
                json!(["حماية السكان مسؤولية كل دولة"]),
                "exactly the Arabic block is right-to-left"
            );

            // Library and identity: the id is the SHA-256 of what the article shows.
            let id = sha256_hex(&article_text(&app).await.expect("article"));
            let lib = library(&app).await;
            assert_eq!(lib["current"], json!(id), "library current: {lib}");
            let docs = lib["documents"].as_array().expect("documents");
            assert_eq!(docs.len(), 1, "library: {lib}");
            assert_eq!(docs[0]["id"], json!(id));
            assert_eq!(docs[0]["title"], json!("Lesson on protection"));
            assert_eq!(docs[0]["format"], json!("markdown"));
            assert_eq!(docs[0]["bytes"], json!(LESSON_MD.len()));
            assert!(docs[0]["added"].is_number(), "added: {lib}");
            assert_eq!(
                app.local_storage()
                    .await
                    .get(&document_key(&id))
                    .map(String::as_str),
                Some(LESSON_MD),
                "the stored source"
            );
            open_documents(&app).await;
            assert_eq!(
                listed(&app).await,
                [
                    (SUMMARY_TITLE.to_string(), None),
                    ("Lesson on protection".to_string(), Some("true".to_string()))
                ],
                "the Documents dialog: summary and the lesson (current)"
            );
            app.button("Documents")
                .await
                .click()
                .await
                .expect("close Documents");

            // Keyboard: Tab to the article; the caret starts at the first block.
            tab_to_article(&app).await;
            assert_eq!(caret(&app).await, Some((0, 0)), "the caret after Tab");
            let arabic = find_cp(LESSON_TEXT, "حماية السكان مسؤولية كل دولة");
            let down: char = Key::Down.into();
            let mut at = 0;
            for _ in 0..20 {
                app.press(&[down]).await;
                at = caret(&app).await.expect("caret").1;
                if (arabic.0..=arabic.1).contains(&at) {
                    break;
                }
            }
            assert!(
                (arabic.0..=arabic.1).contains(&at),
                "ArrowDown never reached the Arabic paragraph {arabic:?} (caret at {at})"
            );
            // The word "مسؤولية": in right-to-left text ArrowLeft goes forward in reading order.
            let word = find_cp(LESSON_TEXT, "مسؤولية");
            eprintln!(
                "[e2e] docs_markdown: ArrowDown put the caret at {at} in the Arabic paragraph \
                 {arabic:?}; the word is {word:?}"
            );
            let (left, right): (char, char) = (Key::Left.into(), Key::Right.into());
            if at < word.0 {
                app.press(&vec![left; word.0 - at]).await;
            } else {
                app.press(&vec![right; at - word.0]).await;
            }
            assert_eq!(
                caret(&app).await,
                Some((word.0, word.0)),
                "caret at the word"
            );
            app.press(&[left]).await;
            assert_eq!(
                caret(&app).await,
                Some((word.0 + 1, word.0 + 1)),
                "ArrowLeft in Arabic must move one code point forward"
            );
            app.press(&[right]).await;
            assert_eq!(caret(&app).await, Some((word.0, word.0)), "ArrowRight back");
            app.press_with(&[Key::Shift], &vec![left; word.1 - word.0])
                .await;
            assert_eq!(caret(&app).await, Some(word), "Shift+ArrowLeft selection");
            app.wait_picker().await;
            app.press(&['1']).await;
            let ann = wait_new(&app, &id, &[]).await;
            let arabic_id = check_ann(&ann, LESSON_TEXT, word, &["pillar-1"]);
            assert_eq!(ann["quote"], json!("مسؤولية"));
            app.wait_mark_with(&[&arabic_id]).await;
            assert_eq!(app.marked_text(&arabic_id).await, "مسؤولية");
            app.escape().await;

            // Mouse: Chinese with emoji in the middle.
            let span = find_cp(LESSON_TEXT, "提供协助🌍🤝团结");
            let ann = annotate(&app, &id, LESSON_TEXT, span, "Pillar II").await;
            let cjk_id = check_ann(&ann, LESSON_TEXT, span, &["pillar-2"]);
            app.escape().await;
            assert_eq!(
                app.local_storage()
                    .await
                    .keys()
                    .filter(|k| k.contains(":annotations:"))
                    .cloned()
                    .collect::<Vec<_>>(),
                [annotations_key(&id)],
                "annotation keys in storage"
            );
            app.screenshot("annotated").await;

            // Reload: the same document, the same marks.
            app.client.refresh().await.expect("reload");
            wait_text(&app, LESSON_TEXT).await;
            app.wait_mark_with(&[&arabic_id]).await;
            app.wait_mark_with(&[&cjk_id]).await;
            assert_eq!(app.marked_text(&arabic_id).await, "مسؤولية");
            assert_eq!(app.marked_text(&cjk_id).await, "提供协助🌍🤝团结");
            assert_eq!(stored(&app, &id).await.len(), 2);
        }
    });
}

/// The plain text pasted in the second test.
const NOTES_TXT: &str = "Notes on prevention\n\nEarly warning lets States act before atrocities occur.\n\nRegional organisations support national efforts.\n";

#[test]
fn pasted_text_and_summary_keep_separate_annotations() {
    run("docs_switch", |app| async move {
        app.open_app().await;
        open_documents(&app).await;
        assert_eq!(
            listed(&app).await,
            [(SUMMARY_TITLE.to_string(), Some("true".to_string()))],
            "a fresh profile lists the summary only, as current"
        );
        app.button("Paste text")
            .await
            .click()
            .await
            .expect("click Paste text");
        let area = app
            .client
            .wait()
            .for_element(Locator::Css("textarea[aria-label=\"Document text\"]"))
            .await
            .expect("<textarea aria-label=\"Document text\">");
        let formats = app
            .js(
                "const s = document.querySelector('select[aria-label=\"Format\"]');\
                 return s ? [s.value, [...s.options].map(o => o.value)] : null;",
                vec![],
            )
            .await;
        assert_eq!(
            formats,
            json!(["plain", ["plain", "markdown"]]),
            "the Format select"
        );
        area.send_keys(NOTES_TXT).await.expect("type the text");
        app.button("Open pasted text")
            .await
            .click()
            .await
            .expect("submit");
        let text = "Notes on prevention\n\nEarly warning lets States act before atrocities occur.\n\nRegional organisations support national efforts.";
        wait_text(&app, text).await;
        app.wait_status("Opened “Notes on prevention”.").await;
        let id = sha256_hex(text);
        let lib = library(&app).await;
        assert_eq!(lib["current"], json!(id), "library: {lib}");
        assert_eq!(
            lib["documents"][0]["format"],
            json!("plain"),
            "library: {lib}"
        );

        let span = find_cp(text, "Early warning");
        let ann = annotate(&app, &id, text, span, "Pillar II").await;
        let notes_id = check_ann(&ann, text, span, &["pillar-2"]);
        app.escape().await;

        // The summary: none of the notes' marks.
        open_listed(&app, SUMMARY_TITLE).await;
        app.wait_until_rendered().await;
        assert!(
            library(&app).await["current"].is_null(),
            "current after opening the summary"
        );
        assert_eq!(
            mark_ids(&app).await,
            Vec::<String>::new(),
            "marks in the summary"
        );
        let summary = canonical_text();
        let (p, p_end) = numbered_paragraph(3);
        let span2 = words(p, p_end, 2, 4);
        let ann = annotate(&app, &document_id(), &summary, span2, "Pillar III").await;
        let summary_id = check_ann(&ann, &summary, span2, &["pillar-3"]);
        app.escape().await;

        // Back to the notes: their mark, not the summary's.
        open_listed(&app, "Notes on prevention").await;
        wait_text(&app, text).await;
        app.wait_mark_with(&[&notes_id]).await;
        assert_eq!(
            mark_ids(&app).await,
            std::slice::from_ref(&notes_id),
            "marks in the notes"
        );
        assert_eq!(app.marked_text(&notes_id).await, "Early warning");

        let notes = stored_ids(&app, &id).await;
        let summ = stored_ids(&app, &document_id()).await;
        assert_eq!(notes, [notes_id], "stored under {}", annotations_key(&id));
        assert_eq!(summ, [summary_id], "stored under {}", storage_key());
    });
}

/// Waits up to `limit` until the article's text has `len` UTF-16 units; returns the time taken.
async fn wait_length(app: &App, len: usize, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let got = app
            .js(
                "const a = document.querySelector('article[aria-label=\"Document\"]');\
                 return a ? a.textContent.length : 0;",
                vec![],
            )
            .await;
        if got == json!(len) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < limit,
            "the article still has {got} UTF-16 units, not {len}, after {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[test]
fn oversized_file_is_refused_and_two_megabytes_work() {
    let tmp = tempfile::tempdir().expect("temp dir");
    run("docs_size", |app| {
        let dir = tmp.path();
        async move {
            app.open_app().await;
            // 50,000,000 bytes: 1,000,000 lines of 49 'a's.
            let line = format!("{}\n", "a".repeat(49));
            let big = write_file(dir, "huge.txt", line.repeat(1_000_000).as_bytes());
            assert_eq!(std::fs::metadata(&big).expect("size").len(), 50_000_000);
            let before = app.local_storage().await;
            pick_file(&app, &big).await;
            assert_eq!(
                app.wait_alert("").await,
                "Could not open huge.txt: it is 50.0 MB; the limit is 5 MB. Nothing was changed."
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert_eq!(
                app.local_storage().await,
                before,
                "storage after the refusal"
            );
            assert_eq!(
                article_text(&app).await.as_deref(),
                Some(canonical_text().as_str()),
                "the summary stays open"
            );
            app.button("Dismiss message")
                .await
                .click()
                .await
                .expect("dismiss");

            // About 2 MB of paragraphs.
            let paragraph = |i: usize| {
                format!(
                    "Paragraph {i} of the long report. {}",
                    "States bear the primary responsibility to protect their populations. "
                        .repeat(5)
                )
                .trim_end()
                .to_string()
            };
            let mut paras = Vec::new();
            let mut bytes = 0;
            while bytes < 2_000_000 {
                let p = paragraph(paras.len() + 1);
                bytes += p.len() + 2;
                paras.push(p);
            }
            let text = paras.join("\n\n");
            let source = format!("{text}\n");
            let path = write_file(dir, "long-report.txt", source.as_bytes());
            let started = Instant::now();
            pick_file(&app, &path).await;
            let shown = wait_length(&app, text.len(), Duration::from_secs(60)).await;
            let opened = started.elapsed();
            eprintln!(
                "[e2e] docs_size: {} bytes, {} paragraphs: text shown {:.2} s after picking \
                 ({:.2} s measured from the first poll)",
                source.len(),
                paras.len(),
                opened.as_secs_f64(),
                shown.as_secs_f64()
            );
            assert!(
                article_text(&app).await.as_deref() == Some(text.as_str()),
                "the 2 MB article's textContent differs from the expected canonical text"
            );
            let status = app
                .js(
                    "return document.querySelector('[role=\"status\"]').textContent;",
                    vec![],
                )
                .await;
            eprintln!("[e2e] docs_size: status after opening: {status}");
            let id = sha256_hex(&text);
            let lib = library(&app).await;
            assert_eq!(lib["current"], json!(id), "library: {lib}");
            // Its first paragraph is too long to be a title: the file name is.
            assert_eq!(
                lib["documents"][0]["title"],
                json!("long-report"),
                "library: {lib}"
            );
            let (s, e) = find_cp(&text, &paragraph(3));
            let span = word_range(&text, s, e, 4, 6);
            let started = Instant::now();
            let ann = annotate(&app, &id, &text, span, "Pillar I").await;
            eprintln!(
                "[e2e] docs_size: a mark in the 2 MB document took {:.2} s (drag to stored mark)",
                started.elapsed().as_secs_f64()
            );
            check_ann(&ann, &text, span, &["pillar-1"]);
        }
    });
}

/// The Markdown document of the removal test.
const DROPPED_MD: &str = "# Dropped lesson\n\nThe Secretary-General reports every year on the responsibility to protect.\n";

#[test]
fn dropped_document_removed_then_restored_with_its_annotations() {
    run("docs_remove", |app| async move {
        app.open_app().await;
        let before = app.local_storage().await;
        // Drop a .md file on the page.
        assert!(
            drop_file(&app, "dropped.md", "text/markdown", DROPPED_MD).await,
            "the app must take the dropped file"
        );
        let text = "Dropped lesson\n\nThe Secretary-General reports every year on the responsibility to protect.";
        wait_text(&app, text).await;
        app.wait_status("Opened “Dropped lesson”.").await;
        let id = sha256_hex(text);
        let span = find_cp(text, "reports every year");
        let ann = annotate(&app, &id, text, span, "Pillar II").await;
        let ann_id = check_ann(&ann, text, span, &["pillar-2"]);
        app.escape().await;
        let saved = app
            .local_storage()
            .await
            .get(&annotations_key(&id))
            .cloned();
        assert!(
            saved.is_some(),
            "annotations saved under {}",
            annotations_key(&id)
        );

        open_documents(&app).await;
        app.button("Remove Dropped lesson")
            .await
            .click()
            .await
            .expect("click Remove");
        let undo = app
            .client
            .wait()
            .for_element(Locator::XPath("//button[normalize-space(.)='Undo remove']"))
            .await
            .expect("an \"Undo remove\" button after removing");
        // The summary is open again; the document is no longer listed or stored.
        app.wait_until_rendered().await;
        open_documents(&app).await;
        assert_eq!(
            listed(&app).await,
            [(SUMMARY_TITLE.to_string(), Some("true".to_string()))],
            "listed after removing"
        );
        let storage = app.local_storage().await;
        let lib: Value = serde_json::from_str(&storage[LIBRARY_KEY]).expect("library JSON");
        assert_eq!(lib["documents"], json!([]), "library after removing: {lib}");
        assert!(
            !storage.contains_key(&document_key(&id)),
            "the source is removed"
        );
        assert_eq!(
            storage.get(&annotations_key(&id)),
            saved.as_ref(),
            "its annotations stay saved"
        );

        undo.click().await.expect("click Undo remove");
        app.wait_status("“Dropped lesson” is back in your documents.")
            .await;
        let lib = library(&app).await;
        assert_eq!(
            lib["documents"][0]["id"],
            json!(id),
            "library after undo: {lib}"
        );
        assert_eq!(
            app.local_storage()
                .await
                .get(&document_key(&id))
                .map(String::as_str),
            Some(DROPPED_MD),
            "the source is back"
        );
        open_listed(&app, "Dropped lesson").await;
        wait_text(&app, text).await;
        app.wait_mark_with(&[&ann_id]).await;
        assert_eq!(app.marked_text(&ann_id).await, "reports every year");
        assert_eq!(mark_ids(&app).await, [ann_id], "marks after undo");
        assert_eq!(
            before
                .keys()
                .filter(|k| k.contains(":annotations:"))
                .count(),
            0,
            "a fresh profile starts without annotations"
        );
    });
}

/// The Markdown document of the report test.
const PRACTICE_MD: &str = "# Report practice\n\n\
States must protect their populations from genocide and war crimes.\n\n\
The international community should help States build capacity.\n\n\
Timely and decisive response may follow when States fail.\n\n\
Early warning systems give time to act.\n";

#[test]
fn name_signs_annotations_and_report_downloads_csv() {
    let tmp = tempfile::tempdir().expect("temp dir");
    run("docs_report", |app| {
        let dir = tmp.path();
        async move {
            app.open_app().await;
            let name = app
                .client
                .find(Locator::Css("input[aria-label=\"Your name\"]"))
                .await
                .expect("<input aria-label=\"Your name\">");
            name.send_keys("Amina Diallo").await.expect("type the name");
            app.press(&[Key::Tab.into()]).await;
            app.wait_status("New annotations will be signed “Amina Diallo”.")
                .await;

            let path = write_file(dir, "practice.md", PRACTICE_MD.as_bytes());
            pick_file(&app, &path).await;
            let text = "Report practice\n\n\
                States must protect their populations from genocide and war crimes.\n\n\
                The international community should help States build capacity.\n\n\
                Timely and decisive response may follow when States fail.\n\n\
                Early warning systems give time to act.";
            wait_text(&app, text).await;
            let id = sha256_hex(text);

            let a = find_cp(text, "protect their populations");
            let ann = annotate(&app, &id, text, a, "Pillar I").await;
            let a_id = check_ann(&ann, text, a, &["pillar-1"]);
            app.click_picker_tag("Prevention").await;
            app.wait_pressed("Prevention", true).await;
            app.escape().await;
            let b = find_cp(text, "help States build capacity");
            let b_id = check_ann(
                &annotate(&app, &id, text, b, "Pillar III").await,
                text,
                b,
                &["pillar-3"],
            );
            app.escape().await;
            let c = find_cp(text, "decisive response");
            let c_id = check_ann(
                &annotate(&app, &id, text, c, "Pillar I").await,
                text,
                c,
                &["pillar-1"],
            );
            app.escape().await;
            let d = find_cp(text, "Early warning systems");
            let d_id = check_ann(
                &annotate(&app, &id, text, d, "Early warning").await,
                text,
                d,
                &["theme-early-warning"],
            );
            app.escape().await;

            let list = app
                .wait_for("A to be stored with Pillar I and Prevention", || async {
                    let list = stored(&app, &id).await;
                    let a = list.iter().find(|x| x["id"] == a_id.as_str()).cloned();
                    match a {
                        Some(a) if a["tags"] == json!(["pillar-1", "theme-prevention"]) => Ok(list),
                        other => Err(format!("A is {other:?}")),
                    }
                })
                .await;
            assert_eq!(list.len(), 4, "stored: {list:?}");
            for x in &list {
                assert_eq!(x["creator"], json!("Amina Diallo"), "creator of {x}");
            }

            // The report: each annotation once, under its first pillar, else its first theme.
            app.button("Report")
                .await
                .click()
                .await
                .expect("click Report");
            let q = |r: (usize, usize)| cp_slice(text, r.0, r.1);
            assert_eq!(
                report_groups(&app).await,
                [
                    ("Pillar I (2)".to_string(), vec![q(a), q(c)]),
                    ("Pillar III (1)".to_string(), vec![q(b)]),
                    ("Early warning (1)".to_string(), vec![q(d)]),
                ],
                "report groups"
            );
            assert_eq!(
                app.js(
                    "return document.querySelectorAll('article[aria-label=\"Document\"]').length;",
                    vec![]
                )
                .await,
                json!(0),
                "the report replaces the document"
            );

            app.button("Download CSV")
                .await
                .click()
                .await
                .expect("click Download CSV");
            let csv = app
                .wait_download("report-practice-report-amina-diallo.csv")
                .await;
            let csv = String::from_utf8(csv).expect("UTF-8 CSV");
            let body = csv
                .strip_prefix('\u{feff}')
                .unwrap_or_else(|| panic!("no BOM: {csv:?}"));
            let lines: Vec<&str> = body.split("\r\n").collect();
            assert_eq!(
                lines[0], "Group,Location,Quote,Tags,Note,Creator,Created,Modified,Start,End",
                "CSV header"
            );
            assert_eq!(lines.last(), Some(&""), "CSV ends with CRLF: {csv:?}");
            assert!(
                !body.replace("\r\n", "").contains('\n'),
                "bare LF in {csv:?}"
            );
            let rows: Vec<Vec<&str>> = lines[1..lines.len() - 1]
                .iter()
                .map(|l| l.split(',').collect())
                .collect();
            let want = [
                ("Pillar I", a, "Pillar I; Prevention", &a_id),
                ("Pillar I", c, "Pillar I", &c_id),
                ("Pillar III", b, "Pillar III", &b_id),
                ("Early warning", d, "Early warning", &d_id),
            ];
            assert_eq!(rows.len(), want.len(), "one row per annotation: {csv:?}");
            for (row, (group, r, tags, ann_id)) in rows.iter().zip(want) {
                let ann = list
                    .iter()
                    .find(|x| x["id"] == ann_id.as_str())
                    .expect("stored");
                assert_eq!(row.len(), 10, "fields of {row:?}");
                assert_eq!(
                    (row[0], row[2], row[3], row[4], row[5]),
                    (group, q(r).as_str(), tags, "", "Amina Diallo"),
                    "row {row:?}"
                );
                assert_eq!(
                    (row[8], row[9]),
                    (r.0.to_string().as_str(), r.1.to_string().as_str())
                );
                assert_eq!(ann["start"], json!(r.0));
            }

            app.button("Download Markdown")
                .await
                .click()
                .await
                .expect("click Download Markdown");
            let md = app
                .wait_download("report-practice-report-amina-diallo.md")
                .await;
            let md = String::from_utf8(md).expect("UTF-8 Markdown");
            assert!(
                md.starts_with("# Annotations: Report practice\n"),
                "Markdown report: {md}"
            );
            assert!(
                md.contains("Student: Amina Diallo"),
                "Markdown report: {md}"
            );
            for r in [a, b, c, d] {
                assert_eq!(
                    md.matches(&format!("“{}”", q(r))).count(),
                    1,
                    "{:?} once in {md}",
                    q(r)
                );
            }

            app.button("Back to the document")
                .await
                .click()
                .await
                .expect("click Back");
            wait_text(&app, text).await;
            assert_eq!(mark_ids(&app).await.len(), 4, "marks after the report");
        }
    });
}

/// The refusal message counts MB as 10^6 bytes and says "the limit is 5 MB", so a file of
/// 5,100,000 bytes ("5.1 MB") is over the limit and must be refused like the 50 MB one.
#[test]
fn limit_is_five_million_bytes_as_the_message_says() {
    let tmp = tempfile::tempdir().expect("temp dir");
    run("docs_limit", |app| {
        let dir = tmp.path();
        async move {
            app.open_app().await;
            // 5,100,000 bytes: "5.1 MB" in the message's own units, over its "limit is 5 MB".
            let line = format!("{}\n", "b".repeat(50));
            let path = write_file(dir, "edge.txt", line.repeat(100_000).as_bytes());
            assert_eq!(std::fs::metadata(&path).expect("size").len(), 5_100_000);
            let before = app.local_storage().await;
            pick_file(&app, &path).await;
            // Whichever comes first: an alert, or the file shown in the article.
            let outcome = app
                .wait_js(
                    "an alert, or the article to change",
                    "const al = [...document.querySelectorAll('[role=\"alert\"] span')]\
                       .map(s => s.textContent.trim()).find(t => t);\
                     if (al) return { alert: al };\
                     const a = document.querySelector('article[aria-label=\"Document\"]');\
                     if (a && a.textContent.length !== arguments[0]) return { opened: a.textContent.length };\
                     return null;",
                    vec![json!(canonical_text().encode_utf16().count())],
                )
                .await;
            let lib = app.local_storage().await.get(LIBRARY_KEY).cloned();
            assert_eq!(
                outcome["alert"].as_str(),
                Some("Could not open edge.txt: it is 5.1 MB; the limit is 5 MB. Nothing was changed."),
                "a 5,100,000-byte file must be refused (got {outcome}; library now {lib:?})"
            );
            assert_eq!(
                app.local_storage().await,
                before,
                "storage after the refusal"
            );
        }
    });
}
