//! Four-eyes on accounts: an admin's change that would open case content to someone (a role that reads it,
//! another agency, re-enabling, a new account) is stored here and applied only when someone else confirms
//! it. Who that is, is the policy module's decision (`policy::confirmer`, `policy::may_decide_account_change`);
//! this module keeps the rows and applies a confirmed change. A new account's or a reset's temporary
//! password is made at the confirmation and shown to the confirmer: the admin who asked never holds it.

use crate::backend::platform::db::Tx;
use crate::backend::platform::passwords::PasswordHashString;
use crate::backend::platform::tokens::NewToken;
use crate::backend::platform::users::{self, PasswordKind, UserRow};
use crate::error::AppError;
use crate::i18n::{LabelIn, Locale};
use crate::model::{AccountChangeView, ChangeDecision, ChangeKind, Confirmer, Country, IssuedToken, Role, UserStatus};
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

/// The longest grounds for refusing, in characters (the column's CHECK says the same).
pub const MAX_GROUNDS_CHARS: usize = 2000;

/// An account change with what the decision needs: the account as it is and as it would be.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AccountChange {
    pub id: i64,
    pub user_id: i64,
    pub kind: ChangeKind,
    pub new_role: Option<Role>,
    pub new_agency_id: Option<i64>,
    pub requested_by: i64,
    pub requested_at: DateTime<Utc>,
    pub decision: Option<ChangeDecision>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTime<Utc>>,
    pub grounds: Option<String>,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub agency_code: String,
    pub country: Country,
    pub new_agency_code: Option<String>,
    pub new_country: Option<Country>,
    pub requested_by_name: String,
    pub decided_by_name: Option<String>,
    /// The account is a service account (`UserRow::service`).
    pub service: bool,
    /// The token an `IssueToken` change makes (the columns' CHECK: all three, only then).
    token_name: Option<String>,
    token_scopes: Option<String>,
    token_days: Option<i64>,
}

impl AccountChange {
    /// The role the account has once the change is applied.
    pub fn resulting_role(&self) -> Role {
        self.new_role.unwrap_or(self.role)
    }
    /// The country of the agency the account belongs to once the change is applied.
    pub fn resulting_country(&self) -> Country {
        self.new_country.unwrap_or(self.country)
    }
    pub fn is_open(&self) -> bool {
        self.decision.is_none()
    }
    /// Whether confirming it needs the confirmer's password again (and a recent sign-in): it hands over a
    /// token, a credential that outlives the session, as making one's own does.
    pub fn needs_reconfirming(&self) -> bool {
        self.kind == ChangeKind::IssueToken
    }
    /// Whether confirming it makes a temporary password for the confirmer to hand over: a new account's or a
    /// reset's, never a service account's (it has none: it signs in nowhere).
    pub fn issues_password(&self) -> bool {
        matches!(self.kind, ChangeKind::Create | ChangeKind::ResetPassword) && !self.service
    }
    /// The token an `IssueToken` change makes once confirmed.
    pub fn token(&self) -> Option<NewToken> {
        let (name, scopes, days) = (self.token_name.as_ref()?, self.token_scopes.as_ref()?, self.token_days?);
        Some(NewToken::stored(name, scopes, days))
    }

    /// What the change does, in the reader's words.
    fn description(&self, l: Locale) -> String {
        let role = |r: Role| r.label_in(l);
        match self.kind {
            ChangeKind::Create if self.service => tr!(l, "change-create-service", agency = self.agency_code.clone()),
            ChangeKind::Create => {
                tr!(l, "change-create", role = role(self.resulting_role()).to_lowercase(), agency = self.agency_code.clone())
            }
            ChangeKind::Enable => tr!(l, "change-enable", role = role(self.role).to_lowercase(), agency = self.agency_code.clone()),
            ChangeKind::ResetPassword => tr!(l, "change-reset-password"),
            ChangeKind::ResetSecondFactor => tr!(l, "change-reset-factor"),
            ChangeKind::IssueToken => match self.token() {
                Some(t) => {
                    let scopes: Vec<String> = t.scopes.iter().map(|s| s.label_in(l)).collect();
                    tr!(l, "change-issue-token", name = t.name, scopes = scopes.join(", "), days = t.days)
                }
                None => tr!(l, "change-issue-token-unreadable"),
            },
            ChangeKind::Update => {
                let mut parts = Vec::new();
                if let Some(new) = self.new_role {
                    parts.push(tr!(l, "change-role", from = role(self.role), to = role(new)));
                }
                if let Some(code) = &self.new_agency_code {
                    parts.push(tr!(l, "change-agency", from = self.agency_code.clone(), to = code.clone()));
                }
                let text = parts.join("; ");
                let mut chars = text.chars();
                chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
            }
        }
    }

    /// The view, with what this viewer may do with it (decided by the caller through the policy module), its
    /// times in the viewer's `zone`.
    pub fn view(&self, confirmer: Confirmer, may_decide: bool, may_withdraw: bool, zone: &str, l: Locale) -> AccountChangeView {
        use crate::backend::platform::time::shown;
        AccountChangeView {
            id: self.id,
            user_id: self.user_id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            kind: self.kind,
            description: self.description(l),
            needs_password: self.needs_reconfirming(),
            requested_by: self.requested_by_name.clone(),
            requested_at: shown(self.requested_at, zone),
            confirmer,
            decision: self.decision,
            decided_by: self.decided_by_name.clone(),
            decided_at: self.decided_at.map(|t| shown(t, zone)),
            grounds: self.grounds.clone(),
            may_decide,
            may_withdraw,
        }
    }
}

const SELECT: &str = "SELECT c.id, c.user_id, c.kind, c.new_role, c.new_agency_id, c.requested_by, c.requested_at, \
     c.decision, c.decided_by, c.decided_at, c.grounds, u.username, u.display_name, c.from_role AS role, \
     a.code AS agency_code, a.country, na.code AS new_agency_code, na.country AS new_country, r.display_name AS requested_by_name, \
     d.display_name AS decided_by_name, u.service, c.token_name, c.token_scopes, c.token_days \
     FROM account_changes c JOIN users u ON u.id = c.user_id JOIN agencies a ON a.id = c.from_agency_id \
     LEFT JOIN agencies na ON na.id = c.new_agency_id JOIN users r ON r.id = c.requested_by \
     LEFT JOIN users d ON d.id = c.decided_by";

pub async fn by_id(conn: &mut SqliteConnection, id: i64) -> Result<Option<AccountChange>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE c.id = ?")).bind(id).fetch_optional(conn).await?)
}

/// The account's open change, if any.
pub async fn open_for(conn: &mut SqliteConnection, user_id: i64) -> Result<Option<AccountChange>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE c.user_id = ? AND c.decision IS NULL")).bind(user_id).fetch_optional(conn).await?)
}

/// Every open change, oldest first, then the 50 most recently decided (the caller keeps what its viewer
/// may see). Open changes are few: each account has at most one.
pub async fn recent(conn: &mut SqliteConnection) -> Result<Vec<AccountChange>, AppError> {
    let mut rows: Vec<AccountChange> =
        sqlx::query_as(&format!("{SELECT} WHERE c.decision IS NULL ORDER BY c.requested_at, c.id LIMIT 1000"))
            .fetch_all(&mut *conn)
            .await?;
    let decided: Vec<AccountChange> =
        sqlx::query_as(&format!("{SELECT} WHERE c.decision IS NOT NULL ORDER BY c.decided_at DESC, c.id DESC LIMIT 50"))
            .fetch_all(conn)
            .await?;
    rows.extend(decided);
    Ok(rows)
}

/// What an admin asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub kind: ChangeKind,
    pub new_role: Option<Role>,
    pub new_agency_id: Option<i64>,
    /// The token of an `IssueToken` change.
    pub token: Option<NewToken>,
}

impl Proposal {
    /// A change of nothing but its kind: a new account, re-enabling, a password reset.
    pub fn of(kind: ChangeKind) -> Self {
        Proposal { kind, new_role: None, new_agency_id: None, token: None }
    }
    /// A token for a service account.
    pub fn token(token: NewToken) -> Self {
        Proposal { token: Some(token), ..Proposal::of(ChangeKind::IssueToken) }
    }
}

/// Stores the proposal for the account as it is now; refused while another change of it is open.
pub async fn propose(tx: &mut Tx, target: &UserRow, proposal: Proposal, requested_by: i64) -> Result<AccountChange, AppError> {
    let user_id = target.id;
    if open_for(tx, user_id).await?.is_some() {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-change-account-already-waiting-confirmation")));
    }
    let token = proposal.token.as_ref().map(NewToken::columns);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO account_changes (user_id, kind, from_role, from_agency_id, new_role, new_agency_id, requested_by, requested_at, \
         token_name, token_scopes, token_days) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
    )
    .bind(user_id)
    .bind(proposal.kind)
    .bind(target.role)
    .bind(target.agency_id)
    .bind(proposal.new_role)
    .bind(proposal.new_agency_id)
    .bind(requested_by)
    .bind(Utc::now())
    .bind(token.as_ref().map(|t| t.0.clone()))
    .bind(token.as_ref().map(|t| t.1.clone()))
    .bind(token.as_ref().map(|t| t.2))
    .fetch_one(&mut **tx)
    .await?;
    Ok(by_id(tx, id).await?.expect("just inserted"))
}

/// Records the decision on an open change (`WHERE decision IS NULL`: two deciders cannot both win).
async fn decide(tx: &mut Tx, change: &AccountChange, decision: ChangeDecision, by: i64, grounds: Option<&str>) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE account_changes SET decision = ?, decided_by = ?, decided_at = ?, grounds = ? WHERE id = ? AND decision IS NULL",
    )
    .bind(decision)
    .bind(by)
    .bind(Utc::now())
    .bind(grounds)
    .bind(change.id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-change-has-already-been-decided")));
    }
    Ok(())
}

/// A temporary password made for a confirmation (hashed before the write transaction: hashing is slow).
pub struct Issued {
    pub hash: PasswordHashString,
    pub until: chrono::DateTime<Utc>,
}

/// Confirms the change and applies it to the account. `issued` is the new temporary password of a new
/// account or a reset (`AccountChange::issues_password`); its lifetime counts from now. Answers the token an
/// `IssueToken` change made, its secret known this once.
pub async fn confirm(tx: &mut Tx, change: &AccountChange, by: i64, issued: Option<&Issued>) -> Result<Option<IssuedToken>, AppError> {
    decide(tx, change, ChangeDecision::Confirmed, by, None).await?;
    let target = users::by_id(tx, change.user_id).await?.ok_or(AppError::NotFound)?;
    let set_temporary =
        |issued: Option<&Issued>| issued.map(|i| (i.hash.clone(), PasswordKind::Temporary { until: i.until })).ok_or(AppError::Internal);
    match change.kind {
        ChangeKind::Create if target.service => users::set_status(tx, target.id, UserStatus::Active).await?,
        ChangeKind::Create => {
            let (hash, kind) = set_temporary(issued)?;
            users::set_password(tx, target.id, &hash, kind).await?;
            users::set_status(tx, target.id, UserStatus::Active).await?;
        }
        ChangeKind::IssueToken => {
            // Disabled meanwhile (its tokens revoked with it): nothing is issued to it until it is enabled again.
            if !target.is_active() || !target.service {
                return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-token-account-not-active-service")));
            }
            let token = change.token().ok_or(AppError::Internal)?;
            return Ok(Some(crate::backend::platform::tokens::create(tx, &target, &token, Utc::now()).await?));
        }
        ChangeKind::ResetPassword => {
            let (hash, kind) = set_temporary(issued)?;
            users::set_password(tx, target.id, &hash, kind).await?;
        }
        ChangeKind::Enable => users::set_status(tx, target.id, UserStatus::Active).await?,
        ChangeKind::ResetSecondFactor => {
            crate::backend::platform::second_factor::remove(tx, target.id).await?;
            // A session on a lost phone must not live on to set up a new factor of its own.
            users::end_sessions(tx, target.id).await?;
        }
        ChangeKind::Update => {
            // The last active admin must stay one, whoever confirms.
            users::ensure_admin_remains(tx, &target, change.resulting_role() == Role::Admin).await?;
            let role = change.resulting_role();
            let agency_id = change.new_agency_id.unwrap_or(target.agency_id);
            users::update_profile(tx, target.id, &target.display_name, role, agency_id).await?;
        }
    }
    // A new password, second factor, role or agency ends the account's API tokens for good (their binding
    // would refuse them anyway, but a role or agency changed back must not bring them back).
    if matches!(change.kind, ChangeKind::ResetPassword | ChangeKind::ResetSecondFactor | ChangeKind::Update) {
        crate::backend::platform::tokens::revoke_all_of(tx, target.id, chrono::Utc::now()).await?;
    }
    Ok(None)
}

pub async fn refuse(tx: &mut Tx, change: &AccountChange, by: i64, grounds: &str) -> Result<(), AppError> {
    decide(tx, change, ChangeDecision::Refused, by, Some(grounds)).await
}

pub async fn withdraw(tx: &mut Tx, change: &AccountChange, by: i64) -> Result<(), AppError> {
    decide(tx, change, ChangeDecision::Withdrawn, by, None).await
}
