//! E-mail alerts against a real SMTP conversation: a small SMTP server in this test receives what the
//! server's mail task sends. The alert reaches the right recipient, names the reference, and holds no case
//! content; a failed sending is retried; a daily digest gathers several alerts in one e-mail.

mod support;

use std::sync::{Arc, Mutex};
use support::TestServer;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One message as the SMTP server received it: its recipients and its data.
#[derive(Clone, Debug)]
struct Received {
    to: Vec<String>,
    data: String,
}

/// A minimal SMTP server (RFC 5321's commands as a sending client uses them, no TLS) that keeps what it
/// receives.
async fn smtp_sink(listener: tokio::net::TcpListener) -> Arc<Mutex<Vec<Received>>> {
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let kept = inbox.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ready\r\n").await.unwrap();
                let (mut to, mut data, mut in_data) = (Vec::new(), String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            kept.lock().unwrap().push(Received { to: std::mem::take(&mut to), data: std::mem::take(&mut data) });
                            write.write_all(b"250 kept\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        to.push(line[8..].trim().trim_matches(|c| c == '<' || c == '>').to_string());
                        b"250 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go on\r\n"
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    inbox
}

/// The body of a message as a reader sees it (quoted-printable soft breaks joined).
fn readable(data: &str) -> String {
    data.replace("=\n", "")
}

async fn request_to_ncb(s: &TestServer, subject: &str, body: &str) -> String {
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let case = support::own_case(s, &mut rcmp, "Vehicles shipped to Mundra").await;
    let made = rcmp
        .ok(
            "create_request",
            &[
                ("case_id", &case),
                ("kind", "information"),
                ("subject", subject),
                ("body", body),
                ("priority", "high"),
                ("tlp", "amber"),
                ("to_agency", "NCB"),
                ("legal_basis", "police"),
            ],
        )
        .await;
    made["reference"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_alert_reaches_its_recipient_names_the_reference_and_holds_no_case_content() {
    let s = TestServer::start_bare().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let pw = s.passwords["ncb.officer"].clone();
    ncb.ok("set_email_alerts", &[("email", "priya.sharma@ncb.example"), ("mode", "each"), ("password", &pw)]).await;
    // An address that is not one is refused with a message on its field.
    let bad = ncb.call("set_email_alerts", &[("email", "priya@ncb\r\nBcc: spy@evil.example"), ("mode", "each"), ("password", &pw)]).await;
    assert_eq!(bad.status(), 422);
    // Nor may a session left open send the alerts elsewhere without the password.
    let hijack = ncb.call("set_email_alerts", &[("email", "thief@evil.example"), ("mode", "each"), ("password", "not it")]).await;
    assert_eq!(hijack.status(), 422);

    let reference = request_to_ncb(&s, "Owner of container TGHU 4401233", "The consignee is believed to be Sagar Traders").await;

    // The mail server is down at first: the alert waits, with the error kept.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mailer =
        server::mail::Mailer::new(&format!("smtp://127.0.0.1:{port}"), "Liaison Desk <desk@liaison.example>", "https://desk.example")
            .unwrap();
    drop(listener);
    let now = chrono::Utc::now();
    assert_eq!(server::mail::send_due(&s.db, &mailer, now).await.unwrap(), 0);
    let (status, attempts, error): (String, i64, Option<String>) =
        sqlx::query_as("SELECT status, attempts, last_error FROM email_outbox").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(error.is_some());
    // Not again before its retry time.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let inbox = smtp_sink(listener).await;
    assert_eq!(server::mail::send_due(&s.db, &mailer, now).await.unwrap(), 0);
    assert_eq!(server::mail::send_due(&s.db, &mailer, now + chrono::Duration::minutes(2)).await.unwrap(), 1);

    let got = inbox.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, ["priya.sharma@ncb.example"]);
    let text = readable(&got[0].data);
    assert!(text.contains(&reference), "names the reference {reference}: {text}");
    assert!(text.contains("New request") && text.contains("High"), "{text}");
    assert!(text.contains("https://desk.example/requests/"), "{text}");
    for secret in ["TGHU 4401233", "Owner of container", "Sagar Traders", "Vehicles shipped"] {
        assert!(!text.contains(secret), "case content {secret:?} in the e-mail: {text}");
    }
    let (sent, to): (String, String) = sqlx::query_as("SELECT status, sent_to FROM email_outbox").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!((sent.as_str(), to.as_str()), ("sent", "priya.sharma@ncb.example"), "the log says where it went");
    assert_eq!(server::mail::send_due(&s.db, &mailer, now + chrono::Duration::minutes(3)).await.unwrap(), 0, "sent once");

    // A confirmed move to another agency or role deletes the account's notifications: its e-mail log does
    // not stand in the way, and what was still queued does not go.
    request_to_ncb(&s, "Another request", "Another body").await;
    let ncb_id = support::user_id(&s.db, "ncb.officer").await;
    let mut tx = s.db.begin_write().await.unwrap();
    app::backend::oversight::notifications::forget_all(&mut tx, ncb_id).await.unwrap();
    tx.commit().await.unwrap();
    let (status, error): (String, String) =
        sqlx::query_as("SELECT status, last_error FROM email_outbox ORDER BY id DESC LIMIT 1").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!((status.as_str(), error.as_str()), ("failed", "account moved"));
    assert_eq!(server::mail::send_due(&s.db, &mailer, now + chrono::Duration::minutes(5)).await.unwrap(), 0);
}

#[tokio::test]
async fn a_daily_digest_gathers_alerts_and_alerts_off_sends_nothing() {
    let s = TestServer::start_bare().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = smtp_sink(listener).await;
    let mailer = server::mail::Mailer::new(&format!("smtp://127.0.0.1:{port}"), "desk@liaison.example", "https://desk.example").unwrap();

    let mut ncb = s.signed_in("ncb.officer").await;
    let pw = s.passwords["ncb.officer"].clone();
    ncb.ok("set_email_alerts", &[("email", "priya.sharma@ncb.example"), ("mode", "daily"), ("password", &pw)]).await;
    let first = request_to_ncb(&s, "First request subject", "First body").await;
    let second = request_to_ncb(&s, "Second request subject", "Second body").await;
    let now = chrono::Utc::now();
    assert_eq!(server::mail::send_due(&s.db, &mailer, now).await.unwrap(), 1);
    let got = inbox.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "one digest");
    let text = readable(&got[0].data);
    assert!(text.contains(&first) && text.contains(&second), "{text}");
    assert!(!text.contains("request subject"), "{text}");
    // The next alert waits for tomorrow's digest.
    request_to_ncb(&s, "Third", "Third body").await;
    assert_eq!(server::mail::send_due(&s.db, &mailer, now + chrono::Duration::hours(1)).await.unwrap(), 0);
    assert_eq!(server::mail::send_due(&s.db, &mailer, now + chrono::Duration::hours(25)).await.unwrap(), 1);

    // Alerts off: what was still queued is dropped with the reason, and nothing more is queued.
    ncb.ok("set_email_alerts", &[("email", ""), ("mode", "off"), ("password", &pw)]).await;
    request_to_ncb(&s, "Fourth", "Fourth body").await;
    assert_eq!(server::mail::send_due(&s.db, &mailer, now + chrono::Duration::hours(50)).await.unwrap(), 0);
    assert_eq!(inbox.lock().unwrap().len(), 2);
}
