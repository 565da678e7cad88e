//! A string matching a spec's `pattern`, for the patterns simple enough to sample: the HIR of
//! the regex is walked taking the first alternative, the smallest repetition and a readable
//! member of each class, then the result is checked against the pattern itself.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The longest sample worth sending; longer ones mean the pattern is not simple.
const MAX_LEN: usize = 4096;

/// A string that matches `pattern` (searched, as JSON Schema does) and has between `min`
/// and `max` characters, when one is easy to find.
pub fn sample(pattern: &str, min: usize, max: Option<usize>) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let regex = regex::Regex::new(pattern).ok()?;
    let mut text = String::new();
    walk(&hir, &mut text, 0)?;
    if text.chars().count() < min {
        // Pad where the pattern allows it: at the end when it is not anchored there.
        let padded = format!("{text}{}", "a".repeat(min - text.chars().count()));
        if regex.is_match(&padded) {
            text = padded;
        }
    }
    let fits = text.chars().count() >= min && max.is_none_or(|max| text.chars().count() <= max);
    (fits && regex.is_match(&text)).then_some(text)
}

fn walk(hir: &Hir, out: &mut String, depth: usize) -> Option<()> {
    if depth > 64 || out.len() > MAX_LEN {
        return None;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(std::str::from_utf8(&literal.0).ok()?),
        HirKind::Class(class) => out.push(pick(class)?),
        HirKind::Repetition(repetition) => {
            // At least one occurrence reads better and satisfies `+`; `*` and `?` allow it too.
            let count = repetition
                .min
                .max(1)
                .min(repetition.max.unwrap_or(u32::MAX));
            for _ in 0..count.min(MAX_LEN as u32) {
                walk(&repetition.sub, out, depth + 1)?;
            }
        }
        HirKind::Capture(capture) => walk(&capture.sub, out, depth + 1)?,
        HirKind::Concat(parts) => {
            for part in parts {
                walk(part, out, depth + 1)?;
            }
        }
        HirKind::Alternation(choices) => walk(choices.first()?, out, depth + 1)?,
    }
    Some(())
}

/// A member of `class`, preferring a lowercase letter, then a digit, then anything printable.
fn pick(class: &Class) -> Option<char> {
    match class {
        Class::Unicode(class) => {
            let ranges: Vec<(char, char)> = class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect();
            preferred(&ranges)
        }
        Class::Bytes(class) => {
            let ranges: Vec<(char, char)> = class
                .ranges()
                .iter()
                .filter(|r| r.start() < 0x80)
                .map(|r| (r.start() as char, r.end().min(0x7f) as char))
                .collect();
            preferred(&ranges)
        }
    }
}

fn preferred(ranges: &[(char, char)]) -> Option<char> {
    let contains = |c: char| {
        ranges
            .iter()
            .any(|(start, end)| (*start..=*end).contains(&c))
    };
    ['a', 'x', 'A', 'X', '1', '0']
        .into_iter()
        .find(|c| contains(*c))
        .or_else(|| {
            ranges
                .iter()
                .flat_map(|(start, end)| (*start..=*end).take(256))
                .find(|c| c.is_ascii_graphic())
        })
        .or_else(|| ranges.first().map(|(start, _)| *start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_match_their_patterns() {
        for pattern in [
            "^[a-z0-9-]+$",
            r"^\d{3}-\d{4}$",
            "^(foo|bar)[A-Z]{2,3}$",
            r"^amzn1\.ask\.skill\.[0-9a-f-]+$",
            "[0-9]",
            "^$|^[A-Z]+$",
        ] {
            let text = sample(pattern, 0, None).unwrap_or_else(|| panic!("{pattern}"));
            assert!(
                regex::Regex::new(pattern).unwrap().is_match(&text),
                "{pattern}: {text}"
            );
        }
        assert_eq!(
            sample(r"^\d{3}-\d{4}$", 0, None).as_deref(),
            Some("111-1111")
        );
    }

    #[test]
    fn lengths_are_kept_or_the_pattern_is_given_up() {
        assert_eq!(sample("^[a-z]+$", 5, None).as_deref(), Some("aaaaa"));
        assert_eq!(sample("^[a-z]{10}$", 0, Some(3)), None);
        assert_eq!(sample("(unclosed", 0, None), None);
    }
}
