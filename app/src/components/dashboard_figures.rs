//! The dashboard's figures as HTML: big numbers, lists, the 26-week trend, timeliness and workload tables.
//! Rendered on the server once per country, figures and time zone (see `api::dashboard::dashboard_page`).

use crate::model::{DashboardHtml, DashboardView, Figure, TimelinessRow, WeekPoint};
use leptos::prelude::*;

fn hours(h: Option<f64>) -> String {
    match h {
        None => "—".into(),
        Some(h) if h < 48.0 => format!("{h:.1} h"),
        Some(h) => format!("{:.1} d", h / 24.0),
    }
}

#[component]
fn FigureList(title: &'static str, figures: Vec<Figure>) -> impl IntoView {
    view! {
        <section class="panel figure-list" aria-label=title>
            <h2>{title}</h2>
            {if figures.is_empty() {
                view! { <p class="muted">"None."</p> }.into_any()
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
fn TrendChart(points: Vec<WeekPoint>) -> impl IntoView {
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
                <title id="trend-title">"Requests per week, last 26 weeks"</title>
                <desc id="trend-desc">"Sent by us (solid line, circles), received by us (dashed line, squares), answered by us (dotted line, triangles). The table below holds the same numbers."</desc>
                <line x1=left y1=h - bottom x2=w - 10.0 y2=h - bottom class="axis"/>
                <line x1=left y1=top x2=left y2=h - bottom class="axis"/>
                <text x=left - 6.0 y=top + 4.0 class="tick" text-anchor="end">{max as i64}</text>
                <text x=left - 6.0 y=h - bottom class="tick" text-anchor="end">"0"</text>
                {labels.into_iter().map(|(lx, l)| view! { <text x=lx y=h - 10.0 class="tick" text-anchor="middle">{l}</text> }).collect_view()}
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
                <span class="key sent">"● Sent by us (solid)"</span>
                <span class="key received">"■ Received by us (dashed)"</span>
                <span class="key answered">"▲ Answered by us (dotted)"</span>
            </figcaption>
        </figure>
        <details>
            <summary class="button secondary">"Show the numbers"</summary>
            <div class="table-wrap">
                <table class="data">
                    <caption>"Requests per week (week starting Monday)"</caption>
                    <thead><tr><th scope="col">"Week"</th><th scope="col" class="num">"Sent"</th><th scope="col" class="num">"Received"</th><th scope="col" class="num">"Answered"</th></tr></thead>
                    <tbody>
                        {points.into_iter().map(|p| view! {
                            <tr>
                                <th scope="row">{p.week.clone()}</th>
                                <td class="num"><a href=p.sent_link() aria-label=format!("{} sent in the week of {}", p.sent, p.week)>{p.sent}</a></td>
                                <td class="num"><a href=p.received_link() aria-label=format!("{} received in the week of {}", p.received, p.week)>{p.received}</a></td>
                                <td class="num"><a href=p.answered_link() aria-label=format!("{} answered in the week of {}", p.answered, p.week)>{p.answered}</a></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

#[component]
fn Timeliness(rows: Vec<TimelinessRow>, days: i64) -> impl IntoView {
    let rows: Vec<TimelinessRow> = rows.into_iter().filter(|r| r.window_days == days).collect();
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption>"Last " {days} " days"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Direction"</th><th scope="col">"Counterpart"</th><th scope="col" class="num">"Requests"</th>
                        <th scope="col" class="num">"Acknowledge: median"</th><th scope="col" class="num">"p90"</th>
                        <th scope="col" class="num">"Answer: median"</th><th scope="col" class="num">"p90"</th>
                        <th scope="col" class="num">"Answered in time"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let dir = if r.direction == "sent" { "Sent by us" } else { "Received by us" };
                        let link = r.link();
                        view! {
                            <tr class:total-row={r.counterpart == "All"}>
                                <td>{dir}</td>
                                <td><a href=link>{r.counterpart.clone()}</a></td>
                                <td class="num">{r.requests}</td>
                                <td class="num">{hours(r.ack_median_hours)}</td>
                                <td class="num">{hours(r.ack_p90_hours)}</td>
                                <td class="num">{hours(r.answer_median_hours)}</td>
                                <td class="num">{hours(r.answer_p90_hours)}</td>
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
pub fn render_dashboard(d: DashboardView) -> DashboardHtml {
    use leptos::tachys::view::RenderHtml;
    let title = format!("Dashboard · {}", d.country);
    let html = view! {
        <h1>"Dashboard · " {d.country.clone()}</h1>
        <p class="muted as-of">"Figures as of " <time datetime=d.as_of.at.to_rfc3339()>{d.as_of.text.clone()}</time></p>
        <div class="big-figures">
            <BigFigure figure=d.overdue_incoming.clone() alarm=true/>
            <BigFigure figure=d.overdue_outgoing.clone() alarm=true/>
            <BigFigure figure=d.due_within_24h.clone()/>
            <BigFigure figure=d.consents_overdue.clone() alarm=true/>
            <BigFigure figure=d.consents_awaited.clone()/>
        </div>
        <div class="figure-grid">
            <FigureList title="Open cases by category" figures=d.open_cases_by_category.clone()/>
            <FigureList title="Open cases by priority" figures=d.open_cases_by_priority.clone()/>
            <FigureList title="Requests received, by status" figures=d.incoming_by_status.clone()/>
            <FigureList title="Requests sent, by status" figures=d.outgoing_by_status.clone()/>
        </div>
        <section class="panel" aria-labelledby="trend-h">
            <h2 id="trend-h">"Trend"</h2>
            <TrendChart points=d.trend.clone()/>
        </section>
        <section class="panel" aria-labelledby="time-h">
            <h2 id="time-h">"Timeliness"</h2>
            <p class="muted">"Time from sending to acknowledgement and to the final answer; share of answers given within the deadline."</p>
            <Timeliness rows=d.timeliness.clone() days=30/>
            <Timeliness rows=d.timeliness.clone() days=90/>
        </section>
        <section class="panel" aria-labelledby="load-h">
            <h2 id="load-h">"Workload per officer"</h2>
            <p class="muted">"Open requests in an officer's charge: on cases they lead, sent by them on the other side's cases, or taken in (acknowledged) by them. A disabled account is listed first while it still holds open work: hand its cases to another lead from the case list."</p>
            <div class="table-wrap">
                <table class="data">
                    <caption class="visually-hidden">"Workload per officer"</caption>
                    <thead><tr><th scope="col">"Officer"</th><th scope="col">"Agency"</th><th scope="col" class="num">"Open cases led"</th><th scope="col" class="num">"Open requests"</th><th scope="col" class="num">"Overdue"</th></tr></thead>
                    <tbody>
                        {d.workload.iter().map(|o| {
                            view! {
                                <tr class:overdue-row={o.overdue > 0}>
                                    <td>
                                        {o.name.clone()}
                                        {o.inactive.then(|| view! {
                                            " " <span class="status status-disabled">"Disabled"</span>
                                            " " <a href=o.cases_link()>"Hand over"</a>
                                        })}
                                    </td>
                                    <td>{o.agency.clone()}</td>
                                    <td class="num"><a href=o.cases_link() aria-label=format!("{} open cases led by {}", o.open_cases_led, o.name)>{o.open_cases_led}</a></td>
                                    <td class="num"><a href=o.open_requests_link() aria-label=format!("{} open requests in the charge of {}", o.open_requests, o.name)>{o.open_requests}</a></td>
                                    <td class="num"><a href=o.overdue_link() aria-label=format!("{} overdue requests in the charge of {}", o.overdue, o.name)>{o.overdue}</a></td>
                                </tr>
                            }
                        }).collect_view()}
                        <tr class="total-row" class:overdue-row={d.untaken_overdue.value > 0}>
                            <td colspan="2">{d.untaken.label.clone()}</td>
                            <td class="num">"—"</td>
                            <td class="num"><a href=d.untaken.link.clone() aria-label=format!("{} received requests not yet taken", d.untaken.value)>{d.untaken.value}</a></td>
                            <td class="num"><a href=d.untaken_overdue.link.clone() aria-label=format!("{} received requests not yet taken and overdue", d.untaken_overdue.value)>{d.untaken_overdue.value}</a></td>
                        </tr>
                    </tbody>
                </table>
            </div>
        </section>
    }
    .to_html();
    DashboardHtml { title, html }
}
