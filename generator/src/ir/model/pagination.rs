//! Pagination in the IR: where a page's items are and how the next page is asked for.

use serde::Serialize;


/// How a paginated operation pages: where its items are and how the next page is asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// Which pattern this is (for reports).
    pub pattern: PagePattern,
    /// Dotted path of the items array in the response body; empty when the body is the array.
    pub items_field: Vec<String>,
    /// How the next page is found and requested.
    pub next: NextPage,
}

/// The pagination patterns, as reports name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PagePattern {
    /// Our `x-pagination` extension.
    Extension,
    /// A `Link: <…>; rel="next"` response header (GitHub).
    LinkHeader,
    /// A cursor request parameter matched with a next-token field of the response.
    Cursor,
    /// A `has_more` flag with a cursor taken from the page (Stripe, OpenAI).
    HasMore,
    /// A next-page URL in the response body.
    NextUrl,
    /// A page number parameter.
    PageNumber,
    /// An item offset parameter.
    Offset,
}

impl PagePattern {
    /// The short name reports use.
    pub fn label(self) -> &'static str {
        match self {
            Self::Extension => "x-pagination",
            Self::LinkHeader => "link",
            Self::Cursor => "cursor",
            Self::HasMore => "has-more",
            Self::NextUrl => "next-url",
            Self::PageNumber => "page",
            Self::Offset => "offset",
        }
    }
}

/// How the next page is found in a response and asked for.
#[derive(Debug, Clone, Serialize)]
pub enum NextPage {
    /// A token at `field` of the body, sent back in `input`.
    Token {
        /// Where the next request carries it.
        input: TokenInput,
        /// Dotted path of the token in the response body.
        field: Vec<String>,
    },
    /// While the boolean at `flag` is true, the cursor is sent back in `input`.
    HasMore {
        /// Where the next request carries the cursor.
        input: TokenInput,
        /// Dotted path of the flag.
        flag: Vec<String>,
        /// Where the cursor comes from.
        cursor: HasMoreCursor,
    },
    /// The `rel="next"` URL of the `Link` header.
    LinkHeader,
    /// The URL at this dotted path of the body.
    Url(Vec<String>),
    /// A number parameter (its Rust name) counting pages or items; the next page follows an
    /// empty one never, and one reaching `total` (a dotted path of the body) neither.
    Number {
        /// The parameter's Rust name.
        param: String,
        /// Counting pages (`+1`, from 1) or items (`+items`, from 0).
        counts: Counts,
        /// Dotted path of the total item count in the body, when documented.
        total: Option<Vec<String>>,
    },
}

/// Where a `has_more` page's cursor comes from.
#[derive(Debug, Clone, Serialize)]
pub enum HasMoreCursor {
    /// A field of the body (OpenAI's `last_id`).
    Field(Vec<String>),
    /// The `id` field (its wire name) of the page's last item (Stripe).
    LastItem(String),
}

/// What a number parameter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Counts {
    /// Pages, the first being 1.
    Pages,
    /// Items skipped, from 0.
    Items,
}

/// Where the next request carries the page token.
#[derive(Debug, Clone, Serialize)]
pub enum TokenInput {
    /// A query parameter (its Rust name).
    Query(String),
    /// A dotted path into the request body.
    Body(Vec<String>),
}
