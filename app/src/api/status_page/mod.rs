mod get_status_page;
pub use get_status_page::*;
