//! Offline support: registers the service worker and reports when a new version is waiting.

use std::cell::RefCell;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

thread_local! {
    /// The installed worker waiting to take over, once there is one.
    static WAITING: RefCell<Option<ServiceWorker>> = const { RefCell::new(None) };
}

fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = gloo::utils::window().navigator();
    // Absent where service workers cannot run (file://, some private modes).
    js_sys::Reflect::has(&navigator, &"serviceWorker".into())
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

fn offer(worker: ServiceWorker, on_update: &dyn Fn()) {
    WAITING.with(|w| *w.borrow_mut() = Some(worker));
    on_update();
}

/// Registers `sw.js` when the page is served over http(s); calls `on_update` when a new build
/// is installed and waiting (only when an older one controls the page: the first install is
/// not an update).
pub fn register(on_update: impl Fn() + 'static) {
    let protocol = gloo::utils::window()
        .location()
        .protocol()
        .unwrap_or_default();
    if protocol != "http:" && protocol != "https:" {
        return;
    }
    let Some(sw) = container() else {
        return;
    };
    yew::platform::spawn_local(async move {
        let Ok(reg) = JsFuture::from(sw.register("./sw.js")).await else {
            return;
        };
        // Some environments (automation that blocks workers) resolve to nothing.
        let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        let on_update = std::rc::Rc::new(on_update);
        let controlled = sw.controller().is_some();
        if let (Some(waiting), true) = (reg.waiting(), controlled) {
            offer(waiting, &*on_update);
        }
        let reg2 = reg.clone();
        EventListener::new(&reg, "updatefound", move |_| {
            let Some(installing) = reg2.installing() else {
                return;
            };
            let worker = installing.clone();
            let on_update = on_update.clone();
            EventListener::new(&installing, "statechange", move |_| {
                let controlled = container().and_then(|c| c.controller()).is_some();
                if worker.state() == ServiceWorkerState::Installed && controlled {
                    offer(worker.clone(), &*on_update);
                }
            })
            .forget();
        })
        .forget();
    });
}

/// Lets the waiting version take over and reloads the page into it.
pub fn apply_update() {
    let Some(sw) = container() else {
        return;
    };
    EventListener::once(&sw, "controllerchange", |_| {
        let _ = gloo::utils::window().location().reload();
    })
    .forget();
    WAITING.with(|w| {
        if let Some(worker) = w.borrow().as_ref() {
            let _ = worker.post_message(&"skip-waiting".into());
        }
    });
}
