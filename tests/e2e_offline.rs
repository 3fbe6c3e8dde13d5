//! End-to-end offline tests: the app with its server down (service worker), and the single-file edition on file://.
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use std::time::{Duration, Instant};

use e2e_support::{dist_dir, numbered_paragraph, run, slice, words, App, BLANK_PAGE, WAIT};
use serde_json::{json, Value};

/// Waits until a service worker controls the page; reloads once if it did not claim it.
async fn wait_controlled(app: &App) {
    for attempt in 0..2 {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            let controlled = app
                .js(
                    "return !!(navigator.serviceWorker && navigator.serviceWorker.controller);",
                    vec![],
                )
                .await;
            if controlled == json!(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if attempt == 0 {
            eprintln!("[e2e] no controlling service worker after {WAIT:?}: reloading once");
            app.reload().await;
        }
    }
    app.screenshot("timeout").await;
    panic!("navigator.serviceWorker.controller stayed null (is ./sw.js registered and claiming?)");
}

/// Fetches `url` from a new tab (about:blank, outside the service worker's reach) and returns
/// "ok …" or "failed: <error name>: <message>".
async fn fetch_from_new_tab(app: &App, url: &str) -> String {
    let home = app.client.window().await.expect("window handle");
    let tab = app.client.new_window(true).await.expect("new tab").handle;
    app.client
        .switch_to_window(tab)
        .await
        .expect("switch to the new tab");
    let result = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(arguments[0], { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(5000) })\
             .then(r => done('ok ' + r.type), e => done('failed: ' + e.name + ': ' + e.message));",
            vec![json!(url)],
        )
        .await
        .expect("fetch script");
    app.client.close_window().await.expect("close the new tab");
    app.client
        .switch_to_window(home)
        .await
        .expect("switch back to the app");
    result.as_str().unwrap_or_default().to_string()
}

/// Selects `[start, end)` with a mouse drag and presses "2" (Pillar II); returns the new
/// stored annotation once its `<mark>` is shown.
async fn drag_then_two(app: &App, start: usize, end: usize) -> Value {
    let known = app.stored_ids().await;
    let selected = app.drag_select(start, end).await;
    assert_eq!(selected, slice(start, end), "what the drag selected");
    app.wait_picker().await;
    app.press(&['2']).await;
    let ann = app.wait_new_annotation(&known).await;
    assert_eq!(
        (ann["start"].as_u64(), ann["end"].as_u64(), &ann["tags"]),
        (Some(start as u64), Some(end as u64), &json!(["pillar-2"])),
        "the new annotation: {ann}"
    );
    let id = ann["id"].as_str().expect("id").to_string();
    app.wait_mark_with(&[&id]).await;
    ann
}

#[test]
fn service_worker_serves_the_app_with_the_server_down() {
    run("offline_sw", |app| async move {
        app.open_app().await;
        wait_controlled(&app).await;

        // Every file of the build (but the worker itself and the single-file edition) is cached.
        let cached = app
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 (async () => { const urls = [];\
                   for (const k of await caches.keys()) {\
                     for (const r of await (await caches.open(k)).keys()) urls.push(new URL(r.url).pathname);\
                   } return urls; })().then(done, e => done('error: ' + e));",
                vec![],
            )
            .await
            .expect("list the caches");
        let dist = dist_dir();
        let mut missing = Vec::new();
        let mut dirs = vec![dist.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("list dist/") {
                let path = entry.expect("dist entry").path();
                // Dot-entries are build scratch (e.g. trunk's `.stage` while it rebuilds).
                if path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                {
                    continue;
                }
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let rel = path.strip_prefix(&dist).expect("under dist/");
                let url = format!("/{}", rel.to_string_lossy());
                if url != "/sw.js"
                    && url != "/r2p-annotator.html"
                    && !cached.as_array().is_some_and(|c| c.contains(&json!(url)))
                {
                    missing.push(url);
                }
            }
        }
        assert!(
            missing.is_empty(),
            "not precached: {missing:?}; cached: {cached}"
        );

        let (p, p_end) = numbered_paragraph(4);
        let (a0, a1) = words(p, p_end, 3, 6);
        let first = drag_then_two(&app, a0, a1).await;
        let id_a = first["id"].as_str().expect("id").to_string();
        app.escape().await;

        let probe = app.url(BLANK_PAGE);
        let up = fetch_from_new_tab(&app, &probe).await;
        assert!(
            up.starts_with("ok"),
            "with the server up, a new tab's fetch of {probe}: {up}"
        );
        app.stop_server();
        let down = fetch_from_new_tab(&app, &probe).await;
        eprintln!("[e2e] a new tab's fetch of {probe}: {up:?} with the server up, {down:?} down");
        assert!(
            down.starts_with("failed: TypeError"),
            "with the server down, a new tab's fetch of {probe} must fail: {down}"
        );

        app.reload().await;
        app.wait_mark_with(&[&id_a]).await;
        app.wait_panel_ids(&[&id_a]).await;
        app.screenshot("offline").await;

        let (p, p_end) = numbered_paragraph(6);
        let (b0, b1) = words(p, p_end, 2, 5);
        let second = drag_then_two(&app, b0, b1).await;
        let id_b = second["id"].as_str().expect("id").to_string();
        let stored = app.wait_stored_count(2).await;
        let ids: Vec<&str> = stored.iter().filter_map(|a| a["id"].as_str()).collect();
        assert_eq!(
            ids,
            vec![id_a.as_str(), id_b.as_str()],
            "stored ids offline"
        );
    });
}

#[test]
fn single_file_edition_works_from_file_url() {
    run("single_file", |app| async move {
        // No server at all: everything must come from the one file.
        app.stop_server();
        let file = dist_dir()
            .join("r2p-annotator.html")
            .canonicalize()
            .expect("dist/r2p-annotator.html exists");
        let url = format!("file://{}", file.display());
        app.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        app.wait_until_rendered().await;
        assert_eq!(
            app.js("return location.protocol;", vec![]).await,
            json!("file:")
        );

        let external = app
            .js(
                "const urls = [...document.querySelectorAll(\
                   'script[src], link[href], img[src], iframe[src], source[src], object[data], embed[src]')]\
                   .map(e => e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('data') || '');\
                 for (const s of document.styleSheets) for (const r of s.cssRules)\
                   for (const m of r.cssText.matchAll(/url\\(\\s*['\"]?([^'\")]*)/g)) urls.push(m[1]);\
                 return urls.filter(u => !/^data:/i.test(u.trim()));",
                vec![],
            )
            .await;
        assert_eq!(external, json!([]), "references to external resources");
        let fetched = app
            .js(
                "return performance.getEntriesByType('resource').map(e => e.name)\
                 .filter(u => !/^(data|blob):/i.test(u));",
                vec![],
            )
            .await;
        assert_eq!(fetched, json!([]), "resources the page loaded");

        let (p, p_end) = numbered_paragraph(5);
        let (s, e) = words(p, p_end, 1, 4);
        let ann = drag_then_two(&app, s, e).await;
        let id = ann["id"].as_str().expect("id").to_string();
        app.escape().await;

        app.reload().await;
        app.wait_mark_with(&[&id]).await;
        app.wait_panel_ids(&[&id]).await;
        let stored = app.wait_stored_count(1).await;
        assert_eq!(stored[0]["id"], json!(id), "stored after reload");
        app.screenshot("reloaded").await;
    });
}
