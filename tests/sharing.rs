//! Sharing tests: W3C export ⇄ import round trips, idempotence, merges, hostile files, foreign fixtures.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use r2p_annotator::core::anchor::Anchorer;
use r2p_annotator::core::document::Document;
use r2p_annotator::core::import::{plan_import, ImportPlan};
use r2p_annotator::core::store::{Action, Annotation, Store, StoreError};
use r2p_annotator::core::tags::new_custom_tag;
use r2p_annotator::core::w3c::{self, document_iri, read_file, FileError};
use serde_json::{json, Value};

fn summary() -> Document {
    Document::default_summary()
}

/// A store with annotations on passages of the summary, made through the reducer.
fn store_with(doc: &Document, spans: &[(usize, usize, Vec<&str>, &str)]) -> Store {
    let mut s = Store::new();
    let tag = new_custom_tag("Women, peace & security", &s.tags()).unwrap();
    s.apply(Action::AddCustomTag {
        tag,
        apply_to: None,
        at: 1,
    })
    .unwrap();
    for (i, (start, end, tags, note)) in spans.iter().enumerate() {
        let id = format!("00000000-0000-4000-8000-{:012x}", i);
        s.apply(Action::Create {
            id: id.clone(),
            start: *start,
            end: *end,
            quote: doc.slice(*start, *end),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            creator: (i % 2 == 0).then(|| "Amina Diallo".to_string()),
            at: 1_790_000_000_000 + i as i64 * 1000,
        })
        .unwrap();
        if !note.is_empty() {
            s.apply(Action::SetNote {
                id,
                note: note.to_string(),
                at: 1_790_000_500_000 + i as i64,
            })
            .unwrap();
        }
    }
    s
}

fn export_bytes(doc: &Document, store: &Store) -> Vec<u8> {
    let anchorer = Anchorer::new(&doc.text);
    serde_json::to_vec_pretty(&w3c::export(doc, store, &anchorer, 1_795_000_000_000)).unwrap()
}

/// This device's clock in the tests: after every time the fixtures and generated files hold.
const NOW: i64 = 1_800_000_000_000;

fn plan(doc: &Document, store: &Store, bytes: &[u8], anyway: bool) -> ImportPlan {
    let file = read_file(bytes).expect("readable");
    plan_import(&file, doc, &Anchorer::new(&doc.text), store, anyway, NOW)
}

fn import(doc: &Document, store: &mut Store, bytes: &[u8]) -> ImportPlan {
    let p = plan(doc, store, bytes, false);
    match store.apply(p.action("file.json")) {
        Ok(_) | Err(StoreError::NothingToImport) => {}
        Err(e) => panic!("import failed: {e}"),
    }
    p
}

/// What must survive a round trip: id, span, tag labels, note, times, creator, placement.
type Essence = (
    String,
    usize,
    usize,
    Vec<String>,
    String,
    i64,
    i64,
    Option<String>,
    bool,
);

fn essence(store: &Store) -> Vec<Essence> {
    store
        .snapshot()
        .annotations
        .iter()
        .map(|a: &Annotation| {
            let labels = a
                .tags
                .iter()
                .map(|t| store.tag(t).unwrap().label.clone())
                .collect();
            (
                a.id.clone(),
                a.start,
                a.end,
                labels,
                a.note.clone(),
                a.created,
                a.modified,
                a.creator.clone(),
                a.orphan,
            )
        })
        .collect()
}

#[test]
fn export_has_the_w3c_shape() {
    let doc = summary();
    let p4 = doc.text.find("three types of assistance").unwrap();
    let start = doc.text[..p4].chars().count();
    let store = store_with(
        &doc,
        &[(
            start,
            start + 25,
            vec!["pillar-2", "custom-women-peace-security"],
            "See “Pillar II” <b>x</b>",
        )],
    );
    let v: Value = serde_json::from_slice(&export_bytes(&doc, &store)).unwrap();
    assert_eq!(v["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(v["type"], "AnnotationCollection");
    assert!(v["id"].as_str().unwrap().starts_with("urn:uuid:"));
    assert!(v["label"]
        .as_str()
        .unwrap()
        .contains("Responsibility to Protect"));
    assert_eq!(v["total"], 1);
    let page = &v["first"];
    assert_eq!(page["type"], "AnnotationPage");
    assert!(page["id"].as_str().unwrap().starts_with("urn:uuid:"));
    let a = &page["items"][0];
    assert_eq!(a["id"], "urn:uuid:00000000-0000-4000-8000-000000000000");
    assert_eq!(a["type"], "Annotation");
    assert_eq!(a["motivation"], "commenting");
    assert_eq!(
        a["creator"],
        json!({ "type": "Person", "name": "Amina Diallo" })
    );
    for t in ["created", "modified"] {
        let s = a[t].as_str().unwrap();
        assert!(s.ends_with('Z') && s.len() == 24, "{s}");
        assert_eq!(w3c::parse_iso(s).map(w3c::iso).as_deref(), Some(s));
    }
    assert_eq!(
        a["body"],
        json!([
            { "type": "TextualBody", "purpose": "tagging", "value": "Pillar II" },
            { "type": "TextualBody", "purpose": "tagging", "value": "Women, peace & security" },
            { "type": "TextualBody", "purpose": "commenting", "value": "See “Pillar II” <b>x</b>", "format": "text/plain" }
        ])
    );
    assert_eq!(a["target"]["source"], document_iri(&doc.id));
    assert!(a["target"]["source"]
        .as_str()
        .unwrap()
        .starts_with("ni:///sha-256;"));
    let quote = &a["target"]["selector"][0];
    let pos = &a["target"]["selector"][1];
    assert_eq!(quote["type"], "TextQuoteSelector");
    assert_eq!(quote["exact"], "three types of assistance");
    assert_eq!(quote["prefix"], doc.slice(start - 32, start));
    assert_eq!(quote["suffix"], doc.slice(start + 25, start + 57));
    assert_eq!(
        pos,
        &json!({ "type": "TextPositionSelector", "start": start, "end": start + 25 })
    );
    // The custom theme's colour travels with the file.
    assert_eq!(v["r2p:taxonomy"][0]["label"], "Women, peace & security");
    assert!(v["r2p:taxonomy"][0]["color"]
        .as_str()
        .unwrap()
        .starts_with('#'));
}

#[test]
fn document_iri_is_rfc6920() {
    // SHA-256 of the empty string.
    let id = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    assert_eq!(
        document_iri(id),
        "ni:///sha-256;47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
    );
}

#[test]
fn export_file_name_is_a_slug() {
    let doc = summary();
    let name = w3c::export_file_name(&doc, None);
    assert_eq!(
        name,
        "informal-interactive-dialogue-of-the-68th-session-of-the-annotations.json"
    );
    assert!(name.ends_with("-annotations.json"));
    assert!(w3c::export_file_name(&doc, Some("Amina Diallo"))
        .ends_with("-annotations-amina-diallo.json"));
}

#[test]
fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    let doc = summary();
    let src = store_with(
        &doc,
        &[(10, 40, vec!["pillar-1"], "n"), (30, 90, vec![], "")],
    );
    let bytes = export_bytes(&doc, &src);
    let mut dst = Store::new();
    let first = import(&doc, &mut dst, &bytes);
    assert_eq!((first.report.new, first.report.unchanged), (2, 0));
    let after_first = dst.snapshot();
    let second = plan(&doc, &dst, &bytes, false);
    assert!(
        second.put.is_empty() && second.tags.is_empty(),
        "{:?}",
        second.report
    );
    assert_eq!(second.report.unchanged, 2);
    assert_eq!(
        dst.apply(second.action("file.json")),
        Err(StoreError::NothingToImport)
    );
    assert_eq!(dst.snapshot(), after_first);
}

#[test]
fn import_is_one_undo_step() {
    let doc = summary();
    let src = store_with(
        &doc,
        &[
            (10, 40, vec!["pillar-1"], ""),
            (50, 60, vec!["pillar-3"], ""),
        ],
    );
    let mut dst = Store::new();
    dst.apply(Action::Create {
        id: "mine".into(),
        start: 1,
        end: 5,
        quote: doc.slice(1, 5),
        tags: vec![],
        creator: None,
        at: 5,
    })
    .unwrap();
    import(&doc, &mut dst, &export_bytes(&doc, &src));
    assert_eq!(dst.len(), 3);
    dst.apply(Action::Undo {
        at: 1_800_000_000_000,
    })
    .unwrap();
    assert_eq!(dst.len(), 1);
    assert!(dst.get("mine").is_some());
}

#[test]
fn updates_and_conflicts_are_told_apart() {
    let doc = summary();
    let base = store_with(&doc, &[(10, 40, vec!["pillar-1"], "")]);
    let id = base.in_document_order()[0].id.clone();
    let bytes_base = export_bytes(&doc, &base);
    // The teacher has the base version; the student edits and sends it back: an update.
    let mut teacher = Store::new();
    import(&doc, &mut teacher, &bytes_base);
    let mut student = base.clone();
    student
        .apply(Action::SetNote {
            id: id.clone(),
            note: "student's note".into(),
            at: 1_791_000_000_000,
        })
        .unwrap();
    let p = plan(&doc, &teacher, &export_bytes(&doc, &student), false);
    assert_eq!(
        (p.report.updated, p.report.conflicts, p.report.new),
        (1, 0, 0)
    );
    // Meanwhile the teacher had also edited it: a conflict; both versions are kept.
    teacher
        .apply(Action::SetNote {
            id: id.clone(),
            note: "teacher's note".into(),
            at: 1_791_000_100_000,
        })
        .unwrap();
    let p = import(&doc, &mut teacher, &export_bytes(&doc, &student));
    assert_eq!((p.report.updated, p.report.conflicts), (0, 1));
    assert_eq!(teacher.get(&id).unwrap().note, "teacher's note");
    let copy = teacher
        .snapshot()
        .annotations
        .into_iter()
        .find(|a| a.conflict_of.as_deref() == Some(id.as_str()))
        .unwrap();
    assert_eq!(copy.note, "student's note");
    // Importing the student's file again: nothing new, not even another copy.
    let again = plan(&doc, &teacher, &export_bytes(&doc, &student), false);
    assert!(again.put.is_empty(), "{:?}", again.report);
    // An older file than what the teacher has is "unchanged": the newer local version wins.
    let p = plan(&doc, &teacher, &bytes_base, false);
    assert_eq!((p.report.unchanged, p.put.len()), (1, 0));
}

#[test]
fn deleted_here_is_not_brought_back_by_an_older_file() {
    let doc = summary();
    let src = store_with(&doc, &[(10, 40, vec!["pillar-1"], "")]);
    let bytes = export_bytes(&doc, &src);
    let mut dst = Store::new();
    import(&doc, &mut dst, &bytes);
    let id = dst.in_document_order()[0].id.clone();
    dst.apply(Action::Delete {
        id,
        at: 1_799_000_000_000,
    })
    .unwrap();
    let p = plan(&doc, &dst, &bytes, false);
    assert_eq!((p.report.deleted_here, p.put.len()), (1, 0));
}

#[test]
fn recogito_array_is_read_anchored_by_quote_and_orphans_are_kept() {
    let doc = summary();
    let bytes = include_bytes!("fixtures/recogito-array.json");
    let file = read_file(bytes).unwrap();
    assert_eq!(file.items.len(), 3);
    assert!(file.rejected.is_empty());
    // Another document: the report says so and nothing is planned until the user agrees.
    let cautious = plan(&doc, &Store::new(), bytes, false);
    assert_eq!(cautious.report.other_document, 3);
    assert!(cautious.put.is_empty());
    let mut store = Store::new();
    let p = plan(&doc, &store, bytes, true);
    assert_eq!(p.report.new, 3);
    assert_eq!(
        p.report.orphans,
        ["a sentence that is not in the President's Summary at all"]
    );
    assert_eq!(p.report.new_tags, ["ASEAN"]);
    store.apply(p.action("recogito.json")).unwrap();
    for (exact, labels) in [
        (
            "prevention is at the heart of the responsibility to protect",
            vec!["Prevention"],
        ),
        (
            "ASEAN could focus on providing regional support for the prevention of atrocity crimes",
            vec![
                "Pillar II",
                "Regional and sub-regional organizations",
                "ASEAN",
            ],
        ),
    ] {
        let at = doc.text[..doc.text.find(exact).unwrap()].chars().count();
        let a = store
            .in_document_order()
            .into_iter()
            .find(|a| a.start == at)
            .expect(exact);
        assert_eq!(a.end - a.start, exact.chars().count());
        let got: Vec<String> = a
            .tags
            .iter()
            .map(|t| store.tag(t).unwrap().label.clone())
            .collect();
        assert_eq!(got, labels);
    }
    let first = store.get("#c2c0fbbd-5b38-4c1c-8f8e-4b8bb0f1d001").unwrap();
    assert_eq!(first.note, "Prevention as the heart of R2P — compare ¶7.");
    assert_eq!(w3c::iso(first.modified), "2026-10-01T09:05:00.000Z");
    let orphans = store.orphans();
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].tags, ["theme-hate-speech-and-media"]);
    // Orphans travel in exports too, with their quote.
    let v: Value = serde_json::from_slice(&export_bytes(&doc, &store)).unwrap();
    assert_eq!(v["total"], 3);
}

#[test]
fn w3c_spec_shapes_are_read_item_by_item() {
    let doc = summary();
    let bytes = include_bytes!("fixtures/w3c-spec-shapes.json");
    let file = read_file(bytes).unwrap();
    let rejected: Vec<(usize, &str)> = file
        .rejected
        .iter()
        .map(|r| (r.index, r.field.as_str()))
        .collect();
    assert_eq!(rejected, [(0, "target"), (3, "target.selector")]);
    assert!(
        file.rejected[1].reason.contains("FragmentSelector"),
        "{}",
        file.rejected[1].reason
    );
    let p = plan(&doc, &Store::new(), bytes, true);
    assert_eq!(p.report.new, 2);
    let comment = p
        .put
        .iter()
        .find(|a| a.id == "http://example.org/anno2")
        .unwrap();
    assert_eq!(comment.note, "Comment text");
    assert_eq!(
        comment.quote,
        "Member States underlined that prevention is at the heart"
    );
    assert!(!comment.orphan);
    // A position alone, on another document, is not trusted: kept as an orphan.
    let tagged = p
        .put
        .iter()
        .find(|a| a.id == "http://example.org/anno3")
        .unwrap();
    assert!(tagged.orphan);
    assert_eq!(
        tagged.note,
        "<b>HTML stays text</b> <script>alert(1)</script>"
    );
}

#[test]
fn whole_file_errors_are_typed_and_clear() {
    let cases: Vec<(Vec<u8>, FileError)> = vec![
        (b"".to_vec(), FileError::Empty),
        (b"  \n ".to_vec(), FileError::Empty),
        (vec![0xff, 0xfe, 0x00], FileError::NotText),
        (
            vec![b' '; w3c::MAX_FILE_BYTES + 1],
            FileError::TooLarge(w3c::MAX_FILE_BYTES + 1),
        ),
        ("[".repeat(10_000).into_bytes(), FileError::TooDeep),
    ];
    for (bytes, expected) in cases {
        assert_eq!(read_file(&bytes).unwrap_err(), expected);
    }
    assert!(matches!(read_file(b"{\"a\":"), Err(FileError::NotJson(m)) if m.contains("line 1")));
    for shape in [
        r#"{"type":"Thing"}"#,
        r#"42"#,
        r#"{"type":"AnnotationCollection","first":"http://x/p1","total":3}"#,
    ] {
        let e = read_file(shape.as_bytes()).unwrap_err();
        assert!(matches!(e, FileError::WrongShape(_)), "{shape}: {e}");
        assert!(e
            .to_string()
            .starts_with("The file is JSON but not W3C annotations"));
    }
}

#[test]
fn bad_items_are_rejected_with_index_and_field_and_never_touch_the_store() {
    let doc = summary();
    let good = |id: &str| {
        json!({
            "id": id, "type": "Annotation",
            "target": { "source": document_iri(&doc.id), "selector": { "type": "TextPositionSelector", "start": 3, "end": 9 } }
        })
    };
    let with_sel =
        |sel: Value| json!({ "id": "x", "type": "Annotation", "target": { "selector": sel } });
    let items = json!([
        good("urn:uuid:11111111-1111-4111-8111-111111111111"),
        with_sel(json!({ "type": "TextPositionSelector", "start": -1, "end": 9 })),
        with_sel(json!({ "type": "TextPositionSelector", "start": 9, "end": 3 })),
        with_sel(json!({ "type": "TextPositionSelector", "start": 1.5, "end": 3 })),
        with_sel(json!({ "type": "TextPositionSelector", "start": 1 })),
        with_sel(json!({ "type": "CssSelector", "value": "p" })),
        json!({ "id": "y", "type": "Annotation" }),
        json!({ "id": "z", "type": "Note", "target": {} }),
        good("urn:uuid:11111111-1111-4111-8111-111111111111"),
        json!({ "id": "t", "type": "Annotation", "created": "yesterday", "target": { "selector": { "type": "TextQuoteSelector", "exact": "dialogue" } } }),
        json!("just a string"),
    ]);
    let file = read_file(items.to_string().as_bytes()).unwrap();
    let got: Vec<(usize, String)> = file
        .rejected
        .iter()
        .map(|r| (r.index, r.field.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (1, "target.selector.start".to_string()),
            (2, "target.selector".into()),
            (3, "target.selector.start".into()),
            (4, "target.selector.end".into()),
            (5, "target.selector".into()),
            (6, "target".into()),
            (7, "type".into()),
            (8, "id".into()),
            (9, "created".into()),
            (10, "".into()),
        ]
    );
    assert!(file.rejected[0].reason.contains("negative"));
    assert!(file.rejected[1].reason.contains("reversed"));
    assert!(file.rejected[2].reason.contains("whole number"));
    assert!(file.rejected[7].reason.contains("item 1"));
    // Out of range on this document: with no quote to fall back on it cannot be placed.
    let far = json!([{ "id": "far", "type": "Annotation", "target": { "source": document_iri(&doc.id),
        "selector": { "type": "TextPositionSelector", "start": 1_000_000, "end": 1_000_005 } } }]);
    let p = plan(&doc, &Store::new(), far.to_string().as_bytes(), false);
    assert!(p.put.iter().all(|a| a.orphan));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn export_then_import_into_an_empty_store_gives_back_the_same(
        spans in proptest::collection::vec((0usize..9000, 1usize..400, 0usize..4, proptest::option::of("[a-z “”🌍<>&\"]{0,20}")), 0..25)
    ) {
        let doc = summary();
        let tags = ["pillar-1", "pillar-2", "theme-prevention", "custom-women-peace-security"];
        let spans: Vec<(usize, usize, Vec<&str>, String)> = spans.into_iter().map(|(s, l, t, n)| {
            let s = s.min(doc.len - 2);
            (s, (s + l).min(doc.len), tags[..t].to_vec(), n.unwrap_or_default())
        }).collect();
        let as_ref: Vec<(usize, usize, Vec<&str>, &str)> = spans.iter().map(|(a, b, t, n)| (*a, *b, t.clone(), n.as_str())).collect();
        let src = store_with(&doc, &as_ref);
        let mut dst = Store::new();
        import(&doc, &mut dst, &export_bytes(&doc, &src));
        prop_assert_eq!(essence(&dst), essence(&src));
        // And the round trip of the round trip is byte-identical.
        prop_assert_eq!(export_bytes(&doc, &dst), export_bytes(&doc, &src));
    }

    #[test]
    fn merging_two_peoples_files_loses_nothing(
        a in proptest::collection::vec((0usize..9000, 1usize..200), 0..12),
        b in proptest::collection::vec((0usize..9000, 1usize..200), 0..12),
    ) {
        let doc = summary();
        let mk = |v: &Vec<(usize, usize)>, who: &str| {
            let mut s = Store::new();
            for (i, &(st, l)) in v.iter().enumerate() {
                let st = st.min(doc.len - 2);
                let en = (st + l).min(doc.len);
                s.apply(Action::Create { id: format!("{who}-{i}"), start: st, end: en, quote: doc.slice(st, en),
                    tags: vec!["pillar-3".into()], creator: Some(who.into()), at: 1_790_000_000_000 + i as i64 }).unwrap();
            }
            s
        };
        let (sa, sb) = (mk(&a, "ana"), mk(&b, "ben"));
        let mut teacher = sa.clone();
        import(&doc, &mut teacher, &export_bytes(&doc, &sb));
        import(&doc, &mut teacher, &export_bytes(&doc, &sa));
        prop_assert_eq!(teacher.len(), sa.len() + sb.len());
        for x in sa.snapshot().annotations.iter().chain(sb.snapshot().annotations.iter()) {
            let got = teacher.get(&x.id).unwrap();
            prop_assert!(got.same_content(x));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let doc = summary();
        if let Ok(file) = read_file(&bytes) {
            let _ = plan_import(&file, &doc, &Anchorer::new(&doc.text), &Store::new(), true, NOW);
        }
    }

    #[test]
    fn arbitrary_json_never_panics_and_failures_are_typed(v in arb_json()) {
        let doc = summary();
        let wrapped = [v.clone(), json!([v.clone()]), json!({"type": "AnnotationPage", "items": [v.clone()]}),
            json!({"type": "Annotation", "target": {"selector": v.clone()}, "body": v.clone()})];
        for w in wrapped {
            match read_file(w.to_string().as_bytes()) {
                Ok(file) => {
                    for r in &file.rejected { prop_assert!(!r.reason.is_empty()); }
                    let p = plan_import(&file, &doc, &Anchorer::new(&doc.text), &Store::new(), true, NOW);
                    let mut s = Store::new();
                    match s.apply(p.action("x.json")) {
                        Ok(_) | Err(StoreError::NothingToImport) => {}
                        Err(e) => prop_assert!(false, "planned import failed: {e}"),
                    }
                }
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-zA-Z<>“”🌍 ]{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("Annotation"),
            Just("TextQuoteSelector"),
            Just("TextPositionSelector"),
            Just("TextualBody"),
            Just("tagging"),
            Just("AnnotationPage"),
            Just("AnnotationCollection")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("type".to_string()),
                    Just("id".to_string()),
                    Just("target".to_string()),
                    Just("selector".to_string()),
                    Just("exact".to_string()),
                    Just("start".to_string()),
                    Just("end".to_string()),
                    Just("body".to_string()),
                    Just("value".to_string()),
                    Just("purpose".to_string()),
                    Just("items".to_string()),
                    Just("first".to_string()),
                    Just("created".to_string()),
                    "[a-z]{1,6}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// 30,000 theme labels that all slug to the same id ("theme"): planning stays linear (it was
/// quadratic in the labels, and cubic in the numbering of the ids).
#[test]
fn thirty_thousand_colliding_theme_labels_plan_quickly() {
    let doc = summary();
    let symbols = ['!', '?', '#', '$', '%', '&', '*', '+'];
    let labels: Vec<String> = (0..30_000usize)
        .map(|mut i| {
            let mut tail = String::new();
            loop {
                tail.push(symbols[i % 8]);
                i /= 8;
                if i == 0 {
                    break;
                }
            }
            format!("Theme {tail}")
        })
        .collect();
    let taxonomy: Vec<Value> = labels.iter().map(|l| json!({ "label": l })).collect();
    let file = json!({
        "type": "AnnotationCollection",
        "r2p:taxonomy": taxonomy,
        "first": { "type": "AnnotationPage", "items": [] }
    });
    let started = std::time::Instant::now();
    let p = plan(&doc, &Store::new(), file.to_string().as_bytes(), false);
    let took = started.elapsed();
    assert_eq!(p.tags.len(), 30_000, "every label is a theme of its own");
    let ids: std::collections::HashSet<&str> = p.tags.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids.len(), 30_000, "with distinct ids");
    assert!(ids.contains("custom-theme") && ids.contains("custom-theme-30000"));
    assert!(took.as_secs_f64() < 2.0, "planning took {took:?}");
    // Taking them in (and merging them into another tab) is linear too.
    let started = std::time::Instant::now();
    let mut store = Store::new();
    store.apply(p.action("themes.json")).expect("applies");
    let mut other = Store::new();
    assert_eq!(other.merge(&store.snapshot()), 30_000);
    let took = started.elapsed();
    assert_eq!(store.custom_tags().len(), 30_000);
    assert_eq!(
        other.tag("custom-theme-30000").map(|t| t.label.as_str()),
        Some(labels[29_999].as_str())
    );
    assert!(
        took.as_secs_f64() < 2.0,
        "applying and merging took {took:?}"
    );
}

/// A file of quotes that are nowhere in the text: each would cost a scan of the whole text (and
/// an approximate one). The searching stops at the anchorer's budget; the rest are kept unplaced,
/// none is lost, and the report says so.
#[test]
fn searching_stops_at_the_budget_and_keeps_the_rest_unplaced() {
    let text = "The responsibility to protect rests first with each State. ".repeat(2_000);
    let doc = Document::parse_plain(&text);
    let items: Vec<Value> = (0..1_000)
        .map(|i| {
            json!({
                "type": "Annotation",
                "id": format!("urn:uuid:00000000-0000-4000-8000-{i:012}"),
                "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Pillar I"}],
                "target": {"selector": {"type": "TextQuoteSelector",
                    "exact": format!("no such passage number {i} anywhere")}}
            })
        })
        .collect();
    let file = read_file(Value::Array(items).to_string().as_bytes()).unwrap();
    // Room for 100 scans of the text (and a few approximate ones).
    let budget = 100 * doc.len as u64;
    let anchorer = Anchorer::with_budget(&doc.text, budget);
    let p = plan_import(&file, &doc, &anchorer, &Store::new(), true, NOW);
    assert!(anchorer.skipped() > 800, "skipped {}", anchorer.skipped());
    assert_eq!(p.report.new, 1_000, "every annotation is kept");
    assert_eq!(p.report.orphans.len(), 1_000, "unplaced, not lost");
    let warning = p
        .report
        .warnings
        .iter()
        .find(|w| w.contains("could not be searched"));
    assert!(
        warning.is_some_and(|w| w.starts_with(&format!("{} annotations", anchorer.skipped()))),
        "{:?}",
        p.report.warnings
    );
}

/// Planning in steps (as the page does, between frames) gives exactly the plan made in one go:
/// on a file with new, updated, conflicting, re-anchored, orphaned, foreign, deleted-here and
/// rejected items, and themes of its own.
#[test]
fn planning_in_steps_gives_the_same_plan_as_in_one_go() {
    use r2p_annotator::core::import::Planner;
    use std::rc::Rc;

    let doc = summary();
    let spans: Vec<(usize, usize, Vec<&str>, &str)> = (0..12)
        .map(|i| (10 + i * 50, 40 + i * 50, vec!["pillar-1"], ""))
        .collect();
    let base = store_with(&doc, &spans);
    let ids: Vec<String> = base
        .in_document_order()
        .iter()
        .map(|a| a.id.clone())
        .collect();
    // The teacher has the base version and edits some (conflicts) and deletes one.
    let mut teacher = Store::new();
    import(&doc, &mut teacher, &export_bytes(&doc, &base));
    for id in &ids[0..3] {
        teacher
            .apply(Action::SetNote {
                id: id.clone(),
                note: "teacher's note".into(),
                at: 1_791_000_100_000,
            })
            .unwrap();
    }
    teacher
        .apply(Action::Delete {
            id: ids[11].clone(),
            at: 1_799_000_000_000,
        })
        .unwrap();
    // The student edits some of the same (conflicts) and others (updates), and adds more.
    let mut student = base.clone();
    for id in &ids[0..6] {
        student
            .apply(Action::SetNote {
                id: id.clone(),
                note: "student's note".into(),
                at: 1_791_000_000_000,
            })
            .unwrap();
    }
    for i in 0..10 {
        let (start, end) = (900 + i * 40, 920 + i * 40);
        student
            .apply(Action::Create {
                id: format!("10000000-0000-4000-8000-{i:012x}"),
                start,
                end,
                quote: doc.slice(start, end),
                tags: vec!["custom-women-peace-security".into()],
                creator: None,
                at: 1_792_000_000_000 + i as i64,
            })
            .unwrap();
    }
    let mut v: Value = serde_json::from_slice(&export_bytes(&doc, &student)).unwrap();
    let items = v["first"]["items"].as_array_mut().unwrap();
    for i in 0..8 {
        // Quotes that are nowhere in the text: kept unplaced.
        items.push(json!({
            "type": "Annotation",
            "id": format!("urn:uuid:20000000-0000-4000-8000-{i:012}"),
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": format!("Theme {}", i % 3)}],
            "target": {"selector": {"type": "TextQuoteSelector", "exact": format!("no such passage {i} at all")}}
        }));
        // Quotes that are in the text, at a position that is not theirs: re-anchored.
        items.push(json!({
            "type": "Annotation",
            "id": format!("urn:uuid:30000000-0000-4000-8000-{i:012}"),
            "target": {"source": document_iri(&doc.id), "selector": [
                {"type": "TextQuoteSelector", "exact": doc.slice(2000 + i * 30, 2020 + i * 30)},
                {"type": "TextPositionSelector", "start": 5 + i, "end": 25 + i}
            ]}
        }));
        // Made on another document.
        items.push(json!({
            "type": "Annotation",
            "id": format!("urn:uuid:40000000-0000-4000-8000-{i:012}"),
            "target": {"source": "https://example.org/other", "selector":
                {"type": "TextQuoteSelector", "exact": doc.slice(3000 + i * 30, 3020 + i * 30)}}
        }));
        // Refused.
        items.push(json!({ "id": format!("bad-{i}"), "type": "Annotation",
            "target": { "selector": { "type": "TextPositionSelector", "start": 9, "end": 3 } } }));
    }
    let file = Rc::new(read_file(v.to_string().as_bytes()).expect("readable"));
    let doc = Rc::new(doc);
    let teacher = Rc::new(teacher);
    for anyway in [false, true] {
        let whole = plan_import(
            &file,
            &doc,
            &Anchorer::new(&doc.text),
            &teacher,
            anyway,
            NOW,
        );
        let r = &whole.report;
        assert!(
            r.new >= 18
                && r.updated == 3
                && r.conflicts == 3
                && r.reanchored >= 8
                && r.orphans.len() >= 8
                && r.rejected.len() == 8
                && r.deleted_here == 1
                && r.other_document == 8
                && !r.new_tags.is_empty(),
            "{r:?}"
        );
        let mut planner = Planner::new(file.clone(), doc.clone(), teacher.clone(), anyway, NOW);
        let total = file.items.len();
        assert_eq!(planner.progress(), (0, total));
        let mut steps = 0;
        while !planner.step(7) {
            steps += 1;
            assert_eq!(planner.progress(), (steps * 7, total));
        }
        assert_eq!(planner.progress(), (total, total));
        assert_eq!(steps, total.div_ceil(7) - 1);
        assert_eq!(planner.finish(), whole, "anchor_other_document: {anyway}");
        // Finishing early plans the rest.
        let mut planner = Planner::new(file.clone(), doc.clone(), teacher.clone(), anyway, NOW);
        planner.step(7);
        assert_eq!(planner.finish(), whole);
    }
}
