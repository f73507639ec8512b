//! A load on a Step Functions endpoint from concurrent aws-sdk-sfn
//! clients, for `bench/serve.sh`: the number of calls per second and their
//! latency percentiles.
//!
//! usage: load ENDPOINT sync|start-describe CLIENTS SECONDS DEFINITION_FILE [RATE]
//!
//! `sync` calls StartSyncExecution on an EXPRESS machine; `start-describe`
//! calls StartExecution then DescribeExecution on a STANDARD one (a pair
//! counts as one). Loopback endpoints only; the load stops by itself.
//!
//! Without RATE each client calls again as soon as an answer comes (a
//! closed loop: the most the pair of processes does, and a latency of
//! CLIENTS / rate by construction). With RATE the clients together offer
//! RATE calls per second on a fixed schedule, and a call's latency counts
//! from when it was due, so a server falling behind shows in the figures.

use aws_sdk_sfn::types::StateMachineType;
use aws_sdk_sfn::Client;
use std::time::{Duration, Instant};

#[path = "../tests/api/no_host_prefix.rs"]
mod no_host_prefix;
use no_host_prefix::NoHostPrefix;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (endpoint, op, clients, seconds, definition, rate) = match args.as_slice() {
        [_, e, o, c, s, d] => (e, o, c, s, d, None),
        [_, e, o, c, s, d, r] => (e, o, c, s, d, Some(r.parse::<f64>().expect("RATE is a number of calls per second"))),
        _ => {
            eprintln!("usage: load ENDPOINT sync|start-describe CLIENTS SECONDS DEFINITION_FILE [RATE]");
            std::process::exit(2);
        }
    };
    let host_is_loopback = endpoint.starts_with("http://127.") || endpoint.starts_with("http://localhost");
    assert!(host_is_loopback, "load runs against loopback endpoints only");
    let clients: usize = clients.parse().expect("CLIENTS is a number");
    let seconds: u64 = seconds.parse().expect("SECONDS is a number");
    let definition = std::fs::read_to_string(definition).expect("the definition file reads");
    // LOAD_THREADS: the client's threads (default 1, leaving the other core to the server).
    let threads = std::env::var("LOAD_THREADS").ok().and_then(|t| t.parse().ok()).unwrap_or(1);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(threads).enable_all().build().expect("a tokio runtime");
    rt.block_on(run(endpoint, op, clients, Duration::from_secs(seconds), &definition, rate));
}

async fn run(endpoint: &str, op: &str, clients: usize, length: Duration, definition: &str, rate: Option<f64>) {
    let sdk = sfc_runtime::aws::stand_in_config(endpoint);
    let client = Client::from_conf(aws_sdk_sfn::config::Builder::from(&sdk).interceptor(NoHostPrefix).build());
    let kind = if op == "sync" { StateMachineType::Express } else { StateMachineType::Standard };
    let name = format!("load-{}", std::process::id());
    let machine = client
        .create_state_machine()
        .name(&name)
        .definition(definition)
        .role_arn("arn:aws:iam::123456789012:role/load")
        .r#type(kind)
        .send()
        .await
        .expect("the machine is created")
        .state_machine_arn()
        .to_string();
    let start = Instant::now();
    let stop = start + length;
    // Each client's gap between calls, and its first call staggered by its
    // place among the clients.
    let gap = rate.map(|r| Duration::from_secs_f64(clients as f64 / r));
    let workers: Vec<_> = (0..clients)
        .map(|i| {
            let (client, machine, op) = (client.clone(), machine.clone(), op.to_string());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0u64;
                let mut due = start + gap.map_or(Duration::ZERO, |g| g.mul_f64(i as f64 / clients as f64));
                while due < stop && Instant::now() < stop {
                    let t = match gap {
                        Some(g) => {
                            tokio::time::sleep_until(due.into()).await;
                            let t = due;
                            due += g;
                            t
                        }
                        None => Instant::now(),
                    };
                    let ok = if op == "sync" {
                        client.start_sync_execution().state_machine_arn(&machine).input("{}").send().await.is_ok()
                    } else {
                        match client.start_execution().state_machine_arn(&machine).input("{}").send().await {
                            Ok(s) => client.describe_execution().execution_arn(s.execution_arn()).send().await.is_ok(),
                            Err(_) => false,
                        }
                    };
                    if ok {
                        latencies.push(t.elapsed());
                    } else {
                        errors += 1;
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await.expect("a worker ends");
        all.extend(l);
        errors += e;
    }
    all.sort();
    let pct =
        |p: f64| all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0);
    let done = all.len() as f64 / length.as_secs_f64();
    let offered = rate.map_or("closed loop".to_string(), |r| format!("offered {r:.0}/s"));
    println!("{op} ({offered}): {done:.0}/s ok={} errors={errors} p50={:.2}ms p99={:.2}ms", all.len(), pct(0.5), pct(0.99));
}
