//! What one expression may cost: time, stack depth, sequence length (in
//! jsonata-core's options), memory (counted by [`crate::alloc_budget`])
//! and `$pad`'s width, the one built-in that builds a large value in a
//! single step, before the memory count could stop it. Past any bound the
//! state fails with States.QueryEvaluationError, as for any expression AWS
//! cannot evaluate, instead of running for ever or filling memory.

use super::functions::err;
use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{CancelToken, Evaluator, EvaluatorOptions};
use jsonata_core::value::JValue;

/// Bytes an expression may hold live while it is evaluated: far above
/// what a 256 KiB payload needs, far below what harms the machine.
pub const MAX_EVALUATION_BYTES: usize = 128 << 20;

/// The widest `$pad` sfc evaluates, in characters (64 MiB of 4-byte ones).
pub const MAX_PAD_WIDTH: f64 = 16_777_216.0;

/// The host function every `$pad` argument passes through (see
/// [`guard_pad_widths`]). Its name has spaces, which no `$name` in an
/// expression can: only the rewritten calls reach it.
const PAD_GUARD: &str = "sfc pad argument";

pub(super) fn options(cancel: &CancelToken) -> EvaluatorOptions {
    EvaluatorOptions {
        timeout_ms: Some(2_000),
        max_stack_depth: Some(10_000),
        max_sequence_length: Some(1_000_000),
        cancel: Some(cancel.clone()),
    }
}

pub(super) fn register_guards(ev: &mut Evaluator) {
    let _ = ev.register_fn(PAD_GUARD, |args: &[JValue]| match args.first() {
        Some(JValue::Number(n)) if n.abs() > MAX_PAD_WIDTH => {
            Err(err(format!("$pad: the width {n} is wider than the {MAX_PAD_WIDTH} characters sfc builds in one string")))
        }
        Some(v) => Ok(v.clone()),
        None => Ok(JValue::Undefined),
    });
}

/// Wraps each argument of every `$pad(...)` call in the guard, which lets
/// every value through except a number past the width bound. The call
/// itself stays the built-in, so its signature checks and its use of the
/// context (`"ab" ~> $pad(5)`) are unchanged.
pub(super) fn guard_pad_widths(root: &mut AstNode) {
    super::tree::each_node(root, |node| {
        if let AstNode::Function { name, args, is_builtin: true } = node {
            if name == "pad" {
                for arg in args.iter_mut() {
                    let inner = std::mem::replace(arg, AstNode::Undefined);
                    *arg = AstNode::Function { name: PAD_GUARD.into(), args: vec![inner], is_builtin: true };
                }
            }
        }
    });
}
