//! Shared by the API tests and the load example.

/// aws-sdk-sfn sends StartSyncExecution to `sync-<endpoint host>`, which
/// does not resolve for a loopback address (boto3 has
/// `inject_host_prefix=False`, the Rust SDK no switch): this puts the
/// request back on the endpoint. The README says so for users.
#[derive(Debug)]
pub struct NoHostPrefix;

impl aws_sdk_sfn::config::Intercept for NoHostPrefix {
    fn name(&self) -> &'static str {
        "NoHostPrefix"
    }

    fn modify_before_signing(
        &self,
        context: &mut aws_sdk_sfn::config::interceptors::BeforeTransmitInterceptorContextMut<'_>,
        _: &aws_sdk_sfn::config::RuntimeComponents,
        _: &mut aws_sdk_sfn::config::ConfigBag,
    ) -> Result<(), aws_sdk_sfn::error::BoxError> {
        let uri = context.request().uri().replace("://sync-", "://");
        context.request_mut().set_uri(uri)?;
        Ok(())
    }
}
