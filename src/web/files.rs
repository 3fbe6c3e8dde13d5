//! Files in and out: downloading text as a file, reading a picked or dropped file's bytes.

use gloo::file::{Blob, ObjectUrl};
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;

/// Offers `contents` as a download called `name`.
pub fn download(name: &str, mime: &str, contents: &str) -> Result<(), String> {
    let url = ObjectUrl::from(Blob::new_with_options(contents, Some(mime)));
    let document = gloo::utils::document();
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "the page could not create a download link".to_string())?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_attribute("hidden", "").ok();
    let body = gloo::utils::body();
    body.append_child(&a)
        .map_err(|_| "the page could not start the download".to_string())?;
    a.click();
    a.remove();
    // Keep the object URL alive until the browser has surely fetched it.
    Timeout::new(60_000, move || drop(url)).forget();
    Ok(())
}

/// Reads a file's bytes, refusing anything over `limit` bytes without reading it.
pub async fn read_bytes(file: web_sys::File, limit: usize) -> Result<Vec<u8>, String> {
    let size = file.size() as usize;
    if size > limit {
        return Err(format!(
            "it is {} MB; the limit is {} MB",
            crate::core::library::megabytes(size),
            limit / 1_000_000
        ));
    }
    gloo::file::futures::read_as_bytes(&gloo::file::File::from(file))
        .await
        .map_err(|e| format!("the browser could not read it ({e})"))
}
