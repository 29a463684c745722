//! Accounts and agencies as the browser sees them.

use super::{Country, Role, UserStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

impl SessionUser {
    /// Signed in, but allowed only their profile page until a temporary password is replaced and a second
    /// factor set up (where required).
    pub fn restricted(&self) -> bool {
        self.must_change_password || self.must_enrol_second_factor
    }
}

/// The signed-in user, as the header and the navigation need it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub agency_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub agency_code: String,
    pub agency_name: String,
    pub country: Country,
    pub time_zone: String,
    pub must_change_password: bool,
    /// The account has no second factor yet and must set one up before anything else.
    pub must_enrol_second_factor: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgencyView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub country: Country,
    pub user_count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub agency_code: String,
    pub agency_name: String,
    pub country: Country,
    pub time_zone: String,
    pub status: UserStatus,
    pub must_change_password: bool,
    /// Set while the account is locked after repeated failed sign-ins.
    pub locked_until: Option<DateTime<Utc>>,
    pub failed_attempts: i64,
    pub created_at: DateTime<Utc>,
    /// An authenticator app is set up.
    pub second_factor: bool,
    /// Another system's account: API tokens only, never a sign-in.
    pub service: bool,
}

/// What confirming an account change hands to its confirmer, once: a new account's or a reset's temporary
/// password, or a service account's new API token (with its secret).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Handover {
    pub user: UserView,
    pub temporary_password: Option<String>,
    pub token: Option<super::IssuedToken>,
}

/// Where a correct password leads: signed in, or on to the second factor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SignInStep {
    SignedIn(SessionUser),
    SecondFactor,
}

impl SignInStep {
    /// The page the browser goes to next.
    pub fn next(&self) -> &'static str {
        match self {
            SignInStep::SignedIn(_) => "/",
            SignInStep::SecondFactor => "/login/code",
        }
    }
}

/// The sign-in server function's answer: where to go next, and the user once signed in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignInAnswer {
    pub next: String,
    pub user: Option<SessionUser>,
}

impl From<SignInStep> for SignInAnswer {
    fn from(step: SignInStep) -> Self {
        let next = step.next().to_string();
        match step {
            SignInStep::SignedIn(user) => SignInAnswer { next, user: Some(user) },
            SignInStep::SecondFactor => SignInAnswer { next, user: None },
        }
    }
}

/// The signed-in user's second factors, as their profile shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecondFactorStatus {
    /// An authenticator app is set up.
    pub totp: bool,
    pub passkeys: Vec<PasskeyInfo>,
    /// Where passkeys work (this server's public address): elsewhere the browser refuses them.
    pub passkey_origin: String,
    pub recovery_codes_left: i64,
    /// The instance requires one of this account.
    pub required: bool,
}

impl SecondFactorStatus {
    pub fn any(&self) -> bool {
        self.totp || !self.passkeys.is_empty()
    }
}

/// One of the user's passkeys, as their profile lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PasskeyInfo {
    pub id: i64,
    pub name: String,
    pub created_at: super::ShownTime,
    pub last_used_at: Option<super::ShownTime>,
}

/// Which second factors a sign-in waiting for one may use, and where passkeys work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingFactors {
    pub passkeys: bool,
    pub totp: bool,
    pub passkey_origin: String,
}

/// The browser's instructions for making a passkey, and the address where that works.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PasskeyCreation {
    pub options: webauthn_rs_proto::CreationChallengeResponse,
    pub origin: String,
}

/// The browser's instructions for signing in with a passkey, and the address where that works.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PasskeyRequest {
    pub options: webauthn_rs_proto::RequestChallengeResponse,
    pub origin: String,
}

/// Setting up an authenticator app: the QR code (SVG made by the server) and the secret as text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TotpSetup {
    pub secret: String,
    pub qr_svg: String,
}

/// What an admin's request for a new account or a password reset answers: who must confirm it (and
/// receives the temporary password).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AwaitingConfirmation {
    pub user: UserView,
    /// "a supervisor in India", "another admin".
    pub confirmer: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserFilter {
    pub q: String,
    pub role: String,
    pub agency: String,
    pub status: String,
}

super::text_enum!(
    /// What an admin asked for that waits for someone else's confirmation.
    ChangeKind {
        Create => ("create", "New account"),
        Update => ("update", "Role or agency change"),
        Enable => ("enable", "Re-enabling"),
        ResetPassword => ("reset_password", "Password reset"),
        ResetSecondFactor => ("reset_second_factor", "Second factor reset"),
        IssueToken => ("issue_token", "API token for a service account"),
    }
);

super::text_enum!(ChangeDecision {
    Confirmed => ("confirmed", "Confirmed"),
    Refused => ("refused", "Refused"),
    Withdrawn => ("withdrawn", "Withdrawn"),
});

/// Who must confirm an account change (decided by `backend::policy::confirmer`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Confirmer {
    /// A supervisor of this country (the agency's, after the change).
    Supervisor(Country),
    /// An admin other than the one who asked.
    Admin,
}

impl Confirmer {
    /// Who must confirm, in the reader's words ("a supervisor in India").
    pub fn label_in(self, l: crate::i18n::Locale) -> String {
        use crate::i18n::LabelIn;
        match self {
            Confirmer::Supervisor(c) => tr!(l, "confirmer-supervisor", country = c.label_in(l)),
            Confirmer::Admin => tr!(l, "confirmer-admin"),
        }
    }
}

/// One account change as the confirmations list and the account page show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountChangeView {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub kind: ChangeKind,
    /// "Role: Liaison officer → Supervisor; agency: NCB → CBI", or the new account's role and agency.
    pub description: String,
    /// Confirming asks for the confirmer's password again (it hands over an API token).
    pub needs_password: bool,
    pub requested_by: String,
    /// In the viewer's time zone, named.
    pub requested_at: super::ShownTime,
    pub confirmer: Confirmer,
    pub decision: Option<ChangeDecision>,
    pub decided_by: Option<String>,
    pub decided_at: Option<super::ShownTime>,
    pub grounds: Option<String>,
    /// The viewer may confirm or refuse it.
    pub may_decide: bool,
    /// The viewer may withdraw it (an admin, while it is open).
    pub may_withdraw: bool,
}

super::text_enum!(
    /// Whether an account gets e-mail alerts: none, one per event, or a daily digest.
    EmailAlerts {
        Off => ("off", "No e-mail"),
        Each => ("each", "One e-mail per event"),
        Daily => ("daily", "A daily digest"),
    }
);

/// An account's e-mail alert setting, as its profile shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailPreference {
    pub email: String,
    pub mode: EmailAlerts,
    /// The server has an SMTP server to send through (`LD_SMTP_URL`).
    pub enabled: bool,
}
