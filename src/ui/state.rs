//! The reducer handle over the core's state machine ([`crate::core::app`]): the UI dispatches
//! its messages and renders the state.

use std::rc::Rc;

use yew::prelude::*;

pub use crate::core::app::{AppState, Msg, Pending, Place, Removed};

impl Reducible for AppState {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut s = (*self).clone();
        if s.update(msg) {
            Rc::new(s)
        } else {
            self
        }
    }
}

/// The state handle every component reaches through the context.
pub type AppContext = UseReducerHandle<AppState>;
