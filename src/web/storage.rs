//! localStorage as the core's [`KeyValue`]: failures reported, never panics; backups copied as
//! JavaScript strings so that their code units stay exactly as they were.
//!
//! gloo-storage's `LocalStorage::raw()` panics when storage is unavailable (disabled cookies,
//! some file:// setups), and its get/set parse JSON themselves; the app needs raw strings and a
//! clear error, so this talks to `web_sys::Storage` directly.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub use crate::core::kv::StorageError;
use crate::core::kv::{backup_key, KeyValue, Raw};

#[wasm_bindgen(inline_js = r#"
export function r2p_well_formed(s) {
  return typeof s.isWellFormed === "function"
    ? s.isWellFormed()
    : !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}
"#)]
extern "C" {
    /// Whether a string holds no lone surrogate, checked in the engine: js-sys'
    /// `is_valid_utf16` calls back into JavaScript once per code unit (millions for a large
    /// stored value).
    fn r2p_well_formed(s: &js_sys::JsString) -> bool;
}

fn storage() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .ok_or(StorageError::Unavailable)?
        .local_storage()
        .ok()
        .flatten()
        .ok_or(StorageError::Unavailable)
}

/// The value under `key` as the JavaScript string it is (no conversion to UTF-8).
fn get_js(s: &web_sys::Storage, key: &str) -> Result<Option<js_sys::JsString>, StorageError> {
    let get: js_sys::Function = js_sys::Reflect::get(s, &"getItem".into())
        .map_err(|e| StorageError::Other(describe(&e)))?
        .unchecked_into();
    let v = get
        .call1(s, &key.into())
        .map_err(|e| StorageError::Other(describe(&e)))?;
    Ok(v.dyn_into::<js_sys::JsString>().ok())
}

fn set_js(s: &web_sys::Storage, key: &str, value: &JsValue) -> Result<(), StorageError> {
    let set: js_sys::Function = js_sys::Reflect::get(s, &"setItem".into())
        .map_err(|e| StorageError::Other(describe(&e)))?
        .unchecked_into();
    set.call2(s, &key.into(), value)
        .map(|_| ())
        .map_err(write_error)
}

fn write_error(e: JsValue) -> StorageError {
    let name = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.name()))
        .unwrap_or_default();
    if name == "QuotaExceededError" || describe(&e).to_lowercase().contains("quota") {
        StorageError::Full
    } else {
        StorageError::Other(describe(&e))
    }
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// The page's localStorage.
pub struct Local;

impl KeyValue for Local {
    fn get(&self, key: &str) -> Result<Option<Raw>, StorageError> {
        Ok(get_js(&storage()?, key)?.map(|v| {
            if r2p_well_formed(&v) {
                Raw::Text(String::from(v))
            } else {
                Raw::NotUtf16
            }
        }))
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        storage()?.set_item(key, value).map_err(write_error)
    }

    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        storage()?
            .remove_item(key)
            .map_err(|e| StorageError::Other(describe(&e)))
    }

    fn back_up(&mut self, from: &str, scope: &str) -> Result<String, StorageError> {
        let s = storage()?;
        let value = get_js(&s, from)?.unwrap_or_else(|| js_sys::JsString::from(""));
        let units: Vec<u16> = value.iter().collect();
        let key = backup_key(scope, &units);
        if get_js(&s, &key)?.is_none() {
            set_js(&s, &key, &value)?;
        }
        Ok(key)
    }
}

/// The raw value under `key`, or None when there is none.
pub fn read(key: &str) -> Result<Option<String>, StorageError> {
    storage()?
        .get_item(key)
        .map_err(|e| StorageError::Other(describe(&e)))
}

/// Writes `value` under `key`.
pub fn write(key: &str, value: &str) -> Result<(), StorageError> {
    Local.set(key, value)
}
