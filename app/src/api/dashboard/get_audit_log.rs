use super::AuditLogPage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// One page of the organization's audit log, newest first, optionally narrowed to a kind of
/// record or an action; for Admins.
#[server(input = GetUrl)]
pub async fn get_audit_log(
    slug: String,
    entity_type: Option<String>,
    action: Option<String>,
    offset: Option<u64>,
) -> Result<AuditLogPage, AppError> {
    use super::AuditLine;
    use crate::ssr::admin::audit_log::{self, AuditFilter};
    use crate::ssr::dashboard::filled;
    use crate::ssr::{AppState, dashboard, respond};
    respond(
        async {
            let db = &AppState::current()?.db;
            let (caller, organization) = dashboard::signed_in(db, &slug, chrono::Utc::now()).await?;
            let filter = AuditFilter {
                entity_type: entity_type.and_then(filled).map(|text| text.trim().to_owned()),
                action: action.and_then(filled).map(|text| text.trim().to_owned()),
                offset,
                limit: Some(50),
                ..AuditFilter::default()
            };
            let page = audit_log::list(db, &caller, filter).await?;
            let pretty =
                |value: Option<serde_json::Value>| value.and_then(|value| serde_json::to_string_pretty(&value).ok());
            Ok(AuditLogPage {
                organization,
                entries: page
                    .data
                    .into_iter()
                    .map(|entry| AuditLine {
                        id: entry.id,
                        at: entry.at,
                        actor: entry.actor,
                        action: entry.action,
                        record: match entry.entity_id {
                            Some(id) => format!("{} {id}", entry.entity_type),
                            None => entry.entity_type,
                        },
                        before: pretty(entry.before),
                        after: pretty(entry.after),
                    })
                    .collect(),
                total: page.pagination.total,
                offset: page.pagination.offset,
                next_offset: page.pagination.next_offset,
            })
        }
        .await,
    )
}
