//! One request: what was asked, its deadline and state, the thread of responses, and what the viewer
//! may do now (acknowledge, respond with grading and files, decline, withdraw, close).

use super::case_detail::AttachmentList;
use crate::api::requests::{cross_check, get_request, AcknowledgeRequest, ApproveRequest, CloseRequest, DeclineRequest, RespondToRequest, SendRequest, WithdrawRequest};
use crate::components::badges::{DeadlineText, PriorityBadge, RequestStatusBadge, TlpBadge};
use crate::components::forms::{action_error, enum_options, success_count, ErrorSummary, SelectField, TextArea};
use crate::components::layout::Guard;
use crate::components::upload::FileUpload;
use crate::error::AppError;
use crate::model::permissions::Action;
use crate::model::*;
use crate::pages::errors::NotFoundPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RequestDetailPage() -> impl IntoView {
    view! {
        <Title text="Request"/>
        <RequestDetail/>
    }
}

#[component]
fn RequestDetail() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let send = ServerAction::<SendRequest>::new();
    let approve = ServerAction::<ApproveRequest>::new();
    let ack = ServerAction::<AcknowledgeRequest>::new();
    let respond = ServerAction::<RespondToRequest>::new();
    let decline = ServerAction::<DeclineRequest>::new();
    let withdraw = ServerAction::<WithdrawRequest>::new();
    let close = ServerAction::<CloseRequest>::new();
    let saved = [success_count(send), success_count(approve), success_count(ack), success_count(respond), success_count(decline), success_count(withdraw), success_count(close)];
    let version = move || saved.map(|s| s.get());
    let request = Resource::new(move || (id(), version()), |(id, _)| get_request(id));
    // Only the receiving side cross-checks; made here, not in the panel, so it is fetched once per page.
    // It waits for the request inside its fetcher rather than reading it in its source: while the server
    // renders, a source read before the request has loaded answers "not the recipient", and that empty
    // answer was what the browser hydrated.
    let cross = Resource::new(
        move || (id(), version()),
        move |_| async move {
            match request.await {
                Ok(r) if r.viewer_is_recipient => cross_check(r.summary.id).await.map(Some),
                _ => Ok(None),
            }
        },
    );
    let action_errors = Signal::derive(move || {
        [send.value().get(), approve.value().get(), ack.value().get(), withdraw.value().get(), close.value().get()]
            .into_iter()
            .flatten()
            .find_map(|r| r.err())
    });

    view! {
        <Guard action=Action::WorkCases>
            <Suspense fallback=|| view! { <p class="loading">"Loading the request…"</p> }>
                {move || Suspend::new(async move {
                    match request.await {
                        Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(r) => {
                            let s = r.summary.clone();
                            let rid = s.id;
                            let has = |a: &str| r.actions.iter().any(|x| x == a);
                            let simple: Vec<(&'static str, &'static str, bool)> = vec![
                                ("send", "Send request", has("send")),
                                ("approve", "Approve and send", has("approve")),
                                ("acknowledge", "Acknowledge", has("acknowledge")),
                                ("close", "Close request", has("close")),
                                ("withdraw", "Withdraw request", has("withdraw")),
                            ];
                            view! {
                                <Title text=s.subject.clone()/>
                                <p><a href=format!("/cases/{}", s.case_id)>"← " <span class="mono">{s.case_reference.clone()}</span> " " {r.case_title.clone()}</a></p>
                                <header class="case-header">
                                    <p class="muted">{s.kind.label()} " · " {r.from_agency.name.clone()} " (" {r.from_agency.code.clone()} ") → " {r.to_agency.name.clone()} " (" {r.to_agency.code.clone()} ")"</p>
                                    <h1>{s.subject.clone()}</h1>
                                    <div class="badges">
                                        <TlpBadge tlp=s.tlp/>
                                        <RequestStatusBadge status=s.status/>
                                        <PriorityBadge priority=s.priority/>
                                    </div>
                                    <dl class="facts inline-facts">
                                        <dt>"Due"</dt><dd><DeadlineText deadline=s.deadline.clone()/></dd>
                                        <dt>"Sent"</dt><dd>{r.sent.as_ref().map(|t| t.text.clone()).unwrap_or_else(|| "Not sent".into())}</dd>
                                        <dt>"Acknowledged"</dt>
                                        <dd>{match (&r.acknowledged, &r.acknowledged_by) {
                                            (Some(t), Some(by)) => format!("{} by {by}", t.text),
                                            _ => "Not yet".into(),
                                        }}</dd>
                                        {r.decline_reason.clone().map(|reason| view! { <dt>"Declined"</dt><dd>{reason}</dd> })}
                                    </dl>
                                    <div class="actions">
                                        {simple.into_iter().filter(|(_, _, ok)| *ok).map(|(name, label, _)| {
                                            let danger = name == "withdraw";
                                            match name {
                                                "send" => view! { <ActionForm action=send attr:class="inline"><input type="hidden" name="id" value=rid/><button type="submit" class="button primary">{label}</button></ActionForm> }.into_any(),
                                                "approve" => view! { <ActionForm action=approve attr:class="inline"><input type="hidden" name="id" value=rid/><button type="submit" class="button primary">{label}</button></ActionForm> }.into_any(),
                                                "acknowledge" => view! { <ActionForm action=ack attr:class="inline"><input type="hidden" name="id" value=rid/><button type="submit" class="button primary">{label}</button></ActionForm> }.into_any(),
                                                "close" => view! { <ActionForm action=close attr:class="inline"><input type="hidden" name="id" value=rid/><button type="submit" class="button primary">{label}</button></ActionForm> }.into_any(),
                                                _ => view! { <ActionForm action=withdraw attr:class="inline"><input type="hidden" name="id" value=rid/><button type="submit" class=if danger { "button danger" } else { "button secondary" }>{label}</button></ActionForm> }.into_any(),
                                            }
                                        }).collect_view()}
                                    </div>
                                    <ErrorSummary error=action_errors/>
                                </header>
                                <div class="columns">
                                    <div>
                                        <section class="panel" aria-labelledby="ask-h">
                                            <h2 id="ask-h">"Request"</h2>
                                            <p class="prewrap">{r.body.clone()}</p>
                                            {r.directly_available.then(|| view! { <p class="muted">"Information marked as directly available to the recipient."</p> })}
                                            <AttachmentList files=r.attachments.clone()/>
                                        </section>
                                        <section class="panel" aria-labelledby="thread-h">
                                            <h2 id="thread-h">"Responses"</h2>
                                            {if r.responses.is_empty() {
                                                view! { <p class="muted">"No response yet."</p> }.into_any()
                                            } else {
                                                view! { <ol class="thread">{r.responses.iter().map(|resp| view! { <ResponseItem response=resp.clone()/> }).collect_view()}</ol> }.into_any()
                                            }}
                                        </section>
                                    </div>
                                    <div>
                                        {r.viewer_is_recipient.then(|| view! { <CrossCheckPanel result=cross/> })}
                                        {(has("respond") || has("clarify")).then(|| view! { <RespondForm request=r.clone() respond/> })}
                                        {has("decline").then(|| view! { <DeclineForm id=rid decline/> })}
                                    </div>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// What the recipient's side already holds on the people, companies, vessels and indicators of the
/// request, so duplicates and links are found before answering. Loaded after the request itself.
#[component]
fn CrossCheckPanel(result: Resource<Result<Option<CrossCheckView>, AppError>>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="xcheck-h">
            <h2 id="xcheck-h">"Cross-check against your records"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Checking your records…"</p> }>
                {move || Suspend::new(async move {
                    match result.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(None) => view! { <p class="loading">"Checking your records…"</p> }.into_any(),
                        Ok(Some(x)) if x.looked_for.is_empty() => view! {
                            <p class="muted">"The request names no indicator, person, company or vessel to check. Add them to the case to cross-check."</p>
                        }.into_any(),
                        Ok(Some(x)) => {
                            let looked = x.looked_for.join("; ");
                            if x.matches.is_empty() {
                                view! { <p class="empty">"No match in your records for: " {looked}</p> }.into_any()
                            } else {
                                view! {
                                    <p><strong>{x.matches.len()} {if x.matches.len() == 1 { " match" } else { " matches" }}</strong> " in your other cases and requests."</p>
                                    <ul class="plain xcheck">
                                        {x.matches.into_iter().map(|m| view! {
                                            <li>
                                                <span class="xcheck-what">{m.matched}</span>
                                                <a href=m.link><span class="mono">{m.case_reference}</span> " " {m.case_title}</a>
                                                <span class="muted small">" — " {m.found_as}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                    <details class="small muted"><summary>"What was checked"</summary><p>{looked}</p></details>
                                }.into_any()
                            }
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ResponseItem(response: ResponseView) -> impl IntoView {
    let grading = match (response.source_grade, response.info_grade) {
        (Some(s), Some(i)) => Some(format!("{}{}", s.as_str(), i.as_str())),
        _ => None,
    };
    let title = match (response.source_grade, response.info_grade) {
        (Some(s), Some(i)) => format!("Source {} · Information {}", s.label(), i.label()),
        _ => String::new(),
    };
    view! {
        <li class="response">
            <div class="response-head">
                <strong>{response.kind.label()}</strong>
                " · " {response.author.clone()} " (" {response.agency.clone()} ") · "
                <time datetime=response.created.at.to_rfc3339()>{response.created.text.clone()}</time>
                " " <TlpBadge tlp=response.tlp/>
                {grading.map(|g| view! { " " <span class="grading" title=title.clone()>"Grading " {g}</span> })}
            </div>
            <p class="prewrap">{response.body.clone()}</p>
            {(!response.attachments.is_empty()).then(|| view! { <AttachmentList files=response.attachments.clone()/> })}
        </li>
    }
}

#[component]
fn RespondForm(request: RequestView, respond: ServerAction<RespondToRequest>) -> impl IntoView {
    let error = action_error(respond);
    let (files, set_files) = signal(Vec::<AttachmentView>::new());
    // After a response is sent, the files belong to it: start the next one empty.
    Effect::new(move |_| {
        if let Some(Ok(())) = respond.value().get() {
            set_files.set(vec![]);
        }
    });
    let kinds: Vec<(String, String)> = if request.viewer_is_recipient {
        [ResponseKind::FinalAnswer, ResponseKind::PartialAnswer, ResponseKind::ClarificationRequest, ResponseKind::Refusal]
            .iter()
            .map(|k| (k.as_str().to_string(), k.label().to_string()))
            .collect()
    } else {
        vec![(ResponseKind::Clarification.as_str().to_string(), ResponseKind::Clarification.label().to_string())]
    };
    let tlps: Vec<(String, String)> = Tlp::ALL.iter().filter(|t| **t >= request.summary.tlp).map(|t| (t.as_str().to_string(), t.label().to_string())).collect();
    let case_id = request.summary.case_id;
    let request_id = request.summary.id;
    let file_ids = move || files.get().iter().map(|f| f.id.to_string()).collect::<Vec<_>>().join(",");
    view! {
        <section class="panel" aria-labelledby="respond-h">
            <h2 id="respond-h">{if request.viewer_is_recipient { "Respond" } else { "Answer the clarification request" }}</h2>
            <ActionForm action=respond>
                <input type="hidden" name="id" value=request_id/>
                <input type="hidden" name="attachments" prop:value=file_ids/>
                <ErrorSummary error/>
                <SelectField label="Kind of response" name="kind" options=kinds error/>
                <TextArea label="Response" name="body" rows=8 required=true error/>
                {request.viewer_is_recipient.then(|| view! {
                    <fieldset class="grading-fields">
                        <legend>"Grading (4x4), required for answers"</legend>
                        <SelectField label="Source reliability" name="source_grade" options=enum_options(SourceGrade::ALL, SourceGrade::as_str, SourceGrade::label, Some("Choose")) error/>
                        <SelectField label="Information" name="info_grade" options=enum_options(InfoGrade::ALL, InfoGrade::as_str, InfoGrade::label, Some("Choose")) error/>
                    </fieldset>
                })}
                <SelectField label="Handling code of the response" name="tlp" options=tlps selected=request.summary.tlp.as_str().to_string() error/>
                {move || {
                    let list = files.get();
                    (!list.is_empty()).then(|| view! {
                        <div class="pending-files" role="status">
                            <p>"Files to send with this response:"</p>
                            <ul class="plain">{list.into_iter().map(|f| view! { <li>{f.file_name} <span class="muted mono small">" " {f.sha256[..12].to_string()} "…"</span></li> }).collect_view()}</ul>
                        </div>
                    })
                }}
                <FileUpload case_id request_id=request_id label="Attach a file to this response" id="response-upload"
                    on_uploaded=Callback::new(move |f: AttachmentView| set_files.update(|v| v.push(f)))/>
                <button type="submit" class="button primary" disabled=move || respond.pending().get()>"Send response"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn DeclineForm(id: i64, decline: ServerAction<DeclineRequest>) -> impl IntoView {
    let error = action_error(decline);
    view! {
        <section class="panel" aria-labelledby="decline-h">
            <details open=move || matches!(decline.value().get(), Some(Err(_)))>
                <summary class="button secondary" id="decline-h">"Decline the request"</summary>
                <ActionForm action=decline>
                    <input type="hidden" name="id" value=id/>
                    <ErrorSummary error/>
                    <TextArea label="Grounds for declining" name="reason" rows=4 required=true error/>
                    <button type="submit" class="button danger">"Decline request"</button>
                </ActionForm>
            </details>
        </section>
    }
}
