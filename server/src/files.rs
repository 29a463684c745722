//! Plain HTTP endpoints for files: attachment upload (multipart, so the browser can show progress) and
//! download, and the STIX export. Each asks the backend, which checks policy and audits.

use app::backend::platform::audit::{self, Event};
use app::backend::platform::auth::AuthSession;
use app::backend::{exchange::attachments, exchange::policy, exchange::stix, oversight::export, oversight::report, state, AppState};
use app::error::AppError;
use app::model::{CaseFilter, InboxFilter};
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

fn ip(req: &Request) -> Option<String> {
    req.extensions().get::<app::backend::platform::client_addr::ClientAddr>().map(|c| c.0.to_string())
}

/// Errors as JSON (the shape server functions use), with the matching status.
fn error(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = (status, axum::Json(&e)).into_response();
    if let AppError::SlowDown(seconds) = e {
        res.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
    }
    res
}

#[derive(Deserialize)]
pub struct UploadTarget {
    case: i64,
    request: Option<i64>,
}

/// An upload streams to a temporary file as it arrives (hashed and counted on the way, never whole in
/// memory), after the party check: a refused upload is not read.
pub async fn upload(State(app): State<AppState>, mut session: AuthSession, Query(target): Query<UploadTarget>, req: Request) -> Response {
    let actor = match state::require_actor(&app, &mut session, ip(&req)).await {
        Ok(a) => a,
        Err(e) => return error(e),
    };
    let target = attachments::Target { case_id: target.case, request_id: target.request };
    if let Err(e) = attachments::authorize(&app.db, &app.files(), &actor, &target).await {
        return error(e);
    }
    let mut multipart = match Multipart::from_request(req, &app).await {
        Ok(m) => m,
        Err(e) => return error(AppError::field("file", app::tr!(app::i18n::reader(), "err-upload-unreadable", detail = e.to_string()))),
    };
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return error(AppError::field("file", app::tr!(app::i18n::reader(), "err-choose-file-upload"))),
            Err(e) => {
                return error(AppError::field("file", app::tr!(app::i18n::reader(), "err-upload-unreadable", detail = e.to_string())))
            }
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("attachment").to_string();
        let ctype = field.content_type().unwrap_or("application/octet-stream").to_string();
        let store = app.files();
        let mut incoming = match attachments::Incoming::begin(&store).await {
            Ok(i) => i,
            Err(e) => return error(e),
        };
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if let Err(e) = incoming.write(&chunk).await {
                        return error(e);
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    return error(AppError::field("file", app::tr!(app::i18n::reader(), "err-upload-interrupted", detail = e.to_string())))
                }
            }
        }
        let file = attachments::Upload { file_name: &name, content_type: &ctype };
        return match attachments::upload(&app.db, &store, &actor, target, file, incoming).await {
            Ok(view) => (StatusCode::CREATED, axum::Json(view)).into_response(),
            Err(e) => error(e),
        };
    }
}

/// `filename*` carries the real (UTF-8) name; `filename` an ASCII fallback. The name is cleaned again as it
/// leaves (a name kept before bidirectional controls were refused must not save as "invoiceexe.pdf").
fn disposition(name: &str) -> HeaderValue {
    let name = attachments::clean_name(name);
    let name = name.as_str();
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).filter(|c| *c != '"' && *c != '\\').collect();
    let encoded: String = name
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

pub async fn download(State(app): State<AppState>, mut session: AuthSession, Path(id): Path<i64>, req: Request) -> Response {
    let actor = match state::require_actor(&app, &mut session, ip(&req)).await {
        Ok(a) => a,
        Err(e) => return error(e),
    };
    match attachments::download(&app.db, &app.files(), &actor, id).await {
        Ok((row, path)) => attachment_response(&row, &path).await.unwrap_or_else(error),
        Err(e) => error(e),
    }
}

/// A stored file as a download. Never the uploader's content type: a file is always a download, never
/// rendered by the browser, whoever asks (a page or the API).
pub(crate) async fn attachment_response(row: &attachments::AttachmentRow, path: &std::path::Path) -> Result<Response, AppError> {
    let bytes = tokio::fs::read(path).await.map_err(|e| {
        tracing::error!(error = %e, attachment = row.id, "attachment content missing");
        AppError::Internal
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")),
            (header::CONTENT_DISPOSITION, disposition(&row.download_name())),
            (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox")),
        ],
        bytes,
    )
        .into_response())
}

/// The signed-in actor of an export, counted against their allowance of expensive reads.
async fn exporter(app: &AppState, session: &mut AuthSession, ip: Option<String>) -> Result<state::Actor, AppError> {
    let actor = state::require_actor(app, session, ip).await?;
    state::ensure_within_read_limit(app, actor.id())?;
    Ok(actor)
}

pub async fn stix_export(State(app): State<AppState>, mut session: AuthSession, Path(id): Path<i64>, req: Request) -> Response {
    let actor = match exporter(&app, &mut session, ip(&req)).await {
        Ok(a) => a,
        Err(e) => return error(e),
    };
    match stix::export(&app.db, &actor, id).await {
        Ok((name, bundle)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("application/stix+json;version=2.1")),
                (header::CONTENT_DISPOSITION, disposition(&name)),
            ],
            serde_json::to_string_pretty(&bundle).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => error(e),
    }
}

pub async fn case_report(State(app): State<AppState>, mut session: AuthSession, Path(id): Path<i64>, req: Request) -> Response {
    let actor = match exporter(&app, &mut session, ip(&req)).await {
        Ok(a) => a,
        Err(e) => return error(e),
    };
    match report::case_report(&app.db, &actor, id, app::i18n::reader()).await {
        Ok((name, bytes)) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")), (header::CONTENT_DISPOSITION, disposition(&name))],
            bytes,
        )
            .into_response(),
        Err(e) => error(e),
    }
}

fn csv_response(name: &str, body: String) -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")), (header::CONTENT_DISPOSITION, disposition(name))], body)
        .into_response()
}

async fn record_export(app: &AppState, who: &audit::Who, what: &str, rows: usize) -> Result<(), AppError> {
    audit::record_alone(&app.db, who, Event::new("export.csv").details(serde_json::json!({"list": what, "rows": rows}))).await?;
    Ok(())
}

/// The case list as CSV, with the same filters as the page.
pub async fn cases_csv(State(app): State<AppState>, mut session: AuthSession, Query(filter): Query<CaseFilter>, req: Request) -> Response {
    let ip = ip(&req);
    drop(req);
    let result = async {
        let actor = exporter(&app, &mut session, ip).await?;
        let vis = policy::visibility(&actor.user)?;
        let (csv, rows) = export::cases_csv(&app.db.pool, vis, &filter, &actor.user.time_zone, app::i18n::reader()).await?;
        record_export(&app, &actor.who, "cases", rows).await?;
        Ok::<String, AppError>(csv)
    }
    .await;
    match result {
        Ok(csv) => csv_response("cases.csv", csv),
        Err(e) => error(e),
    }
}

/// The request list as CSV, with the same filters as the page.
pub async fn requests_csv(
    State(app): State<AppState>,
    mut session: AuthSession,
    Query(filter): Query<InboxFilter>,
    req: Request,
) -> Response {
    let ip = ip(&req);
    drop(req);
    let result = async {
        let actor = exporter(&app, &mut session, ip).await?;
        let vis = policy::visibility(&actor.user)?;
        let (csv, rows) = export::requests_csv(&app.db.pool, &actor.user, vis, &filter, app::i18n::reader()).await?;
        record_export(&app, &actor.who, "requests", rows).await?;
        Ok::<String, AppError>(csv)
    }
    .await;
    match result {
        Ok(csv) => csv_response("requests.csv", csv),
        Err(e) => error(e),
    }
}
