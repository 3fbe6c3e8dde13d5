//! The toolbar (title, actions, and on small screens the menu button that shows them) and the
//! live regions: polite status and alerts.

use yew::prelude::*;

use super::state::{AppContext, Msg};
use crate::core::store::Action;
use crate::web::clock;

/// App name, status, and the actions: documents, name, report, sharing, undo and redo. On small
/// screens (CSS) the actions fold into a menu opened by the "Menu" button.
#[function_component(Toolbar)]
pub fn toolbar() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let menu = use_state(|| false);
    let menu_button = use_node_ref();
    let ontogglemenu = {
        let menu = menu.clone();
        Callback::from(move |_: MouseEvent| menu.set(!*menu))
    };
    // Escape inside the open menu folds it and gives focus back to the menu button (an open
    // Documents panel takes its own Escape first).
    let onmenukey = {
        let menu = menu.clone();
        let menu_button = menu_button.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && *menu {
                e.stop_propagation();
                menu.set(false);
                if let Some(b) = menu_button.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        })
    };
    let step = |undo: bool| {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let at = clock::now();
            d.dispatch(Msg::Do(if undo {
                Action::Undo { at }
            } else {
                Action::Redo { at }
            }))
        })
    };
    let onname = {
        let d = state.dispatcher();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let settings = crate::core::library::Settings::with_name(&input.value());
            input.set_value(settings.name.as_deref().unwrap_or(""));
            d.dispatch(Msg::SetName(settings.name));
        })
    };
    // Choosing another view folds the menu: the view is what the user wants to see.
    let onreport = {
        let d = state.dispatcher();
        let showing = state.report;
        let menu = menu.clone();
        Callback::from(move |_: MouseEvent| {
            menu.set(false);
            d.dispatch(Msg::ShowReport(!showing))
        })
    };
    let onclass = {
        let d = state.dispatcher();
        let showing = state.class.shown;
        let menu = menu.clone();
        Callback::from(move |_: MouseEvent| {
            menu.set(false);
            d.dispatch(Msg::Class(crate::core::class::ClassMsg::Show(!showing)))
        })
    };
    html! {
        <header class="toolbar">
            <span class="brand">{ "R2P Annotator" }</span>
            <div role="status" aria-live="polite" class="status">{ state.status.0.clone() }</div>
            <button type="button" class="menu-button" ref={menu_button} aria-expanded={menu.to_string()}
                aria-controls="toolbar-actions" onclick={ontogglemenu}>{ "Menu" }</button>
            <div id="toolbar-actions" class={classes!("actions", menu.then_some("open"))} onkeydown={onmenukey}>
                <super::library::DocumentsMenu />
                <input class="name" type="text" aria-label="Your name" placeholder="Your name" maxlength="80"
                    value={state.name.clone().unwrap_or_default()} onchange={onname}
                    title="Signs your new annotations and names your exported files" />
                <button type="button" aria-pressed={state.report.to_string()} onclick={onreport}>{ "Report" }</button>
                <button type="button" aria-pressed={state.class.shown.to_string()} onclick={onclass}
                    title="Open your students' files and see where the class agrees">{ "Class view" }</button>
                <super::sharing::ShareButtons />
                <button type="button" onclick={step(true)} disabled={!state.store.can_undo()}
                    title="Undo (Ctrl+Z)">{ "Undo" }</button>
                <button type="button" onclick={step(false)} disabled={!state.store.can_redo()}
                    title="Redo (Ctrl+Shift+Z or Ctrl+Y)">{ "Redo" }</button>
            </div>
            <p id="document-help" class="sr-only">
                { "Move the caret with the arrow keys; hold Shift to select; press 1, 2 or 3 to tag a \
                   pillar, or Enter to open the tag picker. Click a highlight to edit it." }
            </p>
        </header>
    }
}

/// The polite status line and the alert box.
#[function_component(Notices)]
pub fn notices() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let dismiss = {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::DismissAlert))
    };
    let onupdate = Callback::from(|_: MouseEvent| crate::web::offline::apply_update());
    html! {
        <div class="notices">
            <super::library::RemovedBar />
            if state.update_ready {
                <div class="update" role="status">
                    <span>{ "A new version of R2P Annotator is ready. Your annotations are kept." }</span>
                    <button type="button" onclick={onupdate}>{ "Reload to update" }</button>
                </div>
            }
            <div role="alert" class={classes!("alert", state.alert.is_none().then_some("empty"))}>
                if let Some(text) = &state.alert {
                    <span>{ text.clone() }</span>
                    <button type="button" onclick={dismiss} aria-label="Dismiss message">{ "×" }</button>
                }
            </div>
        </div>
    }
}
