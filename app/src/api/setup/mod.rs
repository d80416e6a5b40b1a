mod complete_setup;
mod get_setup_needed;
pub use complete_setup::*;
pub use get_setup_needed::*;
