//! The tag taxonomy: the three R2P pillars, themes drawn from the document, and the user's own themes.

use serde::{Deserialize, Serialize};

/// Whether a tag is one of the three pillars or a theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TagKind {
    /// One of the three pillars of the Responsibility to Protect.
    Pillar,
    /// A theme.
    Theme,
}

/// A tag: its stable id, the label users see, a description, a colour and a short badge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Stable id ("pillar-2", "theme-prevention", "custom-…").
    pub id: String,
    /// What users see and what exports carry ("Pillar II").
    pub label: String,
    /// A longer description (the pillar's full name).
    #[serde(default)]
    pub description: String,
    /// Highlight colour, `#rrggbb`, light enough for dark text at WCAG AA.
    pub color: String,
    /// A short text badge so that tags are told apart without colour ("II", "EW").
    pub badge: String,
    /// Pillar or theme.
    pub kind: TagKind,
}

/// Text colour used on every highlight and chip.
pub const TEXT_COLOR: &str = "#1b1b1b";

const PILLARS: [(&str, &str, &str, &str); 3] = [
    (
        "Pillar I",
        "The protection responsibilities of the State",
        "#ffc9c9",
        "I",
    ),
    (
        "Pillar II",
        "International assistance and capacity-building",
        "#b2f2bb",
        "II",
    ),
    (
        "Pillar III",
        "Timely and decisive response",
        "#bcd7ff",
        "III",
    ),
];

const THEMES: [(&str, &str, &str); 14] = [
    ("Prevention", "#fff3a3", "PV"),
    ("Early warning", "#ffd8a8", "EW"),
    ("Capacity building", "#d8f5a2", "CB"),
    ("Regional and sub-regional organizations", "#c5f6fa", "RO"),
    ("Civil society", "#e5dbff", "CS"),
    ("Human rights institutions", "#fcc2d7", "HR"),
    ("Rule of law and accountability", "#dee2e6", "RL"),
    ("Peacekeeping and protection of civilians", "#99e9f2", "PK"),
    ("Preventive diplomacy and mediation", "#eebefa", "PD"),
    ("Arms control", "#e9d8a6", "AC"),
    ("Gender and vulnerable groups", "#c3fae8", "GV"),
    ("Hate speech and media", "#f6bd60", "HS"),
    ("Sovereignty and consent", "#d0bfff", "SC"),
    ("Development and poverty", "#ffe8cc", "DP"),
];

/// Colours offered, in turn, to themes the user adds.
pub const CUSTOM_COLORS: [&str; 8] = [
    "#ffec99", "#b197fc", "#8ce99a", "#ffa8a8", "#74c0fc", "#ffc078", "#63e6be", "#e599f7",
];

/// Turns a label into an id-safe slug ("Rule of law" → "rule-of-law").
pub fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The built-in taxonomy: three pillars, then the themes.
pub fn default_tags() -> Vec<Tag> {
    let pillars = PILLARS
        .iter()
        .enumerate()
        .map(|(i, (label, desc, color, badge))| Tag {
            id: format!("pillar-{}", i + 1),
            label: (*label).into(),
            description: (*desc).into(),
            color: (*color).into(),
            badge: (*badge).into(),
            kind: TagKind::Pillar,
        });
    let themes = THEMES.iter().map(|(label, color, badge)| Tag {
        id: format!("theme-{}", slug(label)),
        label: (*label).into(),
        description: String::new(),
        color: (*color).into(),
        badge: (*badge).into(),
        kind: TagKind::Theme,
    });
    pillars.chain(themes).collect()
}

/// Why a theme the user typed was not accepted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TagError {
    /// Nothing but spaces.
    #[error("A theme needs a name.")]
    Empty,
    /// Over 60 characters.
    #[error("A theme name can have at most 60 characters.")]
    TooLong,
    /// Same label (ignoring case) as an existing tag.
    #[error("There is already a tag called “{0}”.")]
    Duplicate(String),
}

/// The first letters of a label's first two words, in capitals ("Women, peace" → "WP").
pub fn initials(label: &str) -> String {
    label
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .take(2)
        .collect()
}

/// Builds a user theme from a typed label; `existing` are all current tags (for uniqueness and colour).
pub fn new_custom_tag(label: &str, existing: &[Tag]) -> Result<Tag, TagError> {
    let label: String = label.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.is_empty() {
        return Err(TagError::Empty);
    }
    if label.chars().count() > 60 {
        return Err(TagError::TooLong);
    }
    if let Some(t) = existing
        .iter()
        .find(|t| t.label.to_lowercase() == label.to_lowercase())
    {
        return Err(TagError::Duplicate(t.label.clone()));
    }
    let customs = existing
        .iter()
        .filter(|t| t.id.starts_with("custom-"))
        .count();
    let mut id = format!("custom-{}", slug(&label));
    if id == "custom-" || existing.iter().any(|t| t.id == id) {
        id = format!("custom-{}-{}", slug(&label), customs + 1);
    }
    let badge = initials(&label);
    Ok(Tag {
        id,
        description: String::new(),
        color: CUSTOM_COLORS[customs % CUSTOM_COLORS.len()].into(),
        badge: format!("{badge}*"),
        kind: TagKind::Theme,
        label,
    })
}

/// `#rrggbb` → (r, g, b), or None when it is not exactly that form.
pub fn parse_hex_color(c: &str) -> Option<(u8, u8, u8)> {
    let h = c.strip_prefix('#')?;
    if h.len() != 6 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let v = u32::from_str_radix(h, 16).ok()?;
    Some(((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

/// The highlight colour for a run covered by `depth` annotations: the same hue, darker where
/// highlights overlap (two: 8 %, three or more: 16 %), so overlaps show without painting
/// gradients over thousands of marks. Invalid colours are returned unchanged.
pub fn shade(color: &str, depth: usize) -> String {
    let factor = match depth {
        0 | 1 => return color.to_string(),
        2 => 92,
        _ => 84,
    };
    match parse_hex_color(color) {
        Some((r, g, b)) => {
            let d = |v: u8| (u32::from(v) * factor / 100) as u8;
            format!("#{:02x}{:02x}{:02x}", d(r), d(g), d(b))
        }
        None => color.to_string(),
    }
}

/// WCAG 2 contrast ratio between two `#rrggbb` colours.
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    fn lum((r, g, b): (u8, u8, u8)) -> f64 {
        let ch = |v: u8| {
            let c = f64::from(v) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
    }
    let (la, lb) = (lum(parse_hex_color(a)?), lum(parse_hex_color(b)?));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn taxonomy_has_pillars_and_required_themes() {
        let tags = default_tags();
        let labels: Vec<&str> = tags.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(&labels[..3], ["Pillar I", "Pillar II", "Pillar III"]);
        assert_eq!(
            tags[1].description,
            "International assistance and capacity-building"
        );
        for theme in [
            "Prevention",
            "Early warning",
            "Hate speech and media",
            "Arms control",
        ] {
            assert!(labels.contains(&theme), "{theme}");
        }
        assert_eq!(tags.len(), 17);
    }

    #[test]
    fn colours_badges_and_ids_are_distinct_and_readable() {
        let tags = default_tags();
        let n = tags.len();
        for field in [
            tags.iter().map(|t| t.color.clone()).collect::<HashSet<_>>(),
            tags.iter().map(|t| t.badge.clone()).collect(),
            tags.iter().map(|t| t.id.clone()).collect(),
        ] {
            assert_eq!(field.len(), n);
        }
        for t in tags.iter().chain(
            CUSTOM_COLORS
                .iter()
                .map(|c| Tag {
                    color: (*c).into(),
                    ..default_tags()[0].clone()
                })
                .collect::<Vec<_>>()
                .iter(),
        ) {
            // Also at the darkest overlap shade.
            for depth in [1, 2, 3] {
                let c = shade(&t.color, depth);
                let ratio = contrast_ratio(&c, TEXT_COLOR).unwrap();
                assert!(
                    ratio >= 4.5,
                    "{} {c} (depth {depth}) contrast {ratio:.2}",
                    t.label
                );
            }
        }
    }

    #[test]
    fn custom_tags_are_validated() {
        let tags = default_tags();
        let t = new_custom_tag("  Women,   peace and security ", &tags).unwrap();
        assert_eq!(t.label, "Women, peace and security");
        assert_eq!(t.id, "custom-women-peace-and-security");
        assert_eq!(t.badge, "WP*");
        assert!(parse_hex_color(&t.color).is_some());
        assert_eq!(new_custom_tag("   ", &tags), Err(TagError::Empty));
        assert_eq!(
            new_custom_tag("pillar ii", &tags),
            Err(TagError::Duplicate("Pillar II".into()))
        );
        assert_eq!(
            new_custom_tag(&"x".repeat(61), &tags),
            Err(TagError::TooLong)
        );
        let emoji = new_custom_tag("🌍", &tags).unwrap();
        assert!(emoji.id.starts_with("custom-"));
    }

    #[test]
    fn hex_colours_are_strict() {
        assert_eq!(parse_hex_color("#0a0B0c"), Some((10, 11, 12)));
        for bad in ["0a0b0c", "#0a0b0", "#0a0b0g", "red", "#0a0b0c;x"] {
            assert_eq!(parse_hex_color(bad), None, "{bad}");
        }
        let white_black = contrast_ratio("#ffffff", "#000000").unwrap();
        assert!((white_black - 21.0).abs() < 1e-9);
    }
}
