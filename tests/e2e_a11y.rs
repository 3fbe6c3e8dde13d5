//! End-to-end accessibility: axe-core finds no WCAG 2.2 A/AA violation on any view; on a phone
//! (360 × 640, touch), a tablet (768 × 1024, touch) and at 400 % zoom nothing scrolls sideways
//! and every toolbar action is reachable through the menu; a touch selection is tagged with the
//! picker inside the view and clear of the selection; touch targets are 44 px; forced colours
//! and reduced motion are honoured.
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use std::path::Path;

use e2e_support::{
    import_file, numbered_paragraph, open_documents, run, run_on, slice, wait_dialog, words, App,
    Screen,
};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};

/// The toolbar's actions, by accessible name: every screen must reach each of them.
const TOOLBAR_ACTIONS: [&str; 7] = [
    "Documents",
    "Your name",
    "Report",
    "Export JSON",
    "Import JSON",
    "Undo",
    "Redo",
];
/// The smallest touch target on touch screens, CSS pixels (WCAG 2.5.5).
const TOUCH_TARGET: f64 = 44.0;
/// The smallest target for a mouse, CSS pixels (WCAG 2.5.8, level AA).
const POINTER_TARGET: f64 = 24.0;

/// Finds the displayed control named `name` (aria-label, else text, else its label's text),
/// scrolls it into view as a user would (the menu may scroll), and returns its box `[left, top,
/// width, height]` in the view, or None when no such control shows.
const JS_CONTROL_BOX: &str = "const name = arguments[0];\
    const named = e => e.getAttribute('aria-label') || e.textContent.trim() || (e.closest('label') || {}).textContent;\
    const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';\
    const el = [...document.querySelectorAll('button, input, select, a[href]')]\
      .find(e => shown(e) && (named(e) || '').trim() === name);\
    if (!el) return null;\
    const target = el.type === 'file' ? el.closest('label') || el : el;\
    target.scrollIntoView({ block: 'nearest', inline: 'nearest' });\
    const box = target.getBoundingClientRect();\
    return [box.left, box.top, box.width, box.height];";

/// Every displayed control inside `arguments[0]` (a CSS selector) smaller than `arguments[1]`
/// CSS pixels either way, as "name: width × height".
const JS_SMALL_TARGETS: &str = "const [scope, least] = arguments;\
    const small = [];\
    for (const root of document.querySelectorAll(scope))\
      for (const e of root.querySelectorAll('button, input:not([type=file]), select, textarea, label.file-button')) {\
        const r = e.getBoundingClientRect();\
        if (!e.getClientRects().length || getComputedStyle(e).visibility === 'hidden') continue;\
        if (r.width < least - 0.5 || r.height < least - 0.5)\
          small.push((e.getAttribute('aria-label') || e.textContent.trim()) + ': ' + r.width + ' × ' + r.height);\
      }\
    return small;";

/// Fails when the page is wider than the view (it would scroll sideways).
async fn assert_no_sideways_scroll(app: &App, when: &str) {
    let v = app
        .js(
            "return [document.documentElement.scrollWidth, innerWidth];",
            vec![],
        )
        .await;
    let (page, view) = (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0));
    assert!(
        page <= view,
        "{when}: the page is {page} px wide in a {view} px view (it scrolls sideways)"
    );
}

/// The view's size in CSS pixels.
async fn view_size(app: &App) -> (f64, f64) {
    let v = app.js("return [innerWidth, innerHeight];", vec![]).await;
    (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0))
}

/// The box of the displayed control `name`, if it shows.
async fn control_box(app: &App, name: &str) -> Option<[f64; 4]> {
    let v = app.js(JS_CONTROL_BOX, vec![json!(name)]).await;
    let b = v.as_array()?;
    Some([0, 1, 2, 3].map(|i| b[i].as_f64().unwrap_or(f64::NAN)))
}

/// Asserts that every toolbar action shows inside the view, at least `least` px each way.
async fn assert_toolbar_reachable(app: &App, least: f64, when: &str) {
    let (width, height) = view_size(app).await;
    for name in TOOLBAR_ACTIONS {
        let [left, top, w, h] = control_box(app, name)
            .await
            .unwrap_or_else(|| panic!("{when}: the toolbar action {name:?} does not show"));
        assert!(
            left >= 0.0 && top >= 0.0 && left + w <= width + 0.5 && top + h <= height + 0.5,
            "{when}: {name:?} at ({left}, {top}) {w} × {h} is not inside the {width} × {height} view"
        );
        assert!(
            w >= least - 0.5 && h >= least - 0.5,
            "{when}: {name:?} is {w} × {h}, smaller than {least} px"
        );
    }
}

/// Asserts that the controls inside `scope` are touch-sized.
async fn assert_touch_targets(app: &App, scope: &str, when: &str) {
    let small = app
        .js(JS_SMALL_TARGETS, vec![json!(scope), json!(TOUCH_TARGET)])
        .await;
    assert_eq!(
        small,
        json!([]),
        "{when}: controls in {scope} smaller than {TOUCH_TARGET} × {TOUCH_TARGET} px"
    );
}

/// The picker's box and the selection's (view pixels) once the picker is inside the view and
/// does not cover the selection, which is in view below the toolbar; fails after a while.
async fn wait_picker_clear_of_selection(app: &App) -> Value {
    app.wait_for(
        "the picker inside the view, not covering the selection",
        || async {
            let v = app
                .js(
                    "const p = document.querySelector('[role=\"dialog\"][aria-label=\"Tag selection\"]');\
                     const s = getSelection();\
                     if (!p || !s.rangeCount) return null;\
                     const a = p.getBoundingClientRect(), b = s.getRangeAt(0).getBoundingClientRect();\
                     const bar = document.querySelector('.toolbar').getBoundingClientRect();\
                     return { picker: [a.left, a.top, a.right, a.bottom], selection: [b.left, b.top, b.right, b.bottom],\
                              toolbar: bar.bottom, view: [innerWidth, innerHeight] };",
                    vec![],
                )
                .await;
            if v.is_null() {
                return Err("no picker or no selection".to_string());
            }
            let n = |k: &str, i: usize| v[k][i].as_f64().unwrap_or(f64::NAN);
            let (w, h) = (n("view", 0), n("view", 1));
            let inside = n("picker", 0) >= 0.0
                && n("picker", 1) >= 0.0
                && n("picker", 2) <= w + 0.5
                && n("picker", 3) <= h + 0.5;
            // The picker either stands under the selection or is docked below it.
            let clear = n("selection", 3) <= n("picker", 1) + 0.5;
            let visible = n("selection", 1) >= v["toolbar"].as_f64().unwrap_or(0.0) - 0.5;
            if inside && clear && visible {
                Ok(v)
            } else {
                Err(format!(
                    "inside the view: {inside}, clear of the selection: {clear}, \
                     selection below the toolbar: {visible}: {v}"
                ))
            }
        },
    )
    .await
}

/// Selects `[start, end)` on `what` (a screen) as a finger does: a long press on its first
/// character, standing `height` of the way down the view, then the selection handles dragged
/// over it; the picker shows inside the view and clear of the selection. Returns the new
/// annotation after tapping `label`, once the picker (still open on it) has touch-sized
/// controls, nothing scrolls sideways and axe finds nothing.
async fn tag_by_touch(
    app: &App,
    what: &str,
    (start, end): (usize, usize),
    height: f64,
    label: &str,
) -> Value {
    let known = app.stored_ids().await;
    let (x, y) = app.char_at_height(start, height).await;
    app.long_press(x, y).await;
    app.drag_handles_to(start, end).await;
    let picker = app.wait_picker().await;
    let geometry = wait_picker_clear_of_selection(app).await;
    eprintln!("[e2e] picker and selection: {geometry}");
    assert_eq!(
        app.js("return String(getSelection());", vec![]).await,
        json!(slice(start, end)),
        "the selection the picker acts on"
    );
    let button = picker
        .find(Locator::Css(&format!("button[aria-label=\"{label}\"]")))
        .await
        .unwrap_or_else(|_| panic!("no {label:?} in the picker"));
    app.tap(&button).await;
    let ann = app.wait_new_annotation(&known).await;
    assert_eq!(
        (ann["start"].as_u64(), ann["end"].as_u64()),
        (Some(start as u64), Some(end as u64)),
        "the stored span is the touch selection: {ann}"
    );
    assert_touch_targets(
        app,
        "[role=\"dialog\"][aria-label=\"Tag selection\"]",
        &format!("{what}'s picker"),
    )
    .await;
    assert_no_sideways_scroll(app, &format!("{what}'s picker")).await;
    app.check_axe(&format!("{what}'s picker")).await;
    ann
}

/// How a test presses a button.
#[derive(Clone, Copy)]
enum Press {
    /// A finger's tap.
    Tap,
    /// A mouse click.
    Click,
}

/// Presses the button named `name` and waits for its aria-expanded to become `want`.
async fn toggle(app: &App, name: &str, want: bool, how: Press) {
    let button = app.button(name).await;
    match how {
        Press::Tap => app.tap(&button).await,
        Press::Click => button
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {name}: {e}")),
    }
    let want = want.to_string();
    app.wait_for(&format!("{name:?} aria-expanded={want}"), || async {
        match button.attr("aria-expanded").await {
            Ok(Some(v)) if v == want => Ok(()),
            other => Err(format!("aria-expanded is {other:?}")),
        }
    })
    .await;
}

/// Waits until the caret's CSS animation is `name`.
async fn wait_caret_animation(app: &App, name: &str) {
    app.wait_js(
        &format!("the caret's animation to be {name:?}"),
        "const c = document.querySelector('.caret');\
         return !!c && getComputedStyle(c).animationName === arguments[0];",
        vec![json!(name)],
    )
    .await;
}

/// The first screen of a small screen `(width, height)` called `what`: the view is that size,
/// nothing scrolls sideways, axe finds nothing; the toolbar's actions show only once *Menu* is
/// pressed (`press`), then each inside the view and at least `least` px, still nothing sideways
/// nor for axe; the menu is folded again.
async fn small_screen_start(app: &App, what: &str, size: (f64, f64), least: f64, press: Press) {
    assert_eq!(view_size(app).await, size, "{what}'s view");
    assert_no_sideways_scroll(app, &format!("{what}'s first screen")).await;
    app.check_axe(&format!("{what}'s first screen")).await;
    for name in TOOLBAR_ACTIONS {
        assert_eq!(
            control_box(app, name).await,
            None,
            "{what}: {name:?} shows before the menu is opened"
        );
    }
    toggle(app, "Menu", true, press).await;
    assert_toolbar_reachable(app, least, &format!("{what}'s open menu")).await;
    assert_no_sideways_scroll(app, &format!("{what}'s open menu")).await;
    app.check_axe(&format!("{what}'s open menu")).await;
    toggle(app, "Menu", false, press).await;
}

#[test]
fn axe_finds_no_violation_on_any_view() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recogito-array.json");
    run("axe", |app| async move {
        app.open_app().await;
        app.check_axe("the first screen").await;

        let (p, q) = numbered_paragraph(3);
        let (s, e) = words(p, q, 1, 6);
        assert_eq!(app.drag_select(s, e).await, slice(s, e));
        app.wait_picker().await;
        app.check_axe("the picker open on a fresh selection").await;
        app.click_picker_tag("Pillar II").await;
        let first = app.wait_new_annotation(&[]).await;
        app.escape().await;
        // A quote longer than the list shortens in its item's name, and an overlap.
        let (p, q) = numbered_paragraph(4);
        let (s2, e2) = words(p, q, 0, 24);
        app.annotate_by_drag(s2, e2, "Pillar III").await;
        app.escape().await;
        let (s3, e3) = words(p, q, 10, 30);
        app.annotate_by_drag(s3, e3, "Prevention").await;
        app.escape().await;
        app.click_char(first["start"].as_u64().expect("start") as usize + 1)
            .await;
        app.wait_current(first["id"].as_str().expect("id")).await;
        app.wait_picker().await;
        app.check_axe("three annotations, one selected and edited in the picker")
            .await;
        app.escape().await;

        open_documents(&app).await;
        app.check_axe("the Documents panel").await;
        app.button("Documents")
            .await
            .click()
            .await
            .expect("close Documents");

        import_file(&app, &fixture).await;
        wait_dialog(&app, "recogito-array.json").await;
        app.check_axe("the import report").await;
        app.press(&[Key::Escape.into()]).await;
        app.wait_js(
            "the import report to close",
            "return !document.querySelector('[aria-modal=\"true\"]');",
            vec![],
        )
        .await;

        app.button("Report").await.click().await.expect("Report");
        app.wait_js(
            "the report",
            "return !!document.querySelector('main.report');",
            vec![],
        )
        .await;
        app.check_axe("the report").await;
    });
}

#[test]
fn a_phone_reaches_every_action_and_tags_a_touch_selection() {
    run_on("phone", Screen::Phone, |app| async move {
        app.open_app().await;
        small_screen_start(&app, "a phone", (360.0, 640.0), TOUCH_TARGET, Press::Tap).await;
        assert_eq!(
            app.js("return matchMedia('(pointer: coarse)').matches;", vec![])
                .await,
            json!(true),
            "a touch screen"
        );
        assert_eq!(
            app.js(
                "return getComputedStyle(document.querySelector('article p.numbered')).textAlign;",
                vec![]
            )
            .await,
            json!("left"),
            "numbered paragraphs are left-aligned on a phone, not justified"
        );

        // A touch selection, tagged in the picker docked at the bottom.
        let (p, q) = numbered_paragraph(5);
        let (s, e) = words(p, q, 2, 7);
        // Low on the screen, where the docked picker would cover it.
        let ann = tag_by_touch(&app, "a phone", (s, e), 0.7, "Pillar II").await;
        assert_eq!(ann["tags"], json!(["pillar-2"]), "tagged by the tap: {ann}");
        let close = app.button("Close tag picker").await;
        app.tap(&close).await;
        app.wait_picker_closed().await;

        // The annotations panel is a bottom sheet.
        toggle(&app, "Show list", true, Press::Tap).await;
        let id = ann["id"].as_str().expect("id");
        app.wait_js(
            "the annotation's item shown in the open sheet, inside the view across",
            "const li = document.querySelector(`[aria-label=\"Annotations\"] li[data-annotation-id=\"${arguments[0]}\"]`);\
             if (!li || !li.getClientRects().length) return false;\
             const r = li.getBoundingClientRect(), sheet = li.closest('.panel').getBoundingClientRect();\
             return sheet.top >= 0 && r.top >= sheet.top && r.top < innerHeight - 40\
               && r.left >= 0 && r.right <= innerWidth;",
            vec![json!(id)],
        )
        .await;
        assert_touch_targets(&app, ".panel", "the annotations sheet").await;
        assert_touch_targets(&app, ".toolbar", "the toolbar").await;
        assert_no_sideways_scroll(&app, "a phone's open sheet").await;
        app.check_axe("a phone's open annotations sheet").await;

        // The class view, from the menu (which folds on the way).
        toggle(&app, "Menu", true, Press::Tap).await;
        let class = app.button("Class view").await;
        app.tap(&class).await;
        app.wait_js(
            "the class view, the menu folded",
            "return !!document.querySelector('main.class-view')\
               && !document.querySelector('#toolbar-actions').getClientRects().length;",
            vec![],
        )
        .await;
        assert_no_sideways_scroll(&app, "a phone's class view").await;
        assert_touch_targets(&app, "main.class-view", "the class view").await;
        app.check_axe("a phone's class view").await;
    });
}

#[test]
fn a_tablet_reaches_every_action_and_keeps_the_picker_in_view() {
    run_on("tablet", Screen::Tablet, |app| async move {
        app.open_app().await;
        small_screen_start(&app, "a tablet", (768.0, 1024.0), TOUCH_TARGET, Press::Tap).await;

        // A selection near the bottom of the view: the picker under it would run off the
        // screen, so the page scrolls until both show.
        let (p, q) = numbered_paragraph(7);
        let (s, e) = words(p, q, 0, 3);
        let ann = tag_by_touch(&app, "a tablet", (s, e), 0.85, "Pillar I").await;
        assert_eq!(ann["tags"], json!(["pillar-1"]), "tagged by the tap: {ann}");
    });
}

#[test]
fn at_400_percent_zoom_everything_reflows() {
    run_on("zoom-400", Screen::Zoomed, |app| async move {
        app.open_app().await;
        // 1280 × 1024 at 400 %.
        small_screen_start(
            &app,
            "400 % zoom",
            (320.0, 256.0),
            POINTER_TARGET,
            Press::Click,
        )
        .await;
        toggle(&app, "Menu", true, Press::Click).await;
        open_documents(&app).await;
        assert_no_sideways_scroll(&app, "the Documents panel at 400 %").await;
        app.button("Documents")
            .await
            .click()
            .await
            .expect("close Documents");
        toggle(&app, "Menu", false, Press::Click).await;

        // The keyboard flow: caret into the document, a few characters selected, Enter.
        app.js(
            "document.querySelector('article[aria-label=\"Document\"]').focus();",
            vec![],
        )
        .await;
        app.press_with(&[Key::Shift], &[Key::Right.into(); 8]).await;
        app.press(&[Key::Enter.into()]).await;
        app.wait_picker().await;
        wait_picker_clear_of_selection(&app).await;
        assert_no_sideways_scroll(&app, "the picker at 400 %").await;
        app.click_picker_tag("Pillar III").await;
        let ann = app.wait_new_annotation(&[]).await;
        assert_eq!(ann["tags"], json!(["pillar-3"]), "tagged at 400 %: {ann}");
        app.escape().await;

        app.button("Menu").await.click().await.expect("Menu");
        app.button("Report").await.click().await.expect("Report");
        app.wait_js(
            "the report",
            "return !!document.querySelector('main.report');",
            vec![],
        )
        .await;
        assert_no_sideways_scroll(&app, "the report at 400 %").await;
    });
}

#[test]
fn forced_colours_keep_highlights_visible_and_reduced_motion_stops_the_caret() {
    run("forced-colours", |app| async move {
        app.open_app().await;
        let (p, q) = numbered_paragraph(2);
        let (s, e) = words(p, q, 0, 4);
        let ann = app.annotate_by_drag(s, e, "Pillar I").await;
        app.escape().await;
        // The caret blinks while motion is allowed.
        app.click_char(e + 3).await;
        wait_caret_animation(&app, "blink").await;

        app.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [
                { "name": "forced-colors", "value": "active" },
                { "name": "prefers-reduced-motion", "value": "reduce" },
            ] }),
        )
        .await;
        assert_eq!(
            app.js(
                "return matchMedia('(forced-colors: active)').matches;",
                vec![]
            )
            .await,
            json!(true),
            "forced colours emulated"
        );
        // The mark takes the system's Mark colours (a probe shows what they are here), keeps
        // its pillar underline, and stands out from the page's background.
        let look = app
            .js(
                "const probe = document.createElement('span');\
                 probe.style.cssText = 'forced-color-adjust: none; background-color: Mark; color: MarkText';\
                 document.body.append(probe);\
                 const want = getComputedStyle(probe); const w = [want.backgroundColor, want.color];\
                 probe.remove();\
                 const m = document.querySelector(`article mark[data-s=\"${arguments[0]}\"]`);\
                 const st = getComputedStyle(m);\
                 return { want: w, got: [st.backgroundColor, st.color], line: st.textDecorationLine,\
                          style: st.textDecorationStyle,\
                          page: getComputedStyle(document.querySelector('article')).backgroundColor };",
                vec![json!(ann["start"])],
            )
            .await;
        eprintln!("[e2e] forced colours: {look}");
        assert_eq!(
            look["got"], look["want"],
            "the mark's colours are Mark/MarkText"
        );
        assert_ne!(
            look["got"][0], look["page"],
            "the mark stands out from the page"
        );
        assert_eq!(
            look["line"],
            json!("underline"),
            "the pillar underline stays"
        );
        assert_eq!(look["style"], json!("solid"), "Pillar I's underline style");
        // Reduced motion: the caret does not blink.
        wait_caret_animation(&app, "none").await;
    });
}
