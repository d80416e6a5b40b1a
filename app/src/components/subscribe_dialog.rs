//! The status page's "Subscribe to updates": a link to the plain subscribe form, which the
//! hydrated page turns into a dialog that subscribes without leaving the page. Both post the
//! same form to the same route; the dialog asks for JSON back.

use crate::i18n::{SubscribeTexts, texts};
use crate::locale::use_locale;
use herald::{SubscriberChannel, Topic};
use leptos::prelude::*;

/// What the server answered, as the dialog shows it (read only in the browser).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Done { message: String, secret: Option<String> },
    Refused { field: Option<String>, message: String },
}

/// Reads the subscribe route's JSON answer.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn answer(words: &SubscribeTexts, body: &serde_json::Value) -> Answer {
    let text = |pointer: &str| body.pointer(pointer).and_then(serde_json::Value::as_str).map(str::to_owned);
    if let Some(message) = text("/error/message") {
        return Answer::Refused { field: text("/error/field"), message };
    }
    let address = text("/address").unwrap_or_default();
    let template = match text("/outcome").as_deref() {
        Some("check_inbox") => words.check_inbox,
        Some("webhook") => words.webhook_secret,
        Some("chat") => words.chat_subscribed,
        _ => return Answer::Refused { field: None, message: words.unreachable.to_owned() },
    };
    Answer::Done { message: template.replace("{}", &address), secret: text("/secret") }
}

#[component]
pub fn SubscribeDialog(slug: String, label: &'static str, components: Vec<(i64, String)>) -> impl IntoView {
    let words = &texts(use_locale()).subscribing;
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let channel = RwSignal::new(SubscriberChannel::Email);
    let answer = RwSignal::new(None::<Answer>);
    let pending = RwSignal::new(false);
    let action = format!("/s/{slug}/subscribe");
    let open = move |event: leptos::ev::MouseEvent| {
        if let Some(dialog) = dialog.get() {
            event.prevent_default();
            answer.set(None);
            let _ = dialog.show_modal();
        }
    };
    let close = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    let submit = {
        let action = action.clone();
        move |event: leptos::ev::SubmitEvent| send(event, action.clone(), words, answer, pending)
    };
    let error_for = move |field: &'static str| {
        move || match answer.get() {
            Some(Answer::Refused { field: Some(failed), message }) if failed == field => Some(message),
            _ => None,
        }
    };
    let general_error = move || match answer.get() {
        Some(Answer::Refused { field, message })
            if field.is_none()
                || field.as_deref().is_some_and(|field| !["email", "url", "chat_id", "bot_token"].contains(&field)) =>
        {
            Some(message)
        }
        _ => None,
    };
    let done = move || match answer.get() {
        Some(Answer::Done { message, secret }) => Some((message, secret)),
        _ => None,
    };
    view! {
        <a class="subscribe-link" rel="external" href=action.clone() on:click=open>{label}</a>
        <dialog node_ref=dialog class="subscribe-dialog" aria-labelledby="subscribe-dialog-title">
            <h2 id="subscribe-dialog-title">{words.title}</h2>
            <Show
                when=move || done().is_none()
                fallback=move || {
                    let (message, secret) = done().unwrap_or_default();
                    view! {
                        <div class="subscribe-dialog__done" role="status">
                            <p>{message}</p>
                            {secret.map(|secret| view! { <p><code class="secret" data-testid="webhook-secret">{secret}</code></p> })}
                        </div>
                        <button type="button" class="button" on:click=close>{words.close}</button>
                    }
                }
            >
                <form method="post" action=action.clone() class="subscribe-form" novalidate on:submit=submit.clone()>
                    {move || general_error().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
                    <fieldset class="subscribe-dialog__channels">
                        <legend>{words.how}</legend>
                        {SubscriberChannel::ALL.iter().map(|&value| view! {
                            <label class="choice">
                                <input type="radio" name="channel" value=value.as_str() checked=value == SubscriberChannel::Email
                                    on:change=move |_| channel.set(value)/>
                                " " {value.label()}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    {move || match channel.get() {
                        SubscriberChannel::Email => view! {
                            <label for="subscribe-dialog-email">{words.email_address}</label>
                            <input id="subscribe-dialog-email" name="email" type="email" autocomplete="email" required/>
                            <p class="field-error" role="alert">{error_for("email")}</p>
                        }.into_any(),
                        SubscriberChannel::Telegram => view! {
                            <label for="subscribe-dialog-chat">{words.chat_id}</label>
                            <input id="subscribe-dialog-chat" name="chat_id" required/>
                            <p class="field-error" role="alert">{error_for("chat_id")}</p>
                            <label for="subscribe-dialog-token">{words.bot_token}</label>
                            <input id="subscribe-dialog-token" name="bot_token" type="password" autocomplete="off" required/>
                            <p class="field-error" role="alert">{error_for("bot_token")}</p>
                        }.into_any(),
                        _ => view! {
                            <label for="subscribe-dialog-url">{words.webhook_url}</label>
                            <input id="subscribe-dialog-url" name="url" type="url" placeholder="https://" required/>
                            <p class="field-error" role="alert">{error_for("url")}</p>
                        }.into_any(),
                    }}
                    <fieldset>
                        <legend>{words.tell_me_about}</legend>
                        {[(Topic::All, words.topic_all), (Topic::Incidents, words.topic_incidents), (Topic::Maintenance, words.topic_maintenance)]
                            .into_iter()
                            .map(|(topic, name)| view! {
                                <label class="choice">
                                    <input type="radio" name="topic" value=topic.as_str() checked=topic == Topic::All/>
                                    " " {name}
                                </label>
                            })
                            .collect_view()}
                    </fieldset>
                    {(!components.is_empty()).then(|| view! {
                        <fieldset class="subscribe-dialog__components">
                            <legend>{texts(use_locale()).components}</legend>
                            <p class="hint">{words.components_hint}</p>
                            {components.iter().map(|(id, name)| view! {
                                <label class="choice">
                                    <input type="checkbox" name="components" value=id.to_string()/>
                                    " " {name.clone()}
                                </label>
                            }).collect_view()}
                        </fieldset>
                    })}
                    <div class="subscribe-dialog__buttons">
                        <button type="submit" class="button" disabled=move || pending.get()>
                            {move || if pending.get() { words.submitting } else { words.submit }}
                        </button>
                        <button type="button" class="button button--quiet" on:click=close>{words.close}</button>
                    </div>
                </form>
            </Show>
        </dialog>
    }
}

/// Posts the dialog's form and shows the answer; without this (no JavaScript) the form posts
/// as a page.
fn send(
    event: leptos::ev::SubmitEvent,
    action: String,
    words: &'static SubscribeTexts,
    answer: RwSignal<Option<Answer>>,
    pending: RwSignal<bool>,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(form) = event.target().and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok()) else {
            return;
        };
        let Some(body) = web_sys::FormData::new_with_form(&form)
            .ok()
            .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok())
            .map(|params| String::from(params.to_string()))
        else {
            return;
        };
        event.prevent_default();
        pending.set(true);
        leptos::task::spawn_local(async move {
            let result = post(&action, body).await;
            pending.set(false);
            answer.set(Some(match result {
                Some(body) => self::answer(words, &body),
                None => Answer::Refused { field: None, message: words.unreachable.to_owned() },
            }));
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (event, action, words, answer, pending);
}

#[cfg(feature = "hydrate")]
async fn post(url: &str, body: String) -> Option<serde_json::Value> {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    let headers = web_sys::Headers::new().ok()?;
    headers.set("accept", "application/json").ok()?;
    headers.set("content-type", "application/x-www-form-urlencoded").ok()?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&body));
    let response: web_sys::Response =
        JsFuture::from(web_sys::window()?.fetch_with_str_and_init(url, &init)).await.ok()?.dyn_into().ok()?;
    let text = JsFuture::from(response.text().ok()?).await.ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{DE, EN};
    use serde_json::json;

    #[test]
    fn answers_read_as_the_dialog_shows_them() {
        let words = &EN.subscribing;
        assert_eq!(
            answer(words, &json!({"outcome": "check_inbox", "address": "ana@example.com"})),
            Answer::Done {
                message: "We sent a confirmation link to ana@example.com. Updates start once you click it; the link works for 7 days.".into(),
                secret: None
            }
        );
        assert_eq!(
            answer(words, &json!({"outcome": "webhook", "address": "https://x.test/h", "secret": "whsec_abc"})),
            Answer::Done {
                message:
                    "Deliveries to https://x.test/h are signed with this secret. Copy it now: it is not shown again."
                        .into(),
                secret: Some("whsec_abc".into())
            }
        );
        assert_eq!(
            answer(&DE.subscribing, &json!({"outcome": "chat", "address": "https://hooks.slack.com/x"})),
            Answer::Done { message: "Meldungen werden an https://hooks.slack.com/x gesendet.".into(), secret: None }
        );
        assert_eq!(
            answer(words, &json!({"error": {"field": "email", "message": "Not an address."}})),
            Answer::Refused { field: Some("email".into()), message: "Not an address.".into() }
        );
        assert_eq!(
            answer(words, &json!({"surprise": true})),
            Answer::Refused { field: None, message: words.unreachable.into() }
        );
    }
}
