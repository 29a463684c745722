//! Notifications: written with the event, pushed live over server-sent events, reminders without
//! duplicates across runs.

mod support;

use futures_util::StreamExt;
use std::time::Duration;
use support::TestServer;

async fn send_request(s: &TestServer, subject: &str) -> String {
    let mut ncb = s.signed_in("ncb.officer").await;
    let me = support::user_id(&s.db, "ncb.officer").await.to_string();
    let c = ncb
        .ok(
            "create_case",
            &[
                ("title", "Notification test case"),
                ("summary", ""),
                ("category", "other"),
                ("priority", "normal"),
                ("tlp", "amber"),
                ("lead", &me),
                ("parties", ""),
                ("links", ""),
            ],
        )
        .await;
    let r = ncb
        .ok(
            "create_request",
            &[
                ("case_id", &c["id"].to_string()),
                ("kind", "information"),
                ("subject", subject),
                ("body", "b"),
                ("priority", "urgent"),
                ("directly_available", "true"),
                ("tlp", "amber"),
                ("to_agency", "RCMP"),
                ("legal_basis", "police"),
                ("due", ""),
                ("intent", "send"),
            ],
        )
        .await;
    r["id"].to_string()
}

#[tokio::test]
async fn the_recipient_agency_is_notified_live_and_a_reconnect_starts_from_the_database() {
    let s = TestServer::start_bare().await;
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let res = rcmp.http.get(format!("{}/events", s.base)).header("cookie", rcmp.cookie.clone().unwrap()).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut body = res.bytes_stream();
    let mut buf = String::new();
    let mut next_count = async || -> i64 {
        loop {
            if let Some(i) = buf.find("\n\n") {
                let event: String = buf.drain(..i + 2).collect();
                if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ").or_else(|| l.strip_prefix("data:"))) {
                    return data.trim().parse().unwrap();
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), body.next()).await.expect("an event within 10 s").unwrap().unwrap();
            buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    assert_eq!(next_count().await, 0, "the first event is the current count");
    let id = send_request(&s, "Live request").await;
    assert_eq!(next_count().await, 1, "pushed when the request is sent");
    // The first connection goes away: what follows is a reconnect.
    drop(body);

    let list = rcmp.ok("list_notifications", &[]).await;
    assert_eq!(list[0]["title"], "New request from NCB (urgent): Live request");
    assert_eq!(list[0]["link"], format!("/requests/{id}"));
    // A reconnect starts from what the database holds.
    let again = rcmp.http.get(format!("{}/events", s.base)).header("cookie", rcmp.cookie.clone().unwrap()).send().await.unwrap();
    let first = tokio::time::timeout(Duration::from_secs(10), again.bytes_stream().next()).await.unwrap().unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("data: 1") || String::from_utf8_lossy(&first).contains("data:1"));

    // The header's count follows marking read: one of two, then all.
    send_request(&s, "Second request").await;
    assert_eq!(rcmp.ok("unread_notifications", &[]).await, 2);
    let newest = rcmp.ok("list_notifications", &[]).await[0]["id"].to_string();
    rcmp.ok("mark_notifications_read", &[("id", &newest)]).await;
    assert_eq!(rcmp.ok("unread_notifications", &[]).await, 1);
    rcmp.ok("mark_notifications_read", &[("id", "0")]).await;
    assert_eq!(rcmp.ok("list_notifications", &[]).await[0]["read"], true);
    assert_eq!(rcmp.ok("unread_notifications", &[]).await, 0);
    // Marking again changes nothing.
    rcmp.ok("mark_notifications_read", &[("id", "0")]).await;
    assert_eq!(rcmp.ok("unread_notifications", &[]).await, 0);
    // Other agencies' officers were not notified; the sender neither.
    let mut cbsa = s.signed_in("cbsa.officer").await;
    assert_eq!(cbsa.ok("list_notifications", &[]).await.as_array().unwrap().len(), 0);
    let mut ncb = s.signed_in("ncb.officer").await;
    assert_eq!(ncb.ok("list_notifications", &[]).await.as_array().unwrap().len(), 0);
    assert_eq!(s.client().get("/events").await.status(), 401);
}

#[tokio::test]
async fn deadline_reminders_are_sent_once_even_when_the_task_runs_again() {
    let s = TestServer::start_bare().await;
    let id = send_request(&s, "Reminder request").await;
    // Make it due in 2 hours, then overdue.
    let now = chrono::Utc::now();
    sqlx::query("UPDATE requests SET due_at = ? WHERE id = ?")
        .bind(now + chrono::Duration::hours(2))
        .bind(id.parse::<i64>().unwrap())
        .execute(&s.db.pool)
        .await
        .unwrap();
    let first = app::backend::oversight::notifications::remind(&s.db, now).await.unwrap();
    let second = app::backend::oversight::notifications::remind(&s.db, now).await.unwrap();
    assert_eq!(first.len(), 1, "the one RCMP officer");
    assert!(second.is_empty(), "a second pass (or a restart) sends nothing new");
    let later = now + chrono::Duration::hours(3);
    assert_eq!(app::backend::oversight::notifications::remind(&s.db, later).await.unwrap().len(), 1, "then the overdue reminder");
    assert!(app::backend::oversight::notifications::remind(&s.db, later).await.unwrap().is_empty());
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM notifications ORDER BY id").fetch_all(&s.db.pool).await.unwrap();
    assert_eq!(kinds, vec!["new_request", "due_soon", "overdue"]);
}
