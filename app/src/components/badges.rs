//! Small labels: TLP handling codes in their standard colours, statuses, priorities, deadlines.

use crate::i18n::{LabelIn, Locale};
use crate::model::{CaseStatus, Deadline, Priority, Remaining, RequestStatus, Tlp};
use leptos::prelude::*;

/// TLP stays its code in every language ("TLP:AMBER" is what both sides read, mark and print).
#[component]
pub fn TlpBadge(tlp: Tlp) -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! { <span class=format!("tlp tlp-{}", tlp.as_str().replace('_', "-")) title=tr!(l, "tlp-title") translate="no">{tlp.label()}</span> }
}

#[component]
pub fn PriorityBadge(priority: Priority) -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! { <span class=format!("priority priority-{}", priority.as_str())>{priority.label_in(l)}</span> }
}

#[component]
pub fn RequestStatusBadge(status: RequestStatus) -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! { <span class=format!("rstatus rstatus-{}", status.as_str())>{status.label_in(l)}</span> }
}

#[component]
pub fn CaseStatusBadge(status: CaseStatus) -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! { <span class=format!("cstatus cstatus-{}", status.as_str())>{status.label_in(l)}</span> }
}

/// "Overdue by 2 d 3 h · due 2026-11-25 03:30 EST / 14:00 IST": the viewer's zone first, named.
#[component]
pub fn DeadlineText(deadline: Option<Deadline>) -> impl IntoView {
    let l = crate::i18n::use_locale();
    match deadline {
        None => view! { <span class="muted">{tr!(l, "no-deadline")}</span> }.into_any(),
        Some(d) => {
            let class = if d.overdue { "deadline overdue" } else { "deadline" };
            view! {
                <span class=class>
                    {d.overdue.then(|| view! { <strong class="overdue-flag">{tr!(l, "overdue")}</strong> " " })}
                    <time datetime=d.due.at.to_rfc3339()>{d.due.text.clone()}</time>
                    <span class="muted">" / " {d.other_zone.clone()}</span>
                    {d.remaining.map(|r| view! { <span class="remaining">{remaining(l, r)}</span> })}
                </span>
            }
            .into_any()
        }
    }
}

/// "in 5 h 20 min", "overdue by 2 d 3 h", in the reader's language: days and hours past a day, hours and
/// minutes past an hour.
fn remaining(l: Locale, r: Remaining) -> String {
    let (days, hours, minutes) = (r.minutes / 1440, (r.minutes % 1440) / 60, r.minutes % 60);
    let span = if days > 0 {
        tr!(l, "span-days-hours", days = days, hours = hours)
    } else if hours > 0 {
        tr!(l, "span-hours-minutes", hours = hours, minutes = minutes)
    } else {
        tr!(l, "span-minutes", minutes = minutes)
    };
    if r.overdue {
        tr!(l, "overdue-by", span = span)
    } else {
        tr!(l, "due-in", span = span)
    }
}

pub fn file_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_reads_in_each_language() {
        let soon = Remaining { minutes: 320, overdue: false };
        let late = Remaining { minutes: 51 * 60, overdue: true };
        assert_eq!(remaining(Locale::En, soon), "in 5 h 20 min");
        assert_eq!(remaining(Locale::En, late), "overdue by 2 d 3 h");
        assert_eq!(remaining(Locale::FrCa, late), "en retard de 2 j 3 h");
        assert_eq!(remaining(Locale::Hi, soon), "5 घं 20 मि में");
        assert_eq!(remaining(Locale::En, Remaining { minutes: 7, overdue: false }), "in 7 min");
    }
}

/// The handling conditions as codes, each explained on hover and to screen readers, H3 with its words.
#[component]
pub fn ConditionsBadges(conditions: crate::model::Conditions) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let explained =
        [(conditions.h0, "H0", tr!(l, "cond-h0")), (conditions.h1, "H1", tr!(l, "cond-h1")), (conditions.h2, "H2", tr!(l, "cond-h2"))];
    view! {
        <span class="conditions">
            {explained.into_iter().filter(|(on, _, _)| *on).map(|(_, code, meaning)| {
                view! { <abbr class="cond-badge" title=meaning translate="no">{code}</abbr> " " }
            }).collect_view()}
            {conditions.h3.map(|words| view! {
                <abbr class="cond-badge" title=tr!(l, "cond-h3") translate="no">"H3"</abbr> " " <span class="cond-words" translate="no">{words}</span>
            })}
        </span>
    }
}
