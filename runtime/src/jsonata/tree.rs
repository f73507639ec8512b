//! A walk over every node of an expression's syntax tree, the one place
//! that knows which nodes hold others. With a stack of its own, not by
//! recursion: the tree may be as deep as the parser allows, and an
//! expression is first parsed wherever an execution evaluates it.

use jsonata_core::ast::{AstNode, Stage};

/// Calls `visit` on every node, a node before the nodes it holds (after
/// `visit` changed it, if it did).
pub(super) fn each_node(root: &mut AstNode, mut visit: impl FnMut(&mut AstNode)) {
    let mut stack: Vec<&mut AstNode> = vec![root];
    while let Some(node) = stack.pop() {
        visit(node);
        match node {
            AstNode::Function { args, .. } | AstNode::Array(args) | AstNode::Block(args) | AstNode::ArrayGroup(args) => {
                stack.extend(args.iter_mut())
            }
            AstNode::Call { procedure, args } => {
                stack.push(procedure);
                stack.extend(args.iter_mut());
            }
            AstNode::Path { steps } => {
                for step in steps.iter_mut() {
                    stack.push(&mut step.node);
                    stack.extend(step.stages.iter_mut().filter_map(|s| match s {
                        Stage::Filter(f) => Some(&mut **f),
                        Stage::KeepArray | Stage::Index(_) => None,
                    }));
                }
            }
            AstNode::Binary { lhs, rhs, .. } => stack.extend([&mut **lhs, &mut **rhs]),
            AstNode::Unary { operand: one, .. } | AstNode::Lambda { body: one, .. } | AstNode::FunctionApplication(one) => stack.push(one),
            AstNode::Object(pairs) => stack.extend(pairs.iter_mut().flat_map(|(k, v)| [k, v])),
            AstNode::ObjectTransform { input, pattern } => {
                stack.push(input);
                stack.extend(pattern.iter_mut().flat_map(|(k, v)| [k, v]));
            }
            AstNode::Conditional { condition, then_branch, else_branch } => {
                stack.extend([&mut **condition, &mut **then_branch]);
                stack.extend(else_branch.as_deref_mut());
            }
            AstNode::Sort { input, terms } => {
                stack.push(input);
                stack.extend(terms.iter_mut().map(|(t, _)| t));
            }
            AstNode::Transform { location, update, delete } => {
                stack.extend([&mut **location, &mut **update]);
                stack.extend(delete.as_deref_mut());
            }
            // Listed rather than matched by `_`: a kind of node a later
            // jsonata-core adds must be looked at here.
            AstNode::String(_)
            | AstNode::Name(_)
            | AstNode::Number(_)
            | AstNode::Boolean(_)
            | AstNode::Null
            | AstNode::Undefined
            | AstNode::Placeholder
            | AstNode::Regex { .. }
            | AstNode::Variable(_)
            | AstNode::ParentVariable(_)
            | AstNode::Parent(_)
            | AstNode::Wildcard
            | AstNode::Descendant => {}
        }
    }
}
