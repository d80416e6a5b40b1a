mod get_history_page;
mod get_incident_page;
mod get_maintenance_page;
mod get_status_page;
pub use get_history_page::*;
pub use get_incident_page::*;
pub use get_maintenance_page::*;
pub use get_status_page::*;
