//! R2P Annotator: a pure annotation core plus (on wasm32) the browser glue and the Yew UI.
pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
