//! Swagger 2.0 `host` + `basePath` + `schemes` → `servers`; `securityDefinitions` →
//! `securitySchemes` (OAuth 2.0's one `flow` becomes `flows`, with 3.0's names).

use serde_json::{json, Map, Value};

use super::Converter;
use crate::normalize::{join, Normalized};

/// `schemes` × `host` + `basePath`; without a host, the base path alone (a relative server).
pub(super) fn servers(old: &mut Map<String, Value>, out: &mut Normalized) -> Value {
    let host = old.remove("host");
    let base = old.remove("basePath");
    let schemes = old.remove("schemes");
    let base = base.as_ref().and_then(Value::as_str).unwrap_or("");
    let base = base.trim_end_matches('/');
    let origin = if host.is_some() { "/host" } else { "/basePath" };
    out.origins
        .record_original("/servers".into(), origin.into());
    let Some(host) = host.as_ref().and_then(Value::as_str) else {
        return json!([{ "url": if base.is_empty() { "/" } else { base } }]);
    };
    let mut schemes: Vec<&str> = schemes
        .as_ref()
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    // https first: the Region enum's first variant is the default server.
    schemes.sort_by_key(|s| *s != "https");
    if schemes.is_empty() {
        schemes.push("https");
    }
    Value::Array(
        schemes
            .into_iter()
            .filter(|s| matches!(*s, "http" | "https"))
            .map(|scheme| json!({ "url": format!("{scheme}://{host}{base}") }))
            .collect(),
    )
}

impl Converter<'_> {
    /// `securityDefinitions` → `securitySchemes`; OAuth 2.0's one `flow` becomes `flows`.
    pub(super) fn security(&mut self, schemes: Map<String, Value>) -> Value {
        let mut converted = Map::new();
        for (name, scheme) in schemes {
            let from = join("/securityDefinitions", &name);
            self.record(&join("/components/securitySchemes", &name), &from);
            let description = scheme.get("description").cloned();
            let text = |key: &str| scheme.get(key).cloned().unwrap_or_else(|| "".into());
            let mut new = match scheme.get("type").and_then(Value::as_str) {
                Some("basic") => json!({ "type": "http", "scheme": "basic" }),
                Some("apiKey") => {
                    json!({ "type": "apiKey", "name": text("name"), "in": text("in") })
                }
                Some("oauth2") => {
                    let scopes = scheme.get("scopes").cloned().unwrap_or_else(|| json!({}));
                    let flow = scheme.get("flow").and_then(Value::as_str).unwrap_or("");
                    let (key, body) = match flow {
                        "implicit" => (
                            "implicit",
                            json!({ "authorizationUrl": text("authorizationUrl"), "scopes": scopes }),
                        ),
                        "password" => (
                            "password",
                            json!({ "tokenUrl": text("tokenUrl"), "scopes": scopes }),
                        ),
                        "application" => (
                            "clientCredentials",
                            json!({ "tokenUrl": text("tokenUrl"), "scopes": scopes }),
                        ),
                        "accessCode" => (
                            "authorizationCode",
                            json!({ "authorizationUrl": text("authorizationUrl"), "tokenUrl": text("tokenUrl"), "scopes": scopes }),
                        ),
                        other => {
                            self.out.warn(
                                join(&from, "flow"),
                                format!("unknown OAuth 2.0 flow `{other}`; the scheme is skipped"),
                            );
                            continue;
                        }
                    };
                    json!({ "type": "oauth2", "flows": { key: body } })
                }
                other => {
                    self.out.warn(
                        join(&from, "type"),
                        format!(
                            "unknown security type {}; the scheme is skipped",
                            other.unwrap_or("(missing)")
                        ),
                    );
                    continue;
                }
            };
            if let (Some(description), Some(object)) = (description, new.as_object_mut()) {
                object.insert("description".into(), description);
            }
            converted.insert(name, new);
        }
        Value::Object(converted)
    }
}
