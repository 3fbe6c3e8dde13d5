//! The class view: a teacher opens the class's files and sees, beside the text, where the class agrees.

mod figures;
mod heat;
mod roster;

use std::rc::Rc;

use yew::prelude::*;

use super::state::{AppContext, Msg};
use crate::core::class::roster::{skipped_line, takes_file};
use crate::core::class::{ClassFile, ClassMsg};
use crate::core::w3c::MAX_FILE_BYTES;
use crate::web::files;

/// Reads picked or dropped files into the class (those [`takes_file`] takes), and says which could
/// not be read and how many were left out.
pub(crate) fn open_class_files(
    d: UseReducerDispatcher<super::state::AppState>,
    picked: Vec<web_sys::File>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let mut batch = Vec::new();
        let mut problems = Vec::new();
        let mut skipped = 0;
        for file in picked {
            let name = file.name();
            if !takes_file(&name, &file.type_()) {
                skipped += 1;
                continue;
            }
            match files::read_bytes(file, MAX_FILE_BYTES).await {
                Ok(bytes) => batch.push(ClassFile { name, bytes }),
                Err(e) => problems.push(format!("{name}: {e}")),
            }
        }
        // The batch first: what is said after it stays in the live regions.
        if !batch.is_empty() {
            d.dispatch(Msg::Class(ClassMsg::OpenFiles(Rc::new(batch))));
        }
        if !problems.is_empty() {
            d.dispatch(Msg::Alert(format!(
                "Could not read {}. The other files were opened.",
                problems.join("; ")
            )));
        }
        if skipped > 0 {
            d.dispatch(Msg::Announce(skipped_line(skipped)));
        }
    });
}

/// Opens what was dropped on the page in the class view: files, and the files of folders.
pub(crate) fn open_dropped(
    d: UseReducerDispatcher<super::state::AppState>,
    dt: web_sys::DataTransfer,
) {
    let pending = files::dropped_files(&dt);
    wasm_bindgen_futures::spawn_local(async move {
        match pending.await {
            Ok(batch) => open_class_files(d, batch),
            Err(e) => d.dispatch(Msg::Alert(format!("{e}. Nothing was opened."))),
        }
    });
}

/// The class view, shown instead of the document.
#[function_component(ClassView)]
pub fn class_view() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let set = state.class.set.clone();
    html! {
        <main class="class-view" aria-label="Class view">
            <h1>{ "Class view" }</h1>
            <p class="class-doc">{ state.doc.title().to_string() }</p>
            <roster::Roster />
            if !set.students().is_empty() {
                <heat::HeatSection />
                <figures::Figures />
            }
        </main>
    }
}
