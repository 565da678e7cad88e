//! Generated multipart bodies checked by a tool no one here wrote: Prism
//! (`@stoplight/prism-cli`, pinned in the root `package-lock.json`) serves the uploads
//! fixture and validates every request against it; a request it finds invalid carries its
//! verdict in `sl-violations`.
//!
//! Needs Node.js 20 and `npm ci` in the repository root; without them the test fails and
//! says so.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fixture_clients::uploads::{operations, types, Client};
use oapigen_runtime::bytes::Bytes;
use oapigen_runtime::reqwest::header::HeaderMap;
use oapigen_runtime::FilePart;

/// Prism on a free loopback port, killed when dropped (also when a test panics).
struct Prism {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn start_prism(spec: &Path) -> Prism {
    let bin = root().join("node_modules/.bin/prism");
    assert!(
        bin.exists(),
        "{} is missing: install Node.js 20 and run `npm ci` in the repository root",
        bin.display()
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port();
    let child = Command::new(bin)
        .current_dir(root())
        .arg("mock")
        .arg(spec)
        .args(["--port", &port.to_string(), "-h", "127.0.0.1"])
        .args(["--dynamic=false", "--errors=false", "--multiprocess=false"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Prism starts");
    let mut prism = Prism {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
    };
    let started = Instant::now();
    while TcpStream::connect_timeout(&prism.addr, Duration::from_millis(200)).is_err() {
        if let Ok(Some(status)) = prism.child.try_wait() {
            panic!("Prism exited with {status} before listening");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "Prism did not listen within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    prism
}

fn accepted(what: &str, status: u16, headers: &HeaderMap) {
    let violations = headers
        .get("sl-violations")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    assert_eq!(violations, None, "Prism rejected {what} ({status})");
    assert!((200..300).contains(&status), "{what}: status {status}");
}

#[tokio::test]
async fn prism_accepts_every_generated_upload() {
    let spec = root().join("generator/tests/fixtures/constructs/uploads.yaml");
    let prism = start_prism(&spec);
    let client = Client::builder()
        .base_url(format!("http://{}", prism.addr))
        .build()
        .expect("client");

    let file = FilePart::bytes(&b"{\"prompt\":\"hi\"}\n"[..]).file_name("train.jsonl");
    let body =
        operations::CreateFileMultipart::new(file, types::CreateFileRequestPurpose::FineTune)
            .with_expires_after(3600);
    // No `metadata`: Prism reads every multipart part as text and does not decode a JSON
    // part (`encoding.contentType: application/json`), so it calls the object a string;
    // the wiremock tests check that part on the wire.
    let sent = client.create_file(body).send().await.expect("createFile");
    accepted("createFile", sent.status, &sent.headers);

    let images = vec![
        FilePart::bytes("one")
            .file_name("a.png")
            .content_type("image/png"),
        FilePart::bytes("two")
            .file_name("b.png")
            .content_type("image/png"),
    ];
    let body = operations::EditImageMultipart::new(images, "add a hat".to_owned())
        .with_mask(FilePart::bytes("mask").file_name("mask.png"))
        .with_n(2)
        .with_size(types::EditImageSize::V256x256);
    // No `tags`: an array is one part per item (OpenAPI 3.0 multipart defaults, as OpenAI's
    // `include[]` is sent), which Prism reads as one string, not an array; the wiremock
    // tests check those parts.
    let sent = client.edit_image(body).send().await.expect("editImage");
    accepted("editImage", sent.status, &sent.headers);

    let body = operations::CreateVideoMultipart::new("a cat".to_owned())
        .with_input_reference(FilePart::bytes("frame").file_name("ref.jpg"));
    let sent = client
        .create_video_multipart(body)
        .send()
        .await
        .expect("createVideo multipart");
    accepted("createVideo (multipart)", sent.status, &sent.headers);
    let sent = client
        .create_video(types::CreateVideoRequest::new("a cat".to_owned()))
        .send()
        .await
        .expect("createVideo json");
    accepted("createVideo (json)", sent.status, &sent.headers);

    let sent = client
        .upload_photo_bytes("p1".to_owned(), Bytes::from_static(b"\x89PNG"))
        .send()
        .await
        .expect("uploadPhoto bytes");
    accepted("uploadPhoto (bytes)", sent.status, &sent.headers);
    // Not `createProject`: its form is described as a string, which no form is (Prism:
    // "Request body must be string"); the wiremock tests check its parts.
}
