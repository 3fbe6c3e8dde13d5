//! Browser glue: storage, clock and ids, DOM selection ⇄ code-point offsets, the annotation list's
//! geometry, scrolling the article to a code point and keeping the picker in view. Translates;
//! decides nothing.
pub mod clock;
pub mod files;
pub mod focus;
pub mod frame;
pub mod heat;
pub mod list;
pub mod near;
pub mod offline;
pub mod paint;
pub mod reveal;
pub mod selection;
pub mod storage;
pub mod viewport;
