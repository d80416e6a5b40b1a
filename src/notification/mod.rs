//! Who hears about what, and how deliveries are signed and retried. The outbox, the channels
//! and the messages themselves live in the app; the rules they follow live here.

pub mod retry;
pub mod signing;
pub mod subscriber_list;
pub mod subscription;

pub use retry::*;
pub use signing::*;
pub use subscriber_list::*;
pub use subscription::*;
