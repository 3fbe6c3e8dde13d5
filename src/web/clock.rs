//! The clock and id source the reducer's actions are stamped with.

use crate::core::store::Millis;

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now() -> Millis {
    js_sys::Date::now() as Millis
}

/// A fresh UUID v4 from `crypto.randomUUID` (available in secure contexts, 127.0.0.1 and file://).
/// Falls back to `crypto.getRandomValues` where `randomUUID` is missing.
pub fn new_id() -> String {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    let has_random_uuid = crypto
        .as_ref()
        .is_some_and(|c| js_sys::Reflect::has(c, &"randomUUID".into()).unwrap_or(false));
    match crypto {
        Some(c) if has_random_uuid => c.random_uuid(),
        _ => {
            let mut b = [0u8; 16];
            for x in b.iter_mut() {
                *x = (js_sys::Math::random() * 256.0) as u8;
            }
            crate::core::w3c::uuid_string(b, 4)
        }
    }
}
