//! Herald's domain core: what statuses, incidents, maintenance and uptime *mean*, and the
//! validated values (slugs, emails, URLs, names, …) the rest of Herald is built from.
//!
//! Pure: no I/O, no clock (callers pass `now`), no database and no async, so the same code
//! runs on the server and in the browser (it is compiled to wasm32) and every rule is
//! unit-tested here. Keep it so: anything that talks to the outside world belongs elsewhere.

pub mod access;
pub mod alert;
pub mod configuration;
pub mod event;
pub mod ids;
pub mod impact;
pub mod incident;
pub mod maintenance;
pub mod membership;
pub mod monitoring;
pub mod notification;
pub mod ordering;
pub mod role;
pub mod status;
mod string_enum;
pub mod throttle;
pub mod uptime;
pub mod values;

pub use access::*;
pub use alert::*;
pub use configuration::*;
pub use event::*;
pub use ids::*;
pub use impact::*;
pub use incident::*;
pub use maintenance::*;
pub use membership::*;
pub use monitoring::*;
pub use notification::*;
pub use ordering::*;
pub use role::*;
pub use status::*;
pub use string_enum::UnknownValue;
pub use throttle::*;
pub use uptime::*;
pub use values::*;
