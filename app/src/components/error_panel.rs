use crate::error::AppError;
use leptos::prelude::*;

/// Explains a failed load in words, with a way back.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let heading = match &error {
        AppError::NotFound(_) => "Page not found",
        AppError::Internal | AppError::Transport(_) => "This page could not be loaded",
        _ => "This request could not be completed",
    };
    view! {
        <section class="panel panel--error" role="alert">
            <h1>{heading}</h1>
            <p>{error.to_string()}</p>
            <p><a href="/">"Go to the list of status pages"</a></p>
        </section>
    }
}
