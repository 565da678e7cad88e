//! Pagination inferred from the shapes real specs use, for `GET` operations without
//! `x-pagination`: a `Link` response header (GitHub), a `has_more` flag with a cursor
//! (Stripe, OpenAI), a cursor parameter matched with a next-token field (Slack, Google, AWS),
//! a next-page URL in the body, and page or offset numbers.
//!
//! Every pattern needs the items: the body is an array, or has one array field (or several,
//! one of them named like a list: `data`, `items`, …). An operation with an `offset`
//! parameter but no array is not paginated.

use super::model::{
    Api, Counts, Field, HasMoreCursor, Location, NextPage, Operation, PagePattern, Pagination,
    Parameter, ResponseEncoding, Shape, TokenInput, Ty, TypeKind,
};

/// Array field names that say "these are the items" when a body has several arrays.
const ITEM_FIELDS: &[&str] = &[
    "data", "items", "results", "entries", "values", "records", "elements", "objects", "list",
];

/// Cursor request parameters, normalised (lower case, no `_`/`-`). `token` is not one:
/// Slack and others send credentials in it.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "pagetoken",
    "nexttoken",
    "nextpagetoken",
    "continuationtoken",
    "continuation",
    "pagecursor",
    "marker",
    "after",
    "startingtoken",
    "starttoken",
];

/// Response fields that carry the next cursor, normalised.
const NEXT_TOKEN_FIELDS: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "nextpagecursor",
    "nextmarker",
    "continuationtoken",
    "endcursor",
];

/// Response fields that carry the next page's URL, normalised.
const NEXT_URL_FIELDS: &[&str] = &[
    "next",
    "nexturl",
    "nextpageurl",
    "nextlink",
    "@odata.nextlink",
];

/// Parameters `has_more` cursors go in, normalised (Stripe's, then OpenAI's).
const HAS_MORE_PARAMS: &[&str] = &["startingafter", "after"];
const HAS_MORE_FLAGS: &[&str] = &["hasmore"];
const LAST_ID_FIELDS: &[&str] = &["lastid"];
const PAGE_PARAMS: &[&str] = &["page", "pagenumber", "pageno", "pagenum", "pageindex"];
const OFFSET_PARAMS: &[&str] = &["offset", "skip", "startindex"];
const TOTAL_FIELDS: &[&str] = &[
    "total",
    "totalcount",
    "totalresults",
    "totalitems",
    "totalsize",
    "totalentries",
    "totalrecords",
];

fn normal(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.contains(&normal(name).as_str())
}

/// Infers the pagination of every operation that has none and allows it.
pub(super) fn infer_all(api: &mut Api) {
    let inferred: Vec<Option<Pagination>> = api
        .operations
        .iter()
        .map(|op| {
            (op.pagination.is_none() && op.infer_pagination)
                .then(|| infer(api, op))
                .flatten()
        })
        .collect();
    for (op, pagination) in api.operations.iter_mut().zip(inferred) {
        if pagination.is_some() {
            op.pagination = pagination;
        }
    }
}

/// Whether `op` is documented as a list: paginated, or a `GET` answering a bare array, an
/// array field named like a list (`data`, `items`, …), or items beside a paging parameter.
fn is_list(api: &Api, op: &Operation) -> bool {
    if op.pagination.is_some() {
        return true;
    }
    let Some(body) = list_body(op) else {
        return false;
    };
    let Some((path, _)) = items_of(api, &body) else {
        return false;
    };
    let paging_param = op.parameters.iter().any(|p| {
        p.location == Location::Query
            && [CURSOR_PARAMS, HAS_MORE_PARAMS, PAGE_PARAMS, OFFSET_PARAMS]
                .iter()
                .any(|names| is_one_of(&p.wire, names))
    });
    path.is_empty() || path.iter().all(|f| is_one_of(f, ITEM_FIELDS)) || paging_param
}

/// How many list operations `api` has and which are paginated, by what.
pub(crate) fn summary(api: &Api) -> crate::config::Paging {
    let lists = api.operations.iter().filter(|op| is_list(api, op)).count();
    let paginators = api
        .operations
        .iter()
        .filter_map(|op| {
            op.pagination.as_ref().map(|p| crate::config::Paginator {
                operation_id: op.operation_id.clone(),
                pattern: p.pattern.label(),
            })
        })
        .collect();
    crate::config::Paging { lists, paginators }
}

/// A field found in the body, with its dotted path.
struct Found<'a> {
    path: Vec<String>,
    field: &'a Field,
}

/// Follows aliases to the shape they name.
fn resolve<'a>(api: &'a Api, shape: &'a Shape) -> &'a Shape {
    let mut current = shape;
    for _ in 0..32 {
        match &current.ty {
            Ty::Named(id) => match &api.get(*id).kind {
                TypeKind::Alias(inner) => current = inner,
                _ => return current,
            },
            _ => return current,
        }
    }
    current
}

fn fields<'a>(api: &'a Api, shape: &'a Shape) -> &'a [Field] {
    match &resolve(api, shape).ty {
        Ty::Named(id) => match &api.get(*id).kind {
            TypeKind::Struct(def) => &def.fields,
            _ => &[],
        },
        _ => &[],
    }
}

/// The fields of the body and of its object fields, a level down, in spec order.
fn body_fields<'a>(api: &'a Api, body: &'a Shape) -> Vec<Found<'a>> {
    let mut found = Vec::new();
    for field in fields(api, body) {
        found.push(Found {
            path: vec![field.wire.clone()],
            field,
        });
    }
    for field in fields(api, body) {
        for inner in fields(api, &field.shape) {
            found.push(Found {
                path: vec![field.wire.clone(), inner.wire.clone()],
                field: inner,
            });
        }
    }
    found
}

fn is_ty(api: &Api, shape: &Shape, want: fn(&Ty) -> bool) -> bool {
    want(&resolve(api, shape).ty)
}

fn string(ty: &Ty) -> bool {
    matches!(ty, Ty::String)
}

fn integer(ty: &Ty) -> bool {
    matches!(ty, Ty::I32 | Ty::I64)
}

/// The items of a list response: the path of its array (empty for an array body).
pub(crate) fn items_of<'a>(api: &'a Api, body: &'a Shape) -> Option<(Vec<String>, &'a Shape)> {
    if let Ty::Array(item) = &resolve(api, body).ty {
        return Some((Vec::new(), item));
    }
    let arrays: Vec<(&Field, &Shape)> = fields(api, body)
        .iter()
        .filter_map(|f| match &resolve(api, &f.shape).ty {
            Ty::Array(item) => Some((f, &**item)),
            _ => None,
        })
        .collect();
    let chosen = match arrays.as_slice() {
        [only] => Some(*only),
        _ => arrays
            .iter()
            .find(|(f, _)| is_one_of(&f.wire, ITEM_FIELDS))
            .copied(),
    }?;
    Some((vec![chosen.0.wire.clone()], chosen.1))
}

/// The list body of a `GET` operation: decoded JSON in every success response.
pub(crate) fn list_body(op: &Operation) -> Option<Shape> {
    if op.http_method != "GET" {
        return None;
    }
    let success = op.success_body()?;
    (!success.optional && success.encoding == ResponseEncoding::Json).then_some(success.shape)
}

/// An optional query parameter of `op` whose wire name is one of `names`, of a type `want`.
fn query_param<'a>(
    api: &Api,
    op: &'a Operation,
    names: &[&str],
    want: fn(&Ty) -> bool,
) -> Option<&'a Parameter> {
    // The first of `names` that the operation has wins, so lists are in preference order.
    names.iter().find_map(|name| {
        op.parameters.iter().find(|p| {
            p.location == Location::Query
                && !p.required
                && normal(&p.wire) == *name
                && is_ty(api, &p.shape, want)
        })
    })
}

/// A cursor parameter and the body field with the next cursor: a field named `next` + the
/// parameter's name (Stripe's `page` and `next_page`), or a known cursor parameter with a
/// known next-token field (or a plain-string `next`).
fn cursor<'a, 'f>(
    api: &Api,
    op: &'a Operation,
    found: &'f [Found<'f>],
) -> Option<(&'a Parameter, &'f Found<'f>)> {
    let strings = |f: &&Found<'_>| is_ty(api, &f.field.shape, string);
    let candidates = op.parameters.iter().filter(|p| {
        p.location == Location::Query && !p.required && is_ty(api, &p.shape, string)
    });
    for param in candidates {
        let next = format!("next{}", normal(&param.wire));
        if let Some(token) = found
            .iter()
            .filter(strings)
            .find(|f| normal(&f.field.wire) == next)
        {
            return Some((param, token));
        }
    }
    let param = query_param(api, op, CURSOR_PARAMS, string)?;
    let own = normal(&param.wire);
    let token = found.iter().filter(strings).find(|f| {
        let name = normal(&f.field.wire);
        (name == own && name.starts_with("next"))
            || NEXT_TOKEN_FIELDS.contains(&name.as_str())
            // `next` is a token, not a URL, when it has no `format: uri`.
            || name == "next"
    })?;
    Some((param, token))
}

fn infer(api: &Api, op: &Operation) -> Option<Pagination> {
    let body = list_body(op)?;
    let (items_field, item) = items_of(api, &body)?;
    let found = body_fields(api, &body);
    let pagination = |pattern, next| {
        Some(Pagination {
            pattern,
            items_field: items_field.clone(),
            next,
        })
    };
    let documents_link = op
        .success_responses()
        .iter()
        .any(|r| r.headers.iter().any(|h| h.wire.eq_ignore_ascii_case("link")));
    if documents_link {
        return pagination(PagePattern::LinkHeader, NextPage::LinkHeader);
    }
    let top = |names: &[&str], want: fn(&Ty) -> bool| {
        found
            .iter()
            .find(|f| f.path.len() == 1 && is_one_of(&f.field.wire, names) && is_ty(api, &f.field.shape, want))
    };
    if let (Some(flag), Some(param)) = (
        top(HAS_MORE_FLAGS, |ty| matches!(ty, Ty::Bool)),
        query_param(api, op, HAS_MORE_PARAMS, string),
    ) {
        let cursor = match top(LAST_ID_FIELDS, string) {
            Some(last) => Some(HasMoreCursor::Field(last.path.clone())),
            None => fields(api, item)
                .iter()
                .find(|f| f.wire == "id" && is_ty(api, &f.shape, string))
                .map(|f| HasMoreCursor::LastItem(f.wire.clone())),
        };
        if let Some(cursor) = cursor {
            return pagination(
                PagePattern::HasMore,
                NextPage::HasMore {
                    input: TokenInput::Query(param.name.code().to_owned()),
                    flag: flag.path.clone(),
                    cursor,
                },
            );
        }
    }
    if let Some((param, token)) = cursor(api, op, &found) {
        return pagination(
            PagePattern::Cursor,
            NextPage::Token {
                input: TokenInput::Query(param.name.code().to_owned()),
                field: token.path.clone(),
            },
        );
    }
    let url = found.iter().find(|f| {
        is_one_of(&f.field.wire, NEXT_URL_FIELDS)
            && is_ty(api, &f.field.shape, |ty| matches!(ty, Ty::String | Ty::Uri))
    });
    if let Some(url) = url {
        return pagination(PagePattern::NextUrl, NextPage::Url(url.path.clone()));
    }
    let total = found
        .iter()
        .find(|f| is_one_of(&f.field.wire, TOTAL_FIELDS) && is_ty(api, &f.field.shape, integer))
        .map(|f| f.path.clone());
    let numbered = [
        (PAGE_PARAMS, Counts::Pages, PagePattern::PageNumber),
        (OFFSET_PARAMS, Counts::Items, PagePattern::Offset),
    ];
    numbered.into_iter().find_map(|(names, counts, pattern)| {
        let param = query_param(api, op, names, |ty| integer(ty) || string(ty))?;
        pagination(
            pattern,
            NextPage::Number {
                param: param.name.code().to_owned(),
                counts,
                total: total.clone(),
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::customize::{Customize, OperationSelector};
    use crate::ir::Strictness;

    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pagination")
            .join(name)
    }

    fn api_with(name: &str, customize: &Customize) -> Api {
        let loaded = crate::load::load(&fixture(name)).expect("fixture loads");
        crate::ir::build_with(&loaded, Strictness::default(), customize)
            .expect("fixture builds")
            .api
    }

    /// Each operation's pattern, items path and next page, as text.
    fn inferred(name: &str, customize: &Customize) -> Vec<(String, Option<String>)> {
        api_with(name, customize)
            .operations
            .iter()
            .map(|op| {
                let summary = op.pagination.as_ref().map(|p| {
                    format!(
                        "{} items={} {:?}",
                        p.pattern.label(),
                        p.items_field.join("."),
                        p.next
                    )
                });
                (op.operation_id.clone(), summary)
            })
            .collect()
    }

    fn one(name: &str) -> String {
        let all = inferred(name, &Customize::default());
        assert_eq!(all.len(), 1, "{all:?}");
        all[0].1.clone().expect("paginated")
    }

    #[test]
    fn link_header_wins_over_page_numbers() {
        assert_eq!(one("link.yaml"), "link items= LinkHeader");
    }

    #[test]
    fn stripe_pages_by_the_last_items_id_while_it_has_more() {
        assert_eq!(
            one("stripe.yaml"),
            r#"has-more items=data HasMore { input: Query("starting_after"), flag: ["has_more"], cursor: LastItem("id") }"#
        );
    }

    #[test]
    fn openai_pages_by_last_id_while_it_has_more() {
        assert_eq!(
            one("openai.yaml"),
            r#"has-more items=data HasMore { input: Query("after"), flag: ["has_more"], cursor: Field(["last_id"]) }"#
        );
    }

    #[test]
    fn cursor_parameters_meet_their_next_token_fields() {
        let all = inferred("cursors.yaml", &Customize::default());
        let expected = [
            (
                "conversations_list",
                r#"cursor items=channels Token { input: Query("cursor"), field: ["response_metadata", "next_cursor"] }"#,
            ),
            (
                "listVideos",
                r#"cursor items=items Token { input: Query("page_token"), field: ["nextPageToken"] }"#,
            ),
            (
                "listTables",
                r#"cursor items=tableNames Token { input: Query("next_token"), field: ["nextToken"] }"#,
            ),
            (
                "listServers",
                r#"cursor items=servers Token { input: Query("cursor"), field: ["metadata", "next_cursor"] }"#,
            ),
            ("listEvents", r#"next-url items=results Url(["next"])"#),
        ];
        let expected: Vec<(String, Option<String>)> = expected
            .iter()
            .map(|(id, s)| ((*id).to_owned(), Some((*s).to_owned())))
            .collect();
        assert_eq!(all, expected);
    }

    #[test]
    fn numbers_page_with_a_total_or_until_empty_and_lookalikes_do_not() {
        let all = inferred("numbers.yaml", &Customize::default());
        assert_eq!(
            all,
            [
                (
                    "listMovies".to_owned(),
                    Some(
                        r#"page items=records Number { param: "page", counts: Pages, total: Some(["totalRecords"]) }"#
                            .to_owned()
                    )
                ),
                (
                    "listLogs".to_owned(),
                    Some(
                        r#"offset items= Number { param: "offset", counts: Items, total: None }"#
                            .to_owned()
                    )
                ),
                // An `offset` but no array; a page the caller must choose.
                ("getStats".to_owned(), None),
                ("search".to_owned(), None),
            ]
        );
    }

    #[test]
    fn the_project_setting_turns_inference_off_per_spec_or_operation() {
        let off = Customize {
            no_inferred_pagination: true,
            ..Customize::default()
        };
        assert!(inferred("cursors.yaml", &off).iter().all(|(_, p)| p.is_none()));
        let some = Customize {
            not_paginated: vec![
                OperationSelector::OperationId("list*s".into()),
                OperationSelector::Path("/conversations.*".into()),
            ],
            ..Customize::default()
        };
        let left: Vec<String> = inferred("cursors.yaml", &some)
            .into_iter()
            .filter(|(_, p)| p.is_some())
            .map(|(id, _)| id)
            .collect();
        // `listVideos`, `listTables`, `listServers`, `listEvents` end in `s`; the path rule takes the rest.
        assert!(left.is_empty(), "{left:?}");
        let one_off = Customize {
            not_paginated: vec![OperationSelector::OperationId("listTables".into())],
            ..Customize::default()
        };
        let paged = inferred("cursors.yaml", &one_off)
            .into_iter()
            .filter(|(_, p)| p.is_some())
            .count();
        assert_eq!(paged, 4);
    }

    #[test]
    fn x_pagination_overrides_inference() {
        // The Proactive Suggestions spec carries `x-pagination` on a `nextToken` list.
        let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs/proactive-suggestions.yaml");
        let loaded = crate::load::load(&spec).expect("spec loads");
        let api = crate::ir::build(&loaded, Strictness::default()).expect("builds").api;
        let patterns: Vec<_> = api
            .operations
            .iter()
            .filter_map(|op| op.pagination.as_ref().map(|p| p.pattern))
            .collect();
        assert!(!patterns.is_empty());
        assert!(patterns.iter().all(|p| *p == PagePattern::Extension), "{patterns:?}");
    }
}
