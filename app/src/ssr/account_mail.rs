//! Emails to a person at the screen: a password reset link, an invitation. They are sent at
//! once through the instance's mail transport (the subscribers' outbox is for subscribers),
//! in the background, so answering the form neither waits on the mail server nor reveals by
//! its timing whether an account exists. Without a transport they are written to the log.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountMessage {
    pub to: String,
    pub subject: String,
    /// Plain text; the HTML part is made from it.
    pub text: String,
}

/// The instance's mail transport, as the app sees it (the server provides it).
pub trait AccountMailer: Send + Sync {
    fn send(&self, message: AccountMessage) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + '_>>;
}

pub type SharedAccountMailer = Arc<dyn AccountMailer>;

/// Sends `message` in the background; a failure is logged (the person can ask again).
pub fn send_in_background(mailer: Option<SharedAccountMailer>, message: AccountMessage) {
    let Some(mailer) = mailer else {
        tracing::info!(to = %message.to, subject = %message.subject, text = %message.text, "no mail transport configured; the message is only logged");
        return;
    };
    tokio::spawn(async move {
        let (to, subject) = (message.to.clone(), message.subject.clone());
        match mailer.send(message).await {
            Ok(()) => tracing::info!(%to, %subject, "account email sent"),
            Err(error) => tracing::warn!(%to, %subject, %error, "an account email could not be sent"),
        }
    });
}

pub fn password_reset(to: &str, link: &str) -> AccountMessage {
    AccountMessage {
        to: to.to_owned(),
        subject: "Reset your Herald password".to_owned(),
        text: format!(
            "Someone (we hope you) asked to reset the password of the Herald account {to}.\n\n\
             Choose a new password here; the link works once, for an hour:\n\n{link}\n\n\
             If it was not you, ignore this message: the password stays as it is."
        ),
    }
}

pub fn invitation(to: &str, organization: &str, role: &str, invited_by: Option<&str>, link: &str) -> AccountMessage {
    let who = invited_by.map_or_else(|| "You are".to_owned(), |person| format!("{person} invited you, so you are"));
    AccountMessage {
        to: to.to_owned(),
        subject: format!("You are invited to {organization} on Herald"),
        text: format!(
            "{who} invited to join {organization} on Herald, its status page, as {role}.\n\n\
             Accept here; the link works once, for 7 days:\n\n{link}\n\n\
             If you did not expect this, ignore this message."
        ),
    }
}

/// The HTML part: the text's paragraphs, escaped, with links made clickable.
pub fn html_of(text: &str) -> String {
    let paragraphs: String = text
        .split("\n\n")
        .map(|paragraph| {
            let escaped = super::html::escape(paragraph.trim());
            if paragraph.trim().starts_with("http://") || paragraph.trim().starts_with("https://") {
                format!("<p><a href=\"{escaped}\">{escaped}</a></p>")
            } else {
                format!("<p>{}</p>", escaped.replace('\n', "<br>"))
            }
        })
        .collect();
    format!("<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\">{paragraphs}</body></html>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_link_and_how_long_it_works() {
        let reset = password_reset("ana@example.com", "https://status.example.com/reset-password/hrlr_x");
        assert_eq!(reset.to, "ana@example.com");
        assert!(reset.text.contains("https://status.example.com/reset-password/hrlr_x"));
        assert!(reset.text.contains("once, for an hour"));
        let invited =
            invitation("bo@example.com", "Acme", "Editor", Some("ana@example.com"), "https://x/invitations/t");
        assert_eq!(invited.subject, "You are invited to Acme on Herald");
        assert!(invited.text.starts_with("ana@example.com invited you, so you are invited to join Acme"));
        assert!(invited.text.contains("as Editor") && invited.text.contains("7 days"));
    }

    #[test]
    fn the_html_part_escapes_and_links() {
        let html = html_of("Hello <b>you</b>\nthere\n\nhttps://x.test/?a=1&b=2");
        assert!(html.contains("<p>Hello &lt;b&gt;you&lt;/b&gt;<br>there</p>"), "{html}");
        assert!(html.contains("<a href=\"https://x.test/?a=1&amp;b=2\">"), "{html}");
    }
}
