//! Showing UTC instants in the viewer's zone, with the zone named ("14:00 IST"). Stored times stay UTC.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub fn is_known_zone(name: &str) -> bool {
    name.parse::<Tz>().is_ok()
}

/// "2026-11-25 14:00 IST"; an unknown zone falls back to UTC rather than failing the page.
pub fn display(at: DateTime<Utc>, zone: &str) -> String {
    match zone.parse::<Tz>() {
        Ok(tz) => at.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string(),
        Err(_) => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// "14:00 IST": the time of day only, for showing a second zone beside a full date.
pub fn display_short(at: DateTime<Utc>, zone: &str) -> String {
    match zone.parse::<Tz>() {
        Ok(tz) => at.with_timezone(&tz).format("%H:%M %Z").to_string(),
        Err(_) => at.format("%H:%M UTC").to_string(),
    }
}

pub fn shown(at: DateTime<Utc>, zone: &str) -> crate::model::ShownTime {
    crate::model::ShownTime { at, text: display(at, zone) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn shows_both_capitals_with_zone_names() {
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 8, 30, 0).unwrap();
        assert_eq!(display(at, "Asia/Kolkata"), "2026-11-25 14:00 IST");
        assert_eq!(display(at, "America/Toronto"), "2026-11-25 03:30 EST");
        assert_eq!(display(at, "Nowhere/Special"), "2026-11-25 08:30 UTC");
    }
}
