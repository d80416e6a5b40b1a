//! The admin REST API under `/api/v1`: components, groups, incidents, maintenance, templates,
//! tokens, the audit log, config as code and alert ingestion. Every route is registered
//! through [`OpenApiRouter`], so the OpenAPI document served at `/api/v1/openapi.json` is
//! generated from the same code that routes, and cannot leave a route out.

pub mod auth;
pub mod checks;
pub mod components;
pub mod docs;
pub mod error;
pub mod extract;
pub mod incidents;
pub mod organization;
pub mod subscribers;
pub mod templates;

use crate::routes::{alerts, heartbeat};
use crate::startup::ServerState;
use axum::Json;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use error::ApiError;
use std::sync::Arc;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContactBuilder, InfoBuilder, LicenseBuilder, OpenApi, Tag};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub type Answer<T> = Result<Json<T>, ApiError>;
pub type Created<T> = Result<(StatusCode, Json<T>), ApiError>;

pub const PREFIX: &str = "/api/v1";

/// The routes and the document that describes them, both from the handlers' annotations.
pub fn router() -> (axum::Router<ServerState>, OpenApi) {
    let api = OpenApiRouter::<ServerState>::with_openapi(base_document())
        .routes(routes!(organization::get_organization))
        .routes(routes!(organization::list_tokens))
        .routes(routes!(organization::revoke_token))
        .routes(routes!(organization::list_audit_log))
        .routes(routes!(organization::export_config, organization::import_config))
        .routes(routes!(components::list_components, components::create_component))
        .routes(routes!(components::get_component, components::update_component, components::delete_component))
        .routes(routes!(components::set_component_status))
        .routes(routes!(components::list_groups, components::create_group))
        .routes(routes!(components::get_group, components::update_group, components::delete_group))
        .routes(routes!(incidents::list_incidents, incidents::open_incident))
        .routes(routes!(incidents::get_incident, incidents::edit_incident))
        .routes(routes!(incidents::post_incident_update))
        .routes(routes!(incidents::list_maintenance, incidents::schedule_maintenance))
        .routes(routes!(incidents::get_maintenance, incidents::reschedule_maintenance))
        .routes(routes!(incidents::start_maintenance))
        .routes(routes!(incidents::complete_maintenance))
        .routes(routes!(incidents::cancel_maintenance))
        .routes(routes!(templates::list_templates, templates::create_template))
        .routes(routes!(templates::get_template, templates::update_template, templates::delete_template))
        .routes(routes!(checks::list_checks, checks::create_check))
        .routes(routes!(checks::get_check, checks::update_check, checks::delete_check))
        .routes(routes!(checks::pause_check))
        .routes(routes!(checks::resume_check))
        .routes(routes!(checks::run_check))
        .routes(routes!(checks::list_check_results))
        .routes(routes!(subscribers::list_subscribers, subscribers::add_subscriber))
        .routes(routes!(subscribers::get_subscriber, subscribers::remove_subscriber))
        .routes(routes!(subscribers::list_deliveries))
        .routes(routes!(subscribers::send_test))
        .layer(DefaultBodyLimit::max(extract::MAX_BODY_BYTES));
    let alert_ingestion = OpenApiRouter::<ServerState>::new()
        .routes(routes!(alerts::with_header))
        .routes(routes!(alerts::with_path))
        .routes(routes!(heartbeat::ping, heartbeat::ping_post))
        .layer(DefaultBodyLimit::max(alerts::MAX_BODY_BYTES));
    let (router, mut document) = OpenApiRouter::<ServerState>::with_openapi(base_document())
        .nest(PREFIX, api.merge(alert_ingestion))
        .split_for_parts();
    document.info = base_document().info;
    let document = Arc::new(document);
    let json = Arc::new(serde_json::to_string_pretty(&*document).unwrap_or_else(|_| "{}".into()));
    let page = Arc::new(docs::render(&document));
    let router = router
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let json = json.clone();
                async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], json.as_str().to_owned()) }
            }),
        )
        .route(
            "/api/v1/docs",
            axum::routing::get(move || {
                let page = page.clone();
                async move { axum::response::Html(page.as_str().to_owned()) }
            }),
        );
    (router, Arc::unwrap_or_clone(document))
}

fn base_document() -> OpenApi {
    let mut document = OpenApi::new(
        InfoBuilder::new()
            .title("Herald admin API")
            .version(env!("CARGO_PKG_VERSION"))
            .description(Some(
                "Manage an organization's status page from scripts: components and groups, incidents and their updates, \
                 scheduled maintenance, templates, monitoring checks, subscribers, API tokens, the audit log and the setup as code; and receive alerts.\n\n\
                 Authenticate with `Authorization: Bearer hrlt_…`. A token belongs to one organization, acts with a role \
                 (admin, editor or viewer) no higher than its creator's, and is read- or write-scoped. Lists are paged \
                 with `limit` and `offset`. Every error has the body `{\"error\": {\"code\", \"message\", \"field\"}}`.",
            ))
            .license(Some(LicenseBuilder::new().name("AGPL-3.0-or-later").build()))
            .contact(Some(ContactBuilder::new().name(Some("Herald")).build()))
            .build(),
        utoipa::openapi::Paths::new(),
    );
    let components = document.components.get_or_insert_with(Default::default);
    components
        .security_schemes
        .insert("token".into(), utoipa::openapi::RefOr::T(SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer))));
    document.tags = Some(
        [
            ("organization", "The token's organization, its tokens and audit log."),
            ("components", "What the status page shows, and their statuses."),
            ("groups", "Sections of the page that hold components."),
            ("incidents", "What is broken, and each update about it."),
            ("maintenance", "Planned work, started and completed on time by the scheduler."),
            ("templates", "Pre-written incidents and maintenance."),
            ("subscribers", "People and systems told about incidents and maintenance, and their delivery logs."),
            ("checks", "Monitoring: HTTP, TCP, DNS and heartbeat checks that drive component statuses."),
            ("config", "The organization's setup as a YAML document."),
            ("alerts", "Alertmanager, Grafana and generic alerts that open and resolve incidents."),
        ]
        .into_iter()
        .map(|(name, description)| {
            let mut tag = Tag::new(name);
            tag.description = Some(description.into());
            tag
        })
        .collect(),
    );
    document
}
