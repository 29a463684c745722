//! Showing UTC instants in the viewer's zone, with the zone named ("14:00 IST"). Stored times stay UTC.

use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub fn is_known_zone(name: &str) -> bool {
    name.parse::<Tz>().is_ok()
}

/// "2026-11-25 14:00 IST" ("25 nov. 2026, 14 h 00 IST" to a French reader), in the language of the request
/// being answered (English outside one); an unknown zone falls back to UTC rather than failing the page.
pub fn display(at: DateTime<Utc>, zone: &str) -> String {
    display_in(crate::i18n::request_locale(), at, zone)
}

pub fn display_in(locale: Locale, at: DateTime<Utc>, zone: &str) -> String {
    match zone.parse::<Tz>() {
        Ok(tz) => {
            let local = at.with_timezone(&tz);
            locale.date_time(local.date_naive(), local.time(), &local.format("%Z").to_string())
        }
        Err(_) => locale.date_time(at.date_naive(), at.time(), "UTC"),
    }
}

/// "14:00 IST" ("14 h 00 IST"): the time of day only, for showing a second zone beside a full date.
pub fn display_short(at: DateTime<Utc>, zone: &str) -> String {
    let locale = crate::i18n::request_locale();
    match zone.parse::<Tz>() {
        Ok(tz) => {
            let local = at.with_timezone(&tz);
            format!("{} {}", locale.time_of_day(local.time()), locale.zone(&local.format("%Z").to_string()))
        }
        Err(_) => format!("{} UTC", locale.time_of_day(at.time())),
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
        assert_eq!(display_in(Locale::FrCa, at, "America/Toronto"), "25 nov. 2026, 3 h 30 HNE", "French names Canada's zones its way");
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 16, 0, 0).unwrap();
        assert_eq!(display_in(Locale::FrCa, summer, "America/Vancouver"), "1 juill. 2026, 9 h 00 HAP");
        assert_eq!(display_in(Locale::FrCa, at, "Asia/Kolkata"), "25 nov. 2026, 14 h 00 IST");
        assert_eq!(display_in(Locale::Hi, at, "Asia/Kolkata"), "25 नवंबर 2026, 14:00 IST");
    }
}
