//! Search results, grouped by kind, with the matched words highlighted.

use crate::api::search::search;
use crate::components::layout::Guard;
use crate::model::permissions::Action;
use crate::model::SearchHit;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPage() -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <Title text=tr!(l, "search-label")/>
        <Results/>
    }
}

#[component]
fn Results() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let results = Resource::new(q, search);
    view! {
        <Guard action=Action::WorkCases>
            <h1>{tr!(l, "search-label")}</h1>
            <form method="GET" action="/search" class="filters" role="search" aria-label=tr!(l, "search-filter")>
                <div class="field">
                    <label for="search-page-q">{tr!(l, "search-words")}</label>
                    <p class="hint" id="search-page-hint">{tr!(l, "search-hint")}</p>
                    <input id="search-page-q" name="q" type="search" value=q aria-describedby="search-page-hint"/>
                </div>
                <button type="submit" class="button primary">{tr!(l, "search-label")}</button>
            </form>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "search-searching")}</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        // A refused search says what was wrong with it (e.g. its length), not only that something was.
                        Err(e) => {
                            let message = e.field_message("q").unwrap_or_else(|| e.message_in(crate::i18n::use_locale()));
                            view! { <p class="error-summary" role="alert" id="search-page-q-error">{message}</p> }.into_any()
                        }
                        Ok(r) if r.query.trim().is_empty() => view! { <p class="muted">{tr!(l, "search-empty")}</p> }.into_any(),
                        Ok(r) if r.hits.is_empty() => view! { <p class="empty">{tr!(l, "search-nothing", query = r.query.clone())}</p> }.into_any(),
                        Ok(r) => {
                            let groups = [
                                ("case", tr!(l, "cases-title")),
                                ("request", tr!(l, "requests-title")),
                                ("response", tr!(l, "search-responses")),
                                ("indicator", tr!(l, "ind-title")),
                                ("entity", tr!(l, "ent-title")),
                            ];
                            view! {
                                <p class="muted">{tr!(l, "search-count", count = r.hits.len() as i64, query = r.query.clone())}</p>
                                {groups.into_iter().filter_map(|(kind, heading)| {
                                    let hits: Vec<SearchHit> = r.hits.iter().filter(|h| h.kind == kind).cloned().collect();
                                    let capped = r.capped.iter().any(|k| k == kind);
                                    (!hits.is_empty()).then(|| view! {
                                        <section class="panel" aria-label=heading.clone()>
                                            <h2>{heading.clone()} <span class="muted">" (" {hits.len()} ")"</span></h2>
                                            {capped.then(|| view! {
                                                <p class="muted small">{tr!(l, "search-many")}</p>
                                            })}
                                            <ul class="plain results">
                                                {hits.into_iter().map(|h| view! {
                                                    <li>
                                                        <a href=h.link.clone() translate="no">{if h.title.is_empty() { h.case_reference.clone() } else { h.title.clone() }}</a>
                                                        <span class="muted mono small" translate="no">" " {h.case_reference.clone()}</span>
                                                        <p class="snippet" translate="no">{split_marks(&h.snippet).into_iter().map(|(text, hit)| if hit {
                                                            view! { <mark>{text}</mark> }.into_any()
                                                        } else {
                                                            view! { <span>{text}</span> }.into_any()
                                                        }).collect_view()}</p>
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                        </section>
                                    })
                                }).collect_view()}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// Splits a snippet at the highlight markers the server put around matched words (U+E000 … U+E001).
pub fn split_marks(snippet: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut inside = false;
    for c in snippet.chars() {
        match c {
            '\u{E000}' | '\u{E001}' => {
                if !current.is_empty() {
                    out.push((std::mem::take(&mut current), inside));
                }
                inside = c == '\u{E000}';
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push((current, inside));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn marks_split_into_highlighted_parts() {
        let parts = super::split_marks("a \u{E000}fentanyl\u{E001} shipment <script>");
        assert_eq!(parts, vec![("a ".to_string(), false), ("fentanyl".to_string(), true), (" shipment <script>".to_string(), false)]);
    }
}
