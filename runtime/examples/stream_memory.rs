//! Memory of a streamed download: a loopback server sends 1 GiB (or `--mib N`), the client
//! consumes it as a [`ByteStream`] and prints the peak resident set size of the process
//! (`VmHWM` in `/proc/self/status`; Linux) before and after. Buffering the same body would
//! need at least its size; streaming holds one chunk at a time.
//!
//! ```text
//! cargo run -p oapigen-runtime --example stream_memory [-- --mib 1024] [--buffered]
//! ```
//!
//! With `--buffered` the same body is read whole by `Transport::execute` instead (with
//! `max_response_bytes` raised to fit), for comparison.

use std::time::Instant;

use futures::StreamExt as _;
use oapigen_runtime::stream::Streamed;
use oapigen_runtime::{ApiRequest, ByteStream, ClientConfig, Transport};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const CHUNK: usize = 64 * 1024;

/// Peak resident set size so far, in KiB (`None` off Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Serves one response of `total` bytes to every connection, in 64 KiB writes.
async fn serve(total: u64) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let _ = socket.read(&mut head).await;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {total}\r\n\r\n"
                );
                socket.write_all(answer.as_bytes()).await.unwrap();
                let block = vec![b'x'; CHUNK];
                let mut left = total;
                while left > 0 {
                    let n = left.min(CHUNK as u64) as usize;
                    if socket.write_all(&block[..n]).await.is_err() {
                        return;
                    }
                    left -= n as u64;
                }
            });
        }
    });
    url
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mib: u64 = args
        .iter()
        .position(|arg| arg == "--mib")
        .and_then(|at| args.get(at + 1)?.parse().ok())
        .unwrap_or(1024);
    let total = mib * 1024 * 1024;
    let url = serve(total).await;
    let before = peak_rss_kib();
    let show = |kib: Option<u64>| {
        kib.map_or("n/a".to_owned(), |kib| {
            format!("{:.1} MiB", kib as f64 / 1024.0)
        })
    };
    let config =
        ClientConfig::new(url.parse().unwrap(), "stream-memory").with_max_response_bytes(total + 1);
    let transport = Transport::new(config).unwrap();
    let request = ApiRequest::new(reqwest::Method::GET, "/download".into(), "download");
    let started = Instant::now();
    if args.iter().any(|arg| arg == "--buffered") {
        let response = transport.execute(request).await.unwrap();
        assert_eq!(response.body.len() as u64, total, "the whole body arrived");
        println!(
            "buffered {mib} MiB in {:.2} s",
            started.elapsed().as_secs_f64()
        );
        println!(
            "peak RSS before: {}, after: {}",
            show(before),
            show(peak_rss_kib())
        );
        return;
    }
    let Streamed::Body(response) = transport.execute_streaming(request).await.unwrap() else {
        panic!("not streamed");
    };
    let mut body = ByteStream::<()>::new(response);
    let (mut received, mut chunks, mut largest) = (0u64, 0u64, 0usize);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.expect("the body arrives");
        received += chunk.len() as u64;
        chunks += 1;
        largest = largest.max(chunk.len());
    }
    let elapsed = started.elapsed();
    assert_eq!(received, total, "the whole body arrived");
    let after = peak_rss_kib();
    println!(
        "streamed {mib} MiB in {chunks} chunks (largest {largest} bytes) in {:.2} s ({:.0} MiB/s)",
        elapsed.as_secs_f64(),
        mib as f64 / elapsed.as_secs_f64()
    );
    println!("peak RSS before: {}, after: {}", show(before), show(after));
}
