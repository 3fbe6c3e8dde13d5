//! End-to-end persistence tests: notes saved as typed (tab closed, page reloaded at once), a
//! document left with a pending change, hostile imports (empty id, future dates), a damaged
//! library index.
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use e2e_support::{
    canonical_text, drop_file, import_file, numbered_paragraph, open_listed, paste_document, run,
    slice, storage_key, wait_dialog, word_range, words, App, BLANK_PAGE,
};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const LIBRARY_KEY: &str = "r2p-annotator:v1:library";
const BACKUP_PREFIX: &str = "r2p-annotator:backup:";
const SUMMARY_TITLE: &str = "President's Summary: R2P dialogue, 8 September 2014";
/// How long the app waits after a change before it saves (the pending window under test).
const SAVE_DELAY: Duration = Duration::from_millis(250);

/// The key holding a document's annotations.
fn annotations_key(doc: &str) -> String {
    format!("r2p-annotator:v1:annotations:{doc}")
}

/// Milliseconds since the Unix epoch on this machine (the browser runs on the same clock).
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as i64
}

/// The stored envelope under `key`, parsed (panics when it is absent or not JSON).
fn envelope(storage: &HashMap<String, String>, key: &str) -> Value {
    let raw = storage
        .get(key)
        .unwrap_or_else(|| panic!("nothing stored under {key}; keys: {:?}", storage.keys()));
    serde_json::from_str(raw).unwrap_or_else(|e| panic!("{key} is not JSON ({e}): {raw}"))
}

/// The stored annotation `id` under `key`, if both are there.
async fn stored_annotation(app: &App, key: &str, id: &str) -> Option<Value> {
    let raw = app.local_storage().await.remove(key)?;
    let env: Value = serde_json::from_str(&raw).ok()?;
    env["annotations"]
        .as_array()?
        .iter()
        .find(|a| a["id"] == id)
        .cloned()
}

/// Waits until the default document's annotation `id` is stored with exactly this note.
async fn wait_stored_note(app: &App, id: &str, note: &str) {
    app.wait_for(
        &format!("{id} to be stored with the note {note:?}"),
        || async {
            match stored_annotation(app, &storage_key(), id).await {
                Some(a) if a["note"] == note => Ok(()),
                other => Err(format!("stored: {other:?}")),
            }
        },
    )
    .await
}

/// The note a side-panel item shows when it is not the current one.
async fn shown_note(app: &App, id: &str) -> Value {
    app.js(
        "const li = document.querySelector(`li[data-annotation-id=\"${arguments[0]}\"]`);\
         const p = li && li.querySelector('.note-text');\
         return p ? p.textContent : null;",
        vec![json!(id)],
    )
    .await
}

/// Texts of the displayed, non-empty role=alert regions.
async fn alerts(app: &App) -> Value {
    app.js(
        "return [...document.querySelectorAll('[role=\"alert\"]')]\
         .filter(a => a.getClientRects().length)\
         .map(a => a.textContent.replace(/\\s+/g, ' ').trim()).filter(t => t);",
        vec![],
    )
    .await
}

/// An element of the page, found by CSS (panics when it is absent).
async fn field(app: &App, css: &str) -> fantoccini::elements::Element {
    app.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css} in the page"))
}

/// Writes a W3C file of `items` into `dir` and returns its path.
fn w3c_file(dir: &Path, name: &str, items: Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, items.to_string()).expect("write the import file");
    path
}

/// An annotation item tagged `label`, anchored only by its quote `exact`.
fn item(id: &str, label: &str, exact: &str) -> Value {
    assert_eq!(
        canonical_text().matches(exact).count(),
        1,
        "{exact:?} must occur once in the summary"
    );
    json!({
        "type": "Annotation",
        "id": id,
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": label}],
        "target": {"selector": {"type": "TextQuoteSelector", "exact": exact}},
    })
}

/// Imports `path` and returns the import dialog's contents as it showed before confirming.
async fn import_and_confirm(app: &App, path: &Path, imported: usize) -> Value {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("file name");
    import_file(app, path).await;
    let dialog = wait_dialog(app, name).await;
    eprintln!("[e2e] import dialog: {dialog}");
    app.button("Import")
        .await
        .click()
        .await
        .expect("click Import");
    let s = if imported == 1 { "" } else { "s" };
    app.wait_status(&format!("Imported {imported} annotation{s} from {name}."))
        .await;
    dialog
}

const CLOSED_NOTE: &str = "Typed, then the tab closed — keep every word of ¶7.";

#[test]
fn note_typed_then_tab_closed_is_kept() {
    run("note_tab_closed", |app| async move {
        app.open_app().await;
        let (p, p_end) = numbered_paragraph(7);
        let (s, e) = words(p, p_end, 2, 6);
        let ann = app.annotate_by_drag(s, e, "Pillar II").await;
        let id = ann["id"].as_str().expect("id").to_string();
        // A second tab keeps the WebDriver session alive once the app's tab is closed.
        let app_tab = app.client.window().await.expect("window handle");
        let spare = app.client.new_window(true).await.expect("new tab").handle;
        app.client
            .switch_to_window(app_tab)
            .await
            .expect("back to the app's tab");
        let area = field(&app, "textarea[aria-label=\"Note on this passage\"]").await;
        area.click().await.expect("focus the picker's note");
        area.send_keys(CLOSED_NOTE).await.expect("type the note");
        let typed = Instant::now();
        let before = stored_annotation(&app, &storage_key(), &id).await;
        app.client
            .close_window()
            .await
            .expect("close the app's tab");
        let closed = typed.elapsed();
        eprintln!(
            "[e2e] note_tab_closed: tab closed {} ms after the last key; stored note just before: {}",
            closed.as_millis(),
            before.as_ref().map_or(Value::Null, |a| a["note"].clone())
        );
        if before.is_some_and(|a| a["note"] == CLOSED_NOTE) || closed >= SAVE_DELAY {
            eprintln!(
                "[e2e] note_tab_closed: WARNING the note may have been saved by the delayed save, \
                 not by closing the tab"
            );
        }

        app.client
            .switch_to_window(spare)
            .await
            .expect("switch to the spare tab");
        app.goto(BLANK_PAGE).await;
        wait_stored_note(&app, &id, CLOSED_NOTE).await;
        app.open_app().await;
        app.wait_panel_ids(&[&id]).await;
        assert_eq!(
            shown_note(&app, &id).await,
            json!(CLOSED_NOTE),
            "the note in the side panel after reopening"
        );
    });
}

const RELOAD_NOTE: &str = "Saved as typed, reloaded at once.";
const MORE_NOTE: &str = " Then edited and left.";

#[test]
fn note_typed_then_immediate_reload_is_kept() {
    run("note_reload", |app| async move {
        app.open_app().await;
        let (p, p_end) = numbered_paragraph(5);
        let (s, e) = words(p, p_end, 1, 4);
        let ann = app.annotate_by_drag(s, e, "Pillar III").await;
        let id = ann["id"].as_str().expect("id").to_string();
        let quote = slice(s, e);
        assert!(quote.chars().count() < 40, "a quote the status shows whole");
        // The new annotation is the current list item: its note field is there.
        let panel_note = format!("li[data-annotation-id=\"{id}\"] textarea[aria-label=\"Note\"]");
        let area = field(&app, &panel_note).await;
        area.send_keys(RELOAD_NOTE).await.expect("type the note");
        let typed = Instant::now();
        let before = stored_annotation(&app, &storage_key(), &id).await;
        app.client.refresh().await.expect("reload");
        eprintln!(
            "[e2e] note_reload: reload sent {} ms after the last key; stored note just before: {}",
            typed.elapsed().as_millis(),
            before.map_or(Value::Null, |a| a["note"].clone())
        );
        app.wait_until_rendered().await;
        wait_stored_note(&app, &id, RELOAD_NOTE).await;
        app.wait_panel_ids(&[&id]).await;
        assert_eq!(
            shown_note(&app, &id).await,
            json!(RELOAD_NOTE),
            "the note in the side panel after the reload"
        );

        // Leaving the field announces the note once.
        field(&app, &format!("li[data-annotation-id=\"{id}\"] button.go"))
            .await
            .click()
            .await
            .expect("select the annotation");
        app.wait_current(&id).await;
        field(&app, &panel_note)
            .await
            .send_keys(MORE_NOTE)
            .await
            .expect("type more");
        app.press(&[Key::Tab.into()]).await;
        app.wait_status(&format!("Saved the note on “{quote}”."))
            .await;
        wait_stored_note(&app, &id, &format!("{RELOAD_NOTE}{MORE_NOTE}")).await;
    });
}

#[test]
fn empty_id_import_does_not_lock_out() {
    const VALID: &str = "7d0c3b9e-1f0a-4c55-8a61-3e2b9c4d5f60";
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = w3c_file(
        tmp.path(),
        "empty-id.json",
        json!([
            item("urn:uuid:", "Pillar III", "civil society organizations"),
            item(
                &format!("urn:uuid:{VALID}"),
                "Pillar II",
                "regional and sub-regional organizations"
            ),
        ]),
    );
    run("empty_id_import", |app| async move {
        app.open_app().await;
        let dialog = import_and_confirm(&app, &path, 1).await;
        let items: Vec<&str> = dialog["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for line in ["1 new", "1 rejected"] {
            assert!(items.contains(&line), "{line:?} among {items:?}");
        }
        assert!(
            items.iter().any(|i| i.starts_with("Item 1, id:")),
            "the first item must be rejected for its id: {items:?}"
        );
        app.wait_mark_with(&[VALID]).await;
        app.wait_stored_count(1).await;

        // One more edit after the import, then a reload.
        let (p, p_end) = numbered_paragraph(3);
        let (s, e) = words(p, p_end, 2, 4);
        let mine = app.annotate_by_drag(s, e, "Pillar I").await;
        let mine = mine["id"].as_str().expect("id").to_string();
        app.escape().await;
        app.wait_panel_ids(&[&mine, VALID]).await;
        app.reload().await;

        app.wait_panel_ids(&[&mine, VALID]).await;
        app.wait_mark_with(&[VALID]).await;
        app.wait_mark_with(&[&mine]).await;
        assert_eq!(alerts(&app).await, json!([]), "alerts after the reload");
        let storage = app.local_storage().await;
        let env = envelope(&storage, &storage_key());
        let ids: Vec<&str> = env["annotations"]
            .as_array()
            .expect("annotations")
            .iter()
            .map(|a| a["id"].as_str().unwrap_or_default())
            .collect();
        assert!(ids.iter().all(|id| !id.is_empty()), "stored ids: {ids:?}");
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        let mut want = vec![mine.as_str(), VALID];
        want.sort_unstable();
        assert_eq!(sorted, want, "stored ids");
        let backups: Vec<&String> = storage
            .keys()
            .filter(|k| k.starts_with(BACKUP_PREFIX))
            .collect();
        assert!(backups.is_empty(), "nothing was damaged: {backups:?}");
    });
}

#[test]
fn future_dated_annotation_can_be_deleted() {
    const ID: &str = "5b1e9c70-2a4d-4f8e-9c3b-7a6d5e4f3a21";
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut future = item(
        &format!("urn:uuid:{ID}"),
        "Pillar I",
        "national resilience to atrocity crimes",
    );
    future["created"] = json!("2099-01-01T00:00:00Z");
    future["modified"] = json!("2099-01-01T00:00:00Z");
    let path = w3c_file(tmp.path(), "future.json", json!([future]));
    run("future_dated", |app| async move {
        let started = now_ms();
        app.open_app().await;
        let dialog = import_and_confirm(&app, &path, 1).await;
        app.wait_panel_ids(&[ID]).await;
        let stored = app.wait_stored_count(1).await;
        for what in ["created", "modified"] {
            let t = stored[0][what].as_i64().expect("stored time in ms");
            assert!(
                (started - 60_000..=now_ms() + 5 * 60_000).contains(&t),
                "stored {what} {t} must be clamped to about now ({started}): {}",
                stored[0]
            );
        }

        field(&app, &format!("li[data-annotation-id=\"{ID}\"] button.go"))
            .await
            .click()
            .await
            .expect("select the annotation");
        app.wait_current(ID).await;
        field(
            &app,
            &format!("li[data-annotation-id=\"{ID}\"] button[aria-label=\"Delete annotation\"]"),
        )
        .await
        .click()
        .await
        .expect("click Delete");
        for reloaded in [false, true] {
            if reloaded {
                app.reload().await;
            }
            app.wait_panel_ids(&[]).await;
            app.wait_no_mark_with(ID).await;
            app.wait_for("the annotation deleted in storage", || async {
                let env = envelope(&app.local_storage().await, &storage_key());
                let left = env["annotations"].as_array().map_or(0, Vec::len);
                if left == 0 && env["deleted"][ID].is_i64() {
                    Ok(())
                } else {
                    Err(format!("stored: {env}"))
                }
            })
            .await;
        }

        // Checked last, so that a missing mention does not hide the checks above.
        let items = dialog["items"].as_array().expect("items");
        assert!(
            items
                .iter()
                .filter_map(Value::as_str)
                .any(|i| i.starts_with("1 ") && ["future", "clock"].iter().any(|w| i.contains(w))),
            "the import report must count 1 annotation dated in the future, set to now: {dialog}"
        );
    });
}

/// The backup key of a damaged value: scope, then the first 8 bytes of the SHA-256 of its
/// UTF-16 code units (little-endian), computed here independently of the app.
fn backup_key(scope: &str, value: &str) -> String {
    let bytes: Vec<u8> = value.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let hex: String = Sha256::digest(&bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{BACKUP_PREFIX}{scope}:{hex}")
}

const DRILL_TXT: &str = "Persistence drill\n\nStates protect populations from atrocity crimes.\n";
const DRILL_TITLE: &str = "Persistence drill";

#[test]
fn damaged_library_is_backed_up_and_reported() {
    const DAMAGED: &str = "{broken";
    run("damaged_library", |app| async move {
        app.goto(BLANK_PAGE).await;
        app.set_local_storage(LIBRARY_KEY, DAMAGED).await;
        app.open_app().await;
        let key = backup_key("library", DAMAGED);
        let alert = app
            .wait_js(
                "a displayed role=alert saying the list of documents is damaged",
                "return [...document.querySelectorAll('[role=\"alert\"]')]\
                 .filter(a => a.getClientRects().length)\
                 .map(a => a.textContent.replace(/\\s+/g, ' ').trim())\
                 .find(t => /list of documents/i.test(t) && /damaged/i.test(t)) || null;",
                vec![],
            )
            .await;
        eprintln!("[e2e] damaged_library: {alert}");
        assert!(
            alert.as_str().is_some_and(|t| t.contains(&key)),
            "the alert must name the backup key {key}: {alert}"
        );
        let library_backups = |storage: &HashMap<String, String>| {
            let mut b: Vec<(String, String)> = storage
                .iter()
                .filter(|(k, _)| k.starts_with(&format!("{BACKUP_PREFIX}library:")))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            b.sort();
            b
        };
        let want = vec![(key.clone(), DAMAGED.to_string())];
        assert_eq!(
            library_backups(&app.local_storage().await),
            want,
            "library backups"
        );

        paste_document(&app, DRILL_TXT).await;
        app.wait_status(&format!("Opened “{DRILL_TITLE}”.")).await;
        let storage = app.local_storage().await;
        let lib = envelope(&storage, LIBRARY_KEY);
        let docs = lib["documents"].as_array().expect("documents");
        assert_eq!(docs.len(), 1, "library: {lib}");
        assert_eq!(docs[0]["title"], json!(DRILL_TITLE), "library: {lib}");
        assert_eq!(lib["current"], docs[0]["id"], "library: {lib}");
        let source = format!(
            "r2p-annotator:v1:document:{}",
            docs[0]["id"].as_str().expect("id")
        );
        assert_eq!(storage.get(&source).map(String::as_str), Some(DRILL_TXT));
        assert_eq!(
            library_backups(&storage),
            want,
            "the backup stays untouched"
        );
    });
}

/// Tags the picker's pending selection with Pillar II, then at once opens the summary from the
/// Documents menu, and watches the left document's key: all in one script, so that the switch
/// happens within the save delay. Returns the new id, the ms from the tag to the switch and to
/// the write, and the stored value before and after.
const TAG_THEN_SWITCH: &str = r#"
return (async () => {
  const [key, title] = arguments;
  const t0 = performance.now();
  const tick = () => new Promise(r => setTimeout(r, 0));
  const until = async (what, f) => {
    let v;
    while (!(v = f())) {
      if (performance.now() - t0 > 3000) throw new Error('timed out waiting for ' + what);
      await tick();
    }
    return v;
  };
  const has = id => {
    try { return JSON.parse(localStorage.getItem(key)).annotations.some(a => a.id === id); }
    catch (e) { return false; }
  };
  document.querySelector('[role="dialog"][aria-label="Tag selection"] button[aria-label="Pillar II"]').click();
  const li = await until('the new annotation in the panel',
    () => document.querySelector('ul[aria-label="Annotations"] li[data-annotation-id]'));
  const id = li.getAttribute('data-annotation-id');
  const before = localStorage.getItem(key);
  [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Documents').click();
  const open = await until('the summary in the Documents dialog',
    () => [...document.querySelectorAll('[role="dialog"][aria-label="Documents"] li.doc button.open')]
            .find(b => b.textContent.trim() === title));
  open.click();
  const switched = performance.now() - t0;
  await until('the summary to open',
    () => !document.querySelector('ul[aria-label="Annotations"] li[data-annotation-id]'));
  let saved = null;
  while (performance.now() - t0 < 2000) {
    if (has(id)) { saved = performance.now() - t0; break; }
    await tick();
  }
  return { id, switched, saved, before, after: localStorage.getItem(key) };
})();
"#;

#[test]
fn switching_documents_saves_the_pending_change() {
    run("switch_pending", |app| async move {
        app.open_app().await;
        paste_document(&app, DRILL_TXT).await;
        let lib = envelope(&app.local_storage().await, LIBRARY_KEY);
        let doc = lib["current"]
            .as_str()
            .expect("the pasted document is current");
        let key = annotations_key(doc);
        let text = DRILL_TXT.trim_end();
        let (s, e) = word_range(text, 0, text.chars().count(), 2, 4);
        let selected = app.drag_select(s, e).await;
        assert_eq!(
            selected, "States protect populations",
            "what the drag selected"
        );
        app.wait_picker().await;

        let r = app
            .js(TAG_THEN_SWITCH, vec![json!(key), json!(SUMMARY_TITLE)])
            .await;
        eprintln!("[e2e] switch_pending: {r}");
        let id = r["id"].as_str().expect("the new annotation's id");
        let switched = r["switched"].as_f64().expect("ms to the switch");
        assert!(
            switched < SAVE_DELAY.as_millis() as f64,
            "the switch came {switched} ms after the tag: too late to test a pending change"
        );
        assert!(
            r["saved"].is_number(),
            "the left document's annotation must be written when the summary opens: {r}"
        );
        let after: Value =
            serde_json::from_str(r["after"].as_str().expect("stored")).expect("JSON");
        let stored = after["annotations"].as_array().expect("annotations");
        assert_eq!(stored.len(), 1, "stored under {key}: {after}");
        assert_eq!(stored[0]["quote"], json!(selected), "stored: {after}");
        assert_eq!(stored[0]["tags"], json!(["pillar-2"]), "stored: {after}");

        app.wait_until_rendered().await;
        assert_eq!(
            app.marks().await,
            Vec::<Vec<String>>::new(),
            "summary marks"
        );
        // Back to the document left: its annotation is there.
        open_listed(&app, DRILL_TITLE).await;
        app.wait_mark_with(&[id]).await;
        assert_eq!(app.marked_text(id).await, selected);
    });
}

const DROPPED_MD: &str = "# Dropped after pasting\n\nA second document, dropped on the page.\n";

/// Dropping a file after another document was opened in this session keeps both listed (the
/// drop handler once rebuilt the list from the library as it was when the page loaded).
#[test]
fn dropping_a_file_keeps_documents_opened_earlier() {
    run("drop_keeps_library", |app| async move {
        app.open_app().await;
        paste_document(&app, DRILL_TXT).await;
        app.wait_status(&format!("Opened “{DRILL_TITLE}”.")).await;
        assert!(
            drop_file(&app, "dropped.md", "text/markdown", DROPPED_MD).await,
            "the app takes the dropped file"
        );
        app.wait_status("Opened “Dropped after pasting”.").await;
        let titles = app
            .wait_for("both documents in the stored library", || async {
                let lib = envelope(&app.local_storage().await, LIBRARY_KEY);
                let titles: Vec<String> = lib["documents"]
                    .as_array()
                    .map(|d| {
                        d.iter()
                            .filter_map(|e| e["title"].as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                if titles.len() == 2 {
                    Ok(titles)
                } else {
                    Err(format!("library: {lib}"))
                }
            })
            .await;
        assert_eq!(
            titles,
            ["Dropped after pasting", DRILL_TITLE],
            "newest first"
        );
        // After a reload the dropped document is open again, and the pasted one can be opened.
        app.client.refresh().await.expect("reload");
        app.wait_js(
            "the dropped document to open again after the reload",
            "const a = document.querySelector('article[aria-label=\"Document\"]');\
             return !!a && a.textContent.startsWith('Dropped after pasting');",
            vec![],
        )
        .await;
        open_listed(&app, DRILL_TITLE).await;
        app.wait_status(&format!("Opened “{DRILL_TITLE}”.")).await;
    });
}
