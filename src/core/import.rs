//! Import planning: anchors a file's annotations in the document and sorts them against the store.
//!
//! Planning changes nothing: the user reads the report first, then the plan's [`Action::Import`]
//! applies it as one undo step.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::anchor::{Anchorer, Anchoring};
use super::document::Document;
use super::store::{Action, Annotation, Millis, Store};
use super::tags::{initials, slug, Tag, CUSTOM_COLORS};
use super::w3c::{document_iri, file_tag_to_tag, FileContents, Rejection};

/// What an import would do, in numbers and lists, for the user to confirm.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    /// Annotations not here yet.
    pub new: usize,
    /// Annotations here whose incoming version is newer and descends from ours.
    pub updated: usize,
    /// Annotations here already (same, or ours is newer).
    pub unchanged: usize,
    /// Changed on both sides: the incoming one is kept beside ours as a conflict copy.
    pub conflicts: usize,
    /// Placed somewhere other than their recorded position (the text differs).
    pub reanchored: usize,
    /// Quotes that could not be found: kept as unplaced annotations.
    pub orphans: Vec<String>,
    /// Items refused, with the reason.
    pub rejected: Vec<Rejection>,
    /// Annotations deleted here after the file's version: not brought back.
    pub deleted_here: usize,
    /// Annotations made on a different document (their `source` is not this text).
    pub other_document: usize,
    /// Whether those are being anchored by their quotes anyway.
    pub anchoring_other_document: bool,
    /// Themes the import adds.
    pub new_tags: Vec<String>,
    /// Bodies of kinds this app does not keep.
    pub ignored_bodies: usize,
    /// Other things worth knowing.
    pub warnings: Vec<String>,
    /// Annotations dated later than this device's clock allows: their times were set to now.
    pub future_dated: usize,
}

/// How far ahead of this device's clock a file's times may be before they are set to now
/// (clocks that are a little fast are common and harmless).
pub const MAX_CLOCK_AHEAD_MS: Millis = 5 * 60 * 1000;

/// The report and what applying it would put in the store.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportPlan {
    /// For the user.
    pub report: ImportReport,
    /// Annotations to insert or replace (including conflict copies and orphans).
    pub put: Vec<Annotation>,
    /// Themes to add.
    pub tags: Vec<Tag>,
}

impl ImportPlan {
    /// The store action that applies this plan (one undo step).
    pub fn action(&self, file_name: &str) -> Action {
        let n = self.put.len();
        Action::Import {
            put: self.put.clone(),
            tags: self.tags.clone(),
            label: format!(
                "Imported {n} annotation{} from {file_name}.",
                if n == 1 { "" } else { "s" }
            ),
        }
    }
}

/// Sets times later than `now` (beyond [`MAX_CLOCK_AHEAD_MS`]) to `now`; true when it did.
fn clamp_future(a: &mut Annotation, now: Millis) -> bool {
    let limit = now.saturating_add(MAX_CLOCK_AHEAD_MS);
    if a.modified <= limit && a.created <= limit && a.history.iter().all(|&t| t <= limit) {
        return false;
    }
    a.created = a.created.min(now);
    a.modified = a.modified.min(now);
    a.history.retain(|&t| t < a.modified);
    true
}

/// The tags known while planning (the store's and those the plan adds), indexed so that each
/// label resolves in constant time: a hostile file with thousands of labels that slug to the
/// same id costs linear work, not quadratic. The class view resolves its students' labels with
/// it too.
pub(crate) struct TagIndex {
    by_label: HashMap<String, String>,
    taken: HashSet<String>,
    /// The next number to try after a slug, per slug.
    next: HashMap<String, usize>,
    customs: usize,
    /// The file's own descriptions of its themes, by lowercase label (the first one wins).
    described: HashMap<String, super::w3c::FileTag>,
}

impl TagIndex {
    /// Indexes `known` tags, of which `customs` are the user's own (new themes take the
    /// palette's colours after theirs).
    pub(crate) fn new(known: &[Tag], customs: usize) -> TagIndex {
        TagIndex {
            by_label: known
                .iter()
                .map(|t| (t.label.to_lowercase(), t.id.clone()))
                .collect(),
            taken: known.iter().map(|t| t.id.clone()).collect(),
            next: HashMap::new(),
            customs,
            described: HashMap::new(),
        }
    }

    /// Takes the themes a file describes (colour, badge, description) for the new tags made from
    /// its labels, in place of the previous file's.
    pub(crate) fn describe(&mut self, taxonomy: &[super::w3c::FileTag]) {
        self.described.clear();
        for t in taxonomy {
            self.described
                .entry(t.label.to_lowercase())
                .or_insert_with(|| t.clone());
        }
    }

    fn fresh_id(&mut self, label: &str) -> String {
        let base = format!("custom-{}", slug(label));
        let n = self.next.entry(base.clone()).or_insert(2);
        let mut id = base.clone();
        while id == "custom-" || self.taken.contains(&id) {
            id = format!("{base}-{n}");
            *n += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

/// The tag ids of `labels` (case-insensitive), making a theme for each label not known yet and
/// adding it to `plan_tags`.
pub(crate) fn resolve_tags(
    labels: &[String],
    index: &mut TagIndex,
    plan_tags: &mut Vec<Tag>,
) -> Vec<String> {
    labels
        .iter()
        .map(|label| {
            let lower = label.to_lowercase();
            if let Some(id) = index.by_label.get(&lower) {
                return id.clone();
            }
            let id = index.fresh_id(label);
            let fallback = CUSTOM_COLORS[index.customs % CUSTOM_COLORS.len()];
            index.customs += 1;
            let described = index
                .described
                .get(&lower)
                .cloned()
                .unwrap_or(super::w3c::FileTag {
                    label: label.clone(),
                    color: String::new(),
                    description: String::new(),
                    badge: String::new(),
                });
            let mut tag = file_tag_to_tag(&described, id.clone(), fallback);
            if tag.badge == "•" {
                tag.badge = format!("{}*", initials(label));
            }
            tag.label = label.clone();
            index.by_label.insert(lower, id.clone());
            plan_tags.push(tag);
            id
        })
        .collect()
}

/// Plans the import of `file` into `store` for `doc`. Annotations whose `source` names another
/// document are only anchored (by quote) when `anchor_other_document` is set.
///
/// Runs the whole plan at once; [`Planner`] does the same work in steps.
pub fn plan_import(
    file: &FileContents,
    doc: &Document,
    anchorer: &Anchorer,
    store: &Store,
    anchor_other_document: bool,
    now: Millis,
) -> ImportPlan {
    let mut state = PlanState::new(file, doc, store, anchor_other_document, now);
    let ctx = Context {
        file,
        doc,
        anchorer,
        store,
    };
    state.step(&ctx, usize::MAX);
    state.finish(&ctx)
}

/// An import planned a few items at a time, so that a large file can be planned between the
/// frames of a page: the same plan as [`plan_import`], however the steps are sized.
///
/// It owns its [`Anchorer`], whose searching budget is for the whole import.
pub struct Planner {
    file: Rc<FileContents>,
    doc: Rc<Document>,
    store: Rc<Store>,
    anchorer: Anchorer,
    state: PlanState,
}

impl Planner {
    /// Starts planning the import of `file` into `store` for `doc` (see [`plan_import`]).
    pub fn new(
        file: Rc<FileContents>,
        doc: Rc<Document>,
        store: Rc<Store>,
        anchor_other_document: bool,
        now: Millis,
    ) -> Planner {
        let anchorer = Anchorer::new(&doc.text);
        let state = PlanState::new(&file, &doc, &store, anchor_other_document, now);
        Planner {
            file,
            doc,
            store,
            anchorer,
            state,
        }
    }

    /// Plans up to `max_items` more of the file's items; true once every item is planned.
    pub fn step(&mut self, max_items: usize) -> bool {
        let ctx = Context {
            file: &self.file,
            doc: &self.doc,
            anchorer: &self.anchorer,
            store: &self.store,
        };
        self.state.step(&ctx, max_items)
    }

    /// Items planned so far, and how many the file has.
    pub fn progress(&self) -> (usize, usize) {
        (self.state.next, self.file.items.len())
    }

    /// True once every item is planned.
    pub fn done(&self) -> bool {
        self.state.next >= self.file.items.len()
    }

    /// The file being planned.
    pub fn file(&self) -> &Rc<FileContents> {
        &self.file
    }

    /// The document it is planned for.
    pub fn doc(&self) -> &Rc<Document> {
        &self.doc
    }

    /// The store it is planned against.
    pub fn store(&self) -> &Rc<Store> {
        &self.store
    }

    /// The plan (planning whatever items are left first).
    pub fn finish(mut self) -> ImportPlan {
        let ctx = Context {
            file: &self.file,
            doc: &self.doc,
            anchorer: &self.anchorer,
            store: &self.store,
        };
        self.state.step(&ctx, usize::MAX);
        self.state.finish(&ctx)
    }
}

/// What planning reads.
struct Context<'a> {
    file: &'a FileContents,
    doc: &'a Document,
    anchorer: &'a Anchorer,
    store: &'a Store,
}

/// Planning so far: the plan being built and the next item to plan.
struct PlanState {
    here: String,
    plan: ImportPlan,
    index: TagIndex,
    next: usize,
    anchor_other_document: bool,
    now: Millis,
}

impl PlanState {
    fn new(
        file: &FileContents,
        doc: &Document,
        store: &Store,
        anchor_other_document: bool,
        now: Millis,
    ) -> PlanState {
        let mut plan = ImportPlan::default();
        let r = &mut plan.report;
        r.rejected = file.rejected.clone();
        r.warnings = file.warnings.clone();
        r.anchoring_other_document = anchor_other_document;
        PlanState {
            here: document_iri(&doc.id),
            plan,
            index: {
                let mut index = TagIndex::new(&store.tags(), store.custom_tags().len());
                index.describe(&file.taxonomy);
                index
            },
            next: 0,
            anchor_other_document,
            now,
        }
    }

    /// Plans up to `max_items` more items; true once every item is planned.
    fn step(&mut self, ctx: &Context, max_items: usize) -> bool {
        let end = self
            .next
            .saturating_add(max_items)
            .min(ctx.file.items.len());
        while self.next < end {
            let item = &ctx.file.items[self.next];
            self.next += 1;
            self.item(ctx, item);
        }
        self.next >= ctx.file.items.len()
    }

    fn item(&mut self, ctx: &Context, item: &super::w3c::Incoming) {
        let Context {
            doc,
            anchorer,
            store,
            ..
        } = *ctx;
        let plan = &mut self.plan;
        let r = &mut plan.report;
        r.ignored_bodies += item.ignored_bodies;
        let same_doc = item.source.as_deref() == Some(self.here.as_str());
        if item.source.is_some() && !same_doc {
            r.other_document += 1;
            if !self.anchor_other_document {
                return;
            }
        }
        // A position is only trusted on the very text it was made on.
        let anchoring = anchorer.anchor(&item.selectors, same_doc);
        let (start, end, orphan) = match anchoring {
            Anchoring::Position { start, end } => (start, end, false),
            Anchoring::Moved { start, end } | Anchoring::Fuzzy { start, end, .. } => {
                r.reanchored += 1;
                (start, end, false)
            }
            Anchoring::Orphan => {
                let (s, e) = item.selectors.position.unwrap_or((0, 0));
                (s, e, true)
            }
        };
        if item.selectors.position.is_some_and(|(_, e)| e > doc.len) && !orphan && same_doc {
            r.warnings.push(format!(
                "Item {}: its position lies beyond the end of the document; it was placed by its quote.",
                item.index + 1
            ));
        }
        let quote = if orphan {
            item.selectors.exact.clone().unwrap_or_default()
        } else {
            anchorer.text(start, end)
        };
        let tags = resolve_tags(&item.tags, &mut self.index, &mut plan.tags);
        let mut incoming = Annotation {
            id: item.id.clone(),
            start,
            end,
            quote,
            tags,
            note: item.note.clone(),
            created: item.created,
            modified: item.modified,
            creator: item.creator.clone(),
            history: item.history.clone(),
            orphan,
            conflict_of: item.conflict_of.clone(),
        };
        if clamp_future(&mut incoming, self.now) {
            r.future_dated += 1;
        }
        if store
            .deleted_at(&incoming.id)
            .is_some_and(|t| t >= incoming.modified)
        {
            r.deleted_here += 1;
            return;
        }
        let Some(local) = store.get(&incoming.id) else {
            if orphan {
                r.orphans.push(incoming.quote.clone());
            }
            r.new += 1;
            plan.put.push(incoming);
            return;
        };
        if orphan && !local.orphan {
            // Ours is placed: keep its place, compare the rest.
            incoming.start = local.start;
            incoming.end = local.end;
            incoming.quote = local.quote.clone();
            incoming.orphan = false;
        }
        if incoming.same_content(local) || local.descends_from(&incoming) {
            r.unchanged += 1;
        } else if incoming.descends_from(local) {
            r.updated += 1;
            plan.put.push(incoming);
        } else {
            let copy_id = format!("{}-conflict-{}", incoming.id, incoming.modified);
            let mut copy = incoming;
            copy.conflict_of = Some(copy.id.clone());
            copy.id = copy_id;
            match store.get(&copy.id) {
                // The copy is here already, as it came or edited since: never put it back.
                Some(existing) if existing.same_content(&copy) || existing.descends_from(&copy) => {
                    r.unchanged += 1
                }
                _ => {
                    r.conflicts += 1;
                    plan.put.push(copy);
                }
            }
        }
    }

    /// The plan, once every item is planned.
    fn finish(mut self, ctx: &Context) -> ImportPlan {
        let r = &mut self.plan.report;
        let skipped = ctx.anchorer.skipped();
        if skipped > 0 {
            r.warnings.push(format!(
                "{skipped} annotation{} could not be searched for in the text: the file asks for more searching than one import does at once. {} kept unplaced (listed under “Not placed”); import them in smaller files to place them.",
                if skipped == 1 { "" } else { "s" },
                if skipped == 1 { "It is" } else { "They are" },
            ));
        }
        // The file's own themes come too, used or not, so the receiver sees the same colours.
        let labels: Vec<String> = ctx.file.taxonomy.iter().map(|t| t.label.clone()).collect();
        resolve_tags(&labels, &mut self.index, &mut self.plan.tags);
        self.plan.report.new_tags = self.plan.tags.iter().map(|t| t.label.clone()).collect();
        self.plan
    }
}
