//! `sfc serve [--port 8083] [--host 127.0.0.1] [--mocks FILE]`

use crate::load;
use crate::{CliError, Outcome, Verdict};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The port to listen on (Step Functions Local's).
    #[arg(long, default_value_t = 8083)]
    port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// The MockConfigFile whose test cases executions choose with
    /// `<stateMachineArn>#<TestCase>` (default: $SFN_MOCK_CONFIG).
    #[arg(long, env = "SFN_MOCK_CONFIG")]
    mocks: Option<PathBuf>,
    /// The region in ARNs (default: $AWS_DEFAULT_REGION, else us-east-1).
    #[arg(long, env = "AWS_DEFAULT_REGION", default_value = "us-east-1")]
    region: String,
    /// The account in ARNs.
    #[arg(long, env = "AWS_ACCOUNT_ID", default_value = "123456789012")]
    account: String,
    /// Scale Wait states, retry back-off and timeouts: 0.01 makes an hour
    /// 36 s; 0 makes waits instant and applies no timeout (default:
    /// $WAIT_TIME_SCALE, else 1).
    #[arg(long, env = "WAIT_TIME_SCALE", default_value_t = 1.0)]
    time_scale: f64,
    /// Finished executions kept in memory; the oldest go first.
    #[arg(long, default_value_t = 10_000)]
    keep_executions: usize,
    /// Keep state machines, executions and their histories, activities,
    /// versions and aliases in an embedded database in this folder, so
    /// they survive a restart (default: in memory only).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// A folder standing for S3: DIR/BUCKET/KEY is each object, read by
    /// Distributed Maps' ItemReaders and `aws-sdk:s3` Tasks, written by
    /// ResultWriters.
    #[arg(long, value_name = "DIR")]
    s3_dir: Option<PathBuf>,
    /// Log every request on standard error.
    #[arg(short, long)]
    verbose: bool,
    /// How to log.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Send Task states no test case mocks to AWS (EMR, Batch, ECS,
    /// Lambda) with the standard credential chain, or to the endpoints in
    /// AWS_ENDPOINT_URL, LAMBDA_ENDPOINT, BATCH_ENDPOINT, ECS_ENDPOINT,
    /// EMR_ENDPOINT.
    #[arg(long)]
    aws: bool,
    /// Seconds between two status checks of a running `.sync` job (--aws).
    #[arg(long, default_value_t = 10.0, requires = "aws")]
    poll_interval: f64,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

pub fn run(args: &Args) -> Outcome {
    if !(args.time_scale.is_finite() && args.time_scale >= 0.0) {
        return Err(CliError::usage("--time-scale (WAIT_TIME_SCALE) must be a number of at least 0"));
    }
    let mocks = args.mocks.as_deref().map(load::mocks).transpose().map_err(CliError::usage)?;
    let config = sfc_server::Config {
        region: args.region.clone(),
        account: args.account.clone(),
        mocks,
        time_scale: args.time_scale,
        keep_executions: args.keep_executions,
        log_requests: args.verbose,
        log_json: args.log_format == LogFormat::Json,
        data_dir: args.data_dir.clone(),
        s3_dir: args.s3_dir.clone(),
        #[cfg(feature = "aws")]
        aws: real_calls(args)?,
        ..sfc_server::Config::default()
    };
    #[cfg(not(feature = "aws"))]
    if args.aws {
        return Err(CliError::usage(crate::WITHOUT_AWS));
    }
    let addr = format!("{}:{}", args.host, args.port);
    let mocks = args.mocks.as_ref().map(|m| format!(", mocks from {}", m.display())).unwrap_or_default();
    let (region, account) = (args.region.clone(), args.account.clone());
    sfc_server::run_blocking(config, &addr, |bound| {
        eprintln!("sfc serve: the Step Functions API at http://{bound} (region {region}, account {account}{mocks}); Ctrl-C stops it");
    })
    .map_err(|e| CliError::usage(format!("cannot serve on {addr}: {e}")))?;
    eprintln!("sfc serve: stopped");
    Ok(Verdict::Pass)
}

#[cfg(feature = "aws")]
fn real_calls(args: &Args) -> Result<Option<sfc_server::RealCalls>, CliError> {
    if !args.aws {
        return Ok(None);
    }
    if !(args.poll_interval.is_finite() && args.poll_interval > 0.0) {
        return Err(CliError::usage("--poll-interval must be a positive number of seconds"));
    }
    Ok(Some(sfc_server::RealCalls {
        settings: sfc_runtime::aws::Settings { region: Some(args.region.clone()), ..Default::default() },
        endpoints: sfc_runtime::aws::Endpoints::from_env(),
        poll: std::time::Duration::from_secs_f64(args.poll_interval),
    }))
}
