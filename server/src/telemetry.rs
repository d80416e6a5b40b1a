//! Structured logs on stderr: readable text by default, JSON for log collectors.

use crate::config::LogFormat;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber. A filter that does not parse falls back to `info` and says
/// so, rather than leaving the server silent.
pub fn init(filter: &str, format: LogFormat) {
    let (env_filter, filter_error) = match EnvFilter::try_new(filter) {
        Ok(parsed) => (parsed, None),
        Err(error) => (EnvFilter::new("info"), Some(error)),
    };
    let builder = tracing_subscriber::fmt().with_env_filter(env_filter).with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Text => builder.compact().try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    if installed.is_err() {
        // Already installed (tests start several servers in one process): keep the first.
        return;
    }
    if let Some(error) = filter_error {
        tracing::warn!(%error, filter, "HERALD_LOG is not a valid log filter; logging at info");
    }
}
