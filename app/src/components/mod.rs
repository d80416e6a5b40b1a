//! Small pieces shared by several pages.

mod error_panel;
mod status;

pub use error_panel::ErrorPanel;
pub use status::{IndicatorBanner, IndicatorLabel, StatusLabel};
