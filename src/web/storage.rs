//! localStorage access that reports failure instead of panicking.
//!
//! gloo-storage's `LocalStorage::raw()` panics when storage is unavailable (disabled cookies,
//! some file:// setups), and its get/set parse JSON themselves; the app needs raw strings and a
//! clear error, so this talks to `web_sys::Storage` directly.

use thiserror::Error;
use wasm_bindgen::JsCast;

/// Why storage could not be used.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
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

fn storage() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .ok_or(StorageError::Unavailable)?
        .local_storage()
        .ok()
        .flatten()
        .ok_or(StorageError::Unavailable)
}

/// The raw value under `key`, or None when there is none.
pub fn read(key: &str) -> Result<Option<String>, StorageError> {
    storage()?
        .get_item(key)
        .map_err(|e| StorageError::Other(describe(&e)))
}

/// Writes `value` under `key`.
pub fn write(key: &str, value: &str) -> Result<(), StorageError> {
    storage()?.set_item(key, value).map_err(|e| {
        let name = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.name()))
            .unwrap_or_default();
        if name == "QuotaExceededError" || describe(&e).to_lowercase().contains("quota") {
            StorageError::Full
        } else {
            StorageError::Other(describe(&e))
        }
    })
}

/// Writes `value` under `key` unless that key already holds something (backups are never overwritten).
pub fn write_once(key: &str, value: &str) -> Result<(), StorageError> {
    match read(key)? {
        Some(_) => Ok(()),
        None => write(key, value),
    }
}

fn describe(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// Removes `key` (nothing happens when it is absent).
pub fn remove(key: &str) -> Result<(), StorageError> {
    storage()?
        .remove_item(key)
        .map_err(|e| StorageError::Other(describe(&e)))
}
