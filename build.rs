//! Links the `sfc` binary as a fixed-address (non-PIE) executable on Linux:
//! a PIE binary of this size carries ~54k relocations that the loader
//! applies on every start, about a millisecond of each `sfc run`.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
