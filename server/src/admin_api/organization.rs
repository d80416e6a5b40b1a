//! `/api/v1/organization`, `/api/v1/tokens`, `/api/v1/audit-log` and `/api/v1/config`: the
//! organization a token belongs to, its tokens, its audit log and its setup as code.

use super::error::{ApiError, CommonErrors, ErrorBody};
use super::extract::{ApiQuery, Id, parse_json, read_body};
use super::{Answer, auth::ApiCaller};
use crate::startup::ServerState;
use app::ssr::admin::Paged;
use app::ssr::admin::audit_log::{self, AuditEntryView, AuditFilter};
use app::ssr::api_tokens::{self, ApiTokenView};
use app::ssr::caller::{Caller, Via};
use app::ssr::entities::organizations;
use app::ssr::{configuration, internal};
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use herald::{OrganizationConfiguration, Permission, Role, TokenScope};
use sea_orm::{DatabaseConnection, EntityTrait};
use serde::{Deserialize, Serialize};

/// The organization a token works in, and what the token may do there.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganizationView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub default_locale: String,
    pub custom_domain: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The role this token acts with.
    pub role: Role,
    /// read or write.
    pub scope: Option<TokenScope>,
}

async fn organization(db: &DatabaseConnection, caller: &Caller) -> Result<organizations::Model, ApiError> {
    Ok(organizations::Entity::find_by_id(caller.organization_id)
        .one(db)
        .await
        .map_err(internal("loading the caller's organization"))?
        .ok_or(app::error::AppError::Internal)?)
}

/// The token's organization
///
/// Which organization the token works in, with the role and scope it acts with.
#[utoipa::path(get, path = "/organization", tag = "organization",
    responses((status = 200, body = OrganizationView), CommonErrors), security(("token" = [])))]
pub async fn get_organization(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
) -> Answer<OrganizationView> {
    caller.may_read(Permission::Read)?;
    let row = organization(&state.db, &caller).await?;
    Ok(Json(OrganizationView {
        id: row.id,
        slug: row.slug,
        name: row.name,
        time_zone: row.time_zone,
        default_locale: row.default_locale,
        custom_domain: row.custom_domain,
        created_at: row.created_at,
        role: caller.role,
        scope: match &caller.via {
            Via::Token { scope, .. } => Some(*scope),
            Via::Person { .. } => None,
        },
    }))
}

/// List API tokens (Admin)
///
/// Never the secrets: only their first characters.
#[utoipa::path(get, path = "/tokens", tag = "organization",
    responses((status = 200, body = Vec<ApiTokenView>), CommonErrors), security(("token" = [])))]
pub async fn list_tokens(State(state): State<ServerState>, ApiCaller(caller): ApiCaller) -> Answer<Vec<ApiTokenView>> {
    caller.may_read(Permission::Administer)?;
    Ok(Json(api_tokens::list(&state.db, caller.organization_id).await?))
}

/// Revoke an API token (Admin)
///
/// It stops working at once. A token may revoke itself.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "organization", params(("id" = i64, Path)),
    responses((status = 200, body = ApiTokenView), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn revoke_token(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Answer<ApiTokenView> {
    caller.may_change(Permission::Administer)?;
    Ok(Json(api_tokens::revoke(&state.db, caller.organization_id, caller.actor(), id, Utc::now()).await?))
}

/// Read the audit log (Admin)
///
/// Newest first: who changed what, when, and the record before and after.
#[utoipa::path(get, path = "/audit-log", tag = "organization", params(AuditFilter),
    responses((status = 200, body = Paged<AuditEntryView>), CommonErrors), security(("token" = [])))]
pub async fn list_audit_log(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(filter): ApiQuery<AuditFilter>,
) -> Answer<Paged<AuditEntryView>> {
    Ok(Json(audit_log::list(&state.db, &caller, filter).await?))
}

#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentFormat {
    #[default]
    Yaml,
    Json,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// yaml (default) or json.
    #[param(inline)]
    pub format: Option<DocumentFormat>,
}

/// Export the organization's setup
///
/// Branding, groups, components and templates, as the YAML (or JSON) document `POST
/// /config` and `herald config import` apply.
#[utoipa::path(get, path = "/config", tag = "config", params(ExportQuery),
    responses((status = 200, description = "The document", content((OrganizationConfiguration = "application/yaml"), (OrganizationConfiguration = "application/json"))), CommonErrors),
    security(("token" = [])))]
pub async fn export_config(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    caller.may_read(Permission::Read)?;
    let row = organization(&state.db, &caller).await?;
    let document = configuration::export(&state.db, &row).await?;
    Ok(match query.format.unwrap_or_default() {
        DocumentFormat::Json => Json(document).into_response(),
        DocumentFormat::Yaml => {
            let yaml = configuration::to_yaml(&row.slug, &document)?;
            let mut response = yaml.into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/yaml"));
            response
        }
    })
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Only say what would change (default false).
    pub dry_run: Option<bool>,
    /// Also delete groups, components and templates the document does not name (default false).
    pub prune: Option<bool>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    /// Whether the changes were made (false for a dry run or when nothing differs).
    pub applied: bool,
    /// One line per change: `+ component api`, `~ group core: name Core → Core services`, `- template old`.
    pub changes: Vec<String>,
    /// The push URL of each heartbeat check the import created: a secret, shown this once.
    pub heartbeat_urls: Vec<HeartbeatUrl>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HeartbeatUrl {
    /// The check's key.
    pub check: String,
    pub url: String,
}

/// Apply a setup document (Admin)
///
/// Plans the document against the organization by stable keys and, unless `dry_run`,
/// applies it in one transaction. Send YAML (`application/yaml`) or JSON.
#[utoipa::path(post, path = "/config", tag = "config", params(ImportQuery),
    request_body(content((OrganizationConfiguration = "application/yaml"), (OrganizationConfiguration = "application/json"))),
    responses((status = 200, body = ImportOutcome), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn import_config(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<ImportQuery>,
    request: Request,
) -> Result<Json<ImportOutcome>, ApiError> {
    caller.may_change(Permission::Administer)?;
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    let body = read_body(request, &state).await?;
    let wanted: OrganizationConfiguration = match content_type.as_str() {
        "application/json" => {
            let wanted: OrganizationConfiguration = parse_json(&body)?;
            wanted.validate().map_err(|error| ApiError::invalid(None, error.to_string()))?;
            wanted
        }
        "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml" => {
            let text = std::str::from_utf8(&body).map_err(|_| {
                ApiError::new(StatusCode::BAD_REQUEST, "malformed_body", "The document is not UTF-8 text.")
            })?;
            configuration::from_yaml(text)?
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the document as Content-Type: application/yaml or application/json.",
            ));
        }
    };
    let row = organization(&state.db, &caller).await?;
    let dry_run = query.dry_run.unwrap_or(false);
    let options = configuration::ImportOptions {
        prune: query.prune.unwrap_or(false),
        dry_run,
        check_intervals: state.app.check_intervals,
    };
    let imported =
        configuration::import(&state.db, Some(&state.app.hub), caller.actor(), &row.slug, &wanted, options, Utc::now())
            .await?;
    Ok(Json(ImportOutcome {
        applied: !dry_run && !imported.plan.is_empty(),
        changes: imported.plan.iter().map(ToString::to_string).collect(),
        heartbeat_urls: imported
            .heartbeat_paths
            .into_iter()
            .map(|(key, path)| HeartbeatUrl { check: key, url: format!("{}{path}", state.app.public_url) })
            .collect(),
    }))
}
