//! `GET /s/:slug/live`: the WebSocket that keeps open pages current.

use crate::startup::ServerState;
use app::ssr::AppState;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// A viewer whose connection does not take a message within this long is dropped: it must not
/// hold back memory or the server's shutdown.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Keeps idle connections open through proxies and notices dead peers.
const PING_EVERY: Duration = Duration::from_secs(25);

#[tracing::instrument(skip_all, fields(slug = %slug))]
pub async fn live(ws: WebSocketUpgrade, Path(slug): Path<String>, State(state): State<ServerState>) -> Response {
    let app = state.app.clone();
    let snapshot = match app.snapshots.get(&app.db, &slug).await {
        Ok(snapshot) => snapshot,
        Err(error) => {
            return (StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::NOT_FOUND), error.to_string())
                .into_response();
        }
    };
    let cancel = state.shutdown.clone();
    ws.max_message_size(4 * 1024)
        .on_upgrade(move |socket| follow(socket, app, snapshot.organization_id, slug, cancel))
        .into_response()
}

async fn follow(socket: WebSocket, app: AppState, organization_id: i64, slug: String, cancel: CancellationToken) {
    // Subscribe before reading the snapshot: a change in between arrives twice, never not at all.
    let mut updates = app.hub.subscribe_page(organization_id);
    let (mut outgoing, mut incoming) = socket.split();
    let current = |app: &AppState| app.snapshots.cached(&slug).map(|snapshot| snapshot.live_message.clone());
    let Some(first) = current(&app) else { return };
    if send(&mut outgoing, first).await.is_err() {
        return;
    }
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    loop {
        tokio::select! {
            () = cancel.cancelled() => {
                // "Going away": the browser reconnects, to this server once it is back or to
                // another replica.
                let frame = CloseFrame { code: 1001, reason: "server restarting".into() };
                let _ = tokio::time::timeout(Duration::from_secs(1), outgoing.send(Message::Close(Some(frame)))).await;
                return;
            }
            update = updates.recv() => {
                let message = match update {
                    Ok(message) => message,
                    // Fell behind: the latest page says everything the skipped ones did.
                    Err(broadcast::error::RecvError::Lagged(_)) => match current(&app) { Some(message) => message, None => return },
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                if send(&mut outgoing, message).await.is_err() {
                    return;
                }
            }
            _ = ping.tick() => {
                if tokio::time::timeout(SEND_TIMEOUT, outgoing.send(Message::Ping(Default::default()))).await.map_or(true, |sent| sent.is_err()) {
                    return;
                }
            }
            received = incoming.next() => match received {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                // Viewers have nothing to say; pongs and anything else are ignored.
                Some(Ok(_)) => {}
            },
        }
    }
}

/// Sends the shared message without copying it for each viewer.
async fn send(outgoing: &mut futures::stream::SplitSink<WebSocket, Message>, text: Arc<str>) -> Result<(), ()> {
    let shared = Utf8Bytes::try_from(bytes::Bytes::from_owner(ArcText(text))).map_err(|_| ())?;
    match tokio::time::timeout(SEND_TIMEOUT, outgoing.send(Message::Text(shared))).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(()),
    }
}

struct ArcText(Arc<str>);

impl AsRef<[u8]> for ArcText {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}
