//! Finding the shared conformance data beside the repository.

use std::path::{Path, PathBuf};

/// `../shared` next to the repository, or `$SFC_SHARED`.
pub fn shared() -> PathBuf {
    let dir =
        std::env::var_os("SFC_SHARED").map(PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    assert!(dir.is_dir(), "shared/ not found at {}; set SFC_SHARED", dir.display());
    dir
}
