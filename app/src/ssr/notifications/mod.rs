//! Telling subscribers: subscriptions and their double opt-in, the fan-out of events into the
//! durable outbox, the outbox's claims and outcomes, and what each message says. Sending is
//! the server's (its channels); everything here is database work and text.

pub mod fan_out;
pub mod notice;
pub mod outbox;
pub mod subscriptions;
pub mod texts;

/// What a delivery is for (the outbox's `purpose`).
pub mod purpose {
    /// An event the subscriber chose to hear about.
    pub const EVENT: &str = "event";
    /// "Confirm your subscription" or, to a confirmed address subscribing again, its manage link.
    pub const CONFIRMATION: &str = "confirmation";
    /// A test message sent from the dashboard.
    pub const TEST: &str = "test";
}

/// The outbox's states.
pub mod state {
    pub const PENDING: &str = "pending";
    pub const SENDING: &str = "sending";
    pub const SENT: &str = "sent";
    pub const FAILED: &str = "failed";
    pub const DEAD: &str = "dead";
}
