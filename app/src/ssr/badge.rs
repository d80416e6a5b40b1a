//! Shields-style SVG status badges. Text widths are estimated from per-character advance
//! widths of Verdana 11px (what Shields uses), so badges look right without a font engine.

use super::html::escape;

/// The look of a badge, chosen by `?style=`; anything unknown falls back to `flat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeStyle {
    Flat,
    FlatSquare,
    ForTheBadge,
}

impl BadgeStyle {
    pub fn parse(value: Option<&str>) -> Self {
        match value.map(str::trim).map(str::to_ascii_lowercase).as_deref() {
            Some("flat-square") => Self::FlatSquare,
            Some("for-the-badge") => Self::ForTheBadge,
            _ => Self::Flat,
        }
    }
}

pub struct Badge<'a> {
    pub label: &'a str,
    pub message: &'a str,
    /// A CSS colour for the message half, e.g. `#2da44e`.
    pub colour: &'a str,
    pub style: BadgeStyle,
}

const MAX_TEXT_CHARS: usize = 64;

/// Renders the badge as a standalone SVG document.
pub fn render(badge: &Badge<'_>) -> String {
    let (label, message) = match badge.style {
        BadgeStyle::ForTheBadge => (clip(badge.label).to_uppercase(), clip(badge.message).to_uppercase()),
        _ => (clip(badge.label), clip(badge.message)),
    };
    let (height, padding, font_size, letter_scale) = match badge.style {
        BadgeStyle::ForTheBadge => (28u32, 12u32, 10u32, 1.15),
        _ => (20, 6, 11, 1.0),
    };
    let label_width = text_width(&label, letter_scale) + 2 * padding;
    let message_width = text_width(&message, letter_scale) + 2 * padding;
    let width = label_width + message_width;
    let radius = if badge.style == BadgeStyle::Flat { 3 } else { 0 };
    let baseline = if badge.style == BadgeStyle::ForTheBadge { 18 } else { 14 };
    let label_x = label_width / 2;
    let message_x = label_width + message_width / 2;
    let colour = safe_colour(badge.colour);
    let title = escape(&format!("{label}: {message}"));
    let label = escape(&label);
    let message = escape(&message);
    let gradient = if badge.style == BadgeStyle::Flat {
        "<linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>"
    } else {
        ""
    };
    let gradient_fill = if badge.style == BadgeStyle::Flat {
        format!("<rect width=\"{width}\" height=\"{height}\" fill=\"url(#s)\"/>")
    } else {
        String::new()
    };
    let shadow = |x: u32, text: &str| {
        if badge.style == BadgeStyle::Flat {
            format!("<text x=\"{x}\" y=\"{}\" fill=\"#010101\" fill-opacity=\".3\">{text}</text>", baseline + 1)
        } else {
            String::new()
        }
    };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{title}\">\
<title>{title}</title>{gradient}\
<clipPath id=\"r\"><rect width=\"{width}\" height=\"{height}\" rx=\"{radius}\" fill=\"#fff\"/></clipPath>\
<g clip-path=\"url(#r)\"><rect width=\"{label_width}\" height=\"{height}\" fill=\"#555\"/>\
<rect x=\"{label_width}\" width=\"{message_width}\" height=\"{height}\" fill=\"{colour}\"/>{gradient_fill}</g>\
<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"{font_size}\">\
{label_shadow}<text x=\"{label_x}\" y=\"{baseline}\">{label}</text>\
{message_shadow}<text x=\"{message_x}\" y=\"{baseline}\">{message}</text></g></svg>",
        label_shadow = shadow(label_x, &label),
        message_shadow = shadow(message_x, &message),
    )
}

fn clip(text: &str) -> String {
    let cleaned: String = text.chars().filter(|character| !character.is_control()).collect();
    let trimmed = cleaned.trim();
    if trimmed.chars().count() <= MAX_TEXT_CHARS {
        trimmed.to_owned()
    } else {
        let mut cut: String = trimmed.chars().take(MAX_TEXT_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

/// Approximate Verdana 11px advance widths, in pixels.
fn text_width(text: &str, scale: f32) -> u32 {
    let width: f32 = text
        .chars()
        .map(|character| match character {
            'i' | 'l' | 'j' | '\'' | '.' | ',' | ':' | ';' | '!' | '|' => 3.5,
            'f' | 't' | 'r' | 'I' | ' ' | '(' | ')' | '[' | ']' | '-' => 4.5,
            'm' | 'w' | 'M' | 'W' => 10.5,
            'A'..='Z' => 7.8,
            '0'..='9' => 7.0,
            _ if character.is_ascii() => 6.5,
            // Wide scripts (CJK and the like) take roughly a full em.
            _ if character as u32 >= 0x2E80 => 11.0,
            _ => 7.0,
        })
        .sum();
    (width * scale).ceil() as u32
}

/// Colours come from our own table today, but the badge must stay well-formed whatever
/// string reaches it.
fn safe_colour(colour: &str) -> &str {
    let valid =
        colour.len() <= 32 && colour.chars().all(|character| character.is_ascii_alphanumeric() || character == '#');
    if valid && !colour.is_empty() { colour } else { "#9f9f9f" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn badge<'a>(label: &'a str, message: &'a str, style: BadgeStyle) -> String {
        render(&Badge { label, message, colour: "#2da44e", style })
    }

    #[test]
    fn renders_label_message_and_colour() {
        let svg = badge("Acme", "All systems operational", BadgeStyle::Flat);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(">Acme</text>"));
        assert!(svg.contains(">All systems operational</text>"));
        assert!(svg.contains("fill=\"#2da44e\""));
        assert!(svg.contains("aria-label=\"Acme: All systems operational\""));
    }

    #[test]
    fn longer_text_makes_a_wider_badge() {
        let width = |svg: &str| -> u32 {
            let start = svg.find("width=\"").map(|index| index + 7).unwrap_or(0);
            svg[start..].split('"').next().and_then(|value| value.parse().ok()).unwrap_or(0)
        };
        assert!(width(&badge("a", "up", BadgeStyle::Flat)) < width(&badge("a", "Partial outage", BadgeStyle::Flat)));
    }

    #[test]
    fn text_is_escaped() {
        let svg = badge("<script>alert(1)</script>", "\"&'", BadgeStyle::Flat);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("&quot;&amp;&#39;"));
    }

    #[test]
    fn styles_parse_with_a_flat_fallback() {
        assert_eq!(BadgeStyle::parse(None), BadgeStyle::Flat);
        assert_eq!(BadgeStyle::parse(Some("FLAT-SQUARE")), BadgeStyle::FlatSquare);
        assert_eq!(BadgeStyle::parse(Some("for-the-badge")), BadgeStyle::ForTheBadge);
        assert_eq!(BadgeStyle::parse(Some("plastic<>")), BadgeStyle::Flat);
        assert!(badge("a", "up", BadgeStyle::ForTheBadge).contains(">UP</text>"));
        assert!(badge("a", "up", BadgeStyle::FlatSquare).contains("rx=\"0\""));
    }

    #[test]
    fn absurd_input_is_clipped_and_colour_sanitised() {
        let long = "x".repeat(10_000);
        let svg = badge(&long, &long, BadgeStyle::Flat);
        assert!(svg.len() < 2_000, "{}", svg.len());
        let svg = render(&Badge { label: "a", message: "b", colour: "red\" onload=\"x", style: BadgeStyle::Flat });
        assert!(svg.contains("fill=\"#9f9f9f\""));
    }
}
