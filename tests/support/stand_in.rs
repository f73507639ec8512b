//! The sfc binary set up to call a stand-in for AWS (wiremock, moto):
//! static test credentials, no profile, no instance metadata, one attempt
//! per call, run from the repository's root.

use std::process::Command;

pub fn sfc() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sfc"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .env_remove("SFN_MOCK_CONFIG");
    c
}
