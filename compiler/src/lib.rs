//! The sfc front end: the Amazon States Language model, a JSON loader that
//! keeps positions, and the validator.
//!
//! ```
//! let src = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;
//! let report = sfc_compiler::validate::validate_source(src, &Default::default());
//! assert!(report.is_valid());
//! let def = sfc_compiler::asl::Definition::from_value(report.value.unwrap()).unwrap();
//! assert_eq!(def.machine.start_at, "A");
//! ```
#![forbid(unsafe_code)]

pub mod asl;
pub mod diag;
pub mod graph;
pub mod intrinsic;
pub mod json;
pub mod lang;
pub mod paths;
pub mod source;
pub mod suggest;
pub mod validate;
