//! End-to-end sharing tests: Export JSON, Import JSON into a fresh profile, hostile and foreign files.
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use e2e_support::{
    canonical_text, document_iri, import_file, numbered_paragraph, run, slice, storage_key,
    wait_dialog, words, App,
};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};

/// What Export JSON must call its file: the document's slug, then `-annotations.json`.
const EXPORT_NAME: &str =
    "informal-interactive-dialogue-of-the-68th-session-of-the-annotations.json";

/// The note typed into the first annotation's panel textarea.
const NOTE: &str = "Prevention first — compare ¶6.";

/// The 32 code points before `start` and after `end` (fewer at the edges of the text).
fn context(start: usize, end: usize) -> (String, String) {
    let len = canonical_text().chars().count();
    (
        slice(start.saturating_sub(32), start),
        slice(end, (end + 32).min(len)),
    )
}

/// ISO 8601 UTC with milliseconds and `Z`, as W3C files carry `created`/`modified`.
fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_else(|| panic!("{ms} is not a time"))
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

fn is_urn_uuid(s: &str) -> bool {
    s.strip_prefix("urn:uuid:").is_some_and(|u| {
        let parts: Vec<&str> = u.split('-').collect();
        parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
            && parts
                .iter()
                .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
    })
}

/// The label of a built-in tag id (tagging bodies carry labels).
fn tag_label(id: &str) -> String {
    r2p_annotator::core::tags::default_tags()
        .into_iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no built-in tag with id {id:?}"))
        .label
}

/// A field of a stored annotation as a string (empty if absent).
fn text(v: &Value, field: &str) -> String {
    v[field].as_str().unwrap_or_default().to_string()
}

/// Checks one exported item against the annotation stored in localStorage.
fn check_item(item: &Value, stored: &Value) {
    let id = text(stored, "id");
    let what = format!("exported item for {id}: {item:#}");
    assert_eq!(
        item["id"],
        json!(format!("urn:uuid:{id}")),
        "id of the {what}"
    );
    assert_eq!(item["type"], json!("Annotation"), "type of the {what}");
    assert!(
        item["motivation"].as_str().is_some_and(|m| !m.is_empty()),
        "motivation of the {what}"
    );
    for (field, want) in [
        ("created", &stored["created"]),
        ("modified", &stored["modified"]),
    ] {
        let ms = want
            .as_i64()
            .unwrap_or_else(|| panic!("stored {field} is not milliseconds: {stored}"));
        assert_eq!(item[field], json!(iso(ms)), "{field} of the {what}");
    }

    let bodies: Vec<Value> = match &item["body"] {
        Value::Array(b) => b.clone(),
        Value::Null => Vec::new(),
        one => vec![one.clone()],
    };
    let mut tagging: Vec<String> = bodies
        .iter()
        .filter(|b| b["purpose"] == "tagging")
        .map(|b| {
            assert_eq!(
                b["type"],
                json!("TextualBody"),
                "a tagging body of the {what}"
            );
            text(b, "value")
        })
        .collect();
    tagging.sort();
    let mut want_tags: Vec<String> = stored["tags"]
        .as_array()
        .expect("stored tags")
        .iter()
        .map(|t| tag_label(t.as_str().expect("tag id")))
        .collect();
    want_tags.sort();
    assert_eq!(tagging, want_tags, "tagging bodies (labels) of the {what}");
    let commenting: Vec<&Value> = bodies
        .iter()
        .filter(|b| b["purpose"] == "commenting")
        .collect();
    let note = text(stored, "note");
    if note.is_empty() {
        assert!(
            commenting.is_empty(),
            "no commenting body expected in the {what}"
        );
    } else {
        assert_eq!(
            commenting,
            vec![
                &json!({"type": "TextualBody", "purpose": "commenting", "value": note, "format": "text/plain"})
            ],
            "the commenting body of the {what}"
        );
    }

    let (start, end) = (
        stored["start"].as_u64().expect("start") as usize,
        stored["end"].as_u64().expect("end") as usize,
    );
    let (prefix, suffix) = context(start, end);
    let target = &item["target"];
    assert_eq!(
        target["source"],
        json!(document_iri()),
        "target.source of the {what}"
    );
    assert_eq!(
        target["selector"],
        json!([
            {"type": "TextQuoteSelector", "exact": stored["quote"], "prefix": prefix, "suffix": suffix},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ]),
        "target.selector of the {what}"
    );
}

/// The dialog's buttons as (label, enabled).
fn buttons(dialog: &Value) -> Vec<(String, bool)> {
    dialog["buttons"]
        .as_array()
        .expect("buttons")
        .iter()
        .map(|b| {
            (
                b[0].as_str().unwrap_or_default().to_string(),
                b[1] == json!(true),
            )
        })
        .collect()
}

/// Waits until the dialog shows an enabled button `label`, then clicks it.
async fn click_dialog_button(app: &App, name: &str, label: &str) {
    app.wait_for(
        &format!("an enabled {label:?} button in the dialog for {name}"),
        || async {
            let d = wait_dialog(app, name).await;
            if buttons(&d).contains(&(label.to_string(), true)) {
                Ok(())
            } else {
                Err(format!("its buttons are {:?}", buttons(&d)))
            }
        },
    )
    .await;
    app.client
        .find(Locator::XPath(&format!(
            "//*[@role='dialog'][.//h2[normalize-space(.)='Import from {name}']]\
             //button[normalize-space(.)='{label}']"
        )))
        .await
        .unwrap_or_else(|_| panic!("no {label:?} button in the dialog"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {label:?}: {e}"));
}

/// Waits until no import dialog for `name` is displayed.
async fn wait_dialog_closed(app: &App, name: &str) {
    app.wait_js(
        "the import dialog to close",
        "const norm = s => s.replace(/\\s+/g, ' ').trim();\
         return ![...document.querySelectorAll('[role=\"dialog\"]')].some(e => {\
           const h = e.querySelector('h2');\
           return h && norm(h.textContent) === arguments[0] && e.getClientRects().length; });",
        vec![json!(format!("Import from {name}"))],
    )
    .await;
}

/// The value of the panel's Note textarea for annotation `id`.
async fn panel_note(app: &App, id: &str) -> Option<String> {
    // The current item shows the note in its text area; the others show it as text.
    app.js(
        "const li = document.querySelector(`li[data-annotation-id=\"${arguments[0]}\"]`);\
         if (!li) return null;\
         const t = li.querySelector('textarea[aria-label=\"Note\"]');\
         if (t) return t.value;\
         const p = li.querySelector('.note-text');\
         return p ? p.textContent : '';",
        vec![json!(id)],
    )
    .await
    .as_str()
    .map(str::to_string)
}

/// What the first browser exported and stored, for the second one to compare with.
struct Exported {
    file: PathBuf,
    stored: Vec<Value>,
}

#[test]
fn export_then_import_into_a_fresh_profile() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let exported: Mutex<Option<Exported>> = Mutex::new(None);

    run("export", |app| {
        let (exported, dir) = (&exported, tmp.path());
        async move {
            app.open_app().await;
            let (p4, p4_end) = numbered_paragraph(4);
            let (a0, a1) = words(p4, p4_end, 3, 8);
            let a = app.annotate_by_drag(a0, a1, "Pillar II").await;
            let id_a = text(&a, "id");
            app.click_picker_tag("Prevention").await;
            app.wait_pressed("Prevention", true).await;
            app.escape().await;
            let (p6, p6_end) = numbered_paragraph(6);
            let (b0, b1) = words(p6, p6_end, 2, 5);
            let b = app.annotate_by_drag(b0, b1, "Pillar I").await;
            let id_b = text(&b, "id");
            app.escape().await;
            app.wait_panel_ids(&[&id_a, &id_b]).await;

            // The note field belongs to the current item: select the first annotation from the
            // list, then type; the note saves when the field loses focus (its change event).
            app.client
                .find(Locator::Css(&format!(
                    "li[data-annotation-id=\"{id_a}\"] button.go"
                )))
                .await
                .expect("the first annotation's button.go")
                .click()
                .await
                .expect("select the first annotation");
            app.wait_current(&id_a).await;
            let area = app
                .client
                .find(Locator::Css(&format!(
                    "li[data-annotation-id=\"{id_a}\"] textarea[aria-label=\"Note\"]"
                )))
                .await
                .expect("a Note textarea in the first annotation's li");
            area.click().await.expect("focus the note");
            area.send_keys(NOTE).await.expect("type the note");
            app.press(&[Key::Tab.into()]).await;
            app.wait_for("the note to be stored", || async {
                let list = app.stored_annotations().await;
                match list.iter().find(|x| x["id"] == json!(id_a)) {
                    Some(x) if x["note"] == json!(NOTE) => Ok(()),
                    other => Err(format!("stored: {other:?}")),
                }
            })
            .await;
            let stored = app.wait_stored_count(2).await;

            app.button("Export JSON")
                .await
                .click()
                .await
                .expect("click Export JSON");
            let bytes = app.wait_download(EXPORT_NAME).await;
            let file: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{EXPORT_NAME} is not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            });

            assert_eq!(file["@context"], json!("http://www.w3.org/ns/anno.jsonld"));
            assert_eq!(file["type"], json!("AnnotationCollection"));
            assert!(
                file["id"].as_str().is_some_and(is_urn_uuid),
                "collection id must be urn:uuid:…, got {}",
                file["id"]
            );
            assert!(
                file["label"].as_str().is_some_and(|l| !l.trim().is_empty()),
                "collection label: {}",
                file["label"]
            );
            assert_eq!(file["total"], json!(2), "total");
            let page = &file["first"];
            assert_eq!(page["type"], json!("AnnotationPage"), "first.type");
            assert!(
                page["id"].as_str().is_some_and(|s| !s.is_empty()),
                "first.id"
            );
            assert_eq!(page["startIndex"], json!(0), "first.startIndex");
            let items = page["items"].as_array().expect("first.items is an array");
            assert_eq!(items.len(), 2, "first.items");
            for s in &stored {
                let want = json!(format!("urn:uuid:{}", text(s, "id")));
                let item = items
                    .iter()
                    .find(|i| i["id"] == want)
                    .unwrap_or_else(|| panic!("no exported item has id {want}"));
                check_item(item, s);
            }

            let path = dir.join(EXPORT_NAME);
            std::fs::write(&path, &bytes).expect("keep the exported file");
            *exported.lock().unwrap() = Some(Exported { file: path, stored });
        }
    });

    let Exported { file, stored } = exported.into_inner().unwrap().expect("the export ran");
    run("import_fresh_profile", |app| async move {
        app.open_app().await;
        assert_eq!(
            app.stored_annotations().await,
            Vec::<Value>::new(),
            "a fresh profile"
        );
        assert_eq!(
            app.marks().await,
            Vec::<Vec<String>>::new(),
            "a fresh profile"
        );

        import_file(&app, &file).await;
        let dialog = wait_dialog(&app, EXPORT_NAME).await;
        eprintln!("[e2e] first import: {dialog}");
        let items = dialog["items"].as_array().expect("items");
        assert!(
            items.contains(&json!("2 new")),
            "the dialog's counts: {items:?}"
        );
        click_dialog_button(&app, EXPORT_NAME, "Import").await;
        wait_dialog_closed(&app, EXPORT_NAME).await;
        app.wait_status(&format!("Imported 2 annotations from {EXPORT_NAME}."))
            .await;

        let mut by_position: Vec<&Value> = stored.iter().collect();
        by_position.sort_by_key(|s| s["start"].as_u64());
        let ids: Vec<String> = by_position.iter().map(|s| text(s, "id")).collect();
        let noted = stored
            .iter()
            .find(|s| s["note"] == json!(NOTE))
            .map(|s| text(s, "id"))
            .expect("the annotation with the note");
        for s in &stored {
            let id = text(s, "id");
            app.wait_mark_with(&[&id]).await;
            assert_eq!(
                app.marked_text(&id).await,
                text(s, "quote"),
                "marked text of {id}"
            );
        }
        app.wait_panel_ids(&[&ids[0], &ids[1]]).await;
        assert_eq!(
            panel_note(&app, &noted).await.as_deref(),
            Some(NOTE),
            "the note in the panel"
        );
        let now = app.wait_stored_count(2).await;
        for was in &stored {
            let is = now
                .iter()
                .find(|x| x["id"] == was["id"])
                .unwrap_or_else(|| panic!("{} is not stored after the import", was["id"]));
            for field in [
                "id", "start", "end", "quote", "tags", "note", "created", "modified",
            ] {
                assert_eq!(
                    is[field], was[field],
                    "{field} after the round trip: {is} vs {was}"
                );
            }
        }
        app.screenshot("imported").await;

        // The same file again changes nothing.
        import_file(&app, &file).await;
        let again = wait_dialog(&app, EXPORT_NAME).await;
        eprintln!("[e2e] second import: {again}");
        let items = again["items"].as_array().expect("items");
        for line in ["0 new", "2 unchanged"] {
            assert!(
                items.contains(&json!(line)),
                "expected {line:?} among {items:?}"
            );
        }
        let b = buttons(&again);
        assert!(
            b.contains(&("Nothing to import".to_string(), false)),
            "a disabled \"Nothing to import\" button; buttons: {b:?}"
        );
        assert!(
            !b.iter().any(|(l, _)| l == "Import"),
            "no Import button; buttons: {b:?}"
        );
        click_dialog_button(&app, EXPORT_NAME, "Cancel").await;
        wait_dialog_closed(&app, EXPORT_NAME).await;

        // One Undo takes the whole import back.
        app.button("Undo").await.click().await.expect("click Undo");
        for id in &ids {
            app.wait_no_mark_with(id).await;
        }
        app.wait_stored_count(0).await;
        app.wait_panel_ids(&[]).await;
    });
}

#[test]
fn malformed_files_change_nothing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    run("malformed", |app| {
        let dir = tmp.path();
        async move {
            app.open_app().await;
            let (p, p_end) = numbered_paragraph(5);
            let (s, e) = words(p, p_end, 1, 4);
            let a = app.annotate_by_drag(s, e, "Pillar III").await;
            let id = text(&a, "id");
            app.escape().await;
            let storage = app.local_storage().await;
            assert!(storage.contains_key(&storage_key()), "stored: {storage:?}");
            let marks = app.marks().await;

            for (name, contents) in [
                ("not-json.json", "{not json"),
                ("empty.json", ""),
                ("thing.json", "{\"type\":\"Thing\"}"),
            ] {
                let path = dir.join(name);
                std::fs::write(&path, contents).expect("write the file");
                import_file(&app, &path).await;
                let alert = app.wait_alert(&format!("Could not import {name}:")).await;
                eprintln!("[e2e] {name}: {alert}");
                assert!(
                    alert.ends_with("Nothing was changed."),
                    "the alert for {name} must end with \"Nothing was changed.\": {alert:?}"
                );
                let dialogs = app
                    .js(
                        "return [...document.querySelectorAll('[role=\"dialog\"] h2')]\
                         .filter(h => h.getClientRects().length).map(h => h.textContent);",
                        vec![],
                    )
                    .await;
                assert_eq!(dialogs, json!([]), "no import dialog for {name}");
                assert_eq!(
                    app.local_storage().await,
                    storage,
                    "localStorage after {name}"
                );
                assert_eq!(app.marks().await, marks, "highlights after {name}");
            }
            app.wait_panel_ids(&[&id]).await;
            app.screenshot("alert").await;
        }
    });
}

#[test]
fn foreign_recogito_file_anchors_by_quote() {
    const NAME: &str = "recogito-array.json";
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(NAME);
    run("recogito", |app| async move {
        app.open_app().await;
        import_file(&app, &fixture).await;
        let dialog = wait_dialog(&app, NAME).await;
        eprintln!("[e2e] foreign file: {dialog}");
        assert!(
            dialog["text"].as_str().is_some_and(|t| t.contains("different document")),
            "the dialog must say the file's annotations were made on a different document: {dialog}"
        );
        let b = buttons(&dialog);
        assert!(
            !b.iter().any(|(l, _)| l == "Import"),
            "no Import before anchoring: {b:?}"
        );
        click_dialog_button(&app, NAME, "Anchor by quote anyway").await;
        let anchored = wait_dialog(&app, NAME).await;
        eprintln!("[e2e] anchored by quote: {anchored}");
        let items = anchored["items"].as_array().expect("items");
        assert!(
            items.iter().any(|i| i
                .as_str()
                .is_some_and(|t| t.starts_with("1 could not be placed"))),
            "\"1 could not be placed …\" among {items:?}"
        );
        click_dialog_button(&app, NAME, "Import").await;
        wait_dialog_closed(&app, NAME).await;
        let status = app
            .wait_js(
                "a role=status saying \"Imported N annotations from recogito-array.json.\"",
                "return [...document.querySelectorAll('[role=\"status\"]')]\
                 .map(e => e.textContent.replace(/\\s+/g, ' ').trim())\
                 .find(t => /^Imported \\d+ annotations? from /.test(t) && t.endsWith(arguments[0])) || null;",
                vec![json!(format!(" from {NAME}."))],
            )
            .await;
        eprintln!("[e2e] status: {status}");

        let quotes = [
            "prevention is at the heart of the responsibility to protect",
            "ASEAN could focus on providing regional support for the prevention of atrocity crimes",
        ];
        let placed: Vec<String> = app
            .wait_for("2 highlighted annotations", || async {
                let mut ids: Vec<String> = app.marks().await.concat();
                ids.sort();
                ids.dedup();
                if ids.len() == 2 {
                    Ok(ids)
                } else {
                    Err(format!("marks list {ids:?}"))
                }
            })
            .await;
        let mut texts = Vec::new();
        for id in &placed {
            texts.push(app.marked_text(id).await);
        }
        texts.sort();
        let mut want: Vec<String> = quotes.iter().map(|q| q.to_string()).collect();
        want.sort();
        assert_eq!(texts, want, "the marked passages");
        app.wait_js(
            "a heading \"Not placed (1)\" in the panel",
            "return [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]\
             .some(h => h.textContent.replace(/\\s+/g, ' ').trim() === 'Not placed (1)');",
            vec![],
        )
        .await;
        app.screenshot("anchored").await;
    });
}

/// The import report is a modal dialog: Tab and Shift+Tab cycle inside it, Escape closes it, and
/// focus goes back to where it was before it opened.
#[test]
fn import_report_keeps_focus_inside_and_gives_it_back() {
    run("modal_focus", |app| async move {
        app.open_app().await;
        let item = json!([{
            "type": "Annotation",
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Pillar I"}],
            "target": {"selector": {"type": "TextQuoteSelector", "exact": "civil society organizations"}}
        }]);
        // Focus on Export JSON, then paste a file's text (the app reads JSON pasted outside fields).
        app.js(
            "const b = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Export JSON');\
             b.focus();\
             const dt = new DataTransfer(); dt.setData('text/plain', arguments[0]);\
             b.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: dt }));",
            vec![json!(item.to_string())],
        )
        .await;
        wait_dialog(&app, "pasted text").await;
        // Where focus is: "inside" the dialog, or the element outside it.
        let place = || async {
            app.js(
                "const d = document.querySelector('[role=\"dialog\"][aria-modal=\"true\"]');\
                 const a = document.activeElement;\
                 return d && d.contains(a) ? 'inside' : (a ? a.tagName + ' ' + a.textContent.trim().slice(0, 40) : 'none');",
                vec![],
            )
            .await
        };
        assert_eq!(place().await, json!("inside"), "the report takes focus");
        for i in 0..8 {
            app.press(&[Key::Tab.into()]).await;
            assert_eq!(place().await, json!("inside"), "after Tab #{}", i + 1);
        }
        for i in 0..8 {
            app.press_with(&[Key::Shift], &[Key::Tab.into()]).await;
            assert_eq!(place().await, json!("inside"), "after Shift+Tab #{}", i + 1);
        }
        app.press(&[Key::Escape.into()]).await;
        app.wait_js(
            "the report to close",
            "return !document.querySelector('[role=\"dialog\"][aria-modal=\"true\"]');",
            vec![],
        )
        .await;
        assert_eq!(
            place().await,
            json!("BUTTON Export JSON"),
            "focus goes back to where it was when the dialog opened"
        );
    });
}
