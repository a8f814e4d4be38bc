//! `warroom sim serve`: the simulator alone prints its base URL and answers Azure's REST calls.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

struct Kill(std::process::Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connects to the simulator");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("writes");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("reads");
    out
}

#[test]
fn sim_serve_prints_its_url_and_serves_arm() {
    let child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["sim", "serve", "--port", "0", "--scenario", "calm"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut child = Kill(child);
    let stdout = child.0.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a first line");
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no base URL in {first:?}"));
    let addr = url.trim_start_matches("http://");
    let sub = &warroom::config::Estate::demo().subscriptions[0].id;
    let ok = get(
        addr,
        &format!(
            "/subscriptions/{sub}/resourceGroups/rg-functions-prod-krc/providers/Microsoft.Web/sites/func-orders-prod-krc?api-version=2024-11-01"
        ),
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.contains("\"name\":\"func-orders-prod-krc\""), "{ok}");
    let missing = get(
        addr,
        &format!(
            "/subscriptions/{sub}/resourceGroups/rg-functions-prod-krc/providers/Microsoft.Web/sites/func-orders-prod-krc"
        ),
    );
    assert!(missing.starts_with("HTTP/1.1 400"), "{missing}");
    assert!(missing.contains("MissingApiVersionParameter"), "{missing}");
}
