//! A small class end to end on the summary: five generated files through the roster, the heat
//! layer, hidden names and both exports.

use serde_json::json;
use sha2::{Digest, Sha256};

use super::export::{collection, csv};
use super::heat::{run_label, Heat};
use super::testing::{at, file_of, item};
use super::{ClassFile, ClassSet, Filter, Outcome};
use crate::core::document::Document;
use crate::core::w3c::read_file;

/// An annotation of the summary on `phrase`.
fn on(
    d: &Document,
    id: &str,
    phrase: &str,
    tags: &[&str],
    note: &str,
    creator: Option<&str>,
) -> serde_json::Value {
    let (s, e) = at(d, phrase);
    item(d, id, (s, e, tags, note), creator)
}

/// The five files: Amina's two (her name written two ways, one annotation in both), Ben's with
/// no name in it, Chloé's made on another text, and a broken one.
fn files(d: &Document) -> Vec<ClassFile> {
    let amina = Some("Amina Diallo");
    let a1 = on(
        d,
        "a1",
        "three types of assistance",
        &["Pillar II"],
        "States first",
        amina,
    );
    let mut a1_again = a1.clone();
    a1_again["creator"] = json!({"type": "Person", "name": "amina  DIALLO"});
    let mut chloe = json!({
        "type": "AnnotationCollection",
        "creator": {"type": "Person", "name": "Chloé Martin"},
        "first": {"type": "AnnotationPage", "items": [
            on(d, "c1", "three types of assistance", &["Pillar II"], "", None)
        ]}
    });
    let target = &mut chloe["first"]["items"][0]["target"];
    target["source"] = json!("ni:///sha-256;another-text");
    // Where the passage was in the other text.
    target["selector"][1] = json!({"type": "TextPositionSelector", "start": 0, "end": 25});
    vec![
        file_of(
            "amina-diallo.json",
            vec![
                a1,
                on(
                    d,
                    "a2",
                    "renewed commitment to prevention",
                    &["Prevention"],
                    "",
                    amina,
                ),
            ],
        ),
        file_of(
            "amina-late.json",
            vec![
                a1_again,
                on(
                    d,
                    "a3",
                    "peer-to-peer review",
                    &["Pillar II"],
                    "",
                    Some("amina  DIALLO"),
                ),
            ],
        ),
        file_of(
            "ben.json",
            vec![
                on(
                    d,
                    "b1",
                    "types of assistance under Pillar II",
                    &["Pillar II"],
                    "",
                    None,
                ),
                on(d, "b2", "renewed commitment", &["Pillar I"], "", None),
            ],
        ),
        ClassFile {
            name: "chloe.json".into(),
            bytes: serde_json::to_vec(&chloe).unwrap(),
        },
        ClassFile {
            name: "broken.json".into(),
            bytes: br#"{"type": "AnnotationCollection", "first": "#.to_vec(),
        },
    ]
}

/// Hidden letters go by the SHA-256 of the name keys: the rank of `key` among `keys`.
fn letter(key: &str, keys: &[&str]) -> char {
    let hex = |k: &str| -> String {
        Sha256::digest(k.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let rank = keys.iter().filter(|k| hex(k) < hex(key)).count();
    char::from(b'A' + rank as u8)
}

#[test]
fn a_class_of_five_files() {
    let d = Document::default_summary();
    let mut class = ClassSet::new(&d.id);
    let opened = class.add_files(&d, &files(&d));
    assert_eq!(
        opened.summary(),
        "Opened 5 files: 2 new students, 1 file added to students already in the class, 1 file for another document set aside and 1 file could not be read."
    );
    assert!(matches!(
        &opened.files[1].outcome,
        Outcome::Added {
            joined: true,
            repeated: 1,
            placed: 2,
            ..
        }
    ));
    let Outcome::Unreadable(why) = &opened.files[4].outcome else {
        panic!("{:?}", opened.files[4])
    };
    assert!(
        why.starts_with("The file is not valid JSON: EOF while parsing"),
        "{why}"
    );

    // Merged by creator; named by the file where the file names nobody.
    let names: Vec<String> = class
        .order(false)
        .iter()
        .map(|&i| class.name(i, false))
        .collect();
    assert_eq!(names, ["Amina Diallo", "ben"]);
    let amina = &class.students()[class.student("amina diallo").unwrap()];
    assert_eq!(amina.files, ["amina-diallo.json", "amina-late.json"]);
    assert_eq!(amina.marks.len(), 3, "a1 kept once");
    assert_eq!(class.aside()[0].name, "Chloé Martin");

    // Exact CSV. Pillar II: Amina's 25 + 19 code points in ¶4, Ben's 35 there; Prevention: her 32
    // in ¶2; Pillar I: Ben's 18 in ¶2.
    assert_eq!(
        csv(&class, &d, None, false),
        "\u{feff}Student,Tag,Tag id,Kind,Annotations,Unplaced,Paragraphs,Characters\r\n\
         Amina Diallo,Pillar I,pillar-1,Pillar,0,0,0,0\r\n\
         Amina Diallo,Pillar II,pillar-2,Pillar,2,0,1,44\r\n\
         Amina Diallo,Prevention,theme-prevention,Theme,1,0,1,32\r\n\
         ben,Pillar I,pillar-1,Pillar,1,0,1,18\r\n\
         ben,Pillar II,pillar-2,Pillar,1,0,1,35\r\n\
         ben,Prevention,theme-prevention,Theme,0,0,0,0\r\n"
    );

    // Hidden names, everywhere: letters by hash of the three names met in the batch.
    let keys = ["amina diallo", "ben", "chloé martin"];
    let (a, b, c) = (
        letter(keys[0], &keys),
        letter(keys[1], &keys),
        letter(keys[2], &keys),
    );
    let mut hidden_rows: Vec<String> = vec![
        format!("Student {a},Pillar I,pillar-1,Pillar,0,0,0,0"),
        format!("Student {a},Pillar II,pillar-2,Pillar,2,0,1,44"),
        format!("Student {a},Prevention,theme-prevention,Theme,1,0,1,32"),
        format!("Student {b},Pillar I,pillar-1,Pillar,1,0,1,18"),
        format!("Student {b},Pillar II,pillar-2,Pillar,1,0,1,35"),
        format!("Student {b},Prevention,theme-prevention,Theme,0,0,0,0"),
    ];
    if b < a {
        hidden_rows.rotate_left(3);
    }
    let hidden = csv(&class, &d, None, true);
    let rows: Vec<&str> = hidden.trim_end().split("\r\n").skip(1).collect();
    assert_eq!(rows, hidden_rows);
    assert_eq!(
        class.name_of("chloé martin", true),
        Some(format!("Student {c}"))
    );
    let heat = Heat::new(&class, &Filter::Tag("pillar-2".into()));
    let (s, _) = at(&d, "types of assistance under");
    let run = heat.run_at(s).unwrap();
    assert_eq!(
        run_label(run.students, heat.class_size()),
        "Marked by 2 of 2 students"
    );
    let said: Vec<String> = heat
        .details(run, &class, true)
        .into_iter()
        .map(|x| x.name)
        .collect();
    let mut want = vec![format!("Student {a}"), format!("Student {b}")];
    want.sort();
    assert_eq!(said, want);

    // Chloé's file placed by its quote on request (not where the other text had it); the
    // collection signs every annotation.
    let placed = class.anchor_aside(&d);
    assert!(matches!(
        &placed.files[0].outcome,
        Outcome::Added {
            moved: 1,
            placed: 0,
            joined: false,
            ..
        }
    ));
    let creators = |hide: bool| -> Vec<String> {
        let v = collection(&class, &d, hide, 1_795_000_000_000);
        let back = read_file(&serde_json::to_vec(&v).unwrap()).unwrap();
        assert_eq!(back.rejected, vec![]);
        back.items.into_iter().map(|i| i.creator.unwrap()).collect()
    };
    assert_eq!(
        creators(false),
        [
            "Amina Diallo",
            "Amina Diallo",
            "Amina Diallo",
            "ben",
            "ben",
            "Chloé Martin"
        ]
    );
    let mut by_letter = vec![(a, 3), (b, 2), (c, 1)];
    by_letter.sort();
    let want: Vec<String> = by_letter
        .into_iter()
        .flat_map(|(l, n)| std::iter::repeat_n(format!("Student {l}"), n))
        .collect();
    assert_eq!(creators(true), want);
}
