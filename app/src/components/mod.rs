//! Pieces shared by several pages.

mod error_panel;
mod field;
mod heatmap;
mod markdown_editor;
mod org_header;
mod status;
mod subscribe_dialog;
mod time;
mod timeline;

pub use error_panel::ErrorPanel;
pub use field::Field;
pub use heatmap::Heatmap;
pub use markdown_editor::MarkdownEditor;
pub use org_header::OrganizationHeader;
pub use status::{IndicatorBanner, IndicatorLabel, StatusLabel};
pub use subscribe_dialog::SubscribeDialog;
pub use time::LocalTime;
pub use timeline::{IncidentCard, MaintenanceCard, Timeline};
