//! W3C Web Annotation JSON: exports a document's annotations and reads foreign files strictly.
//!
//! Export writes an `AnnotationCollection` with one embedded `AnnotationPage`. Reading accepts a
//! collection, a page, an array of annotations or a single annotation, checks every annotation
//! on its own, and turns each into an [`Incoming`] or a [`Rejection`] saying which item and field.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::anchor::{Anchorer, Selectors};
use super::document::Document;
use super::store::{Annotation, Millis, Store, MAX_ID_CHARS};
use super::tags::{slug, Tag, TagKind};
pub use super::time::{iso, parse_iso};

/// The W3C Web Annotation JSON-LD context.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// Code points of quote context exported on each side.
pub const CONTEXT_CHARS: usize = 32;
/// Largest file the importer reads.
pub const MAX_FILE_BYTES: usize = 10_000_000;
/// Most annotations one file may hold.
pub const MAX_ITEMS: usize = 100_000;
/// Extension property: the user's own themes (label, colour, description, badge).
pub const TAXONOMY_KEY: &str = "r2p:taxonomy";
/// Extension property: `modified` times of earlier versions, for telling updates from conflicts.
pub const HISTORY_KEY: &str = "r2p:history";
/// Extension property: the id of the annotation a conflict copy was made beside.
pub const CONFLICT_KEY: &str = "r2p:conflictOf";

/// RFC 6920 `ni:` IRI of a document from its SHA-256 hex id: names the text by its content.
pub fn document_iri(document_id: &str) -> String {
    let bytes: Vec<u8> = (0..document_id.len() / 2)
        .filter_map(|i| u8::from_str_radix(document_id.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    format!("ni:///sha-256;{}", base64url(&bytes))
}

/// base64url without padding (RFC 4648 §5), as `ni:` IRIs write digests.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        // Up to 24 bits, first byte highest; n bytes make n + 1 six-bit digits.
        let bits =
            (chunk.iter().enumerate()).fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(bits >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// A name-based UUID string for stable collection and page ids.
fn derived_uuid(seed: &str) -> String {
    let h = Sha256::digest(seed.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    uuid_string(b, 5)
}

/// Formats 16 bytes as a UUID string of the given version (4: random, 5: name-based).
pub fn uuid_string(mut b: [u8; 16], version: u8) -> String {
    b[6] = (b[6] & 0x0f) | (version << 4);
    b[8] = (b[8] & 0x3f) | 0x80;
    let x: String = b.iter().map(|v| format!("{v:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

/// The annotation id as an IRI: UUIDs become `urn:uuid:…`, IRIs stay, anything else is wrapped.
pub fn annotation_iri(id: &str) -> String {
    let is_uuid = id.len() == 36
        && id.chars().enumerate().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    if is_uuid {
        format!("urn:uuid:{id}")
    } else if id.contains(':') {
        id.to_string()
    } else {
        format!("urn:r2p-annotator:annotation:{id}")
    }
}

/// The local id of an annotation IRI (inverse of [`annotation_iri`]).
pub fn local_id(iri: &str) -> String {
    iri.strip_prefix("urn:uuid:")
        .or_else(|| iri.strip_prefix("urn:r2p-annotator:annotation:"))
        .unwrap_or(iri)
        .to_string()
}

/// The export file's name: `<document-slug>-annotations.json` (with `-<name>` when a name is set).
pub fn export_file_name(doc: &Document, name: Option<&str>) -> String {
    // Whole words only, up to about 60 characters.
    let mut base = String::new();
    for word in slug(doc.title()).split('-') {
        if !base.is_empty() && base.chars().count() + word.chars().count() >= 60 {
            break;
        }
        if !base.is_empty() {
            base.push('-');
        }
        base.extend(word.chars().take(60));
    }
    if base.is_empty() {
        base = "document".into();
    }
    match name.map(slug).filter(|s| !s.is_empty()) {
        Some(n) => format!("{base}-annotations-{n}.json"),
        None => format!("{base}-annotations.json"),
    }
}

/// One annotation as W3C JSON; `label` names a tag id. An unplaced annotation (`orphan`) has no
/// trustworthy position: only its quote travels.
pub(crate) fn annotation_json(
    a: &Annotation,
    label: &dyn Fn(&str) -> String,
    source: &str,
    anchorer: &Anchorer,
) -> Value {
    let mut body: Vec<Value> = a
        .tags
        .iter()
        .map(|t| json!({ "type": "TextualBody", "purpose": "tagging", "value": label(t) }))
        .collect();
    if !a.note.is_empty() {
        body.push(json!({
            "type": "TextualBody", "purpose": "commenting", "value": a.note, "format": "text/plain"
        }));
    }
    let motivation = if !a.note.is_empty() {
        "commenting"
    } else if !a.tags.is_empty() {
        "tagging"
    } else {
        "highlighting"
    };
    let selector = if a.orphan && a.quote.is_empty() {
        // Unplaced with no quote (it came with a position only): where it said is all there is.
        json!([{ "type": "TextPositionSelector", "start": a.start, "end": a.end }])
    } else if a.orphan {
        json!([{ "type": "TextQuoteSelector", "exact": a.quote, "prefix": "", "suffix": "" }])
    } else {
        let (prefix, suffix) = anchorer.context(a.start, a.end, CONTEXT_CHARS);
        json!([
            { "type": "TextQuoteSelector", "exact": a.quote, "prefix": prefix, "suffix": suffix },
            { "type": "TextPositionSelector", "start": a.start, "end": a.end }
        ])
    };
    let mut item = json!({
        "id": annotation_iri(&a.id),
        "type": "Annotation",
        "motivation": motivation,
        "created": iso(a.created),
        "modified": iso(a.modified),
        "body": body,
        "target": { "source": source, "selector": selector }
    });
    let obj = item.as_object_mut().expect("object");
    if let Some(name) = &a.creator {
        obj.insert("creator".into(), json!({ "type": "Person", "name": name }));
    }
    if !a.history.is_empty() {
        obj.insert(HISTORY_KEY.into(), json!(a.history));
    }
    if let Some(of) = &a.conflict_of {
        obj.insert(CONFLICT_KEY.into(), json!(annotation_iri(of)));
    }
    item
}

/// Exports every annotation (placed ones in document order, then unplaced ones) as a W3C
/// `AnnotationCollection` with one embedded `AnnotationPage`.
pub fn export(doc: &Document, store: &Store, anchorer: &Anchorer, generated: Millis) -> Value {
    let source = document_iri(&doc.id);
    let label = |t: &str| store.tag(t).map_or(t, |t| t.label.as_str()).to_string();
    let items: Vec<Value> = store
        .in_document_order()
        .into_iter()
        .chain(store.orphans())
        .map(|a| annotation_json(a, &label, &source, anchorer))
        .collect();
    let title: String = doc.title().split_whitespace().collect::<Vec<_>>().join(" ");
    collection_json(
        &doc.id,
        &format!("Annotations on “{title}”"),
        items,
        store.custom_tags(),
        generated,
    )
}

/// An `AnnotationCollection` of `items` in one embedded page, its ids derived from `seed` (so the
/// same export gets the same ids), carrying the user's own themes in [`TAXONOMY_KEY`].
pub(crate) fn collection_json(
    seed: &str,
    label: &str,
    items: Vec<Value>,
    themes: &[Tag],
    generated: Millis,
) -> Value {
    let collection = format!("urn:uuid:{}", derived_uuid(&format!("collection {seed}")));
    let page = format!("urn:uuid:{}", derived_uuid(&format!("page 0 {seed}")));
    let taxonomy: Vec<Value> = themes
        .iter()
        .map(|t| json!({ "label": t.label, "color": t.color, "description": t.description, "badge": t.badge }))
        .collect();
    json!({
        "@context": CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": label,
        "total": items.len(),
        "generator": { "type": "Software", "name": "R2P Annotator" },
        "generated": iso(generated),
        TAXONOMY_KEY: taxonomy,
        "first": {
            "id": page,
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items
        }
    })
}

/// Why a whole file was refused; nothing changes.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FileError {
    /// Nothing in it.
    #[error("The file is empty.")]
    Empty,
    /// Over [`MAX_FILE_BYTES`].
    #[error("The file is too large ({0} bytes); the limit is 10 MB.")]
    TooLarge(usize),
    /// Not UTF-8 text.
    #[error("The file is not UTF-8 text, so it cannot be JSON.")]
    NotText,
    /// Nested deeper than the reader allows.
    #[error("The file is nested too deeply to be an annotation file.")]
    TooDeep,
    /// A JSON syntax error.
    #[error("The file is not valid JSON: {0}.")]
    NotJson(String),
    /// JSON, but not annotations.
    #[error("The file is JSON but not W3C annotations: {0}")]
    WrongShape(String),
}

/// An annotation read from a file, before anchoring.
#[derive(Clone, Debug, PartialEq)]
pub struct Incoming {
    /// Position of the item in the file (0-based, in reading order).
    pub index: usize,
    /// Local id (from the IRI, or derived from the content when the item has none).
    pub id: String,
    /// The target's source IRI, if any.
    pub source: Option<String>,
    /// Quote and position selectors.
    pub selectors: Selectors,
    /// Tag labels, in order.
    pub tags: Vec<String>,
    /// The note (commenting bodies joined).
    pub note: String,
    /// Creation time (0 when the file has none).
    pub created: Millis,
    /// Last change (the creation time when the file has none).
    pub modified: Millis,
    /// Creator's name.
    pub creator: Option<String>,
    /// Earlier versions' times.
    pub history: Vec<Millis>,
    /// Conflict copy of this id.
    pub conflict_of: Option<String>,
    /// Bodies of kinds this app does not keep (links, images…).
    pub ignored_bodies: usize,
}

/// An annotation the file holds but that cannot be taken, with where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// Position of the item in the file (0-based).
    pub index: usize,
    /// The field at fault ("target.selector", "created", …).
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

/// A user theme carried by a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileTag {
    /// Label.
    pub label: String,
    /// Colour `#rrggbb` (checked when used).
    pub color: String,
    /// Description.
    pub description: String,
    /// Badge.
    pub badge: String,
}

/// What a file holds, item by item.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileContents {
    /// Readable annotations.
    pub items: Vec<Incoming>,
    /// Unreadable ones.
    pub rejected: Vec<Rejection>,
    /// Themes the file defines.
    pub taxonomy: Vec<FileTag>,
    /// Things the reader noticed but that do not stop the import.
    pub warnings: Vec<String>,
    /// The `creator` of the collection or page as a whole, when it names one.
    pub creator: Option<String>,
}

fn has_type(v: &Value, name: &str) -> bool {
    match v.get("type") {
        Some(Value::String(s)) => s == name,
        Some(Value::Array(a)) => a.iter().any(|t| t.as_str() == Some(name)),
        _ => false,
    }
}

fn reject(index: usize, field: &str, reason: impl Into<String>) -> Rejection {
    Rejection {
        index,
        field: field.into(),
        reason: reason.into(),
    }
}

fn as_list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    }
}

fn string_field(
    obj: &Map<String, Value>,
    key: &str,
    index: usize,
) -> Result<Option<String>, Rejection> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(reject(index, key, format!("“{key}” must be text"))),
    }
}

fn time_field(
    obj: &Map<String, Value>,
    key: &str,
    index: usize,
) -> Result<Option<Millis>, Rejection> {
    match string_field(obj, key, index)? {
        None => Ok(None),
        Some(s) => parse_iso(&s).map(Some).ok_or_else(|| {
            reject(
                index,
                key,
                format!("“{key}” is not an ISO 8601 date-time: {}", clip(&s)),
            )
        }),
    }
}

fn clip(s: &str) -> String {
    let mut c: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        c.push('…');
    }
    c
}

fn position_value(sel: &Map<String, Value>, key: &str, index: usize) -> Result<usize, Rejection> {
    let field = format!("target.selector.{key}");
    match sel.get(key) {
        None => Err(reject(
            index,
            &field,
            format!("TextPositionSelector has no “{key}”"),
        )),
        Some(Value::Number(n)) => {
            if let Some(u) = n.as_u64() {
                usize::try_from(u).map_err(|_| reject(index, &field, "position is too large"))
            } else if n.as_i64().is_some_and(|i| i < 0) || n.as_f64().is_some_and(|f| f < 0.0) {
                Err(reject(
                    index,
                    &field,
                    format!("position “{key}” is negative ({n})"),
                ))
            } else {
                Err(reject(
                    index,
                    &field,
                    format!("position “{key}” is not a whole number ({n})"),
                ))
            }
        }
        Some(_) => Err(reject(
            index,
            &field,
            format!("position “{key}” is not a number"),
        )),
    }
}

fn read_selectors(target: &Value, index: usize) -> Result<(Option<String>, Selectors), Rejection> {
    let target = match target {
        Value::Array(a) => a
            .iter()
            .find(|t| t.get("selector").is_some())
            .unwrap_or(&Value::Null),
        t => t,
    };
    let Some(obj) = target.as_object() else {
        return Err(reject(
            index,
            "target",
            "the target has no selector, so the passage is unknown",
        ));
    };
    let source = string_field(obj, "source", index)?;
    let Some(selector) = obj.get("selector") else {
        return Err(reject(
            index,
            "target.selector",
            "the target has no selector, so the passage is unknown",
        ));
    };
    let mut sel = Selectors::default();
    let mut unknown: Vec<String> = Vec::new();
    for s in as_list(selector) {
        let Some(s_obj) = s.as_object() else {
            return Err(reject(
                index,
                "target.selector",
                "a selector must be an object",
            ));
        };
        if has_type(s, "TextQuoteSelector") {
            let exact = string_field(s_obj, "exact", index)?.unwrap_or_default();
            if exact.is_empty() {
                return Err(reject(
                    index,
                    "target.selector.exact",
                    "TextQuoteSelector has an empty “exact”",
                ));
            }
            sel.exact = Some(exact);
            sel.prefix = string_field(s_obj, "prefix", index)?.unwrap_or_default();
            sel.suffix = string_field(s_obj, "suffix", index)?.unwrap_or_default();
        } else if has_type(s, "TextPositionSelector") {
            let start = position_value(s_obj, "start", index)?;
            let end = position_value(s_obj, "end", index)?;
            if start > end {
                return Err(reject(
                    index,
                    "target.selector",
                    format!("TextPositionSelector is reversed (start {start} > end {end})"),
                ));
            }
            if start == end {
                return Err(reject(
                    index,
                    "target.selector",
                    format!("TextPositionSelector is empty (start = end = {start})"),
                ));
            }
            sel.position = Some((start, end));
        } else {
            let t = s
                .get("type")
                .map_or_else(|| "no type".to_string(), |t| t.to_string());
            unknown.push(t);
        }
    }
    if sel.exact.is_none() && sel.position.is_none() {
        return Err(reject(
            index,
            "target.selector",
            format!(
                "no TextQuoteSelector or TextPositionSelector (found: {})",
                unknown.join(", ")
            ),
        ));
    }
    Ok((source, sel))
}

fn read_creator(v: Option<&Value>) -> Option<String> {
    let v = v?;
    let name = match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o
            .get("name")
            .or_else(|| o.get("nickname"))
            .and_then(Value::as_str)
            .map(str::to_string),
        Value::Array(a) => a.iter().find_map(|x| read_creator(Some(x))),
        _ => None,
    }?;
    let name = name.trim().to_string();
    (!name.is_empty()).then(|| name.chars().take(120).collect())
}

fn read_item(v: &Value, index: usize) -> Result<Incoming, Rejection> {
    let Some(obj) = v.as_object() else {
        return Err(reject(index, "", "an annotation must be a JSON object"));
    };
    if !has_type(v, "Annotation") {
        return Err(reject(index, "type", "“type” is not “Annotation”"));
    }
    let target = obj
        .get("target")
        .ok_or_else(|| reject(index, "target", "the annotation has no target"))?;
    let (source, selectors) = read_selectors(target, index)?;
    let mut tags = Vec::new();
    let mut notes = Vec::new();
    let mut ignored_bodies = 0;
    if let Some(b) = obj.get("bodyValue") {
        match b {
            Value::String(s) => notes.push(s.clone()),
            _ => return Err(reject(index, "bodyValue", "“bodyValue” must be text")),
        }
    }
    for body in obj.get("body").map(as_list).unwrap_or_default() {
        match body {
            Value::String(s) if !s.contains(':') => notes.push(s.clone()),
            Value::Object(b) if b.get("value").is_some() => {
                let Some(value) = b.get("value").and_then(Value::as_str) else {
                    return Err(reject(index, "body.value", "a body's “value” must be text"));
                };
                let purposes: Vec<&str> = b
                    .get("purpose")
                    .map(as_list)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(Value::as_str)
                    .collect();
                if purposes
                    .iter()
                    .any(|p| *p == "tagging" || *p == "classifying")
                {
                    let label = value.split_whitespace().collect::<Vec<_>>().join(" ");
                    if label.is_empty() || label.chars().count() > 60 {
                        return Err(reject(
                            index,
                            "body.value",
                            "a tag must have 1 to 60 characters",
                        ));
                    }
                    if !tags.contains(&label) {
                        tags.push(label);
                    }
                } else if purposes.is_empty()
                    || purposes
                        .iter()
                        .any(|p| *p == "commenting" || *p == "describing")
                {
                    notes.push(value.to_string());
                } else {
                    ignored_bodies += 1;
                }
            }
            Value::Null => {}
            _ => ignored_bodies += 1,
        }
    }
    let created = time_field(obj, "created", index)?;
    let modified = time_field(obj, "modified", index)?;
    let created = created.or(modified).unwrap_or(0);
    let modified = modified.unwrap_or(created).max(created);
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => local_id(s.trim()),
        None | Some(Value::Null) => {
            // No id: name it by its content so that importing the same file twice is a no-op.
            let h = Sha256::digest(serde_json::to_string(v).unwrap_or_default().as_bytes());
            let hex: String = h[..16].iter().map(|b| format!("{b:02x}")).collect();
            format!("import-{hex}")
        }
        Some(_) => return Err(reject(index, "id", "“id” must be a non-empty IRI")),
    };
    if id.is_empty() {
        return Err(reject(
            index,
            "id",
            "“id” names no annotation (nothing follows its prefix)",
        ));
    }
    if id.chars().count() > MAX_ID_CHARS {
        return Err(reject(
            index,
            "id",
            format!("“id” is longer than {MAX_ID_CHARS} characters"),
        ));
    }
    let history = match obj.get(HISTORY_KEY) {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_i64).take(64).collect(),
        _ => Vec::new(),
    };
    let conflict_of = obj.get(CONFLICT_KEY).and_then(Value::as_str).map(local_id);
    Ok(Incoming {
        index,
        id,
        source,
        selectors,
        tags,
        note: notes.join("\n\n"),
        created,
        modified,
        creator: read_creator(obj.get("creator")),
        history,
        conflict_of,
        ignored_bodies,
    })
}

fn read_taxonomy(v: Option<&Value>) -> Vec<FileTag> {
    let Some(Value::Array(a)) = v else {
        return Vec::new();
    };
    a.iter()
        .filter_map(|t| {
            let o = t.as_object()?;
            let text = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let label = text("label");
            (!label.trim().is_empty()).then(|| FileTag {
                label: label.split_whitespace().collect::<Vec<_>>().join(" "),
                color: text("color"),
                description: text("description"),
                badge: text("badge"),
            })
        })
        .collect()
}

/// Reads a file's bytes: whole-file problems are a [`FileError`]; each annotation is then read
/// on its own into `items` or `rejected`.
pub fn read_file(bytes: &[u8]) -> Result<FileContents, FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge(bytes.len()));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotText)?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    // serde_json stops at 128 levels of nesting with an error, never a stack overflow.
    let root: Value = serde_json::from_str(text).map_err(|e| {
        if e.to_string().contains("recursion limit") {
            FileError::TooDeep
        } else {
            FileError::NotJson(e.to_string())
        }
    })?;
    let mut out = FileContents {
        creator: read_creator(root.get("creator")).filter(|_| !has_type(&root, "Annotation")),
        ..FileContents::default()
    };
    let items: Vec<&Value> = if let Value::Array(a) = &root {
        a.iter().collect()
    } else if has_type(&root, "AnnotationCollection") {
        out.taxonomy = read_taxonomy(root.get(TAXONOMY_KEY));
        let mut items = Vec::new();
        let mut page = root.get("first");
        let mut pages = 0;
        while let Some(p) = page {
            match p {
                Value::Object(_) if has_type(p, "AnnotationPage") => {
                    match p.get("items") {
                        Some(Value::Array(a)) => items.extend(a.iter()),
                        _ => {
                            return Err(FileError::WrongShape(
                                "an AnnotationPage has no “items” list.".into(),
                            ))
                        }
                    }
                    pages += 1;
                    page = p.get("next").filter(|n| n.is_object() && pages < 10_000);
                    if let Some(Value::String(next)) = p.get("next") {
                        out.warnings.push(format!("The collection continues in a separate page ({}) that is not in this file; only the embedded pages were read.", clip(next)));
                    }
                }
                Value::String(link) => {
                    return Err(FileError::WrongShape(format!(
                    "the collection's pages are not in the file (its first page is a link: {}).",
                    clip(link)
                )))
                }
                _ => {
                    return Err(FileError::WrongShape(
                        "the collection's “first” is not an AnnotationPage.".into(),
                    ))
                }
            }
        }
        if pages == 0 && root.get("total").and_then(Value::as_u64).unwrap_or(0) > 0 {
            return Err(FileError::WrongShape(
                "the collection has no embedded pages.".into(),
            ));
        }
        items
    } else if has_type(&root, "AnnotationPage") {
        match root.get("items") {
            Some(Value::Array(a)) => a.iter().collect(),
            _ => {
                return Err(FileError::WrongShape(
                    "the AnnotationPage has no “items” list.".into(),
                ))
            }
        }
    } else if has_type(&root, "Annotation") {
        vec![&root]
    } else {
        return Err(FileError::WrongShape(
            "expected an AnnotationCollection, an AnnotationPage, a list of Annotations or one Annotation.".into(),
        ));
    };
    if items.len() > MAX_ITEMS {
        return Err(FileError::WrongShape(format!(
            "it holds {} annotations; at most {MAX_ITEMS} can be imported at once.",
            items.len()
        )));
    }
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (index, v) in items.into_iter().enumerate() {
        match read_item(v, index) {
            Ok(item) => {
                if let Some(first) = seen.get(&item.id) {
                    out.rejected.push(reject(
                        index,
                        "id",
                        format!("the same id as item {} ({})", first + 1, clip(&item.id)),
                    ));
                } else {
                    seen.insert(item.id.clone(), index);
                    out.items.push(item);
                }
            }
            Err(r) => out.rejected.push(r),
        }
    }
    Ok(out)
}

/// Turns a file's theme into a tag of this app (colour checked by the caller's palette rules).
pub fn file_tag_to_tag(t: &FileTag, id: String, fallback_color: &str) -> Tag {
    let color = if super::tags::parse_hex_color(&t.color).is_some()
        && super::tags::contrast_ratio(&t.color, super::tags::TEXT_COLOR).unwrap_or(0.0) >= 4.5
    {
        t.color.to_lowercase()
    } else {
        fallback_color.to_string()
    };
    let badge: String = t
        .badge
        .chars()
        .filter(|c| !c.is_control())
        .take(4)
        .collect();
    Tag {
        id,
        label: t.label.clone(),
        description: t.description.chars().take(200).collect(),
        color,
        badge: if badge.is_empty() {
            "•".into()
        } else {
            badge
        },
        kind: TagKind::Theme,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use base64::Engine;
    use proptest::prelude::*;

    #[test]
    fn base64url_of_the_rfc_4648_vectors() {
        // RFC 4648 §10, and two bytes whose digits differ from standard base64 ("+/8=").
        for (bytes, want) in [
            (&b""[..], ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
            (&[0xfb, 0xff], "-_8"),
        ] {
            assert_eq!(base64url(bytes), want);
        }
    }

    #[test]
    fn a_collection_names_its_creator_and_an_annotation_its_own() {
        let file = read_file(
            br#"{"type":"AnnotationCollection","creator":{"type":"Person","name":" Amina  Diallo "},"first":{"type":"AnnotationPage","items":[]}}"#,
        )
        .unwrap();
        assert_eq!(file.creator.as_deref(), Some("Amina  Diallo"));
        let one = read_file(
            br#"{"type":"Annotation","creator":"Ben","target":{"selector":{"type":"TextQuoteSelector","exact":"x"}}}"#,
        )
        .unwrap();
        assert_eq!(one.creator, None, "a lone annotation's creator is its own");
        assert_eq!(one.items[0].creator.as_deref(), Some("Ben"));
    }

    #[test]
    fn an_unplaced_annotation_without_a_quote_travels_by_its_position() {
        let mut a = Annotation::bare("x", 3, 9, &["pillar-1"]);
        a.orphan = true;
        let label = |t: &str| format!("label of {t}");
        let item = annotation_json(&a, &label, "ni:///here", &Anchorer::new("0123456789"));
        let back = read_file(&serde_json::to_vec(&item).unwrap()).unwrap();
        assert_eq!(back.rejected, vec![]);
        assert_eq!(back.items[0].selectors.position, Some((3, 9)));
        assert_eq!(back.items[0].selectors.exact, None);
        assert_eq!(back.items[0].tags, ["label of pillar-1"]);
    }

    proptest! {
        #[test]
        fn base64url_matches_the_base64_crate(bytes in proptest::collection::vec(any::<u8>(), 0..70)) {
            let want = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
            prop_assert_eq!(base64url(&bytes), want);
        }
    }
}
