//! Task resources: ARNs of service integrations, activities and Lambda
//! functions, or any other URI AWS may route.

use super::{kind, Ctx};
use crate::diag::Diagnostic;
use crate::json::Pointer;
use serde_json::Value;

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
            d.help = Some("${...} DefinitionSubstitutions are accepted with --allow-placeholders".into());
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

fn check_uri(s: &str) -> Result<(), String> {
    let Some((scheme, rest)) = s.split_once(':') else {
        return Err("is not an ARN or URI: it has no ':'".into());
    };
    let scheme_ok = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    if !scheme_ok || rest.is_empty() || s.chars().any(char::is_whitespace) {
        return Err("is not an ARN or URI".into());
    }
    if scheme == "arn" {
        check_arn(s)?;
    }
    Ok(())
}

/// `arn:partition:service:region:account:resource`.
fn check_arn(s: &str) -> Result<(), String> {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    if parts.len() < 6 {
        return Err("is not a complete ARN (arn:partition:service:region:account:resource)".into());
    }
    let [_, partition, service, region, account, resource] = [parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]];
    let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !word(partition) || !word(service) {
        return Err("has an invalid partition or service".into());
    }
    if !(region.is_empty() || word(region)) || !account.chars().all(|c| c.is_ascii_digit()) {
        return Err("has an invalid region or account id".into());
    }
    if resource.is_empty() {
        return Err("names no resource".into());
    }
    if service == "lambda" {
        check_lambda(resource)?;
    }
    Ok(())
}

/// `function:NAME` with an optional `:VERSION` or `:ALIAS`.
fn check_lambda(resource: &str) -> Result<(), String> {
    let mut parts = resource.split(':');
    if parts.next() != Some("function") {
        return Ok(());
    }
    let ident = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(name), None, None) if ident(name) => Ok(()),
        (Some(name), Some(q), None) if ident(name) && (q == "$LATEST" || ident(q)) => Ok(()),
        _ => Err("is not a valid Lambda function ARN (function:NAME, optionally :VERSION or :ALIAS)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_and_uris() {
        for ok in [
            "arn:aws:states:::lambda:invoke",
            "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
            "arn:aws:states:us-east-1:1:activity:a",
            "foo:bar",
            "arn:aws:states:::aws-sdk:s3:getObject",
        ] {
            assert_eq!(check_uri(ok), Ok(()), "{ok}");
        }
        for bad in [
            "${lambdaArn",
            "arn:aws:lambda:r-1:1:function:F:",
            "arn:aws:lambda:r-1:1:function:F:$*#$7485",
            "arn:aws",
            "has space:x",
            "noscheme",
        ] {
            assert!(check_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn placeholders_become_words() {
        assert_eq!(substitute_placeholders("${a}:x:${b}"), "placeholder:x:placeholder");
        assert_eq!(substitute_placeholders("${lambdaArn"), "${lambdaArn");
    }
}
