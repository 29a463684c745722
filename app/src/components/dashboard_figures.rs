//! The dashboard's figures as HTML: big numbers, lists, the 26-week trend, timeliness and workload tables.
//! Rendered on the server once per country, figures and time zone (see `api::dashboard::dashboard_page`).

use crate::i18n::Locale;
use crate::model::{DashboardHtml, DashboardView, Figure, TimelinessRow, WeekPoint};
use leptos::prelude::*;

fn hours(l: Locale, h: Option<f64>) -> String {
    match h {
        None => "—".into(),
        Some(h) if h < 48.0 => tr!(l, "dash-hours", n = l.decimal(h)),
        Some(h) => tr!(l, "dash-days", n = l.decimal(h / 24.0)),
    }
}

#[component]
fn FigureList(title: String, figures: Vec<Figure>, l: Locale) -> impl IntoView {
    let label = title.clone();
    view! {
        <section class="panel figure-list" aria-label=label>
            <h2>{title}</h2>
            {if figures.is_empty() {
                view! { <p class="muted">{tr!(l, "dash-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain">
                        {figures.into_iter().map(|f| view! {
                            <li><a href=f.link><span class="figure-value">{f.value}</span> " " {f.label}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn BigFigure(figure: Figure, #[prop(optional)] alarm: bool) -> impl IntoView {
    let class = if alarm && figure.value > 0 { "big-figure alarm" } else { "big-figure" };
    view! {
        <a class=class href=figure.link>
            <span class="big-value">{figure.value}</span>
            <span class="big-label">{figure.label}</span>
        </a>
    }
}

/// Three series, told apart by line style and marker shape as well as colour.
#[component]
fn TrendChart(points: Vec<WeekPoint>, l: Locale) -> impl IntoView {
    let (w, h, left, bottom, top) = (720.0f64, 220.0f64, 40.0f64, 30.0f64, 10.0f64);
    let max = points.iter().map(|p| p.sent.max(p.received).max(p.answered)).max().unwrap_or(0).max(1) as f64;
    let n = points.len().max(2) as f64;
    let x = move |i: usize| left + (w - left - 10.0) * i as f64 / (n - 1.0);
    let y = move |v: i64| top + (h - top - bottom) * (1.0 - v as f64 / max);
    let line = |f: fn(&WeekPoint) -> i64| {
        points.iter().enumerate().map(|(i, p)| format!("{:.1},{:.1}", x(i), y(f(p)))).collect::<Vec<_>>().join(" ")
    };
    let sent = line(|p| p.sent);
    let received = line(|p| p.received);
    let answered = line(|p| p.answered);
    let labels: Vec<(f64, String)> =
        points.iter().enumerate().filter(|(i, _)| i % 4 == 0).map(|(i, p)| (x(i), p.week[5..].to_string())).collect();
    let markers: Vec<(f64, f64, f64, f64, f64, f64)> =
        points.iter().enumerate().map(|(i, p)| (x(i), y(p.sent), x(i), y(p.received), x(i), y(p.answered))).collect();
    view! {
        <figure class="trend">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-labelledby="trend-title trend-desc" class="trend-svg">
                <title id="trend-title">{tr!(l, "dash-trend-title")}</title>
                <desc id="trend-desc">{tr!(l, "dash-trend-desc")}</desc>
                <line x1=left y1=h - bottom x2=w - 10.0 y2=h - bottom class="axis"/>
                <line x1=left y1=top x2=left y2=h - bottom class="axis"/>
                <text x=left - 6.0 y=top + 4.0 class="tick" text-anchor="end">{max as i64}</text>
                <text x=left - 6.0 y=h - bottom class="tick" text-anchor="end">"0"</text>
                {labels.into_iter().map(|(lx, week)| view! { <text x=lx y=h - 10.0 class="tick" text-anchor="middle">{week}</text> }).collect_view()}
                <polyline points=sent class="series sent"/>
                <polyline points=received class="series received"/>
                <polyline points=answered class="series answered"/>
                {markers.into_iter().map(|(x1, y1, x2, y2, x3, y3)| view! {
                    <circle cx=x1 cy=y1 r="3" class="mark sent"/>
                    <rect x=x2 - 3.0 y=y2 - 3.0 width="6" height="6" class="mark received"/>
                    <polygon points=format!("{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", x3, y3 - 4.0, x3 - 4.0, y3 + 3.0, x3 + 4.0, y3 + 3.0) class="mark answered"/>
                }).collect_view()}
            </svg>
            <figcaption class="legend">
                <span class="key sent">{tr!(l, "dash-key-sent")}</span>
                <span class="key received">{tr!(l, "dash-key-received")}</span>
                <span class="key answered">{tr!(l, "dash-key-answered")}</span>
            </figcaption>
        </figure>
        <details>
            <summary class="button secondary">{tr!(l, "dash-show-numbers")}</summary>
            <div class="table-wrap">
                <table class="data">
                    <caption>{tr!(l, "dash-week-caption")}</caption>
                    <thead><tr><th scope="col">{tr!(l, "dash-week")}</th><th scope="col" class="num">{tr!(l, "dash-sent")}</th><th scope="col" class="num">{tr!(l, "dash-received")}</th><th scope="col" class="num">{tr!(l, "dash-answered")}</th></tr></thead>
                    <tbody>
                        {points.into_iter().map(|p| view! {
                            <tr>
                                <th scope="row">{p.week.clone()}</th>
                                <td class="num"><a href=p.sent_link() aria-label=tr!(l, "dash-week-sent", count = p.sent, week = p.week.clone())>{p.sent}</a></td>
                                <td class="num"><a href=p.received_link() aria-label=tr!(l, "dash-week-received", count = p.received, week = p.week.clone())>{p.received}</a></td>
                                <td class="num"><a href=p.answered_link() aria-label=tr!(l, "dash-week-answered", count = p.answered, week = p.week.clone())>{p.answered}</a></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

#[component]
fn Timeliness(rows: Vec<TimelinessRow>, days: i64, l: Locale) -> impl IntoView {
    let rows: Vec<TimelinessRow> = rows.into_iter().filter(|r| r.window_days == days).collect();
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption>{tr!(l, "dash-last-days", days = days)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr!(l, "dash-direction")}</th><th scope="col">{tr!(l, "dash-counterpart")}</th><th scope="col" class="num">{tr!(l, "dash-requests")}</th>
                        <th scope="col" class="num">{tr!(l, "dash-ack-median")}</th><th scope="col" class="num">{tr!(l, "dash-p90")}</th>
                        <th scope="col" class="num">{tr!(l, "dash-answer-median")}</th><th scope="col" class="num">{tr!(l, "dash-p90")}</th>
                        <th scope="col" class="num">{tr!(l, "dash-in-time")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let dir = if r.direction == "sent" { tr!(l, "dash-sent-by-us") } else { tr!(l, "dash-received-by-us") };
                        let link = r.link();
                        // "All" is the total row's code; an agency's code is shown as it is.
                        let all = r.counterpart == "All";
                        let counterpart = if all { tr!(l, "dash-all") } else { r.counterpart.clone() };
                        view! {
                            <tr class:total-row={r.counterpart == "All"}>
                                <td>{dir}</td>
                                <td><a href=link translate=(!all).then_some("no")>{counterpart}</a></td>
                                <td class="num">{r.requests}</td>
                                <td class="num">{hours(l, r.ack_median_hours)}</td>
                                <td class="num">{hours(l, r.ack_p90_hours)}</td>
                                <td class="num">{hours(l, r.answer_median_hours)}</td>
                                <td class="num">{hours(l, r.answer_p90_hours)}</td>
                                <td class="num">{r.within_deadline.map(|s| format!("{:.0} %", s * 100.0)).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Renders the dashboard for `dashboard_page`, which keeps the result per country, figures and time zone
/// (backend::render_cache). Compiled for the browser too, where nothing calls it, so the components it
/// uses are not dead code there.
pub fn render_dashboard(d: DashboardView, l: Locale) -> DashboardHtml {
    use leptos::tachys::view::RenderHtml;
    let title = tr!(l, "dash-title", country = d.country.clone());
    let html = view! {
        <h1>{title.clone()}</h1>
        <p class="muted as-of">{tr!(l, "dash-as-of")} " " <time datetime=d.as_of.at.to_rfc3339()>{d.as_of.text.clone()}</time></p>
        <div class="big-figures">
            <BigFigure figure=d.overdue_incoming.clone() alarm=true/>
            <BigFigure figure=d.overdue_outgoing.clone() alarm=true/>
            <BigFigure figure=d.due_within_24h.clone()/>
            <BigFigure figure=d.consents_overdue.clone() alarm=true/>
            <BigFigure figure=d.consents_awaited.clone()/>
        </div>
        <div class="figure-grid">
            <FigureList title=tr!(l, "dash-cases-by-category") figures=d.open_cases_by_category.clone() l/>
            <FigureList title=tr!(l, "dash-cases-by-priority") figures=d.open_cases_by_priority.clone() l/>
            <FigureList title=tr!(l, "dash-received-by-status") figures=d.incoming_by_status.clone() l/>
            <FigureList title=tr!(l, "dash-sent-by-status") figures=d.outgoing_by_status.clone() l/>
        </div>
        <section class="panel" aria-labelledby="trend-h">
            <h2 id="trend-h">{tr!(l, "dash-trend")}</h2>
            <TrendChart points=d.trend.clone() l/>
        </section>
        <section class="panel" aria-labelledby="time-h">
            <h2 id="time-h">{tr!(l, "dash-timeliness")}</h2>
            <p class="muted">{tr!(l, "dash-timeliness-lead")}</p>
            <Timeliness rows=d.timeliness.clone() days=30 l/>
            <Timeliness rows=d.timeliness.clone() days=90 l/>
        </section>
        <section class="panel" aria-labelledby="load-h">
            <h2 id="load-h">{tr!(l, "dash-workload")}</h2>
            <p class="muted">{tr!(l, "dash-workload-lead")}</p>
            <div class="table-wrap">
                <table class="data">
                    <caption class="visually-hidden">{tr!(l, "dash-workload")}</caption>
                    <thead><tr><th scope="col">{tr!(l, "dash-officer")}</th><th scope="col">{tr!(l, "dash-agency")}</th><th scope="col" class="num">{tr!(l, "dash-cases-led")}</th><th scope="col" class="num">{tr!(l, "dash-open-requests")}</th><th scope="col" class="num">{tr!(l, "dash-overdue")}</th></tr></thead>
                    <tbody>
                        {d.workload.iter().map(|o| {
                            view! {
                                <tr class:overdue-row={o.overdue > 0}>
                                    <td>
                                        <span translate="no">{o.name.clone()}</span>
                                        {o.inactive.then(|| view! {
                                            " " <span class="status status-disabled">{tr!(l, "dash-disabled")}</span>
                                            " " <a href=o.cases_link()>{tr!(l, "dash-hand-over")}</a>
                                        })}
                                    </td>
                                    <td translate="no">{o.agency.clone()}</td>
                                    <td class="num"><a href=o.cases_link() aria-label=tr!(l, "dash-led-by", count = o.open_cases_led, name = o.name.clone())>{o.open_cases_led}</a></td>
                                    <td class="num"><a href=o.open_requests_link() aria-label=tr!(l, "dash-in-charge", count = o.open_requests, name = o.name.clone())>{o.open_requests}</a></td>
                                    <td class="num"><a href=o.overdue_link() aria-label=tr!(l, "dash-overdue-in-charge", count = o.overdue, name = o.name.clone())>{o.overdue}</a></td>
                                </tr>
                            }
                        }).collect_view()}
                        <tr class="total-row" class:overdue-row={d.untaken_overdue.value > 0}>
                            <td colspan="2">{d.untaken.label.clone()}</td>
                            <td class="num">"—"</td>
                            <td class="num"><a href=d.untaken.link.clone() aria-label=tr!(l, "dash-untaken-count", count = d.untaken.value)>{d.untaken.value}</a></td>
                            <td class="num"><a href=d.untaken_overdue.link.clone() aria-label=tr!(l, "dash-untaken-overdue-count", count = d.untaken_overdue.value)>{d.untaken_overdue.value}</a></td>
                        </tr>
                    </tbody>
                </table>
            </div>
        </section>
    }
    .to_html();
    DashboardHtml { title, html }
}
