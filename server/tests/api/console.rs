//! The console: `GET /` lists machines and executions, `GET
//! /execution?arn=` shows one as a report page, reloading while it runs.

use crate::*;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

/// A GET on a new connection: the status and the body.
fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes()).unwrap();
    let mut response = Vec::new();
    let _ = s.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).to_string();
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

fn encoded(arn: &str) -> String {
    arn.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The page's data (the report's `#sfc-data`).
fn data(page: &str) -> serde_json::Value {
    let start = page.find("id=\"sfc-data\">").expect("the page carries its data") + "id=\"sfc-data\">".len();
    serde_json::from_str(&page[start..start + page[start..].find("</script>").unwrap()]).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_console_lists_executions_and_shows_each_updating_while_it_runs() {
    // Real time: the Wait keeps the first execution running.
    let l = local(Config { time_scale: 1.0, ..Config::default() });
    let waits = r#"{"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 600, "Next": "Done"}, "Done": {"Type": "Succeed"}}}"#;
    let slow = create(&l.client, "Slow", waits).await;
    let chain = create(&l.client, "Chain", PASS_CHAIN).await;
    let running =
        l.client.start_execution().state_machine_arn(&slow).name("still-waiting").send().await.unwrap().execution_arn().to_string();
    let done = l.client.start_execution().state_machine_arn(&chain).input(r#"{"x": 2}"#).send().await.unwrap().execution_arn().to_string();
    for _ in 0..200 {
        let d = l.client.describe_execution().execution_arn(&done).send().await.unwrap();
        if d.status().as_str() != "RUNNING" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let addr = l.server.addr;
    let (status, index) = tokio::task::spawn_blocking(move || get(addr, "/")).await.unwrap();
    assert_eq!(status, 200);
    for text in ["Slow (STANDARD)", "Chain", "still-waiting", "RUNNING", "SUCCEEDED", &format!("/execution?arn={}", encoded(&running))] {
        assert!(index.contains(text), "{text}: {index}");
    }
    assert!(index.contains("http-equiv=\"refresh\""), "something runs: the list reloads");

    let (status, page) = tokio::task::spawn_blocking(move || get(addr, &format!("/execution?arn={}", encoded(&running)))).await.unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("http-equiv=\"refresh\" content=\"2\""), "a running execution's page reloads");
    assert_eq!(data(&page)["states"], serde_json::json!({"Hold": "running"}));

    let (_, page) = tokio::task::spawn_blocking(move || get(addr, &format!("/execution?arn={}", encoded(&done)))).await.unwrap();
    assert!(!page.contains("http-equiv=\"refresh\""), "{page}");
    assert_eq!(data(&page)["states"], serde_json::json!({"A": "succeeded", "B": "succeeded"}));

    let (status, _) = tokio::task::spawn_blocking(move || get(addr, "/execution?arn=arn%3Anope")).await.unwrap();
    assert_eq!(status, 404);
    let (status, _) = tokio::task::spawn_blocking(move || get(addr, "/favicon.ico")).await.unwrap();
    assert_eq!(status, 404);
}

/// An execution's page has a row for each of its Map Runs.
#[tokio::test(flavor = "multi_thread")]
async fn an_execution_page_shows_its_map_runs() {
    let l = local(fast());
    let definition = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "Label": "Fan", "End": true,
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}"#;
    let machine = create(&l.client, "Fanned", definition).await;
    let s = l.client.start_execution().state_machine_arn(&machine).input("[1, 2, 3]").send().await.unwrap();
    finished(&l.client, s.execution_arn()).await;
    let run = l.client.list_map_runs().execution_arn(s.execution_arn()).send().await.unwrap().map_runs()[0].map_run_arn().to_string();
    let (addr, arn) = (l.server.addr, s.execution_arn().to_string());
    let (status, page) = tokio::task::spawn_blocking(move || get(addr, &format!("/execution?arn={}", encoded(&arn)))).await.unwrap();
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("<td>{run}</td><td><span class=\"badge SUCCEEDED\">SUCCEEDED</span></td><td>3 in all: 3 succeeded</td>")),
        "{page}"
    );
}
