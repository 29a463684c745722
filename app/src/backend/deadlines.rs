//! When a request is due, and whether it is overdue. Defaults follow EU Directive 2023/977 art. 5: urgent
//! requests for directly available information 8 hours, urgent indirectly available 3 calendar days,
//! all others 7 calendar days; each is configurable.

use crate::model::{Deadline, Priority, RequestKind, RequestStatus, ShownTime};
use chrono::{DateTime, Duration, Utc};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadlinePolicy {
    pub urgent_direct: Duration,
    pub urgent_indirect: Duration,
    pub high: Duration,
    pub normal: Duration,
    pub low: Duration,
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        DeadlinePolicy {
            urgent_direct: Duration::hours(8),
            urgent_indirect: Duration::days(3),
            high: Duration::days(7),
            normal: Duration::days(7),
            low: Duration::days(7),
        }
    }
}

impl DeadlinePolicy {
    /// The due time of a request sent at `sent`; None for notifications that expect no answer.
    pub fn default_due(&self, kind: RequestKind, priority: Priority, directly_available: bool, sent: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if !kind.expects_answer() {
            return None;
        }
        let span = match (priority, directly_available) {
            (Priority::Urgent, true) => self.urgent_direct,
            (Priority::Urgent, false) => self.urgent_indirect,
            (Priority::High, _) => self.high,
            (Priority::Normal, _) => self.normal,
            (Priority::Low, _) => self.low,
        };
        Some(sent + span)
    }

    /// The sender may ask for an earlier answer than the default, never a later one.
    pub fn effective_due(
        &self,
        kind: RequestKind,
        priority: Priority,
        directly_available: bool,
        sent: DateTime<Utc>,
        requested: Option<DateTime<Utc>>,
    ) -> Result<Option<DateTime<Utc>>, String> {
        let default = self.default_due(kind, priority, directly_available, sent);
        match (default, requested) {
            (None, _) => Ok(None),
            (Some(d), None) => Ok(Some(d)),
            (Some(_), Some(r)) if r <= sent => Err("The due time must be in the future.".into()),
            (Some(d), Some(r)) if r > d => Err(format!(
                "The due time can only be earlier than the default for this type and priority ({} UTC).",
                d.format("%Y-%m-%d %H:%M")
            )),
            (Some(_), Some(r)) => Ok(Some(r)),
        }
    }
}

/// Overdue: the due time has passed (strictly) and the request is not answered, declined, withdrawn or closed.
pub fn is_overdue(status: RequestStatus, due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    !status.stops_the_clock() && !status.is_unsent() && due.is_some_and(|d| now > d)
}

fn span_words(d: Duration) -> String {
    let mins = d.num_minutes().abs();
    let (days, hours, minutes) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    if days > 0 {
        format!("{days} d {hours} h")
    } else if hours > 0 {
        format!("{hours} h {minutes} min")
    } else {
        format!("{minutes} min")
    }
}

/// The counterpart capital's zone for a viewer in `zone`: officers sit in Toronto and Kolkata.
pub fn other_capital_zone(zone: &str) -> &'static str {
    if zone == "Asia/Kolkata" {
        "America/Toronto"
    } else {
        "Asia/Kolkata"
    }
}

pub fn describe(status: RequestStatus, due: DateTime<Utc>, now: DateTime<Utc>, zone: &str) -> Deadline {
    let overdue = is_overdue(status, Some(due), now);
    let remaining = if status.stops_the_clock() {
        String::new()
    } else if overdue {
        format!("overdue by {}", span_words(now - due))
    } else {
        format!("in {}", span_words(due - now))
    };
    let other = other_capital_zone(zone);
    Deadline {
        due: ShownTime { at: due, text: super::time::display(due, zone) },
        other_zone: super::time::display_short(due, other),
        overdue,
        remaining,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 8, 30, 0).unwrap()
    }

    #[test]
    fn defaults_by_priority_and_availability() {
        let p = DeadlinePolicy::default();
        let info = RequestKind::Information;
        assert_eq!(p.default_due(info, Priority::Urgent, true, t0()), Some(t0() + Duration::hours(8)));
        assert_eq!(p.default_due(info, Priority::Urgent, false, t0()), Some(t0() + Duration::days(3)));
        for pr in [Priority::High, Priority::Normal, Priority::Low] {
            assert_eq!(p.default_due(info, pr, true, t0()), Some(t0() + Duration::days(7)), "{pr:?}");
        }
        assert_eq!(p.default_due(RequestKind::IntelligenceShare, Priority::Urgent, true, t0()), None);
    }

    #[test]
    fn configurable_per_priority() {
        let p = DeadlinePolicy { normal: Duration::days(10), ..DeadlinePolicy::default() };
        assert_eq!(p.default_due(RequestKind::Assistance, Priority::Normal, false, t0()), Some(t0() + Duration::days(10)));
    }

    #[test]
    fn sender_may_only_shorten() {
        let p = DeadlinePolicy::default();
        let k = RequestKind::Information;
        let earlier = t0() + Duration::hours(4);
        assert_eq!(p.effective_due(k, Priority::Urgent, true, t0(), Some(earlier)), Ok(Some(earlier)));
        assert!(p.effective_due(k, Priority::Urgent, true, t0(), Some(t0() + Duration::hours(9))).unwrap_err().contains("earlier"));
        assert!(p.effective_due(k, Priority::Urgent, true, t0(), Some(t0() - Duration::hours(1))).unwrap_err().contains("future"));
    }

    #[test]
    fn overdue_exactly_after_the_due_time() {
        let due = t0();
        assert!(!is_overdue(RequestStatus::Sent, Some(due), due), "at the due instant: not yet overdue");
        assert!(is_overdue(RequestStatus::Sent, Some(due), due + Duration::seconds(1)));
        assert!(is_overdue(RequestStatus::Acknowledged, Some(due), due + Duration::hours(1)));
        assert!(is_overdue(RequestStatus::InProgress, Some(due), due + Duration::hours(1)));
        for s in [RequestStatus::Answered, RequestStatus::Declined, RequestStatus::Withdrawn, RequestStatus::Closed, RequestStatus::Draft] {
            assert!(!is_overdue(s, Some(due), due + Duration::days(30)), "{s:?}");
        }
        assert!(!is_overdue(RequestStatus::Sent, None, due + Duration::days(30)));
    }

    #[test]
    fn described_in_the_viewers_zone_with_the_other_capital() {
        let due = t0(); // 08:30 UTC = 14:00 IST = 03:30 EST
        let d = describe(RequestStatus::Sent, due, due - Duration::minutes(320), "America/Toronto");
        assert_eq!(d.due.text, "2026-11-25 03:30 EST");
        assert_eq!(d.other_zone, "14:00 IST");
        assert_eq!(d.remaining, "in 5 h 20 min");
        assert!(!d.overdue);
        let late = describe(RequestStatus::Acknowledged, due, due + Duration::hours(51), "Asia/Kolkata");
        assert_eq!(late.due.text, "2026-11-25 14:00 IST");
        assert!(late.overdue);
        assert_eq!(late.remaining, "overdue by 2 d 3 h");
    }
}
