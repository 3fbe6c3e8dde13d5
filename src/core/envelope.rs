//! The storage envelope: a versioned record of one document's annotations, and its key names.

use std::collections::BTreeMap;

use serde::{de, Deserialize, Serialize};

use super::anchor::{Anchorer, Anchoring, Selectors};
use super::document::Document;
use super::store::{Annotation, Millis, Snapshot, MAX_ID_CHARS};
use super::tags::Tag;

/// The envelope version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;
/// Names the app in the envelope so that a stray value is not mistaken for ours.
pub const APP: &str = "r2p-annotator";
/// Prefix of every localStorage key the app writes.
pub const KEY_PREFIX: &str = "r2p-annotator";

/// The localStorage key that holds the annotations of the document with this content id.
pub fn annotations_key(document_id: &str) -> String {
    format!("{KEY_PREFIX}:v{SCHEMA_VERSION}:annotations:{document_id}")
}

/// What is stored under [`annotations_key`]: one JSON object holding the envelope's fields and
/// then the snapshot's ([`Stored`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// Schema version ([`SCHEMA_VERSION`]).
    pub schema: u32,
    /// Always [`APP`].
    pub app: String,
    /// SHA-256 of the canonical text the offsets refer to.
    pub document: String,
    /// Annotations, tombstones and user themes.
    pub data: Snapshot,
}

/// The stored object, field by field (the snapshot's fields borrowed to write, owned to read).
/// Not a `#[serde(flatten)]` snapshot: that makes serde buffer every value of the record before
/// reading it, a slower path and more wasm.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored<A, D, T> {
    schema: u32,
    app: String,
    document: String,
    annotations: A,
    #[serde(default)]
    deleted: D,
    #[serde(default)]
    custom_tags: T,
}

/// The format version alone (`schema` of a top-level object, when a whole number), read before
/// the rest so that a newer format is not called damaged; every other value is skipped unread.
struct Version(Option<u64>);

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Version, D::Error> {
        struct Fields;
        impl<'de> de::Visitor<'de> for Fields {
            type Value = Version;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: de::MapAccess<'de>>(self, mut map: M) -> Result<Version, M::Error> {
                let mut schema = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "schema" {
                        schema = map.next_value::<serde_json::Value>()?.as_u64();
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                Ok(Version(schema))
            }
        }
        d.deserialize_map(Fields)
    }
}

/// Why stored data could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EnvelopeError {
    /// Not JSON, or JSON of the wrong shape.
    #[error("The saved annotations are damaged and could not be read ({0}).")]
    Corrupt(String),
    /// Written by a newer version of the app.
    #[error("The saved annotations were written by a newer version of R2P Annotator (format {0}; this one reads format {SCHEMA_VERSION}).")]
    NewerVersion(u64),
    /// Belongs to another document.
    #[error("The saved annotations belong to a different document.")]
    OtherDocument,
}

impl Envelope {
    /// Wraps a snapshot for the document with this content id.
    pub fn new(document_id: &str, data: Snapshot) -> Envelope {
        Envelope {
            schema: SCHEMA_VERSION,
            app: APP.into(),
            document: document_id.into(),
            data,
        }
    }

    /// Serialises deterministically (the snapshot is already in document order).
    pub fn to_json(&self) -> String {
        let Snapshot {
            annotations,
            deleted,
            custom_tags,
        } = &self.data;
        let stored = Stored {
            schema: self.schema,
            app: self.app.clone(),
            document: self.document.clone(),
            annotations,
            deleted,
            custom_tags,
        };
        serde_json::to_string(&stored).expect("an envelope always serialises")
    }

    /// Reads stored text, checking the version first so that a newer format is not called damaged.
    pub fn parse(
        raw: &str,
        document_id: &str,
        document_len: usize,
    ) -> Result<Envelope, EnvelopeError> {
        let corrupt = |e: serde_json::Error| EnvelopeError::Corrupt(e.to_string());
        let schema = match serde_json::from_str::<Version>(raw) {
            Ok(Version(Some(s))) => s,
            Err(e) if !e.is_data() => return Err(corrupt(e)),
            _ => return Err(EnvelopeError::Corrupt("no format version".into())),
        };
        if schema > u64::from(SCHEMA_VERSION) {
            return Err(EnvelopeError::NewerVersion(schema));
        }
        let s: Stored<Vec<Annotation>, BTreeMap<String, Millis>, Vec<Tag>> =
            serde_json::from_str(raw).map_err(corrupt)?;
        let env = Envelope {
            schema: s.schema,
            app: s.app,
            document: s.document,
            data: Snapshot {
                annotations: s.annotations,
                deleted: s.deleted,
                custom_tags: s.custom_tags,
            },
        };
        if env.app != APP || env.schema == 0 {
            return Err(EnvelopeError::Corrupt("not R2P Annotator data".into()));
        }
        if env.document != document_id {
            return Err(EnvelopeError::OtherDocument);
        }
        check(&env.data, document_len)?;
        Ok(env)
    }
}

impl Envelope {
    /// Reads stored text for `doc` as it is now. Annotations whose position no longer holds
    /// their quote — the document's text changed, for instance when a new version of the app
    /// reads a source differently — are found again by their quote (and placed nearest their
    /// old position), or kept unplaced: never dropped, never called damaged.
    pub fn read(raw: &str, doc: &Document) -> Result<Envelope, EnvelopeError> {
        let mut env = Envelope::parse(raw, &doc.id, usize::MAX)?;
        let anns = &env.data.annotations;
        let points: Vec<usize> = anns.iter().flat_map(|a| [a.start, a.end]).collect();
        let bytes = doc.byte_offsets(&points);
        let fits = |i: usize, a: &Annotation| {
            a.orphan
                || matches!((bytes[2 * i], bytes[2 * i + 1]), (Some(s), Some(e)) if doc.text[s..e] == a.quote)
        };
        let misplaced: Vec<usize> = anns
            .iter()
            .enumerate()
            .filter(|&(i, a)| !fits(i, a))
            .map(|(i, _)| i)
            .collect();
        if misplaced.is_empty() {
            return Ok(env);
        }
        let anchorer = Anchorer::new(&doc.text);
        for i in misplaced {
            let a = &mut env.data.annotations[i];
            let sel = Selectors {
                exact: Some(a.quote.clone()),
                prefix: String::new(),
                suffix: String::new(),
                position: Some((a.start, a.end)),
            };
            match anchorer.anchor(&sel, true) {
                Anchoring::Position { start, end }
                | Anchoring::Moved { start, end }
                | Anchoring::Fuzzy { start, end, .. } => {
                    a.start = start;
                    a.end = end;
                    a.quote = doc.slice(start, end);
                }
                Anchoring::Orphan => a.orphan = true,
            }
        }
        Ok(env)
    }
}

/// What [`Envelope::parse`] requires of every annotation; checked before writing too, so that
/// the app never stores what it could not read back.
pub fn check(data: &Snapshot, document_len: usize) -> Result<(), EnvelopeError> {
    for a in &data.annotations {
        if a.id.is_empty() || a.id.chars().count() > MAX_ID_CHARS {
            return Err(EnvelopeError::Corrupt(format!(
                "an annotation has an id of {} characters",
                a.id.chars().count()
            )));
        }
        if !a.orphan && (a.start >= a.end || a.end > document_len) {
            return Err(EnvelopeError::Corrupt(format!(
                "annotation “{}” has an impossible position {}–{}",
                a.id, a.start, a.end
            )));
        }
    }
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::store::{Action, Store};

    fn sample() -> Store {
        let mut s = Store::new();
        for (i, (a, b)) in [(5, 9), (0, 30), (7, 8)].into_iter().enumerate() {
            s.apply(Action::Create {
                id: format!("id-{i}"),
                start: a,
                end: b,
                quote: "“R2P” 🌍".into(),
                tags: vec!["pillar-3".into()],
                creator: Some("Amina".into()),
                at: 1_700_000_000_000 + i as i64,
            })
            .unwrap();
        }
        s.apply(Action::Delete {
            id: "id-2".into(),
            at: 1_700_000_000_100,
        })
        .unwrap();
        s
    }

    #[test]
    fn round_trip_is_exact_and_deterministic() {
        let s = sample();
        let env = Envelope::new("doc", s.snapshot());
        let json = env.to_json();
        assert_eq!(Envelope::parse(&json, "doc", 100).unwrap(), env);
        assert_eq!(Envelope::new("doc", s.clone().snapshot()).to_json(), json);
        assert!(json.starts_with(
            r#"{"schema":1,"app":"r2p-annotator","document":"doc","annotations":[{"id":"id-1""#
        ));
        let mut t = Store::new();
        t.merge(&Envelope::parse(&json, "doc", 100).unwrap().data);
        assert_eq!(t.snapshot(), s.snapshot());
    }

    #[test]
    fn the_stored_object_is_flat_in_field_order() {
        let data = Snapshot {
            annotations: vec![Annotation {
                id: "a".into(),
                start: 1,
                end: 3,
                quote: "bc".into(),
                tags: vec!["pillar-1".into()],
                note: String::new(),
                created: 5,
                modified: 6,
                creator: None,
                history: vec![],
                orphan: false,
                conflict_of: None,
            }],
            deleted: BTreeMap::from([("z".to_string(), 9)]),
            custom_tags: vec![],
        };
        let json = Envelope::new("doc", data.clone()).to_json();
        assert_eq!(
            json,
            r#"{"schema":1,"app":"r2p-annotator","document":"doc","annotations":[{"id":"a","start":1,"end":3,"quote":"bc","tags":["pillar-1"],"note":"","created":5,"modified":6}],"deleted":{"z":9},"customTags":[]}"#
        );
        assert_eq!(Envelope::parse(&json, "doc", 10).unwrap().data, data);
        // Tombstones and themes may be absent; fields the app does not know are skipped.
        let lean =
            r#"{"extra":[1],"schema":1,"app":"r2p-annotator","document":"doc","annotations":[]}"#;
        assert_eq!(
            Envelope::parse(lean, "doc", 10).unwrap(),
            Envelope::new("doc", Snapshot::default())
        );
    }

    #[test]
    fn corrupt_newer_and_foreign_data_are_told_apart() {
        let good = Envelope::new("doc", sample().snapshot()).to_json();
        for raw in [
            "",
            "{",
            "null",
            "[1,2]",
            r#"{"schema":"x"}"#,
            r#"{"schema":1}"#,
        ] {
            assert!(
                matches!(
                    Envelope::parse(raw, "doc", 100),
                    Err(EnvelopeError::Corrupt(_))
                ),
                "{raw}"
            );
        }
        let newer = good.replacen(r#""schema":1"#, r#""schema":7"#, 1);
        assert_eq!(
            Envelope::parse(&newer, "doc", 100),
            Err(EnvelopeError::NewerVersion(7))
        );
        // A newer format is told apart whatever else it holds.
        assert_eq!(
            Envelope::parse(r#"{"annotations":{"new":"shape"},"schema":2}"#, "doc", 100),
            Err(EnvelopeError::NewerVersion(2))
        );
        for raw in [
            r#"{"schema":-1}"#,
            r#"{"schema":1.5}"#,
            r#"{"schema":null}"#,
            "[1,2]",
        ] {
            assert_eq!(
                Envelope::parse(raw, "doc", 100),
                Err(EnvelopeError::Corrupt("no format version".into())),
                "{raw}"
            );
        }
        // Text that is not JSON keeps the parser's own words.
        assert_eq!(
            Envelope::parse("{", "doc", 100),
            Err(EnvelopeError::Corrupt(
                "EOF while parsing an object at line 1 column 1".into()
            ))
        );
        assert_eq!(
            Envelope::parse(&good, "other", 100),
            Err(EnvelopeError::OtherDocument)
        );
        let err = Envelope::parse(&good, "doc", 20).unwrap_err();
        assert!(
            err.to_string().contains("impossible position 0–30"),
            "{err}"
        );
        let not_ours = good.replacen("r2p-annotator", "someone-else", 1);
        assert!(matches!(
            Envelope::parse(&not_ours, "doc", 100),
            Err(EnvelopeError::Corrupt(_))
        ));
    }

    #[test]
    fn keys_are_documented() {
        assert_eq!(annotations_key("abc"), "r2p-annotator:v1:annotations:abc");
    }
}
