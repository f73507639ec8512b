//! Who calls AWS: the configuration's own identity, or the role a Task's
//! Credentials name, which Step Functions assumes for the call (a
//! cross-account task). Each identity has its own clients; an assumed
//! role's come from STS (AssumeRole, through the configuration's
//! credentials), made when a Task first names it and kept for the run.
//! An identity's credentials are kept once provided, for all its clients,
//! until shortly before they expire: a provider need not keep them (an
//! assumed role's asks STS each time, the standard chain may read files or
//! the instance metadata service), and the signed calls of services
//! without an SDK crate have no cache of their own.

use super::{generic, Endpoints};
use aws_config::SdkConfig;
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// The clients of one identity, sharing its configuration.
pub(super) struct Clients {
    pub emr: aws_sdk_emr::Client,
    pub batch: aws_sdk_batch::Client,
    pub ecs: aws_sdk_ecs::Client,
    pub lambda: aws_sdk_lambda::Client,
    /// Every other service: signed calls without an SDK crate.
    pub generic: generic::Generic,
}

/// A client of one service, at `endpoint` when given.
macro_rules! client {
    ($sdk:ident, $config:expr, $endpoint:expr) => {
        match $endpoint {
            Some(url) => $sdk::Client::from_conf($sdk::config::Builder::from($config).endpoint_url(url).build()),
            None => $sdk::Client::new($config),
        }
    };
}

impl Clients {
    fn new(config: &SdkConfig, endpoints: &Endpoints) -> Clients {
        Clients {
            emr: client!(aws_sdk_emr, config, &endpoints.emr),
            batch: client!(aws_sdk_batch, config, &endpoints.batch),
            ecs: client!(aws_sdk_ecs, config, &endpoints.ecs),
            lambda: client!(aws_sdk_lambda, config, &endpoints.lambda),
            generic: generic::Generic::new(config, endpoints.others.clone()),
        }
    }
}

/// How long before they expire credentials are provided again.
const RENEW_BEFORE_EXPIRY: Duration = Duration::from_secs(300);

/// A provider whose credentials are kept until shortly before they expire.
#[derive(Debug)]
struct Kept {
    provider: SharedCredentialsProvider,
    last: Mutex<Option<Credentials>>,
    /// The role the provider assumes, which its errors name.
    role: Option<String>,
}

impl ProvideCredentials for Kept {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let fresh = |c: &Credentials| c.expiry().is_none_or(|e| e > SystemTime::now() + RENEW_BEFORE_EXPIRY);
            let last = self.last.lock().unwrap_or_else(|p| p.into_inner()).clone();
            if let Some(c) = last.filter(fresh) {
                return Ok(c);
            }
            let provided = self.provider.provide_credentials().await.map_err(|e| match &self.role {
                Some(role) => aws_credential_types::provider::error::CredentialsError::provider_error(format!(
                    "{} {role} that the state's Credentials name, with sfc's own credentials: {}",
                    super::error::ASSUMING,
                    super::error::messages(&e)
                )),
                None => e,
            })?;
            *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(provided.clone());
            Ok(provided)
        })
    }
}

/// `config` calling with `provider`'s credentials (those of `role`, when
/// it assumes one), kept.
fn calling_as(config: &SdkConfig, provider: SharedCredentialsProvider, role: Option<&str>) -> SdkConfig {
    let kept = Kept { provider, last: Mutex::default(), role: role.map(str::to_string) };
    config.to_builder().credentials_provider(SharedCredentialsProvider::new(kept)).build()
}

/// How many assumed roles keep their clients at once: a RoleArn read from
/// the data can name a new role for every item of a Map.
const MAX_ROLES: usize = 64;

/// The clients of every identity a run calls as.
pub(super) struct Identities {
    config: SdkConfig,
    endpoints: Endpoints,
    own: Rc<Clients>,
    assumed: RefCell<HashMap<String, Rc<Clients>>>,
}

impl Identities {
    pub fn new(config: &SdkConfig, endpoints: &Endpoints) -> Identities {
        // Assuming a role needs a time source (the session name, the
        // credentials' expiry); a configuration made by hand may have none.
        let config = match config.time_source() {
            Some(_) => config.clone(),
            None => config.to_builder().time_source(aws_smithy_async::time::SharedTimeSource::default()).build(),
        };
        // STS is called with the configuration's own credentials, kept too.
        let config = match config.credentials_provider() {
            Some(p) => calling_as(&config, p, None),
            None => config,
        };
        Identities { own: Rc::new(Clients::new(&config, endpoints)), config, endpoints: endpoints.clone(), assumed: RefCell::default() }
    }

    /// The clients that call as `role` (the configuration's own without one).
    pub async fn clients(&self, role: Option<&str>) -> Rc<Clients> {
        let Some(role) = role else { return self.own.clone() };
        if let Some(c) = self.assumed.borrow().get(role) {
            return c.clone();
        }
        // Credentials come from STS when a call first needs them, and are
        // renewed before they expire; a role that cannot be assumed fails
        // that call, its cause naming the role and STS's answer.
        let provider = aws_config::sts::AssumeRoleProvider::builder(role).session_name("sfc").configure(&self.config).build().await;
        let config = calling_as(&self.config, SharedCredentialsProvider::new(provider), Some(role));
        let clients = Rc::new(Clients::new(&config, &self.endpoints));
        let mut assumed = self.assumed.borrow_mut();
        if assumed.len() >= MAX_ROLES {
            assumed.clear();
        }
        assumed.insert(role.to_string(), clients.clone());
        clients
    }
}
