//! Requests no SDK would send: raw HTTP on a socket. Each gets an
//! AWS-shaped error and the server goes on serving; a bounded load from
//! several clients loses no execution.

use crate::*;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

/// One request on a new connection: the status and the JSON body.
fn post(addr: SocketAddr, target: Option<&str>, body: &[u8]) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let target = target.map(|t| format!("X-Amz-Target: AWSStepFunctions.{t}\r\n")).unwrap_or_default();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n{target}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut response = Vec::new();
    let _ = s.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response);
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn error_type(v: &Value) -> &str {
    v["__type"].as_str().unwrap_or_default()
}

#[test]
fn malformed_requests_get_aws_errors_and_the_server_survives() {
    let l = local(fast());
    let a = l.server.addr;
    let cases: Vec<(Option<&str>, Vec<u8>, &str)> = vec![
        (Some("ListStateMachines"), b"{not json".to_vec(), "SerializationException"),
        (Some("ListStateMachines"), b"[1, 2]".to_vec(), "SerializationException"),
        (Some("NoSuchOperation"), b"{}".to_vec(), "UnknownOperationException"),
        (None, b"{}".to_vec(), "UnknownOperationException"),
        (Some("CreateStateMachine"), b"{}".to_vec(), "ValidationException"),
        (Some("CreateStateMachine"), br#"{"name": 5, "definition": "{}", "roleArn": "r"}"#.to_vec(), "SerializationException"),
        (
            Some("CreateStateMachine"),
            br#"{"name": "M", "definition": "{}", "roleArn": "r", "type": "FAST"}"#.to_vec(),
            "ValidationException",
        ),
        (Some("DescribeExecution"), br#"{"executionArn": ""}"#.to_vec(), "InvalidArn"),
        (Some("ListStateMachines"), br#"{"maxResults": 5000}"#.to_vec(), "ValidationException"),
        (Some("SendTaskSuccess"), br#"{"taskToken": "t"}"#.to_vec(), "ValidationException"),
    ];
    for (target, body, expected) in cases {
        let (status, v) = post(a, target, &body);
        assert_eq!((status, error_type(&v)), (400, expected), "{target:?} {}", String::from_utf8_lossy(&body));
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    }
    // Ten MiB of input.
    let huge = json!({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:M", "input": "x".repeat(10 * 1024 * 1024)});
    let (status, v) = post(a, Some("StartExecution"), huge.to_string().as_bytes());
    assert_eq!(status, 400, "{v}");
    // A client that goes away mid-request.
    let mut s = TcpStream::connect(a).unwrap();
    s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\nContent-Length: 1000\r\n\r\n{\"ma")
        .unwrap();
    drop(s);
    let (status, v) = post(a, Some("ListStateMachines"), b"{}");
    assert_eq!((status, v["stateMachines"].is_array()), (200, true), "{v}");
}

/// Eight clients start 50 executions each at once: every one is there and
/// succeeded. Bounded in count and time, on loopback only.
#[test]
fn a_bounded_load_loses_no_execution() {
    let l = local(fast());
    let a = l.server.addr;
    let create = json!({"name": "Load", "definition": PASS_CHAIN, "roleArn": ROLE});
    assert_eq!(post(a, Some("CreateStateMachine"), create.to_string().as_bytes()).0, 200);
    let machine = "arn:aws:states:us-east-1:123456789012:stateMachine:Load";
    let workers: Vec<_> = (0..8)
        .map(|w| {
            std::thread::spawn(move || {
                for i in 0..50 {
                    let start = json!({"stateMachineArn": machine, "name": format!("w{w}-{i}"), "input": "{\"x\": 1}"});
                    let (status, v) = post(a, Some("StartExecution"), start.to_string().as_bytes());
                    assert_eq!(status, 200, "{v}");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let mut succeeded = 0;
    for _ in 0..500 {
        let list = json!({"stateMachineArn": machine, "statusFilter": "SUCCEEDED", "maxResults": 1000});
        succeeded = post(a, Some("ListExecutions"), list.to_string().as_bytes()).1["executions"].as_array().map_or(0, Vec::len);
        if succeeded == 400 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(succeeded, 400);
}
