//! End-to-end tests: the built app (dist/) in headless Chromium, driven like a person would.
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use e2e_support::{
    document_id, numbered_paragraph, run, slice, storage_key, words, App, BLANK_PAGE,
};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};

/// Checks the stored annotation's shape and that its offsets, quote and tags agree.
fn check_stored(ann: &Value, start: usize, end: usize, tags: &[&str]) -> String {
    let id = ann["id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| panic!("stored annotation has no id: {ann}"))
        .to_string();
    let got = (ann["start"].as_u64(), ann["end"].as_u64());
    assert_eq!(
        got,
        (Some(start as u64), Some(end as u64)),
        "stored start/end (code points) of {ann}; expected the text {:?}",
        slice(start, end)
    );
    assert_eq!(
        ann["quote"].as_str(),
        Some(slice(start, end).as_str()),
        "stored quote must be the canonical text's code points [start, end)"
    );
    assert_eq!(ann["tags"], json!(tags), "stored tags of {id}");
    for field in ["note", "created", "modified"] {
        assert!(
            ann.get(field).is_some(),
            "stored annotation lacks {field:?}: {ann}"
        );
    }
    id
}

/// The id of the built-in tag with this label (the picker's buttons are named by label).
fn tag_id(label: &str) -> String {
    r2p_annotator::core::tags::default_tags()
        .into_iter()
        .find(|t| t.label == label)
        .unwrap_or_else(|| panic!("no built-in tag labelled {label:?}"))
        .id
}

/// Every `<mark>` (and styled `[data-s]` run) in the article must span exactly the code points
/// its `data-s` and `data-e` name.
async fn check_run_offsets(app: &App) {
    let bad = app
        .js(
            "const a = document.querySelector('article[aria-label=\"Document\"]');\
             const runs = [...a.querySelectorAll('[data-s], mark')];\
             const bad = [];\
             for (const el of runs) {\
               const r = document.createRange(); r.setStart(a, 0); r.setEnd(el, 0);\
               const at = [...r.toString()].length, end = at + [...el.textContent].length;\
               if (String(at) !== el.getAttribute('data-s') || String(end) !== el.getAttribute('data-e')\
                   || !/^(SPAN|MARK)$/.test(el.tagName))\
                 bad.push(el.tagName + ' data-s=' + el.getAttribute('data-s') + ' data-e=' + el.getAttribute('data-e')\
                          + ' holds ' + at + '..' + end);\
             }\
             return bad.slice(0, 5);",
            vec![],
        )
        .await;
    assert_eq!(
        bad,
        json!([]),
        "runs must be <span|mark data-s=S data-e=E> holding code points S..E"
    );
}

#[test]
fn mouse_drag_tags_pillar_two_and_survives_reload() {
    run("mouse_drag", |app| async move {
        app.open_app().await;
        assert_eq!(app.client.title().await.expect("title"), "R2P Annotator");
        check_run_offsets(&app).await;

        let (p_start, p_end) = numbered_paragraph(4);
        let (start, end) = words(p_start, p_end, 3, 6);
        let selected = app.drag_select(start, end).await;
        assert_eq!(selected, slice(start, end), "what the drag selected");
        let picker = app.wait_picker().await;
        for label in ["Pillar I", "Pillar II", "Pillar III", "Prevention"] {
            picker
                .find(Locator::Css(&format!("button[aria-label=\"{label}\"]")))
                .await
                .unwrap_or_else(|_| panic!("the tag picker has no button[aria-label={label:?}]"));
        }
        app.screenshot("picker").await;

        app.click_picker_tag("Pillar II").await;
        let ann = app.wait_new_annotation(&[]).await;
        let id = check_stored(&ann, start, end, &["pillar-2"]);
        assert_eq!(
            ann["quote"].as_str(),
            Some(selected.as_str()),
            "the stored quote differs from what the drag selected"
        );
        app.wait_mark_with(&[&id]).await;
        assert_eq!(app.marked_text(&id).await, slice(start, end));
        app.wait_panel_ids(&[&id]).await;
        check_run_offsets(&app).await;

        // The live region says what happened.
        let status = app
            .wait_js(
                "a role=status message naming Pillar II",
                "const s = [...document.querySelectorAll('[role=\"status\"]')]\
                 .map(e => e.textContent).join(' | ');\
                 return s.includes('Pillar II') ? s : null;",
                vec![],
            )
            .await;
        eprintln!("[e2e] status after tagging: {status}");

        // The picker stays open on the new annotation, its buttons now toggles.
        app.wait_pressed("Pillar II", true).await;
        app.wait_pressed("Pillar I", false).await;
        app.click_picker_tag("Prevention").await;
        app.wait_pressed("Prevention", true).await;
        app.wait_stored_tags(&id, &["pillar-2", &tag_id("Prevention")])
            .await;
        app.click_picker_tag("Prevention").await;
        app.wait_pressed("Prevention", false).await;
        app.wait_stored_tags(&id, &["pillar-2"]).await;

        // The envelope, under the key named by the text's own hash.
        let storage = app.local_storage().await;
        let keys: Vec<&String> = storage
            .keys()
            .filter(|k| k.starts_with("r2p-annotator:v1:annotations:"))
            .collect();
        assert_eq!(
            keys,
            vec![&storage_key()],
            "annotation keys in localStorage"
        );
        let env: Value = serde_json::from_str(&storage[&storage_key()]).expect("stored JSON");
        assert_eq!(env["schema"], json!(1));
        assert_eq!(env["app"], json!("r2p-annotator"));
        assert_eq!(env["document"], json!(document_id()));
        assert!(
            env["deleted"].is_object(),
            "deleted must be an object: {env}"
        );
        assert!(
            env["customTags"].is_array(),
            "customTags must be an array: {env}"
        );

        app.screenshot("tagged").await;

        app.reload().await;
        app.wait_mark_with(&[&id]).await;
        app.wait_panel_ids(&[&id]).await;
        assert_eq!(app.marked_text(&id).await, slice(start, end));
        let after = app.stored_annotations().await;
        assert_eq!(after.len(), 1, "storage after reload: {after:?}");
        check_stored(&after[0], start, end, &["pillar-2"]);
        app.screenshot("reloaded").await;
    });
}

#[test]
fn keyboard_only_flow() {
    run("keyboard_only", |app| async move {
        app.open_app().await;
        // Reach the article with Tab alone.
        let mut tabs = 0;
        loop {
            let on_article = app
                .js(
                    "return document.activeElement === \
                     document.querySelector('article[aria-label=\"Document\"]');",
                    vec![],
                )
                .await;
            if on_article == json!(true) {
                break;
            }
            tabs += 1;
            assert!(
                tabs <= 40,
                "40 presses of Tab never focused <article aria-label=\"Document\" tabindex=\"0\">"
            );
            app.press(&[Key::Tab.into()]).await;
        }
        eprintln!("[e2e] the article was reached with {tabs} Tab press(es)");

        let right: char = Key::Right.into();
        app.press(&[right; 3]).await;
        app.press_with(&[Key::Shift], &[right; 10]).await;
        app.press(&['2']).await;

        let ann = app.wait_new_annotation(&[]).await;
        let id = check_stored(&ann, 3, 13, &["pillar-2"]);
        app.wait_mark_with(&[&id]).await;
        assert_eq!(app.marked_text(&id).await, slice(3, 13));
        app.wait_panel_ids(&[&id]).await;
        app.screenshot("tagged").await;
    });
}

#[test]
fn overlapping_annotations_stay_reachable() {
    run("overlap", |app| async move {
        app.open_app().await;
        let (p_start, p_end) = numbered_paragraph(5);
        let long = words(p_start, p_end, 1, 9);
        let short = words(p_start, p_end, 4, 6);
        let a = app.annotate_by_drag(long.0, long.1, "Pillar I").await;
        let long_id = check_stored(&a, long.0, long.1, &["pillar-1"]);
        app.escape().await;
        let b = app.annotate_by_drag(short.0, short.1, "Pillar III").await;
        let short_id = check_stored(&b, short.0, short.1, &["pillar-3"]);
        app.escape().await;

        app.wait_mark_with(&[&long_id, &short_id]).await;
        app.wait_panel_ids(&[&long_id, &short_id]).await;
        assert_eq!(app.marked_text(&long_id).await, slice(long.0, long.1));
        assert_eq!(app.marked_text(&short_id).await, slice(short.0, short.1));
        check_run_offsets(&app).await;
        app.screenshot("overlap").await;

        // A point inside the overlap selects the shorter annotation…
        app.click_char((short.0 + short.1) / 2).await;
        app.wait_current(&short_id).await;
        // …and a point covered by the longer one alone selects the longer.
        app.click_char(long.0 + 1).await;
        app.wait_current(&long_id).await;
        // Back in the overlap: the shorter again.
        app.click_char(short.0 + 1).await;
        app.wait_current(&short_id).await;
        app.screenshot("selected").await;

        // The side panel's "go" button selects its annotation too.
        app.client
            .find(Locator::Css(&format!(
                "li[data-annotation-id=\"{long_id}\"] button.go"
            )))
            .await
            .expect("a button.go in the long annotation's li")
            .click()
            .await
            .expect("click go");
        app.wait_current(&long_id).await;
    });
}

#[test]
fn delete_then_undo() {
    run("delete_undo", |app| async move {
        app.open_app().await;
        let (p_start, p_end) = numbered_paragraph(6);
        let (start, end) = words(p_start, p_end, 2, 4);
        let ann = app.annotate_by_drag(start, end, "Pillar I").await;
        let id = check_stored(&ann, start, end, &["pillar-1"]);
        app.escape().await;
        app.wait_panel_ids(&[&id]).await;

        let delete = app
            .client
            .find(Locator::Css(&format!(
                "li[data-annotation-id=\"{id}\"] button[aria-label=\"Delete annotation\"]"
            )))
            .await
            .expect("a Delete annotation button in the annotation's li");
        delete.click().await.expect("click Delete annotation");
        expect_gone(&app, &id).await;
        // A tombstone keeps another tab's merge from bringing it back.
        let env: Value =
            serde_json::from_str(&app.stored_raw().await.expect("main key")).expect("JSON");
        assert!(
            env["deleted"].get(&id).is_some_and(Value::is_number),
            "deleted must hold {id}: millis after a delete; envelope: {env}"
        );

        app.button("Undo").await.click().await.expect("click Undo");
        expect_back(&app, &id, start, end).await;

        // The same history with the keyboard, focus on the article.
        app.js(
            "document.querySelector('article[aria-label=\"Document\"]').focus();",
            vec![],
        )
        .await;
        app.press_with(&[Key::Control, Key::Shift], &['z']).await;
        expect_gone(&app, &id).await;
        app.press_with(&[Key::Control], &['z']).await;
        expect_back(&app, &id, start, end).await;
        app.press_with(&[Key::Control], &['y']).await;
        expect_gone(&app, &id).await;
        // The Redo button exists too (Ctrl+Shift+Z and Ctrl+Y were its keyboard twins).
        app.button("Redo").await;
        app.press_with(&[Key::Control], &['z']).await;
        expect_back(&app, &id, start, end).await;
    });
}

async fn expect_gone(app: &App, id: &str) {
    app.wait_no_mark_with(id).await;
    app.wait_panel_ids(&[]).await;
    app.wait_for(&format!("{id} to leave localStorage"), || async {
        let ids = app.stored_ids().await;
        if ids.iter().any(|x| x == id) {
            Err(format!("stored ids: {ids:?}"))
        } else {
            Ok(())
        }
    })
    .await;
}

async fn expect_back(app: &App, id: &str, start: usize, end: usize) {
    app.wait_mark_with(&[id]).await;
    app.wait_panel_ids(&[id]).await;
    let list = app.wait_stored_count(1).await;
    assert_eq!(check_stored(&list[0], start, end, &["pillar-1"]), id);
}

#[test]
fn corrupt_storage_is_backed_up_and_app_still_works() {
    run("corrupt_storage", |app| async move {
        app.open_app().await;
        // Seed the damage from a same-origin page where the app is not running.
        app.goto(BLANK_PAGE).await;
        app.set_local_storage(&storage_key(), "{not json").await;
        app.open_app().await;

        let alert = app
            .wait_js(
                "a displayed role=alert saying the saved annotations are damaged",
                "const t = [...document.querySelectorAll('[role=\"alert\"]')]\
                 .filter(e => e.getClientRects().length > 0)\
                 .map(e => e.textContent).join(' | ');\
                 return /damaged|could not be read/i.test(t) ? t : null;",
                vec![],
            )
            .await;
        eprintln!("[e2e] alert: {alert}");
        app.screenshot("alert").await;

        let prefix = format!("r2p-annotator:backup:{}:", document_id());
        let backups = |storage: &std::collections::HashMap<String, String>| {
            let mut b: Vec<(String, String)> = storage
                .iter()
                .filter(|(k, _)| k.starts_with(&prefix))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            b.sort();
            b
        };
        let before = backups(&app.local_storage().await);
        assert!(
            before.iter().any(|(_, v)| v == "{not json"),
            "no {prefix}… key holds the raw value; backups: {before:?}"
        );
        assert_eq!(app.marks().await, Vec::<Vec<String>>::new(), "starts empty");
        assert_eq!(app.panel().await.0, Vec::<String>::new(), "starts empty");

        let (p_start, p_end) = numbered_paragraph(7);
        let (start, end) = words(p_start, p_end, 2, 5);
        let selected = app.drag_select(start, end).await;
        assert_eq!(selected, slice(start, end), "what the drag selected");
        app.click_picker_tag("Pillar II").await;
        let list = app.wait_stored_count(1).await;
        let id = check_stored(&list[0], start, end, &["pillar-2"]);
        app.wait_mark_with(&[&id]).await;
        let raw = app.stored_raw().await.expect("main key");
        let env: Value = serde_json::from_str(&raw)
            .unwrap_or_else(|e| panic!("main key is not JSON after annotating ({e}): {raw}"));
        assert_eq!(env["annotations"].as_array().map(Vec::len), Some(1));
        assert_eq!(
            backups(&app.local_storage().await),
            before,
            "the backup must stay untouched"
        );
    });
}

#[test]
fn two_tabs_both_keep_their_annotations() {
    run("two_tabs", |app| async move {
        app.open_app().await;
        let tab_a = app.client.window().await.expect("window handle");
        let tab_b = app
            .client
            .new_window(false)
            .await
            .expect("new window")
            .handle;
        app.client
            .switch_to_window(tab_b.clone())
            .await
            .expect("switch to B");
        app.open_app().await;

        app.client
            .switch_to_window(tab_a.clone())
            .await
            .expect("switch to A");
        let (p_start, p_end) = numbered_paragraph(8);
        let (a0, a1) = words(p_start, p_end, 2, 5);
        let a = app.annotate_by_drag(a0, a1, "Pillar I").await;
        let id_a = check_stored(&a, a0, a1, &["pillar-1"]);

        app.client
            .switch_to_window(tab_b.clone())
            .await
            .expect("switch to B");
        let (p_start, p_end) = numbered_paragraph(9);
        let (b0, b1) = words(p_start, p_end, 2, 5);
        let b = app.annotate_by_drag(b0, b1, "Pillar III").await;
        let id_b = check_stored(&b, b0, b1, &["pillar-3"]);

        for (tab, name) in [(tab_b, "tab_b"), (tab_a, "tab_a")] {
            app.client.switch_to_window(tab).await.expect("switch tab");
            eprintln!("[e2e] checking {name}");
            let stored = app.wait_stored_count(2).await;
            let ids: Vec<&str> = stored.iter().filter_map(|x| x["id"].as_str()).collect();
            assert_eq!(
                ids,
                vec![id_a.as_str(), id_b.as_str()],
                "{name}: stored ids"
            );
            app.wait_mark_with(&[&id_a]).await;
            app.wait_mark_with(&[&id_b]).await;
            app.wait_panel_ids(&[&id_a, &id_b]).await;
            app.screenshot(name).await;
        }
    });
}
