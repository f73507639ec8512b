//! moto's server, an AWS stand-in, on a free loopback port for one test
//! and killed afterwards. `SFC_MOTO_SERVER` names its `moto_server`
//! program; without it a test says so and passes, unless
//! `SFC_REQUIRE_MOTO=1` (CI), where a missing server fails it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A moto server on a loopback port, killed when dropped.
pub struct Moto {
    child: Child,
    pub url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    /// Sets moto's own options (`POST /moto-api/config`).
    pub fn configure(&self, options: &str) {
        use std::io::{Read, Write};
        let address = self.url.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(address).expect("moto answers");
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let request = format!(
            "POST /moto-api/config HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{options}",
            options.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 2") || answer.starts_with("HTTP/1.0 2"), "moto's config: {answer}");
    }
}

pub fn moto() -> Option<Moto> {
    let Some(program) = std::env::var("SFC_MOTO_SERVER").ok().filter(|p| !p.is_empty()) else {
        assert!(std::env::var("SFC_REQUIRE_MOTO").as_deref() != Ok("1"), "SFC_REQUIRE_MOTO=1 but SFC_MOTO_SERVER is not set");
        eprintln!("skipped: set SFC_MOTO_SERVER to a moto_server program to run the moto tests");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(&program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} does not start: {e}"));
    let moto = Moto { child, url: format!("http://127.0.0.1:{port}") };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto_server did not listen on port {port} within 30 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(moto)
}
