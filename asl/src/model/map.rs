//! The Map state and its parts: processor, reader, batcher, writer.

use super::states::NullablePath;
use super::{Catcher, Dynamic, QueryLanguage, Retrier, StateMachine};
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

/// `ItemProcessor` (or the legacy `Iterator`): a state machine, with a
/// `ProcessorConfig` in the processor form.
pub type Processor = StateMachine;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Map {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub input_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub items: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub item_selector: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub parameters: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_processor: Option<Processor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iterator: Option<Processor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_reader: Option<ItemReader>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_batcher: Option<ItemBatcher>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_writer: Option<ResultWriter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<Dynamic<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrency_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_count: Option<Dynamic<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_count_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_percentage: Option<Dynamic<Number>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_percentage_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub result_selector: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub result_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub assign: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<Retrier>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<Catcher>>,
}

impl Map {
    /// The processor, in whichever of its two spellings the state uses.
    pub fn processor(&self) -> Option<&Processor> {
        self.item_processor.as_ref().or(self.iterator.as_ref())
    }

    /// Whether its items run as child executions (a Map Run).
    pub fn is_distributed(&self) -> bool {
        self.processor().and_then(|p| p.processor_config.as_ref()).and_then(|c| c.mode) == Some(ProcessorMode::Distributed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ProcessorMode {
    Inline,
    Distributed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ExecutionType {
    Standard,
    Express,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ProcessorConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<ProcessorMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_type: Option<ExecutionType>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ItemReader {
    pub resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub parameters: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub arguments: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader_config: Option<ReaderConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ReaderConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "CSVHeaderLocation")]
    pub csv_header_location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "CSVHeaders")]
    pub csv_headers: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "CSVDelimiter")]
    pub csv_delimiter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<Dynamic<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ItemBatcher {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items_per_batch: Option<Dynamic<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items_per_batch_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_input_bytes_per_batch: Option<Dynamic<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_input_bytes_per_batch_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub batch_input: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ResultWriter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub parameters: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub arguments: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub writer_config: Option<Value>,
}
