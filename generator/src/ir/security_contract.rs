//! The IR's security contract (`crate::ir::SecurityScheme`, `Operation::security`), which
//! the emitter and `oapigen conform` read: every scheme kind with its builder method, and
//! each operation's effective requirement alternatives; Swagger 2.0 after normalisation.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::ir::{self, ApiKeyIn, SchemeKind, SecurityRequirement};
use crate::ir::security::SchemeUse;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs/security_schemes.yaml")
}

fn requirement(schemes: &[(&str, &[&str])]) -> SecurityRequirement {
    SecurityRequirement {
        schemes: schemes
            .iter()
            .map(|(scheme, scopes)| SchemeUse {
                scheme: (*scheme).to_owned(),
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            })
            .collect(),
    }
}

#[test]
fn every_scheme_kind_with_its_builder_method() {
    let api = crate::diff::load_ir(&fixture(), ir::Strictness::default())
        .expect("fixture loads")
        .api;
    let schemes: Vec<(&str, &str, &SchemeKind)> = api
        .security_schemes
        .iter()
        .map(|s| (s.name.as_str(), s.method.as_str(), &s.kind))
        .collect();
    let api_key = |location, name: &str| SchemeKind::ApiKey {
        location,
        name: name.to_owned(),
    };
    let http = |scheme: &str, bearer_format: Option<&str>| SchemeKind::Http {
        scheme: scheme.to_owned(),
        bearer_format: bearer_format.map(str::to_owned),
    };
    assert_eq!(
        schemes,
        [
            (
                "header_key",
                "header_key",
                &api_key(ApiKeyIn::Header, "X-API-Key")
            ),
            ("query_key", "query_key", &api_key(ApiKeyIn::Query, "key")),
            (
                "cookie_key",
                "cookie_key",
                &api_key(ApiKeyIn::Cookie, "session_id")
            ),
            ("basic", "basic", &http("basic", None)),
            ("bearer", "bearer", &http("bearer", Some("JWT"))),
            ("token", "token", &http("Token", None)),
            (
                "oauth",
                "oauth",
                &SchemeKind::OAuth2 {
                    token_url: Some("https://auth.example.com/token".into()),
                    scopes: vec!["read".into()],
                }
            ),
            (
                "oidc",
                "oidc",
                &SchemeKind::OpenIdConnect {
                    url: "https://auth.example.com/.well-known/openid-configuration".into()
                }
            ),
            (
                "credentials",
                "credentials_auth",
                &api_key(ApiKeyIn::Header, "X-Unused")
            ),
        ]
    );
}

#[test]
fn effective_requirements_per_operation() {
    let api = crate::diff::load_ir(&fixture(), ir::Strictness::default())
        .expect("fixture loads")
        .api;
    let of = |id: &str| {
        api.operations
            .iter()
            .find(|op| op.operation_id == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .security
            .clone()
    };
    assert_eq!(of("usesDefault"), [requirement(&[("header_key", &[])])]);
    assert_eq!(of("oauthOnly"), [requirement(&[("oauth", &["read"])])]);
    assert_eq!(
        of("eitherKeyOrBasic"),
        [
            requirement(&[("query_key", &[])]),
            requirement(&[("basic", &[])])
        ]
    );
    assert_eq!(
        of("keyAndBasic"),
        [requirement(&[("header_key", &[]), ("basic", &[])])]
    );
    assert_eq!(
        of("optionalKey"),
        [requirement(&[("header_key", &[])]), requirement(&[])]
    );
    assert_eq!(of("public"), []);
}

#[test]
fn swagger_2_security_definitions_become_the_same_schemes() {
    let spec = r#"{
      "swagger": "2.0",
      "info": {"title": "Old", "version": "1"},
      "host": "api.example.com",
      "securityDefinitions": {
        "basic": {"type": "basic"},
        "key": {"type": "apiKey", "in": "query", "name": "api_key"},
        "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a.example/token",
                "scopes": {"read": "r"}}
      },
      "security": [{"basic": []}],
      "paths": {
        "/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}},
        "/b": {"get": {"operationId": "b", "security": [{"key": []}, {"app": ["read"]}],
               "responses": {"200": {"description": "ok"}}}},
        "/c": {"get": {"operationId": "c", "security": [{"missing": []}],
               "responses": {"200": {"description": "ok"}}}}
      }
    }"#;
    let dir = std::env::temp_dir().join("oapigen-security-swagger2");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("old.json");
    std::fs::File::create(&path)
        .and_then(|mut file| file.write_all(spec.as_bytes()))
        .expect("spec written");
    let loaded = crate::load::load(&path).expect("loads");
    let built = ir::build(&loaded, ir::Strictness::default()).expect("builds");
    let kinds: Vec<(&str, &SchemeKind)> = built
        .api
        .security_schemes
        .iter()
        .map(|s| (s.name.as_str(), &s.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "basic",
                &SchemeKind::Http {
                    scheme: "basic".into(),
                    bearer_format: None
                }
            ),
            (
                "key",
                &SchemeKind::ApiKey {
                    location: ApiKeyIn::Query,
                    name: "api_key".into()
                }
            ),
            (
                "app",
                &SchemeKind::OAuth2 {
                    token_url: Some("https://a.example/token".into()),
                    scopes: vec!["read".into()]
                }
            ),
        ]
    );
    let ops = &built.api.operations;
    assert_eq!(ops[0].security, [requirement(&[("basic", &[])])]);
    assert_eq!(
        ops[1].security,
        [
            requirement(&[("key", &[])]),
            requirement(&[("app", &["read"])])
        ]
    );
    // An alternative naming an undeclared scheme can never be met: dropped, with a warning.
    assert_eq!(ops[2].security, []);
    assert!(
        built
            .warnings
            .iter()
            .any(|w| w.to_string().contains("undeclared scheme(s) missing")),
        "{:?}",
        built.warnings
    );
}
