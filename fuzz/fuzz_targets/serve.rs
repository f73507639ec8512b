//! The API server under sequences of requests: the input is a JSON array
//! of up to eight `[operation, body]` pairs (`["GET", "/path?query"]` reads
//! a console page), sent in order to a fresh server on a loopback port.
//! Every API answer must be AWS-shaped: 200 with a JSON object, or an
//! error status with `__type` and a message; every page an HTML page. A
//! panic anywhere in the server aborts the fuzzer (libfuzzer-sys's hook),
//! a request that panicked would otherwise only close its connection.
//!
//! A request still unanswered after two seconds (a synchronous execution
//! of a loop, which ends at its five minutes; an activity task nobody
//! works) is left running: it is not an error.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

const MAX_REQUESTS: usize = 8;

fuzz_target!(|data: &[u8]| {
    let Ok(Value::Array(requests)) = serde_json::from_slice::<Value>(data) else { return };
    let config = sfc_server::Config {
        time_scale: 0.0,
        activity_poll: Duration::from_millis(5),
        keep_executions: 20,
        ..sfc_server::Config::default()
    };
    let server = sfc_server::spawn(config, "127.0.0.1:0").expect("the server starts on a loopback port");
    for request in requests.iter().take(MAX_REQUESTS) {
        let Some([Value::String(operation), body]) = request.as_array().map(Vec::as_slice) else { continue };
        if operation == "GET" {
            // What a browser sends: a path of URI characters (others it
            // percent-encodes; hyper itself refuses them, with no page).
            let uri_char = |c: char| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c);
            let Some(path) = body.as_str().filter(|p| p.starts_with('/') && p.chars().all(uri_char)) else { continue };
            if let Some((status, text)) = send(server.addr, &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n"), b"") {
                assert!([200, 400, 404].contains(&status), "GET {path}: status {status}");
                assert!(text.contains("<html") || text.contains("<!doctype html") || text.contains("<!DOCTYPE html"), "GET {path}: {text}");
            }
            continue;
        }
        if operation.contains(|c: char| !c.is_ascii_alphanumeric()) {
            continue;
        }
        let body = body.to_string();
        let head = format!(
            "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AWSStepFunctions.{operation}\r\n"
        );
        if let Some((status, text)) = send(server.addr, &head, body.as_bytes()) {
            let answer: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{operation}: the answer is not JSON ({e}): {text}"));
            match status {
                200 => assert!(answer.is_object(), "{operation}: {answer}"),
                400..=599 => {
                    let named = answer["__type"].as_str().is_some_and(|t| !t.is_empty());
                    let said = answer["message"].as_str().is_some_and(|m| !m.is_empty());
                    assert!(named && said, "{operation} {status}: {answer}");
                }
                other => panic!("{operation}: status {other}: {answer}"),
            }
        }
    }
    server.stop();
});

/// One request on a new connection: its status and body, or `None` when
/// no whole answer came within two seconds.
fn send(addr: SocketAddr, head: &str, body: &[u8]) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(addr).expect("the server accepts");
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let head = format!("{head}Content-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    let mut response = Vec::new();
    s.read_to_end(&mut response).ok()?;
    let text = String::from_utf8(response).expect("the answer is UTF-8");
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok())?;
    let (_, body) = text.split_once("\r\n\r\n")?;
    Some((status, body.to_string()))
}
