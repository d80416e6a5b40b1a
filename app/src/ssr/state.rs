use super::hub::Hub;
use super::snapshots::Snapshots;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

/// Everything a request handler or server function needs, built once at start-up and shared.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    pub hub: Hub,
    pub snapshots: Snapshots,
    /// The check intervals this instance allows (a lower floor only where configured).
    pub check_intervals: herald::IntervalBounds,
    /// The instance's secret key: manage tokens, sealed webhook secrets and bot tokens.
    pub keyring: super::keyring::Keyring,
    /// Where people reach this instance (`HERALD_PUBLIC_URL`), for links in messages.
    pub public_url: String,
    pub subscription_rules: super::notifications::subscriptions::SubscriptionRules,
    /// Sends password reset links and invitations; `None` writes them to the log.
    pub account_mail: Option<super::account_mail::SharedAccountMailer>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, leptos_options: LeptosOptions) -> AppState {
        AppState {
            db,
            leptos_options,
            hub: Hub::new(),
            snapshots: Snapshots::new(),
            check_intervals: herald::IntervalBounds::default(),
            // Replaced at start-up by the configured key; a random one keeps nothing readable.
            keyring: super::keyring::Keyring::from_secret(&super::keyring::Keyring::generate_secret()),
            public_url: String::new(),
            subscription_rules: Default::default(),
            account_mail: None,
        }
    }

    /// The state of the request being served; server functions and pages run inside one.
    pub fn current() -> Result<AppState, crate::error::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            crate::error::AppError::Internal
        })
    }
}
