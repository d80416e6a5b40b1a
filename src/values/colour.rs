use super::string_value;
use serde::Deserialize;
use thiserror::Error;

/// An sRGB colour, written `#rrggbb` (lowercase): an organization's brand colour. Only this
/// form ever reaches CSS, so a colour cannot smuggle anything else into a page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Colour(String);

/// Why a colour is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ColourError {
    #[error("Write a colour as #rrggbb or #rgb (for example #4f46e5).")]
    Format,
}

impl Colour {
    /// Accepts `#rgb` and `#rrggbb`, with or without `#`, in any case, and surrounding spaces.
    pub fn parse(input: impl AsRef<str>) -> Result<Colour, ColourError> {
        let text = input.as_ref().trim();
        let hex = text.strip_prefix('#').unwrap_or(text);
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(ColourError::Format);
        }
        let hex = hex.to_ascii_lowercase();
        let full = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect(),
            6 => hex,
            _ => return Err(ColourError::Format),
        };
        Ok(Colour(format!("#{full}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Red, green or blue (0, 1, 2) as a fraction of full intensity.
    fn channel(&self, index: usize) -> f64 {
        let start = 1 + 2 * index;
        let value = self.0.get(start..start + 2).and_then(|hex| u8::from_str_radix(hex, 16).ok()).unwrap_or(0);
        f64::from(value) / 255.0
    }

    /// WCAG 2.x relative luminance, 0 (black) to 1 (white).
    pub fn relative_luminance(&self) -> f64 {
        let linear = |c: f64| if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) };
        0.2126 * linear(self.channel(0)) + 0.7152 * linear(self.channel(1)) + 0.0722 * linear(self.channel(2))
    }

    /// WCAG contrast ratio between two colours, 1 to 21.
    pub fn contrast_ratio(a: &Colour, b: &Colour) -> f64 {
        let (la, lb) = (a.relative_luminance(), b.relative_luminance());
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// Black or white, whichever has the higher contrast with this colour (black on a tie), for
    /// text on a brand-coloured background.
    pub fn readable_text_colour(&self) -> Colour {
        let black = Colour("#000000".into());
        let white = Colour("#ffffff".into());
        if Colour::contrast_ratio(self, &black) >= Colour::contrast_ratio(self, &white) { black } else { white }
    }
}

string_value!(Colour, ColourError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_normalised() {
        for (input, expected) in [
            ("#4F46E5", "#4f46e5"),
            ("4f46e5", "#4f46e5"),
            ("#abc", "#aabbcc"),
            (" FFF ", "#ffffff"),
            ("#000000", "#000000"),
        ] {
            assert_eq!(Colour::parse(input).map(|c| c.as_str().to_owned()), Ok(expected.to_owned()), "{input}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for input in [
            "",
            "#",
            "#12",
            "#1234",
            "#12345",
            "#1234567",
            "#ggg",
            "red",
            "rgb(0,0,0)",
            "#12345;}",
            "#abc</style>",
            "＃abc",
        ] {
            assert_eq!(Colour::parse(input), Err(ColourError::Format), "{input:?}");
        }
    }

    #[test]
    fn luminance_and_contrast_follow_wcag() {
        let black = Colour::parse("#000").unwrap();
        let white = Colour::parse("#fff").unwrap();
        assert!((black.relative_luminance() - 0.0).abs() < 1e-12);
        assert!((white.relative_luminance() - 1.0).abs() < 1e-12);
        assert!((Colour::contrast_ratio(&black, &white) - 21.0).abs() < 1e-9);
        assert!((Colour::contrast_ratio(&white, &white) - 1.0).abs() < 1e-12);
        for (hex, expected) in [("#f00", 0.2126), ("#0f0", 0.7152), ("#00f", 0.0722)] {
            assert!((Colour::parse(hex).unwrap().relative_luminance() - expected).abs() < 1e-12, "{hex}");
        }
        // Dark channels are on the linear part of the sRGB curve: 10/255 ÷ 12.92.
        let near_black = Colour::parse("#0a0a0a").unwrap().relative_luminance();
        assert!((near_black - 10.0 / 255.0 / 12.92).abs() < 1e-12, "{near_black}");
        let contrast = Colour::contrast_ratio(&Colour::parse("#4f46e5").unwrap(), &white);
        assert!((contrast - Colour::contrast_ratio(&white, &Colour::parse("#4f46e5").unwrap())).abs() < 1e-12);
        // #777777 on white is the classic 4.48:1.
        let grey = Colour::parse("#777").unwrap();
        assert!((Colour::contrast_ratio(&grey, &white) - 4.48).abs() < 0.01);
    }

    #[test]
    fn text_colour_is_the_more_readable_one() {
        for (background, text) in [
            ("#4f46e5", "#ffffff"),
            ("#ffeb3b", "#000000"),
            ("#000000", "#ffffff"),
            ("#ffffff", "#000000"),
            ("#c62828", "#ffffff"),
            ("#1f8a4c", "#000000"),
            ("#8ad", "#000000"),
        ] {
            assert_eq!(Colour::parse(background).unwrap().readable_text_colour().as_str(), text, "{background}");
        }
    }

    #[test]
    fn the_readable_colour_never_has_the_lower_contrast() {
        let black = Colour::parse("#000").unwrap();
        let white = Colour::parse("#fff").unwrap();
        for grey in 0..=255u8 {
            for hex in [format!("{grey:02x}{grey:02x}{grey:02x}"), format!("{grey:02x}8000"), format!("00{grey:02x}ff")]
            {
                let background = Colour::parse(&hex).unwrap();
                let text = background.readable_text_colour();
                let other = if text == black { &white } else { &black };
                assert!(
                    Colour::contrast_ratio(&background, &text) >= Colour::contrast_ratio(&background, other),
                    "{hex}"
                );
                assert!(Colour::contrast_ratio(&background, &text) >= 4.5, "black or white always reaches AA: {hex}");
            }
        }
    }

    #[test]
    fn serde_validates() {
        let colour: Colour = serde_json::from_str("\"#ABC\"").unwrap();
        assert_eq!(serde_json::to_string(&colour).unwrap(), "\"#aabbcc\"");
        assert_eq!(colour.to_string(), "#aabbcc");
        assert!(serde_json::from_str::<Colour>("\"red\"").is_err());
        assert_eq!(Colour::try_from("aabbcc".to_owned()), Ok(colour));
        assert_eq!(ColourError::Format.to_string(), "Write a colour as #rrggbb or #rgb (for example #4f46e5).");
    }
}
