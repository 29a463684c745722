//! The API's description, generated from the handlers and wire types (`utoipa`): `openapi.json` for
//! programs, and a reference page for people, rendered here from the same description (no outside script
//! or stylesheet, so the site's Content-Security-Policy holds).

use super::problem::KINDS;
use super::routes::Operations;
use app::backend::AppState;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::Value;
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi;

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi_json)).route("/docs", get(reference))
}

/// The description, built once.
pub fn description() -> &'static OpenApi {
    static DOC: OnceLock<OpenApi> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = <Operations as utoipa::OpenApi>::openapi();
        doc.info.title = "Liaison Desk API".into();
        doc.info.version = "1".into();
        doc.info.description = Some(
            "Cases, requests and responses between liaison agencies. Every call carries a token \
             (`Authorization: Bearer ldt_…`, made on the profile page) and acts as the token's owner: \
             the same rules, need-to-know and audit trail as the pages. Refusals are RFC 9457 problem details."
                .into(),
        );
        doc.info.license = None;
        doc.info.contact = None;
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("token", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        doc
    })
}

async fn openapi_json() -> Response {
    let body = description().to_json().unwrap_or_default();
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Escaped prose, with the description's `code` spans shown as code.
fn prose(text: &str) -> String {
    esc(text).split('`').enumerate().map(|(i, part)| if i % 2 == 1 { format!("<code>{part}</code>") } else { part.to_string() }).collect()
}

/// A schema as the page names it: the referenced schema's name, else its JSON.
fn schema_name(schema: &Value) -> String {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => r.rsplit('/').next().unwrap_or_default().to_string(),
        None if schema.is_null() => String::new(),
        None => schema.to_string(),
    }
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The reference page: each operation with its parameters, body and answers; each problem type; each schema.
/// Read from the description's JSON, so the page shows exactly what programs read.
async fn reference() -> Response {
    static PAGE: OnceLock<String> = OnceLock::new();
    let mut res = Html(PAGE.get_or_init(render).clone()).into_response();
    // Only the site's own stylesheet; no script at all.
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    res
}

fn render() -> String {
    let doc = serde_json::to_value(description()).unwrap_or_default();
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Liaison Desk API</title><link rel=\"stylesheet\" href=\"/pkg/liaison-desk.css\"></head><body><main class=\"api-docs\">",
    );
    html += &format!("<h1>{}</h1><p>{}</p>", esc(text(&doc["info"], "title")), prose(text(&doc["info"], "description")));
    html += "<p><a href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI 3.1)</p><h2>Operations</h2>";
    let empty = serde_json::Map::new();
    for (path, item) in doc["paths"].as_object().unwrap_or(&empty) {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            html += &format!(
                "<section class=\"panel\"><h3><code>{} {}</code></h3><p>{}</p>",
                method.to_uppercase(),
                esc(path),
                prose(text(op, "summary"))
            );
            if !text(op, "description").is_empty() {
                html += &format!("<p>{}</p>", prose(text(op, "description")));
            }
            if let Some(params) = op["parameters"].as_array() {
                html += "<ul>";
                for p in params {
                    html += &format!(
                        "<li><code>{}</code> ({}{}) {}</li>",
                        esc(text(p, "name")),
                        esc(text(p, "in")),
                        if p["required"].as_bool().unwrap_or(false) { ", required" } else { "" },
                        prose(text(p, "description"))
                    );
                }
                html += "</ul>";
            }
            for (kind, content) in op["requestBody"]["content"].as_object().unwrap_or(&empty) {
                html += &format!("<p>Body ({}): <code>{}</code></p>", esc(kind), esc(&schema_name(&content["schema"])));
            }
            html += "<ul>";
            for (status, response) in op["responses"].as_object().unwrap_or(&empty) {
                let body = response["content"].as_object().and_then(|c| c.values().next()).map(|c| schema_name(&c["schema"]));
                html += &format!(
                    "<li><code>{}</code> {} <code>{}</code></li>",
                    esc(status),
                    esc(text(response, "description")),
                    esc(&body.unwrap_or_default())
                );
            }
            html += "</ul></section>";
        }
    }
    html += "<h2>Problem types</h2><dl>";
    for (slug, title, meaning) in KINDS {
        html +=
            &format!("<dt id=\"problem-{slug}\"><code>/api/v1/docs#problem-{slug}</code>: {}</dt><dd>{}</dd>", esc(title), esc(meaning));
    }
    html += "</dl><h2>Schemas</h2>";
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap_or(&empty) {
        let json = serde_json::to_string_pretty(schema).unwrap_or_default();
        html += &format!("<h3 id=\"schema-{0}\">{0}</h3><pre tabindex=\"0\">{1}</pre>", esc(name), esc(&json));
    }
    html += "</main></body></html>";
    html
}
