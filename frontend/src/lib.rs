//! The browser entry point: takes over the server-rendered page. Nothing else lives here.

// Leptos view types nest deeply; the layout of the largest pages needs more than the default.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
