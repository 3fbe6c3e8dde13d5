//! End-to-end test of the class view: a teacher opens a batch of students' files (one student in
//! two files, one file for another document, one unreadable) and sees the heat layer's counts, a
//! chart's data table, agreement, the answer key's scores, hidden names and both exports — with
//! the teacher's own annotations untouched, and the class still there after a reload.
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use std::path::{Path, PathBuf};

use e2e_support::{document_iri, numbered_paragraph, run, slice, words, App};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};

/// The students, as they signed their files.
const AMINA: &str = "Amina Diallo";
const BEN: &str = "Ben Okafor";
const CHLOE: &str = "Chloé Martin";
const DMITRI: &str = "Dmitri Ivanov";
const ELIF: &str = "Elif Yılmaz";
const FARAH: &str = "Farah Haddad";

/// One annotation of a student's file on `[start, end)` with these tag labels.
fn item(
    id: &str,
    (start, end): (usize, usize),
    tags: &[&str],
    creator: &str,
    source: &str,
) -> Value {
    json!({
        "type": "Annotation",
        "id": format!("urn:uuid:00000000-0000-4000-8000-{id:0>12}"),
        "creator": { "type": "Person", "name": creator },
        "created": "2026-11-30T10:00:00.000Z",
        "body": tags.iter().map(|t| json!({ "type": "TextualBody", "purpose": "tagging", "value": t })).collect::<Vec<_>>(),
        "target": { "source": source, "selector": [
            { "type": "TextQuoteSelector", "exact": slice(start, end) },
            { "type": "TextPositionSelector", "start": start, "end": end },
        ] },
    })
}

/// A student's exported file: a collection signed by `creator` (None: only the annotations are).
fn collection(creator: Option<&str>, items: Vec<Value>) -> String {
    let mut c = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "first": { "type": "AnnotationPage", "items": items },
    });
    if let Some(name) = creator {
        c["creator"] = json!({ "type": "Person", "name": name });
    }
    c.to_string()
}

/// The spans the class marks, by words of the summary's paragraphs.
struct Spans {
    /// Paragraph 1, words 2–8: Amina, Ben and Chloé (Pillar II).
    shared: (usize, usize),
    /// Paragraph 1, words 4–6: Dmitri (Pillar II), inside `shared`.
    inner: (usize, usize),
    /// Paragraph 1, words 10–12: Elif (Pillar II).
    apart: (usize, usize),
    /// Paragraph 5, words 0–4: Dmitri (Pillar I).
    dmitri_p5: (usize, usize),
    /// Paragraph 7, words 0–3: Amina's second file (Pillar III).
    amina_p7: (usize, usize),
    /// Paragraph 2, words 0–3: the teacher's own annotation.
    teacher: (usize, usize),
}

fn spans() -> Spans {
    let (p1, q1) = numbered_paragraph(1);
    let (p5, q5) = numbered_paragraph(5);
    let (p7, q7) = numbered_paragraph(7);
    let (p2, q2) = numbered_paragraph(2);
    Spans {
        shared: words(p1, q1, 2, 8),
        inner: words(p1, q1, 4, 6),
        apart: words(p1, q1, 10, 12),
        dmitri_p5: words(p5, q5, 0, 4),
        amina_p7: words(p7, q7, 0, 3),
        teacher: words(p2, q2, 0, 3),
    }
}

/// Writes the batch into `dir`: seven files, six students (Amina in two files, the second signed
/// with her name in other case and spacing; Elif's signed only in its annotations), Farah's made
/// on another document, and one file that is no JSON.
fn write_batch(dir: &Path) -> Vec<PathBuf> {
    let s = spans();
    let src = document_iri();
    let other = "ni:///sha-256;AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let files = [
        (
            "amina.json",
            collection(
                Some(AMINA),
                vec![item("1", s.shared, &["Pillar II"], AMINA, &src)],
            ),
        ),
        (
            "amina-part-2.json",
            collection(
                Some("  amina   DIALLO "),
                vec![item("2", s.amina_p7, &["Pillar III"], AMINA, &src)],
            ),
        ),
        (
            "ben.json",
            collection(
                Some(BEN),
                vec![item("3", s.shared, &["Pillar II"], BEN, &src)],
            ),
        ),
        (
            "chloe.json",
            collection(
                Some(CHLOE),
                vec![item(
                    "4",
                    s.shared,
                    &["Pillar II", "Prevention"],
                    CHLOE,
                    &src,
                )],
            ),
        ),
        (
            "dmitri.json",
            collection(
                Some(DMITRI),
                vec![
                    item("5", s.inner, &["Pillar II"], DMITRI, &src),
                    item("6", s.dmitri_p5, &["Pillar I"], DMITRI, &src),
                ],
            ),
        ),
        (
            "elif.json",
            collection(None, vec![item("7", s.apart, &["Pillar II"], ELIF, &src)]),
        ),
        (
            "farah.json",
            collection(
                Some(FARAH),
                vec![item("8", s.shared, &["Pillar I"], FARAH, other)],
            ),
        ),
        ("broken.json", "this is not JSON".to_string()),
    ];
    files
        .iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text).expect("write a class file");
            path
        })
        .collect()
}

/// The title of the heat mark over code point `offset`.
async fn heat_title(app: &App, offset: usize) -> Value {
    app.js(
        "const m = [...document.querySelectorAll('.class-view mark.heat')]\
           .find(m => +m.dataset.s <= arguments[0] && arguments[0] < +m.dataset.e);\
         return m ? m.title : null;",
        vec![json!(offset)],
    )
    .await
}

/// The text of the cell in the row headed `row` and the column headed `column` of the table
/// captioned `caption` (the last header row names the columns).
async fn cell(app: &App, caption: &str, row: &str, column: &str) -> Value {
    app.js(
        "const [caption, row, column] = arguments;\
         const t = [...document.querySelectorAll('.class-view table')]\
           .find(t => t.caption && t.caption.textContent.trim() === caption);\
         if (!t) return 'no table ' + caption;\
         const heads = [...t.tHead.rows].pop().cells;\
         const col = [...heads].findIndex(c => c.textContent.trim() === column);\
         const r = [...t.tBodies[0].rows].find(r => r.cells[0].textContent.trim() === row);\
         if (col < 0 || !r) return 'no cell ' + row + ' / ' + column;\
         return r.cells[col].textContent.trim();",
        vec![json!(caption), json!(row), json!(column)],
    )
    .await
}

/// Clicks the class view's button named `name` (brought to the middle of the view first, clear
/// of the sticky toolbar).
async fn click(app: &App, name: &str) {
    app.js(
        "const b = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === arguments[0]);\
         if (b) b.scrollIntoView({ block: 'center' });",
        vec![json!(name)],
    )
    .await;
    app.button(name)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {name}: {e}"));
}

/// Waits for the roster to list exactly `names`, in this order.
async fn wait_roster(app: &App, names: &[&str]) {
    let want = json!(names);
    app.wait_for(&format!("the roster {want}"), || async {
        let got = app
            .js(
                "return [...document.querySelectorAll('.class-view table.roster tbody th')].map(t => t.textContent.trim());",
                vec![],
            )
            .await;
        if got == want {
            Ok(())
        } else {
            Err(format!("it lists {got}"))
        }
    })
    .await;
}

#[test]
fn a_teacher_sees_where_five_students_agree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let batch = write_batch(dir.path());
    let s = spans();
    let csv_name = format!(
        "{}.csv",
        r2p_annotator::core::w3c::export_file_name(
            &r2p_annotator::core::document::Document::default_summary(),
            Some("class")
        )
        .trim_end_matches(".json")
    );
    let json_name = csv_name.replace(".csv", ".json");
    run("class", |app| async move {
        app.open_app().await;
        let mine = app
            .annotate_by_drag(s.teacher.0, s.teacher.1, "Pillar I")
            .await;
        app.escape().await;
        app.wait_stored_count(1).await;
        let before = app
            .stored_raw()
            .await
            .expect("the teacher's annotations are stored");

        click(&app, "Class view").await;
        app.wait_js(
            "the class view",
            "return !!document.querySelector('main.class-view');",
            vec![],
        )
        .await;
        app.check_axe("the empty class view").await;
        let paths: Vec<String> = batch.iter().map(|p| p.display().to_string()).collect();
        app.client
            .find(Locator::Css(
                "input[type=\"file\"][aria-label=\"Open students' files\"]",
            ))
            .await
            .expect("an input to open students' files")
            .send_keys(&paths.join("\n"))
            .await
            .expect("pick the batch");

        // Six students in seven readable files: Amina's two merged, Farah's set aside.
        wait_roster(&app, &[AMINA, BEN, CHLOE, DMITRI, ELIF]).await;
        let report = app
            .js(
                "return document.querySelector('.class-report').textContent;",
                vec![],
            )
            .await;
        let report = report.as_str().unwrap_or_default();
        assert!(
            report.contains("broken.json: not opened"),
            "the unreadable file is named: {report}"
        );
        assert!(
            report.contains("amina-part-2.json: Amina Diallo (joined)"),
            "merged by name: {report}"
        );
        let aside = app
            .js(
                "return document.querySelector('.class-files').textContent;",
                vec![],
            )
            .await;
        assert!(
            aside
                .as_str()
                .is_some_and(|t| t.contains("farah.json: Farah Haddad, 1 annotations")),
            "the file for another document is listed aside: {aside}"
        );

        // The heat layer: three students over the shared words, four where Dmitri's are, one
        // over Elif's.
        app.wait_js(
            "heat marks",
            "return document.querySelectorAll('.class-view mark.heat').length > 0;",
            vec![],
        )
        .await;
        assert_eq!(
            heat_title(&app, s.shared.0).await,
            json!("Marked by 3 of 5 students")
        );
        assert_eq!(
            heat_title(&app, s.inner.0).await,
            json!("Marked by 4 of 5 students")
        );
        assert_eq!(
            heat_title(&app, s.apart.0).await,
            json!("Marked by 1 of 5 students")
        );
        assert_eq!(
            heat_title(&app, s.teacher.0).await,
            Value::Null,
            "the teacher's annotation is not the class's"
        );

        // The keyboard: the first run holds the Tab stop, → moves it to the next run, whose
        // students show beside the text.
        let first = app
            .js(
                "const m = document.querySelector('.heat-text mark[tabindex=\"0\"]'); m.focus(); return m.dataset.s;",
                vec![],
            )
            .await;
        app.press(&[Key::Right.into()]).await;
        app.wait_js(
            "the next run focused, its details shown",
            "const a = document.activeElement;\
             return !!a && a.matches('.heat-text mark[tabindex=\"0\"]') && a.dataset.s !== arguments[0]\
               && document.querySelectorAll('.heat-text mark[tabindex]').length === 1\
               && document.querySelector('.heat-details').textContent.includes(a.title);",
            vec![first],
        )
        .await;
        // Pointing at Dmitri's words names the four students who marked them, with their tags.
        let details = app
            .js(
                "const m = [...document.querySelectorAll('.class-view mark.heat')]\
                   .find(m => +m.dataset.s <= arguments[0] && arguments[0] < +m.dataset.e);\
                 m.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));\
                 return null;",
                vec![json!(s.inner.0)],
            )
            .await;
        assert_eq!(details, Value::Null);
        app.wait_js(
            "who marked Dmitri's words",
            "const t = document.querySelector('.heat-details').textContent;\
             return t.includes('Marked by 4 of 5 students') && arguments[0].every(n => t.includes(n + ': Pillar II'));",
            vec![json!([AMINA, BEN, CHLOE, DMITRI])],
        )
        .await;

        // A chart's data table: annotations per student and tag.
        let table = "Tags per student";
        assert_eq!(cell(&app, table, AMINA, "Pillar II").await, json!("1"));
        assert_eq!(
            cell(&app, table, AMINA, "Pillar III").await,
            json!("1"),
            "from her second file"
        );
        assert_eq!(cell(&app, table, DMITRI, "Pillar I").await, json!("1"));
        assert_eq!(cell(&app, table, CHLOE, "Prevention").await, json!("1"));

        // Agreement: everyone tagged paragraph 1 with Pillar II and nothing else with it.
        let agreement = "Agreement per tag: paragraphs tagged or not, by each student";
        assert_eq!(
            cell(&app, agreement, "Pillar II", "Krippendorff's alpha").await,
            json!("1.00")
        );
        assert_eq!(
            cell(&app, agreement, "Pillar II", "Fleiss' kappa").await,
            json!("1.00")
        );

        // The answer key: Amina's. Dmitri's Pillar II lies inside hers: all of it right, and
        // as much of hers as his length.
        app.js(
            "const s = document.querySelector('.class-key select');\
             s.value = [...s.options].find(o => o.textContent === arguments[0]).value;\
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(AMINA)],
        )
        .await;
        let scores =
            "Each student against the key, per pillar: by paragraph (¶) and by passage (span)";
        app.wait_js(
            "the key's scores",
            "return !!document.querySelector('.class-key table.scores');",
            vec![],
        )
        .await;
        let recall = (s.inner.1 - s.inner.0) as f64 / (s.shared.1 - s.shared.0) as f64;
        let pillar_ii = |i: usize| {
            app.js(
                "const [caption, row, i] = arguments;\
                 const t = [...document.querySelectorAll('.class-view table')].find(t => t.caption.textContent.trim() === caption);\
                 const r = [...t.tBodies[0].rows].find(r => r.cells[0].textContent.trim().startsWith(row));\
                 return r.cells[1 + 4 + i].textContent.trim();",
                vec![json!(scores), json!(DMITRI), json!(i)],
            )
        };
        assert_eq!(
            pillar_ii(2).await,
            json!("1.00"),
            "Dmitri's Pillar II span precision"
        );
        assert_eq!(
            pillar_ii(3).await,
            json!(format!("{recall:.2}")),
            "Dmitri's Pillar II span recall"
        );

        // The CSV: a row per student and tag, with the key's shares.
        click(&app, "Download class CSV").await;
        let csv = String::from_utf8(app.wait_download(&csv_name).await).expect("UTF-8");
        assert!(csv.starts_with('\u{feff}'), "a byte-order mark");
        let chars = s.shared.1 - s.shared.0;
        let row =
            format!("{AMINA},Pillar II,pillar-2,Pillar,1,0,1,{chars},1.000,1.000,1.000,1.000\r\n");
        assert!(csv.contains(&row), "{row:?} in {csv}");
        let rows = csv.lines().count() - 1;
        // Tags anyone used: Pillar I, II, III and Prevention; five students.
        assert_eq!(rows, 5 * 4, "one row per student and tag: {csv}");

        // Hide names: nobody's name is shown (nor the names of their files), nor exported.
        app.client
            .find(Locator::XPath("//label[contains(., 'Hide names')]/input"))
            .await
            .expect("Hide names")
            .click()
            .await
            .expect("tick Hide names");
        app.wait_js(
            "names hidden",
            "const t = document.querySelector('main.class-view').textContent;\
             return arguments[0].every(n => !t.includes(n)) && t.includes('Student A');",
            vec![json!([
                AMINA,
                BEN,
                CHLOE,
                DMITRI,
                ELIF,
                FARAH,
                "amina.json",
                "farah.json"
            ])],
        )
        .await;
        click(&app, "Download class JSON").await;
        let exported: Value =
            serde_json::from_slice(&app.wait_download(&json_name).await).expect("JSON");
        let items = exported["first"]["items"]
            .as_array()
            .expect("the collection's items");
        assert_eq!(
            items.len(),
            7,
            "every placed annotation of the five students: {exported}"
        );
        for it in items {
            let name = it["creator"]["name"].as_str().unwrap_or_default();
            assert!(
                name.starts_with("Student "),
                "creator {name:?} is a hidden name"
            );
        }
        app.check_axe("the class view with five students, names hidden, a key")
            .await;

        // A reload keeps the class (and the hidden names); the teacher's annotations are as
        // they were.
        app.reload().await;
        click(&app, "Class view").await;
        app.wait_js(
            "the class after a reload",
            "return document.querySelectorAll('.class-view table.roster tbody tr').length === 5\
               && document.querySelector('main.class-view').textContent.includes('Student A');",
            vec![],
        )
        .await;
        assert_eq!(
            app.stored_raw().await.as_deref(),
            Some(before.as_str()),
            "the teacher's annotations untouched"
        );
        assert_eq!(
            app.stored_ids().await,
            vec![mine["id"].as_str().expect("id").to_string()]
        );

        // Farah's file, made on another document, is placed by its quote when asked.
        click(&app, "Place them by quote").await;
        app.wait_js(
            "Farah placed by quote",
            "return document.querySelectorAll('.class-view table.roster tbody tr').length === 6\
               && !document.querySelector('.class-files').textContent.includes('Files for another document');",
            vec![],
        )
        .await;
        assert_eq!(
            heat_title(&app, s.shared.0).await,
            json!("Marked by 4 of 6 students"),
            "Farah's passage counts once placed"
        );

        // A folder (its .json files; a note beside them is skipped), then a file dropped on the
        // class view: one student more each.
        let folder = dir.path().join("more");
        std::fs::create_dir(&folder).expect("a folder");
        let (p3, q3) = numbered_paragraph(3);
        let src = document_iri();
        std::fs::write(
            folder.join("gabriel.json"),
            collection(
                Some("Gabriel Silva"),
                vec![item(
                    "9",
                    words(p3, q3, 0, 2),
                    &["Pillar I"],
                    "Gabriel Silva",
                    &src,
                )],
            ),
        )
        .expect("write");
        std::fs::write(folder.join("notes.txt"), "not a class file").expect("write");
        app.client
            .find(Locator::Css(
                "input[type=\"file\"][aria-label=\"Open a folder\"]",
            ))
            .await
            .expect("an input to open a folder")
            .send_keys(&folder.display().to_string())
            .await
            .expect("pick the folder");
        app.wait_js(
            "the folder's student in the roster, the note beside left out",
            "return document.querySelectorAll('.class-view table.roster tbody tr').length === 7\
               && !document.querySelector('.class-report').textContent.includes('notes.txt')\
               && document.querySelector('[role=\"status\"]').textContent\
                    .includes('1 file that is not JSON was left out.');",
            vec![],
        )
        .await;
        let hana = collection(
            Some("Hana Sato"),
            vec![item(
                "10",
                words(p3, q3, 3, 5),
                &["Pillar II"],
                "Hana Sato",
                &src,
            )],
        );
        app.js(
            "const dt = new DataTransfer();\
             dt.items.add(new File([arguments[0]], 'hana.json', { type: 'application/json' }));\
             document.querySelector('main.class-view').dispatchEvent(\
               new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));",
            vec![json!(hana)],
        )
        .await;
        app.wait_js(
            "the dropped file's student in the roster",
            "return document.querySelectorAll('.class-view table.roster tbody tr').length === 8;",
            vec![],
        )
        .await;
    });
}
