//! Incident and maintenance bodies are written in Markdown by editors, by alerting tools and
//! by API clients. They are rendered to HTML once, on the server, and must never carry
//! script or markup of the author's own into a visitor's browser: raw HTML is shown as text,
//! links are kept only for safe schemes, images become plain links, and headings are demoted
//! so a body cannot out-shout the page's own structure.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// Renders Markdown to HTML that is safe to insert into a page as-is.
pub fn to_safe_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_TASKLISTS);
    let events = Parser::new_ext(markdown, options).map(make_safe);
    let mut output = String::with_capacity(markdown.len() + markdown.len() / 2);
    html::push_html(&mut output, events);
    output
}

/// The body as plain text, shortened at a word boundary to at most `max_chars` characters
/// (an ellipsis marks the cut): for history lists and notification previews.
pub fn to_plain_text(markdown: &str, max_chars: usize) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(value) | Event::Code(value) | Event::Html(value) | Event::InlineHtml(value) => {
                text.push_str(&value)
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock) => text.push(' '),
            _ => {}
        }
    }
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    shorten(&collapsed, max_chars)
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let budget = max_chars.saturating_sub(1);
    let cut: String = text.chars().take(budget).collect();
    let at_word = match cut.rfind(' ') {
        Some(space) if space > budget / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches([' ', ',', ';', ':', '.']))
}

fn make_safe(event: Event<'_>) -> Event<'_> {
    match event {
        // Raw HTML is shown, not interpreted.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url), title, id })
        }
        // An image would let any body load a tracker or a huge file from elsewhere; the
        // reader still gets the address as a link.
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url), title, id })
        }
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: demote(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
        other => other,
    }
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 | HeadingLevel::H4 => HeadingLevel::H4,
        HeadingLevel::H5 => HeadingLevel::H5,
        HeadingLevel::H6 => HeadingLevel::H6,
    }
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let trimmed: String =
        url.chars().filter(|character| !character.is_control() && !character.is_whitespace()).collect();
    let lower = trimmed.to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let first_separator = lower.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, first_separator) {
        (Some(colon), Some(separator)) => colon < separator,
        (Some(_), None) => true,
        _ => false,
    };
    if !has_scheme || lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("mailto:") {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_ordinary_markdown() {
        let html = to_safe_html("We are **investigating** errors on the `api`.\n\n- one\n- two");
        assert!(html.contains("<strong>investigating</strong>"));
        assert!(html.contains("<code>api</code>"));
        assert!(html.contains("<li>one</li>"));
    }

    #[test]
    fn raw_html_is_escaped_not_interpreted() {
        let html = to_safe_html("Hello <script>alert(1)</script> and <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let block = to_safe_html("<div onclick=\"steal()\">x</div>\n");
        assert!(!block.contains("<div"), "{block}");
    }

    #[test]
    fn dangerous_link_schemes_are_neutralised() {
        for source in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "[x](vbscript:msgbox)",
            "<javascript:alert(1)>",
        ] {
            let html = to_safe_html(source).to_ascii_lowercase();
            for href in html.split("href=\"").skip(1).filter_map(|rest| rest.split('"').next()) {
                assert!(!href.contains("script:") && !href.contains("data:"), "{source} gave {html}");
            }
        }
    }

    #[test]
    fn safe_links_are_kept() {
        assert!(to_safe_html("[a](https://example.com/x?y=1)").contains("href=\"https://example.com/x?y=1\""));
        assert!(to_safe_html("[a](mailto:ops@example.com)").contains("href=\"mailto:ops@example.com\""));
        assert!(to_safe_html("[a](/s/acme/history)").contains("href=\"/s/acme/history\""));
        assert!(to_safe_html("[a](#details)").contains("href=\"#details\""));
    }

    #[test]
    fn images_become_links_and_headings_are_demoted() {
        let html = to_safe_html("![graph](https://example.com/g.png)\n\n# Big\n\n###### Small");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("<a href=\"https://example.com/g.png\">graph</a>"), "{html}");
        assert!(html.contains("<h4>Big</h4>"), "{html}");
        assert!(html.contains("<h6>Small</h6>"), "{html}");
        assert!(!html.contains("<h1"), "{html}");
    }

    #[test]
    fn attribute_injection_through_link_titles_is_escaped() {
        let html = to_safe_html("[a](https://example.com \"x\\\" onmouseover=\\\"alert(1)\")");
        assert!(!html.contains("\" onmouseover=\""), "{html}");
    }

    #[test]
    fn plain_text_strips_markup_and_shortens_at_a_word() {
        assert_eq!(to_plain_text("We **fixed** it.\n\nAll good.", 100), "We fixed it. All good.");
        let long = "word ".repeat(100);
        let short = to_plain_text(&long, 30);
        assert!(short.chars().count() <= 30, "{short}");
        assert!(short.ends_with("word…"), "{short}");
        assert_eq!(to_plain_text("", 10), "");
        assert_eq!(to_plain_text("ééééééééééé", 5), "éééé…");
    }
}
