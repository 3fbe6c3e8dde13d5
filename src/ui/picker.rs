//! The tag picker: a non-modal dialog next to the selection that tags it, edits its note, adds themes.

use yew::prelude::*;

use super::state::{AppContext, Msg};
use super::ByPtr;
use crate::core::store::{short_quote, Action};
use crate::core::tags::{new_custom_tag, parse_hex_color, TagKind};
use crate::web::clock;

/// A tag button: shows badge and label; its accessible name is exactly the label. The badge and
/// the shortcut are drawn by CSS from data attributes, so that the button's visible text is its
/// name (speech-input users say what they see: WCAG 2.5.3, Label in Name).
#[derive(Properties, PartialEq)]
pub struct TagButtonProps {
    /// Tag label (the accessible name).
    pub label: AttrValue,
    /// Short badge.
    pub badge: AttrValue,
    /// Description, shown as a tooltip.
    pub description: AttrValue,
    /// Colour `#rrggbb`.
    pub color: AttrValue,
    /// Whether the annotation has it (None: no annotation yet).
    pub pressed: Option<bool>,
    /// Keyboard shortcut hint, for pillars.
    #[prop_or_default]
    pub shortcut: Option<char>,
    /// Clicked.
    pub onclick: Callback<()>,
}

/// One tag as a button, used by the picker.
#[function_component(TagButton)]
pub fn tag_button(props: &TagButtonProps) -> Html {
    let onclick = props.onclick.reform(|_: MouseEvent| ());
    // Keep the document selection alive: a mouse press on the button must not clear it.
    let onmousedown = Callback::from(|e: MouseEvent| e.prevent_default());
    let color = if parse_hex_color(&props.color).is_some() {
        props.color.to_string()
    } else {
        "#dddddd".into()
    };
    html! {
        <button type="button" class="tag" aria-label={props.label.clone()}
            aria-pressed={props.pressed.map(|p| p.to_string())} data-badge={props.badge.clone()}
            data-key={props.shortcut.map(|k| k.to_string())}
            title={props.description.clone()} style={format!("--c:{color}")} {onclick} {onmousedown}>
            { props.label.clone() }
            if props.pressed == Some(true) { <span class="check" aria-hidden="true">{ "✓" }</span> }
        </button>
    }
}

/// The picker, open while there is a fresh selection or a selected annotation.
#[function_component(TagPicker)]
pub fn tag_picker() -> Html {
    let state = use_context::<AppContext>().expect("app context");
    let theme = use_state(String::new);
    let tags = use_memo(ByPtr(state.store.clone()), |s| s.0.tags());
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with(state.picker, move |place| {
            if let (Some(place), Some(el)) = (place, dialog.cast::<web_sys::Element>()) {
                crate::web::viewport::show_picker_and_selection(&el, *place);
            }
        });
    }
    let Some(place) = state.picker else {
        return html! {};
    };
    let target = state.selected.as_ref().and_then(|id| state.store.get(id));
    let quote = match (&state.pending, target) {
        (Some(p), _) => state.doc.slice(p.start, p.end),
        (None, Some(a)) => a.quote.clone(),
        (None, None) => return html! {},
    };

    let tag_click = |tag_id: String| {
        let state = state.clone();
        Callback::from(move |()| {
            state.dispatch(Msg::Tag {
                tag: tag_id.clone(),
                new_id: clock::new_id(),
                at: clock::now(),
            })
        })
    };
    let render_group = |kind: TagKind| -> Html {
        tags.iter()
            .filter(|t| t.kind == kind)
            .map(|t| {
                let shortcut = match t.id.as_str() {
                    "pillar-1" => Some('1'),
                    "pillar-2" => Some('2'),
                    "pillar-3" => Some('3'),
                    _ => None,
                };
                html! {
                    <TagButton key={t.id.clone()} label={t.label.clone()} badge={t.badge.clone()}
                        description={t.description.clone()} color={t.color.clone()}
                        pressed={target.map(|a| a.tags.contains(&t.id))} {shortcut}
                        onclick={tag_click(t.id.clone())} />
                }
            })
            .collect()
    };

    let onthemeinput = {
        let theme = theme.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            theme.set(input.value());
        })
    };
    let onthemesubmit = {
        let state = state.clone();
        let theme = theme.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match new_custom_tag(&theme, &state.store.tags()) {
                Err(err) => state.dispatch(Msg::Alert(err.to_string())),
                Ok(tag) => {
                    let at = clock::now();
                    let id = tag.id.clone();
                    if state.pending.is_some() {
                        state.dispatch(Msg::Do(Action::AddCustomTag {
                            tag,
                            apply_to: None,
                            at,
                        }));
                        state.dispatch(Msg::Tag {
                            tag: id,
                            new_id: clock::new_id(),
                            at,
                        });
                    } else {
                        state.dispatch(Msg::Do(Action::AddCustomTag {
                            tag,
                            apply_to: state.selected.clone(),
                            at,
                        }));
                    }
                    theme.set(String::new());
                }
            }
        })
    };

    let edit = target.map(|a| {
        let id = a.id.clone();
        let (oninput, onblur) = super::panel::note_handlers(state.dispatcher(), a);
        let ondelete = {
            let state = state.clone();
            Callback::from(move |_: MouseEvent| {
                state.dispatch(Msg::Do(Action::Delete {
                    id: id.clone(),
                    at: clock::now(),
                }))
            })
        };
        html! {
            <div class="picker-edit">
                <label class="note">
                    <span>{ "Note" }</span>
                    <textarea aria-label="Note on this passage" rows="2" value={a.note.clone()} {oninput} {onblur}
                        placeholder="Why does this passage matter?" />
                </label>
                <button type="button" class="danger" onclick={ondelete}>{ "Delete this annotation" }</button>
            </div>
        }
    });

    let onclose = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Msg::ClosePicker))
    };
    let heading = if state.pending.is_some() {
        "Tag the selection"
    } else {
        "Edit the annotation"
    };
    html! {
        <div role="dialog" aria-label="Tag selection" class="picker" ref={dialog}
            style={format!("left:{}px;top:{}px", place.left as i64, place.top as i64)}>
            <div class="picker-head">
                <strong>{ heading }</strong>
                <button type="button" class="close" aria-label="Close tag picker" onclick={onclose}>{ "×" }</button>
            </div>
            <p class="picker-quote">{ format!("“{}”", short_quote(&quote, 90)) }</p>
            <div class="tag-group" role="group" aria-label="Pillars">{ render_group(TagKind::Pillar) }</div>
            <div class="tag-group themes" role="group" aria-label="Themes">{ render_group(TagKind::Theme) }</div>
            <form class="new-theme" onsubmit={onthemesubmit}>
                <input type="text" aria-label="New theme" placeholder="New theme…" maxlength="60"
                    value={(*theme).clone()} oninput={onthemeinput} />
                <button type="submit">{ "Add theme" }</button>
            </form>
            { edit.unwrap_or_default() }
            <p class="picker-help">{ "Keys: 1, 2, 3 tag a pillar · Esc closes" }</p>
        </div>
    }
}
