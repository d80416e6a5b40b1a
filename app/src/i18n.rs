//! The words and formats of the public pages in English, German and French. Every function
//! here is deterministic (no clock, no browser), so the server and the hydrating browser
//! produce the same text.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use herald::{ComponentStatus, Impact, IncidentStatus, Indicator, Locale, MaintenanceStatus};

/// Every fixed text of the public pages in one language.
pub struct Texts {
    pub active_incidents: &'static str,
    pub maintenance: &'static str,
    pub maintenance_in_progress: &'static str,
    pub maintenance_upcoming: &'static str,
    pub components: &'static str,
    pub uptime_over_window: &'static str,
    pub days_ago: &'static str,
    pub days_ago_short: &'static str,
    pub today: &'static str,
    pub no_data: &'static str,
    pub uptime: &'static str,
    pub incident: &'static str,
    pub full_timeline: &'static str,
    pub affected: &'static str,
    pub started: &'static str,
    pub resolved: &'static str,
    pub duration: &'static str,
    pub postmortem: &'static str,
    pub scheduled_for: &'static str,
    pub until: &'static str,
    pub history: &'static str,
    pub incident_history: &'static str,
    pub subscribe: &'static str,
    pub calendar: &'static str,
    pub no_incidents_this_month: &'static str,
    pub newer: &'static str,
    pub older: &'static str,
    pub back_to_status: &'static str,
    pub last_updated: &'static str,
    pub live: &'static str,
    pub connecting: &'static str,
    pub reconnecting: &'static str,
    pub powered_by: &'static str,
    pub toggle_theme: &'static str,
    pub view_status_page: &'static str,
    pub impact: &'static str,
    pub ongoing: &'static str,
    pub months: [&'static str; 12],
    pub months_short: [&'static str; 12],
    pub subscribing: SubscribeTexts,
}

/// The subscribe dialog of the status page. `{}` stands for the address.
pub struct SubscribeTexts {
    pub title: &'static str,
    pub how: &'static str,
    pub email_address: &'static str,
    pub webhook_url: &'static str,
    pub chat_id: &'static str,
    pub bot_token: &'static str,
    pub tell_me_about: &'static str,
    pub topic_all: &'static str,
    pub topic_incidents: &'static str,
    pub topic_maintenance: &'static str,
    pub components_hint: &'static str,
    pub submit: &'static str,
    pub submitting: &'static str,
    pub close: &'static str,
    pub check_inbox: &'static str,
    pub webhook_secret: &'static str,
    pub chat_subscribed: &'static str,
    pub unreachable: &'static str,
}

pub static EN: Texts = Texts {
    active_incidents: "Active incidents",
    maintenance: "Maintenance",
    maintenance_in_progress: "Maintenance in progress",
    maintenance_upcoming: "Scheduled maintenance",
    components: "Components",
    uptime_over_window: "uptime over 90 days",
    days_ago: "90 days ago",
    days_ago_short: "30 days ago",
    today: "Today",
    no_data: "No data",
    uptime: "uptime",
    incident: "Incident",
    full_timeline: "Full timeline",
    affected: "Affected",
    started: "Started",
    resolved: "Resolved",
    duration: "Duration",
    postmortem: "Postmortem",
    scheduled_for: "Scheduled for",
    until: "until",
    history: "History",
    incident_history: "Incident history",
    subscribe: "Subscribe to updates",
    calendar: "Maintenance calendar",
    no_incidents_this_month: "No incidents reported.",
    newer: "Newer",
    older: "Older",
    back_to_status: "Current status",
    last_updated: "Last updated",
    live: "Live",
    connecting: "Connecting…",
    reconnecting: "Reconnecting…",
    powered_by: "Powered by",
    toggle_theme: "Switch between light and dark",
    view_status_page: "View status page",
    impact: "impact",
    ongoing: "ongoing",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    months_short: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    subscribing: SubscribeTexts {
        title: "Get status updates",
        how: "How to be told",
        email_address: "Email address",
        webhook_url: "Webhook URL",
        chat_id: "Chat id",
        bot_token: "Bot token",
        tell_me_about: "Tell me about",
        topic_all: "Incidents and maintenance",
        topic_incidents: "Incidents only",
        topic_maintenance: "Maintenance only",
        components_hint: "Choose none to hear about all components.",
        submit: "Subscribe",
        submitting: "Subscribing…",
        close: "Close",
        check_inbox: "We sent a confirmation link to {}. Updates start once you click it; the link works for 7 days.",
        webhook_secret: "Deliveries to {} are signed with this secret. Copy it now: it is not shown again.",
        chat_subscribed: "Updates will be posted to {}.",
        unreachable: "The status page could not be reached; check your connection and try again.",
    },
};

pub static DE: Texts = Texts {
    active_incidents: "Aktuelle Störungen",
    maintenance: "Wartung",
    maintenance_in_progress: "Laufende Wartung",
    maintenance_upcoming: "Geplante Wartung",
    components: "Komponenten",
    uptime_over_window: "Verfügbarkeit in 90 Tagen",
    days_ago: "vor 90 Tagen",
    days_ago_short: "vor 30 Tagen",
    today: "Heute",
    no_data: "Keine Daten",
    uptime: "Verfügbarkeit",
    incident: "Störung",
    full_timeline: "Gesamter Verlauf",
    affected: "Betroffen",
    started: "Beginn",
    resolved: "Behoben",
    duration: "Dauer",
    postmortem: "Nachbetrachtung",
    scheduled_for: "Geplant für",
    until: "bis",
    history: "Verlauf",
    incident_history: "Störungsverlauf",
    subscribe: "Updates abonnieren",
    calendar: "Wartungskalender",
    no_incidents_this_month: "Keine Störungen gemeldet.",
    newer: "Neuer",
    older: "Älter",
    back_to_status: "Aktueller Status",
    last_updated: "Zuletzt aktualisiert",
    live: "Live",
    connecting: "Verbinde…",
    reconnecting: "Verbinde erneut…",
    powered_by: "Bereitgestellt mit",
    toggle_theme: "Zwischen hell und dunkel wechseln",
    view_status_page: "Statusseite öffnen",
    impact: "Auswirkung",
    ongoing: "andauernd",
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    months_short: ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
    subscribing: SubscribeTexts {
        title: "Statusmeldungen erhalten",
        how: "Benachrichtigung über",
        email_address: "E-Mail-Adresse",
        webhook_url: "Webhook-URL",
        chat_id: "Chat-ID",
        bot_token: "Bot-Token",
        tell_me_about: "Benachrichtigen bei",
        topic_all: "Störungen und Wartungen",
        topic_incidents: "Nur Störungen",
        topic_maintenance: "Nur Wartungen",
        components_hint: "Keine Auswahl: alle Komponenten.",
        submit: "Abonnieren",
        submitting: "Wird abonniert…",
        close: "Schließen",
        check_inbox: "Wir haben einen Bestätigungslink an {} geschickt. Meldungen kommen, sobald Sie ihn anklicken; er gilt 7 Tage.",
        webhook_secret: "Zustellungen an {} werden mit diesem Geheimnis signiert. Kopieren Sie es jetzt: Es wird nicht noch einmal angezeigt.",
        chat_subscribed: "Meldungen werden an {} gesendet.",
        unreachable: "Die Statusseite ist nicht erreichbar; prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    },
};

pub static FR: Texts = Texts {
    active_incidents: "Incidents en cours",
    maintenance: "Maintenance",
    maintenance_in_progress: "Maintenance en cours",
    maintenance_upcoming: "Maintenance planifiée",
    components: "Composants",
    uptime_over_window: "disponibilité sur 90 jours",
    days_ago: "il y a 90 jours",
    days_ago_short: "il y a 30 jours",
    today: "Aujourd’hui",
    no_data: "Aucune donnée",
    uptime: "disponibilité",
    incident: "Incident",
    full_timeline: "Historique complet",
    affected: "Concernés",
    started: "Début",
    resolved: "Résolu",
    duration: "Durée",
    postmortem: "Analyse post-incident",
    scheduled_for: "Prévue le",
    until: "jusqu’au",
    history: "Historique",
    incident_history: "Historique des incidents",
    subscribe: "S'abonner aux mises à jour",
    calendar: "Calendrier des maintenances",
    no_incidents_this_month: "Aucun incident signalé.",
    newer: "Plus récents",
    older: "Plus anciens",
    back_to_status: "État actuel",
    last_updated: "Dernière mise à jour",
    live: "En direct",
    connecting: "Connexion…",
    reconnecting: "Reconnexion…",
    powered_by: "Propulsé par",
    toggle_theme: "Basculer entre clair et sombre",
    view_status_page: "Voir la page d’état",
    impact: "impact",
    ongoing: "en cours",
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    months_short: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    subscribing: SubscribeTexts {
        title: "Recevoir les mises à jour",
        how: "Être prévenu par",
        email_address: "Adresse e-mail",
        webhook_url: "URL du webhook",
        chat_id: "Identifiant du chat",
        bot_token: "Jeton du bot",
        tell_me_about: "Me prévenir pour",
        topic_all: "Incidents et maintenances",
        topic_incidents: "Incidents uniquement",
        topic_maintenance: "Maintenances uniquement",
        components_hint: "Aucun choix : tous les composants.",
        submit: "S'abonner",
        submitting: "Abonnement…",
        close: "Fermer",
        check_inbox: "Nous avons envoyé un lien de confirmation à {}. Les mises à jour commencent dès que vous cliquez ; le lien est valable 7 jours.",
        webhook_secret: "Les envois vers {} sont signés avec ce secret. Copiez-le maintenant : il ne sera plus affiché.",
        chat_subscribed: "Les mises à jour seront publiées sur {}.",
        unreachable: "La page de statut est injoignable ; vérifiez votre connexion et réessayez.",
    },
};

pub fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::En => &EN,
        Locale::De => &DE,
        Locale::Fr => &FR,
    }
}

pub fn headline(locale: Locale, indicator: Indicator) -> &'static str {
    match (locale, indicator) {
        (Locale::En, _) => indicator.headline(),
        (Locale::De, Indicator::None) => "Alle Systeme betriebsbereit",
        (Locale::De, Indicator::Minor) => "Leichte Beeinträchtigung",
        (Locale::De, Indicator::Major) => "Teilausfall",
        (Locale::De, Indicator::Critical) => "Größerer Ausfall",
        (Locale::De, Indicator::Maintenance) => "Wartungsarbeiten",
        (Locale::Fr, Indicator::None) => "Tous les systèmes sont opérationnels",
        (Locale::Fr, Indicator::Minor) => "Perturbation mineure",
        (Locale::Fr, Indicator::Major) => "Panne partielle",
        (Locale::Fr, Indicator::Critical) => "Panne majeure",
        (Locale::Fr, Indicator::Maintenance) => "Maintenance en cours",
    }
}

pub fn component_status(locale: Locale, status: ComponentStatus) -> &'static str {
    use ComponentStatus::*;
    match (locale, status) {
        (Locale::En, _) => status.label(),
        (Locale::De, Operational) => "Betriebsbereit",
        (Locale::De, DegradedPerformance) => "Eingeschränkte Leistung",
        (Locale::De, PartialOutage) => "Teilausfall",
        (Locale::De, MajorOutage) => "Größerer Ausfall",
        (Locale::De, UnderMaintenance) => "In Wartung",
        (Locale::De, NoData) => "Keine Daten",
        (Locale::Fr, Operational) => "Opérationnel",
        (Locale::Fr, DegradedPerformance) => "Performances dégradées",
        (Locale::Fr, PartialOutage) => "Panne partielle",
        (Locale::Fr, MajorOutage) => "Panne majeure",
        (Locale::Fr, UnderMaintenance) => "En maintenance",
        (Locale::Fr, NoData) => "Aucune donnée",
    }
}

pub fn incident_status(locale: Locale, status: IncidentStatus) -> &'static str {
    use IncidentStatus::*;
    match (locale, status) {
        (Locale::En, _) => status.label(),
        (Locale::De, Investigating) => "Untersuchung",
        (Locale::De, Identified) => "Ursache gefunden",
        (Locale::De, Monitoring) => "Beobachtung",
        (Locale::De, Resolved) => "Behoben",
        (Locale::De, Postmortem) => "Nachbetrachtung",
        (Locale::Fr, Investigating) => "Analyse en cours",
        (Locale::Fr, Identified) => "Cause identifiée",
        (Locale::Fr, Monitoring) => "Surveillance",
        (Locale::Fr, Resolved) => "Résolu",
        (Locale::Fr, Postmortem) => "Analyse post-incident",
    }
}

pub fn maintenance_status(locale: Locale, status: MaintenanceStatus) -> &'static str {
    use MaintenanceStatus::*;
    match (locale, status) {
        (Locale::En, _) => status.label(),
        (Locale::De, Scheduled) => "Geplant",
        (Locale::De, InProgress) => "Läuft",
        (Locale::De, Verifying) => "Wird überprüft",
        (Locale::De, Completed) => "Abgeschlossen",
        (Locale::De, Cancelled) => "Abgesagt",
        (Locale::Fr, Scheduled) => "Planifiée",
        (Locale::Fr, InProgress) => "En cours",
        (Locale::Fr, Verifying) => "Vérification",
        (Locale::Fr, Completed) => "Terminée",
        (Locale::Fr, Cancelled) => "Annulée",
    }
}

pub fn impact(locale: Locale, impact: Impact) -> &'static str {
    match (locale, impact) {
        (Locale::En, _) => impact.label(),
        (Locale::De, Impact::None) => "Keine",
        (Locale::De, Impact::Minor) => "Gering",
        (Locale::De, Impact::Major) => "Erheblich",
        (Locale::De, Impact::Critical) => "Kritisch",
        (Locale::Fr, Impact::None) => "Aucun",
        (Locale::Fr, Impact::Minor) => "Mineur",
        (Locale::Fr, Impact::Major) => "Majeur",
        (Locale::Fr, Impact::Critical) => "Critique",
    }
}

fn month_short(locale: Locale, month: u32) -> &'static str {
    texts(locale).months_short.get(month.saturating_sub(1) as usize).copied().unwrap_or("")
}

/// "Nov 23, 2026" / "23. Nov. 2026" / "23 nov. 2026".
pub fn date(locale: Locale, day: NaiveDate) -> String {
    let month = month_short(locale, day.month());
    match locale {
        Locale::En => format!("{month} {}, {}", day.day(), day.year()),
        Locale::De => format!("{}. {month} {}", day.day(), day.year()),
        Locale::Fr => format!("{} {month} {}", day.day(), day.year()),
    }
}

/// "November 2026" / "November 2026" / "novembre 2026".
pub fn month_heading(locale: Locale, month: NaiveDate) -> String {
    let name = texts(locale).months.get(month.month0() as usize).copied().unwrap_or("");
    format!("{name} {}", month.year())
}

/// "Nov 23, 14:02 CET"; the year is added when it is not `reference_year`.
pub fn date_time(locale: Locale, at: NaiveDateTime, zone: &str, reference_year: i32) -> String {
    let month = month_short(locale, at.month());
    let year = if at.year() == reference_year { String::new() } else { format!(" {}", at.year()) };
    let (hour, minute) = (at.hour(), at.minute());
    match locale {
        Locale::En => {
            let year = if year.is_empty() { year } else { format!(",{year}") };
            format!("{month} {}{year}, {hour:02}:{minute:02} {zone}", at.day())
        }
        Locale::De => format!("{}. {month}{year}, {hour:02}:{minute:02} {zone}", at.day()),
        Locale::Fr => format!("{} {month}{year}, {hour:02}:{minute:02} {zone}", at.day()),
    }
}

/// "1 hour 25 minutes" / "1 Stunde 25 Minuten" / "1 heure 25 minutes"; under a minute counts as
/// one minute.
pub fn duration(locale: Locale, minutes: i64) -> String {
    let minutes = minutes.max(1);
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let unit = |count: i64, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
    let words: [(&str, &str); 3] = match locale {
        Locale::En => [("day", "days"), ("hour", "hours"), ("minute", "minutes")],
        Locale::De => [("Tag", "Tage"), ("Stunde", "Stunden"), ("Minute", "Minuten")],
        Locale::Fr => [("jour", "jours"), ("heure", "heures"), ("minute", "minutes")],
    };
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(unit(days, words[0].0, words[0].1));
    }
    if hours > 0 {
        parts.push(unit(hours, words[1].0, words[1].1));
    }
    if minutes > 0 && days == 0 {
        parts.push(unit(minutes, words[2].0, words[2].1));
    }
    parts.join(" ")
}

/// An uptime in hundredths of a percent: "99.95%" / "99,95 %" / "99,95 %".
pub fn percent(locale: Locale, hundredths: u16) -> String {
    let text = format!("{}.{:02}", hundredths / 100, hundredths % 100);
    match locale {
        Locale::En => format!("{text}%"),
        Locale::De | Locale::Fr => format!("{} %", text.replace('.', ",")),
    }
}

/// What a heatmap day's tooltip and label say.
pub fn day_summary(
    locale: Locale,
    day: NaiveDate,
    status: Option<ComponentStatus>,
    uptime: Option<u16>,
    notes: &[(&str, &str)],
) -> String {
    let t = texts(locale);
    let mut text = date(locale, day);
    match (status, uptime) {
        (None, _) => {
            text.push_str(" — ");
            text.push_str(t.no_data);
        }
        (Some(status), uptime) => {
            text.push_str(" — ");
            text.push_str(component_status(locale, status));
            if let Some(uptime) = uptime {
                text.push_str(", ");
                text.push_str(&percent(locale, uptime));
                text.push(' ');
                text.push_str(t.uptime);
            }
        }
    }
    for (kind, title) in notes {
        text.push_str(" — ");
        text.push_str(kind);
        text.push_str(": ");
        text.push_str(title);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn every_language_has_every_word() {
        for &locale in Locale::ALL {
            for &indicator in Indicator::ALL {
                assert!(!headline(locale, indicator).is_empty());
            }
            for &status in ComponentStatus::ALL {
                assert!(!component_status(locale, status).is_empty());
            }
            for &status in IncidentStatus::ALL {
                assert!(!incident_status(locale, status).is_empty());
            }
            for &status in MaintenanceStatus::ALL {
                assert!(!maintenance_status(locale, status).is_empty());
            }
            for &level in Impact::ALL {
                assert!(!impact(locale, level).is_empty());
            }
            assert!(texts(locale).months.iter().all(|month| !month.is_empty()));
        }
        assert_eq!(headline(Locale::De, Indicator::None), "Alle Systeme betriebsbereit");
        assert_eq!(component_status(Locale::Fr, ComponentStatus::MajorOutage), "Panne majeure");
    }

    #[test]
    fn dates_follow_each_language() {
        assert_eq!(date(Locale::En, day()), "Nov 23, 2026");
        assert_eq!(date(Locale::De, day()), "23. Nov. 2026");
        assert_eq!(date(Locale::Fr, day()), "23 nov. 2026");
        assert_eq!(month_heading(Locale::Fr, day()), "novembre 2026");
        let at = day().and_hms_opt(14, 2, 0).unwrap_or_default();
        assert_eq!(date_time(Locale::En, at, "CET", 2026), "Nov 23, 14:02 CET");
        assert_eq!(date_time(Locale::En, at, "CET", 2027), "Nov 23, 2026, 14:02 CET");
        assert_eq!(date_time(Locale::De, at, "MEZ", 2026), "23. Nov., 14:02 MEZ");
        assert_eq!(date_time(Locale::Fr, at, "UTC", 2025), "23 nov. 2026, 14:02 UTC");
    }

    #[test]
    fn durations_and_percentages_read_naturally() {
        assert_eq!(duration(Locale::En, 0), "1 minute");
        assert_eq!(duration(Locale::En, 47), "47 minutes");
        assert_eq!(duration(Locale::En, 85), "1 hour 25 minutes");
        assert_eq!(duration(Locale::De, 120), "2 Stunden");
        assert_eq!(duration(Locale::Fr, 1441), "1 jour");
        assert_eq!(duration(Locale::En, 3 * 1440 + 61), "3 days 1 hour");
        assert_eq!(percent(Locale::En, 9995), "99.95%");
        assert_eq!(percent(Locale::De, 10000), "100,00 %");
        assert_eq!(percent(Locale::Fr, 5), "0,05 %");
    }

    #[test]
    fn day_summaries_say_everything_a_tooltip_needs() {
        let text = day_summary(
            Locale::En,
            day(),
            Some(ComponentStatus::PartialOutage),
            Some(9871),
            &[("Incident", "Elevated API error rates")],
        );
        assert_eq!(text, "Nov 23, 2026 — Partial outage, 98.71% uptime — Incident: Elevated API error rates");
        assert_eq!(day_summary(Locale::De, day(), None, None, &[]), "23. Nov. 2026 — Keine Daten");
    }
}
