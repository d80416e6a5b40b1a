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
    /// The language of everything not (yet) translated, and of visitors who state no preference.
    pub const DEFAULT: Locale = Locale::En;

    /// The locale of a language tag, by its primary language subtag, in any case:
    /// `de-CH` → German. We have one German, so Swiss readers get it too.
    pub fn parse_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Locale::ALL.iter().copied().find(|locale| locale.as_str().eq_ignore_ascii_case(primary))
    }

    /// The best supported locale for an `Accept-Language` header, or `None` when the header
    /// accepts none of them (the caller then falls back, usually to [`Locale::DEFAULT`]).
    ///
    /// Each locale gets the highest quality of the ranges naming its language (`de-CH` and
    /// `de` both name German); `*` gives its quality to the locales no range names. Quality
    /// `0` means "not acceptable". The highest quality wins; on a tie, the range that came
    /// first in the header. Malformed ranges and quality values are skipped, so no header,
    /// however broken, causes an error.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        // Per locale: (quality, position in the header) of its best range, if any names it.
        let mut named: [Option<(f32, usize)>; Locale::ALL.len()] = [None; Locale::ALL.len()];
        let mut wildcard: Option<(f32, usize)> = None;
        for (position, range) in accept_language.split(',').enumerate() {
            let Some((tag, quality)) = parse_range(range) else { continue };
            if tag == "*" {
                wildcard = wildcard.or(Some((quality, position)));
            } else if let Some(locale) = Locale::parse_tag(tag) {
                let best = &mut named[locale as usize];
                if best.is_none_or(|(q, _)| quality > q) {
                    *best = Some((quality, position));
                }
            }
        }
        Locale::ALL
            .iter()
            .zip(named)
            .filter_map(|(&locale, named)| named.or(wildcard).map(|(quality, position)| (locale, quality, position)))
            .filter(|&(_, quality, _)| quality > 0.0)
            // Highest quality, then earliest position; `min_by` keeps the first of equals,
            // which is `ALL` order for locales that only the wildcard accepts.
            .min_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)))
            .map(|(locale, _, _)| locale)
    }

    /// The language's own name, for a language picker.
    pub fn label(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::De => "Deutsch",
            Locale::Fr => "Français",
        }
    }
}

/// One `Accept-Language` range such as `fr-CH;q=0.9`: its tag and quality (1 when not
/// given), or `None` when it is malformed.
fn parse_range(range: &str) -> Option<(&str, f32)> {
    let mut parts = range.split(';');
    let tag = parts.next()?.trim();
    let well_formed_tag = tag == "*"
        || (!tag.is_empty()
            && tag
                .split('-')
                .all(|subtag| (1..=8).contains(&subtag.len()) && subtag.chars().all(|c| c.is_ascii_alphanumeric())));
    if !well_formed_tag {
        return None;
    }
    let mut quality = 1.0;
    for parameter in parts {
        let (name, value) = parameter.split_once('=')?;
        if name.trim().eq_ignore_ascii_case("q") {
            quality = value.trim().parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q))?;
        }
    }
    Some((tag, quality))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_round_trip() {
        crate::string_enum::assert_round_trips(Locale::ALL, &["en", "de", "fr"]);
        assert_eq!(Locale::DEFAULT, Locale::En);
        let labels: Vec<&str> = Locale::ALL.iter().map(|locale| locale.label()).collect();
        assert_eq!(labels, ["English", "Deutsch", "Français"]);
    }

    #[test]
    fn tags_match_by_their_language() {
        for (tag, locale) in [
            ("de", Some(Locale::De)),
            ("de-CH", Some(Locale::De)),
            ("DE-ch", Some(Locale::De)),
            ("fr_CA", Some(Locale::Fr)),
            (" en-GB ", Some(Locale::En)),
            ("en-Latn-US-x-private", Some(Locale::En)),
            ("es", None),
            ("eng", None),
            ("d", None),
            ("", None),
            ("-", None),
            ("-de", None),
            ("ëń", None),
        ] {
            assert_eq!(Locale::parse_tag(tag), locale, "{tag:?}");
        }
    }

    #[test]
    fn negotiation_follows_quality_then_order() {
        use Locale::*;
        let table = [
            ("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5", Some(Fr)),
            ("de", Some(De)),
            ("es, de;q=0.5, en;q=0.4", Some(De)),
            ("en;q=0.5, de;q=0.5", Some(En)),
            ("de;q=0.5, en;q=0.5", Some(De)),
            ("en;q=0.4, de;q=0.9", Some(De)),
            ("en;q=0.4, de-AT;q=0.3, de;q=0.9", Some(De)),
            ("es, it", None),
            ("*", Some(En)),
            ("*;q=0.1, fr;q=0.05", Some(En)),
            ("en;q=0, *;q=0.1", Some(De)),
            ("en;q=0, de;q=0, *", Some(Fr)),
            ("*;q=0", None),
            ("*;q=0, fr;q=0.2", Some(Fr)),
            ("de;q=0", None),
            ("de, en;q=0.5, fr;q=0", Some(De)),
            ("fr;q=0, fr-CA;q=0.5, en;q=0.2", Some(Fr)),
            ("de;q=0.7;level=1", Some(De)),
            ("de;Q=0.2, fr;q=0.3", Some(Fr)),
            ("de ; q = 0.2 , fr ; q = 0.3", Some(Fr)),
            ("", None),
        ];
        for (header, expected) in table {
            assert_eq!(Locale::negotiate(header), expected, "{header:?}");
        }
    }

    #[test]
    fn malformed_ranges_are_skipped_not_fatal() {
        use Locale::*;
        let table = [
            (";;;,,,q=,de;q=abc, fr;q=2, fr;q=-1", None),
            ("de;q=abc, fr;q=0.5", Some(Fr)),
            ("de;q=NaN, de;q=inf, en;q=0.1", Some(En)),
            ("de;q, en;q=0.1", Some(En)),
            ("de;garbage, fr", Some(Fr)),
            ("d e, fr;q=0.3", Some(Fr)),
            ("dé, fr;q=0.3", Some(Fr)),
            ("de-, en;q=0.3", Some(En)),
            ("q=1", None),
        ];
        for (header, expected) in table {
            assert_eq!(Locale::negotiate(header), expected, "{header:?}");
        }
        let huge = "x,".repeat(100_000) + "fr";
        assert_eq!(Locale::negotiate(&huge), Some(Fr));
        for garbage in ["\u{0}", ";q=1", "de;q=", "de;q=1e308", "*;*;*", "\u{202e}de", "🦀;q=0.5"] {
            assert_eq!(Locale::negotiate(garbage), None, "{garbage:?}");
        }
    }
}
