//! A loopback HTTP/1.1 server (127.0.0.1, a free port) that answers each connection with a
//! scripted response: its body sent as chunks with delays between them, optionally cut off
//! without the closing chunk (a dropped connection). Shared by the runtime's and the
//! fixture clients' streaming tests.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One step of a scripted body.
#[derive(Clone, Debug)]
pub enum Step {
    /// Sends these bytes as one HTTP chunk.
    Chunk(Vec<u8>),
    /// Waits before the next step.
    Pause(Duration),
    /// Closes the connection mid-body (no closing chunk).
    Drop,
}

/// A chunk of text.
pub fn chunk(text: &str) -> Step {
    Step::Chunk(text.as_bytes().to_vec())
}

/// A pause of `ms` milliseconds.
pub fn pause(ms: u64) -> Step {
    Step::Pause(Duration::from_millis(ms))
}

/// A scripted response.
#[derive(Clone, Debug)]
pub struct Script {
    pub status: u16,
    pub content_type: &'static str,
    pub steps: Vec<Step>,
}

impl Script {
    /// A 200 of `content_type` with `steps`.
    pub fn ok(content_type: &'static str, steps: Vec<Step>) -> Self {
        Self {
            status: 200,
            content_type,
            steps,
        }
    }
}

/// A served script: its base URL and the requests it received (head and body, as text).
pub struct Served {
    pub url: String,
    pub requests: tokio::sync::mpsc::UnboundedReceiver<String>,
}

/// Serves `script` to every connection, until the test ends.
pub async fn serve(script: Script) -> Served {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    let (sent, requests) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let script = script.clone();
            let sent = sent.clone();
            tokio::spawn(async move {
                let Some(request) = read_request(&mut socket).await else {
                    return;
                };
                let _ = sent.send(request);
                let head = format!(
                    "HTTP/1.1 {} X\r\ncontent-type: {}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
                    script.status, script.content_type
                );
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for step in &script.steps {
                    match step {
                        Step::Chunk(data) => {
                            let mut framed = format!("{:x}\r\n", data.len()).into_bytes();
                            framed.extend_from_slice(data);
                            framed.extend_from_slice(b"\r\n");
                            if socket.write_all(&framed).await.is_err() {
                                return;
                            }
                            let _ = socket.flush().await;
                        }
                        Step::Pause(delay) => tokio::time::sleep(*delay).await,
                        Step::Drop => return,
                    }
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
                let _ = socket.shutdown().await;
            });
        }
    });
    Served { url, requests }
}

/// Reads one request: its head, and as much body as `Content-Length` announces (at most
/// 1 MiB, so a test cannot hang on a bad request).
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if data.len() > 1 << 20 {
            return None;
        }
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0)
        .min(1 << 20);
    while data.len() < head_end + length {
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
    }
    Some(String::from_utf8_lossy(&data).into_owned())
}
