//! sea-orm entities, one module per table, matching `migrations/` column for column.
//! Rows holding secrets (hashes, tokens) are never `Serialize`: nothing here is.

pub mod alert_sources;
pub mod alerts;
pub mod api_tokens;
pub mod audit_log;
pub mod check_results;
pub mod check_rollups;
pub mod component_groups;
pub mod component_status_intervals;
pub mod components;
pub mod events;
pub mod incident_components;
pub mod incident_update_components;
pub mod incident_updates;
pub mod incidents;
pub mod instance;
pub mod invitations;
pub mod login_attempts;
pub mod maintenance_components;
pub mod maintenance_updates;
pub mod maintenances;
pub mod memberships;
pub mod monitoring_watch;
pub mod monitors;
pub mod notification_outbox;
pub mod organizations;
pub mod password_resets;
pub mod sessions;
pub mod slug_redirects;
pub mod subscriber_components;
pub mod subscribers;
pub mod template_components;
pub mod templates;
pub mod uptime_rollups;
pub mod users;
