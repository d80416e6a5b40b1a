use crate::api::dashboard::preview_markdown;
use leptos::prelude::*;

/// A Markdown textarea with a Preview tab that shows the text as the public page will render
/// it. The textarea is what the form posts, so without JavaScript it is a plain textarea.
#[component]
pub fn MarkdownEditor(
    id: String,
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(default = 5)] rows: u32,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let previewing = RwSignal::new(false);
    let preview = RwSignal::new(None::<Result<String, String>>);
    let show_preview = move |_| {
        previewing.set(true);
        preview.set(None);
        let text = value.get_untracked();
        leptos::task::spawn_local(async move {
            preview.set(Some(preview_markdown(text).await.map_err(|error| error.to_string())));
        });
    };
    let preview_id = format!("{id}-preview");
    view! {
        <div class="field markdown-editor" class:field--invalid=move || error.get().is_some()>
            <div class="markdown-editor__bar">
                <label for=id.clone()>{label}</label>
                <span class="markdown-editor__tabs" role="group" aria-label="Write or preview">
                    <button type="button" class="markdown-editor__tab" aria-pressed=move || (!previewing.get()).to_string()
                        on:click=move |_| previewing.set(false)>"Write"</button>
                    <button type="button" class="markdown-editor__tab" aria-pressed=move || previewing.get().to_string()
                        aria-controls=preview_id.clone() on:click=show_preview>"Preview"</button>
                </span>
            </div>
            <textarea id=id name=name rows=rows placeholder=placeholder hidden=move || previewing.get()
                prop:value=value on:input=move |event| value.set(event_target_value(&event))>{value.get_untracked()}</textarea>
            <div id=preview_id class="markdown-editor__preview prose" hidden=move || !previewing.get() aria-live="polite">
                {move || match preview.get() {
                    None => view! { <p class="loading">"Rendering…"</p> }.into_any(),
                    Some(Ok(html)) if html.trim().is_empty() => view! { <p class="field__hint">"Nothing to preview yet."</p> }.into_any(),
                    Some(Ok(html)) => view! { <div inner_html=html></div> }.into_any(),
                    Some(Err(message)) => view! { <p class="form__error" role="alert">{message}</p> }.into_any(),
                }}
            </div>
            <p class="field__hint">{if hint.is_empty() { "Markdown works: **bold**, lists, links." } else { hint }}</p>
            <p class="field__error" role="alert">{move || error.get()}</p>
        </div>
    }
}
