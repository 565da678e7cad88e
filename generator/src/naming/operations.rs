//! The names of each operation's own items in `operations` (builder, success struct, error
//! enum, …), and the rule that keeps them apart from the spec's type names.
//!
//! The rule: a spec's type keeps the name its schema gives it, and an operation item that
//! would read the same as a type (`operations::SendNotificationsResponse` holding a
//! `types::SendNotificationsResponse`) takes its second name instead: `…Output` for the
//! success struct, `…Failure` for the error enum, `…Call` for the request builder. Only the
//! items that meet a type's name move, so every other operation keeps its names whatever
//! types the spec adds; the diff report flags the rename when a spec change causes one.

use std::collections::HashSet;

use super::{prefixed, Scope};

/// The names of one operation's own items, made from its type prefix (claimed with
/// [`Scope::type_prefix`]) and its client method name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationItems {
    /// The request builder (`SendNotificationsBuilder`).
    pub builder: String,
    /// The success response (`SendNotificationsResponse`).
    pub response: String,
    /// The error enum of documented statuses (`SendNotificationsError`).
    pub error: String,
    /// The private enum of a body sent in several media types (`SendNotificationsBody`).
    pub body: String,
    /// The private function that turns a raw response into the typed result.
    pub decode: String,
}

/// Suffixes of the request builder, first choice first.
const BUILDER: &[&str] = &["Builder", "Call"];
/// Suffixes of the success struct.
const RESPONSE: &[&str] = &["Response", "Output"];
/// Suffixes of the error enum.
const ERROR: &[&str] = &["Error", "Failure"];
/// Suffix of the private body enum (private: a type of the same name confuses no one).
const BODY: &[&str] = &["Body"];

/// The type namespace of `operations` (every group's items are re-exported there), with the
/// names of the spec's types, which its items step aside from.
#[derive(Debug)]
pub struct OperationNames {
    scope: Scope,
    types: HashSet<String>,
}

impl OperationNames {
    /// A namespace beside types named `type_names`.
    pub fn new<'a>(type_names: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            scope: Scope::default(),
            types: type_names.into_iter().map(str::to_owned).collect(),
        }
    }

    /// The first of `prefix` + `suffixes` that neither a type nor an earlier item has; when
    /// all are taken, the first numbered (`…Response2`).
    fn claim(&mut self, prefix: &str, suffixes: &[&str]) -> String {
        let candidates: Vec<String> = suffixes.iter().map(|s| format!("{prefix}{s}")).collect();
        let free = candidates
            .iter()
            .find(|name| !self.types.contains(*name) && !self.scope.is_taken(name));
        match free {
            Some(name) => self.scope.claim(name.clone()),
            None => {
                // Numbered names can meet a type's name too: skip those.
                let first = candidates.first().cloned().unwrap_or_default();
                for _ in 0..=self.types.len() {
                    let name = self.scope.claim(first.clone());
                    if !self.types.contains(&name) {
                        return name;
                    }
                }
                self.scope.claim(first)
            }
        }
    }

    /// Claims the items of the operation with `type_prefix` and client method `method`.
    pub fn items(&mut self, type_prefix: &str, method: &str) -> OperationItems {
        OperationItems {
            builder: self.claim(type_prefix, BUILDER),
            response: self.claim(type_prefix, RESPONSE),
            error: self.claim(type_prefix, ERROR),
            body: self.claim(type_prefix, BODY),
            decode: prefixed("decode", method),
        }
    }

    /// Claims the builder of an operation's streaming method, whose prefix is
    /// `stream_prefix` (`CreateChatCompletionStreamBuilder`).
    pub fn stream_builder(&mut self, stream_prefix: &str) -> String {
        self.claim(stream_prefix, BUILDER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_read_as_before_when_no_type_has_their_names() {
        let mut names = OperationNames::new(["SendNotificationsRequest", "Recipient"]);
        let items = names.items("SendNotifications", "send_notifications");
        assert_eq!(
            items,
            OperationItems {
                builder: "SendNotificationsBuilder".into(),
                response: "SendNotificationsResponse".into(),
                error: "SendNotificationsError".into(),
                body: "SendNotificationsBody".into(),
                decode: "decode_send_notifications".into(),
            }
        );
        assert_eq!(names.items("V24hReport", "_24h_report").decode, "decode_24h_report");
        assert_eq!(names.stream_builder("SendNotificationsStream"), "SendNotificationsStreamBuilder");
    }

    #[test]
    fn an_item_named_like_a_type_takes_its_second_name_and_only_it() {
        let mut names = OperationNames::new([
            "SendNotificationsResponse",
            "GetError",
            "GetBuilder",
            "ListOutput",
            "ListResponse",
            "ListResponse2",
        ]);
        let send = names.items("SendNotifications", "send_notifications");
        assert_eq!(send.response, "SendNotificationsOutput");
        assert_eq!(send.builder, "SendNotificationsBuilder");
        assert_eq!(send.error, "SendNotificationsError");
        let get = names.items("Get", "get");
        assert_eq!((get.builder.as_str(), get.error.as_str()), ("GetCall", "GetFailure"));
        assert_eq!(get.response, "GetResponse");
        // Both names taken by types: numbered, past the numbered names types have too.
        assert_eq!(names.items("List", "list").response, "ListResponse3");
    }

    #[test]
    fn items_of_different_operations_never_meet() {
        // `X`'s builder steps aside to `XCall`, an operation named `XCall` builds with
        // `XCallBuilder`: apart, in either order.
        let mut names = OperationNames::new(["XBuilder"]);
        assert_eq!(names.items("X", "x").builder, "XCall");
        assert_eq!(names.items("XCall", "x_call").builder, "XCallBuilder");
        let mut names = OperationNames::new(["XBuilder", "XCallBuilder"]);
        assert_eq!(names.items("XCall", "x_call").builder, "XCallCall");
        assert_eq!(names.items("X", "x").builder, "XCall");
        // A second name an earlier item took: numbered.
        let mut names = OperationNames::new(["XBuilder"]);
        names.scope.claim("XCall".into());
        assert_eq!(names.items("X", "x").builder, "XBuilder2");
    }
}
