//! Accounts and agencies as the browser sees them.

use super::{Country, Role, UserStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The signed-in user, as the header and the navigation need it.
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
}

/// A new account's one-time password, shown once to the admin who created or reset it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssuedPassword {
    pub user: UserView,
    pub temporary_password: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserFilter {
    pub q: String,
    pub role: String,
    pub agency: String,
    pub status: String,
}
