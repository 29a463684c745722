//! API tokens as their owner's profile shows them, and the form that makes one.

use super::ShownTime;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

super::text_enum!(
    /// What a token may do on `/api/v1`, on top of what its owner may do (the policy module decides that,
    /// as on the pages): a token never does more than its owner, and usually less.
    TokenScope {
        Read => ("read", "Read cases and requests"),
        Write => ("write", "Create and change cases, requests and responses"),
        Indicators => ("indicators", "Add indicators"),
        Notifications => ("notifications", "Read and mark notifications"),
    }
);

/// The longest life a token may have: a year, as the issue asks; shorter is the default.
pub const TOKEN_MAX_DAYS: i64 = 365;
/// The life a new token gets when none is chosen.
pub const TOKEN_DEFAULT_DAYS: i64 = 90;
/// The longest name a token may have.
pub const TOKEN_MAX_NAME_CHARS: usize = 80;
/// The most live tokens one account keeps.
pub const TOKEN_MAX_PER_ACCOUNT: i64 = 20;

/// One of the user's tokens (never its secret, which is shown once when made).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<TokenScope>,
    pub created: ShownTime,
    pub expires: ShownTime,
    pub last_used: Option<ShownTime>,
    /// Revoked or expired: refused on every call.
    pub revoked: bool,
    pub expired: bool,
    /// The owner's password, second factor, role or agency changed since: refused like a revoked one.
    pub stale: bool,
}

/// A token just made: the only time its secret is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssuedToken {
    pub id: i64,
    pub name: String,
    pub secret: String,
}

/// The profile's form for a new token, as posted. Scopes arrive as ticked checkboxes named after each scope
/// ("on" when ticked), so an unticked scope is simply absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    pub name: String,
    /// Days until it expires, 1 to 365; empty for the default.
    pub days: String,
    pub read: String,
    pub write: String,
    pub indicators: String,
    pub notifications: String,
}

impl TokenForm {
    /// The ticked scopes, in their fixed order.
    pub fn ticked(&self) -> Vec<TokenScope> {
        let on = |v: &str| matches!(v, "on" | "true" | "yes" | "1");
        [
            (TokenScope::Read, &self.read),
            (TokenScope::Write, &self.write),
            (TokenScope::Indicators, &self.indicators),
            (TokenScope::Notifications, &self.notifications),
        ]
        .into_iter()
        .filter(|(_, v)| on(v))
        .map(|(s, _)| s)
        .collect()
    }
}
