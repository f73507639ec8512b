//! The SDK configuration every client shares: one HTTP client (rustls
//! with ring), the standard credential chain, region, profile and
//! endpoint overrides.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_batch::config::{Credentials, SharedCredentialsProvider, SharedHttpClient};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};

/// Where and as whom to call AWS; unset fields come from the environment
/// (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`, ~/.aws/config).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
}

fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new().tls_provider(Provider::Rustls(CryptoMode::Ring)).build_https()
}

/// The configuration from the standard chain, with `settings` on top.
pub async fn sdk_config(settings: &Settings) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http_client());
    if let Some(r) = &settings.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(p) = &settings.profile {
        loader = loader.profile_name(p);
    }
    if let Some(e) = &settings.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    loader.load().await
}

/// The configuration, or why calls cannot be signed: no region anywhere.
pub async fn sdk_config_with_region(settings: &Settings) -> Result<SdkConfig, String> {
    let config = sdk_config(settings).await;
    match config.region() {
        Some(_) => Ok(config),
        None => Err("no AWS region: give --region, or set AWS_REGION (or a region in ~/.aws/config)".into()),
    }
}

/// For a stand-in server (wiremock, LocalStack, moto): static test
/// credentials, us-east-1, no retries, every service at `endpoint`.
pub fn stand_in_config(endpoint: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new("test", "test", None, None, "sfc-stand-in")))
        .endpoint_url(endpoint)
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .http_client(http_client())
        .build()
}
