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
use utoipa::openapi::link::Link;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi, RefOr};

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
        add_links(&mut doc);
        doc
    })
}

/// Where an answer leads (OpenAPI links): from the operation and status that answer an object, with the
/// parameters its answer fills, to each operation that takes them. Clients (Schemathesis's stateful runs
/// among them) follow these to chain calls: create a case, then read it, ask on it, attach to it.
type LinkRow = (&'static str, &'static str, &'static [(&'static str, &'static str)], &'static [&'static str]);

const LINKS: &[LinkRow] = &[
    (
        "create_case",
        "201",
        &[("path.id", "$response.body#/id")],
        &[
            "get_case",
            "change_case_status",
            "list_entities",
            "add_entity",
            "list_indicators",
            "add_indicator",
            "bulk_add_indicators",
            "create_request",
            "upload_attachment",
        ],
    ),
    // An update names the version read, as the ETag of the read.
    ("get_case", "200", &[("path.id", "$request.path.id"), ("header.If-Match", "$response.header.ETag")], &["update_case"]),
    (
        "create_request",
        "201",
        &[("path.id", "$response.body#/id")],
        &[
            "get_request",
            "list_responses",
            "respond",
            "send_request",
            "acknowledge_request",
            "decline_request",
            "withdraw_request",
            "close_request",
        ],
    ),
    ("respond", "201", &[("path.id", "$response.body#/request")], &["get_request", "list_responses"]),
    ("upload_attachment", "201", &[("path.id", "$response.body#/id")], &["get_attachment", "download_attachment"]),
];

/// The operation with this id, wherever its path is.
fn operation_mut<'a>(doc: &'a mut OpenApi, id: &str) -> Option<&'a mut Operation> {
    doc.paths
        .paths
        .values_mut()
        .flat_map(|p| [&mut p.get, &mut p.put, &mut p.post, &mut p.delete, &mut p.patch])
        .find_map(|op| op.as_mut().filter(|op| op.operation_id.as_deref() == Some(id)))
}

fn add_links(doc: &mut OpenApi) {
    for (from, status, parameters, targets) in LINKS {
        let Some(RefOr::T(answer)) = operation_mut(doc, from).and_then(|op| op.responses.responses.get_mut(*status)) else {
            // A renamed operation or status: the unit test below names it.
            continue;
        };
        for target in *targets {
            let link = parameters.iter().fold(Link::builder().operation_id(*target), |l, (name, value)| l.parameter(*name, *value));
            answer.links.insert((*target).to_string(), RefOr::T(link.build()));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The parameters an operation takes, as links name them (`path.id`, `header.If-Match`).
    fn parameters_of(doc: &Value, id: &str) -> Option<Vec<String>> {
        let op = doc["paths"]
            .as_object()?
            .values()
            .flat_map(|p| p.as_object().into_iter().flat_map(|m| m.values()))
            .find(|op| op["operationId"] == id)?;
        Some(
            op["parameters"]
                .as_array()
                .map(|ps| ps.iter().map(|p| format!("{}.{}", text(p, "in"), text(p, "name"))).collect())
                .unwrap_or_default(),
        )
    }

    /// Every link leaves an answer the operation gives, and reaches an operation that takes what it fills: a
    /// renamed operation or parameter fails here rather than leaving a client a link to nowhere.
    #[test]
    fn every_link_joins_two_operations_that_exist() {
        let doc: Value = serde_json::from_str(&description().to_json().unwrap()).unwrap();
        let mut links = 0;
        for (from, status, parameters, targets) in LINKS {
            let answer = doc["paths"]
                .as_object()
                .unwrap()
                .values()
                .flat_map(|p| p.as_object().unwrap().values())
                .find(|op| op["operationId"] == *from)
                .map(|op| op["responses"][*status].clone())
                .unwrap_or_else(|| panic!("no operation {from}"));
            assert!(answer.is_object(), "{from} gives no {status}");
            for target in *targets {
                let takes = parameters_of(&doc, target).unwrap_or_else(|| panic!("{from} links to {target}, which does not exist"));
                for (name, _) in *parameters {
                    assert!(takes.iter().any(|t| t == name), "{target} takes no {name}: {takes:?}");
                }
                assert_eq!(answer["links"][*target]["operationId"], *target, "{from} {status} links to {target}");
                links += 1;
            }
        }
        assert!(links >= 20, "{links}");
    }
}
