//! The Amazon States Language as data, shared by the compiler, the
//! validator and the interpreter — the one place this knowledge lives:
//!
//! - the model ([`StateMachine`], [`State`], ...), serde types that mirror
//!   the specification's field names;
//! - [`paths`]: path syntax, one parser for validator and interpreter;
//! - [`intrinsic`]: intrinsic function signatures and their parser;
//! - [`resource`]: a Task's `Resource` ARN taken apart once;
//! - [`fields`]: which fields each state type takes;
//! - [`timestamp`]: the timestamps ASL takes;
//! - [`parts`]: the parts of a machine a run exercises (coverage);
//! - [`suggest`]: "did you mean" for names of all of these;
//! - [`integrations`]: the service integrations, their parameters and
//!   `.sync` behaviour, read by the language and the real-call backends.
//!
//! ```
//! let def: sfc_asl::StateMachine = serde_json::from_str(
//!     r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync", "End": true}}}"#,
//! ).unwrap();
//! let sfc_asl::State::Task(task) = &def.states["A"] else { unreachable!() };
//! let resource = sfc_asl::resource::Resource::parse(&task.resource);
//! assert_eq!(resource.integration(), Some(("batch", "submitJob")));
//! assert_eq!(resource.pattern(), sfc_asl::resource::Pattern::Sync);
//! ```
#![forbid(unsafe_code)]

pub mod deploy_plan;
pub mod fields;
pub mod integrations;
pub mod intrinsic;
mod model;
pub mod parts;
pub mod paths;
pub mod policy;
pub mod resource;
pub mod suggest;
pub mod timestamp;

pub use model::*;
