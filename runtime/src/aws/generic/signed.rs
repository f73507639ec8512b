//! One signed HTTP call to any AWS service: SigV4 with the standard
//! chain's credentials and region, sent through the HTTP client the SDK
//! clients use, at the service's endpoint or the one configured for it.

use crate::error::Failure;
use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::http::HttpConnector;
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_types::body::SdkBody;
use sfc_asl::integrations::services::Service;

/// A service's answer.
pub struct Reply {
    pub status: u16,
    pub request_id: String,
    /// `x-amzn-ErrorType`, where the service sets it.
    pub error_type: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Signs and sends; one per run, shared by every call.
pub struct Signer {
    config: SdkConfig,
    connector: aws_smithy_http_client::Connector,
    /// Endpoints of single services (Step Functions Local's variables).
    overrides: Vec<(&'static str, String)>,
}

impl Signer {
    pub fn new(config: &SdkConfig, overrides: Vec<(&'static str, String)>) -> Signer {
        use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
        let connector = aws_smithy_http_client::Connector::builder().tls_provider(Provider::Rustls(CryptoMode::Ring)).build();
        Signer { config: config.clone(), connector, overrides }
    }

    fn region(&self) -> Result<String, Failure> {
        self.config
            .region()
            .map(|r| r.to_string())
            .ok_or_else(|| Failure::runtime("no AWS region: give --region, or set AWS_REGION (or a region in ~/.aws/config)"))
    }

    /// Where `service` answers: its own endpoint variable, the standard
    /// `AWS_ENDPOINT_URL_<SERVICE>`, the configured endpoint, or AWS's.
    pub fn endpoint(&self, service: &Service) -> Result<String, Failure> {
        if let Some((_, url)) = self.overrides.iter().find(|(name, _)| *name == service.name) {
            return Ok(url.trim_end_matches('/').to_string());
        }
        let standard = format!("AWS_ENDPOINT_URL_{}", service.signing.to_uppercase());
        if let Some(url) = std::env::var(standard).ok().filter(|u| !u.is_empty()) {
            return Ok(url.trim_end_matches('/').to_string());
        }
        match self.config.endpoint_url() {
            Some(url) => Ok(url.trim_end_matches('/').to_string()),
            None if service.global => Ok(format!("https://{}.amazonaws.com", service.host)),
            None => Ok(format!("https://{}.{}.amazonaws.com", service.host, self.region()?)),
        }
    }

    /// POSTs `body` to the service's endpoint at `path`, signed.
    pub async fn post(&self, service: &Service, path: &str, headers: &[(&str, String)], body: Vec<u8>) -> Result<Reply, Failure> {
        let url = format!("{}{path}", self.endpoint(service)?);
        self.send(service, "POST", &url, headers, body).await
    }

    /// Sends `method` to `url`, signed as `service`'s (S3's way for S3:
    /// the payload's hash in a header, the path taken as it is).
    pub async fn send(
        &self,
        service: &Service,
        method: &str,
        url: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Result<Reply, Failure> {
        let credentials = match self.config.credentials_provider() {
            Some(p) => aws_credential_types::provider::ProvideCredentials::provide_credentials(&p)
                .await
                .map_err(|e| Failure::runtime(format!("no AWS credentials to call {}: {e}", service.name)))?,
            None => return Err(Failure::runtime(format!("no AWS credentials to call {}", service.name))),
        };
        let identity = credentials.into();
        let region = if service.global { "us-east-1".to_string() } else { self.region()? };
        let mut settings = aws_sigv4::http_request::SigningSettings::default();
        if service.signing == "s3" {
            settings.payload_checksum_kind = aws_sigv4::http_request::PayloadChecksumKind::XAmzSha256;
            settings.percent_encoding_mode = aws_sigv4::http_request::PercentEncodingMode::Single;
            settings.uri_path_normalization_mode = aws_sigv4::http_request::UriPathNormalizationMode::Disabled;
        }
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(&region)
            .name(service.signing)
            .time(std::time::SystemTime::now())
            .settings(settings)
            .build()
            .map_err(|e| Failure::runtime(format!("cannot sign a call to {}: {e}", service.name)))?
            .into();
        let signable = aws_sigv4::http_request::SignableRequest::new(
            method,
            url,
            headers.iter().map(|(k, v)| (*k, v.as_str())),
            aws_sigv4::http_request::SignableBody::Bytes(&body),
        )
        .map_err(|e| Failure::runtime(format!("cannot sign a call to {url}: {e}")))?;
        let (instructions, _) = aws_sigv4::http_request::sign(signable, &params)
            .map_err(|e| Failure::runtime(format!("cannot sign a call to {url}: {e}")))?
            .into_parts();
        let mut request = http::Request::builder().method(method).uri(url);
        for (k, v) in headers {
            request = request.header(*k, v);
        }
        let mut request = request.body(SdkBody::from(body)).map_err(|e| Failure::runtime(format!("bad request to {url}: {e}")))?;
        instructions.apply_to_request_http1x(&mut request);
        let request = HttpRequest::try_from(request).map_err(|e| Failure::runtime(format!("bad request to {url}: {e}")))?;
        let response = self.send_with_retries(request, url).await?;
        let status = response.status().as_u16();
        let header = |name: &str| response.headers().get(name).map(str::to_string);
        let request_id = header("x-amzn-RequestId").or_else(|| header("x-amz-request-id")).unwrap_or_default();
        let error_type = header("x-amzn-ErrorType");
        let headers = response.headers().iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let body = aws_smithy_types::byte_stream::ByteStream::new(response.into_body())
            .collect()
            .await
            .map_err(|e| Failure::runtime(format!("cannot read the answer of {url}: {e}")))?
            .into_bytes()
            .to_vec();
        Ok(Reply { status, request_id, error_type, headers, body })
    }

    /// Sends `request`, again after an I/O failure (a reset, a refused
    /// connection; not a server that closed it unanswered, which may have
    /// acted on it), at most [`ATTEMPTS`] times in all, as the SDK clients'
    /// standard retry does.
    async fn send_with_retries(&self, request: HttpRequest, url: &str) -> Result<HttpResponse, Failure> {
        let mut attempt = 1;
        loop {
            let sent =
                request.try_clone().ok_or_else(|| Failure::runtime(format!("bad request to {url}: its body cannot be sent twice")))?;
            match self.connector.call(sent).await {
                Ok(response) => return Ok(response),
                Err(e) if e.is_io() && attempt < ATTEMPTS => {
                    tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
                    attempt += 1;
                }
                Err(e) => return Err(Failure::runtime(format!("cannot reach {url}: {e}"))),
            }
        }
    }
}

/// How many times a call is sent at most when the connection fails.
const ATTEMPTS: u64 = 3;
