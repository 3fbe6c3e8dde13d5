//! Browser glue: storage, clock and ids, and DOM selection ⇄ code-point offsets. Translates; decides nothing.
pub mod clock;
pub mod files;
pub mod focus;
pub mod frame;
pub mod near;
pub mod offline;
pub mod paint;
pub mod selection;
pub mod storage;
