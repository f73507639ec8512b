//! Task resources: ARNs of service integrations, activities and Lambda
//! functions, or any other URI AWS may route.

use super::{kind, Ctx};
use crate::diag::Diagnostic;
use crate::json::Pointer;
use serde_json::Value;
use sfc_asl::resource::check_uri;

pub(crate) fn check_resource(ctx: &mut Ctx, v: &Value, at: &Pointer) {
    let s = match v {
        Value::String(s) => s,
        // A CloudFormation function can never be a literal ARN: it is
        // unambiguously resolved by the deployment tool, so it is accepted.
        Value::Object(o) if is_cloudformation(o) => return,
        other => {
            let help = "give the ARN as a string, or a CloudFormation function (Fn::GetAtt, Ref)";
            return ctx.push(
                Diagnostic::error("INVALID_RESOURCE", format!("Resource must be a string, not {}", kind(other)))
                    .at(at.as_str())
                    .with_help(help),
            );
        }
    };
    let text = if ctx.opts.allow_placeholders { substitute_placeholders(s) } else { s.clone() };
    if text == PLACEHOLDER {
        return; // the whole ARN is substituted at deployment
    }
    if let Err(problem) = check_uri(&text) {
        let mut d = Diagnostic::error("INVALID_RESOURCE", format!("Resource {s:?} {problem}")).at(at.as_str());
        if s.contains("${") && !ctx.opts.allow_placeholders {
            d.help = Some("fill ${...} DefinitionSubstitutions with --sub NAME=VALUE or --sub-file TEMPLATE (JSON or YAML), or accept them with --allow-placeholders".into());
        }
        ctx.push(d);
    }
}

fn is_cloudformation(o: &serde_json::Map<String, Value>) -> bool {
    o.len() == 1 && o.keys().all(|k| k == "Ref" || k.starts_with("Fn::"))
}

const PLACEHOLDER: &str = "placeholder";

/// Replaces each well-formed `${name}` with a neutral word.
fn substitute_placeholders(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        match rest[i..].find('}') {
            Some(j) if j > 2 => {
                out.push_str(&rest[..i]);
                out.push_str(PLACEHOLDER);
                rest = &rest[i + j + 1..];
            }
            _ => break,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_words() {
        assert_eq!(substitute_placeholders("${a}:x:${b}"), "placeholder:x:placeholder");
        assert_eq!(substitute_placeholders("${lambdaArn"), "${lambdaArn");
    }
}
