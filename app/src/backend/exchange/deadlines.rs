//! When a request is due, and whether it is overdue. Defaults follow EU Directive 2023/977 art. 5: urgent
//! requests for directly available information 8 hours, urgent indirectly available 3 calendar days,
//! all others 7 calendar days; each is configurable.

use crate::backend::exchange::rules::{ExpectsAnswer, Open, Overdue};
use crate::error::AppError;
use crate::model::{Country, Deadline, Priority, Remaining, RequestKind, RequestStatus, ShownTime};
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
    pub fn default_due(
        &self,
        kind: RequestKind,
        priority: Priority,
        directly_available: bool,
        sent: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        if !ExpectsAnswer::holds(kind) {
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
    ) -> Result<Option<DateTime<Utc>>, DueRefused> {
        let default = self.default_due(kind, priority, directly_available, sent);
        match (default, requested) {
            (None, _) => Ok(None),
            (Some(d), None) => Ok(Some(d)),
            (Some(_), Some(r)) if r <= sent => Err(DueRefused::Past),
            (Some(d), Some(r)) if r > d => Err(DueRefused::LaterThanDefault(d)),
            (Some(_), Some(r)) => Ok(Some(r)),
        }
    }
}

/// Why an asked due time was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DueRefused {
    #[error("The due time must be in the future.")]
    Past,
    #[error("The due time can only be earlier than the default for this type and priority ({} UTC).", .0.format("%Y-%m-%d %H:%M"))]
    LaterThanDefault(DateTime<Utc>),
}

/// Reported against the form's due field.
impl From<DueRefused> for AppError {
    fn from(refused: DueRefused) -> Self {
        AppError::field("due", refused.to_string())
    }
}

impl DeadlinePolicy {
    /// The due time a request gets when it is sent (by its sender, or by the supervisor approving it):
    /// the time asked for when it was written, if still ahead and not later than the default from now;
    /// otherwise the default. Nobody is asked anything at this point (the time was checked with its form,
    /// `effective_due`), so a time that has passed or outruns the default falls back to the default
    /// rather than leave a request that can never be sent.
    pub fn due_on_sending(
        &self,
        kind: RequestKind,
        priority: Priority,
        directly_available: bool,
        now: DateTime<Utc>,
        asked: Option<DateTime<Utc>>,
    ) -> Option<DateTime<Utc>> {
        let default = self.default_due(kind, priority, directly_available, now)?;
        Some(asked.filter(|a| *a > now && *a <= default).unwrap_or(default))
    }
}

/// A due time as `viewer` (in `zone`, of `country`) sees it: in their zone, with the counterpart's capital
/// beside it ("due 14:00 IST / 03:30 EST"), and what remains while the request is open.
pub fn describe(status: RequestStatus, due: DateTime<Utc>, now: DateTime<Utc>, zone: &str, country: Country) -> Deadline {
    describe_open(Open::holds(status), due, now, zone, country)
}

/// A deadline of something still awaited (`open`) or settled: a request, a consent asked of a provider.
pub fn describe_open(open: bool, due: DateTime<Utc>, now: DateTime<Utc>, zone: &str, country: Country) -> Deadline {
    // As `Overdue`: open and strictly past the due instant.
    let overdue = open && now > due;
    let remaining = open.then(|| Remaining { minutes: (due - now).num_minutes().abs(), overdue });
    let other = country.counterpart().default_time_zone();
    Deadline {
        due: ShownTime { at: due, text: crate::backend::platform::time::display(due, zone) },
        other_zone: crate::backend::platform::time::display_short(due, other),
        overdue,
        remaining,
    }
}

/// Requests overdue now, per country that must answer them (for `/metrics`).
pub async fn overdue_by_country(pool: &sqlx::SqlitePool, now: DateTime<Utc>) -> Result<Vec<(Country, i64)>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT a.country, COUNT(*) FROM requests r JOIN agencies a ON a.id = r.to_agency_id WHERE {} GROUP BY a.country",
        Overdue::sql("?1")
    ))
    .bind(now)
    .fetch_all(pool)
    .await?;
    Ok(Country::ALL.iter().map(|c| (*c, rows.iter().find(|(k, _)| k == c.as_str()).map_or(0, |(_, n)| *n))).collect())
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
        assert!(p
            .effective_due(k, Priority::Urgent, true, t0(), Some(t0() + Duration::hours(9)))
            .unwrap_err()
            .to_string()
            .contains("earlier"));
        assert!(p
            .effective_due(k, Priority::Urgent, true, t0(), Some(t0() - Duration::hours(1)))
            .unwrap_err()
            .to_string()
            .contains("future"));
    }

    #[test]
    fn sending_keeps_an_earlier_time_asked_for_and_falls_back_to_the_default_otherwise() {
        let p = DeadlinePolicy::default();
        let k = RequestKind::Information;
        let default = t0() + Duration::hours(8);
        let earlier = t0() + Duration::hours(4);
        assert_eq!(p.due_on_sending(k, Priority::Urgent, true, t0(), Some(earlier)), Some(earlier));
        assert_eq!(p.due_on_sending(k, Priority::Urgent, true, t0(), None), Some(default));
        // Asked for a time that passed while the request waited for approval: the default from now.
        assert_eq!(p.due_on_sending(k, Priority::Urgent, true, t0(), Some(t0() - Duration::hours(1))), Some(default));
        // Later than the default (the settings were shortened since it was written): never later.
        assert_eq!(p.due_on_sending(k, Priority::Urgent, true, t0(), Some(t0() + Duration::hours(9))), Some(default));
        assert_eq!(p.due_on_sending(RequestKind::IntelligenceShare, Priority::Urgent, true, t0(), Some(earlier)), None);
    }

    #[test]
    fn described_in_the_viewers_zone_with_the_other_capital() {
        let due = t0(); // 08:30 UTC = 14:00 IST = 03:30 EST
        let d = describe(RequestStatus::Sent, due, due - Duration::minutes(320), "America/Toronto", Country::Canada);
        assert_eq!(d.due.text, "2026-11-25 03:30 EST");
        assert_eq!(d.other_zone, "14:00 IST");
        assert_eq!(d.remaining, Some(Remaining { minutes: 320, overdue: false }));
        assert!(!d.overdue);
        let late = describe(RequestStatus::Acknowledged, due, due + Duration::hours(51), "Asia/Kolkata", Country::India);
        assert_eq!(late.due.text, "2026-11-25 14:00 IST");
        assert!(late.overdue);
        assert_eq!(late.remaining, Some(Remaining { minutes: 51 * 60, overdue: true }));
        let answered = describe(RequestStatus::Answered, due, due + Duration::hours(51), "Asia/Kolkata", Country::India);
        assert!(!answered.overdue);
        assert_eq!(answered.remaining, None);
    }

    #[test]
    fn the_other_capital_follows_the_viewers_country_not_their_zone() {
        let due = t0();
        // An Indian officer working from London still sees Ottawa's time beside the due time.
        let d = describe(RequestStatus::Sent, due, due - Duration::hours(1), "Europe/London", Country::India);
        assert_eq!(d.due.text, "2026-11-25 08:30 GMT");
        assert_eq!(d.other_zone, "03:30 EST");
        let d = describe(RequestStatus::Sent, due, due - Duration::hours(1), "Europe/Paris", Country::Canada);
        assert_eq!(d.other_zone, "14:00 IST");
    }
}
