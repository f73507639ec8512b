//! The AWS Step Functions API on localhost (`sfc serve`): awsJson1.0 over
//! HTTP/1.1, `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>`,
//! answered by sfc's interpreter with AWS's JSON shapes and errors, and
//! Step Functions Local's conventions (account 123456789012, mock test
//! cases chosen by `<stateMachineArn>#<TestCase>`, WAIT_TIME_SCALE).
//!
//! The server runs on one thread: a current-thread tokio runtime and a
//! LocalSet, as the interpreter's futures are not `Send`; executions run
//! concurrently on it.
//!
//! ```no_run
//! let config = sfc_server::Config::default();
//! let server = sfc_server::spawn(config, "127.0.0.1:0").unwrap();
//! println!("endpoint: http://{}", server.addr);
//! server.stop();
//! ```
#![forbid(unsafe_code)]

mod activities;
mod api;
mod callbacks;
mod children;
mod console;
mod error;
mod events;
mod executions;
mod http;
mod machines;
mod map_runs;
mod names;
mod page;
mod persist;
mod redrive;
mod request;
mod store;
mod tags;
mod teststate;
mod validation;
mod versions;

pub use error::ApiError;

use names::Scope;
use sfc_runtime::clock::ScaledClock;
use sfc_runtime::mock::MockConfig;
use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct Config {
    pub region: String,
    pub account: String,
    /// The MockConfigFile executions choose test cases from (`#Case`).
    pub mocks: Option<MockConfig>,
    /// Scales Wait states, retry back-off and timeouts (0: instant).
    pub time_scale: f64,
    /// How many finished executions are kept (the oldest go first).
    pub keep_executions: usize,
    /// How long GetActivityTask waits for a task before answering empty.
    pub activity_poll: std::time::Duration,
    /// Log each request on standard error.
    pub log_requests: bool,
    /// Log lines as JSON.
    pub log_json: bool,
    /// Keep everything in an embedded database in this folder, so it
    /// survives a restart; in memory only without it.
    pub data_dir: Option<std::path::PathBuf>,
    /// A folder standing for S3 (DIR/BUCKET/KEY): Distributed Maps and
    /// `aws-sdk:s3` Tasks read and write there.
    pub s3_dir: Option<std::path::PathBuf>,
    /// Call AWS (or the endpoints standing in for it) for Task states no
    /// test case mocks.
    #[cfg(feature = "aws")]
    pub aws: Option<RealCalls>,
}

/// How unmocked Task states reach AWS.
#[cfg(feature = "aws")]
#[derive(Debug, Clone, Default)]
pub struct RealCalls {
    pub settings: sfc_runtime::aws::Settings,
    pub endpoints: sfc_runtime::aws::Endpoints,
    /// Between two status checks of a running `.sync` job.
    pub poll: std::time::Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            region: "us-east-1".into(),
            account: "123456789012".into(),
            mocks: None,
            time_scale: 1.0,
            keep_executions: 10_000,
            activity_poll: std::time::Duration::from_secs(60),
            log_requests: false,
            log_json: false,
            data_dir: None,
            s3_dir: None,
            #[cfg(feature = "aws")]
            aws: None,
        }
    }
}

/// The state every request works on.
pub(crate) struct Server {
    pub config: Config,
    pub scope: Scope,
    pub store: RefCell<store::Store>,
    pub tokens: callbacks::Tokens,
    pub clock: ScaledClock,
    /// `--data-dir`'s database.
    pub disk: Option<persist::Disk>,
    /// The real services, when the configuration asks for them.
    #[cfg(feature = "aws")]
    pub real: Option<sfc_runtime::aws::Aws>,
}

impl Server {
    async fn new(config: Config) -> std::io::Result<Rc<Server>> {
        let mut store = store::Store::new(config.keep_executions);
        let disk = match &config.data_dir {
            Some(dir) => {
                let disk = persist::Disk::open(dir).map_err(std::io::Error::other)?;
                disk.load(&mut store).map_err(std::io::Error::other)?;
                Some(disk)
            }
            None => None,
        };
        #[cfg(feature = "aws")]
        let real = match &config.aws {
            Some(r) => {
                let sdk = sfc_runtime::aws::sdk_config(&r.settings).await;
                Some(sfc_runtime::aws::Aws::with_endpoints(&sdk, r.poll, &r.endpoints))
            }
            None => None,
        };
        let server = Rc::new(Server {
            scope: Scope { region: config.region.clone(), account: config.account.clone() },
            store: RefCell::new(store),
            disk,
            tokens: callbacks::Tokens::default(),
            clock: ScaledClock { scale: config.time_scale },
            #[cfg(feature = "aws")]
            real,
            config,
        });
        server.save();
        Ok(server)
    }

    /// Writes what changed to `--data-dir`, if there is one. A write that
    /// fails is said on standard error; serving goes on from memory.
    pub fn save(&self) {
        if let Some(disk) = &self.disk {
            if let Err(e) = disk.write(&mut self.store.borrow_mut()) {
                eprintln!("sfc serve: cannot write to the data directory: {e}");
            }
        }
    }
}

/// Serves on `listener` until `shutdown` resolves. Must run inside a
/// tokio LocalSet. Fails when `--data-dir` cannot be opened or read.
pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let server = Server::new(config).await?;
    http::serve(server.clone(), listener, shutdown).await;
    executions::stop_all_running(&server);
    server.save();
    Ok(())
}

/// A server running on a thread of its own (for tests and embedding).
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Stops the server and waits for its thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Starts a server on `addr` (port 0: any free one) on a new thread.
pub fn spawn(config: Config, addr: &str) -> std::io::Result<Running> {
    // A data directory that cannot serve is said here, not in the thread.
    if let Some(dir) = &config.data_dir {
        persist::Disk::open(dir).map_err(std::io::Error::other)?;
    }
    let std_listener = std::net::TcpListener::bind(addr)?;
    std_listener.set_nonblocking(true)?;
    let bound = std_listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new().name("sfc-serve".into()).spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a current-thread tokio runtime builds");
        let local = tokio::task::LocalSet::new();
        local.block_on(&rt, async move {
            let listener = tokio::net::TcpListener::from_std(std_listener).expect("the listener joins the runtime");
            let served = serve(config, listener, async {
                let _ = stopped.await;
            })
            .await;
            if let Err(e) = served {
                eprintln!("sfc serve: {e}");
            }
        });
    })?;
    Ok(Running { addr: bound, stop: Some(stop), thread: Some(thread) })
}

/// Serves on `addr` on this thread until SIGINT or SIGTERM; `ready` is told
/// the address once the server listens.
pub fn run_blocking(config: Config, addr: &str, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        serve(config, listener, stop_signal()).await
    })
}

/// SIGINT (Ctrl-C) or SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
