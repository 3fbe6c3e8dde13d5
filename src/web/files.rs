//! Files in and out: downloading text as a file, reading a picked or dropped file's bytes, the files of a dropped folder.

use gloo::file::{Blob, ObjectUrl};
use gloo::timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(inline_js = r#"
// The entries must be taken during the drop event; the walk may take longer. Folders are read
// whole (readEntries gives a batch at a time); a drop of plain files gives them as they are.
export function r2p_dropped_files(dt) {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  const plain = [...dt.files];
  if (!entries.some((e) => e.isDirectory)) return Promise.resolve(plain);
  const out = [];
  const walk = async (e) => {
    if (e.isFile) {
      out.push(await new Promise((ok, fail) => e.file(ok, fail)));
    } else if (e.isDirectory) {
      const reader = e.createReader();
      for (;;) {
        const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
        if (!batch.length) break;
        for (const x of batch) await walk(x);
      }
    }
  };
  return entries.reduce((p, e) => p.then(() => walk(e)), Promise.resolve()).then(() => out);
}
"#)]
extern "C" {
    fn r2p_dropped_files(dt: &web_sys::DataTransfer) -> js_sys::Promise;
}

/// The files of a drop: the dropped files, and every file inside dropped folders (and theirs).
/// Call it during the drop event: the browser lets the dropped items be read only then (the walk
/// through folders goes on after).
pub fn dropped_files(
    dt: &web_sys::DataTransfer,
) -> impl std::future::Future<Output = Result<Vec<web_sys::File>, String>> {
    let pending = wasm_bindgen_futures::JsFuture::from(r2p_dropped_files(dt));
    async move {
        let list = pending
            .await
            .map_err(|_| "the browser could not read the dropped folder".to_string())?;
        Ok(js_sys::Array::from(&list)
            .iter()
            .filter_map(|f| f.dyn_into::<web_sys::File>().ok())
            .collect())
    }
}

/// The files picked in the file input `e` came from, and the input emptied (picking the same
/// files again must fire `change` again).
pub fn take_picked(e: &web_sys::Event) -> Vec<web_sys::File> {
    let Some(input) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return Vec::new();
    };
    let out = input
        .files()
        .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default();
    input.set_value("");
    out
}

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
