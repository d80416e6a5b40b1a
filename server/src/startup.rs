//! Builds the HTTP application and runs it until a shutdown signal.

use crate::admin_api::auth::ApiRateLimiter;
use crate::api_cache::ApiCache;
use crate::assets::SiteAssets;
use crate::custom_domain::{CustomDomains, route_custom_domains};
use crate::metrics::{CheckMetrics, HttpMetrics, MetricsAccess};
use crate::page_cache::{FrontDoor, PageCache, serve_cached};
use crate::routes;
use app::ssr::AppState;
use app::{App, OUTPUT_NAME, shell};
use axum::Router;
use axum::extract::{FromRef, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Everything the router's handlers share.
#[derive(Clone, FromRef)]
pub struct ServerState {
    pub app: AppState,
    pub assets: Arc<SiteAssets>,
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    /// Cancelled when the server stops: long-lived connections (live sockets) close then.
    pub shutdown: CancellationToken,
    pub api_cache: Arc<ApiCache>,
    pub metrics_access: MetricsAccess,
    pub http_metrics: Arc<HttpMetrics>,
    pub check_metrics: Arc<CheckMetrics>,
    pub api_limiter: Arc<ApiRateLimiter>,
    pub subscribe_limiter: Arc<routes::subscriptions::SubscribeLimiter>,
}

pub fn leptos_options(listen: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder().output_name(OUTPUT_NAME).site_pkg_dir("pkg").site_addr(listen).env(Env::PROD).build()
}

/// The application's routes, rendering every page on request: what the page cache renders
/// through, and what answers everything it does not serve.
pub fn renderer(state: ServerState) -> Router {
    let routes = generate_route_list(App);
    let app_state = state.app.clone();
    let (admin_api, _) = crate::admin_api::router();
    Router::new()
        .merge(admin_api)
        .route("/healthz", get(routes::health::healthz))
        .route("/metrics", get(crate::metrics::metrics))
        .route("/s/{slug}/live", get(routes::live::live))
        .route("/s/{slug}/badge.svg", get(routes::badge::organization_badge))
        .route("/s/{slug}/components/{component}/badge.svg", get(routes::badge::component_badge))
        .route("/s/{slug}/maintenance.ics", get(routes::feeds::maintenance_calendar))
        .route("/s/{slug}/history.rss", get(routes::feeds::history_rss))
        .route("/s/{slug}/history.atom", get(routes::feeds::history_atom))
        .route("/s/{slug}/components/{component}/history.rss", get(routes::feeds::component_rss))
        .route("/s/{slug}/components/{component}/history.atom", get(routes::feeds::component_atom))
        .route("/dashboard/{slug}/subscribers.csv", get(routes::subscriber_export::export))
        .route("/s/{slug}/subscribe", get(routes::subscriptions::subscribe_page).post(routes::subscriptions::subscribe))
        .route("/subscriptions/confirm", get(routes::subscriptions::confirm_page).post(routes::subscriptions::confirm))
        .route(
            "/subscriptions/manage",
            get(routes::subscriptions::manage_page).post(routes::subscriptions::save_preferences),
        )
        .route(
            "/subscriptions/unsubscribe",
            get(routes::subscriptions::unsubscribe_page).post(routes::subscriptions::unsubscribe),
        )
        .route("/s/{slug}/api/v2/{*document}", get(routes::public_api::document).options(routes::public_api::document))
        .route("/api/{slug}/{document}", get(routes::public_api::document).options(routes::public_api::document))
        .leptos_routes_with_context(&state, routes, move || provide_context(app_state.clone()), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(assets_or_not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), routes::signed_in::require_session))
        .layer(axum::middleware::from_fn(routes::unreadable_arguments::unreadable_arguments_are_client_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), routes::moved::follow_moved_organizations))
        .with_state(state)
}

/// The whole HTTP service: cached pages straight from memory, else custom domains, then cached
/// organization pages (rendering them on a miss), then the router.
pub fn service(
    renderer: Router,
    page_cache: Arc<PageCache>,
    api_cache: Arc<ApiCache>,
    domains: Arc<CustomDomains>,
    http_metrics: Arc<HttpMetrics>,
) -> FrontDoor {
    let cached = renderer
        .layer(axum::middleware::from_fn_with_state(page_cache.clone(), serve_cached))
        .layer(TraceLayer::new_for_http())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ));
    // The custom-domain rewrite wraps the inner router as a whole, so the rewritten path is
    // the one that gets routed.
    let application = Router::new()
        .fallback_service(cached)
        .layer(axum::middleware::from_fn_with_state(domains.clone(), route_custom_domains))
        .layer(axum::middleware::from_fn_with_state(http_metrics.clone(), crate::metrics::track));
    FrontDoor::new(page_cache, api_cache, domains, application, http_metrics)
}

/// Static files first; anything else is rendered by the app, whose router answers 404.
async fn assets_or_not_found(State(state): State<ServerState>, request: Request) -> Response {
    if let Some(response) = state.assets.respond(request.uri().path(), request.headers()) {
        return response;
    }
    let app_state = state.app.clone();
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_to_stream_with_context(
        move || provide_context(app_state.clone()),
        move || shell(options.clone()),
    );
    render(request).await.into_response()
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish for at most `grace`.
pub async fn serve(
    listener: TcpListener,
    service: FrontDoor,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, tower::make::Shared::new(service)).with_graceful_shutdown(async move {
        shutdown.await;
        tracing::info!("shutting down: finishing requests in flight");
        let _ = stopping_tx.send(());
    });
    let server = tokio::spawn(async move { server.await });
    tokio::pin!(server);
    tokio::select! {
        finished = &mut server => finished.map_err(std::io::Error::other)?,
        _ = async {
            let _ = stopping_rx.await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!(seconds = grace.as_secs(), "requests still running after the shutdown timeout; stopping anyway");
            Ok(())
        }
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; stop herald with Ctrl-C");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
