//! Pieces shared by several pages.

mod error_panel;
mod field;
mod heatmap;
mod org_header;
mod status;
mod time;
mod timeline;

pub use error_panel::ErrorPanel;
pub use field::Field;
pub use heatmap::Heatmap;
pub use org_header::OrganizationHeader;
pub use status::{IndicatorBanner, IndicatorLabel, StatusLabel};
pub use time::LocalTime;
pub use timeline::{IncidentCard, MaintenanceCard, Timeline};
