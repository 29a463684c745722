//! Sending the e-mail alerts the database queued (`backend::oversight::alerts`) through SMTP (`lettre`),
//! off when `LD_SMTP_URL` is not set. A task tries every few seconds; a failed sending is tried again later
//! with the error kept in the outbox, which is the send log.

use app::backend::oversight::alerts::{self, Alert};
use app::backend::platform::db::Db;
use app::error::AppError;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How often the task looks for alerts to send.
const EVERY: Duration = Duration::from_secs(15);
/// Alerts read per round.
const BATCH: i64 = 200;

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

impl Mailer {
    /// From `LD_SMTP_URL` (`smtp://host:25`, `smtp://user:pass@host:587?tls=required`, `smtps://host:465`),
    /// `LD_SMTP_FROM` and the address users open.
    pub fn new(url: &str, from: &str, public_url: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("LD_SMTP_URL is not an SMTP address: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| format!("LD_SMTP_FROM {from:?} is not an address: {e}"))?;
        Ok(Mailer { transport, from, public_url: public_url.to_string() })
    }

    async fn send(&self, email: &alerts::Email) -> Result<(), String> {
        let to: Mailbox = email.to.parse().map_err(|e| format!("bad address: {e}"))?;
        // Quoted-printable: the text stays readable as sent, whatever the reader's language.
        let body = Body::new_with_encoding(email.body.clone(), ContentTransferEncoding::QuotedPrintable)
            .map_err(|_| "the text cannot be sent as quoted-printable".to_string())?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// The e-mails one round makes: an account alerted for each event gets one per alert; an account on the
/// daily digest one for all its alerts.
fn group(due: Vec<Alert>) -> Vec<Vec<Alert>> {
    let mut groups: Vec<Vec<Alert>> = Vec::new();
    for a in due {
        let digest = a.mode == app::model::EmailAlerts::Daily;
        match groups.iter_mut().find(|g| digest && g[0].user_id == a.user_id) {
            Some(g) => g.push(a),
            None => groups.push(vec![a]),
        }
    }
    groups
}

/// One round: drops alerts nobody wants any more, sends those due, and records each outcome. Answers how
/// many e-mails went.
pub async fn send_due(db: &Db, mailer: &Mailer, now: chrono::DateTime<chrono::Utc>) -> Result<usize, AppError> {
    let mut tx = db.begin_write().await?;
    alerts::drop_unwanted(&mut tx, now).await?;
    tx.commit_untracked().await?;
    let due = alerts::due(&mut *db.pool.acquire().await?, now, BATCH).await?;
    let mut sent = 0;
    for group in group(due) {
        let Some(email) = alerts::compose(&group, &mailer.public_url) else { continue };
        let outcome = mailer.send(&email).await;
        let mut tx = db.begin_write().await?;
        match &outcome {
            Ok(()) => {
                alerts::mark_sent(&mut tx, &group, now).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(error = %e, alerts = group.len(), "e-mail alert not sent; will retry");
                alerts::mark_failed(&mut tx, &group, e, now).await?;
            }
        }
        tx.commit_untracked().await?;
        // A failure most often means the mail server is unreachable: the rest wait for the next round
        // instead of each waiting out its own timeout now.
        if outcome.is_err() {
            break;
        }
    }
    Ok(sent)
}

/// Without a mail server: alerts nobody will send are still marked (stale, unwanted) so the outbox does not
/// grow into a flood for the day one is configured.
pub fn spawn_sweeper(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let swept = async {
                let mut tx = db.begin_write().await?;
                alerts::drop_unwanted(&mut tx, chrono::Utc::now()).await?;
                tx.commit_untracked().await.map_err(AppError::from)
            };
            if let Err(e) = swept.await {
                tracing::warn!(error = %e, "e-mail outbox sweep failed; will retry");
            }
        }
    });
}

/// Sends alerts for as long as the server runs.
pub fn spawn(db: Db, mailer: Mailer) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            if let Err(e) = send_due(&db, &mailer, chrono::Utc::now()).await {
                tracing::warn!(error = %e, "e-mail alerts failed; will retry");
            }
        }
    });
}
