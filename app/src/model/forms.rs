//! Forms as they are posted: every field exactly as the user typed or chose it. The server parses each into
//! its typed input at the edge (`CaseInput::parse`, `RequestInput::parse`, ...), which reports every bad
//! field at once; nothing behind that edge sees these strings. The fields are posted flat (`title=...`),
//! under the names the page's inputs carry, and an absent field reads as empty.

use serde::{Deserialize, Serialize};

/// A case's fields (new case and edit).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseForm {
    pub title: String,
    pub summary: String,
    pub category: String,
    pub priority: String,
    pub tlp: String,
    /// The lead officer's user id.
    pub lead: String,
    /// Agency codes, separated by commas, spaces or lines.
    pub parties: String,
    /// Case references, separated the same way.
    pub links: String,
}

/// A new request.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub priority: String,
    pub tlp: String,
    /// A ticked checkbox ("true", "on" or "yes").
    pub directly_available: String,
    /// The agency asked, by code.
    pub to_agency: String,
    /// A local date-time in the sender's zone ("2026-11-25T14:00"), or empty for the default deadline.
    pub due: String,
    /// "draft" saves without sending; anything else sends at once.
    pub intent: String,
}

/// A response in a request's thread.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseForm {
    pub kind: String,
    pub body: String,
    pub source_grade: String,
    pub info_grade: String,
    pub tlp: String,
    /// Ids of files this user uploaded to the request for this response, separated by commas.
    pub attachments: String,
}

/// An indicator added by hand.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndicatorForm {
    pub kind: String,
    pub value: String,
    pub tlp: String,
    /// Dates as "2026-11-25", or empty.
    pub first_seen: String,
    pub last_seen: String,
    pub note: String,
}

/// A person, company or vessel named in a case.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntityForm {
    pub kind: String,
    pub name: String,
    pub identifier: String,
    pub note: String,
}
