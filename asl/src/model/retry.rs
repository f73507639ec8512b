//! Retry and Catch.

use super::states::NullablePath;
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

/// `JitterStrategy` of a retrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Jitter {
    Full,
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_rate: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter_strategy: Option<Jitter>,
}

impl Retrier {
    /// IntervalSeconds, defaulting to 1 as the specification says.
    pub fn interval(&self) -> u64 {
        self.interval_seconds.unwrap_or(1)
    }

    /// MaxAttempts, defaulting to 3.
    pub fn attempts(&self) -> u64 {
        self.max_attempts.unwrap_or(3)
    }

    /// BackoffRate, defaulting to 2.0.
    pub fn backoff(&self) -> f64 {
        self.backoff_rate.as_ref().and_then(Number::as_f64).unwrap_or(2.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub next: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub result_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub assign: Option<Value>,
}
