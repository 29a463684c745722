//! The authorization matrix: every server function and HTTP handler, called as each kind of user on the
//! demo's objects, with the outcome the table gives; a refused call must change nothing, and a server
//! function missing from the table fails the test (so a new one cannot ship unreviewed).
//!
//! The users, on the demo's precursor case (owned by the NCB, India; the RCMP and the CBSA, Canada, are
//! parties) and its request for import records (NCB → CBSA, sent; the RCMP is not in that thread):
//! OWN ncb.officer, RCP cbsa.officer, PTY rcmp.officer, SAME cbi.officer (India, not a party),
//! OTHER cccs.officer (Canada, not a party), SIN in.supervisor, SCA ca.supervisor, ADM admin, ANON nobody.

mod support;

use std::collections::BTreeSet;
use support::{fingerprint, Client, TestServer};

/// What a call may answer: allowed (2xx), 401, 403, 404, or refused by a rule of the domain or of input
/// (409/422, with a message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum X {
    O,
    U,
    D,
    N,
    R,
}
use X::*;

const USERS: [&str; 9] =
    ["ncb.officer", "cbsa.officer", "rcmp.officer", "cbi.officer", "cccs.officer", "in.supervisor", "ca.supervisor", "admin", ""];

/// The ids the calls name, looked up in the demo data (the same in every fresh server).
#[derive(Clone, Debug, Default)]
struct Ids {
    case: i64,
    import: i64,
    export: i64,
    draft: i64,
    awaiting: i64,
    attachment: i64,
    cbi: i64,
    change: i64,
    version: i64,
    /// The case's lead (the NCB officer).
    lead: i64,
    /// The caller, and an agency of the other country party to the case (where their request goes).
    me: i64,
    other_side: &'static str,
    /// RCMP's answer to NCB given under H1 and H2, and NCB's consent request to pass it on to CBSA (awaited).
    given: i64,
    consent: i64,
}

enum Call {
    /// A server function and its form.
    Fn(&'static str, fn(&Ids) -> Vec<(&'static str, String)>),
    /// A GET of a handler.
    Get(&'static str, fn(&Ids) -> String),
    /// An upload to the import request's thread.
    Upload,
}

struct Row {
    call: Call,
    writes: bool,
    expect: [X; 9],
}

fn row(call: Call, writes: bool, expect: [X; 9]) -> Row {
    Row { call, writes, expect }
}

fn none(_: &Ids) -> Vec<(&'static str, String)> {
    vec![]
}

fn inbox_filter(_: &Ids) -> Vec<(&'static str, String)> {
    vec![("filter[direction]", "both".into())]
}

fn case_form(ids: &Ids) -> Vec<(&'static str, String)> {
    vec![
        ("title", "Matrix case".into()),
        ("summary", String::new()),
        ("category", "fraud".into()),
        ("priority", "normal".into()),
        ("tlp", "amber".into()),
        ("lead", ids.me.to_string()),
        ("parties", String::new()),
        ("links", String::new()),
    ]
}

#[rustfmt::skip]
fn table() -> Vec<Row> {
    use Call::*;
    let id = |f: fn(&Ids) -> i64| move |ids: &Ids| vec![("id", f(ids).to_string())];
    let _ = id;
    vec![
        //                                                          OWN RCP PTY SAME OTH SIN SCA ADM ANON
        row(Fn("current_user", none), false,                        [O, O, O, O, O, O, O, O, O]),
        row(Fn("demo_without_second_factor", none), false,          [O, O, O, O, O, O, O, O, O]),
        row(Fn("my_second_factor", none), false,                    [O, O, O, O, O, O, O, O, U]),
        row(Fn("list_cases", |_| vec![("filter[q]", String::new())]), false, [O, O, O, O, O, O, O, D, U]),
        row(Fn("get_case", |i| vec![("id", i.case.to_string())]), false,       [O, O, O, N, N, O, O, N, U]),
        row(Fn("open_case", |i| vec![("id", i.case.to_string())]), false,      [O, O, O, N, N, O, O, N, U]),
        row(Fn("case_history", |i| vec![("id", i.case.to_string())]), false,   [O, O, O, N, N, O, O, N, U]),
        row(Fn("case_changes", |i| vec![("id", i.case.to_string())]), false,   [O, O, O, N, N, O, O, N, U]),
        row(Fn("case_form_options", none), false,                   [O, O, O, O, O, O, O, D, U]),
        row(Fn("case_lookup", |_| vec![("q", "precursor".into())]), false, [O, O, O, O, O, O, O, D, U]),
        row(Fn("get_request", |i| vec![("id", i.import.to_string())]), false,  [O, O, N, N, N, O, O, N, U]),
        // The cross-check is the receiving side's: the sending side is refused.
        row(Fn("cross_check", |i| vec![("id", i.import.to_string())]), false,  [D, O, N, N, N, D, O, D, U]),
        row(Fn("inbox", inbox_filter), false,                               [O, O, O, O, O, O, O, D, U]),
        row(Fn("inbox_page", inbox_filter), false,                          [O, O, O, O, O, O, O, D, U]),
        row(Fn("list_requests", inbox_filter), false,                       [O, O, O, O, O, O, O, D, U]),
        row(Fn("bulk_case_options", none), false,                   [D, D, D, D, D, O, O, D, U]),
        row(Fn("approval_policy", none), false,                     [D, D, D, D, D, O, O, D, U]),
        row(Fn("dashboard", none), false,                           [D, D, D, D, D, O, O, D, U]),
        row(Fn("dashboard_page", none), false,                      [D, D, D, D, D, O, O, D, U]),
        row(Fn("list_notifications", none), false,                  [O, O, O, O, O, O, O, O, U]),
        row(Fn("unread_notifications", none), false,                [O, O, O, O, O, O, O, O, U]),
        row(Fn("search", |_| vec![("q", "fentanyl".into())]), false, [O, O, O, O, O, O, O, D, U]),
        row(Fn("list_users", |_| vec![("filter[q]", String::new())]), false, [D, D, D, D, D, D, D, O, U]),
        row(Fn("get_user", |i| vec![("id", i.cbi.to_string())]), false,        [D, D, D, D, D, D, D, O, U]),
        row(Fn("list_agencies", none), false,                       [D, D, D, D, D, D, D, O, U]),
        row(Fn("list_audit", |_| vec![("filter[page]", "0".into())]), false,   [D, D, D, D, D, O, O, O, U]),
        row(Fn("audit_actions", none), false,                       [D, D, D, D, D, O, O, O, U]),
        row(Fn("list_account_changes", none), false,                [D, D, D, D, D, O, O, O, U]),
        row(Get("stix", |i| format!("/cases/{}/indicators.stix.json", i.case)), false, [O, O, O, N, N, O, O, N, U]),
        row(Get("pdf", |i| format!("/cases/{}/report.pdf", i.case)), false,   [O, O, O, N, N, O, O, N, U]),
        row(Get("cases csv", |_| "/export/cases.csv".into()), false,            [O, O, O, O, O, O, O, D, U]),
        row(Get("requests csv", |_| "/export/requests.csv".into()), false,      [O, O, O, O, O, O, O, D, U]),
        // A file the sender added to a sent request waits, like one for a response, on its side until sent.
        row(Get("download", |i| format!("/attachments/{}", i.attachment)), false, [O, N, N, N, N, O, N, N, U]),
        row(Get("events", |_| "/events".into()), false,             [O, O, O, O, O, O, O, O, U]),
        row(Get("healthz", |_| "/healthz".into()), false,           [O, O, O, O, O, O, O, O, O]),
        // Writes: each allowed call on a fresh server; every refusal on one server, which must not change.
        row(Fn("create_case", case_form), true,                     [O, O, O, O, O, O, O, D, U]),
        row(Fn("update_case", |i| { let mut f = case_form(&Ids { me: i.lead, ..i.clone() }); f.push(("id", i.case.to_string())); f.push(("version", i.version.to_string())); f }), true,
                                                                    [O, D, D, N, N, O, D, D, U]),
        row(Fn("change_case_status", |i| vec![("id", i.case.to_string()), ("status", "closed".into())]), true,
                                                                    [O, D, D, N, N, O, D, N, U]),
        // Bulk changes are supervisors'; each case is then checked as alone (Canada's supervisor is told, in a
        // 200 report, that the NCB's case is not theirs to close).
        row(Fn("change_cases_in_bulk", |i| vec![("action", "close".into()), ("ids", i.case.to_string()), ("reason", "Matrix".into())]), true,
                                                                    [D, D, D, D, D, O, O, D, U]),
        row(Fn("add_indicator", |i| vec![("case_id", i.case.to_string()), ("kind", "domain".into()), ("value", "matrix.example".into()), ("tlp", "amber".into())]), true,
                                                                    [O, O, O, N, N, O, O, N, U]),
        row(Fn("add_entity", |i| vec![("case_id", i.case.to_string()), ("kind", "person".into()), ("name", "Matrix Person".into())]), true,
                                                                    [O, O, O, N, N, O, O, N, U]),
        row(Fn("bulk_add_indicators", |i| vec![("case_id", i.case.to_string()), ("text", "bulk.example".into()), ("tlp", "amber".into())]), true,
                                                                    [O, O, O, N, N, O, O, N, U]),
        row(Fn("create_request", |i| vec![("case_id", i.case.to_string()), ("kind", "information".into()), ("subject", "Matrix".into()), ("body", "Matrix body".into()),
            ("priority", "normal".into()), ("tlp", "amber".into()), ("to_agency", i.other_side.into()), ("legal_basis", "police".into()), ("intent", "send".into())]), true,
                                                                    [O, O, O, N, N, O, O, N, U]),
        // The draft is the CBSA officer's; Canada's supervisors act for their country's officers.
        row(Fn("send_request", |i| vec![("id", i.draft.to_string())]), true,     [N, O, N, N, N, N, O, N, U]),
        // Waiting for approval is the CCCS officer's own request: its author may not approve it.
        row(Fn("approve_request", |i| vec![("id", i.awaiting.to_string())]), true, [N, N, N, N, D, N, O, N, U]),
        // The receiving side acknowledges, answers or declines; the sending side is refused.
        row(Fn("acknowledge_request", |i| vec![("id", i.import.to_string())]), true, [D, O, N, N, N, D, O, N, U]),
        row(Fn("respond_to_request", |i| vec![("id", i.import.to_string()), ("kind", "final_answer".into()), ("body", "Matrix answer".into()),
            ("source_grade", "B".into()), ("info_grade", "2".into()), ("tlp", "amber".into()), ("h0", "on".into())]), true,
                                                                    [D, O, N, N, N, D, O, N, U]),
        row(Fn("decline_request", |i| vec![("id", i.import.to_string()), ("reason", "Matrix grounds".into())]), true,
                                                                    [D, O, N, N, N, D, O, N, U]),
        row(Fn("withdraw_request", |i| vec![("id", i.import.to_string())]), true, [O, D, N, N, N, O, D, N, U]),
        // The answered request for export licences went from the RCMP to the NCB: its sender closes it.
        row(Fn("close_request", |i| vec![("id", i.export.to_string())]), true,    [D, N, O, N, N, D, O, N, U]),
        row(Fn("set_approval_policy", |_| vec![("min_priority", "urgent".into())]), true, [D, D, D, D, D, O, O, D, U]),
        row(Fn("set_time_zone", |_| vec![("time_zone", "Europe/London".into())]), true, [O, O, O, O, O, O, O, O, U]),
        row(Fn("mark_notifications_read", |_| vec![("id", "0".into())]), true,   [O, O, O, O, O, O, O, O, U]),
        row(Upload, true,                                           [O, O, N, N, N, O, O, N, U]),
        row(Fn("create_user", |_| vec![("username", "matrix.user".into()), ("display_name", "Matrix".into()), ("role", "officer".into()),
            ("agency", "CBI".into()), ("time_zone", String::new())]), true,  [D, D, D, D, D, D, D, O, U]),
        row(Fn("update_user", |i| vec![("id", i.cbi.to_string()), ("display_name", "Arjun".into()), ("role", "supervisor".into()), ("agency", "CBI".into())]), true,
                                                                    [D, D, D, D, D, D, D, O, U]),
        row(Fn("set_user_enabled", |i| vec![("id", i.cbi.to_string()), ("enabled", "false".into())]), true, [D, D, D, D, D, D, D, O, U]),
        row(Fn("reset_user_password", |i| vec![("id", i.cbi.to_string())]), true, [D, D, D, D, D, D, D, O, U]),
        row(Fn("reset_second_factor", |i| vec![("id", i.cbi.to_string())]), true, [D, D, D, D, D, D, D, R, U]),
        row(Fn("unlock_user", |i| vec![("id", i.cbi.to_string())]), true,      [D, D, D, D, D, D, D, O, U]),
        row(Fn("create_agency", |_| vec![("code", "MTX".into()), ("name", "Matrix Agency".into()), ("country", "IN".into())]), true,
                                                                    [D, D, D, D, D, D, D, O, U]),
        row(Fn("decide_account_change", |i| vec![("id", i.change.to_string()), ("confirm", "true".into()), ("grounds", String::new())]), true,
                                                                    [D, D, D, D, D, O, N, R, U]),
        row(Fn("withdraw_account_change", |i| vec![("id", i.change.to_string())]), true, [D, D, D, D, D, D, D, O, U]),
        row(Fn("change_password", |_| vec![("current", "not it".into()), ("new_password", "orchid lantern harbour 9".into()), ("confirm", "orchid lantern harbour 9".into())]), true,
                                                                    [R, R, R, R, R, R, R, R, U]),
        row(Fn("begin_totp", |_| vec![("password", "not it".into())]), true, [R, R, R, R, R, R, R, R, U]),
        row(Fn("confirm_totp", |_| vec![("code", "000000".into())]), true,     [R, R, R, R, R, R, R, R, U]),
        row(Fn("begin_passkey", |_| vec![("name", "laptop".into()), ("password", "not it".into())]), true, [R, R, R, R, R, R, R, R, U]),
        row(Fn("finish_passkey", |_| vec![("credential", "{}".into())]), true, [R, R, R, R, R, R, R, R, U]),
        row(Fn("remove_passkey", |_| vec![("id", "999999".into()), ("password", "not it".into())]), true, [R, R, R, R, R, R, R, R, U]),
        // E-mail alerts are anyone's own setting.
        row(Fn("email_alerts", none), false,                         [O, O, O, O, O, O, O, O, U]),
        // Asks for the password again (a wrong one here).
        row(Fn("set_email_alerts", |_| vec![("email", "".into()), ("mode", "off".into()), ("password", "not it".into())]), true,
                                                                    [R, R, R, R, R, R, R, R, U]),
        // API tokens: the roles that work cases hold them; an admin has no API. Another's token is not found.
        row(Fn("my_tokens", none), false,                            [O, O, O, O, O, O, O, D, U]),
        // Making one asks for the password again (a wrong one here): refused as input, an admin not at all.
        row(Fn("create_token", |_| vec![("name", "Matrix system".into()), ("read", "on".into()), ("password", "not it".into())]), true,
                                                                    [R, R, R, R, R, R, R, D, U]),
        row(Fn("revoke_token", |_| vec![("id", "999999".into())]), true, [N, N, N, N, N, N, N, D, U]),
        // Service tokens: admins only, and only for a service account (a person's account, as here, is not found).
        row(Fn("service_tokens", |i| vec![("user", i.cbi.to_string())]), false, [D, D, D, D, D, D, D, N, U]),
        // Asking asks for the admin's password again (a wrong one here).
        row(Fn("ask_for_service_token", |i| vec![("user", i.cbi.to_string()), ("name", "Matrix system".into()), ("read", "on".into()),
            ("password", "not it".into())]), true,                   [D, D, D, D, D, D, D, R, U]),
        row(Fn("revoke_service_token", |i| vec![("user", i.cbi.to_string()), ("id", "999999".into())]), true, [D, D, D, D, D, D, D, N, U]),
        // Legal bases: each country's admins keep their list (a bad code is refused; an unknown id is not found).
        row(Fn("legal_bases", none), false,                          [D, D, D, D, D, D, D, O, U]),
        row(Fn("add_legal_basis", |_| vec![("code", "x".into()), ("label", "Matrix basis".into())]), true, [D, D, D, D, D, D, D, R, U]),
        row(Fn("retire_legal_basis", |_| vec![("id", "999999".into())]), true, [D, D, D, D, D, D, D, N, U]),
        row(Fn("retention_periods", none), false,                    [D, D, D, D, D, D, D, O, U]),
        row(Fn("set_retention_period", |_| vec![("category", "fraud".into()), ("years", "7".into())]), true, [D, D, D, D, D, D, D, O, U]),
        // Consent is asked by the side the answer was given to (NCB; here already asked, so refused as a
        // repeat), answered by the provider's side (RCMP), withdrawn by the asker's; the thread's outsiders
        // do not find it. Passing the H2 answer on to CBSA waits for consent.
        row(Fn("ask_consent", |i| vec![("response_id", i.given.to_string()), ("purpose", "pass_on".into()), ("pass_to", "CBSA".into()),
            ("reason", "Matrix reason".into())]), true,              [R, N, D, N, N, R, D, D, U]),
        row(Fn("answer_consent", |i| vec![("id", i.consent.to_string()), ("decision", "granted".into()), ("answer", "Matrix".into())]), true,
                                                                    [D, N, O, N, N, D, O, D, U]),
        row(Fn("withdraw_consent", |i| vec![("id", i.consent.to_string())]), true, [O, N, D, N, N, O, D, D, U]),
        // The import request is not marked as evidence for court: its sender is refused as a rule, its
        // recipient may not set it, the others do not find it.
        row(Fn("set_mla_reference", |i| vec![("id", i.import.to_string()), ("reference", "MLA/1".into())]), true,
                                                                    [R, D, N, N, N, R, D, N, U]),
        row(Fn("pass_on_response", |i| vec![("response_id", i.given.to_string()), ("request_id", i.import.to_string())]), true,
                                                                    [R, N, N, N, N, R, D, D, U]),
        // Retention review and the person report are supervisors' work, for their own country's cases; the
        // precursor case is not due for review (refused as a rule), and it is India's to decide.
        row(Fn("retention_due", none), false,                        [D, D, D, D, D, O, O, D, U]),
        row(Fn("decide_retention", |i| vec![("case_id", i.case.to_string()), ("decision", "purge".into()), ("reason", "Matrix reason".into())]), true,
                                                                    [D, D, D, D, D, R, D, D, U]),
        row(Fn("person_report", |_| vec![("name", "Vikram Joshi".into())]), false, [D, D, D, D, D, O, O, D, U]),
        row(Fn("pending_second_factors", none), false,              [O, O, O, O, O, O, O, O, O]),
        row(Fn("begin_passkey_sign_in", none), false,               [R, R, R, R, R, R, R, R, R]),
        row(Fn("finish_passkey_sign_in", |_| vec![("credential", "{}".into())]), true, [R, R, R, R, R, R, R, R, R]),
        row(Fn("login", |_| vec![("username", "nobody.here".into()), ("password", "not it at all".into())]), true, [R, R, R, R, R, R, R, R, R]),
        row(Fn("login_code", |_| vec![("code", "123456".into())]), true,       [R, R, R, R, R, R, R, R, R]),
        row(Fn("logout", none), true,                               [O, O, O, O, O, O, O, O, O]),
    ]
}

fn outcome(status: u16) -> Result<X, u16> {
    match status {
        200..=299 => Ok(O),
        401 => Ok(U),
        403 => Ok(D),
        404 => Ok(N),
        409 | 422 => Ok(R),
        other => Err(other),
    }
}

async fn lookup(s: &TestServer) -> Ids {
    let pool = &s.db.pool;
    let one = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap() };
    Ids {
        case: one("SELECT id FROM cases WHERE title LIKE 'Fentanyl precursor%'").await,
        import: one("SELECT id FROM requests WHERE subject LIKE 'Import records of the consignee%'").await,
        export: one("SELECT id FROM requests WHERE subject LIKE 'Export licences%'").await,
        draft: one("SELECT id FROM requests WHERE status = 'draft'").await,
        awaiting: one("SELECT id FROM requests WHERE status = 'awaiting_approval'").await,
        attachment: 0,
        cbi: one("SELECT id FROM users WHERE username = 'cbi.officer'").await,
        change: one("SELECT id FROM account_changes WHERE decision IS NULL").await,
        version: one("SELECT version FROM cases WHERE title LIKE 'Fentanyl precursor%'").await,
        lead: one("SELECT id FROM users WHERE username = 'ncb.officer'").await,
        me: 0,
        other_side: "",
        given: one("SELECT s.id FROM responses s JOIN requests r ON r.id = s.request_id WHERE r.subject LIKE 'Voyage history%'").await,
        consent: one("SELECT id FROM consents WHERE status = 'asked'").await,
    }
}

/// The ids as `user` calls with them: their own id, and where their requests go.
async fn for_user(s: &TestServer, ids: &Ids, user: &str) -> Ids {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT u.id, a.country FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.username = ?")
            .bind(user)
            .fetch_optional(&s.db.pool)
            .await
            .unwrap();
    let (me, country) = row.unwrap_or((0, "IN".into()));
    Ids { me, other_side: if country == "IN" { "RCMP" } else { "NCB" }, ..ids.clone() }
}

async fn client_for(s: &TestServer, user: &str) -> Client {
    if user.is_empty() {
        s.client()
    } else {
        s.signed_in(user).await
    }
}

/// The answer's status, and the start of its text (for the report of a cell that differs).
async fn perform(c: &mut Client, call: &Call, ids: &Ids) -> (u16, String) {
    let res = match call {
        Call::Fn(endpoint, form) => {
            let form = form(ids);
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.call(endpoint, &pairs).await
        }
        // The event stream never ends: its status is the answer.
        Call::Get("events", path) => return (c.get(&path(ids)).await.status().as_u16(), String::new()),
        Call::Get(_, path) => c.get(&path(ids)).await,
        Call::Upload => c.upload(&format!("case={}&request={}", ids.case, ids.import), "matrix.txt", b"matrix".to_vec()).await,
    };
    let status = res.status().as_u16();
    let text: String = res.text().await.unwrap_or_default().chars().take(160).collect();
    (status, text)
}

/// What a call sends, to tell whether it names an object at all.
fn describe(call: &Call, ids: &Ids) -> String {
    match call {
        Call::Fn(endpoint, form) => format!("{endpoint} {:?}", form(ids)),
        Call::Get(_, path) => path(ids),
        Call::Upload => format!("upload {} {}", ids.case, ids.import),
    }
}

fn name(call: &Call) -> String {
    match call {
        Call::Fn(endpoint, _) => (*endpoint).to_string(),
        Call::Get(label, _) => format!("GET {label}"),
        Call::Upload => "POST /attachments".into(),
    }
}

#[tokio::test]
async fn every_server_function_and_handler_answers_each_user_as_the_table_says() {
    let table = table();
    // A server function not in the table fails here: it has not been reviewed for who may call it.
    let registered: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.trim_start_matches("/api/").to_string()).collect();
    let listed: BTreeSet<String> =
        table.iter().filter_map(|r| if let Call::Fn(e, _) = r.call { Some(e.to_string()) } else { None }).collect();
    assert_eq!(registered, listed, "server functions and the table differ");

    let mut wrong = Vec::new();
    // Reads, and every refused write, on one server; the refusals must change nothing.
    let s = TestServer::start().await;
    let mut ids = lookup(&s).await;
    let mut owner = s.signed_in("ncb.officer").await;
    let res = owner.upload(&format!("case={}&request={}", ids.case, ids.import), "thread.txt", b"in the import thread".to_vec()).await;
    assert!(res.status().is_success());
    ids.attachment = sqlx::query_scalar("SELECT MAX(id) FROM attachments").fetch_one(&s.db.pool).await.unwrap();
    let mut clients = Vec::new();
    for user in USERS {
        clients.push(client_for(&s, user).await);
    }
    let mut as_user = Vec::new();
    for user in USERS {
        as_user.push(for_user(&s, &ids, user).await);
    }
    for r in table.iter().filter(|r| !r.writes) {
        for (i, c) in clients.iter_mut().enumerate() {
            let (got, text) = perform(c, &r.call, &as_user[i]).await;
            if outcome(got) != Ok(r.expect[i]) {
                wrong.push(format!("{} as {:?}: expected {:?}, got {got} {text}", name(&r.call), USERS[i], r.expect[i]));
            }
        }
    }
    for r in table.iter().filter(|r| r.writes) {
        for (i, c) in clients.iter_mut().enumerate() {
            if r.expect[i] == O {
                continue;
            }
            let before = fingerprint(&s).await;
            let (got, text) = perform(c, &r.call, &as_user[i]).await;
            if outcome(got) != Ok(r.expect[i]) {
                wrong.push(format!("{} as {:?}: expected {:?}, got {got} {text}", name(&r.call), USERS[i], r.expect[i]));
            }
            if fingerprint(&s).await != before {
                wrong.push(format!("{} as {:?} was refused ({got}) but changed data", name(&r.call), USERS[i]));
            }
        }
    }
    // The same calls on objects that do not exist: never allowed, never an error of the server, and
    // nothing changes; whoever may not see such an object at all cannot tell it from a missing one.
    let missing = |ids: &Ids| Ids {
        case: 999_999,
        import: 999_998,
        export: 999_997,
        draft: 999_996,
        awaiting: 999_995,
        attachment: 999_994,
        cbi: 999_993,
        change: 999_992,
        given: 999_991,
        consent: 999_990,
        ..ids.clone()
    };
    for r in &table {
        for (i, c) in clients.iter_mut().enumerate() {
            let (real, gone) = (&as_user[i], missing(&as_user[i]));
            if describe(&r.call, real) == describe(&r.call, &gone) {
                continue;
            }
            let allowed: &[X] = match r.expect[i] {
                U => &[U],
                O | N => &[N],
                D => &[D, N],
                R => &[R, N],
            };
            let before = fingerprint(&s).await;
            let (got, text) = perform(c, &r.call, &gone).await;
            if !outcome(got).is_ok_and(|x| allowed.contains(&x)) {
                wrong.push(format!(
                    "{} on a missing object as {:?}: expected one of {allowed:?}, got {got} {text}",
                    name(&r.call),
                    USERS[i]
                ));
            }
            if fingerprint(&s).await != before {
                wrong.push(format!("{} on a missing object as {:?} changed data", name(&r.call), USERS[i]));
            }
        }
    }
    // Each allowed write on a fresh server, so that one does not spoil the next.
    for r in table.iter().filter(|r| r.writes) {
        for (i, user) in USERS.iter().enumerate() {
            if r.expect[i] != O {
                continue;
            }
            let fresh = TestServer::start().await;
            let ids = for_user(&fresh, &lookup(&fresh).await, user).await;
            let mut c = client_for(&fresh, user).await;
            let (got, text) = perform(&mut c, &r.call, &ids).await;
            if outcome(got) != Ok(O) {
                wrong.push(format!("{} as {user:?}: expected O, got {got} {text}", name(&r.call)));
            }
        }
    }
    assert!(wrong.is_empty(), "{} cells differ from the table:\n{}", wrong.len(), wrong.join("\n"));
}
