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
    let lines = doc_lines(text).map(|line| quote! { #[doc = #line] });
    quote! { #(#lines)* }
}

/// The lines of a doc comment, each led by a space (empty lines stay empty), with no
/// bidirectional control characters: every doc attribute goes through here.
pub fn doc_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().map(|line| {
        let line: String = line.chars().filter(|&c| !is_bidi_control(c)).collect();
        if line.is_empty() {
            line
        } else {
            format!(" {line}")
        }
    })
}

/// U+202A–U+202E and U+2066–U+2069: they reorder how text displays (rustc refuses them in
/// comments, and they could hide what a doc comment says).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Spec text as one line of plain text (a `Cargo.toml` description): no control or
/// bidirectional control characters.
pub fn plain_line(text: &str) -> String {
    text.chars()
        .filter(|&c| !is_bidi_control(c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Spec text to put inside a generator-written code span (`` `{}` ``): one line, no
/// backtick to close the span early, no control characters. Nothing in it can start a
/// fence or an indented code block, and rustdoc renders no HTML inside a code span.
pub fn code_text(text: &str) -> String {
    text.chars()
        .filter(|&c| !is_bidi_control(c))
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Spec text for the running text of a generator-written sentence: [`sanitize`]d, one line.
pub fn inline_text(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    // Text inside a sentence is never a fence: a leading `~~~` is escaped, not opened as
    // one (backticks are taken care of by `sanitize`), and the result stays one line.
    let line = match line.trim_start().starts_with('~') {
        true => format!("\\{}", line.trim_start()),
        false => line,
    };
    sanitize(&line).lines().collect::<Vec<_>>().join(" ")
}

/// `label` (generator text) followed by spec Markdown [`sanitize`]d. A fence opening the
/// text goes to a paragraph of its own: after the label it would be plain text, and its
/// closing line would then open a live fence.
pub fn labelled(label: &str, text: &str) -> String {
    let body = sanitize(text);
    let opens_fence = body
        .lines()
        .next()
        .is_some_and(|line| line.trim_start().starts_with("```"));
    match opens_fence {
        true => format!("{label}\n\n{body}"),
        false => format!("{label} {body}"),
    }
}

/// Makes spec Markdown safe for rustdoc.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    let text: String = text
        .replace("\r\n", "\n")
        .replace('\t', "    ")
        .chars()
        .filter(|&c| !is_bidi_control(c) && (c == '\n' || !c.is_control()))
        .collect();
    for line in text.lines() {
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
    use super::{labelled, sanitize};

    #[test]
    fn makes_markdown_safe_for_rustdoc() {
        assert_eq!(
            sanitize("See https://example.com."),
            "See <https://example.com>."
        );
        assert_eq!(sanitize("a [link] <b>"), "a \\[link\\] &lt;b&gt;");
        assert_eq!(sanitize("```\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
        assert_eq!(sanitize("    indented"), "indented");
        assert_eq!(labelled("`g`:", "text"), "`g`: text");
        assert_eq!(labelled("`g`:", "````\nx\n````"), "`g`:\n\n```text\nx\n```");
        assert_eq!(sanitize("keep `a[0]` as code"), "keep `a[0]` as code");
    }
}
