//! Keeping an open page current: the browser holds a WebSocket to the organization's live
//! endpoint and replaces the page's data with every message. After a dropped connection it
//! reconnects with growing, jittered delays; the server's first message on every connection is
//! the whole current page, so nothing that happened meanwhile is missed.

use crate::model::StatusPage;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveState {
    Connecting,
    Live,
    Reconnecting,
}

/// Where the live socket of `slug` is, relative to the page's own address.
pub fn live_path(slug: &str) -> String {
    format!("/s/{slug}/live")
}

/// Starts following `slug` in the browser (does nothing on the server) and returns the
/// connection's state for the page to show.
pub fn follow(slug: String, page: RwSignal<StatusPage>) -> ReadSignal<LiveState> {
    on_every_change(slug, move |changed| page.set(changed))
}

/// Calls `deliver` with the organization's page after every change to it (and once on every
/// (re)connection). The dashboard uses it to reload its own lists when anyone changes anything.
pub fn on_every_change(slug: String, deliver: impl Fn(StatusPage) + Send + Sync + 'static) -> ReadSignal<LiveState> {
    let (state, set_state) = signal(LiveState::Connecting);
    #[cfg(feature = "hydrate")]
    {
        let deliver = std::sync::Arc::new(deliver);
        Effect::new(move |started: Option<()>| {
            if started.is_none() {
                browser::start(slug.clone(), deliver.clone(), set_state);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (slug, deliver, set_state);
    state
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{LiveState, live_path};
    use crate::model::{LiveMessage, StatusPage};
    use leptos::prelude::*;
    use send_wrapper::SendWrapper;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::sync::Arc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{CloseEvent, MessageEvent, WebSocket};

    const FIRST_DELAY_MS: f64 = 500.0;
    const LONGEST_DELAY_MS: f64 = 30_000.0;

    struct Connection {
        slug: String,
        deliver: Arc<dyn Fn(StatusPage) + Send + Sync>,
        set_state: WriteSignal<LiveState>,
        failures: Cell<u32>,
        stopped: Cell<bool>,
        socket: RefCell<Option<WebSocket>>,
    }

    pub fn start(slug: String, deliver: Arc<dyn Fn(StatusPage) + Send + Sync>, set_state: WriteSignal<LiveState>) {
        let connection = Rc::new(Connection {
            slug,
            deliver,
            set_state,
            failures: Cell::new(0),
            stopped: Cell::new(false),
            socket: RefCell::new(None),
        });
        open(connection.clone());
        let on_leave = SendWrapper::new(connection);
        on_cleanup(move || {
            let connection = on_leave.take();
            connection.stopped.set(true);
            if let Some(socket) = connection.socket.borrow_mut().take() {
                let _ = socket.close();
            }
        });
    }

    fn open(connection: Rc<Connection>) {
        if connection.stopped.get() {
            return;
        }
        let location = window().location();
        let scheme = if location.protocol().ok().as_deref() == Some("https:") { "wss" } else { "ws" };
        let host = location.host().unwrap_or_default();
        let Ok(socket) = WebSocket::new(&format!("{scheme}://{host}{}", live_path(&connection.slug))) else {
            retry(connection);
            return;
        };

        let opened = connection.clone();
        let on_open = Closure::<dyn FnMut()>::new(move || {
            opened.failures.set(0);
            opened.set_state.set(LiveState::Live);
        });
        let receiving = connection.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(text) = event.data().as_string() else { return };
            match serde_json::from_str::<LiveMessage>(&text) {
                Ok(LiveMessage::Page { page }) => (receiving.deliver)(*page),
                Err(error) => leptos::logging::warn!("ignoring a live message that could not be read: {error}"),
            }
        });
        let closing = connection.clone();
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
            closing.socket.borrow_mut().take();
            retry(closing.clone());
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        // The handlers live as long as the socket; there is one socket at a time.
        on_open.forget();
        on_message.forget();
        on_close.forget();
        *connection.socket.borrow_mut() = Some(socket);
    }

    fn retry(connection: Rc<Connection>) {
        if connection.stopped.get() {
            return;
        }
        connection.set_state.set(LiveState::Reconnecting);
        let failures = connection.failures.get();
        connection.failures.set(failures.saturating_add(1));
        let backoff = (FIRST_DELAY_MS * 2f64.powi(failures.min(16) as i32)).min(LONGEST_DELAY_MS);
        // Jitter spreads a crowd of viewers reconnecting after a restart.
        let delay = backoff * (0.5 + js_sys::Math::random() / 2.0);
        let again = SendWrapper::new(connection);
        set_timeout(move || open(again.take()), std::time::Duration::from_millis(delay as u64));
    }
}
