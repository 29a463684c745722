//! The supervisor dashboard's figures, as the browser shows them.

use super::ShownTime;
use serde::{Deserialize, Serialize};

/// A labelled count with the link to the list behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub label: String,
    pub value: i64,
    pub link: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelinessRow {
    pub window_days: i64,
    /// "sent" (by us) or "received" (by us)
    pub direction: String,
    /// Counterpart agency code, or "All".
    pub counterpart: String,
    pub requests: i64,
    pub ack_median_hours: Option<f64>,
    pub ack_p90_hours: Option<f64>,
    pub answer_median_hours: Option<f64>,
    pub answer_p90_hours: Option<f64>,
    /// Answered within the deadline, among answered requests that had one (0..=1).
    pub within_deadline: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekPoint {
    /// Monday of the week, YYYY-MM-DD.
    pub week: String,
    pub sent: i64,
    pub received: i64,
    pub answered: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfficerLoad {
    pub user_id: i64,
    /// The account is disabled: what it still holds waits to be handed over.
    pub inactive: bool,
    pub name: String,
    pub agency: String,
    pub open_cases_led: i64,
    pub open_requests: i64,
    pub overdue: i64,
}

// Each figure's link selects exactly the rows it counts (server test: every dashboard link).

impl TimelinessRow {
    pub fn link(&self) -> String {
        let direction = if self.direction == "sent" { "outgoing" } else { "incoming" };
        match self.counterpart.as_str() {
            "All" => format!("/requests?direction={direction}&window={}", self.window_days),
            cp => format!("/requests?direction={direction}&counterpart={cp}&window={}", self.window_days),
        }
    }
}

impl WeekPoint {
    pub fn sent_link(&self) -> String {
        format!("/requests?direction=outgoing&sent_week={}", self.week)
    }

    pub fn received_link(&self) -> String {
        format!("/requests?direction=incoming&sent_week={}", self.week)
    }

    pub fn answered_link(&self) -> String {
        format!("/requests?direction=incoming&answered_week={}", self.week)
    }
}

impl OfficerLoad {
    pub fn cases_link(&self) -> String {
        format!("/cases?status={}&lead={}", super::CASES_CURRENT, self.user_id)
    }

    pub fn open_requests_link(&self) -> String {
        format!("/requests?direction=both&status={}&officer={}", super::REQUESTS_OPEN, self.user_id)
    }

    pub fn overdue_link(&self) -> String {
        format!("/requests?direction=both&overdue=1&officer={}", self.user_id)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    pub country: String,
    /// When these figures were computed: views within the snapshot lifetime share one computation.
    pub as_of: ShownTime,
    pub open_cases_by_category: Vec<Figure>,
    pub open_cases_by_priority: Vec<Figure>,
    pub incoming_by_status: Vec<Figure>,
    pub outgoing_by_status: Vec<Figure>,
    pub overdue_incoming: Figure,
    pub overdue_outgoing: Figure,
    pub due_within_24h: Figure,
    pub timeliness: Vec<TimelinessRow>,
    pub trend: Vec<WeekPoint>,
    pub workload: Vec<OfficerLoad>,
    /// Open requests received on the other side's cases that no officer here has acknowledged yet.
    pub untaken: Figure,
    pub untaken_overdue: Figure,
    /// Consent asked of this country's agencies (to use or pass on what they gave), awaiting their answer,
    /// and how many of those are overdue: the inbox lists them.
    pub consents_awaited: Figure,
    pub consents_overdue: Figure,
}
