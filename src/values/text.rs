use thiserror::Error;

/// Text a person typed for a name or title: trimmed, inner whitespace collapsed to single
/// spaces, at least one and at most `max` characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BoundedText(String);

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
    pub fn parse(input: impl AsRef<str>, max_chars: usize) -> Result<BoundedText, TextError> {
        let input = input.as_ref();
        // Whitespace controls (tab, newline) collapse into spaces; any other control is refused.
        if input.chars().any(|c| c.is_control() && !c.is_whitespace()) {
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

macro_rules! bounded {
    ($(#[$meta:meta])* $name:ident, $max:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

        super::string_value_serde!($name);

        impl TryFrom<String> for $name {
            type Error = TextError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(value)
            }
        }
    };
}

bounded!(
    /// The name of an organization, component, group or template.
    Name,
    100
);
bounded!(
    /// The title of an incident or maintenance.
    Title,
    200
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_collapsed() {
        assert_eq!(Name::parse("  API \t gateway\n").unwrap().as_str(), "API gateway");
        assert_eq!(Name::parse("Ünïcödé 東京").unwrap().as_str(), "Ünïcödé 東京");
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        assert!(Name::parse("é".repeat(100)).is_ok());
        assert_eq!(Name::parse("é".repeat(101)), Err(TextError::TooLong { max: 100, actual: 101 }));
        assert!(Title::parse("x".repeat(200)).is_ok());
        assert_eq!(Title::parse("x".repeat(201)), Err(TextError::TooLong { max: 200, actual: 201 }));
        assert_eq!(
            Name::parse("x".repeat(500)).unwrap_err().to_string(),
            "This may have at most 100 characters; it has 500."
        );
    }

    #[test]
    fn empty_and_control_characters_are_refused() {
        for empty in ["", "   ", "\n\t"] {
            assert_eq!(Name::parse(empty), Err(TextError::Empty), "{empty:?}");
        }
        for control in ["a\u{0}b", "bell\u{7}", "esc\u{1b}[31m", "del\u{7f}"] {
            assert_eq!(Name::parse(control), Err(TextError::ControlCharacter), "{control:?}");
        }
        assert_eq!(BoundedText::parse("ab", 1), Err(TextError::TooLong { max: 1, actual: 2 }));
    }

    #[test]
    fn serde_validates() {
        assert_eq!(serde_json::from_str::<Name>("\" x  y \"").unwrap().as_str(), "x y");
        assert!(serde_json::from_str::<Name>("\"\"").is_err());
        assert_eq!(serde_json::to_string(&Title::parse("Outage").unwrap()).unwrap(), "\"Outage\"");
    }
}
