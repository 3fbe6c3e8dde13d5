//! The key-value storage the app saves into, as the core sees it: localStorage in the browser, a
//! model of it in the simulation test.

use sha2::{Digest, Sha256};

use super::envelope::KEY_PREFIX;

/// Why storage could not be used.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum StorageError {
    /// No localStorage (blocked or missing).
    #[error("this browser does not let the page use its storage")]
    Unavailable,
    /// The quota is used up.
    #[error("this browser's storage for the page is full")]
    Full,
    /// Anything else the browser reported.
    #[error("the browser refused to save ({0})")]
    Other(String),
}

/// A stored value as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Raw {
    /// Valid text.
    Text(String),
    /// A value holding lone UTF-16 surrogates: no app of ours wrote it, and reading it as text
    /// would change it, so it is only ever copied as it is ([`KeyValue::back_up`]).
    NotUtf16,
}

/// What the app needs of a storage: read, write, remove, and an exact copy for backups.
pub trait KeyValue {
    /// The value under `key`, if any.
    fn get(&self, key: &str) -> Result<Option<Raw>, StorageError>;
    /// Writes `value` under `key`.
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError>;
    /// Removes `key` (nothing happens when it is absent).
    fn remove(&mut self, key: &str) -> Result<(), StorageError>;
    /// Copies the value under `from`, code unit for code unit, to [`backup_key`]`(scope, units)`
    /// unless that key exists already (backups are never overwritten); returns the key.
    fn back_up(&mut self, from: &str, scope: &str) -> Result<String, StorageError>;
}

/// The key under which unreadable data is kept untouched: it names a hash of the data's own
/// UTF-16 code units, so the same data is backed up once however often it is found, and
/// different data (even data that differs only in lone surrogates) never shares a key.
pub fn backup_key(scope: &str, units: &[u16]) -> String {
    let mut h = Sha256::new();
    for u in units {
        h.update(u.to_le_bytes());
    }
    let hex: String = h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{KEY_PREFIX}:backup:{scope}:{hex}")
}

/// True for keys holding backups (never written by the app but as copies).
pub fn is_backup_key(key: &str) -> bool {
    key.starts_with(&format!("{KEY_PREFIX}:backup:"))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn backup_keys_tell_apart_values_that_differ_only_in_surrogates() {
        let a: Vec<u16> = vec![0x7b, 0xd800, 0x7d];
        let b: Vec<u16> = vec![0x7b, 0xdc00, 0x7d];
        assert_ne!(backup_key("doc", &a), backup_key("doc", &b));
        assert_eq!(backup_key("doc", &a), backup_key("doc", &a.clone()));
        assert!(is_backup_key(&backup_key("library", &a)));
        assert!(!is_backup_key("r2p-annotator:v1:library"));
    }
}
