//! Demo data for `make run` and `liaison-desk demo-data`: the agencies of DOMAIN.md and one account per
//! role and side, each with a freshly generated password (there is no default password anywhere).

use crate::backend::platform::audit::{self, Event, Who};
use crate::backend::platform::db::{Db, Tx};
use crate::backend::{platform::agencies, platform::passwords, platform::users};
use crate::error::AppError;
use crate::model::{
    CaseStatus, Category, Conditions, ConsentPurpose, ConsentStatus, Country, EntityKind, IndicatorKind, InfoGrade, Priority, RequestKind,
    RequestStatus, ResponseKind, Role, SessionUser, SourceGrade, Tlp,
};
use serde_json::json;

pub const AGENCIES: &[(&str, &str, Country)] = &[
    ("CBI", "Central Bureau of Investigation", Country::India),
    ("NIA", "National Investigation Agency", Country::India),
    ("NCB", "Narcotics Control Bureau", Country::India),
    ("CERT-IN", "Indian Computer Emergency Response Team (CERT-In)", Country::India),
    ("I4C", "Indian Cyber Crime Coordination Centre", Country::India),
    ("RCMP", "Royal Canadian Mounted Police", Country::Canada),
    ("CSIS", "Canadian Security Intelligence Service", Country::Canada),
    ("CBSA", "Canada Border Services Agency", Country::Canada),
    ("CCCS", "Canadian Centre for Cyber Security", Country::Canada),
    ("PS", "Public Safety Canada", Country::Canada),
];

/// (username, display name, role, agency)
pub const ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    ("admin", "Meera Joshi (Admin)", Role::Admin, "PS"),
    // A second admin: making someone an admin takes one admin asking and another confirming.
    ("second.admin", "Luc Bergeron (Admin)", Role::Admin, "PS"),
    ("in.supervisor", "Rajesh Kumar", Role::Supervisor, "NCB"),
    ("ca.supervisor", "Sarah Thompson", Role::Supervisor, "RCMP"),
    ("ncb.officer", "Priya Sharma", Role::Officer, "NCB"),
    ("cbi.officer", "Arjun Mehta", Role::Officer, "CBI"),
    ("certin.officer", "Kavya Iyer", Role::Officer, "CERT-IN"),
    ("rcmp.officer", "Daniel Tremblay", Role::Officer, "RCMP"),
    ("cbsa.officer", "Emily Chen", Role::Officer, "CBSA"),
    ("cccs.officer", "Marc Gagnon", Role::Officer, "CCCS"),
];

pub struct DemoAccount {
    pub username: String,
    pub role: Role,
    pub agency: String,
    pub password: String,
    /// What is special about it, for the credentials file ("" for a ready account).
    pub note: &'static str,
}

/// The account the demo's admin has asked for and a supervisor has not confirmed yet (four-eyes).
pub const PENDING_ACCOUNT: (&str, &str, Role, &str) = ("nia.officer", "Vikram Singh", Role::Officer, "NIA");

/// Loads the demo agencies, accounts, cases and requests. Refuses a database that already has users.
pub async fn load(db: &Db) -> Result<Vec<DemoAccount>, AppError> {
    let mut accounts = load_accounts(db).await?;
    load_exchange(db).await?;
    accounts.push(load_pending_account(db).await?);
    Ok(accounts)
}

/// Only the agencies and accounts (tests that need a known, empty exchange start here).
pub async fn load_accounts(db: &Db) -> Result<Vec<DemoAccount>, AppError> {
    if users::count(&db.pool).await? > 0 {
        return Err(AppError::Conflict("The database already has users; demo data is only loaded into an empty one.".into()));
    }
    let mut issued = Vec::new();
    let mut hashes = Vec::new();
    for (username, ..) in ACCOUNTS {
        let password = passwords::generate();
        hashes.push(passwords::hash(password.clone()).await);
        issued.push((username, password));
    }
    let mut tx = db.begin_write().await?;
    let system = Who { username: Some("system".into()), ..Who::default() };
    for (code, name, country) in AGENCIES {
        let a = agencies::insert(&mut tx, code, name, *country).await?;
        audit::record(
            &mut tx,
            &system,
            Event::new("agency.create").on("agency", a.id).details(json!({"code": code, "source": "demo-data"})),
        )
        .await?;
    }
    let mut out = Vec::new();
    for ((username, display_name, role, agency), ((_, password), hash)) in ACCOUNTS.iter().zip(issued.into_iter().zip(hashes)) {
        let new = users::NewUser {
            username: username.to_string(),
            display_name: display_name.to_string(),
            role: *role,
            agency_code: agency.to_string(),
            time_zone: None,
            service: false,
        };
        let row = users::insert(&mut tx, &new, &hash, users::PasswordKind::Chosen).await?;
        // Trying the product stays two commands: the demo's own accounts sign in without a second factor.
        users::exempt_from_second_factor(&mut tx, row.id).await?;
        audit::record(
            &mut tx,
            &system,
            Event::new("user.create")
                .on("user", row.id)
                .details(json!({"username": username, "role": role.as_str(), "source": "demo-data"})),
        )
        .await?;
        out.push(DemoAccount { username: username.to_string(), role: *role, agency: agency.to_string(), password, note: "" });
    }
    tx.commit().await?;
    Ok(out)
}

/// A new officer account that the admin asked for and that waits for India's supervisor: it has no
/// password anyone knows until in.supervisor confirms it on the confirmations page and receives one.
async fn load_pending_account(db: &Db) -> Result<DemoAccount, AppError> {
    use crate::backend::platform::account_changes::{self, Proposal};
    use crate::model::{ChangeKind, UserStatus};
    let (username, display_name, role, agency) = PENDING_ACCOUNT;
    let unknown = passwords::hash(passwords::generate()).await;
    let mut tx = db.begin_write().await?;
    let admin = users::by_username(&mut tx, "admin").await?.ok_or(AppError::Internal)?;
    let new = users::NewUser {
        username: username.into(),
        display_name: display_name.into(),
        role,
        agency_code: agency.into(),
        time_zone: None,
        service: false,
    };
    let row = users::insert(&mut tx, &new, &unknown, users::PasswordKind::Temporary { until: chrono::Utc::now() }).await?;
    users::set_status(&mut tx, row.id, UserStatus::Disabled).await?;
    let change = account_changes::propose(&mut tx, &row, Proposal::of(ChangeKind::Create), admin.id).await?;
    let who = Who {
        user_id: Some(admin.id),
        username: Some(admin.username.clone()),
        agency_code: Some(admin.agency_code.clone()),
        country: Some(admin.country),
        client_ip: None,
        api_token: None,
    };
    let details =
        json!({"username": username, "role": role.as_str(), "agency": agency, "awaiting_confirmation": change.id, "source": "demo-data"});
    audit::record(&mut tx, &who, Event::new("user.create").on("user", row.id).details(details)).await?;
    tx.commit().await?;
    let note = "no password yet: in.supervisor confirms it under Confirmations and receives one";
    Ok(DemoAccount { username: username.into(), role, agency: agency.into(), password: "-".into(), note })
}

/// (owner officer, category, priority, tlp, title, summary, other parties, final status)
type CaseSeed = (&'static str, Category, Priority, Tlp, &'static str, &'static str, &'static [&'static str], CaseStatus);

const CASES: &[CaseSeed] = &[
    (
        "ncb.officer",
        Category::DrugPrecursors,
        Priority::Urgent,
        Tlp::Amber,
        "Fentanyl precursor shipment traced through the Port of Vancouver",
        "Two containers declared as industrial solvents (consignor in Navi Mumbai) are believed to carry 4-AP and 1-boc-4-AP. \
Bills of lading and the Canadian consignee's registration are needed before the vessel berths.",
        &["RCMP", "CBSA"],
        CaseStatus::Active,
    ),
    (
        "certin.officer",
        Category::Ransomware,
        Priority::High,
        Tlp::AmberStrict,
        "Ransomware attack on a hospital network in Pune",
        "LockBit-style encryption of the radiology and billing systems; exfiltration to infrastructure hosted in Canada. \
Indicators below; decryption negotiations are not being pursued.",
        &["CCCS"],
        CaseStatus::Active,
    ),
    (
        "cbi.officer",
        Category::Fraud,
        Priority::High,
        Tlp::Amber,
        "Investment-fraud call centre targeting Canadian seniors",
        "A call centre in Gurugram is cold-calling Ontario residents with a fake crypto-investment scheme. Victims' \
payments go through Canadian money-service businesses.",
        &["RCMP"],
        CaseStatus::Active,
    ),
    (
        "cbsa.officer",
        Category::Immigration,
        Priority::Normal,
        Tlp::Amber,
        "Visa-fraud ring using forged Indian educational documents",
        "Study-permit applications with forged degree certificates from three Indian universities; an agent network in \
Punjab and Brampton is suspected.",
        &["CBI"],
        CaseStatus::Open,
    ),
    (
        "rcmp.officer",
        Category::ViolentExtremism,
        Priority::Urgent,
        Tlp::Red,
        "Online radicalisation network recruiting through gaming platforms",
        "Accounts operated from both countries share propaganda and attack manuals; two minors in Ontario were contacted.",
        &["NIA"],
        CaseStatus::Active,
    ),
    (
        "cccs.officer",
        Category::CyberIncident,
        Priority::High,
        Tlp::Amber,
        "Intrusion against a power-grid operator's remote-access gateway",
        "Exploitation of a VPN appliance at a Canadian grid operator; the same actor is reported against an Indian utility.",
        &["CERT-IN"],
        CaseStatus::Open,
    ),
    (
        "ncb.officer",
        Category::OrganisedCrime,
        Priority::Normal,
        Tlp::Green,
        "Hawala network moving drug proceeds between Toronto and Amritsar",
        "Closed after joint arrests; kept for reference.",
        &["RCMP"],
        CaseStatus::Closed,
    ),
];

/// (case index, sender, recipient agency, kind, priority, directly available, subject, body, hours ago sent, final status, response)
type RequestSeed = (
    usize,
    &'static str,
    &'static str,
    RequestKind,
    Priority,
    bool,
    &'static str,
    &'static str,
    i64,
    RequestStatus,
    Option<(&'static str, ResponseKind, &'static str)>,
);

const REQUESTS: &[RequestSeed] = &[
    (
        0,
        "ncb.officer",
        "CBSA",
        RequestKind::Information,
        Priority::Urgent,
        true,
        "Import records of the consignee of container MSCU 4471902",
        "Please provide the import history and registration details of the Canadian consignee named on the bill of lading.",
        10,
        RequestStatus::Sent,
        None,
    ),
    (
        0,
        "ncb.officer",
        "RCMP",
        RequestKind::Assistance,
        Priority::High,
        false,
        "Discreet observation of the consignee's warehouse in Surrey",
        "We ask the RCMP to observe the consignee's warehouse when the containers are delivered, without alerting the consignee.",
        30,
        RequestStatus::Acknowledged,
        None,
    ),
    (
        0,
        "rcmp.officer",
        "NCB",
        RequestKind::Information,
        Priority::Normal,
        false,
        "Export licences of the Navi Mumbai consignor",
        "Which export licences does the consignor hold for controlled precursors, and since when?",
        100,
        RequestStatus::Answered,
        Some((
            "ncb.officer",
            ResponseKind::FinalAnswer,
            "The consignor holds no licence for 4-AP or its derivatives. Its licence for acetone lapsed in March.",
        )),
    ),
    (
        1,
        "certin.officer",
        "CCCS",
        RequestKind::IntelligenceShare,
        Priority::High,
        false,
        "Indicators from the Pune hospital intrusion",
        "For your awareness: the attached indicators were observed during the intrusion. No answer needed.",
        20,
        RequestStatus::Sent,
        None,
    ),
    (
        1,
        "cccs.officer",
        "CERT-IN",
        RequestKind::Information,
        Priority::Urgent,
        false,
        "Ransom note and encryptor sample",
        "Could you share the ransom note and a sample of the encryptor (hash-verified) for comparison with Canadian cases?",
        50,
        RequestStatus::InProgress,
        Some((
            "certin.officer",
            ResponseKind::PartialAnswer,
            "The ransom note is attached to the case. The encryptor sample will follow once legal review is complete.",
        )),
    ),
    (
        2,
        "rcmp.officer",
        "CBI",
        RequestKind::EvidencePreservation,
        Priority::Normal,
        false,
        "Preserve call-detail records of 14 numbers",
        "Please ask the providers to preserve call-detail and subscriber records of the 14 numbers listed for 180 days.",
        48,
        RequestStatus::Sent,
        None,
    ),
    (
        2,
        "cbi.officer",
        "RCMP",
        RequestKind::Clarification,
        Priority::Normal,
        false,
        "Which victims have filed complaints?",
        "To match complaints with the call centre's lead lists, which victims filed police complaints in Ontario?",
        200,
        RequestStatus::Declined,
        None,
    ),
    (
        3,
        "cbsa.officer",
        "CBI",
        RequestKind::Information,
        Priority::Normal,
        false,
        "Verify three degree certificates",
        "Can the issuing universities confirm whether these three certificates are genuine?",
        120,
        RequestStatus::Withdrawn,
        None,
    ),
    (
        3,
        "cbsa.officer",
        "NIA",
        RequestKind::Information,
        Priority::Low,
        false,
        "Agent network links to organised crime",
        "Do you hold information linking the named agents to organised-crime groups?",
        0,
        RequestStatus::Draft,
        None,
    ),
    (
        4,
        "rcmp.officer",
        "NIA",
        RequestKind::Information,
        Priority::Urgent,
        false,
        "Subscriber data behind two gaming accounts",
        "Please identify the operators of the two accounts named in the case summary.",
        300,
        RequestStatus::Closed,
        Some(("rcmp.officer", ResponseKind::FinalAnswer, "placeholder")),
    ),
    (
        5,
        "cccs.officer",
        "CERT-IN",
        RequestKind::Information,
        Priority::Urgent,
        true,
        "Has the same VPN exploit been seen in India?",
        "Have you observed exploitation of the same VPN appliance vulnerability against Indian utilities?",
        0,
        RequestStatus::AwaitingApproval,
        None,
    ),
];

async fn user(tx: &mut Tx, name: &str) -> Result<SessionUser, AppError> {
    Ok(users::by_username(tx, name).await?.ok_or(AppError::Internal)?.session_user())
}

/// A believable picture for the demo: cases across categories and requests in every status, some overdue.
async fn load_exchange(db: &Db) -> Result<(), AppError> {
    let system = Who { username: Some("system".into()), ..Who::default() };
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE agencies SET approval_min_priority = 'urgent' WHERE code = 'CCCS'").execute(&mut *tx).await?;
    let case_ids = demo_cases(&mut tx, &system).await?;
    let now = chrono::Utc::now();
    for seed in REQUESTS {
        demo_request(&mut tx, &system, &case_ids, seed, now).await?;
    }
    demo_records(&mut tx, &case_ids).await?;
    demo_conditions(&mut tx, &system, &case_ids, now).await?;
    for (i, (_, _, _, _, _, _, _, status)) in CASES.iter().enumerate() {
        if *status != CaseStatus::Open {
            let (id, owner) = &case_ids[i];
            crate::backend::exchange::cases::set_status(&mut tx, owner, *id, *status).await?;
        }
    }
    // The hawala case was closed five years ago: India's supervisors find it due for retention review.
    let (hawala, _) = &case_ids[6];
    sqlx::query("UPDATE cases SET closed_at = ?, review_at = ? WHERE id = ?")
        .bind(now - chrono::Duration::days(5 * 365 + 12))
        .bind(now - chrono::Duration::days(10))
        .bind(hawala)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The demo cases, each with its lead (who owns it) in the order of `CASES`.
async fn demo_cases(tx: &mut Tx, system: &Who) -> Result<Vec<(i64, SessionUser)>, AppError> {
    use crate::backend::exchange::cases;
    let mut case_ids = Vec::new();
    for (owner, category, priority, tlp, title, summary, parties, _) in CASES {
        let u = user(tx, owner).await?;
        let input = cases::CaseInput {
            title: title.to_string(),
            summary: summary.to_string(),
            category: *category,
            priority: *priority,
            tlp: *tlp,
            lead_user_id: u.id,
            party_codes: parties.iter().map(|p| p.to_string()).collect(),
            link_references: vec![],
        };
        let (id, reference) = cases::create(tx, &u, crate::backend::exchange::policy::Visibility::Agency(u.agency_id), &input).await?;
        audit::record(
            tx,
            system,
            Event::new("case.create").on("case", id).case(id).details(json!({"reference": reference, "source": "demo-data"})),
        )
        .await?;
        case_ids.push((id, u));
    }
    Ok(case_ids)
}

/// A demo request's form as typed: under police-to-police cooperation, except a preservation, asked ahead of
/// a formal mutual-legal-assistance request as evidence for court; H0 on all.
fn demo_input(
    kind: RequestKind,
    priority: Priority,
    direct: bool,
    subject: &str,
    body: &str,
    to: &str,
) -> crate::backend::exchange::requests::RequestInput {
    let preservation = kind == RequestKind::EvidencePreservation;
    crate::backend::exchange::requests::RequestInput {
        kind,
        subject: subject.to_string(),
        body: body.to_string(),
        priority,
        tlp: Tlp::Amber,
        directly_available: direct,
        to_agency_code: to.to_string(),
        requested_due: None,
        draft: true,
        legal_basis_code: if preservation { "mla_treaty" } else { "police" }.into(),
        legal_basis_note: String::new(),
        for_court: preservation,
        mla_reference: String::new(),
        conditions: Conditions { h0: true, ..Conditions::default() },
    }
}

/// One demo request, brought to its seeded status with the events that lead there.
async fn demo_request(
    tx: &mut Tx,
    system: &Who,
    case_ids: &[(i64, SessionUser)],
    seed: &RequestSeed,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    use crate::backend::exchange::requests;
    let (case, sender, to, kind, priority, direct, subject, body, hours_ago, status, response) = seed;
    let policy = crate::backend::exchange::deadlines::DeadlinePolicy::default();
    let (case_id, _) = &case_ids[*case];
    let u = user(tx, sender).await?;
    let to_id = crate::backend::exchange::cases::agency_ids(tx, &[to.to_string()], "to").await?[0];
    let input = demo_input(*kind, *priority, *direct, subject, body, to);
    let id =
        requests::create_draft(tx, requests::Route { case_id: *case_id, from_agency: u.agency_id, to_agency: to_id }, &input, &u).await?;
    if !crate::backend::exchange::rules::Unsent::holds(*status) {
        let sent = now - chrono::Duration::hours(*hours_ago);
        let route = requests::Route { case_id: *case_id, from_agency: u.agency_id, to_agency: to_id };
        requests::mark_sent(tx, id, route, policy.default_due(*kind, *priority, *direct, sent), sent).await?;
    }
    if let Some((author, rkind, text)) = response {
        let author = user(tx, author).await?;
        let (recipient, text) = if *text == "placeholder" {
            (user(tx, "in.supervisor").await?, "Both accounts are operated from Jaipur; subscriber details are attached to the NIA file.")
        } else {
            (author, *text)
        };
        let r = requests::ResponseInput {
            kind: *rkind,
            body: text.into(),
            source_grade: Some(SourceGrade::B),
            info_grade: Some(InfoGrade::Two),
            tlp: Tlp::Amber,
            attachments: vec![],
            conditions: Conditions { h0: true, ..Conditions::default() },
        };
        requests::insert_response(tx, id, &recipient, &r).await?;
    }
    match status {
        RequestStatus::Acknowledged | RequestStatus::InProgress => {
            let ack_by = user(
                tx,
                match *to {
                    "RCMP" => "rcmp.officer",
                    "CERT-IN" => "certin.officer",
                    _ => "ncb.officer",
                },
            )
            .await?;
            requests::mark_acknowledged(tx, id, &ack_by).await?;
            if *status == RequestStatus::InProgress {
                requests::mark(tx, id, RequestStatus::InProgress).await?;
            }
        }
        RequestStatus::Declined => {
            requests::mark_declined(tx, id, "Complaints data is held by Ontario municipal police services; please ask them directly.")
                .await?
        }
        RequestStatus::Answered | RequestStatus::Closed | RequestStatus::Withdrawn | RequestStatus::AwaitingApproval => {
            requests::mark(tx, id, *status).await?
        }
        _ => {}
    }
    audit::record(
        tx,
        system,
        Event::new("request.create").on("request", id).case(*case_id).details(json!({"status": status.as_str(), "source": "demo-data"})),
    )
    .await?;
    Ok(())
}

/// Consent asked by `by.0` on `asked` and granted by `by.1` with `answer`.
async fn granted_consent(
    tx: &mut Tx,
    info: &crate::backend::exchange::consents::GivenInfo,
    ask: &crate::backend::exchange::consents::ConsentAsk,
    by: (&SessionUser, &SessionUser),
    asked: chrono::DateTime<chrono::Utc>,
    answer: &str,
) -> Result<(), AppError> {
    use crate::backend::exchange::consents::{self, ConsentAnswer};
    let asker = consents::Asker { party: info.receiver, user_id: by.0.id };
    let k = consents::ask(tx, info, ask, None, &asker, asked, consents::due(asked, 5)).await?;
    let row = consents::load(tx, k).await?.ok_or(AppError::Internal)?;
    let grant = ConsentAnswer { id: k, decision: ConsentStatus::Granted, answer: answer.into() };
    consents::answer(tx, &row, &grant, by.1).await
}

/// Conditions of use in each state: RCMP answered NCB under H1 and H2; NCB asked consent to use the answer
/// in court (granted, with a condition) and to pass it on to CBSA (not answered, overdue).
async fn demo_conditions(
    tx: &mut Tx,
    system: &Who,
    case_ids: &[(i64, SessionUser)],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    use crate::backend::exchange::consents::{self, ConsentAsk};
    use crate::backend::exchange::requests;
    let (case_id, _) = &case_ids[0];
    let (ncb, rcmp) = (user(tx, "ncb.officer").await?, user(tx, "rcmp.officer").await?);
    let input = requests::RequestInput {
        kind: RequestKind::Information,
        subject: "Voyage history of MV Pacific Meridian".into(),
        body: "Please provide the ports of call of MV Pacific Meridian since January, for the prosecution of the importers.".into(),
        priority: Priority::High,
        tlp: Tlp::Amber,
        directly_available: false,
        to_agency_code: "RCMP".into(),
        requested_due: None,
        draft: true,
        legal_basis_code: "police".into(),
        legal_basis_note: "Ahead of a formal request under the 1994 treaty.".into(),
        for_court: true,
        mla_reference: String::new(),
        conditions: Conditions { h0: true, ..Conditions::default() },
    };
    let route = requests::Route { case_id: *case_id, from_agency: ncb.agency_id, to_agency: rcmp.agency_id };
    let id = requests::create_draft(tx, route, &input, &ncb).await?;
    let sent = now - chrono::Duration::days(9);
    requests::mark_sent(tx, id, route, Some(sent + chrono::Duration::days(7)), sent).await?;
    requests::mark_acknowledged(tx, id, &rcmp).await?;
    let answer = requests::ResponseInput {
        kind: ResponseKind::FinalAnswer,
        body: "Vancouver (14 Jan), Busan (2 Mar), Nhava Sheva (19 Apr), Vancouver (30 Jun). Port records held by the Port Authority."
            .into(),
        source_grade: Some(SourceGrade::A),
        info_grade: Some(InfoGrade::Two),
        tlp: Tlp::Amber,
        attachments: vec![],
        conditions: Conditions { h0: true, h1: true, h2: true, h3: None },
    };
    let response = requests::insert_response(tx, id, &rcmp, &answer).await?;
    requests::mark(tx, id, RequestStatus::Answered).await?;
    let (info, _, _) = consents::given(tx, response).await?.ok_or(AppError::Internal)?;
    let asked = now - chrono::Duration::days(6);
    let court = ConsentAsk {
        response_id: response,
        purpose: ConsentPurpose::Judicial,
        pass_to_code: None,
        reason: "The Mumbai prosecutor will file the ports of call as evidence against the importers.".into(),
    };
    let granted = "Granted for the trial of the importers only; cite the Port Authority as the source.";
    granted_consent(tx, &info, &court, (&ncb, &rcmp), asked, granted).await?;
    // Granted to export as well, so NCB's report of the case may carry it (without it, H2 holds the report back).
    let export = ConsentAsk {
        response_id: response,
        purpose: ConsentPurpose::Export,
        pass_to_code: None,
        reason: "The case report goes into the prosecutor's briefing file.".into(),
    };
    granted_consent(tx, &info, &export, (&ncb, &rcmp), asked, "For the briefing file; not to be copied further.").await?;
    let cbsa = crate::backend::exchange::cases::agency_ids(tx, &["CBSA".to_string()], "to").await?[0];
    let pass = ConsentAsk {
        response_id: response,
        purpose: ConsentPurpose::PassOn,
        pass_to_code: Some("CBSA".into()),
        reason: "CBSA would flag the vessel's next arrival.".into(),
    };
    let asker = consents::Asker { party: info.receiver, user_id: ncb.id };
    consents::ask(tx, &info, &pass, Some(cbsa), &asker, asked, consents::due(asked, 5)).await?;
    audit::record(
        tx,
        system,
        Event::new("request.create")
            .on("request", id)
            .case(*case_id)
            .details(json!({"status": "answered", "source": "demo-data", "consents": 3})),
    )
    .await?;
    Ok(())
}

/// Indicators and entities, chosen so that the cross-check finds something.
async fn demo_records(tx: &mut Tx, case_ids: &[(i64, SessionUser)]) -> Result<(), AppError> {
    use crate::backend::exchange::{entities, indicators};
    let (ransomware_case, certin) = &case_ids[1];
    for (kind, value) in [
        (IndicatorKind::Ipv4, "198.51.100.23"),
        (IndicatorKind::Ipv4, "203.0.113.77"),
        (IndicatorKind::Domain, "hospital-billing-update.example"),
        (IndicatorKind::Url, "https://files.hospital-billing-update.example/upd.exe"),
        (IndicatorKind::Sha256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        (IndicatorKind::CryptoWallet, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
        (IndicatorKind::Email, "recovery@protonmail.example"),
    ] {
        let n = indicators::NewIndicator {
            kind,
            value: value.into(),
            tlp: Tlp::AmberStrict,
            first_seen: chrono::NaiveDate::from_ymd_opt(2026, 11, 2),
            last_seen: None,
            note: String::new(),
            conditions: Conditions { h0: true, ..Conditions::default() },
        };
        indicators::insert(tx, *ransomware_case, certin, &n).await?;
    }
    // The grid-intrusion case shares an address with the hospital intrusion: CCCS's cross-check finds it.
    let (grid_case, cccs) = &case_ids[5];
    let n = indicators::NewIndicator {
        kind: IndicatorKind::Ipv4,
        value: "203.0.113.77".into(),
        tlp: Tlp::Amber,
        first_seen: chrono::NaiveDate::from_ymd_opt(2026, 10, 28),
        last_seen: None,
        note: "VPN exploitation source".into(),
        // From a partner's sensor: not for a courtroom without its provider's consent.
        conditions: Conditions { h0: true, h1: true, ..Conditions::default() },
    };
    indicators::insert(tx, *grid_case, cccs, &n).await?;
    // The Cyber Centre's own sighting on CERT-In's case, under H2: CERT-In reads it on the case page, but its
    // STIX export, report and TAXII feed leave it out until the Cyber Centre gives it without H2.
    let n = indicators::NewIndicator {
        kind: IndicatorKind::Domain,
        value: "update-check.lockbit-panel.example".into(),
        tlp: Tlp::Amber,
        first_seen: chrono::NaiveDate::from_ymd_opt(2026, 11, 3),
        last_seen: None,
        note: "Seen by the Cyber Centre's sensors".into(),
        conditions: Conditions { h2: true, ..Conditions::default() },
    };
    indicators::insert(tx, *ransomware_case, cccs, &n).await?;
    // The precursor consignee was already known from the closed hawala case, written another way: RCMP's
    // cross-check of NCB's observation request finds it.
    for (case, kind, name, identifier) in [
        (0, EntityKind::Company, "Coastal Chemical Distributors Ltd.", "BC1187342"),
        (0, EntityKind::Vessel, "MV Pacific Meridian", "IMO 9321483"),
        (0, EntityKind::Person, "Vikram Joshi", "1979-04-12"),
        (6, EntityKind::Company, "COASTAL CHEMICAL DISTRIBUTORS LIMITED", ""),
        (6, EntityKind::Person, "Gurpreet Sandhu", "1984-09-30"),
    ] {
        let (case_id, owner) = &case_ids[case];
        let n = entities::NewEntity { kind, name: name.into(), identifier: identifier.into(), note: String::new() };
        entities::insert(tx, *case_id, owner, &n).await?;
    }
    Ok(())
}
