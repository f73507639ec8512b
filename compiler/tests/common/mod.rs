//! Finding the shared conformance data beside the repository.

use std::io::Write;
use std::path::{Path, PathBuf};

/// `../shared` next to the repository, or `$SFC_SHARED`. Without it the
/// test that asked is skipped, with one line on standard error (written
/// past the test harness's capture, so it is seen); CI sets
/// `SFC_REQUIRE_SHARED=1`, under which missing data fails the test.
pub fn shared(test: &str) -> Option<PathBuf> {
    let dir =
        std::env::var_os("SFC_SHARED").map(PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    if dir.join("conformance").is_dir() {
        return Some(dir);
    }
    let required = std::env::var("SFC_REQUIRE_SHARED").is_ok_and(|v| v == "1");
    assert!(!required, "SFC_REQUIRE_SHARED=1 but the shared conformance data is not at {}; set SFC_SHARED", dir.display());
    let _ = writeln!(
        std::io::stderr(),
        "skipped {test}: the shared conformance data is not at {} (put the shared/ folder beside the repository, or set SFC_SHARED)",
        dir.display()
    );
    None
}
