//! Who may do what: the only place that decides. Every server function and handler asks here, on the
//! server, for the object at hand. UI hiding is a convenience built on the same answers (`nav_for`).

use crate::backend::exchange::rules::HasBeenSent;
use crate::backend::platform::account_changes::AccountChange;
use crate::backend::platform::audit::AuditScope;
use crate::error::AppError;
pub use crate::model::permissions::{allows, Action, ALL_ACTIONS};
use crate::model::{Confirmer, ConsentPurpose, Country, Role, SessionUser};
use sqlx::{QueryBuilder, Sqlite};

pub fn ensure(user: &SessionUser, action: Action) -> Result<(), AppError> {
    if allows(user.role, action) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Admins read every event; supervisors only those of users of their own country.
pub fn audit_scope(user: &SessionUser) -> Result<AuditScope, AppError> {
    ensure(user, Action::ReadAudit)?;
    Ok(match user.role {
        Role::Admin => AuditScope::All,
        _ => AuditScope::Country(user.country),
    })
}

// ---- Separation of duties: account changes (four-eyes) ----

/// An admin changes other people's accounts, never their own role, agency, status or password: nobody
/// grants themselves access, nor hides their own trail by resetting their own account.
pub fn ensure_not_own_account(user: &SessionUser, target_id: i64) -> Result<(), AppError> {
    if user.id == target_id {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-you-cannot-change-own-role")));
    }
    Ok(())
}

/// Who must confirm an account change: another admin when the account ends up an admin (admin power is
/// granted by admins, twice), otherwise a supervisor of the country whose agency the account ends up in
/// (the person answerable for who reads that country's cases).
pub fn confirmer(change: &AccountChange) -> Confirmer {
    match change.resulting_role() {
        Role::Admin => Confirmer::Admin,
        Role::Officer | Role::Supervisor => Confirmer::Supervisor(change.resulting_country()),
    }
}

/// Whether `user` may confirm or refuse `change`: the confirmer it needs, and never the one who asked for
/// it nor the account itself.
pub fn may_decide_account_change(user: &SessionUser, change: &AccountChange) -> bool {
    let someone_else = user.id != change.requested_by && user.id != change.user_id;
    let right_person = match confirmer(change) {
        Confirmer::Admin => user.role == Role::Admin,
        Confirmer::Supervisor(country) => user.role == Role::Supervisor && user.country == country,
    };
    change.is_open() && someone_else && right_person
}

/// Which changes `user` sees in the confirmations list: admins all of them (they administer accounts),
/// supervisors those their country's supervisors decide.
pub fn may_see_account_change(user: &SessionUser, change: &AccountChange) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Supervisor => confirmer(change) == Confirmer::Supervisor(user.country),
        Role::Officer => false,
    }
}

/// Which account's tokens an admin may list, ask for and revoke: a service account's (another system's,
/// `users::UserRow::service`); a person's tokens are theirs alone, made and revoked on their profile. A new
/// token waits for the account's confirmer (`confirmer`), as any change that opens case content does;
/// revoking closes access and takes effect at once.
pub fn ensure_may_manage_tokens_of(user: &SessionUser, target: &crate::backend::platform::users::UserRow) -> Result<(), AppError> {
    ensure(user, Action::ManageAccounts)?;
    if !target.service {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// An open change may be withdrawn by any admin (the one who asked, or another who finds it wrong).
pub fn may_withdraw_account_change(user: &SessionUser, change: &AccountChange) -> bool {
    change.is_open() && user.role == Role::Admin && user.id != change.user_id
}

// ---- Need-to-know: cases and everything in them ----

/// Which cases a user's lists and searches may contain; applied in SQL (`push_sql`). The same decision as
/// `can_see_case` for one case (a test checks that they agree).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Cases their agency is party to (officers).
    Agency(i64),
    /// Cases any agency of their country is party to (supervisors).
    Country(Country),
}

impl Visibility {
    /// Adds `AND <case> is visible` to a query, `case_id_expr` naming the case's id column: the need-to-know
    /// filter of every list, count and search.
    pub fn push_sql(self, q: &mut QueryBuilder<'_, Sqlite>, case_id_expr: &str) {
        match self {
            Visibility::Agency(agency_id) => {
                q.push(format!(" AND EXISTS (SELECT 1 FROM case_parties vp WHERE vp.case_id = {case_id_expr} AND vp.agency_id = "));
                q.push_bind(agency_id).push(")");
            }
            Visibility::Country(country) => {
                q.push(format!(
                    " AND EXISTS (SELECT 1 FROM case_parties vp JOIN agencies va ON va.id = vp.agency_id \
                     WHERE vp.case_id = {case_id_expr} AND va.country = "
                ));
                q.push_bind(country.as_str()).push(")");
            }
        }
    }
}

pub fn visibility(user: &SessionUser) -> Result<Visibility, AppError> {
    ensure(user, Action::WorkCases)?;
    Ok(match user.role {
        Role::Supervisor => Visibility::Country(user.country),
        _ => Visibility::Agency(user.agency_id),
    })
}

/// An agency party to a case: its id and country.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Party {
    pub agency_id: i64,
    pub country: Country,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseOp {
    View,
    /// Edit title, summary, lead, parties, links; change status. The owning side only.
    Edit,
    CreateRequest,
    /// Add an indicator or a named entity: any party may add what it knows.
    AddRecord,
    Upload,
    ExportIndicators,
}

pub const ALL_CASE_OPS: &[CaseOp] =
    &[CaseOp::View, CaseOp::Edit, CaseOp::CreateRequest, CaseOp::AddRecord, CaseOp::Upload, CaseOp::ExportIndicators];

/// Whether `user` acts for the agency `agency_id` of `country`: an officer for their own agency, a
/// supervisor for every agency of their country, an admin for none. `push_on_side` is the same in SQL.
fn on_side(user: &SessionUser, agency_id: i64, country: Country) -> bool {
    match user.role {
        Role::Officer => user.agency_id == agency_id,
        Role::Supervisor => user.country == country,
        Role::Admin => false,
    }
}

/// For whom a user acts, as `on_side` decides: an agency (officers), a country (supervisors), nobody (admins).
/// A `Visibility` is the same for the users who have one.
#[derive(Clone, Copy)]
enum Acting {
    Agency(i64),
    Country(Country),
    Nobody,
}

impl Acting {
    fn of(user: &SessionUser) -> Self {
        match user.role {
            Role::Officer => Acting::Agency(user.agency_id),
            Role::Supervisor => Acting::Country(user.country),
            Role::Admin => Acting::Nobody,
        }
    }
}

impl From<Visibility> for Acting {
    fn from(vis: Visibility) -> Self {
        match vis {
            Visibility::Agency(a) => Acting::Agency(a),
            Visibility::Country(c) => Acting::Country(c),
        }
    }
}

/// `on_side` in SQL, for an agency given by its id column and its country column: pushes one condition
/// (in parentheses) that holds for the rows `on_side` would accept.
pub fn push_on_side(q: &mut QueryBuilder<'_, Sqlite>, user: &SessionUser, agency_col: &str, country_col: &str) {
    push_acting(q, Acting::of(user), agency_col, country_col);
}

fn push_acting(q: &mut QueryBuilder<'_, Sqlite>, acting: Acting, agency_col: &str, country_col: &str) {
    match acting {
        Acting::Agency(agency_id) => {
            q.push(format!("({agency_col} = ")).push_bind(agency_id).push(")");
        }
        Acting::Country(country) => {
            q.push(format!("({country_col} = ")).push_bind(country.as_str()).push(")");
        }
        Acting::Nobody => {
            q.push("(0)");
        }
    }
}

/// Whether a request exists at all for `user` (on a case they may see). A request's thread (the request,
/// its responses, their files) is need-to-know within the case: it exists for the side that sent it, and,
/// once sent, for the side it went to and the case's owning side; other parties to the case do not learn
/// of it. `push_request_exists_for` is the same in SQL.
pub fn request_exists_for(user: &SessionUser, sides: RequestSides) -> bool {
    let on = |p: Party| on_side(user, p.agency_id, p.country);
    on(sides.from) || (!sides.unsent && (on(sides.to) || on(sides.owner)))
}

/// `request_exists_for` in SQL over `r` (the request; the agencies' countries and the case's owner are
/// looked up by id, so the query needs no particular joins).
pub fn push_request_exists_for(q: &mut QueryBuilder<'_, Sqlite>, user: &SessionUser) {
    push_request_exists(q, Acting::of(user));
}

/// `AND <the user acts for the sending side of request r>` (what only the sender sees of a request: how it
/// was drafted).
pub fn push_on_sending_side(q: &mut QueryBuilder<'_, Sqlite>, user: &SessionUser) {
    q.push(" AND ");
    push_on_side(q, user, "r.from_agency_id", "(SELECT country FROM agencies WHERE id = r.from_agency_id)");
}

/// `push_request_exists_for` for the users a `Visibility` stands for (counts in case lists).
pub fn push_request_visible(q: &mut QueryBuilder<'_, Sqlite>, vis: Visibility) {
    push_request_exists(q, vis.into());
}

fn push_request_exists(q: &mut QueryBuilder<'_, Sqlite>, acting: Acting) {
    const COUNTRY_OF: &str = "(SELECT country FROM agencies WHERE id = ";
    q.push(" AND (");
    push_acting(q, acting, "r.from_agency_id", &format!("{COUNTRY_OF}r.from_agency_id)"));
    q.push(" OR (").push(HasBeenSent::SQL).push(" AND (");
    push_acting(q, acting, "r.to_agency_id", &format!("{COUNTRY_OF}r.to_agency_id)"));
    q.push(" OR ");
    let owner = "(SELECT owner_agency_id FROM cases WHERE id = r.case_id)";
    push_acting(q, acting, owner, &format!("{COUNTRY_OF}{owner})"));
    q.push(")))");
}

pub fn can_see_case(user: &SessionUser, parties: &[Party]) -> bool {
    allows(user.role, Action::WorkCases) && parties.iter().any(|p| on_side(user, p.agency_id, p.country))
}

/// A non-party gets NotFound, exactly as for a case that does not exist: existence itself is sensitive.
pub fn ensure_case(user: &SessionUser, owner: Party, parties: &[Party], op: CaseOp) -> Result<(), AppError> {
    if !can_see_case(user, parties) {
        return Err(AppError::NotFound);
    }
    let ok = match op {
        CaseOp::View | CaseOp::CreateRequest | CaseOp::AddRecord | CaseOp::Upload | CaseOp::ExportIndicators => true,
        CaseOp::Edit => on_side(user, owner.agency_id, owner.country),
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestOp {
    View,
    /// Send a draft, withdraw, close, answer a clarification request: the sending side.
    ActAsSender,
    /// Approve an outgoing request awaiting approval: a supervisor of the sending country.
    Approve,
    /// Acknowledge, answer, ask for clarification, decline: the receiving side.
    ActAsRecipient,
}

pub const ALL_REQUEST_OPS: &[RequestOp] = &[RequestOp::View, RequestOp::ActAsSender, RequestOp::Approve, RequestOp::ActAsRecipient];

/// The two ends of a request, its case's owner, and whether it has been sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestSides {
    pub from: Party,
    pub to: Party,
    /// The owning agency of the request's case.
    pub owner: Party,
    pub unsent: bool,
}

pub fn ensure_request(user: &SessionUser, parties: &[Party], sides: RequestSides, op: RequestOp) -> Result<(), AppError> {
    let sender = on_side(user, sides.from.agency_id, sides.from.country);
    let visible = can_see_case(user, parties) && request_exists_for(user, sides);
    if !visible {
        return Err(AppError::NotFound);
    }
    let ok = match op {
        RequestOp::View => true,
        RequestOp::ActAsSender => sender,
        RequestOp::Approve => user.role == Role::Supervisor && user.country == sides.from.country,
        RequestOp::ActAsRecipient => !sides.unsent && on_side(user, sides.to.agency_id, sides.to.country),
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
// ---- Retention review ----

/// A case's retention is decided by a supervisor of its owning agency's country: that country's law sets
/// how long it is kept. The caller has checked that the user sees the case (NotFound otherwise).
pub fn ensure_retention(user: &SessionUser, owner: Party) -> Result<(), AppError> {
    ensure(user, Action::ReviewRetention)?;
    if user.country == owner.country {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

// ---- Conditions of use: consent and passing on ----

/// What a side may do about consent asked to use what a response gave (who asks is `consent_asker`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentOp {
    /// Answer: the provider's side.
    Answer,
    /// Withdraw an ask not yet answered: the side that asked.
    Withdraw,
}

pub const ALL_CONSENT_OPS: &[ConsentOp] = &[ConsentOp::Answer, ConsentOp::Withdraw];

/// Who gave a response and to whom, by the request's two ends (never by the author's own agency: a
/// supervisor may write for any agency of their country): an answer, a refusal or a question back comes
/// from the request's recipient to its sender; a clarification from the sender to the recipient.
pub fn given_by(kind: crate::model::ResponseKind, sides: RequestSides) -> (Party, Party) {
    if kind == crate::model::ResponseKind::Clarification {
        (sides.from, sides.to)
    } else {
        (sides.to, sides.from)
    }
}

/// `asker` is the party that asked (`consent_asker`), `provider` the one that gave the information.
/// The caller has checked that the user sees the response (`ensure_request` View on its request).
pub fn ensure_consent(user: &SessionUser, op: ConsentOp, asker: Party, provider: Party) -> Result<(), AppError> {
    let ok = match op {
        ConsentOp::Withdraw => on_side(user, asker.agency_id, asker.country),
        ConsentOp::Answer => on_side(user, provider.agency_id, provider.country),
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Which party asks the provider for consent when `user` does (what `consents::ask` records as the asker).
/// The agency the information was given to (the other end of the response's request) may ask for anything
/// its conditions restrict. Others hold it too (`holders`, from `consents::holding`): the case's owning
/// agency, which reads every thread on its case, and an agency it was passed on to (an end of the request
/// it came with). They may ask to use it in court, to export it or as H3 says; passing it further on is for
/// the agency it was given to (`ensure_may_pass_on`). The provider's side never asks itself.
pub fn consent_asker(user: &SessionUser, given: (Party, Party), holders: &[Party], purpose: ConsentPurpose) -> Result<Party, AppError> {
    let (provider, receiver) = given;
    if on_side(user, provider.agency_id, provider.country) {
        Err(AppError::Forbidden)
    } else if on_side(user, receiver.agency_id, receiver.country) {
        Ok(receiver)
    } else if purpose == ConsentPurpose::PassOn {
        Err(AppError::Forbidden)
    } else {
        holders.iter().find(|h| on_side(user, h.agency_id, h.country)).copied().ok_or(AppError::Forbidden)
    }
}

/// Whether the page offers to pass a response on (`ensure_may_pass_on` decides each pass): to the side it
/// was given to, as before the case's owner could ask for consent, whether or not it may ask for anything.
pub fn offers_pass_on(user: &SessionUser, given: (Party, Party)) -> bool {
    let (_, receiver) = given;
    on_side(user, receiver.agency_id, receiver.country)
}

/// A request information may be passed on with: its case belongs to one of its two ends, so no third owner
/// reads what is passed on. `PassOnTarget::SQL` is the same for the list the page offers.
pub struct PassOnTarget;

impl PassOnTarget {
    pub const SQL: &'static str = "c.owner_agency_id IN (r.from_agency_id, r.to_agency_id)";
    pub fn holds(target: RequestSides) -> bool {
        target.owner.agency_id == target.from.agency_id || target.owner.agency_id == target.to.agency_id
    }
}

/// What is passed on: a response carrying information, its handling, who gave it and to whom.
pub struct Given<'a> {
    pub kind: crate::model::ResponseKind,
    pub tlp: crate::model::Tlp,
    pub conditions: &'a crate::model::Conditions,
    pub provider: Party,
    pub receiver: Party,
}

/// Passing a response's information on with another request (`target`, whose sending side the user acts
/// for: checked with `ensure_request` ActAsSender). Only an answer is passed on, by the side it was given
/// to or by its provider; with a request on a case of one of its ends (`PassOnTarget`); never under
/// TLP:RED or TLP:AMBER+STRICT to an agency other than its provider (those codes name who may hold it);
/// and H2 holds it back from any agency but its provider until the provider consents for that agency
/// (`lifted`, from `consents::PassOnLifted`: only the receiver asks to pass on, `consent_asker`).
pub fn ensure_may_pass_on(user: &SessionUser, given: &Given<'_>, target: RequestSides, lifted: bool) -> Result<(), AppError> {
    use crate::model::Tlp;
    let as_provider = on_side(user, given.provider.agency_id, given.provider.country);
    if !given.kind.carries_information() || !(as_provider || on_side(user, given.receiver.agency_id, given.receiver.country)) {
        return Err(AppError::Forbidden);
    }
    // Only with a request of one of the two holders: a supervisor may write for any agency of their country,
    // and every other one is a third agency too.
    if target.from.agency_id != given.receiver.agency_id && target.from.agency_id != given.provider.agency_id {
        return Err(AppError::Forbidden);
    }
    if !PassOnTarget::holds(target) {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-information-can-passed-only-request")));
    }
    let third = target.to.agency_id != given.provider.agency_id && target.to.agency_id != given.receiver.agency_id;
    if third && matches!(given.tlp, Tlp::Red | Tlp::AmberStrict) {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-information-not-passed-on", tlp = given.tlp.label())));
    }
    if third && given.conditions.h2 && !as_provider && !lifted {
        return Err(AppError::ConsentNeeded);
    }
    Ok(())
}

/// Who may widen a case: sending a request makes its recipient a party, and only the owning side may bring
/// in an agency not yet party. Another party's request goes to an agency already party (or that party opens
/// a case of its own and links it). Checked when the request is written and again when it is sent.
/// `shown` are the parties the user is shown (`cases::shown_parties`): an agency that joined through a thread
/// the user cannot see is refused like a non-party, so the answer does not reveal it.
pub fn ensure_may_send_to(user: &SessionUser, owner: Party, shown: &[i64], to_agency: i64) -> Result<(), AppError> {
    if shown.contains(&to_agency) || on_side(user, owner.agency_id, owner.country) {
        Ok(())
    } else {
        Err(AppError::field("to_agency", tr!(crate::i18n::reader(), "err-only-case-s-owning-agency")))
    }
}

/// Indicators are shared with every party to their case, except those whose handling code restricts them
/// (TLP:AMBER+STRICT, TLP:RED): those only for the agency that added them and the case's owning agency.
/// Pushes `AND <indicator alias is visible>` for an indicator row `alias` (its case, tlp and author).
pub fn push_indicator_visible(q: &mut QueryBuilder<'_, Sqlite>, user: &SessionUser, alias: &str) {
    let acting = Acting::of(user);
    q.push(format!(" AND ({alias}.tlp NOT IN ('amber_strict', 'red') OR "));
    let adder = format!("(SELECT agency_id FROM users WHERE id = {alias}.created_by)");
    push_acting(q, acting, &adder, &format!("(SELECT country FROM agencies WHERE id = {adder})"));
    q.push(" OR ");
    let owner = format!("(SELECT owner_agency_id FROM cases WHERE id = {alias}.case_id)");
    push_acting(q, acting, &owner, &format!("(SELECT country FROM agencies WHERE id = {owner})"));
    q.push(")");
}

/// An indicator under H2 ("not to be passed on without the provider's permission") leaves Liaison Desk — in
/// the STIX bundle, the PDF report, by the TAXII feed into another platform that shares on — only for its
/// provider: the agency that added it. A supervisor sees their whole country's indicators, but what they
/// take out lands in their own agency, so it is their agency that counts (as for TLP:AMBER+STRICT in the
/// feed). Everyone else who may see it reads it on the case page only. Pushes `AND <indicator alias may
/// leave>` for an indicator row `alias` (its h2 and author).
pub fn push_indicator_leaves(q: &mut QueryBuilder<'_, Sqlite>, user: &SessionUser, alias: &'static str) {
    q.push(format!(" AND ({alias}.h2 = 0 OR (SELECT agency_id FROM users WHERE id = {alias}.created_by) = "));
    q.push_bind(user.agency_id).push(")");
}

/// A file uploaded for a response not yet sent waits in its uploader's form: it is their side's own, and the
/// other end gets the same answer as for a missing file. `push_pending_file_visible` is the same in SQL.
pub fn pending_file_visible(user: &SessionUser, uploader: Party) -> bool {
    on_side(user, uploader.agency_id, uploader.country)
}

/// `pending_file_visible` in SQL, the uploader's agency and country given by columns.
pub fn push_pending_file_visible(q: &mut QueryBuilder<'_, Sqlite>, user: &SessionUser, agency_col: &str, country_col: &str) {
    q.push(" AND ");
    push_on_side(q, user, agency_col, country_col);
}

/// Adding to a thread (a file for the request or its answer) is for its two ends: the case's owner reads
/// every thread on its case but writes only in its own. NotFound where the thread does not exist for the user.
pub fn ensure_request_end(user: &SessionUser, parties: &[Party], sides: RequestSides) -> Result<(), AppError> {
    ensure_request(user, parties, sides, RequestOp::View)?;
    ensure_request(user, parties, sides, RequestOp::ActAsSender)
        .or_else(|_| ensure_request(user, parties, sides, RequestOp::ActAsRecipient))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Country, RequestStatus};

    fn user(role: Role, country: Country) -> SessionUser {
        user_at(role, country, 1)
    }

    fn user_at(role: Role, country: Country, agency_id: i64) -> SessionUser {
        SessionUser {
            id: 1,
            agency_id,
            username: "u".into(),
            display_name: "U".into(),
            role,
            agency_code: "X".into(),
            agency_name: "X".into(),
            country,
            time_zone: "UTC".into(),
            must_change_password: false,
            must_enrol_second_factor: false,
        }
    }

    /// Every role × every action, written out as the expected answer.
    #[test]
    fn role_action_table() {
        use Action::*;
        let table: &[(Role, Action, bool)] = &[
            (Role::Officer, ManageAccounts, false),
            (Role::Officer, ManageAgencies, false),
            (Role::Officer, ReadAudit, false),
            (Role::Officer, WorkCases, true),
            (Role::Officer, ManageOwnProfile, true),
            (Role::Officer, SetApprovalPolicy, false),
            (Role::Officer, ViewDashboard, false),
            (Role::Officer, ConfirmAccountChanges, false),
            (Role::Officer, ChangeCasesInBulk, false),
            (Role::Officer, UseApi, true),
            (Role::Officer, ManageCountryLists, false),
            (Role::Officer, ReviewRetention, false),
            (Role::Supervisor, ManageAccounts, false),
            (Role::Supervisor, ManageAgencies, false),
            (Role::Supervisor, ReadAudit, true),
            (Role::Supervisor, WorkCases, true),
            (Role::Supervisor, ManageOwnProfile, true),
            (Role::Supervisor, SetApprovalPolicy, true),
            (Role::Supervisor, ViewDashboard, true),
            (Role::Supervisor, ConfirmAccountChanges, true),
            (Role::Supervisor, ChangeCasesInBulk, true),
            (Role::Supervisor, UseApi, true),
            (Role::Supervisor, ManageCountryLists, false),
            (Role::Supervisor, ReviewRetention, true),
            (Role::Admin, ManageAccounts, true),
            (Role::Admin, ManageAgencies, true),
            (Role::Admin, ReadAudit, true),
            (Role::Admin, WorkCases, false),
            (Role::Admin, ManageOwnProfile, true),
            (Role::Admin, SetApprovalPolicy, false),
            (Role::Admin, ViewDashboard, false),
            (Role::Admin, ConfirmAccountChanges, true),
            (Role::Admin, ChangeCasesInBulk, false),
            (Role::Admin, UseApi, false),
            (Role::Admin, ManageCountryLists, true),
            (Role::Admin, ReviewRetention, false),
        ];
        assert_eq!(table.len(), Role::ALL.len() * ALL_ACTIONS.len(), "the table covers every pair");
        for &(role, action, expected) in table {
            assert_eq!(allows(role, action), expected, "{role:?} {action:?}");
            let result = ensure(&user(role, Country::India), action);
            assert_eq!(result.is_ok(), expected);
            if !expected {
                assert_eq!(result.unwrap_err(), AppError::Forbidden);
            }
        }
    }

    /// An answer comes from the request's recipient; the side it was given to asks consent (and the case's
    /// owner, for all but passing it on), the provider's side answers; nobody else does either.
    #[test]
    fn consent_is_asked_by_the_receiver_and_answered_by_the_provider() {
        use crate::model::ConsentPurpose::{Export, PassOn};
        use crate::model::ResponseKind;
        let (ncb, rcmp) = (Party { agency_id: 1, country: Country::India }, Party { agency_id: 10, country: Country::Canada });
        let sides = RequestSides { from: ncb, to: rcmp, owner: ncb, unsent: false };
        assert_eq!(given_by(ResponseKind::FinalAnswer, sides), (rcmp, ncb));
        assert_eq!(given_by(ResponseKind::Clarification, sides), (ncb, rcmp));
        let (provider, receiver) = given_by(ResponseKind::PartialAnswer, sides);
        let ncb_officer = user_at(Role::Officer, Country::India, 1);
        let rcmp_officer = user_at(Role::Officer, Country::Canada, 10);
        let cbsa_officer = user_at(Role::Officer, Country::Canada, 11);
        assert_eq!(consent_asker(&ncb_officer, (provider, receiver), &[ncb], PassOn), Ok(ncb));
        assert!(ensure_consent(&ncb_officer, ConsentOp::Answer, receiver, provider).is_err());
        assert!(ensure_consent(&rcmp_officer, ConsentOp::Answer, receiver, provider).is_ok());
        assert!(consent_asker(&rcmp_officer, (provider, receiver), &[ncb], Export).is_err());
        // A case owned by the CBI, the thread between the NCB and the RCMP: the CBI asks for itself, but
        // does not pass on what was given to the NCB; the provider's side never asks, even as the owner.
        let cbi = Party { agency_id: 2, country: Country::India };
        let cbi_officer = user_at(Role::Officer, Country::India, 2);
        assert_eq!(consent_asker(&cbi_officer, (provider, receiver), &[cbi], Export), Ok(cbi));
        assert!(consent_asker(&cbi_officer, (provider, receiver), &[cbi], PassOn).is_err());
        assert!(consent_asker(&cbi_officer, (provider, receiver), &[ncb], Export).is_err(), "not the owner, not an end");
        assert!(consent_asker(&rcmp_officer, (provider, receiver), &[rcmp], Export).is_err());
        // The CBSA, given it passed on with a request between the NCB and the CBSA, asks for itself.
        let cbsa = Party { agency_id: 11, country: Country::Canada };
        assert_eq!(consent_asker(&cbsa_officer, (provider, receiver), &[ncb, cbsa], Export), Ok(cbsa));
        assert!(ensure_consent(&cbsa_officer, ConsentOp::Answer, receiver, provider).is_err(), "another agency of the provider's country");
        assert!(ensure_consent(&user(Role::Supervisor, Country::India), ConsentOp::Withdraw, receiver, provider).is_ok());
        assert!(ensure_consent(&user(Role::Admin, Country::Canada), ConsentOp::Answer, receiver, provider).is_err());
    }

    #[test]
    fn h2_information_goes_to_a_third_agency_only_with_consent_and_red_never() {
        use crate::model::{Conditions, ResponseKind, Tlp};
        let (ncb, rcmp, cbsa) = (
            Party { agency_id: 1, country: Country::India },
            Party { agency_id: 10, country: Country::Canada },
            Party { agency_id: 11, country: Country::Canada },
        );
        let h2 = Conditions { h2: true, ..Conditions::default() };
        let given = |tlp, kind| Given { kind, tlp, conditions: &h2, provider: rcmp, receiver: ncb };
        let answer = given(Tlp::Amber, ResponseKind::FinalAnswer);
        let to_cbsa = RequestSides { from: ncb, to: cbsa, owner: ncb, unsent: true };
        let ncb_officer = user_at(Role::Officer, Country::India, 1);
        assert_eq!(ensure_may_pass_on(&ncb_officer, &answer, to_cbsa, false), Err(AppError::ConsentNeeded));
        assert_eq!(ensure_may_pass_on(&ncb_officer, &answer, to_cbsa, true), Ok(()));
        // Back to its provider needs nothing; the provider passes its own on freely.
        assert_eq!(ensure_may_pass_on(&ncb_officer, &answer, RequestSides { to: rcmp, ..to_cbsa }, false), Ok(()));
        let rcmp_to_cbi = RequestSides { from: rcmp, to: Party { agency_id: 2, country: Country::India }, owner: rcmp, unsent: true };
        assert_eq!(ensure_may_pass_on(&user_at(Role::Officer, Country::Canada, 10), &answer, rcmp_to_cbi, false), Ok(()));
        // India's supervisor writes for CBI too, but CBI holds nothing: its request is not the receiver's.
        let cbi = Party { agency_id: 2, country: Country::India };
        let cbi_to_rcmp = RequestSides { from: cbi, to: rcmp, owner: cbi, unsent: true };
        assert_eq!(ensure_may_pass_on(&user(Role::Supervisor, Country::India), &answer, cbi_to_rcmp, true), Err(AppError::Forbidden));
        // Not the receiver nor the provider; a refusal is no information; a third owner would read it.
        assert_eq!(ensure_may_pass_on(&user_at(Role::Officer, Country::India, 2), &answer, to_cbsa, true), Err(AppError::Forbidden));
        assert_eq!(ensure_may_pass_on(&ncb_officer, &given(Tlp::Amber, ResponseKind::Refusal), to_cbsa, true), Err(AppError::Forbidden));
        assert!(matches!(
            ensure_may_pass_on(
                &ncb_officer,
                &answer,
                RequestSides { owner: Party { agency_id: 12, country: Country::Canada }, ..to_cbsa },
                true
            ),
            Err(AppError::Conflict(_))
        ));
        // TLP:RED and AMBER+STRICT name who may hold it: consent to pass on does not widen that.
        for tlp in [Tlp::Red, Tlp::AmberStrict] {
            assert!(matches!(
                ensure_may_pass_on(&ncb_officer, &given(tlp, ResponseKind::FinalAnswer), to_cbsa, true),
                Err(AppError::Conflict(_))
            ));
        }
    }

    #[test]
    fn audit_scope_by_role() {
        assert_eq!(audit_scope(&user(Role::Admin, Country::India)), Ok(AuditScope::All));
        assert_eq!(audit_scope(&user(Role::Supervisor, Country::Canada)), Ok(AuditScope::Country(Country::Canada)));
        assert_eq!(audit_scope(&user(Role::Officer, Country::Canada)), Err(AppError::Forbidden));
    }

    // Agencies: 1 NCB (India, owner), 2 CBI (India, not party), 10 RCMP (Canada, party), 11 CBSA (Canada, not party).
    const NCB: Party = Party { agency_id: 1, country: Country::India };
    const RCMP: Party = Party { agency_id: 10, country: Country::Canada };

    #[derive(Clone, Copy, Debug)]
    enum Who {
        PartyOfficer,
        OwnerOfficer,
        NonPartyOfficer,
        OwnCountrySupervisor,
        OtherCountrySupervisor,
        Admin,
    }

    fn who(w: Who) -> SessionUser {
        match w {
            Who::OwnerOfficer => user_at(Role::Officer, Country::India, 1),
            Who::PartyOfficer => user_at(Role::Officer, Country::Canada, 10),
            Who::NonPartyOfficer => user_at(Role::Officer, Country::Canada, 11),
            // A supervisor of India (owner's country): NCB is an Indian party.
            Who::OwnCountrySupervisor => user_at(Role::Supervisor, Country::India, 2),
            // Case with Indian parties only: a Canadian supervisor is outside it.
            Who::OtherCountrySupervisor => user_at(Role::Supervisor, Country::Canada, 11),
            Who::Admin => user_at(Role::Admin, Country::Canada, 12),
        }
    }

    /// Every kind of user × every case operation, on a case owned by NCB with RCMP party.
    #[test]
    fn case_operations_table() {
        use CaseOp::*;
        use Who::*;
        let parties = [NCB, RCMP];
        let nf = Err(AppError::NotFound);
        let fb = Err(AppError::Forbidden);
        let table: &[(Who, CaseOp, Result<(), AppError>)] = &[
            (OwnerOfficer, View, Ok(())),
            (OwnerOfficer, Edit, Ok(())),
            (OwnerOfficer, CreateRequest, Ok(())),
            (OwnerOfficer, AddRecord, Ok(())),
            (OwnerOfficer, Upload, Ok(())),
            (OwnerOfficer, ExportIndicators, Ok(())),
            (PartyOfficer, View, Ok(())),
            (PartyOfficer, Edit, fb.clone()),
            (PartyOfficer, CreateRequest, Ok(())),
            (PartyOfficer, AddRecord, Ok(())),
            (PartyOfficer, Upload, Ok(())),
            (PartyOfficer, ExportIndicators, Ok(())),
            (NonPartyOfficer, View, nf.clone()),
            (NonPartyOfficer, Edit, nf.clone()),
            (NonPartyOfficer, CreateRequest, nf.clone()),
            (NonPartyOfficer, AddRecord, nf.clone()),
            (NonPartyOfficer, Upload, nf.clone()),
            (NonPartyOfficer, ExportIndicators, nf.clone()),
            (OwnCountrySupervisor, View, Ok(())),
            (OwnCountrySupervisor, Edit, Ok(())),
            (OwnCountrySupervisor, CreateRequest, Ok(())),
            (OwnCountrySupervisor, AddRecord, Ok(())),
            (OwnCountrySupervisor, Upload, Ok(())),
            (OwnCountrySupervisor, ExportIndicators, Ok(())),
            (Admin, View, nf.clone()),
            (Admin, Edit, nf.clone()),
            (Admin, CreateRequest, nf.clone()),
            (Admin, AddRecord, nf.clone()),
            (Admin, Upload, nf.clone()),
            (Admin, ExportIndicators, nf.clone()),
        ];
        for (w, op, expected) in table {
            assert_eq!(&ensure_case(&who(*w), NCB, &parties, *op), expected, "{w:?} {op:?}");
        }
        // A case with Indian parties only is invisible to a Canadian supervisor, whatever the operation.
        for op in ALL_CASE_OPS {
            assert_eq!(ensure_case(&who(OtherCountrySupervisor), NCB, &[NCB], *op), Err(AppError::NotFound));
        }
        // ...while the Canadian supervisor sees the case once RCMP is a party.
        assert_eq!(ensure_case(&who(OtherCountrySupervisor), NCB, &parties, View), Ok(()));
        assert_eq!(ensure_case(&who(OtherCountrySupervisor), NCB, &parties, Edit), Err(AppError::Forbidden));
    }

    /// Every kind of user × every request operation, for a sent request NCB → RCMP and for a draft.
    #[test]
    fn request_operations_table() {
        use RequestOp::*;
        use Who::*;
        let parties = [NCB, RCMP];
        let sent = RequestSides { from: NCB, to: RCMP, owner: NCB, unsent: false };
        let draft = RequestSides { from: NCB, to: RCMP, owner: NCB, unsent: true };
        let nf = Err(AppError::NotFound);
        let fb = Err(AppError::Forbidden);
        let table: &[(Who, RequestSides, RequestOp, Result<(), AppError>)] = &[
            (OwnerOfficer, sent, View, Ok(())),
            (OwnerOfficer, sent, ActAsSender, Ok(())),
            (OwnerOfficer, sent, Approve, fb.clone()),
            (OwnerOfficer, sent, ActAsRecipient, fb.clone()),
            (PartyOfficer, sent, View, Ok(())),
            (PartyOfficer, sent, ActAsSender, fb.clone()),
            (PartyOfficer, sent, Approve, fb.clone()),
            (PartyOfficer, sent, ActAsRecipient, Ok(())),
            (NonPartyOfficer, sent, View, nf.clone()),
            (NonPartyOfficer, sent, ActAsSender, nf.clone()),
            (NonPartyOfficer, sent, Approve, nf.clone()),
            (NonPartyOfficer, sent, ActAsRecipient, nf.clone()),
            (OwnCountrySupervisor, sent, View, Ok(())),
            (OwnCountrySupervisor, sent, ActAsSender, Ok(())),
            (OwnCountrySupervisor, sent, Approve, Ok(())),
            (OwnCountrySupervisor, sent, ActAsRecipient, fb.clone()),
            (OtherCountrySupervisor, sent, View, Ok(())),
            (OtherCountrySupervisor, sent, ActAsSender, fb.clone()),
            (OtherCountrySupervisor, sent, Approve, fb.clone()),
            (OtherCountrySupervisor, sent, ActAsRecipient, Ok(())),
            (Admin, sent, View, nf.clone()),
            (Admin, sent, ActAsSender, nf.clone()),
            (Admin, sent, Approve, nf.clone()),
            (Admin, sent, ActAsRecipient, nf.clone()),
            // A draft exists only for the sending side.
            (OwnerOfficer, draft, View, Ok(())),
            (OwnCountrySupervisor, draft, Approve, Ok(())),
            (PartyOfficer, draft, View, nf.clone()),
            (PartyOfficer, draft, ActAsRecipient, nf.clone()),
            (OtherCountrySupervisor, draft, View, nf.clone()),
            (NonPartyOfficer, draft, View, nf.clone()),
        ];
        for (w, sides, op, expected) in table {
            assert_eq!(&ensure_request(&who(*w), &parties, *sides, *op), expected, "{w:?} {op:?} unsent={}", sides.unsent);
        }
        assert_eq!(ALL_REQUEST_OPS.len(), 4);
    }

    /// A thread is need-to-know within its case: on NCB's case, with RCMP and CBSA (11) party, NCB's request
    /// to CBSA exists for NCB (sender, owner) and CBSA (recipient), not for RCMP, a party that is neither;
    /// RCMP's request to CBI (2) exists for NCB as the case's owner.
    #[test]
    fn a_thread_exists_for_its_two_ends_and_the_cases_owner_only() {
        const CBSA: Party = Party { agency_id: 11, country: Country::Canada };
        const CBI: Party = Party { agency_id: 2, country: Country::India };
        let parties = [NCB, RCMP, CBSA, CBI];
        let to_cbsa = RequestSides { from: NCB, to: CBSA, owner: NCB, unsent: false };
        let officer = |agency: i64, country| user_at(Role::Officer, country, agency);
        let view = |u: &SessionUser, sides| ensure_request(u, &parties, sides, RequestOp::View);
        assert_eq!(view(&officer(1, Country::India), to_cbsa), Ok(()));
        assert_eq!(view(&officer(11, Country::Canada), to_cbsa), Ok(()));
        assert_eq!(view(&officer(10, Country::Canada), to_cbsa), Err(AppError::NotFound), "a party that is neither end nor owner");
        assert_eq!(view(&officer(2, Country::India), to_cbsa), Err(AppError::NotFound));
        // Supervisors see a thread when one of its ends or the owner is of their country.
        assert_eq!(view(&user_at(Role::Supervisor, Country::Canada, 12), to_cbsa), Ok(()));
        let rcmp_to_cbi = RequestSides { from: RCMP, to: CBI, owner: NCB, unsent: false };
        assert_eq!(view(&officer(1, Country::India), rcmp_to_cbi), Ok(()), "the owner sees requests made on its case");
        assert_eq!(view(&officer(11, Country::Canada), rcmp_to_cbi), Err(AppError::NotFound));
        // Unsent, it exists for its sender only, not yet for the owner.
        assert_eq!(view(&officer(1, Country::India), RequestSides { unsent: true, ..rcmp_to_cbi }), Err(AppError::NotFound));
        let between_canadians = RequestSides { from: RCMP, to: CBSA, owner: NCB, unsent: false };
        assert_eq!(view(&user_at(Role::Supervisor, Country::India, 2), between_canadians), Ok(()), "owner's country");
    }

    /// Agencies (id, country) of the need-to-know fixture.
    const FIXTURE_AGENCIES: [(i64, Country); 5] =
        [(1, Country::India), (2, Country::India), (10, Country::Canada), (11, Country::Canada), (12, Country::Canada)];
    /// Cases with their parties, the first owning it: India only, both countries, Canada only, India again.
    const FIXTURE_CASES: &[(i64, &[i64])] = &[(100, &[1]), (101, &[1, 10]), (102, &[11]), (103, &[2, 1])];

    /// An in-memory database with the fixture's agencies, cases and one request per case × sender among its
    /// parties × recipient × status; the requests as (id, case, from, to, status).
    async fn need_to_know_fixture() -> (sqlx::SqlitePool, Vec<(i64, i64, i64, i64, RequestStatus, bool)>) {
        let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap();
        for sql in [
            "CREATE TABLE agencies (id INTEGER PRIMARY KEY, country TEXT NOT NULL)",
            "CREATE TABLE case_parties (case_id INTEGER NOT NULL, agency_id INTEGER NOT NULL)",
            "CREATE TABLE cases (id INTEGER PRIMARY KEY, owner_agency_id INTEGER NOT NULL)",
            "CREATE TABLE requests (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, status TEXT NOT NULL, from_agency_id INTEGER NOT NULL, \
             to_agency_id INTEGER NOT NULL, sent_at TEXT)",
        ] {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
        let (agencies, cases) = (FIXTURE_AGENCIES, FIXTURE_CASES);
        for (id, country) in agencies {
            sqlx::query("INSERT INTO agencies VALUES (?, ?)").bind(id).bind(country).execute(&pool).await.unwrap();
        }
        for (case, parties) in cases {
            for a in *parties {
                sqlx::query("INSERT INTO case_parties VALUES (?, ?)").bind(case).bind(a).execute(&pool).await.unwrap();
            }
            // The first party listed owns the case.
            sqlx::query("INSERT INTO cases VALUES (?, ?)").bind(case).bind(parties[0]).execute(&pool).await.unwrap();
        }
        // One request per case × sender among its parties × recipient (any agency) × status.
        let mut requests = Vec::new();
        for (case, parties) in cases {
            for from in *parties {
                for (to, _) in agencies {
                    // Withdrawn twice: once after sending, once as a draft (never sent).
                    for (status, sent) in [
                        (RequestStatus::Draft, false),
                        (RequestStatus::AwaitingApproval, false),
                        (RequestStatus::Sent, true),
                        (RequestStatus::Closed, true),
                        (RequestStatus::Withdrawn, true),
                        (RequestStatus::Withdrawn, false),
                    ] {
                        let id = requests.len() as i64 + 1;
                        sqlx::query("INSERT INTO requests VALUES (?, ?, ?, ?, ?, ?)")
                            .bind(id)
                            .bind(case)
                            .bind(status)
                            .bind(from)
                            .bind(to)
                            .bind(sent.then(chrono::Utc::now))
                            .execute(&pool)
                            .await
                            .unwrap();
                        requests.push((id, *case, *from, to, status, sent));
                    }
                }
            }
        }
        (pool, requests)
    }

    /// The SQL forms of the need-to-know rules select exactly the rows the Rust forms accept, for every kind
    /// of user: cases (`Visibility::push_sql` and `can_see_case`) and requests (`push_request_exists_for`,
    /// `push_request_visible` and `request_exists_for`).
    #[tokio::test]
    async fn need_to_know_sql_and_rust_agree() {
        let (pool, requests) = need_to_know_fixture().await;
        let cases = FIXTURE_CASES;
        let party = |id: i64| Party { agency_id: id, country: FIXTURE_AGENCIES.iter().find(|a| a.0 == id).unwrap().1 };
        let users = [
            user_at(Role::Officer, Country::India, 1),
            user_at(Role::Officer, Country::India, 2),
            user_at(Role::Officer, Country::Canada, 10),
            user_at(Role::Officer, Country::Canada, 12),
            user_at(Role::Supervisor, Country::India, 2),
            user_at(Role::Supervisor, Country::Canada, 12),
            user_at(Role::Admin, Country::India, 1),
        ];
        for user in &users {
            let expected_cases: Vec<i64> = cases
                .iter()
                .filter(|(_, parties)| can_see_case(user, &parties.iter().map(|a| party(*a)).collect::<Vec<_>>()))
                .map(|c| c.0)
                .collect();
            let expected_requests: Vec<i64> = requests
                .iter()
                .filter(|(_, case, from, to, status, sent)| {
                    let owner = cases.iter().find(|c| c.0 == *case).unwrap().1[0];
                    let unsent = !HasBeenSent::holds(*status, sent.then(chrono::Utc::now));
                    let sides = RequestSides { from: party(*from), to: party(*to), owner: party(owner), unsent };
                    request_exists_for(user, sides)
                })
                .map(|r| r.0)
                .collect();
            // An admin has no visibility at all (no list is built for them), which `can_see_case` agrees with.
            let cases_sql: Vec<i64> = match visibility(user) {
                Ok(vis) => {
                    let mut q = QueryBuilder::new("SELECT c.id FROM (SELECT DISTINCT case_id AS id FROM case_parties) c WHERE 1=1");
                    vis.push_sql(&mut q, "c.id");
                    q.push(" ORDER BY c.id");
                    q.build_query_scalar().fetch_all(&pool).await.unwrap()
                }
                Err(_) => vec![],
            };
            let mut q = QueryBuilder::new("SELECT r.id FROM requests r WHERE 1=1");
            push_request_exists_for(&mut q, user);
            q.push(" ORDER BY r.id");
            let requests_sql: Vec<i64> = q.build_query_scalar().fetch_all(&pool).await.unwrap();
            if let Ok(vis) = visibility(user) {
                let mut q = QueryBuilder::new("SELECT r.id FROM requests r WHERE 1=1");
                push_request_visible(&mut q, vis);
                q.push(" ORDER BY r.id");
                let by_visibility: Vec<i64> = q.build_query_scalar().fetch_all(&pool).await.unwrap();
                assert_eq!(by_visibility, expected_requests, "requests counted for {:?} of agency {}", user.role, user.agency_id);
            }
            assert_eq!(cases_sql, expected_cases, "cases visible to {:?} of agency {}", user.role, user.agency_id);
            assert_eq!(requests_sql, expected_requests, "requests existing for {:?} of agency {}", user.role, user.agency_id);
        }
        // The fixture separates: an Indian officer of agency 2 is party to one case of four (103, owned by
        // agency 2), where every request sent exists for them as the owner, and of the unsent only their own.
        let (cases_2, requests_2) =
            (cases.iter().filter(|(_, p)| p.contains(&2)).count(), requests.iter().filter(|r| r.1 == 103 && (r.2 == 2 || r.5)).count());
        assert_eq!((cases_2, requests_2), (1, 45));
        // ...and an officer of agency 1, party to case 103 but not its owner, sees there only the threads it
        // is an end of.
        let of_1_on_103 = requests
            .iter()
            .filter(|r| {
                r.1 == 103
                    && request_exists_for(&users[0], RequestSides { from: party(r.2), to: party(r.3), owner: party(2), unsent: !r.5 })
            })
            .count();
        assert_eq!(of_1_on_103, 5 * 6 + 3 /* its own, all statuses; agency 2's sent to it */);
        // A draft withdrawn before it was sent never existed for its recipient or the case's owner.
        let withdrawn_draft =
            requests.iter().find(|r| r.1 == 103 && r.2 == 1 && r.3 == 2 && r.4 == RequestStatus::Withdrawn && !r.5).unwrap();
        let owner_officer = user_at(Role::Officer, Country::India, 2);
        let sides = RequestSides { from: party(1), to: party(2), owner: party(2), unsent: !withdrawn_draft.5 };
        assert!(!request_exists_for(&owner_officer, sides));
    }

    #[test]
    fn list_visibility_by_role() {
        assert_eq!(visibility(&who(Who::PartyOfficer)), Ok(Visibility::Agency(10)));
        assert_eq!(visibility(&who(Who::OwnCountrySupervisor)), Ok(Visibility::Country(Country::India)));
        assert_eq!(visibility(&who(Who::Admin)), Err(AppError::Forbidden));
    }
}
