//! The case page: header, summary, requests, indicators, attachments, links and history; editing with
//! optimistic concurrency; status changes; new requests.

use super::cases::CaseFields;
use crate::api::cases::{case_changes, open_case, AddEntity, AddIndicator, BulkAddIndicators, ChangeCaseStatus, UpdateCase};
use crate::api::requests::CreateRequest;
use crate::components::badges::{file_size, CaseStatusBadge, DeadlineText, PriorityBadge, RequestStatusBadge, TlpBadge};
use crate::components::forms::{action_error, enum_options, ErrorSummary, Field, SelectField, TextArea};
use crate::components::layout::Guard;
use crate::components::server_form::ServerForm;
use crate::components::upload::FileUpload;
use crate::error::AppError;
use crate::model::permissions::Action;
use crate::model::*;
use crate::pages::errors::NotFoundPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CaseDetailPage() -> impl IntoView {
    view! {
        <Title text="Case"/>
        <CaseDetail/>
    }
}

#[component]
fn CaseDetail() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let opened = Resource::new(id, open_case);

    view! {
        <Guard action=Action::WorkCases>
        <Suspense fallback=|| view! { <p class="loading">"Loading the case…"</p> }>
            {move || Suspend::new(async move {
                match opened.await {
                    Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(OpenedCase { case: c, history: h, options }) => view! {
                        <Title text=c.reference.clone()/>
                        <CaseHeader case=c.clone()/>
                        <div class="columns">
                            <div>
                                <section class="panel" aria-labelledby="summary-h">
                                    <h2 id="summary-h">"Summary"</h2>
                                    <p class="prewrap">{if c.summary.is_empty() { "No summary yet.".to_string() } else { c.summary.clone() }}</p>
                                    {c.can_edit.then(|| view! { <EditCase case=c.clone() options=options.clone()/> })}
                                </section>
                                <CaseRequests case=c.clone() options/>
                                <Indicators case=c.clone()/>
                                <Entities case=c.clone()/>
                            </div>
                            <div>
                                <Attachments case=c.clone()/>
                                <section class="panel" aria-labelledby="links-h">
                                    <h2 id="links-h">"Related cases"</h2>
                                    {if c.links.is_empty() {
                                        view! { <p class="muted">"None."</p> }.into_any()
                                    } else {
                                        view! { <ul class="plain">{c.links.iter().map(|l| view! {
                                            <li><a class="mono" href=format!("/cases/{}", l.id)>{l.reference.clone()}</a> " " {l.title.clone()}</li>
                                        }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                            </div>
                        </div>
                        <section class="panel" aria-labelledby="history-h">
                            <h2 id="history-h">"History"</h2>
                            <p class="muted">"From the audit trail, newest first: this case and what it holds."</p>
                            <h3>"Changes"</h3>
                            <HistoryTable entries=h.changes label="Changes to this case"/>
                            {h.more_changes.then(|| view! {
                                <p><a href=format!("/cases/{}/history", c.id)>"Every change to this case"</a>
                                <span class="muted small">{format!(" (the {} most recent are shown here)", crate::model::HISTORY_CHANGES_SHOWN)}</span></p>
                            })}
                            <h3>"Recent views"</h3>
                            <HistoryTable entries=h.views label="Recent views of this case"/>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
        </Guard>
    }
}

/// Every change to a case, a page at a time (`?before=` an event's number, from the "Older changes" link).
#[component]
pub fn CaseHistoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let args = move || {
        let id = params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
        let before = query.read().get("before").and_then(|s| s.parse::<i64>().ok());
        (id, before)
    };
    let page = Resource::new(args, |(id, before)| case_changes(id, before));
    view! {
        <Title text="Case history"/>
        <Guard action=Action::WorkCases>
        <Suspense fallback=|| view! { <p class="loading">"Loading the history…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(p) => view! {
                        <Title text=format!("History of {}", p.reference)/>
                        <p><a href=format!("/cases/{}", p.case_id)>"← " {p.reference.clone()}</a></p>
                        <h1>"Changes to " {p.title.clone()}</h1>
                        <p class="muted">"From the audit trail, newest first: every change to this case and to what it holds, exports and downloads. Views are listed on the case page."</p>
                        {if p.changes.is_empty() {
                            view! { <p class="muted">"No change."</p> }.into_any()
                        } else {
                            view! { <HistoryTable entries=p.changes label="Changes to this case"/> }.into_any()
                        }}
                        {p.older.map(|before| view! {
                            <p><a class="button secondary" href=format!("/cases/{}/history?before={before}", p.case_id)>"Older changes"</a></p>
                        })}
                    }.into_any(),
                }
            })}
        </Suspense>
        </Guard>
    }
}

#[component]
fn CaseHeader(case: CaseView) -> impl IntoView {
    let id = case.id;
    let current = case.status;
    let transitions = case.allowed_transitions.clone();
    view! {
        <header class="case-header">
            <div class="print-only print-banner" aria-hidden="true">{case.tlp.label()} " · " {case.reference.clone()}</div>
            <p class="mono muted">{case.reference.clone()} " · " {case.category.label()}</p>
            <h1>{case.title.clone()}</h1>
            <div class="badges">
                <TlpBadge tlp=case.tlp/>
                <CaseStatusBadge status=case.status/>
                <PriorityBadge priority=case.priority/>
            </div>
            <dl class="facts inline-facts">
                <dt>"Owner"</dt><dd>{case.owner_agency.name.clone()} " (" {case.owner_agency.code.clone()} ")"</dd>
                <dt>"Lead"</dt><dd>{case.lead_name.clone()}</dd>
                <dt>"Parties"</dt>
                <dd>{case.parties.iter().map(|p| format!("{} ({})", p.code, p.country.as_str())).collect::<Vec<_>>().join(", ")}</dd>
                <dt>"Updated"</dt><dd>{case.updated.text.clone()} " by " {case.updated_by.clone()}</dd>
            </dl>
            <div class="actions">
                <a class="button secondary" href=format!("/cases/{id}/report.pdf") download="" rel="external">"Download PDF report"</a>
                {transitions.into_iter().map(|to| {
                    let label = match to {
                        CaseStatus::Active => if current == CaseStatus::Closed { "Reopen case" } else { "Mark active" },
                        CaseStatus::Closed => "Close case",
                        CaseStatus::Archived => "Archive case",
                        CaseStatus::Open => "Mark open",
                    };
                    view! {
                        <ServerForm action=ChangeCaseStatus::PATH class="inline">
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="status" value=to.as_str()/>
                            <button type="submit" class="button secondary">{label}</button>
                        </ServerForm>
                    }
                }).collect_view()}
            </div>
        </header>
    }
}

#[component]
fn EditCase(case: CaseView, options: FormOptions) -> impl IntoView {
    let parties = case.parties.iter().filter(|p| p.id != case.owner_agency.id).map(|p| p.code.clone()).collect::<Vec<_>>().join(", ");
    let links = case.links.iter().map(|l| l.reference.clone()).collect::<Vec<_>>().join(", ");
    view! {
        <details class="edit">
            <summary class="button secondary">"Edit case"</summary>
            <ServerForm action=UpdateCase::PATH done="Case saved.">
                <input type="hidden" name="id" value=case.id/>
                <input type="hidden" name="version" value=case.version/>
                <CaseFields
                    options
                    form="edit"
                    title=case.title.clone()
                    summary=case.summary.clone()
                    category=case.category.as_str().to_string()
                    priority=case.priority.as_str().to_string()
                    tlp=case.tlp.as_str().to_string()
                    lead=case.lead_user_id.to_string()
                    parties
                    links
                />
                <button type="submit" class="button primary">"Save changes"</button>
            </ServerForm>
        </details>
    }
}

#[component]
fn CaseRequests(case: CaseView, options: FormOptions) -> impl IntoView {
    let open_case = case.accepts_requests;
    let my_country = options.my_agency.country;
    let recipients: Vec<(String, String)> = std::iter::once((String::new(), "Choose the agency you are asking".to_string()))
        .chain(options.agencies.iter().filter(|a| a.country != my_country).map(|a| (a.code.clone(), format!("{} — {}", a.code, a.name))))
        .collect();
    let zone = options.time_zone.clone();
    view! {
        <section class="panel" aria-labelledby="requests-h">
            <h2 id="requests-h">"Requests"</h2>
            {if case.requests.is_empty() {
                view! { <p class="muted">"No request yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data">
                            <caption class="visually-hidden">"Requests of this case"</caption>
                            <thead><tr><th scope="col">"Subject"</th><th scope="col">"From → To"</th><th scope="col">"Status"</th><th scope="col">"Due"</th></tr></thead>
                            <tbody>
                                {case.requests.iter().map(|r| view! {
                                    <tr>
                                        <td><a href=format!("/requests/{}", r.id)>{r.subject.clone()}</a><div class="muted small">{r.kind.label()} " · " <PriorityBadge priority=r.priority/></div></td>
                                        <td class="nowrap">{r.from_agency.clone()} " → " {r.to_agency.clone()}</td>
                                        <td><RequestStatusBadge status=r.status/></td>
                                        <td><DeadlineText deadline=r.deadline.clone()/></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {open_case.then(|| view! {
                <details class="new-request">
                    <summary class="button primary">"New request"</summary>
                    <ServerForm action=CreateRequest::PATH then="/requests/{id}">
                        <input type="hidden" name="case_id" value=case.id/>
                        <div class="field-row">
                            <SelectField form="req" label="Type" name="kind" options=enum_options(RequestKind::ALL, RequestKind::as_str, RequestKind::label, None)/>
                            <SelectField form="req" label="To agency" name="to_agency" options=recipients.clone()/>
                        </div>
                        <Field form="req" label="Subject" name="subject" required=true/>
                        <TextArea form="req" label="Request" name="body" rows=6 required=true/>
                        <div class="field-row">
                            <SelectField form="req" label="Priority" name="priority" options=enum_options(Priority::ALL, Priority::as_str, Priority::label, None) selected="normal"/>
                            <SelectField form="req" label="Handling code (TLP)" name="tlp" options=enum_options(Tlp::ALL, Tlp::as_str, Tlp::label, None) selected=case.tlp.as_str().to_string()/>
                        </div>
                        <div class="field checkbox">
                            <input type="checkbox" id="f-req-directly_available" name="directly_available" value="true"/>
                            <label for="f-req-directly_available">"The information is directly available to the recipient (urgent: 8 hours instead of 3 days)"</label>
                        </div>
                        <Field form="req" label="Due (optional, earlier than the default)" name="due" kind="datetime-local" hint="Leave empty for the default deadline of this type and priority. Your time zone is used."/>
                        <p class="hint">"Times are in " {zone.clone()} "."</p>
                        <div class="field checkbox">
                            <input type="checkbox" id="f-req-intent" name="intent" value="draft"/>
                            <label for="f-req-intent">"Save as a draft (do not send yet)"</label>
                        </div>
                        <button type="submit" class="button primary">"Send request"</button>
                    </ServerForm>
                </details>
            })}
        </section>
    }
}

#[component]
fn Indicators(case: CaseView) -> impl IntoView {
    let id = case.id;
    view! {
        <section class="panel" aria-labelledby="indicators-h">
            <div class="page-head">
                <h2 id="indicators-h">"Indicators"</h2>
                <a class="button secondary" href=format!("/cases/{id}/indicators.stix.json") download="" rel="external">"Export STIX 2.1"</a>
            </div>
            // Refreshed in place after a bulk paste (see BulkIndicators).
            <div id="indicator-list">
            {if case.indicators.is_empty() {
                view! { <p class="muted">"No indicator yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data">
                            <caption class="visually-hidden">"Indicators"</caption>
                            <thead><tr><th scope="col">"Type"</th><th scope="col">"Value"</th><th scope="col">"TLP"</th><th scope="col">"Seen"</th><th scope="col">"Note"</th></tr></thead>
                            <tbody>
                                {case.indicators.iter().map(|i| view! {
                                    <tr>
                                        <td>{i.kind.label()}</td>
                                        <td class="mono breakable">{i.value.clone()}</td>
                                        <td><TlpBadge tlp=i.tlp/></td>
                                        <td class="nowrap">{i.first_seen.clone().unwrap_or_default()} {i.last_seen.clone().map(|l| format!(" – {l}"))}</td>
                                        <td>{i.note.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            </div>
            <details>
                <summary class="button secondary">"Add an indicator"</summary>
                <ServerForm action=AddIndicator::PATH done="Indicator added.">
                    <input type="hidden" name="case_id" value=id/>
                    <div class="field-row">
                        <SelectField form="ind" label="Indicator type" name="kind" options=enum_options(IndicatorKind::ALL, IndicatorKind::as_str, IndicatorKind::label, Some("Choose a type"))/>
                        <SelectField form="ind" label="Indicator TLP" name="tlp" field="tlp" options=enum_options(Tlp::ALL, Tlp::as_str, Tlp::label, None) selected=case.tlp.as_str().to_string()/>
                    </div>
                    <Field form="ind" label="Value" name="value" hint="Defanged values (hxxp, [.]) are accepted."/>
                    <div class="field-row">
                        <Field form="ind" label="First seen" name="first_seen" kind="date"/>
                        <Field form="ind" label="Last seen" name="last_seen" kind="date"/>
                    </div>
                    <Field form="ind" label="Note" name="note"/>
                    <button type="submit" class="button primary">"Add indicator"</button>
                </ServerForm>
            </details>
            <details>
                <summary class="button secondary">"Paste many"</summary>
                <BulkIndicators case_id=id tlp=case.tlp.as_str().to_string()/>
            </details>
        </section>
    }
}

/// Persons, companies and vessels the case concerns: what incoming requests are cross-checked against.
#[component]
fn Entities(case: CaseView) -> impl IntoView {
    let id = case.id;
    view! {
        <section class="panel" aria-labelledby="entities-h">
            <h2 id="entities-h">"Persons, companies and vessels"</h2>
            {if case.entities.is_empty() {
                view! { <p class="muted">"None recorded."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data">
                            <caption class="visually-hidden">"Persons, companies and vessels"</caption>
                            <thead><tr><th scope="col">"Kind"</th><th scope="col">"Name"</th><th scope="col">"Identifier"</th><th scope="col">"Note"</th></tr></thead>
                            <tbody>
                                {case.entities.iter().map(|e| view! {
                                    <tr>
                                        <td>{e.kind.label()}</td>
                                        <td>{e.name.clone()}</td>
                                        <td class="mono breakable" title=e.kind.identifier_hint()>{e.identifier.clone()}</td>
                                        <td>{e.note.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <details>
                <summary class="button secondary">"Add a person, company or vessel"</summary>
                <ServerForm action=AddEntity::PATH done="Added.">
                    <input type="hidden" name="case_id" value=id/>
                    <div class="field-row">
                        <SelectField form="ent" label="Kind" name="kind" options=enum_options(EntityKind::ALL, EntityKind::as_str, EntityKind::label, Some("Choose"))/>
                        <Field form="ent" label="Name" name="name"/>
                    </div>
                    <Field form="ent" label="Identifier" name="identifier" hint="Date of birth or passport number, company registration number, or IMO number."/>
                    <Field form="ent" label="Note" name="note"/>
                    <button type="submit" class="button primary">"Add"</button>
                </ServerForm>
            </details>
        </section>
    }
}

#[component]
fn Attachments(case: CaseView) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="files-h">
            <h2 id="files-h">"Attachments"</h2>
            <AttachmentList files=case.attachments.clone()/>
            <FileUpload case_id=case.id label="Add a file to the case" id="case-upload"/>
        </section>
    }
}

#[component]
pub fn AttachmentList(files: Vec<AttachmentView>) -> impl IntoView {
    if files.is_empty() {
        return view! { <p class="muted">"No file."</p> }.into_any();
    }
    view! {
        <ul class="files">
            {files.into_iter().map(|f| view! {
                <li>
                    <a href=format!("/attachments/{}", f.id) download="" rel="external">{f.file_name.clone()}</a>
                    <span class="muted">" · " {file_size(f.size)} " · " {f.uploaded_by.clone()} " · " {f.created.text.clone()}</span>
                    <div class="mono small muted breakable" title="SHA-256">"SHA-256 " {f.sha256.clone()}</div>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn HistoryTable(entries: Vec<crate::model::HistoryEntry>, label: &'static str) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data history">
                <caption class="visually-hidden">{label}</caption>
                <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Action"</th><th scope="col">"Object"</th><th scope="col">"Outcome"</th></tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| view! {
                        <tr>
                            <td class="nowrap"><time datetime=e.at.at.to_rfc3339()>{e.at.text.clone()}</time></td>
                            <td>{e.who.clone()} <span class="muted">" " {e.agency.clone()}</span></td>
                            <td class="mono">{e.action.clone()}</td>
                            <td class="mono">{e.object.clone()}</td>
                            <td><span class=format!("outcome outcome-{}", e.outcome)>{e.outcome.clone()}</span></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// An island of its own: the server answers line by line (added, or why not), and the report is shown
/// under the form, which keeps the pasted text for correction; the indicator table is fetched again in
/// place.
#[island]
fn BulkIndicators(case_id: i64, tlp: String) -> impl IntoView {
    let bulk = ServerAction::<BulkAddIndicators>::new();
    let error = action_error(bulk);
    Effect::new(move |_| {
        if let Some(Ok(lines)) = bulk.value().get() {
            if lines.iter().any(|l| l.added) {
                #[cfg(feature = "hydrate")]
                leptos::task::spawn_local(crate::components::live::refresh("indicator-list".into()));
            }
        }
    });
    view! {
        <ActionForm action=bulk>
            <input type="hidden" name="case_id" value=case_id/>
            <ErrorSummary error/>
            <TextArea form="bulk" label="Indicators, one per line" name="text" rows=8 hint="Optionally start a line with its type (ipv4, domain, url, sha256, …); otherwise it is recognised." error/>
            <SelectField form="bulk" label="TLP for all" name="tlp" options=enum_options(Tlp::ALL, Tlp::as_str, Tlp::label, None) selected=tlp error/>
            <button type="submit" class="button primary">"Add all"</button>
        </ActionForm>
        {move || bulk.value().get().and_then(|r| r.ok()).map(|lines| {
            let added = lines.iter().filter(|l| l.added).count();
            view! {
                <div role="status" class="bulk-report">
                    <p><strong>{added} " of " {lines.len()} " lines added."</strong></p>
                    <ul class="plain">{lines.into_iter().map(|l| view! {
                        <li class=if l.added { "ok" } else { "refused" }>"Line " {l.line} ": " <span class="mono">{l.input}</span> " — " {l.outcome}</li>
                    }).collect_view()}</ul>
                </div>
            }
        })}
    }
}
