//! Students' names: which name a file gives, when two names are one student, and the names that
//! hide them ("Student A", "Student B" …) for a classroom screen.

use sha2::{Digest, Sha256};

use crate::core::w3c::FileContents;

/// What a hidden name starts with.
pub const HIDDEN_PREFIX: &str = "Student";

/// The name of a student whose file names nobody and has no name itself (a name is never empty:
/// stored classes are checked for that).
pub const UNNAMED: &str = "Unnamed student";

/// Letters in the alphabet hidden names count with.
const LETTERS: u32 = 26;

/// A name with runs of white space made one space and none at either end.
pub fn tidy(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What two names must share to be one student: [`tidy`] and lowercase, so "Amina  Diallo" and
/// "amina diallo" are the same student.
pub fn name_key(name: &str) -> String {
    tidy(name).to_lowercase()
}

/// The letters of hidden name number `n` (from 0): A … Z, then AA … AZ, BA … ZZ, then AAA … — the
/// way spreadsheets name their columns (bijective base 26), so every number has its own letters
/// and none starts with a "zero".
pub fn letters(n: u32) -> String {
    let mut out = Vec::new();
    let mut n = u64::from(n) + 1;
    while n > 0 {
        n -= 1;
        out.push(char::from(b'A' + (n % u64::from(LETTERS)) as u8));
        n /= u64::from(LETTERS);
    }
    out.iter().rev().collect()
}

/// Hidden name number `n`: "Student A".
pub fn hidden_name(n: u32) -> String {
    format!("{HIDDEN_PREFIX} {}", letters(n))
}

/// The order in which students new to a class get their hidden names: by a hash of their name
/// key, so that "Student A" is not simply the first name in alphabetical (or file) order.
pub fn scrambled(keys: &mut [String]) {
    keys.sort_by_cached_key(|k| Sha256::digest(k.as_bytes()));
}

/// The student a file belongs to: the `creator` of the collection as a whole; else the creator
/// most of its annotations name (the first named of those tied); else the file's name without
/// its extension (the caller passes the name to show: a folder's files may come with their path);
/// else [`UNNAMED`].
pub fn file_student(file: &FileContents, file_name: &str) -> String {
    if let Some(name) = file.creator.as_deref().map(tidy).filter(|n| !n.is_empty()) {
        return name;
    }
    // (key, name as first written, annotations naming it), in order of first appearance.
    let mut named: Vec<(String, String, usize)> = Vec::new();
    for name in file.items.iter().filter_map(|i| i.creator.as_deref()) {
        let key = name_key(name);
        match named.iter_mut().find(|(k, ..)| *k == key) {
            Some((.., n)) => *n += 1,
            None => named.push((key, tidy(name), 1)),
        }
    }
    let most = named.iter().map(|(.., n)| *n).max().unwrap_or(0);
    if let Some((_, name, _)) = named.into_iter().find(|(.., n)| *n == most && most > 0) {
        return name;
    }
    let stem = match file_name.rsplit_once('.') {
        Some((stem, _)) if !stem.trim().is_empty() => stem,
        _ => file_name,
    };
    Some(tidy(stem))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| UNNAMED.into())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::w3c::read_file;

    #[test]
    fn letters_count_like_spreadsheet_columns() {
        for (n, want) in [
            (0, "A"),
            (1, "B"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (51, "AZ"),
            (52, "BA"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(letters(n), want, "{n}");
        }
        assert_eq!(hidden_name(2), "Student C");
        // Every number has its own letters.
        let all: std::collections::HashSet<String> = (0..2000).map(letters).collect();
        assert_eq!(all.len(), 2000);
        assert_eq!(letters(u32::MAX), "MWLQKWV");
    }

    #[test]
    fn names_match_whatever_their_case_and_spaces() {
        assert_eq!(name_key("  Amina\t Diallo "), "amina diallo");
        assert_eq!(name_key("AMINA DIALLO"), name_key("amina diallo"));
        assert_eq!(tidy(" Amina \n Diallo"), "Amina Diallo");
    }

    fn file(json: &str) -> FileContents {
        read_file(json.as_bytes()).unwrap()
    }

    const ITEM: &str =
        r#"{"type":"Annotation","target":{"selector":{"type":"TextQuoteSelector","exact":"x"}}"#;

    fn item(id: u32, creator: Option<&str>) -> String {
        let creator = creator.map_or(String::new(), |c| format!(r#","creator":{{"name":"{c}"}}"#));
        format!(r#"{ITEM},"id":"urn:x:{id}"{creator}}}"#)
    }

    #[test]
    fn a_file_is_named_by_its_creator_then_its_annotations_then_its_name() {
        let collection = |creator: &str, items: &[String]| {
            file(&format!(
                r#"{{"type":"AnnotationCollection",{creator}"first":{{"type":"AnnotationPage","items":[{}]}}}}"#,
                items.join(",")
            ))
        };
        let items = [
            item(1, Some("Ben")),
            item(2, Some("amina")),
            item(3, Some(" Amina ")),
        ];
        let whole = collection(
            r#""creator":{"type":"Person","name":" Chloé  Martin "},"#,
            &items,
        );
        assert_eq!(file_student(&whole, "x.json"), "Chloé Martin");
        // Most annotations name Amina (as first written there: "amina").
        assert_eq!(file_student(&collection("", &items), "x.json"), "amina");
        // A tie goes to the creator named first.
        let tied = [item(1, Some("Ben")), item(2, Some("Amina"))];
        assert_eq!(file_student(&collection("", &tied), "x.json"), "Ben");
        let anonymous = collection("", &[item(1, None)]);
        assert_eq!(file_student(&anonymous, "Dao Minh.json"), "Dao Minh");
        assert_eq!(
            file_student(&anonymous, "class/dao.v2.json"),
            "class/dao.v2"
        );
        assert_eq!(file_student(&anonymous, ".json"), ".json");
        assert_eq!(file_student(&anonymous, "README"), "README");
        assert_eq!(file_student(&anonymous, " "), UNNAMED);
    }

    #[test]
    fn new_students_are_lettered_by_hash_not_by_name() {
        let mut keys: Vec<String> = ["amina", "ben", "chloé", "dao", "eli"]
            .map(String::from)
            .to_vec();
        let mut reversed: Vec<String> = keys.iter().rev().cloned().collect();
        scrambled(&mut keys);
        scrambled(&mut reversed);
        assert_eq!(keys, reversed, "the order given does not matter");
        let mut by_hash: Vec<(String, String)> = keys
            .iter()
            .map(|k| {
                let h: String = Sha256::digest(k.as_bytes())
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                (h, k.clone())
            })
            .collect();
        by_hash.sort();
        let want: Vec<String> = by_hash.into_iter().map(|(_, k)| k).collect();
        assert_eq!(keys, want);
    }
}
