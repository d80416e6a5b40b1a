use super::string_value;
use serde::Deserialize;
use thiserror::Error;

/// The address of an organization's page, `/s/<slug>`: 2–48 lowercase ASCII letters, digits
/// and single hyphens, starting and ending with a letter or digit. Only these characters, so a
/// slug is safe in a URL, a file name and a CSS class without escaping.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Slug(String);

/// Why a slug is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SlugError {
    #[error("A slug must be {} to {} characters long.", Slug::MIN_CHARS, Slug::MAX_CHARS)]
    Length,
    #[error("A slug may only contain lowercase letters, digits and hyphens.")]
    Character,
    #[error("A slug must start and end with a letter or a digit.")]
    Edge,
    #[error("A slug may not contain two hyphens in a row.")]
    DoubleHyphen,
}

impl Slug {
    pub const MIN_CHARS: usize = 2;
    pub const MAX_CHARS: usize = 48;

    /// Forgives surrounding spaces and capitals (`" Acme "` → `acme`), nothing else.
    pub fn parse(input: impl AsRef<str>) -> Result<Slug, SlugError> {
        let slug = input.as_ref().trim().to_ascii_lowercase();
        if !slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Err(SlugError::Character);
        }
        // Only ASCII is left, so bytes are characters.
        if !(Slug::MIN_CHARS..=Slug::MAX_CHARS).contains(&slug.len()) {
            return Err(SlugError::Length);
        }
        if slug.starts_with('-') || slug.ends_with('-') {
            return Err(SlugError::Edge);
        }
        if slug.contains("--") {
            return Err(SlugError::DoubleHyphen);
        }
        Ok(Slug(slug))
    }

    /// A slug made from a name, to pre-fill the sign-up form: `"Acme Corp!"` → `acme-corp`,
    /// `"Ünïcödé Straße"` → `unicode-strasse`. Accented Latin letters are folded to ASCII,
    /// letters that cannot be (`東京`) and apostrophes are dropped, and every run of spaces and
    /// punctuation becomes one hyphen. A name too long is cut at a hyphen where one is in the
    /// second half, otherwise at the limit. `None` when fewer than two characters remain.
    pub fn suggest(name: &str) -> Option<Slug> {
        let mut slug = String::with_capacity(name.len());
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if let Some(folded) = fold_to_ascii(c) {
                slug.push_str(folded);
            } else if c.is_alphanumeric() || is_dropped_mark(c) {
                // A letter we cannot spell in ASCII, an apostrophe or an accent on its own.
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        let slug = match slug.get(..Slug::MAX_CHARS) {
            Some(cut) if slug.len() > Slug::MAX_CHARS => match cut.rfind('-') {
                Some(hyphen) if hyphen >= Slug::MAX_CHARS / 2 => &cut[..hyphen],
                _ => cut.trim_end_matches('-'),
            },
            _ => slug,
        };
        Slug::parse(slug).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Apostrophes (`Acme's` → `acmes`) and combining accents (a decomposed `é` is `e` + U+0301)
/// belong to the word they are in, so they must not split it.
fn is_dropped_mark(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`' | '´' | '\u{300}'..='\u{36f}')
}

/// Latin letters with accents and a few ligatures, spelled the way people type them in URLs;
/// `None` for everything else.
fn fold_to_ascii(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'đ' | 'ð' | 'Ď' | 'Đ' | 'Ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "e",
        'ğ' | 'Ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => "i",
        'ł' | 'ľ' | 'ĺ' | 'Ł' | 'Ľ' | 'Ĺ' => "l",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => {
            "o"
        }
        'œ' | 'Œ' => "oe",
        'ŕ' | 'ř' | 'Ŕ' | 'Ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' | 'Ś' | 'Š' | 'Ş' | 'Ș' => "s",
        'ß' | 'ẞ' => "ss",
        'ť' | 'ţ' | 'ț' | 'Ť' | 'Ţ' | 'Ț' => "t",
        'þ' | 'Þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        _ => return None,
    })
}

string_value!(Slug, SlugError);

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(input: &str) -> Result<String, SlugError> {
        Slug::parse(input).map(|slug| slug.as_str().to_owned())
    }

    fn suggested(name: &str) -> Option<String> {
        Slug::suggest(name).map(|slug| slug.as_str().to_owned())
    }

    #[test]
    fn good_slugs_are_normalised() {
        for (input, expected) in [
            ("acme", "acme"),
            (" Acme ", "acme"),
            ("ACME-Cloud", "acme-cloud"),
            ("a1", "a1"),
            ("00", "00"),
            ("acme-cloud-2", "acme-cloud-2"),
            ("a-b-c-d", "a-b-c-d"),
            ("\tacme\n", "acme"),
        ] {
            assert_eq!(parsed(input), Ok(expected.to_owned()), "{input:?}");
        }
        let longest = "a".repeat(Slug::MAX_CHARS);
        assert_eq!(parsed(&longest), Ok(longest.clone()));
        assert_eq!(parsed(&format!("  {longest}  ")), Ok(longest), "spaces do not count");
    }

    #[test]
    fn bad_slugs_say_why() {
        let too_long = "a".repeat(Slug::MAX_CHARS + 1);
        let table = [
            ("", SlugError::Length),
            ("   ", SlugError::Length),
            ("a", SlugError::Length),
            (too_long.as_str(), SlugError::Length),
            ("acme corp", SlugError::Character),
            ("acme_corp", SlugError::Character),
            ("acme.corp", SlugError::Character),
            ("acmé", SlugError::Character),
            ("é", SlugError::Character),
            ("ａｃｍｅ", SlugError::Character),
            ("acme/../x", SlugError::Character),
            ("-acme", SlugError::Edge),
            ("acme-", SlugError::Edge),
            ("--", SlugError::Edge),
            ("ac--me", SlugError::DoubleHyphen),
        ];
        for (input, error) in table {
            assert_eq!(parsed(input), Err(error), "{input:?}");
        }
        assert_eq!(SlugError::Length.to_string(), "A slug must be 2 to 48 characters long.");
        assert_eq!(SlugError::Character.to_string(), "A slug may only contain lowercase letters, digits and hyphens.");
        assert_eq!(SlugError::Edge.to_string(), "A slug must start and end with a letter or a digit.");
        assert_eq!(SlugError::DoubleHyphen.to_string(), "A slug may not contain two hyphens in a row.");
    }

    #[test]
    fn suggestions_come_from_names() {
        let table = [
            ("Acme Corp!", Some("acme-corp")),
            ("Ünïcödé Straße", Some("unicode-strasse")),
            ("GROSSE STRAẞE", Some("grosse-strasse")),
            ("  --Hello,   World--  ", Some("hello-world")),
            ("Crème Brûlée & Co.", Some("creme-brulee-co")),
            ("Łódź Æther Œuvre", Some("lodz-aether-oeuvre")),
            ("Cre\u{301}me", Some("creme")),
            ("Acme's Cloud", Some("acmes-cloud")),
            ("O’Brien", Some("obrien")),
            ("status.acme.example", Some("status-acme-example")),
            ("snake_case_name", Some("snake-case-name")),
            ("Acme 東京 Cloud", Some("acme-cloud")),
            ("Acme東京", Some("acme")),
            ("24/7 Ops", Some("24-7-ops")),
            ("Acme 🚀 Launch", Some("acme-launch")),
            ("東京", None),
            ("!", None),
            ("", None),
            ("A", None),
            ("é", None),
        ];
        for (name, expected) in table {
            assert_eq!(suggested(name).as_deref(), expected, "{name:?}");
        }
    }

    #[test]
    fn long_suggestions_are_cut_at_a_word_when_they_can_be() {
        let words = "the quick brown fox jumps over the lazy dog again and again";
        assert_eq!(suggested(words).as_deref(), Some("the-quick-brown-fox-jumps-over-the-lazy-dog"));
        assert_eq!(suggested(&"x".repeat(100)), Some("x".repeat(Slug::MAX_CHARS)), "no hyphen: cut at the limit");
        // The only hyphen is too early to be worth it; the cut then must not leave a hyphen.
        let early = format!("ab {}", "x".repeat(100));
        assert_eq!(suggested(&early).map(|s| s.len()), Some(Slug::MAX_CHARS));
        let hyphen_at_limit = format!("{} {}", "x".repeat(Slug::MAX_CHARS - 1), "y".repeat(10));
        assert_eq!(suggested(&hyphen_at_limit), Some("x".repeat(Slug::MAX_CHARS - 1)));
        // Exactly the limit is left whole.
        let exact = format!("{} {}", "x".repeat(20), "y".repeat(Slug::MAX_CHARS - 21));
        assert_eq!(suggested(&exact).map(|s| s.len()), Some(Slug::MAX_CHARS));
        // Folding can lengthen a name (ß → ss) past the limit; it is still cut.
        assert_eq!(suggested(&"ß".repeat(30)).map(|s| s.len()), Some(Slug::MAX_CHARS));
    }

    #[test]
    fn every_suggestion_is_a_valid_slug() {
        for name in ["Acme", "a-b", "ÀÉÎÕÜ", "x  y", "1 2 3", "---a---b---", "ßß", "a'b'c", "Æ"] {
            if let Some(slug) = Slug::suggest(name) {
                assert_eq!(Slug::parse(slug.as_str()), Ok(slug.clone()), "{name:?}");
            }
        }
    }

    #[test]
    fn serde_validates() {
        let slug = Slug::parse("acme").unwrap();
        assert_eq!(serde_json::to_string(&slug).unwrap(), "\"acme\"");
        assert_eq!(serde_json::from_str::<Slug>("\"Acme\"").unwrap(), slug);
        let error = serde_json::from_str::<Slug>("\"no way\"").unwrap_err().to_string();
        assert!(error.contains("A slug may only contain"), "{error}");
        assert!(serde_json::from_str::<Slug>("7").is_err());
        assert_eq!(slug.to_string(), "acme");
        assert_eq!(slug.as_ref(), "acme");
        assert_eq!(Slug::try_from("Acme".to_owned()), Ok(slug));
    }
}
