//! E-mail alerts: which queued alerts are due, what each e-mail says, and what became of a sending. The
//! queue is filled by the database as notifications are written (migration 0026); the server's mail task
//! sends (SMTP is the server's business, not this module's).
//!
//! An alert never carries case content: only the kind of event, the request's reference, its priority,
//! its due time and a link. The subject line of a request is case content, so it is never in an e-mail.

use crate::backend::platform::db::Tx;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{EmailAlerts, Priority};
use chrono::{DateTime, Duration, Utc};
use sqlx::SqliteConnection;

/// Tries before an alert is given up on, and the wait before the first retry (doubling each time).
pub const MAX_ATTEMPTS: i64 = 12;
/// An alert not sent within this long is dropped as stale (a mail server down for days, or none configured):
/// a flood of old alerts when it comes back would bury the current ones.
const STALE_HOURS: i64 = 48;
const FIRST_RETRY_SECS: i64 = 60;
/// The longest address kept (RFC 5321's limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// An address as a person types it, checked enough to be worth sending to: one `@`, something on each side,
/// a dot in the domain, no spaces or control characters. Empty means none.
pub fn parse_address(text: &str) -> Result<Option<String>, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let valid = t.chars().count() <= MAX_EMAIL_CHARS
        && !t.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
        && matches!(t.split_once('@'), Some((local, domain)) if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@'));
    if valid {
        Ok(Some(t.to_string()))
    } else {
        Err(AppError::field("email", tr!(crate::i18n::reader(), "err-give-e-mail-address-such")))
    }
}

/// One queued alert, with what its e-mail may say.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Alert {
    pub id: i64,
    pub user_id: i64,
    pub email: String,
    pub mode: EmailAlerts,
    pub locale: Option<Locale>,
    pub time_zone: String,
    pub kind: String,
    pub request_id: Option<i64>,
    pub reference: Option<String>,
    pub priority: Option<Priority>,
    pub due_at: Option<DateTime<Utc>>,
    pub attempts: i64,
}

/// Alerts due to go now: those of accounts alerted for each event whose (re)try time has come, and every
/// pending alert of accounts on the daily digest whose last digest is a day old; only to someone whose
/// agency is still an end of the request (or, for a supervisor, whose country is), oldest first. The address and setting
/// are read now (a changed or removed address is used or honoured); alerts of accounts that turned alerts
/// off, removed their address or were disabled are dropped by `drop_unwanted`.
pub async fn due(conn: &mut SqliteConnection, now: DateTime<Utc>, limit: i64) -> Result<Vec<Alert>, AppError> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.user_id, u.email, u.email_alerts AS mode, u.locale, u.time_zone, o.kind, o.request_id, \
                c.reference || '/R' || r.id AS reference, r.priority, r.due_at, o.attempts \
         FROM email_outbox o JOIN users u ON u.id = o.user_id \
         LEFT JOIN requests r ON r.id = o.request_id LEFT JOIN cases c ON c.id = r.case_id \
         WHERE o.status = 'pending' AND o.next_attempt_at <= ?1 AND u.email IS NOT NULL AND u.status = 'active' \
           AND (u.email_alerts = 'each' OR (u.email_alerts = 'daily' AND (u.email_digest_at IS NULL OR u.email_digest_at <= ?2))) \
           AND (o.request_id IS NULL OR EXISTS (SELECT 1 FROM agencies me, agencies fa, agencies ta \
                WHERE me.id = u.agency_id AND fa.id = r.from_agency_id AND ta.id = r.to_agency_id \
                  AND (me.id IN (fa.id, ta.id) OR (u.role = 'supervisor' AND me.country IN (fa.country, ta.country))))) \
         ORDER BY o.next_attempt_at, o.id LIMIT ?3",
    )
    .bind(now)
    .bind(now - Duration::hours(24))
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Alerts nobody wants any more (alerts turned off, address removed, account disabled): marked failed with
/// the reason, so the log says why they did not go.
pub async fn drop_unwanted(tx: &mut Tx, now: DateTime<Utc>) -> Result<u64, AppError> {
    let unwanted = sqlx::query(
        "UPDATE email_outbox SET status = 'failed', last_error = 'alerts off, no address or account disabled' \
         WHERE status = 'pending' AND user_id IN (SELECT id FROM users WHERE email_alerts = 'off' OR email IS NULL OR status <> 'active')",
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let stale = sqlx::query(&format!(
        "UPDATE email_outbox SET status = 'failed', last_error = 'not sent within {STALE_HOURS} hours' \
         WHERE status = 'pending' AND created_at < ?"
    ))
    .bind(now - Duration::hours(STALE_HOURS))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(unwanted + stale)
}

/// The account moved to another agency or role: what was queued for its former position does not go.
pub async fn drop_for_move(tx: &mut Tx, user_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE email_outbox SET status = 'failed', last_error = 'account moved' WHERE status = 'pending' AND user_id = ?")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One e-mail: to whom, and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// What one alert says in a line: the event and the reference, with priority and due time.
fn line(a: &Alert, l: Locale) -> String {
    let what = match a.kind.as_str() {
        "new_request" => tr!(l, "mail-new-request"),
        "response" => tr!(l, "mail-response"),
        "due_soon" => tr!(l, "mail-due-soon"),
        "overdue" => tr!(l, "mail-overdue"),
        "approval_needed" => tr!(l, "mail-approval"),
        "consent_asked" => tr!(l, "mail-consent"),
        "consent_answered" => tr!(l, "mail-consent-answered"),
        "consent_due_soon" => tr!(l, "mail-consent-due-soon"),
        "consent_overdue" => tr!(l, "mail-consent-overdue"),
        _ => tr!(l, "mail-other"),
    };
    let reference = a.reference.clone().unwrap_or_default();
    let mut out = format!("{what}: {reference}");
    if let Some(p) = a.priority {
        out += &format!(" · {}", crate::i18n::LabelIn::label_in(p, l));
    }
    // A consent's deadline is its own, not its request's: the alert names only the reference.
    if let Some(due) = a.due_at.filter(|_| !a.kind.starts_with("consent_")) {
        out += &format!(" · {}", tr!(l, "mail-due", when = crate::backend::platform::time::display_in(l, due, &a.time_zone)));
    }
    out
}

fn link(a: &Alert, public_url: &str) -> String {
    match a.request_id {
        Some(id) => format!("{}/requests/{id}", public_url.trim_end_matches('/')),
        None => format!("{}/notifications", public_url.trim_end_matches('/')),
    }
}

/// The e-mail for one account's alerts: one alert alone, or a digest of several. All of one account.
pub fn compose(alerts: &[Alert], public_url: &str) -> Option<Email> {
    let first = alerts.first()?;
    let l = first.locale.unwrap_or_default();
    let (subject, mut body) = if alerts.len() == 1 {
        (format!("[Liaison Desk] {}", line(first, l)), format!("{}\n\n{}\n", line(first, l), link(first, public_url)))
    } else {
        let mut body = format!("{}\n\n", tr!(l, "mail-digest-intro"));
        for a in alerts {
            body += &format!("- {}\n  {}\n", line(a, l), link(a, public_url));
        }
        (format!("[Liaison Desk] {}", tr!(l, "mail-digest-subject", count = alerts.len() as i64)), body)
    };
    body += &format!("\n--\n{}\n", tr!(l, "mail-footer"));
    Some(Email { to: first.email.clone(), subject, body })
}

/// Sent: recorded with the time (the log), and a digest account's last digest noted.
pub async fn mark_sent(tx: &mut Tx, alerts: &[Alert], now: DateTime<Utc>) -> Result<(), AppError> {
    for a in alerts {
        sqlx::query("UPDATE email_outbox SET status = 'sent', sent_at = ?, sent_to = ?, attempts = attempts + 1 WHERE id = ?")
            .bind(now)
            .bind(&a.email)
            .bind(a.id)
            .execute(&mut **tx)
            .await?;
    }
    if let Some(a) = alerts.first().filter(|a| a.mode == EmailAlerts::Daily) {
        sqlx::query("UPDATE users SET email_digest_at = ? WHERE id = ?").bind(now).bind(a.user_id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Not sent: tried again later (1, 2, 4… minutes), given up after `MAX_ATTEMPTS` with the last error kept.
pub async fn mark_failed(tx: &mut Tx, alerts: &[Alert], error: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let error: String = error.chars().take(500).collect();
    for a in alerts {
        let attempts = a.attempts + 1;
        let wait = Duration::seconds(FIRST_RETRY_SECS << (attempts - 1).clamp(0, 16));
        let status = if attempts >= MAX_ATTEMPTS { "failed" } else { "pending" };
        sqlx::query("UPDATE email_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?")
            .bind(status)
            .bind(attempts)
            .bind(now + wait)
            .bind(&error)
            .bind(a.id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Saves an account's address and choice.
pub async fn set_preference(tx: &mut Tx, user_id: i64, email: Option<&str>, mode: EmailAlerts) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET email = ?, email_alerts = ? WHERE id = ?")
        .bind(email)
        .bind(mode)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An account's address and choice, for its profile.
pub async fn preference(conn: &mut SqliteConnection, user_id: i64) -> Result<(Option<String>, EmailAlerts), AppError> {
    Ok(sqlx::query_as("SELECT email, email_alerts FROM users WHERE id = ?").bind(user_id).fetch_one(conn).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(kind: &str) -> Alert {
        Alert {
            id: 1,
            user_id: 7,
            email: "daniel.tremblay@rcmp.example".into(),
            mode: EmailAlerts::Each,
            locale: None,
            time_zone: "America/Toronto".into(),
            kind: kind.into(),
            request_id: Some(34),
            reference: Some("LD-2026-000012/R34".into()),
            priority: Some(Priority::High),
            due_at: Some(DateTime::parse_from_rfc3339("2026-12-03T19:00:00Z").unwrap().with_timezone(&Utc)),
            attempts: 0,
        }
    }

    #[test]
    fn an_alert_names_the_reference_priority_and_due_time_and_links_to_it() {
        let e = compose(&[alert("new_request")], "https://desk.example.gc.ca/").unwrap();
        assert_eq!(e.to, "daniel.tremblay@rcmp.example");
        assert_eq!(e.subject, "[Liaison Desk] New request: LD-2026-000012/R34 · High · due 2026-12-03 14:00 EST");
        assert!(e.body.contains("https://desk.example.gc.ca/requests/34"), "{}", e.body);
    }

    #[test]
    fn a_digest_lists_each_alert_in_the_readers_language() {
        let mut fr = alert("overdue");
        fr.locale = Some(Locale::FrCa);
        let mut second = fr.clone();
        second.kind = "response".into();
        second.reference = Some("LD-2026-000013/R40".into());
        second.request_id = Some(40);
        let e = compose(&[fr, second], "https://desk.example.gc.ca").unwrap();
        assert!(e.subject.contains('2'), "{}", e.subject);
        assert!(e.body.contains("LD-2026-000012/R34") && e.body.contains("LD-2026-000013/R40"));
        assert!(e.body.contains("/requests/40"));
        assert!(e.body.contains("En retard"), "{}", e.body);
    }

    #[test]
    fn an_address_is_checked_and_nothing_else_gets_in() {
        assert_eq!(parse_address("  priya@ncb.gov.in "), Ok(Some("priya@ncb.gov.in".into())));
        assert_eq!(parse_address(""), Ok(None));
        for bad in ["priya", "priya@", "@ncb.gov.in", "priya@ncb", "a b@ncb.gov.in", "x@y.in\r\nBcc: z@w.in", "a@b.c,d@e.f", "<a@b.cd>"] {
            assert!(parse_address(bad).is_err(), "{bad:?}");
        }
    }
}
