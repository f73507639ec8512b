//! The errors of the Step Functions API, as AWS shapes them: HTTP 400 and
//! `{"__type": "<Code>", "message": "..."}`, which every SDK reads.

/// One API error: AWS's code and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into() }
    }

    /// A request member fails AWS's constraints.
    pub fn validation(message: impl Into<String>) -> ApiError {
        ApiError::new("ValidationException", message)
    }

    /// The body is not the JSON the operation takes.
    pub fn serialization(message: impl Into<String>) -> ApiError {
        ApiError::new("SerializationException", message)
    }

    pub fn execution_does_not_exist(arn: &str) -> ApiError {
        ApiError::new("ExecutionDoesNotExist", format!("Execution Does Not Exist: '{arn}'"))
    }

    pub fn invalid_arn(arn: &str) -> ApiError {
        ApiError::new("InvalidArn", format!("Invalid Arn: '{arn}'"))
    }

    /// The HTTP status AWS answers it with.
    pub fn status(&self) -> u16 {
        match self.code {
            "UnknownOperationException" | "SerializationException" | "ValidationException" => 400,
            _ => 400,
        }
    }

    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({"__type": self.code, "message": self.message})
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

pub type ApiResult<T> = Result<T, ApiError>;
