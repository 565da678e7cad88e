//! Doc comments from spec text.
//!
//! Spec descriptions are Markdown written for people, not rustdoc: fenced code would
//! become doctests, `[x]` broken intra-doc links, `<x>` unclosed HTML and bare URLs
//! warnings. Everything is made safe here, so generated crates document cleanly under
//! `RUSTDOCFLAGS=-Dwarnings`.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for `text` (nothing when empty).
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    lines_to_attrs(&sanitize(text))
}

/// `#[doc]` attributes for several paragraphs, skipping empty ones.
pub fn doc_paragraphs(paragraphs: &[Option<&str>]) -> TokenStream {
    let joined: Vec<String> = paragraphs
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(sanitize)
        .collect();
    if joined.is_empty() {
        return TokenStream::new();
    }
    lines_to_attrs(&joined.join("\n\n"))
}

/// `#[doc]` attributes for text that is already valid rustdoc (written by the generator).
pub fn raw_doc(text: &str) -> TokenStream {
    lines_to_attrs(text)
}

fn lines_to_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// Makes spec Markdown safe for rustdoc.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.replace("\r\n", "\n").replace('\t', "    ").lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            out.push(if in_fence {
                "```".to_owned()
            } else {
                "```text".to_owned()
            });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.trim_end().to_owned());
        } else {
            // Leading indentation would make an indented (Rust) code block.
            out.push(escape_inline(trimmed.trim_end()));
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    // Collapse runs of blank lines.
    let mut collapsed: Vec<String> = Vec::with_capacity(out.len());
    for line in out {
        if line.is_empty() && collapsed.last().is_some_and(String::is_empty) {
            continue;
        }
        collapsed.push(line);
    }
    collapsed.join("\n").trim().to_owned()
}

/// Escapes what rustdoc would misread in running text, keeping inline code intact.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        out.push_str(&escape_text(part));
    }
    // An unbalanced backtick would swallow the rest of the doc comment.
    if line.matches('`').count() % 2 == 1 {
        out = out.replace('`', "'");
    }
    out
}

fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(url_len) = url_at(rest) {
            let url = &rest[..url_len];
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url_len..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        match c {
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Length of a bare http(s) URL at the start of `text`.
fn url_at(text: &str) -> Option<usize> {
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    let end = text
        .find(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '<' | '>' | '"' | '\'' | '`' | '[' | ']' | '(' | ')' | '{' | '}' | '|' | '\\'
                )
        })
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    (url.len() > "https://".len()).then_some(url.len())
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn makes_markdown_safe_for_rustdoc() {
        assert_eq!(
            sanitize("See https://example.com."),
            "See <https://example.com>."
        );
        assert_eq!(sanitize("a [link] <b>"), "a \\[link\\] &lt;b&gt;");
        assert_eq!(sanitize("```\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
        assert_eq!(sanitize("    indented"), "indented");
        assert_eq!(sanitize("keep `a[0]` as code"), "keep `a[0]` as code");
    }
}
