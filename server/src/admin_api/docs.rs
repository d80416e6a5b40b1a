//! `/api/v1/docs`: the OpenAPI document as a page people can read, rendered once at start-up
//! from the same document `/api/v1/openapi.json` serves; no script, nothing fetched from
//! elsewhere.

use app::ssr::html::escape;
use serde_json::Value;
use std::fmt::Write;
use utoipa::openapi::OpenApi;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

pub fn render(document: &OpenApi) -> String {
    let spec = serde_json::to_value(document).unwrap_or(Value::Null);
    let text = |value: &Value| escape(value.as_str().unwrap_or_default());
    let mut page = String::with_capacity(64 * 1024);
    let title = text(&spec["info"]["title"]);
    let _ = write!(
        page,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body><main><h1>{title} <small>{}</small></h1>\
         <p>{}</p><p>Machine-readable: <a href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI {}).</p><nav><ul>",
        text(&spec["info"]["version"]),
        paragraphs(spec["info"]["description"].as_str().unwrap_or_default()),
        text(&spec["openapi"]),
    );
    let tags: Vec<(&str, &str)> = spec["tags"]
        .as_array()
        .map(|tags| {
            tags.iter()
                .map(|tag| (tag["name"].as_str().unwrap_or_default(), tag["description"].as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    for (name, _) in &tags {
        let _ = write!(page, "<li><a href=\"#{0}\">{0}</a></li>", escape(name));
    }
    page.push_str("<li><a href=\"#schemas\">schemas</a></li></ul></nav>");
    let empty = serde_json::Map::new();
    let paths = spec["paths"].as_object().unwrap_or(&empty);
    for (tag, description) in &tags {
        let _ = write!(page, "<section id=\"{0}\"><h2>{0}</h2><p>{1}</p>", escape(tag), escape(description));
        for (path, item) in paths {
            for method in METHODS {
                let operation = &item[method];
                let in_tag = operation["tags"].as_array().is_some_and(|tags| tags.iter().any(|t| t == tag));
                if operation.is_object() && in_tag {
                    render_operation(&mut page, method, path, operation);
                }
            }
        }
        page.push_str("</section>");
    }
    page.push_str("<section id=\"schemas\"><h2>Schemas</h2>");
    if let Some(schemas) = spec["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            let _ = write!(
                page,
                "<details id=\"schema-{0}\"><summary>{0}</summary><pre>{1}</pre></details>",
                escape(name),
                escape(&serde_json::to_string_pretty(schema).unwrap_or_default())
            );
        }
    }
    page.push_str("</section></main></body></html>");
    page
}

fn render_operation(page: &mut String, method: &str, path: &str, operation: &Value) {
    let _ = write!(
        page,
        "<article><h3><span class=\"method {method}\">{}</span> <code>/api/v1{}</code></h3><p><strong>{}</strong></p>{}",
        method.to_uppercase(),
        escape(path.strip_prefix("/api/v1").unwrap_or(path)),
        escape(operation["summary"].as_str().unwrap_or_default()),
        paragraphs(operation["description"].as_str().unwrap_or_default()),
    );
    if let Some(parameters) = operation["parameters"].as_array().filter(|parameters| !parameters.is_empty()) {
        page.push_str("<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th></tr>");
        for parameter in parameters {
            let _ = write!(
                page,
                "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(parameter["name"].as_str().unwrap_or_default()),
                if parameter["required"] == Value::Bool(true) { " *" } else { "" },
                escape(parameter["in"].as_str().unwrap_or_default()),
                escape(&schema_name(&parameter["schema"])),
                escape(parameter["description"].as_str().unwrap_or_default()),
            );
        }
        page.push_str("</table>");
    }
    if let Some(content) = operation["requestBody"]["content"].as_object() {
        for (media_type, body) in content {
            let _ = write!(page, "<p>Body ({}): {}</p>", escape(media_type), schema_link(&body["schema"]));
        }
    }
    if let Some(responses) = operation["responses"].as_object() {
        page.push_str("<ul class=\"responses\">");
        for (status, response) in responses {
            let schema = response["content"]
                .as_object()
                .and_then(|content| content.values().next())
                .map(|body| schema_link(&body["schema"]))
                .unwrap_or_default();
            let _ = write!(
                page,
                "<li><code>{}</code> {} {schema}</li>",
                escape(status),
                escape(response["description"].as_str().unwrap_or_default())
            );
        }
        page.push_str("</ul>");
    }
    page.push_str("</article>");
}

fn schema_name(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    match &schema["type"] {
        Value::String(kind) if kind == "array" => format!("array of {}", schema_name(&schema["items"])),
        Value::String(kind) => kind.clone(),
        Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" or "),
        _ => schema["oneOf"]
            .as_array()
            .map(|options| options.iter().map(schema_name).collect::<Vec<_>>().join(" or "))
            .unwrap_or_else(|| "object".into()),
    }
}

fn schema_link(schema: &Value) -> String {
    let name = schema_name(schema);
    let reference = schema["$ref"].as_str().or_else(|| schema["items"]["$ref"].as_str());
    match reference.and_then(|reference| reference.rsplit('/').next()) {
        Some(target) => format!("<a href=\"#schema-{}\">{}</a>", escape(target), escape(&name)),
        None => escape(&name),
    }
}

fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .filter(|paragraph| !paragraph.trim().is_empty())
        .map(|paragraph| format!("<p>{}</p>", escape(paragraph.trim())))
        .collect()
}

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}\
main{max-width:960px;margin:0 auto;padding:1rem 1.5rem 4rem}h1 small{font-size:.5em;color:#59636e}\
nav ul{display:flex;flex-wrap:wrap;gap:.75rem;list-style:none;padding:0}section{margin-top:2.5rem}\
article{border:1px solid #d1d9e0;border-radius:8px;padding:.25rem 1rem;margin:1rem 0}\
h3{font-size:1rem}code,pre{font-family:ui-monospace,monospace}pre{background:#f6f8fa;padding:.75rem;overflow:auto}\
.method{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;padding:0 .4em;font-size:.85em}\
.get{background:#0969da}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}\
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d1d9e0;text-align:left;padding:.25rem .5rem;vertical-align:top}\
details{margin:.25rem 0}summary{cursor:pointer;font-family:ui-monospace,monospace}";
