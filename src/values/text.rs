use super::string_value;
use serde::Deserialize;
use thiserror::Error;

/// Text a person typed for a name or title: trimmed, inner whitespace collapsed to single
/// spaces, at least one and at most `max_chars` characters, no control characters.
///
/// Whitespace controls (a tab or newline pasted into a name) collapse into a space like any
/// other whitespace; every other control character is refused, and so are the bidirectional
/// embedding, override and isolate marks, which can make a name display as something else
/// than it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BoundedText(String);

/// Why a name or title is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TextError {
    #[error("This cannot be empty.")]
    Empty,
    #[error("This may have at most {max} characters; it has {actual}.")]
    TooLong { max: usize, actual: usize },
    #[error("This may not contain control characters.")]
    ControlCharacter,
}

impl BoundedText {
    /// Normalises and checks `input`; `max_chars` counts characters (`chars()`), not bytes, so
    /// "Zürich" and "東京" are as long as they look.
    pub fn parse(input: impl AsRef<str>, max_chars: usize) -> Result<BoundedText, TextError> {
        let input = input.as_ref();
        if input.chars().any(is_forbidden) {
            return Err(TextError::ControlCharacter);
        }
        let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
        let length = text.chars().count();
        if length == 0 {
            return Err(TextError::Empty);
        }
        if length > max_chars {
            return Err(TextError::TooLong { max: max_chars, actual: length });
        }
        Ok(BoundedText(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

fn is_forbidden(c: char) -> bool {
    let bidi_control = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    (c.is_control() && !c.is_whitespace()) || bidi_control
}

/// A [`BoundedText`] with a fixed maximum, as its own type so a title cannot be stored as a
/// name by mistake.
macro_rules! bounded_text {
    ($(#[$meta:meta])* $name:ident, $max:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
        #[serde(try_from = "String")]
        pub struct $name(BoundedText);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(input: impl AsRef<str>) -> Result<$name, TextError> {
                BoundedText::parse(input, Self::MAX_CHARS).map($name)
            }

            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            pub fn into_string(self) -> String {
                self.0.into_string()
            }
        }

        string_value!($name, TextError);
    };
}

bounded_text!(
    /// The name of an organization, component, group or template: 1–100 characters.
    Name,
    100
);

bounded_text!(
    /// The title of an incident or maintenance: 1–200 characters.
    Title,
    200
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_collapsed() {
        for (input, expected) in [
            ("API", "API"),
            ("  API \t gateway\n", "API gateway"),
            ("a\r\nb", "a b"),
            ("a\u{a0}\u{2003}b", "a b"),
            ("a\u{85}b", "a b"),
            ("Ünïcödé 東京", "Ünïcödé 東京"),
            ("👩‍💻 team", "👩‍💻 team"),
            ("x", "x"),
        ] {
            assert_eq!(Name::parse(input).map(Name::into_string), Ok(expected.to_owned()), "{input:?}");
        }
    }

    #[test]
    fn limits_count_characters_after_collapsing() {
        assert!(Name::parse("é".repeat(100)).is_ok());
        assert_eq!(Name::parse("é".repeat(101)), Err(TextError::TooLong { max: 100, actual: 101 }));
        assert!(Name::parse("東".repeat(100)).is_ok(), "300 bytes, 100 characters");
        assert!(Title::parse("x".repeat(200)).is_ok());
        assert_eq!(Title::parse("x".repeat(201)), Err(TextError::TooLong { max: 200, actual: 201 }));
        assert!(Name::parse(format!("   {}   ", "x".repeat(100))).is_ok(), "trimmed spaces do not count");
        assert!(Name::parse(format!("{}    {}", "x".repeat(49), "y".repeat(50))).is_ok(), "collapsed to 100");
        assert_eq!(
            Name::parse("x".repeat(500)).unwrap_err().to_string(),
            "This may have at most 100 characters; it has 500."
        );
        assert_eq!(BoundedText::parse("ab", 1), Err(TextError::TooLong { max: 1, actual: 2 }));
        assert_eq!(BoundedText::parse("a", 0), Err(TextError::TooLong { max: 0, actual: 1 }));
        assert_eq!(BoundedText::parse("ab", 2).map(BoundedText::into_string), Ok("ab".to_owned()));
    }

    #[test]
    fn empty_and_control_characters_are_refused() {
        for empty in ["", "   ", "\n\t", "\u{a0}"] {
            assert_eq!(Name::parse(empty), Err(TextError::Empty), "{empty:?}");
        }
        for control in ["a\u{0}b", "bell\u{7}", "esc\u{1b}[31m", "del\u{7f}", "c1\u{9b}", "\u{202e}evil", "x\u{2066}y"]
        {
            assert_eq!(Name::parse(control), Err(TextError::ControlCharacter), "{control:?}");
        }
        // A control character is refused even when the rest would be too long or empty.
        assert_eq!(Name::parse("\u{0}"), Err(TextError::ControlCharacter));
        assert_eq!(TextError::Empty.to_string(), "This cannot be empty.");
        assert_eq!(TextError::ControlCharacter.to_string(), "This may not contain control characters.");
    }

    #[test]
    fn serde_validates() {
        assert_eq!(serde_json::from_str::<Name>("\" x  y \"").unwrap().as_str(), "x y");
        assert!(serde_json::from_str::<Name>("\"\"").is_err());
        let long = format!("\"{}\"", "x".repeat(101));
        assert!(serde_json::from_str::<Name>(&long).is_err());
        assert!(serde_json::from_str::<Title>(&long).is_ok(), "a title may be longer than a name");
        let title = Title::parse("Outage").unwrap();
        assert_eq!(serde_json::to_string(&title).unwrap(), "\"Outage\"");
        assert_eq!(title.to_string(), "Outage");
        assert_eq!(title.as_ref(), "Outage");
        assert_eq!(Name::try_from(" a ".to_owned()).map(Name::into_string), Ok("a".to_owned()));
    }
}
