//! The pure core: no browser dependency, compiled and tested natively.
pub mod anchor;
pub mod app;
pub mod document;
pub mod envelope;
pub mod import;
pub mod kv;
pub mod layout;
pub mod library;
pub mod markdown;
pub mod offsets;
pub mod persist;
pub mod report;
pub mod segments;
pub mod store;
pub mod tags;
pub mod time;
pub mod w3c;
