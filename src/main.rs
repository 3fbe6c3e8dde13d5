//! Entry point: mounts the Yew app in the browser; natively it only explains itself.
fn main() {
    #[cfg(target_arch = "wasm32")]
    r2p_annotator::ui::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("R2P Annotator runs in the browser: see README.md (scripts/serve.sh).");
}
