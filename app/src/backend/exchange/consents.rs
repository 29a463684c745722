//! Handling conditions on what is given, and consent to lift them: asked of the provider by the agency it
//! was given to, with its own deadline, answered granted, partly granted or refused; and passing a
//! response's information on with a request to a third agency, which H2 forbids until consent allows it.
//! Who may ask, answer or pass on is decided in `policy`; this module holds the rules and their SQL.

use crate::backend::exchange::cases::CaseAccess;
use crate::backend::exchange::deadlines;
use crate::backend::exchange::policy::Party;
use crate::backend::exchange::requests::RequestRow;
use crate::backend::platform::db::Tx;
use crate::backend::platform::time::shown;
use crate::error::{AppError, Problems};
use crate::model::*;
use chrono::{DateTime, Duration, Utc};
use sqlx::SqliteConnection;

/// Awaiting the provider's answer: asked, not yet answered or withdrawn.
pub struct ConsentAwaited;

impl ConsentAwaited {
    pub const SQL: &'static str = "k.status = 'asked'";
    pub fn holds(status: ConsentStatus) -> bool {
        status == ConsentStatus::Asked
    }
}

/// Overdue: awaited and its due time has passed (at the due instant it is not yet overdue, as requests).
pub struct ConsentOverdue;

impl ConsentOverdue {
    /// With `now` the expression of the current time (a parameter such as `?1`).
    pub fn sql(now: &str) -> String {
        format!("({} AND k.due_at < {now})", ConsentAwaited::SQL)
    }
    pub fn holds(status: ConsentStatus, due: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        ConsentAwaited::holds(status) && now > due
    }
}

/// Due soon: awaited, not yet overdue, and due within the next 24 hours, as for requests (the reminder).
pub struct ConsentDueSoon;

impl ConsentDueSoon {
    /// With `now` and `until` (`now + 24 h`) the expressions of the window (parameters such as `?1`, `?2`).
    pub fn sql(now: &str, until: &str) -> String {
        format!("({} AND k.due_at >= {now} AND k.due_at < {until})", ConsentAwaited::SQL)
    }
    pub fn holds(status: ConsentStatus, due: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        ConsentAwaited::holds(status) && due >= now && due < now + crate::backend::exchange::rules::DueSoon::within()
    }
}

/// How often the same consent (the same response, purpose and agency to pass it to) may be asked: three
/// times a day by one person, six by their agency, withdrawn and refused asks counted. Each ask alerts the
/// provider's officers, so an ask withdrawn and made again in a loop would flood them; a real second
/// thought fits in three, and one officer's loop does not use up their colleagues' asks.
pub struct AskLimit;

impl AskLimit {
    pub const PER_PERSON: i64 = 3;
    pub const PER_AGENCY: i64 = 6;
    /// `?1` the response, `?2` the purpose, `?3` the agency to pass to (NULL for none), `?4` the asking
    /// agency, `?5` the asking user, `?6` a day ago: the asks of the last day by that user and by the agency.
    pub const SQL: &'static str = "SELECT COALESCE(SUM(k.asked_by = ?5), 0), COUNT(*) FROM consents k WHERE k.response_id = ?1 \
        AND k.purpose = ?2 AND k.pass_to_agency_id IS ?3 AND k.from_agency_id = ?4 AND k.asked_at > ?6";
    /// None while another ask is allowed, else the limit reached.
    pub fn reached(by_person: i64, by_agency: i64) -> Option<i64> {
        if by_person >= Self::PER_PERSON {
            Some(Self::PER_PERSON)
        } else if by_agency >= Self::PER_AGENCY {
            Some(Self::PER_AGENCY)
        } else {
            None
        }
    }
}

/// H2 lifted for one agency: the provider granted (wholly or in part) consent to pass the response on to
/// it. `?1` is the response, `?2` the agency.
pub struct PassOnLifted;

impl PassOnLifted {
    pub const SQL: &'static str = "EXISTS (SELECT 1 FROM consents k WHERE k.response_id = ?1 AND k.purpose = 'pass_on' \
        AND k.pass_to_agency_id = ?2 AND k.status IN ('granted', 'partly_granted'))";
    pub fn holds(consents: &[(ConsentPurpose, Option<i64>, ConsentStatus)], to_agency: i64) -> bool {
        consents.iter().any(|(purpose, to, status)| *purpose == ConsentPurpose::PassOn && *to == Some(to_agency) && status.lifts())
    }
}

/// H2 lifted for exports (the case's PDF report) by the viewer's side: the provider granted (wholly or in
/// part) the consent to export the response `s` that this side asked for. A grant to one holder is not one
/// to another (the agency it was passed on to, say).
pub struct ExportLifted;

impl ExportLifted {
    pub fn push(q: &mut sqlx::QueryBuilder<'_, sqlx::Sqlite>, viewer: &SessionUser) {
        q.push(
            "EXISTS (SELECT 1 FROM consents k JOIN agencies ka ON ka.id = k.from_agency_id WHERE k.response_id = s.id \
             AND k.purpose = 'export' AND k.status IN ('granted', 'partly_granted') AND ",
        );
        crate::backend::exchange::policy::push_on_side(q, viewer, "k.from_agency_id", "ka.country");
        q.push(")");
    }
}

/// Held back from the viewer's exports: an answer under H2 that the case carries for the viewer, on one of
/// its requests or passed on with one (`passed_on`), whose provider is not on the viewer's side and has not
/// consented to the viewer's side exporting it (`ExportLifted`). Only requests the viewer sees count
/// (`policy::push_request_exists_for`); an answer's provider is the recipient of the request it answered
/// (`policy::given_by`). The export is refused while any is held; each is named.
pub async fn held_from_export(conn: &mut SqliteConnection, case_id: i64, viewer: &SessionUser) -> Result<Vec<HeldBack>, AppError> {
    let mut q: sqlx::QueryBuilder<sqlx::Sqlite> = sqlx::QueryBuilder::new("");
    // `r` is the case's request the viewer reads it on; `o` the request it answered (the same, unless passed on).
    for (i, carried) in
        ["s.request_id = r.id", "s.id IN (SELECT p.response_id FROM passed_on p WHERE p.request_id = r.id)"].iter().enumerate()
    {
        if i > 0 {
            q.push(" UNION ");
        }
        q.push(format!(
            "SELECT s.id AS response_id, r.id AS request_id, ta.code AS provider FROM requests r JOIN responses s ON {carried} \
             JOIN requests o ON o.id = s.request_id JOIN agencies ta ON ta.id = o.to_agency_id \
             WHERE s.h2 = 1 AND s.kind IN ('partial_answer', 'final_answer') AND r.case_id = "
        ));
        q.push_bind(case_id).push(" AND NOT ");
        ExportLifted::push(&mut q, viewer);
        q.push(" AND NOT ");
        crate::backend::exchange::policy::push_on_side(&mut q, viewer, "o.to_agency_id", "ta.country");
        crate::backend::exchange::policy::push_request_exists_for(&mut q, viewer);
    }
    q.push(" ORDER BY 1, 2");
    Ok(q.build_query_as::<(i64, i64, String)>()
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|(response_id, request_id, provider)| HeldBack { response_id, request_id, provider })
        .collect())
}

/// The refusal of an export while `held` is not empty: which answers hold it back and from whom, in the
/// reader's language.
pub fn ensure_none_held(held: &[HeldBack]) -> Result<(), AppError> {
    if held.is_empty() {
        return Ok(());
    }
    let list = held.iter().map(|h| format!("R{} ({})", h.request_id, h.provider)).collect::<Vec<_>>().join(", ");
    Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-export-held-h2", answers = list)))
}

/// A response as the consent rules see it: what it is, under what, who gave it and to whom.
#[derive(Clone, Debug)]
pub struct GivenInfo {
    pub response_id: i64,
    pub request_id: i64,
    pub case_id: i64,
    pub kind: ResponseKind,
    pub tlp: Tlp,
    pub conditions: Conditions,
    /// By the request's ends (`policy::given_by`): the end that gave it, and the end it was given to.
    pub provider: Party,
    pub receiver: Party,
}

impl GivenInfo {
    pub fn as_policy(&self) -> crate::backend::exchange::policy::Given<'_> {
        crate::backend::exchange::policy::Given {
            kind: self.kind,
            tlp: self.tlp,
            conditions: &self.conditions,
            provider: self.provider,
            receiver: self.receiver,
        }
    }
}

#[derive(sqlx::FromRow)]
struct GivenRow {
    id: i64,
    request_id: i64,
    kind: ResponseKind,
    tlp: Tlp,
    h0: bool,
    h1: bool,
    h2: bool,
    h3: Option<String>,
}

/// The response and its request (with the case's access), or None if either does not exist.
pub async fn given(conn: &mut SqliteConnection, response_id: i64) -> Result<Option<(GivenInfo, RequestRow, CaseAccess)>, AppError> {
    let row: Option<GivenRow> =
        sqlx::query_as("SELECT s.id, s.request_id, s.kind, s.tlp, s.h0, s.h1, s.h2, s.h3 FROM responses s WHERE s.id = ?")
            .bind(response_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(r) = row else { return Ok(None) };
    let Some((request, access)) = crate::backend::exchange::requests::load(conn, r.request_id).await? else { return Ok(None) };
    let (provider, receiver) = crate::backend::exchange::policy::given_by(r.kind, request.sides());
    let info = GivenInfo {
        response_id: r.id,
        request_id: r.request_id,
        case_id: request.case_id,
        kind: r.kind,
        tlp: r.tlp,
        conditions: Conditions { h0: r.h0, h1: r.h1, h2: r.h2, h3: r.h3 },
        provider,
        receiver,
    };
    Ok(Some((info, request, access)))
}

/// How a user holds what a response gave: through its own thread, or through requests it was passed on with.
pub struct Holding {
    /// Who holds it besides the agency it was given to, as far as the user sees (`policy::consent_asker`):
    /// the case's owner if the user sees the thread; else the recipients of the requests it was passed on
    /// with that the user sees.
    pub holders: Vec<crate::backend::exchange::policy::Party>,
    /// Whether the user sees the response's own thread (else they read it passed on only).
    pub sees_thread: bool,
}

/// The most requests a response's passing on is read through for one user: those sent to the user's side.
const PASSED_ON_READ: i64 = 20;

/// How `user` holds the response answered on `row` (in its case `access`); NotFound if they see it nowhere.
/// Whoever sees the thread holds it as an end or as the case's owner, so the requests it was passed on
/// with are read only for the others: the sent ones whose recipient is on the user's side (their sending
/// end is the receiver or the provider, `policy::ensure_may_pass_on`).
pub async fn holding(
    conn: &mut SqliteConnection,
    user: &SessionUser,
    row: &RequestRow,
    access: &CaseAccess,
    response_id: i64,
) -> Result<Holding, AppError> {
    use crate::backend::exchange::policy::{ensure_request, push_on_side, RequestOp};
    if ensure_request(user, &access.parties, row.sides(), RequestOp::View).is_ok() {
        return Ok(Holding { holders: vec![access.owner], sees_thread: true });
    }
    let mut q = sqlx::QueryBuilder::new(
        "SELECT p.request_id FROM passed_on p JOIN requests r ON r.id = p.request_id JOIN agencies ta ON ta.id = r.to_agency_id \
         WHERE p.response_id = ",
    );
    q.push_bind(response_id).push(" AND ").push(crate::backend::exchange::rules::HasBeenSent::SQL).push(" AND ");
    push_on_side(&mut q, user, "r.to_agency_id", "ta.country");
    q.push(" ORDER BY p.id LIMIT ").push_bind(PASSED_ON_READ);
    let passed: Vec<i64> = q.build_query_scalar().fetch_all(&mut *conn).await?;
    let mut holders = Vec::new();
    for id in passed {
        let Some((r, a)) = crate::backend::exchange::requests::load(conn, id).await? else { continue };
        if ensure_request(user, &a.parties, r.sides(), RequestOp::View).is_ok() {
            holders.push(r.sides().to);
        }
    }
    if holders.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(Holding { holders, sees_thread: false })
}

/// The request the asking agency reads a consent's answer on, and its subject (what its alert names): the
/// response's own thread if it is an end of it or owns its case, else the first sent request it was passed
/// on to it with. None when it holds it through neither any more (its alert then names no request).
pub async fn asker_reads_on(
    conn: &mut SqliteConnection,
    consent: &ConsentRow,
    row: &RequestRow,
    owner: Party,
) -> Result<Option<(i64, String)>, AppError> {
    let asker = consent.from_agency_id;
    if [row.from_agency_id, row.to_agency_id, owner.agency_id].contains(&asker) {
        return Ok(Some((row.id, row.subject.clone())));
    }
    Ok(sqlx::query_as(&format!(
        "SELECT r.id, r.subject FROM passed_on p JOIN requests r ON r.id = p.request_id \
         WHERE p.response_id = ? AND r.to_agency_id = ? AND {} ORDER BY p.id LIMIT 1",
        crate::backend::exchange::rules::HasBeenSent::SQL
    ))
    .bind(consent.response_id)
    .bind(asker)
    .fetch_optional(conn)
    .await?)
}

/// Consent asked as the form gives it.
#[derive(Debug)]
pub struct ConsentAsk {
    pub response_id: i64,
    pub purpose: ConsentPurpose,
    pub pass_to_code: Option<String>,
    pub reason: String,
}

impl ConsentAsk {
    pub fn parse(form: &ConsentForm) -> Result<Self, AppError> {
        let mut p = Problems::default();
        let response_id: Option<i64> =
            p.parsed(&form.response_id, "response_id", tr!(crate::i18n::reader(), "err-choose-response-you-ask-consent"));
        let purpose: Option<ConsentPurpose> =
            p.parsed(&form.purpose, "purpose", tr!(crate::i18n::reader(), "err-choose-what-you-ask-consent"));
        let pass_to = form.pass_to.trim().to_uppercase();
        let passing = purpose == Some(ConsentPurpose::PassOn);
        p.check(!passing || !pass_to.is_empty(), "pass_to", tr!(crate::i18n::reader(), "err-choose-agency-you-would-pass"));
        let reason = crate::i18n::plain_text(&form.reason);
        p.check(!reason.is_empty(), "reason", tr!(crate::i18n::reader(), "err-say-why-you-ask-what"));
        p.check(reason.chars().count() <= 5000, "reason", tr!(crate::i18n::reader(), "err-reason-limited-5-000-characters"));
        let ask =
            (|| Some(ConsentAsk { response_id: response_id?, purpose: purpose?, pass_to_code: passing.then_some(pass_to), reason }))();
        p.finish(ask)
    }
}

/// Whether the response carries the condition this purpose would lift (else there is nothing to ask).
pub fn restricts(conditions: &Conditions, purpose: ConsentPurpose) -> bool {
    match purpose {
        ConsentPurpose::Judicial => conditions.h1,
        ConsentPurpose::PassOn | ConsentPurpose::Export => conditions.h2,
        ConsentPurpose::Other => conditions.h3.is_some(),
    }
}

/// Who asks: the party asking (`policy::consent_asker`) and the person.
pub struct Asker {
    pub party: Party,
    pub user_id: i64,
}

/// Records the ask. The caller has checked who asks (`policy::consent_asker`) and that the response
/// restricts this purpose; a second open ask by the same party for the same purpose (and agency) is refused.
pub async fn ask(
    tx: &mut Tx,
    info: &GivenInfo,
    ask: &ConsentAsk,
    pass_to: Option<i64>,
    asker: &Asker,
    now: DateTime<Utc>,
    due: DateTime<Utc>,
) -> Result<i64, AppError> {
    let open: bool = sqlx::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM consents k WHERE k.response_id = ? AND k.purpose = ? AND k.pass_to_agency_id IS ? \
         AND k.from_agency_id = ? AND {})",
        ConsentAwaited::SQL
    ))
    .bind(info.response_id)
    .bind(ask.purpose.as_str())
    .bind(pass_to)
    .bind(asker.party.agency_id)
    .fetch_one(&mut **tx)
    .await?;
    if open {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-consent-has-already-been-asked")));
    }
    // Granted once is granted: asking again would only notify the provider's officers again.
    let granted: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM consents k WHERE k.response_id = ? AND k.purpose = ? AND k.pass_to_agency_id IS ? \
         AND k.from_agency_id = ? AND k.status = 'granted')",
    )
    .bind(info.response_id)
    .bind(ask.purpose.as_str())
    .bind(pass_to)
    .bind(asker.party.agency_id)
    .fetch_one(&mut **tx)
    .await?;
    if granted {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-consent-already-granted")));
    }
    let (by_person, by_agency): (i64, i64) = sqlx::query_as(AskLimit::SQL)
        .bind(info.response_id)
        .bind(ask.purpose.as_str())
        .bind(pass_to)
        .bind(asker.party.agency_id)
        .bind(asker.user_id)
        .bind(now - Duration::days(1))
        .fetch_one(&mut **tx)
        .await?;
    if let Some(times) = AskLimit::reached(by_person, by_agency) {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-consent-asked-too-often", times = times)));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO consents (response_id, request_id, case_id, from_agency_id, to_agency_id, purpose, pass_to_agency_id, reason, \
         asked_by, asked_at, due_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
    )
    .bind(info.response_id)
    .bind(info.request_id)
    .bind(info.case_id)
    .bind(asker.party.agency_id)
    .bind(info.provider.agency_id)
    .bind(ask.purpose.as_str())
    .bind(pass_to)
    .bind(&ask.reason)
    .bind(asker.user_id)
    .bind(now)
    .bind(due)
    .fetch_one(&mut **tx)
    .await?)
}

/// The provider's answer as the form gives it.
#[derive(Debug)]
pub struct ConsentAnswer {
    pub id: i64,
    pub decision: ConsentStatus,
    pub answer: String,
}

impl ConsentAnswer {
    pub fn parse(form: &ConsentAnswerForm) -> Result<Self, AppError> {
        let mut p = Problems::default();
        let id: Option<i64> = p.parsed(&form.id, "id", tr!(crate::i18n::reader(), "err-choose-consent-request-you-answer"));
        let mut decision: Option<ConsentStatus> =
            p.parsed(&form.decision, "decision", tr!(crate::i18n::reader(), "err-choose-granted-partly-granted-refused"));
        if decision.is_some_and(|d| !ConsentStatus::ANSWERS.contains(&d)) {
            p.add("decision", tr!(crate::i18n::reader(), "err-choose-granted-partly-granted-refused"));
            decision = None;
        }
        let answer = crate::i18n::plain_text(&form.answer);
        let needs_words = matches!(decision, Some(ConsentStatus::PartlyGranted | ConsentStatus::Refused));
        p.check(!needs_words || !answer.is_empty(), "answer", tr!(crate::i18n::reader(), "err-say-what-granted-which-conditions"));
        p.check(answer.chars().count() <= 5000, "answer", tr!(crate::i18n::reader(), "err-answer-limited-5-000-characters"));
        let parsed = (|| Some(ConsentAnswer { id: id?, decision: decision?, answer }))();
        p.finish(parsed)
    }
}

/// A consent request as the rules see it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ConsentRow {
    pub id: i64,
    pub response_id: i64,
    pub request_id: i64,
    pub case_id: i64,
    pub from_agency_id: i64,
    pub from_country: Country,
    pub to_agency_id: i64,
    pub to_country: Country,
    pub purpose: ConsentPurpose,
    pub pass_to_agency_id: Option<i64>,
    pub status: ConsentStatus,
    pub due_at: DateTime<Utc>,
}

impl ConsentRow {
    /// The agency that asked (`policy::consent_asker`: the one the information was given to, or the case's
    /// owner) and the provider it asked.
    pub fn asker(&self) -> Party {
        Party { agency_id: self.from_agency_id, country: self.from_country }
    }
    pub fn provider(&self) -> Party {
        Party { agency_id: self.to_agency_id, country: self.to_country }
    }
}

pub async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Option<ConsentRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT k.id, k.response_id, k.request_id, k.case_id, k.from_agency_id, fa.country AS from_country, k.to_agency_id, \
         ta.country AS to_country, k.purpose, k.pass_to_agency_id, k.status, k.due_at \
         FROM consents k JOIN agencies fa ON fa.id = k.from_agency_id JOIN agencies ta ON ta.id = k.to_agency_id WHERE k.id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Records the provider's answer; a consent already answered or withdrawn is not answered again.
pub async fn answer(tx: &mut Tx, row: &ConsentRow, answer: &ConsentAnswer, user: &SessionUser) -> Result<(), AppError> {
    settle(tx, row, answer.decision, &answer.answer, Some(user.id)).await
}

pub async fn withdraw(tx: &mut Tx, row: &ConsentRow) -> Result<(), AppError> {
    settle(tx, row, ConsentStatus::Withdrawn, "", None).await
}

/// Ends an awaited consent request (answered by `by`, or withdrawn by its asker); one already ended is not
/// ended again.
async fn settle(tx: &mut Tx, row: &ConsentRow, status: ConsentStatus, words: &str, by: Option<i64>) -> Result<(), AppError> {
    let changed = sqlx::query(&format!(
        "UPDATE consents AS k SET status = ?, answer = ?, answered_by = ?, answered_at = ? WHERE k.id = ? AND {}",
        ConsentAwaited::SQL
    ))
    .bind(status.as_str())
    .bind(words)
    .bind(by)
    .bind(by.map(|_| Utc::now()))
    .bind(row.id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-consent-request-has-already-been")));
    }
    Ok(())
}

/// When consent asked now is due: `days` calendar days on (the default is 5, `LD_CONSENT_DAYS`).
pub fn due(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    now + Duration::days(days.clamp(1, 90) as i64)
}

#[derive(sqlx::FromRow)]
struct ViewRow {
    id: i64,
    response_id: i64,
    request_id: i64,
    case_reference: String,
    purpose: ConsentPurpose,
    pass_to: Option<String>,
    reason: String,
    asked_by: String,
    asked_by_agency: String,
    provider_agency: String,
    asked_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
    status: ConsentStatus,
    answer: String,
    answered_by: Option<String>,
    answered_at: Option<DateTime<Utc>>,
    from_agency_id: i64,
    from_country: Country,
    to_agency_id: i64,
    to_country: Country,
}

const VIEW_SELECT: &str = "SELECT k.id, k.response_id, k.request_id, c.reference AS case_reference, k.purpose, pt.code AS pass_to, \
    k.reason, ub.display_name AS asked_by, fa.code AS asked_by_agency, ta.code AS provider_agency, k.asked_at, k.due_at, k.status, \
    k.answer, ua.display_name AS answered_by, k.answered_at, k.from_agency_id, fa.country AS from_country, k.to_agency_id, \
    ta.country AS to_country \
    FROM consents k JOIN cases c ON c.id = k.case_id JOIN users ub ON ub.id = k.asked_by \
    JOIN agencies fa ON fa.id = k.from_agency_id JOIN agencies ta ON ta.id = k.to_agency_id \
    LEFT JOIN agencies pt ON pt.id = k.pass_to_agency_id LEFT JOIN users ua ON ua.id = k.answered_by";

fn view(r: ViewRow, viewer: &SessionUser, now: DateTime<Utc>) -> ConsentView {
    use crate::backend::exchange::policy::{ensure_consent, ConsentOp};
    let asker = Party { agency_id: r.from_agency_id, country: r.from_country };
    let provider = Party { agency_id: r.to_agency_id, country: r.to_country };
    let awaited = ConsentAwaited::holds(r.status);
    let zone = viewer.time_zone.as_str();
    // Each asking agency's business with the provider: another holder reads that it was asked and how it
    // was answered, not why.
    let mine = ensure_consent(viewer, ConsentOp::Withdraw, asker, provider).is_ok();
    let providing = ensure_consent(viewer, ConsentOp::Answer, asker, provider).is_ok();
    ConsentView {
        id: r.id,
        response_id: r.response_id,
        request_id: r.request_id,
        case_reference: r.case_reference,
        purpose: r.purpose,
        pass_to: r.pass_to,
        reason: if mine || providing { r.reason } else { String::new() },
        asked_by_my_side: mine,
        asked_by: r.asked_by,
        asked_by_agency: r.asked_by_agency,
        provider_agency: r.provider_agency,
        asked: shown(r.asked_at, zone),
        deadline: deadlines::describe_open(awaited, r.due_at, now, zone, viewer.country),
        status: r.status,
        answer: r.answer,
        answered_by: r.answered_by,
        answered: r.answered_at.map(|t| shown(t, zone)),
        may_answer: awaited && ensure_consent(viewer, ConsentOp::Answer, asker, provider).is_ok(),
        may_withdraw: awaited && ensure_consent(viewer, ConsentOp::Withdraw, asker, provider).is_ok(),
    }
}

/// The consents asked about one response, oldest first. The caller has checked the viewer sees the response.
pub async fn for_response(conn: &mut SqliteConnection, response_id: i64, viewer: &SessionUser) -> Result<Vec<ConsentView>, AppError> {
    let rows: Vec<ViewRow> =
        sqlx::query_as(&format!("{VIEW_SELECT} WHERE k.response_id = ? ORDER BY k.id")).bind(response_id).fetch_all(conn).await?;
    let now = Utc::now();
    Ok(rows.into_iter().map(|r| view(r, viewer, now)).collect())
}

/// Consent asked of the viewer's side and awaiting its answer, earliest due first (the inbox's list).
pub async fn awaiting_answer(conn: &mut SqliteConnection, viewer: &SessionUser, limit: i64) -> Result<Vec<ConsentView>, AppError> {
    let mut q: sqlx::QueryBuilder<sqlx::Sqlite> = sqlx::QueryBuilder::new(VIEW_SELECT);
    q.push(" WHERE ").push(ConsentAwaited::SQL).push(" AND ");
    crate::backend::exchange::policy::push_on_side(&mut q, viewer, "k.to_agency_id", "ta.country");
    q.push(" ORDER BY k.due_at, k.id LIMIT ").push_bind(limit);
    let rows: Vec<ViewRow> = q.build_query_as().fetch_all(conn).await?;
    let now = Utc::now();
    Ok(rows.into_iter().map(|r| view(r, viewer, now)).collect())
}

/// Consent asked of a country's agencies: how many await an answer, and how many of those are overdue
/// (the dashboard's timeliness figures).
pub async fn country_figures(conn: &mut SqliteConnection, country: Country, now: DateTime<Utc>) -> Result<(i64, i64), AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT COUNT(*), COALESCE(SUM({}), 0) FROM consents k JOIN agencies ta ON ta.id = k.to_agency_id \
         WHERE ta.country = ?2 AND {}",
        ConsentOverdue::sql("?1"),
        ConsentAwaited::SQL
    ))
    .bind(now)
    .bind(country.as_str())
    .fetch_one(conn)
    .await?)
}

/// Whether the response's H2 has been lifted for passing it on to `to_agency`.
pub async fn pass_on_lifted(conn: &mut SqliteConnection, response_id: i64, to_agency: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(&format!("SELECT {}", PassOnLifted::SQL)).bind(response_id).bind(to_agency).fetch_one(conn).await?)
}

/// The granted consent that lets the response go to `to_agency`, if any (recorded with the passing on).
pub async fn pass_on_grant(conn: &mut SqliteConnection, response_id: i64, to_agency: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM consents WHERE response_id = ? AND purpose = 'pass_on' AND pass_to_agency_id = ? \
         AND status IN ('granted', 'partly_granted') ORDER BY id DESC LIMIT 1",
    )
    .bind(response_id)
    .bind(to_agency)
    .fetch_optional(conn)
    .await?)
}

/// Passes the response on with the request `target`: recorded once, and its files go with it as files of
/// that request that name the response they came with (still as their uploader's: the content is stored
/// once, and the passer's agency is not charged for it). The caller has checked who passes and to whom.
pub async fn pass_on(tx: &mut Tx, response_id: i64, target: i64, consent: Option<i64>, user: &SessionUser) -> Result<i64, AppError> {
    let now = Utc::now();
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO passed_on (response_id, request_id, consent_id, passed_by, passed_at) VALUES (?,?,?,?,?) \
         ON CONFLICT (response_id, request_id) DO NOTHING RETURNING id",
    )
    .bind(response_id)
    .bind(target)
    .bind(consent)
    .bind(user.id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let id = id.ok_or_else(|| AppError::Conflict(tr!(crate::i18n::reader(), "err-response-has-already-been-passed")))?;
    sqlx::query(
        "INSERT INTO attachments (case_id, request_id, file_name, content_type, size, sha256, uploaded_by, created_at, source_response_id) \
         SELECT r.case_id, r.id, a.file_name, a.content_type, a.size, a.sha256, a.uploaded_by, ?, a.response_id \
         FROM attachments a JOIN requests r ON r.id = ? WHERE a.response_id = ?",
    )
    .bind(now)
    .bind(target)
    .bind(response_id)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One person's loop stops at their third ask; colleagues keep theirs until the agency's sixth.
    #[test]
    fn the_ask_limit_counts_the_person_then_the_agency() {
        assert_eq!(AskLimit::reached(2, 2), None);
        assert_eq!(AskLimit::reached(3, 3), Some(3));
        assert_eq!(AskLimit::reached(0, 5), None);
        assert_eq!(AskLimit::reached(1, 6), Some(6));
    }

    fn form(purpose: &str, pass_to: &str, reason: &str) -> ConsentForm {
        ConsentForm { response_id: "7".into(), purpose: purpose.into(), pass_to: pass_to.into(), reason: reason.into() }
    }

    #[test]
    fn an_ask_names_its_purpose_its_reason_and_for_passing_on_the_agency() {
        let ask = ConsentAsk::parse(&form("pass_on", " cbsa ", "Border alert on the two buyers.")).unwrap();
        assert_eq!((ask.response_id, ask.purpose, ask.pass_to_code.as_deref()), (7, ConsentPurpose::PassOn, Some("CBSA")));
        let ask = ConsentAsk::parse(&form("judicial", "CBSA", "Trial of the importers.")).unwrap();
        assert_eq!(ask.pass_to_code, None, "an agency matters only when passing on");
        let err = ConsentAsk::parse(&form("pass_on", "", " ")).unwrap_err();
        assert!(err.field_message("pass_to").is_some() && err.field_message("reason").is_some());
        assert!(ConsentAsk::parse(&form("everything", "", "x")).unwrap_err().field_message("purpose").is_some());
    }

    #[test]
    fn a_partial_grant_or_a_refusal_says_why_and_asked_is_no_answer() {
        let answer = |d: &str, a: &str| ConsentAnswer::parse(&ConsentAnswerForm { id: "3".into(), decision: d.into(), answer: a.into() });
        assert_eq!(answer("granted", "").unwrap().decision, ConsentStatus::Granted);
        assert!(answer("refused", "").unwrap_err().field_message("answer").is_some());
        assert!(answer("partly_granted", " ").unwrap_err().field_message("answer").is_some());
        assert!(answer("asked", "x").unwrap_err().field_message("decision").is_some());
        assert!(answer("withdrawn", "x").unwrap_err().field_message("decision").is_some());
    }

    #[test]
    fn conditions_cover_a_floor_only_with_each_of_its_codes() {
        let floor = Conditions { h1: true, h3: Some("Not to the press".into()), ..Conditions::default() };
        let stricter = Conditions { h1: true, h2: true, h3: Some("Only the task force".into()), ..Conditions::default() };
        assert!(stricter.covers(&floor));
        assert!(!Conditions { h1: true, ..Conditions::default() }.covers(&floor), "H3 dropped");
        assert!(!Conditions { h2: true, h3: Some("x".into()), ..Conditions::default() }.covers(&floor), "H1 dropped");
        assert_eq!(floor.union(&stricter).codes(), ["H1", "H2", "H3"]);
    }

    #[test]
    fn pass_on_is_lifted_only_by_a_grant_for_that_agency() {
        use ConsentPurpose::*;
        use ConsentStatus::*;
        assert!(PassOnLifted::holds(&[(PassOn, Some(5), PartlyGranted)], 5));
        assert!(!PassOnLifted::holds(&[(PassOn, Some(6), Granted)], 5), "granted for another agency");
        assert!(!PassOnLifted::holds(&[(PassOn, Some(5), Asked), (PassOn, Some(5), Refused)], 5));
        assert!(!PassOnLifted::holds(&[(Judicial, None, Granted)], 5), "court use is not passing on");
    }

    /// The reminders' rules and their SQL pick the same consents, at the edges of the window too.
    #[tokio::test]
    async fn due_soon_and_overdue_sql_agree_with_their_rules() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        let now = DateTime::parse_from_rfc3339("2026-12-02T12:00:00Z").unwrap().with_timezone(&Utc);
        let hours = [-30, -1, 0, 1, 23, 24, 25];
        for status in [ConsentStatus::Asked, ConsentStatus::Granted, ConsentStatus::Withdrawn] {
            for h in hours {
                let due = now + Duration::hours(h);
                let row = "(SELECT ?3 AS status, ?4 AS due_at) k";
                let soon: bool = sqlx::query_scalar(&format!("SELECT {} FROM {row}", ConsentDueSoon::sql("?1", "?2")))
                    .bind(now)
                    .bind(now + Duration::hours(24))
                    .bind(status.as_str())
                    .bind(due)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
                assert_eq!(soon, ConsentDueSoon::holds(status, due, now), "{status:?} due in {h} h");
                let late: bool = sqlx::query_scalar(&format!("SELECT {} FROM {row}", ConsentOverdue::sql("?1")))
                    .bind(now)
                    .bind(now)
                    .bind(status.as_str())
                    .bind(due)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
                assert_eq!(late, ConsentOverdue::holds(status, due, now), "{status:?} due in {h} h");
            }
        }
        assert!(ConsentDueSoon::holds(ConsentStatus::Asked, now + Duration::hours(23), now));
        assert!(ConsentOverdue::holds(ConsentStatus::Asked, now - Duration::hours(1), now));
    }
}
