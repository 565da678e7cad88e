//! A small `multipart/form-data` reader for tests: what a server sees of each part.
//!
//! Shared by the runtime's and the generated clients' upload tests (`#[path]`), so both
//! read the wire the same way.
#![allow(dead_code)]

/// One part as a server parses it.
#[derive(Debug)]
pub struct FormPart {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl FormPart {
    /// A part header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("a text part")
    }
}

/// The boundary of a `multipart/form-data; boundary=…` content type.
pub fn boundary_of(content_type: &str) -> Option<String> {
    let (essence, params) = content_type.split_once(';')?;
    if essence.trim() != "multipart/form-data" {
        return None;
    }
    params.split(';').find_map(|param| {
        let (key, value) = param.trim().split_once('=')?;
        (key == "boundary").then(|| value.trim_matches('"').to_owned())
    })
}

/// The parts of `body`, split at `boundary`; panics (a test failure) on a malformed body.
pub fn parse(body: &[u8], boundary: &str) -> Vec<FormPart> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut rest = body;
    rest = &rest[find(rest, delimiter.as_bytes()).expect("opening boundary")..];
    loop {
        rest = &rest[delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        rest = rest.strip_prefix(b"\r\n").expect("CRLF after a boundary");
        let next = find(rest, format!("\r\n{delimiter}").as_bytes()).expect("closing boundary");
        parts.push(part(&rest[..next]));
        rest = &rest[next + 2..];
    }
    parts
}

fn part(raw: &[u8]) -> FormPart {
    let split = find(raw, b"\r\n\r\n").expect("blank line after part headers");
    let head = std::str::from_utf8(&raw[..split]).expect("text headers");
    let mut headers = Vec::new();
    for line in head.split("\r\n") {
        let (name, value) = line.split_once(':').expect("a header line");
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let disposition = headers
        .iter()
        .find(|(name, _)| name == "content-disposition")
        .map(|(_, value)| value.clone())
        .expect("Content-Disposition");
    let param = |key: &str| {
        disposition.split(';').find_map(|item| {
            let (k, v) = item.trim().split_once('=')?;
            (k == key).then(|| v.trim_matches('"').to_owned())
        })
    };
    FormPart {
        name: param("name").expect("a part name"),
        file_name: param("filename"),
        content_type: headers
            .iter()
            .find(|(name, _)| name == "content-type")
            .map(|(_, value)| value.clone()),
        body: raw[split + 4..].to_vec(),
        headers,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
