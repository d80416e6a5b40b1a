use leptos::prelude::*;

/// A labelled input with its hint and, after a failed submit, the reason next to it.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    hint: &'static str,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described_by = format!("{hint_id} {error_id}");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=name>{label}</label>
            <input id=name name=name type=kind autocomplete=autocomplete aria-describedby=described_by aria-invalid=move || error.get().is_some().to_string()/>
            <p class="field__hint" id=hint_id>{hint}</p>
            <p class="field__error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}
