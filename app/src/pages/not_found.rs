use crate::components::ErrorPanel;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// Any address no route matches: a real page with HTTP status 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <Title text="Page not found"/>
        <super::HeraldFrame>
            <ErrorPanel error=AppError::NotFound("Nothing lives at this address. Check the link, or start from the list of status pages.".into())/>
        </super::HeraldFrame>
    }
}
