//! One module per route.

mod directory;
mod not_found;
mod setup;
mod status_page;

pub use directory::DirectoryPage;
pub use not_found::NotFoundPage;
pub use setup::SetupPage;
pub use status_page::StatusPagePage;

use leptos::prelude::*;

/// The frame shared by Herald's own pages (not the organizations' status pages).
#[component]
fn HeraldFrame(children: Children) -> impl IntoView {
    view! {
        <header class="herald-header">
            <a class="herald-header__brand" href="/">"Herald"</a>
        </header>
        <main class="herald-main">{children()}</main>
        <footer class="site-footer">
            <p>"Powered by " <a href="/">"Herald"</a> ", the open-source status page."</p>
        </footer>
    }
}
