//! The sfc front end: the workflow language, a JSON loader that keeps
//! positions, the validator and graphs. The ASL model itself is `sfc_asl`.
//!
//! ```
//! let src = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;
//! let report = sfc_compiler::validate::validate_source(src, &Default::default());
//! assert!(report.is_valid());
//! let def = sfc_asl::Definition::from_value(report.value.unwrap()).unwrap();
//! assert_eq!(def.machine.start_at, "A");
//! ```
#![forbid(unsafe_code)]

pub mod cfn;
pub mod diag;
pub mod graph;
pub mod json;
pub mod lang;
pub mod load;
pub mod source;
pub mod substitutions;
pub mod validate;
pub mod yaml;
