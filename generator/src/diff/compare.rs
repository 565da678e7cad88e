//! Changes to the crate as a whole and to operations.

use crate::ir::{
    Api, Operation, Parameter, Response, ResponseEncoding, ResponseHeader, Shape, StatusMatch, Ty,
};

use super::shape::{constraint_change, doc_note, ty_text};
use super::{Area, Change, ChangeKind as K};

/// API info, regions and the token URL.
pub(super) fn crate_changes(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |kind, detail: String| out.push(Change::new(kind, Area::Crate, "", detail));
    for server in &new.servers {
        match old.servers.iter().find(|s| s.variant == server.variant) {
            None => push(
                K::RegionAdded,
                format!("new region `Region::{}` ({})", server.variant, server.url),
            ),
            Some(before) if before.url != server.url => push(
                K::ServerChanged,
                format!(
                    "`Region::{}` base URL `{}` → `{}`",
                    server.variant, before.url, server.url
                ),
            ),
            Some(_) => {}
        }
    }
    for server in &old.servers {
        if !new.servers.iter().any(|s| s.variant == server.variant) {
            push(
                K::RegionRemoved,
                format!(
                    "region `Region::{}` ({}) removed",
                    server.variant, server.url
                ),
            );
        }
    }
    if old.token_url != new.token_url && !old.servers.is_empty() {
        let show = |u: &Option<String>| u.clone().unwrap_or_else(|| "none".into());
        push(
            K::ServerChanged,
            format!(
                "OAuth token URL `{}` → `{}`",
                show(&old.token_url),
                show(&new.token_url)
            ),
        );
    }
    let mut docs = Vec::new();
    if old.version != new.version {
        docs.push(format!("API version `{}` → `{}`", old.version, new.version));
    }
    if old.title != new.title {
        docs.push("API title".to_owned());
    }
    doc_note(
        &mut docs,
        "API description",
        old.description.as_deref(),
        new.description.as_deref(),
    );
    for server in &new.servers {
        if let Some(before) = old.servers.iter().find(|s| s.variant == server.variant) {
            doc_note(
                &mut docs,
                &format!("`Region::{}` description", server.variant),
                before.description.as_deref(),
                server.description.as_deref(),
            );
        }
    }
    if !docs.is_empty() {
        push(K::DocsChanged, format!("docs changed: {}", docs.join(", ")));
    }
    out
}

/// Operations, matched by `operationId`, in the new spec's order (removed ones last).
pub(super) fn operation_changes(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    for op in &new.operations {
        match old
            .operations
            .iter()
            .find(|o| o.operation_id == op.operation_id)
        {
            None => out.push(Change::new(
                K::OperationAdded,
                Area::Operation,
                &op.method_name,
                format!(
                    "new method `{}()` (`{} {}`)",
                    short(&op.method_name),
                    op.http_method,
                    op.path
                ),
            )),
            Some(before) => out.extend(operation_diff(old, new, before, op)),
        }
    }
    for op in &old.operations {
        if !new
            .operations
            .iter()
            .any(|n| n.operation_id == op.operation_id)
        {
            out.push(Change::new(
                K::OperationRemoved,
                Area::Operation,
                &op.method_name,
                format!(
                    "method `{}()` (`{} {}`) removed",
                    short(&op.method_name),
                    op.http_method,
                    op.path
                ),
            ));
        }
    }
    out
}

fn short(name: &str) -> &str {
    crate::naming::unraw(name)
}

struct OpCtx<'a> {
    old: &'a Api,
    new: &'a Api,
    name: &'a str,
    out: Vec<Change>,
    docs: Vec<String>,
}

impl OpCtx<'_> {
    fn push(&mut self, kind: K, detail: String) {
        self.out
            .push(Change::new(kind, Area::Operation, self.name, detail));
    }

    fn constraints(&mut self, what: &str, a: &Shape, b: &Shape) {
        if let Some((kind, detail)) = constraint_change(a, b) {
            self.push(kind, format!("{what}: {detail}"));
        }
    }
}

fn operation_diff(old: &Api, new: &Api, before: &Operation, after: &Operation) -> Vec<Change> {
    let mut cx = OpCtx {
        old,
        new,
        name: &after.method_name,
        out: Vec::new(),
        docs: Vec::new(),
    };
    if (&before.http_method, &before.path) != (&after.http_method, &after.path) {
        cx.push(
            K::EndpointChanged,
            format!(
                "`{} {}` → `{} {}`",
                before.http_method, before.path, after.http_method, after.path
            ),
        );
    }
    item_names(&mut cx, before, after);
    if before.deprecated != after.deprecated {
        let what = if after.deprecated {
            "deprecated"
        } else {
            "no longer deprecated"
        };
        cx.push(K::Deprecated, format!("method is {what}"));
    }
    if before.scopes != after.scopes {
        let show = |s: &Option<Vec<String>>| match s {
            None => "no auth".to_owned(),
            Some(scopes) if scopes.is_empty() => "a token".to_owned(),
            Some(scopes) => format!("scopes {}", scopes.join(", ")),
        };
        cx.push(
            K::AuthChanged,
            format!("{} → {}", show(&before.scopes), show(&after.scopes)),
        );
    }
    doc_note(
        &mut cx.docs,
        "summary",
        before.summary.as_deref(),
        after.summary.as_deref(),
    );
    doc_note(
        &mut cx.docs,
        "description",
        before.description.as_deref(),
        after.description.as_deref(),
    );
    parameters(&mut cx, &before.parameters, &after.parameters);
    body(&mut cx, before, after);
    responses(&mut cx, before, after);
    match (&before.pagination, &after.pagination) {
        (None, Some(_)) => cx.push(
            K::PaginationAdded,
            "pages: new `into_stream()` on the request builder".into(),
        ),
        (Some(_), None) => cx.push(
            K::PaginationRemoved,
            "no longer pages: `into_stream()` removed".into(),
        ),
        (Some(a), Some(b)) if serde_json::to_value(a).ok() != serde_json::to_value(b).ok() => {
            cx.push(
                K::PaginationChanged,
                "pagination follows other token or item fields".into(),
            );
        }
        _ => {}
    }
    if !cx.docs.is_empty() {
        let detail = format!("docs changed: {}", cx.docs.join(", "));
        cx.push(K::DocsChanged, detail);
    }
    cx.out
}

/// The operation's own items (builder, success struct, error enum, stream builder), renamed
/// when a type took or gave back their names.
fn item_names(cx: &mut OpCtx<'_>, before: &Operation, after: &Operation) {
    let (old, new) = (&before.items, &after.items);
    let streams = before.stream.as_ref().zip(after.stream.as_ref());
    let items = [
        ("request builder", &old.builder, &new.builder),
        ("response struct", &old.response, &new.response),
        ("error enum", &old.error, &new.error),
    ];
    let stream = streams.map(|(old, new)| ("stream builder", &old.builder, &new.builder));
    for (what, old, new) in items.into_iter().chain(stream) {
        if old != new {
            cx.push(
                K::OperationItemRenamed,
                format!("{what} `operations::{old}` is now `operations::{new}`"),
            );
        }
    }
}

fn parameters(cx: &mut OpCtx<'_>, a: &[Parameter], b: &[Parameter]) {
    let (old, new) = (cx.old, cx.new);
    for p in b.iter().filter(|p| !a.iter().any(|o| o.name == p.name)) {
        let ty = ty_text(new, &p.shape);
        if p.required {
            cx.push(
                K::RequiredParameterAdded,
                format!(
                    "new required parameter `{}: {ty}` (a new method argument)",
                    short(&p.name)
                ),
            );
        } else {
            cx.push(
                K::OptionalParameterAdded,
                format!(
                    "new optional parameter `{}` (setter `.{}({ty})`)",
                    p.wire,
                    short(&p.name)
                ),
            );
        }
    }
    for p in a.iter().filter(|p| !b.iter().any(|n| n.name == p.name)) {
        cx.push(
            K::ParameterRemoved,
            format!(
                "parameter `{}: {}` removed",
                short(&p.name),
                ty_text(old, &p.shape)
            ),
        );
    }
    for before in a {
        let Some(after) = b.iter().find(|p| p.name == before.name) else {
            continue;
        };
        let name = short(&after.name);
        if before.required != after.required {
            let (kind, what) = if after.required {
                (
                    K::ParameterMadeRequired,
                    "required: setter → method argument",
                )
            } else {
                (
                    K::ParameterMadeOptional,
                    "optional: method argument → setter",
                )
            };
            cx.push(kind, format!("parameter `{name}` made {what}"));
        }
        let (x, y) = (ty_text(old, &before.shape), ty_text(new, &after.shape));
        if x != y {
            cx.push(
                K::ParameterTypeChanged,
                format!("parameter `{name}`: `{x}` → `{y}`"),
            );
        }
        if let Some(how) = serialization_change(before, after) {
            cx.push(
                K::ParameterSerializationChanged,
                format!("parameter `{name}`: {how}"),
            );
        }
        cx.constraints(&format!("parameter `{name}`"), &before.shape, &after.shape);
        doc_note(
            &mut cx.docs,
            &format!("parameter `{name}`"),
            before.docs.as_deref(),
            after.docs.as_deref(),
        );
    }
}

/// How a parameter's place or form on the wire changed, if it did.
fn serialization_change(a: &Parameter, b: &Parameter) -> Option<String> {
    let mut notes = Vec::new();
    if (a.location, &a.wire) != (b.location, &b.wire) {
        let place = |p: &Parameter| {
            let location = format!("{:?}", p.location).to_lowercase();
            format!("{location} `{}`", p.wire)
        };
        notes.push(format!("sent as {}, was {}", place(b), place(a)));
    }
    if a.explode != b.explode && matches!(b.shape.ty, Ty::Array(_)) {
        notes.push(format!("explode {} → {}", a.explode, b.explode));
    }
    if a.object_style != b.object_style {
        notes.push(format!("style {:?} → {:?}", a.object_style, b.object_style));
    }
    (!notes.is_empty()).then(|| notes.join(", "))
}

fn body(cx: &mut OpCtx<'_>, before: &Operation, after: &Operation) {
    let (old, new) = (cx.old, cx.new);
    match (&before.body, &after.body) {
        (None, Some(b)) if b.required => cx.push(
            K::RequiredBodyAdded,
            format!(
                "new required body `{}` (a new method argument)",
                ty_text(new, &b.shape)
            ),
        ),
        (None, Some(b)) => cx.push(
            K::OptionalBodyAdded,
            format!(
                "new optional body (setter `.body({})`)",
                ty_text(new, &b.shape)
            ),
        ),
        (Some(a), None) => cx.push(
            K::BodyRemoved,
            format!("request body `{}` removed", ty_text(old, &a.shape)),
        ),
        (Some(a), Some(b)) => {
            if a.required != b.required {
                if b.required {
                    cx.push(
                        K::BodyMadeRequired,
                        "request body made required: `.body()` setter → method argument".into(),
                    );
                } else {
                    cx.push(
                        K::BodyMadeOptional,
                        "request body made optional: method argument → `.body()` setter".into(),
                    );
                }
            }
            let (x, y) = (ty_text(old, &a.shape), ty_text(new, &b.shape));
            if x != y {
                cx.push(K::BodyTypeChanged, format!("request body `{x}` → `{y}`"));
            } else if a.encoding != b.encoding {
                cx.push(
                    K::BodyTypeChanged,
                    format!("request body encoding {:?} → {:?}", a.encoding, b.encoding),
                );
            }
            cx.constraints("request body", &a.shape, &b.shape);
            doc_note(
                &mut cx.docs,
                "request body",
                a.docs.as_deref(),
                b.docs.as_deref(),
            );
        }
        (None, None) => {}
    }
}

fn encoded_ty(api: &Api, encoding: &ResponseEncoding, shape: &Shape) -> String {
    match encoding {
        ResponseEncoding::Json => ty_text(api, shape),
        ResponseEncoding::Text => "String".into(),
        ResponseEncoding::Raw => "Bytes".into(),
    }
}

/// The type of `<Op>Response::body`, as the emitters compute it (`None`: no body field).
fn success_body(api: &Api, op: &Operation) -> Option<String> {
    let body = op.success_body()?;
    let ty = encoded_ty(api, &body.encoding, &body.shape);
    Some(if body.optional {
        format!("Option<{ty}>")
    } else {
        ty
    })
}

fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(digit) => format!("{digit}XX"),
        StatusMatch::Default => "default".to_owned(),
    }
}

fn error_ty(api: &Api, response: &Response) -> String {
    response.body.as_ref().map_or_else(
        || "no body".to_owned(),
        |b| format!("`{}`", encoded_ty(api, &b.encoding, &b.shape)),
    )
}

fn success_headers(op: &Operation) -> Vec<&ResponseHeader> {
    let mut out: Vec<&ResponseHeader> = Vec::new();
    for header in op.success_responses().into_iter().flat_map(|r| &r.headers) {
        if !out.iter().any(|h| h.wire == header.wire) {
            out.push(header);
        }
    }
    out
}

fn responses(cx: &mut OpCtx<'_>, before: &Operation, after: &Operation) {
    let (old, new) = (cx.old, cx.new);
    match (success_body(old, before), success_body(new, after)) {
        (None, Some(y)) => cx.push(
            K::ResponseBodyAdded,
            format!("new response field `body: {y}`"),
        ),
        (Some(x), None) => cx.push(
            K::ResponseTypeChanged,
            format!("response field `body: {x}` removed"),
        ),
        (Some(x), Some(y)) if x != y => cx.push(
            K::ResponseTypeChanged,
            format!("response `body`: `{x}` → `{y}`"),
        ),
        _ => {}
    }
    let (ok_a, ok_b) = (before.success_responses(), after.success_responses());
    for r in ok_b
        .iter()
        .filter(|r| !ok_a.iter().any(|o| o.status == r.status))
    {
        cx.push(
            K::SuccessStatusAdded,
            format!("new success status {}", status_label(r.status)),
        );
    }
    for r in ok_a
        .iter()
        .filter(|r| !ok_b.iter().any(|n| n.status == r.status))
    {
        cx.push(
            K::SuccessStatusRemoved,
            format!("success status {} removed", status_label(r.status)),
        );
    }
    let (err_a, err_b) = (before.error_responses(), after.error_responses());
    for r in err_b
        .iter()
        .filter(|r| !err_a.iter().any(|o| o.status == r.status))
    {
        cx.push(
            K::ErrorStatusAdded,
            format!(
                "new error status {} ({})",
                status_label(r.status),
                error_ty(new, r)
            ),
        );
    }
    for r in err_a
        .iter()
        .filter(|r| !err_b.iter().any(|n| n.status == r.status))
    {
        cx.push(
            K::ErrorStatusRemoved,
            format!("error status {} removed", status_label(r.status)),
        );
    }
    for a in &err_a {
        if let Some(b) = err_b.iter().find(|b| b.status == a.status) {
            let (x, y) = (error_ty(old, a), error_ty(new, b));
            if x != y {
                cx.push(
                    K::ErrorBodyChanged,
                    format!("error status {}: {x} → {y}", status_label(a.status)),
                );
            }
        }
    }
    for a in &before.responses {
        if let Some(b) = after.responses.iter().find(|b| b.status == a.status) {
            doc_note(
                &mut cx.docs,
                &format!("response {}", status_label(a.status)),
                a.description.as_deref(),
                b.description.as_deref(),
            );
        }
    }
    let (ha, hb) = (success_headers(before), success_headers(after));
    for h in hb.iter().filter(|h| !ha.iter().any(|o| o.name == h.name)) {
        cx.push(
            K::ResponseHeaderAdded,
            format!(
                "new response field `{}: Option<{}>` (header `{}`)",
                short(&h.name),
                ty_text(new, &h.shape),
                h.wire
            ),
        );
    }
    for h in ha.iter().filter(|h| !hb.iter().any(|n| n.name == h.name)) {
        cx.push(
            K::ResponseHeaderRemoved,
            format!(
                "response field `{}` (header `{}`) removed",
                short(&h.name),
                h.wire
            ),
        );
    }
    for a in &ha {
        if let Some(b) = hb.iter().find(|b| b.name == a.name) {
            let (x, y) = (ty_text(old, &a.shape), ty_text(new, &b.shape));
            if x != y {
                cx.push(
                    K::ResponseHeaderTypeChanged,
                    format!(
                        "response field `{}`: `Option<{x}>` → `Option<{y}>`",
                        short(&b.name)
                    ),
                );
            }
            doc_note(
                &mut cx.docs,
                &format!("header `{}`", b.wire),
                a.docs.as_deref(),
                b.docs.as_deref(),
            );
        }
    }
}
