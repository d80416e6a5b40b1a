//! Which language a page is in. The server decides (`?lang=`, then `Accept-Language`, then the
//! organization's default, which the page cache resolves and passes as `x-herald-locale`) and
//! writes it into `<html lang>`; the browser reads it back from there, so both render alike.

use herald::Locale;
use leptos::prelude::*;

/// The header the page cache uses to hand its already-resolved language to the renderer.
pub const LOCALE_HEADER: &str = "x-herald-locale";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageLocale(pub Locale);

pub fn use_locale() -> Locale {
    use_context::<PageLocale>().map_or(Locale::DEFAULT, |page| page.0)
}

/// The language asked for by a request, without an organization's default.
#[cfg(feature = "ssr")]
pub fn requested(parts: &http::request::Parts) -> Option<Locale> {
    requested_in(&parts.headers, &parts.uri)
}

/// [`requested`] for a request whose parts are not split out.
#[cfg(feature = "ssr")]
pub fn requested_in(headers: &http::HeaderMap, uri: &http::Uri) -> Option<Locale> {
    if let Some(locale) = headers.get(LOCALE_HEADER).and_then(|value| value.to_str().ok()).and_then(Locale::parse_tag) {
        return Some(locale);
    }
    let from_query = uri.query().and_then(|query| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == "lang")
            .and_then(|(_, value)| Locale::parse_tag(value))
    });
    from_query.or_else(|| {
        headers.get(http::header::ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok()).and_then(Locale::negotiate)
    })
}

/// Decides the page's language and makes it available to every component.
pub fn provide_locale() -> Locale {
    #[cfg(feature = "ssr")]
    let locale = use_context::<http::request::Parts>().as_ref().and_then(requested).unwrap_or(Locale::DEFAULT);
    #[cfg(not(feature = "ssr"))]
    let locale = document()
        .document_element()
        .map(|root| root.get_attribute("lang").unwrap_or_default())
        .and_then(|lang| Locale::parse_tag(&lang))
        .unwrap_or(Locale::DEFAULT);
    provide_context(PageLocale(locale));
    locale
}

/// True once the browser has taken over the page: from then on times are shown on the
/// visitor's own clock and keyboard helpers are active. False while rendering on the server
/// and during hydration, so the first browser render matches the server's HTML.
#[derive(Clone, Copy)]
pub struct Hydrated(pub ReadSignal<bool>);

pub fn provide_hydrated() {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    provide_context(Hydrated(hydrated));
}

/// Whether the browser has taken over; read it inside reactive closures.
pub fn hydrated() -> ReadSignal<bool> {
    use_context::<Hydrated>().map_or_else(|| signal(false).0, |hydrated| hydrated.0)
}

/// The instant as the visitor's browser writes it in `locale` and the visitor's time zone.
#[cfg(feature = "hydrate")]
pub fn browser_local(locale: Locale, at: chrono::DateTime<chrono::Utc>) -> Option<String> {
    use wasm_bindgen::JsValue;
    let options = js_sys::Object::new();
    for (key, value) in
        [("month", "short"), ("day", "numeric"), ("hour", "2-digit"), ("minute", "2-digit"), ("timeZoneName", "short")]
    {
        js_sys::Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value)).ok()?;
    }
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    date.to_locale_string(locale.as_str(), &options).as_string()
}
