//! `POST /language`: the switch in every page's header. Sets the language cookie, saves the choice for a
//! signed-in account (so it follows the officer to another browser at sign-in), and sends the reader back
//! to the page they were on. A plain form, so it works before (or without) the page's script.

use app::backend::platform::audit::{self, Event};
use app::backend::platform::auth::AuthSession;
use app::backend::platform::client_addr::ClientAddr;
use app::backend::platform::users;
use app::backend::state::{self, Activity};
use app::backend::AppState;
use app::i18n::{self, Locale};
use axum::extract::{Form, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Choice {
    lang: String,
    /// The page the switch was on.
    #[serde(default)]
    back: String,
}

pub async fn choose(
    State(app): State<AppState>,
    mut session: AuthSession,
    addr: Option<Extension<ClientAddr>>,
    Form(choice): Form<Choice>,
) -> Response {
    // Only the languages offered: the pseudo-locale is for tests, which set the cookie themselves.
    let Some(locale) = Locale::parse(&choice.lang).filter(|l| Locale::OFFERED.contains(l)) else {
        let offered: Vec<&str> = Locale::OFFERED.iter().map(|l| l.label()).collect();
        return (StatusCode::BAD_REQUEST, format!("Unknown language. Choose one of: {}.", offered.join(", "))).into_response();
    };
    // Signed in (even with a password still to change): the account keeps the choice. Not signed in, or the
    // session has ended: the cookie alone.
    let ip = addr.map(|Extension(a)| a.0.to_string());
    if let Ok(actor) = state::actor_from_session(&app, &mut session, ip, Activity::User).await {
        // The same choice again (a double click, a loop) writes and audits nothing.
        let unchanged = session.user.as_ref().is_some_and(|u| u.row.locale == Some(locale));
        if !unchanged {
            if let Err(e) = save(&app, &actor, locale).await {
                // The reader still gets the language in this browser; only the saved choice is missing.
                tracing::warn!(error = %e, user = actor.id(), "the language choice was not saved");
            }
        }
    }
    let mut res = StatusCode::SEE_OTHER.into_response();
    let headers = res.headers_mut();
    headers.insert(header::LOCATION, HeaderValue::from_str(safe_back(&choice.back)).unwrap_or(HeaderValue::from_static("/")));
    if let Ok(cookie) = HeaderValue::from_str(&i18n::cookie(locale, app.settings.secure_cookies)) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    res
}

async fn save(app: &AppState, actor: &app::backend::Actor, locale: Locale) -> Result<(), app::error::AppError> {
    let mut tx = app.db.begin_write().await?;
    users::set_locale(&mut tx, actor.id(), locale).await?;
    let details = serde_json::json!({"locale": locale.as_str()});
    audit::record(&mut tx, &actor.who, Event::new("profile.language").on("user", actor.id()).details(details)).await?;
    // No kept page shows an account's language (the inbox is kept per request language), so the pages
    // kept for everyone stay valid.
    tx.commit_untracked().await?;
    Ok(())
}

/// Where to send the reader back to: a path on this site only. Anything else (another site, `//host`,
/// `/\host` which browsers read as `//host`, control characters, a very long value) goes to the home page.
fn safe_back(back: &str) -> &str {
    let local = back.starts_with('/') && !back.starts_with("//") && !back.starts_with("/\\");
    if local && back.len() <= 2048 && !back.contains('\\') && !back.chars().any(char::is_control) {
        back
    } else {
        "/"
    }
}

/// Answers the whole request in its reader's language (`i18n::READER`): what the backend writes itself (a
/// field's message, a refusal) follows the reader on the REST API and in uploads too, not only on pages.
pub async fn with_reader(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let locale = i18n::locale_of(req.headers());
    i18n::READER.scope(locale, next.run(req)).await
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn the_reader_goes_back_only_to_a_page_of_this_site() {
        assert_eq!(safe_back("/cases/12?tab=requests"), "/cases/12?tab=requests");
        assert_eq!(safe_back("/login"), "/login");
        for hostile in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "/a\\b",
            "/a\r\nSet-Cookie: x=1",
            "",
            "cases",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_back(hostile), "/", "{hostile:?}");
        }
        assert_eq!(safe_back(&format!("/{}", "a".repeat(3000))), "/");
    }
}
