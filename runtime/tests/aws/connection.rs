//! A call whose connection fails (an I/O error: reset, refused) is sent
//! again, as the SDK clients' standard retry sends it.

use serde_json::json;
use sfc_runtime::aws::generic::Generic;
use sfc_runtime::aws::stand_in_config;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[tokio::test]
async fn a_call_whose_connection_fails_is_sent_again() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(2) {
            let mut stream = stream.unwrap();
            if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                // Closed with the request unread: the kernel resets the
                // connection, which the client reads as an I/O error.
                std::thread::sleep(std::time::Duration::from_millis(50));
                drop(stream);
                continue;
            }
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let body = r#"{"Table": {"TableName": "t"}}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\nx-amzn-RequestId: r-1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    let generic = Generic::new(&stand_in_config(&url), Vec::new());
    let described = generic.sdk("dynamodb", "describeTable", json!({"TableName": "t"})).await;
    assert_eq!(described.map_err(|f| f.cause).unwrap()["Table"]["TableName"], "t");
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}
