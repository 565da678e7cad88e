//! How much a generated client costs per request over hand-written `reqwest` code.
//!
//! Both send the same requests (method, path, `Authorization: Bearer`, `User-Agent`, JSON
//! body where the operation has one) over reused loopback connections to the same minimal
//! keep-alive HTTP/1.1 server, read the same headers and decode the same JSON into the same
//! typed struct. Runs alternate (the order flipping each round), so both sides see the same
//! machine load; the ratio reported is the median over rounds of each round's ratio, the
//! times the medians over rounds.
//!
//! ```text
//! cargo run --release --example client_overhead -- [--requests N] [--rounds R]
//! ```
//!
//! Target (issue #5): the generated client at most 1.05x raw reqwest per request.

use std::future::Future;
use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use alexa_apis::runtime::reqwest;
use alexa_apis::skill_development_notifications::{operations, types, Client, Credentials, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "Atza|benchmark-access-token";
const USER_AGENT: &str = "client-overhead-benchmark/1.0";
const SUBSCRIBER_ID: &str = "amzn1.ask-subscriber.sub-1";
const LOCATION: &str = "/v0/developmentEvents/subscribers/amzn1.ask-subscriber.sub-2";
/// A `getSubscriber` response as the service documents it.
const SUBSCRIBER: &str = r#"{"subscriberId":"amzn1.ask-subscriber.sub-1","name":"ops","clientId":"amzn1.application-oa2-client.1","status":"ACTIVE","endpoint":{"uri":"arn:aws:sns:us-east-1:123456789012:skill-events","authorization":{"type":"AWS_IAM","arn":"arn:aws:iam::123456789012:role/sdns-publisher"}}}"#;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

struct Options {
    requests: u32,
    rounds: u32,
}

impl Options {
    fn parse() -> Result<Self, BoxError> {
        let mut options = Options {
            requests: 2_000,
            rounds: 15,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let target = match arg.as_str() {
                "--requests" => &mut options.requests,
                "--rounds" => &mut options.rounds,
                other => {
                    return Err(format!(
                        "unknown argument {other:?}; usage: client_overhead [--requests N] [--rounds R]"
                    )
                    .into())
                }
            };
            let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
            *target = value
                .parse()
                .map_err(|err| format!("{arg} {value}: {err}"))?;
        }
        if options.requests == 0 || options.rounds == 0 {
            return Err("--requests and --rounds must be at least 1".into());
        }
        Ok(options)
    }
}

fn main() -> Result<(), BoxError> {
    let options = Options::parse()?;
    let addr = start_server()?;
    // The client side on one thread, the server on another: the least noisy set-up, and
    // the strictest one, since no other work hides the client's own cost.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(addr, &options))
}

async fn run(addr: SocketAddr, options: &Options) -> Result<(), BoxError> {
    let base = format!("http://{addr}");
    let generated = Client::builder()
        .base_url(&base)
        .credentials(Credentials::bearer(TOKEN))
        .user_agent(USER_AGENT)
        .build()?;
    // What `oapigen_runtime::Transport` configures; the redirect policy only matters when
    // a server redirects, which this one never does.
    let raw = Raw {
        http: reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .user_agent(USER_AGENT)
            .build()?,
        base,
    };
    let new_subscriber = types::CreateSubscriberRequest::new(
        "ops".to_owned(),
        "M1234567890".to_owned(),
        types::Endpoint::new(
            "arn:aws:sns:us-east-1:123456789012:skill-events".parse()?,
            types::AwsIamAuthorization::new(
                types::AwsIamAuthorizationType::AwsIam,
                "arn:aws:iam::123456789012:role/sdns-publisher".to_owned(),
            ),
        ),
    );

    println!(
        "{} requests per run, {} rounds, runs interleaved; medians over rounds\n",
        options.requests, options.rounds
    );
    println!(
        "{:<34} {:>11} {:>11} {:>9} {:>7}",
        "operation", "raw µs/req", "gen µs/req", "overhead", "ratio"
    );
    let get = compare(
        options,
        || async { generated_get(&generated).await },
        || async { raw.get().await },
    )
    .await?;
    get.print("getSubscriber (GET, JSON response)");
    let post = compare(
        options,
        || async { generated_post(&generated, &new_subscriber).await },
        || async { raw.post(&new_subscriber).await },
    )
    .await?;
    post.print("createSubscriber (POST, JSON body)");
    let worst = get.ratio().max(post.ratio());
    println!(
        "\ntarget ≤ 1.05x: {} (worst ratio {worst:.3})",
        if worst <= 1.05 { "met" } else { "NOT met" }
    );
    Ok(())
}

async fn generated_get(client: &Client) -> Result<(), BoxError> {
    let response = client
        .get_subscriber(SUBSCRIBER_ID.to_owned())
        .send()
        .await?;
    let body = response.body?;
    check(response.status == 200 && body.subscriber_id == SUBSCRIBER_ID)?;
    black_box((body, response.x_amzn_request_id));
    Ok(())
}

async fn generated_post(
    client: &Client,
    body: &types::CreateSubscriberRequest,
) -> Result<(), BoxError> {
    let result: Result<_, Error<operations::CreateSubscriberError>> =
        client.create_subscriber(body.clone()).send().await;
    let response = result?;
    check(response.status == 201 && response.location == LOCATION)?;
    black_box((response.location, response.x_amzn_request_id));
    Ok(())
}

/// The same calls written by hand against `reqwest`.
struct Raw {
    http: reqwest::Client,
    base: String,
}

impl Raw {
    async fn get(&self) -> Result<(), BoxError> {
        let url = format!(
            "{}/v0/developmentEvents/subscribers/{}",
            self.base, SUBSCRIBER_ID
        );
        let response = self.http.get(url).bearer_auth(TOKEN).send().await?;
        let status = response.status().as_u16();
        let request_id = header(&response, "x-amzn-requestid");
        let bytes = response.bytes().await?;
        check(status == 200)?;
        let body: types::Subscriber = serde_json::from_slice(&bytes)?;
        check(body.subscriber_id == SUBSCRIBER_ID)?;
        black_box((body, request_id));
        Ok(())
    }

    async fn post(&self, body: &types::CreateSubscriberRequest) -> Result<(), BoxError> {
        let url = format!("{}/v0/developmentEvents/subscribers", self.base);
        let body = body.clone();
        let response = self
            .http
            .post(url)
            .bearer_auth(TOKEN)
            .json(&body)
            .send()
            .await?;
        let status = response.status().as_u16();
        let request_id = header(&response, "x-amzn-requestid");
        let location = header(&response, "location");
        black_box(response.bytes().await?);
        check(status == 201 && location.as_deref() == Some(LOCATION))?;
        black_box((location, request_id));
        Ok(())
    }
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    let value = response.headers().get(name)?;
    value.to_str().ok().map(ToOwned::to_owned)
}

fn check(ok: bool) -> Result<(), BoxError> {
    if ok {
        Ok(())
    } else {
        Err("unexpected response".into())
    }
}

/// Per-request times of both sides, one entry per round.
struct Comparison {
    raw: Vec<f64>,
    generated: Vec<f64>,
}

impl Comparison {
    /// The median over rounds of generated / raw, each round's pair measured back to back.
    fn ratio(&self) -> f64 {
        let paired: Vec<f64> = self
            .generated
            .iter()
            .zip(&self.raw)
            .map(|(generated, raw)| generated / raw)
            .collect();
        median(&paired)
    }

    fn print(&self, name: &str) {
        let (raw, generated) = (median(&self.raw), median(&self.generated));
        println!(
            "{name:<34} {raw:>11.2} {generated:>11.2} {:>7.2}µs {:>6.3}x",
            generated - raw,
            self.ratio(),
        );
    }
}

async fn compare<G, GF, R, RF>(
    options: &Options,
    generated: G,
    raw: R,
) -> Result<Comparison, BoxError>
where
    G: Fn() -> GF,
    GF: Future<Output = Result<(), BoxError>>,
    R: Fn() -> RF,
    RF: Future<Output = Result<(), BoxError>>,
{
    // Warm up: connections open, allocator and caches settled.
    let warm_up = options.requests.div_ceil(2);
    time(warm_up, &generated).await?;
    time(warm_up, &raw).await?;
    let mut comparison = Comparison {
        raw: Vec::new(),
        generated: Vec::new(),
    };
    for round in 0..options.rounds {
        if round % 2 == 0 {
            comparison
                .generated
                .push(time(options.requests, &generated).await?);
            comparison.raw.push(time(options.requests, &raw).await?);
        } else {
            comparison.raw.push(time(options.requests, &raw).await?);
            comparison
                .generated
                .push(time(options.requests, &generated).await?);
        }
    }
    Ok(comparison)
}

/// Microseconds per request over `requests` sequential calls.
async fn time<F, Fut>(requests: u32, call: &F) -> Result<f64, BoxError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(), BoxError>>,
{
    let started = Instant::now();
    for _ in 0..requests {
        call().await?;
    }
    Ok(started.elapsed().as_secs_f64() * 1e6 / f64::from(requests))
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// Starts a keep-alive HTTP/1.1 server on its own thread: `GET` gets the subscriber,
/// `POST` gets `201 Created` with a `Location`. Just enough HTTP to never be the bottleneck.
fn start_server() -> Result<SocketAddr, BoxError> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            let listener = match TcpListener::from_std(listener) {
                Ok(listener) => listener,
                Err(err) => return eprintln!("server: {err}"),
            };
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    if let Err(err) = serve(stream).await {
                        eprintln!("server: {err}");
                    }
                });
            }
        })
    });
    Ok(addr)
}

async fn serve(mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let get = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: bench-get\r\n\
         content-length: {}\r\n\r\n{SUBSCRIBER}",
        SUBSCRIBER.len()
    );
    let post = format!(
        "HTTP/1.1 201 Created\r\nx-amzn-requestid: bench-post\r\nlocation: {LOCATION}\r\n\
         content-length: 0\r\n\r\n"
    );
    let mut buffer = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        // One whole request (head and body) in the buffer, then answer it.
        let (head_end, content_length) = loop {
            if let Some(found) = parse_head(&buffer) {
                break found;
            }
            let read = stream.read(&mut chunk).await?;
            if read == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..read]);
        };
        while buffer.len() < head_end + content_length {
            let read = stream.read(&mut chunk).await?;
            if read == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..read]);
        }
        let response = if buffer.starts_with(b"POST ") {
            &post
        } else {
            &get
        };
        buffer.drain(..head_end + content_length);
        stream.write_all(response.as_bytes()).await?;
    }
}

/// Where the head ends and how long the body is, once the whole head has arrived.
fn parse_head(buffer: &[u8]) -> Option<(usize, usize)> {
    let head_end = buffer.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&buffer[..head_end]).ok()?;
    let content_length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    Some((head_end, content_length))
}
