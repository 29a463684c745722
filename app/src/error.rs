//! The one error type every server function returns. Users see `message()`; details go to the log on the
//! server. It crosses the wire as JSON so the browser can show per-field messages.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message about one form field, keyed by the field's `name`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in.")]
    Unauthorized,
    #[error("You do not have access to this page.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    /// Bad input: one message per field, and a summary.
    #[error("Please correct the marked fields.")]
    Validation(Vec<FieldError>),
    /// A rule of the domain refused the change (e.g. "the last active admin cannot be disabled").
    #[error("{0}")]
    Conflict(String),
    /// The information carries H2 and its provider has not consented to it going to this agency.
    #[error("This information carries condition H2: it may not be passed on without its provider's consent. Ask the provider for consent to pass it on to this agency, then try again.")]
    ConsentNeeded,
    #[error("Too many attempts. Wait a minute and try again.")]
    TooManyRequests,
    /// A user's expensive reads (search, cross-check, exports) past their limit; seconds until the next.
    #[error("You have run many searches or exports in a short time. Try again in {0} seconds.")]
    SlowDown(u64),
    /// A field's content is over a configured size (an upload): its message names the limit.
    #[error("{}", .0.message)]
    TooLarge(FieldError),
    #[error("Something went wrong on the server. It has been logged.")]
    Internal,
    /// The server's disk (or quota) is full: the write was not made. Reads go on working.
    #[error("The server's storage is full, so nothing could be saved or recorded (opening a case is recorded too). What you typed is still here: try again later, and tell your administrator.")]
    NoSpace,
    /// Transport failures reported by the server-function layer itself.
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

/// The longest text a search box takes: the search page's and the lists' alike.
pub const MAX_SEARCH_CHARS: usize = 200;

/// Refuses search text over `MAX_SEARCH_CHARS`, with a message on `field`.
pub fn check_search_text(field: &str, text: &str) -> Result<(), AppError> {
    if text.chars().count() > MAX_SEARCH_CHARS {
        return Err(AppError::field(
            field,
            tr!(crate::i18n::reader(), "err-search-most-characters", max_search_chars = MAX_SEARCH_CHARS as i64),
        ));
    }
    Ok(())
}

impl AppError {
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) | AppError::ConsentNeeded => 409,
            AppError::TooManyRequests | AppError::SlowDown(_) => 429,
            AppError::TooLarge(_) => 413,
            AppError::Internal | AppError::Transport(_) => 500,
            // 507 Insufficient Storage: the request was fine, the server could not store it.
            AppError::NoSpace => 507,
        }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError { field: field.into(), message: message.into() }])
    }

    /// The message for one field, if this error carries one.
    /// The message in the reader's language. Messages the server wrote in words of its own (a conflict, a
    /// field's limit) were written in the reader's language already (`i18n::reader`).
    pub fn message_in(&self, l: crate::i18n::Locale) -> String {
        match self {
            AppError::Unauthorized => tr!(l, "error-unauthorized"),
            AppError::Forbidden => tr!(l, "error-forbidden"),
            AppError::NotFound => tr!(l, "error-not-found"),
            AppError::Validation(_) => tr!(l, "error-validation"),
            AppError::TooManyRequests => tr!(l, "error-too-many"),
            AppError::SlowDown(seconds) => tr!(l, "error-slow-down", seconds = *seconds as i64),
            AppError::Internal => tr!(l, "error-internal"),
            AppError::NoSpace => tr!(l, "error-no-space"),
            AppError::ConsentNeeded => tr!(l, "error-consent-needed"),
            AppError::Transport(detail) => tr!(l, "error-transport", detail = detail.clone()),
            AppError::Conflict(_) | AppError::TooLarge(_) => self.to_string(),
        }
    }

    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors.iter().find(|e| e.field == field).map(|e| e.message.clone()),
            AppError::TooLarge(e) => (e.field == field).then(|| e.message.clone()),
            _ => None,
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation(errors) => errors,
            AppError::TooLarge(e) => std::slice::from_ref(e),
            _ => &[],
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                // The parser's message may quote the input: a huge field must not come back whole.
                let short: String = msg.chars().take(300).collect();
                let msg = if short.len() < msg.len() { format!("{short}…") } else { short };
                AppError::field("form", tr!(crate::i18n::reader(), "err-form-unreadable", detail = msg))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// Collects field errors so a form reports every problem at once, not the first only.
#[derive(Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), message: message.into() });
    }
    pub fn check(&mut self, ok: bool, field: &str, message: impl Into<String>) {
        if !ok {
            self.add(field, message);
        }
    }
    /// The field's value parsed, or None with `message` recorded against the field.
    pub fn parsed<T: std::str::FromStr>(&mut self, raw: &str, field: &str, message: impl Into<String>) -> Option<T> {
        let value = raw.trim().parse().ok();
        self.check(value.is_some(), field, message);
        value
    }
    /// The typed input, if every field was good: `input` is None only when a field failed to parse, and
    /// that failure is among the problems reported.
    pub fn finish<T>(self, input: Option<T>) -> Result<T, AppError> {
        match input {
            Some(input) if self.0.is_empty() => Ok(input),
            _ => Err(AppError::Validation(self.0)),
        }
    }
    pub fn into_result(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        if is_disk_full(&e) {
            AppError::NoSpace
        } else {
            AppError::Internal
        }
    }
}

/// Whether a database error means the disk (or the quota) is full: SQLite's SQLITE_FULL (13, in any of its
/// extended forms), or the operating system's ENOSPC/EDQUOT reaching us as an I/O error.
#[cfg(feature = "ssr")]
pub fn is_disk_full(e: &sqlx::Error) -> bool {
    const SQLITE_FULL: i64 = 13;
    match e {
        sqlx::Error::Database(d) => d.code().and_then(|c| c.parse::<i64>().ok()).is_some_and(|c| c & 0xff == SQLITE_FULL),
        sqlx::Error::Io(io) => is_io_full(io),
        _ => false,
    }
}

/// `is_disk_full` for a file the server writes itself (an attachment).
#[cfg(feature = "ssr")]
pub fn is_io_full(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded)
}

#[cfg(feature = "ssr")]
impl From<sqlx::migrate::MigrateError> for AppError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        tracing::error!(error = %e, "migration error");
        AppError::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::AppError;
    use crate::i18n::Locale;

    /// The catalogue's English is the message the error has always had (the server's logs and the JSON keep
    /// it), and the other languages have words of their own.
    #[test]
    fn refusals_read_in_the_readers_language() {
        let all = [
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::Validation(vec![]),
            AppError::TooManyRequests,
            AppError::SlowDown(30),
            AppError::Internal,
            AppError::NoSpace,
            AppError::Transport("timeout".into()),
        ];
        for e in &all {
            assert_eq!(e.message_in(Locale::En), e.to_string());
            assert_ne!(e.message_in(Locale::FrCa), e.to_string(), "{e:?} has no French");
            assert_ne!(e.message_in(Locale::Hi), e.to_string(), "{e:?} has no Hindi");
        }
        assert!(AppError::SlowDown(30).message_in(Locale::FrCa).contains("30 secondes"));
    }
}
