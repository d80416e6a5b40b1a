use crate::string_enum::string_enum;

string_enum! {
    /// The languages Herald's pages and messages are written in.
    pub enum Locale as "locale" {
        En = "en",
        De = "de",
        Fr = "fr",
    }
}

impl Locale {
    pub const DEFAULT: Locale = Locale::En;

    /// The locale of a language tag by its primary subtag: `de-CH` → German.
    pub fn parse_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        primary.parse().ok()
    }

    /// The best supported locale for an `Accept-Language` header: highest quality first, ties
    /// in header order; `q=0` means "not this one". Malformed parts are skipped.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        let mut refused: Vec<Locale> = Vec::new();
        for part in accept_language.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default().trim();
            let quality = pieces
                .find_map(|parameter| parameter.trim().strip_prefix("q=").map(str::trim).map(str::parse::<f32>))
                .unwrap_or(Ok(1.0));
            let Ok(quality) = quality else { continue };
            if !(0.0..=1.0).contains(&quality) {
                continue;
            }
            let candidates: Vec<Locale> =
                if tag == "*" { Locale::ALL.to_vec() } else { Locale::parse_tag(tag).into_iter().collect() };
            for locale in candidates {
                if quality == 0.0 {
                    refused.push(locale);
                } else if best.is_none_or(|(q, _)| quality > q) && !refused.contains(&locale) {
                    best = Some((quality, locale));
                }
            }
        }
        best.map(|(_, locale)| locale).filter(|locale| !refused.contains(locale))
    }

    pub fn label(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::De => "Deutsch",
            Locale::Fr => "Français",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_round_trip() {
        crate::string_enum::assert_round_trips(Locale::ALL, &["en", "de", "fr"]);
        assert_eq!(Locale::DEFAULT, Locale::En);
        assert_eq!(Locale::De.label(), "Deutsch");
    }

    #[test]
    fn tags_match_by_their_language() {
        for (tag, locale) in [
            ("de", Some(Locale::De)),
            ("de-CH", Some(Locale::De)),
            ("FR_ca", Some(Locale::Fr)),
            (" en-GB ", Some(Locale::En)),
            ("es", None),
            ("", None),
            ("-", None),
        ] {
            assert_eq!(Locale::parse_tag(tag), locale, "{tag:?}");
        }
    }

    #[test]
    fn negotiation_follows_quality_then_order() {
        let table = [
            ("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5", Some(Locale::Fr)),
            ("es, de;q=0.5, en;q=0.4", Some(Locale::De)),
            ("en;q=0.5, de;q=0.5", Some(Locale::En)),
            ("en;q=0.4, de;q=0.9", Some(Locale::De)),
            ("es, it", None),
            ("*", Some(Locale::En)),
            ("en;q=0, *;q=0.1", Some(Locale::De)),
            ("de;q=0, de-AT", None),
            ("", None),
            (";;;,,,q=,de;q=abc, fr;q=2, fr;q=-1", None),
            ("de;q=0.7;level=1", Some(Locale::De)),
        ];
        for (header, expected) in table {
            assert_eq!(Locale::negotiate(header), expected, "{header:?}");
        }
    }

    #[test]
    fn negotiation_never_panics_on_garbage() {
        for header in ["\u{0}", "q=1", ";q=1", "de;q", "de;q=", "de;q=1e308", "de;q=NaN", &"x,".repeat(10_000)] {
            let _ = Locale::negotiate(header);
        }
    }
}
