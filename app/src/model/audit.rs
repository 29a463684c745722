//! The audit trail as the audit page shows it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEventView {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// `at` in the viewer's zone, with the zone named.
    pub at_display: String,
    pub username: Option<String>,
    pub agency_code: Option<String>,
    pub client_ip: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub outcome: String,
    pub details: String,
    /// The event as a sentence in the reader's language (`platform::event_words`).
    pub said: String,
    /// The details as labelled fields, in the reader's language where the catalogue knows the label.
    pub fields: Vec<DetailField>,
}

/// One field of an event's details.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DetailField {
    pub label: String,
    /// The label is the field's own code (no words for it in the catalogue).
    pub label_is_code: bool,
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    pub user: String,
    pub action: String,
    /// Inclusive dates, YYYY-MM-DD, in UTC.
    pub from: String,
    pub to: String,
    pub page: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEventView>,
    pub page: u32,
    pub has_more: bool,
    /// Which events the viewer may see, in the reader's words ("all events", "events of users in India").
    pub scope: String,
}

pub const AUDIT_PAGE_SIZE: u32 = 50;
