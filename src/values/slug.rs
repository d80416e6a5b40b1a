use super::string_value_serde;
use thiserror::Error;

/// The address of an organization's page, `/s/<slug>`: 2–48 lowercase letters, digits and
/// single hyphens, starting and ending with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

pub const SLUG_MIN: usize = 2;
pub const SLUG_MAX: usize = 48;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SlugError {
    #[error("A slug must be {SLUG_MIN} to {SLUG_MAX} characters long.")]
    Length,
    #[error("A slug may only contain lowercase letters, digits and hyphens.")]
    Character,
    #[error("A slug must start and end with a letter or a digit.")]
    Edge,
    #[error("A slug may not contain two hyphens in a row.")]
    DoubleHyphen,
}

impl Slug {
    /// Accepts surrounding spaces and capitals (`" Acme "` → `acme`), nothing else.
    pub fn parse(input: impl AsRef<str>) -> Result<Slug, SlugError> {
        let slug = input.as_ref().trim().to_ascii_lowercase();
        let length = slug.chars().count();
        if !(SLUG_MIN..=SLUG_MAX).contains(&length) {
            return Err(SlugError::Length);
        }
        if !slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Err(SlugError::Character);
        }
        if slug.starts_with('-') || slug.ends_with('-') {
            return Err(SlugError::Edge);
        }
        if slug.contains("--") {
            return Err(SlugError::DoubleHyphen);
        }
        Ok(Slug(slug))
    }

    /// A slug made from a name: `"Acme Corp!"` → `acme-corp`, `"Ünïcödé Straße"` →
    /// `unicode-strasse`. `None` when nothing usable is left.
    pub fn suggest(name: &str) -> Option<Slug> {
        let mut slug = String::new();
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if let Some(folded) = fold_to_ascii(c) {
                slug.push_str(folded);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let mut slug = slug.trim_matches('-').to_owned();
        if slug.len() > SLUG_MAX {
            let cut = &slug[..SLUG_MAX];
            // Prefer to cut at a word boundary when one is not too far back.
            let end = match cut.rfind('-') {
                Some(hyphen) if hyphen >= SLUG_MAX / 2 => hyphen,
                _ => SLUG_MAX,
            };
            slug = slug[..end].trim_end_matches('-').to_owned();
        }
        Slug::parse(slug).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Latin letters with accents and a few ligatures, spelled the way people type them in URLs;
/// `None` for everything else (which then separates words).
fn fold_to_ascii(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ą' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'đ' | 'ð' | 'Ď' | 'Đ' | 'Ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "e",
        'ğ' | 'Ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => "i",
        'ł' | 'ľ' | 'Ł' | 'Ľ' => "l",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => {
            "o"
        }
        'œ' | 'Œ' => "oe",
        'ř' | 'Ř' => "r",
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'Ť' | 'Ţ' => "t",
        'þ' | 'Þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        _ => return None,
    })
}

string_value_serde!(Slug);

impl TryFrom<String> for Slug {
    type Error = SlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Slug::parse(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_slugs_are_normalised() {
        for (input, expected) in
            [("acme", "acme"), (" Acme ", "acme"), ("a1", "a1"), ("acme-cloud-2", "acme-cloud-2"), ("00", "00")]
        {
            assert_eq!(Slug::parse(input).map(|s| s.as_str().to_owned()), Ok(expected.to_owned()), "{input}");
        }
        assert!(Slug::parse("a".repeat(SLUG_MAX)).is_ok());
    }

    #[test]
    fn bad_slugs_say_why() {
        let table = [
            ("", SlugError::Length),
            ("a", SlugError::Length),
            (&*"a".repeat(SLUG_MAX + 1), SlugError::Length),
            ("acme corp", SlugError::Character),
            ("acme_corp", SlugError::Character),
            ("acmé", SlugError::Character),
            ("acme/../x", SlugError::Character),
            ("-acme", SlugError::Edge),
            ("acme-", SlugError::Edge),
            ("ac--me", SlugError::DoubleHyphen),
        ];
        for (input, error) in table {
            assert_eq!(Slug::parse(input), Err(error.clone()), "{input:?}");
            assert!(error.to_string().starts_with("A slug"));
        }
    }

    #[test]
    fn suggestions_come_from_names() {
        let table = [
            ("Acme Corp!", Some("acme-corp")),
            ("Ünïcödé Straße", Some("unicode-strasse")),
            ("  --Hello,   World--  ", Some("hello-world")),
            ("Crème Brûlée & Co.", Some("creme-brulee-co")),
            ("Łódź Æther Œuvre", Some("lodz-aether-oeuvre")),
            ("東京", None),
            ("!", None),
            ("A", None),
            ("Acme 東京 Cloud", Some("acme-cloud")),
        ];
        for (name, expected) in table {
            assert_eq!(Slug::suggest(name).map(|s| s.as_str().to_owned()).as_deref(), expected, "{name}");
        }
        let long = Slug::suggest("the quick brown fox jumps over the lazy dog again and again").unwrap();
        assert!(long.as_str().len() <= SLUG_MAX);
        assert!(!long.as_str().ends_with('-'));
        assert_eq!(long.as_str(), "the-quick-brown-fox-jumps-over-the-lazy-dog");
        let unbroken = Slug::suggest(&"x".repeat(100)).unwrap();
        assert_eq!(unbroken.as_str().len(), SLUG_MAX);
    }

    #[test]
    fn serde_validates() {
        let slug = Slug::parse("acme").unwrap();
        assert_eq!(serde_json::to_string(&slug).unwrap(), "\"acme\"");
        assert_eq!(serde_json::from_str::<Slug>("\"Acme\"").unwrap(), slug);
        assert!(serde_json::from_str::<Slug>("\"no way\"").is_err());
    }
}
