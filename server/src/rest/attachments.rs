//! Files over `/api/v1`: a file added to a case or to one of its requests (the body is the file, streamed to
//! the store as it arrives, as the page's upload is), what is known of one (name, size, SHA-256, conditions),
//! and its content. The backend decides who may do what to which file and records each of them.

use super::idempotency::{self, Claim};
use super::problem::Problem;
use super::routes::id_of;
use super::{Answer, Call};
use app::backend::exchange::attachments::{self, Incoming, Target, Upload};
use app::error::AppError;
use app::model::{AttachmentView, TokenScope};
use axum::body::Body;
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

pub fn router() -> Router<app::backend::AppState> {
    Router::new()
        .route("/cases/{id}/attachments", post(upload_attachment))
        .route("/attachments/{id}", get(get_attachment))
        .route("/attachments/{id}/content", get(download_attachment))
}

/// The longest file name kept from a client, and the longest content type.
const MAX_NAME_CHARS: usize = app::backend::exchange::attachments::MAX_FILE_NAME_CHARS;
const MAX_TYPE_CHARS: usize = 100;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The file's name, as it is shown and downloaded.
    file_name: String,
    /// The request the file is for; without it, the file is on the case itself. A file for a request waits
    /// with its uploader's side until it goes with their next answer (`attachments` of a response).
    request: Option<i64>,
}

/// The content type the client declared, if it is a plain one; otherwise the file is just bytes.
fn declared_type(call: &Call) -> String {
    call.parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= MAX_TYPE_CHARS && t.bytes().all(|b| b.is_ascii_graphic() || b == b' '))
        .unwrap_or("application/octet-stream")
        .to_string()
}

/// Adds a file to the case, or to one of its requests. The body is the file itself; its name is given in
/// `file_name`. Checked before a byte is read (a party to the case; for a request, one of its two ends),
/// then stored under its SHA-256 within the agency's quota. With an `Idempotency-Key`, a retried upload of
/// the same file answers the first one. Needs the `write` scope.
#[utoipa::path(post, path = "/api/v1/cases/{id}/attachments", tag = "attachments", params(("id" = i64, Path), UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"), security(("token" = [])),
    responses((status = 201, body = AttachmentView), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn upload_attachment(call: Call, Path(id): Path<String>, body: Body) -> Answer {
    call.need(TokenScope::Write).await?;
    let case_id = id_of(&id)?;
    let params: UploadParams = call.query()?;
    let name = params.file_name.trim().to_string();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(call.fail(AppError::field(
            "file_name",
            app::tr!(app::i18n::reader(), "err-name-file-1-characters", max_name_chars = MAX_NAME_CHARS as i64),
        )));
    }
    let target = Target { case_id, request_id: params.request };
    let actor = call.caller.actor.clone();
    attachments::authorize(&call.state.db, &call.state.files(), &actor, &target).await.map_err(|e| call.fail(e))?;
    let incoming = receive(&call, body).await?;
    // A retry is the same file, name and target again: known by them once the file has arrived.
    let what = format!("{} {}?{}", call.parts.method, call.parts.uri.path(), call.parts.uri.query().unwrap_or(""));
    let fingerprint = format!("{}\0{name}", incoming.sha256_so_far());
    let claim = idempotency::claim(&call.state.db, call.caller.token.id, &call.parts.headers, &what, fingerprint.as_bytes()).await?;
    let content_type = declared_type(&call);
    let state = call.state.clone();
    // The recording runs as a task of its own: a client gone mid-call must not leave its key taken with
    // no answer kept (see `Call::create_once`).
    let task = tokio::spawn(async move {
        let file = Upload { file_name: &name, content_type: &content_type };
        let taken = match claim {
            Claim::Replay(status, body) => return Ok((status, body, true)),
            Claim::Fresh(taken) => Some(taken),
            Claim::None => None,
        };
        let made = attachments::upload(&state.db, &state.files(), &actor, target, file, incoming)
            .await
            .map(|view| serde_json::to_string(&view).unwrap_or_default());
        if let Some(taken) = taken {
            idempotency::finish(&state.db, taken, made.as_ref().ok().map(|text| (StatusCode::CREATED, text.as_str()))).await;
        }
        made.map(|text| (StatusCode::CREATED, text, false))
    });
    let (status, text, replayed) = task.await.map_err(|_| AppError::Internal).and_then(|r| r).map_err(|e| call.fail(e))?;
    let mut res = (status, text).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if replayed {
        res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(res)
}

/// The body, written to the store as it arrives (hashed and counted on the way; over the limit it stops).
async fn receive(call: &Call, body: Body) -> Result<Incoming, Problem> {
    let store = call.state.files();
    let mut incoming = Incoming::begin(&store).await.map_err(|e| call.fail(e))?;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            let too_large = std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            if too_large {
                Problem::new("too-large", StatusCode::PAYLOAD_TOO_LARGE, app::tr!(app::i18n::reader(), "problem-detail-file-too-large"))
            } else {
                call.fail(AppError::field("file", app::tr!(app::i18n::reader(), "err-upload-was-interrupted-before-file")))
            }
        })?;
        incoming.write(&chunk).await.map_err(|e| call.fail(e))?;
    }
    Ok(incoming)
}

/// What is known of a file: name, type, size, SHA-256, who uploaded it and when, and the handling conditions
/// of the answer it came with. A read of case content, recorded. Needs the `read` scope.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "attachments", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = AttachmentView), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn get_attachment(call: Call, Path(id): Path<String>) -> Answer {
    call.need(TokenScope::Read).await?;
    let id = id_of(&id)?;
    let view = attachments::metadata(&call.state.db, &call.caller.actor, id).await.map_err(|e| call.fail(e))?;
    Ok((StatusCode::OK, Json(view)).into_response())
}

/// The file's content, as a download named with its handling conditions (`report (H1 H2).pdf`). Recorded
/// as a download. Needs the `read` scope.
#[utoipa::path(get, path = "/api/v1/attachments/{id}/content", tag = "attachments", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = Vec<u8>, content_type = "application/octet-stream"),
              (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn download_attachment(call: Call, Path(id): Path<String>) -> Answer {
    call.need(TokenScope::Read).await?;
    let id = id_of(&id)?;
    let (row, path) = attachments::download(&call.state.db, &call.state.files(), &call.caller.actor, id).await.map_err(|e| call.fail(e))?;
    crate::files::attachment_response(&row, &path).await.map_err(|e| call.fail(e))
}
