//! The supervisor dashboard: its figures as JSON, and as the page shows them.

use crate::error::AppError;
use crate::model::{DashboardHtml, DashboardView};
use leptos::prelude::*;

/// The supervisor's country's dashboard figures (shared by its supervisors), the view recorded.
#[cfg(feature = "ssr")]
async fn figures(actor: &crate::backend::Actor, app: &crate::backend::AppState) -> Result<std::sync::Arc<DashboardView>, AppError> {
    use crate::backend::exchange::policy;
    use crate::backend::platform::audit::{self, Event};
    policy::ensure(&actor.user, policy::Action::ViewDashboard)?;
    let figures = app.dashboards.get(&app.db.pool, actor.user.country, app.settings.dashboard_max_age).await?;
    audit::record_alone(&app.db, &actor.who, Event::new("dashboard.read")).await?;
    Ok(figures)
}

/// The dashboard as its page shows it: rendered once per country, figures and time zone, and shared by
/// that country's supervisors (backend::render_cache; the figures are the country's, not the viewer's).
/// `dashboard` below is the same data as JSON.
#[server(endpoint = "dashboard_page")]
pub async fn dashboard_page() -> Result<DashboardHtml, AppError> {
    use crate::backend::{oversight::dashboard, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let figures = figures(&actor, &app).await?;
            let zone = actor.user.time_zone.clone();
            // The language too: the figures' times are written in it.
            let l = crate::i18n::request_locale();
            let key = (actor.user.country, figures.as_of.at.timestamp_micros(), zone.clone(), l);
            // Viewer 0: one render for everyone whose key (country, figures, zone) matches.
            let html = app
                .dashboard_html
                .get_or_render(&app.db, 0, key, || async {
                    Ok(crate::components::dashboard_figures::render_dashboard(dashboard::shown_in(&figures, &zone, l), l))
                })
                .await?;
            Ok((*html).clone())
        }
        .await,
    )
}

#[server(endpoint = "dashboard")]
pub async fn dashboard() -> Result<DashboardView, AppError> {
    use crate::backend::{oversight::dashboard, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let figures = figures(&actor, &app).await?;
            Ok(dashboard::shown_in(&figures, &actor.user.time_zone, crate::i18n::request_locale()))
        }
        .await,
    )
}
