//! What commands take from files: definitions (through the library's one
//! source loader, `sfc_compiler::load`), inputs and mock files, each
//! failure a [`CliError`] ready to print.

use crate::CliError;
use sfc_asl::Definition;
use sfc_compiler::diag::{self, Diagnostic};
use sfc_compiler::load::{self, Checked, Kind};
use sfc_compiler::source;
use sfc_compiler::validate;
use std::io::Read;
use std::path::Path;

/// The options every command that reads a definition takes.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SourceArgs {
    /// Set a compile-time parameter of a `.sfc` workflow: `--set env=prod`
    /// (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_set)]
    pub set: Vec<(String, String)>,
    /// Accept `${name}` DefinitionSubstitutions placeholders in Resource
    /// ARNs, as CloudFormation, SAM and CDK fill them in at deployment.
    #[arg(long)]
    pub allow_placeholders: bool,
    /// Skip path syntax checks (for definitions whose paths a template
    /// engine fills in).
    #[arg(long)]
    pub no_path_checks: bool,
    /// Require JSONata expressions to be written exactly `{% expr %}`
    /// (asl-validator's convention; AWS only requires the delimiters).
    #[arg(long)]
    pub strict_jsonata_spacing: bool,
    /// Fill in a DefinitionSubstitutions placeholder: `--sub Name=value`
    /// replaces `${Name}` in an ASL definition (repeatable).
    #[arg(long = "sub", value_name = "NAME=VALUE", value_parser = parse_set)]
    pub sub: Vec<(String, String)>,
    /// DefinitionSubstitutions from a file: a map of names and values, or
    /// a CloudFormation/SAM template (its state machine's
    /// DefinitionSubstitutions; with several, the one whose DefinitionUri
    /// names the definition), in JSON or YAML. Values the template computes
    /// become placeholders of the right shape, each said on standard error.
    #[arg(long, value_name = "FILE")]
    pub sub_file: Option<std::path::PathBuf>,
}

impl SourceArgs {
    /// The loader's options for `definition`; a `--sub-file` that cannot
    /// be read is an error naming it.
    pub fn options(&self, definition: &Path) -> Result<load::Options, String> {
        Ok(load::Options {
            set: self.set.clone(),
            substitutions: self.substitutions(definition)?,
            validate: validate::Options {
                allow_placeholders: self.allow_placeholders,
                check_paths: !self.no_path_checks,
                strict_jsonata_spacing: self.strict_jsonata_spacing,
            },
        })
    }
}

impl SourceArgs {
    /// `--sub-file`'s substitutions, then `--sub`'s (which win). Each
    /// placeholder standing for a value the template computes is said on
    /// standard error.
    fn substitutions(&self, definition: &Path) -> Result<Vec<(String, String)>, String> {
        let (mut pairs, computed) = self.substitution_file(definition)?;
        for name in computed {
            let value = pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str()).unwrap_or_default();
            let shown = self.sub_file.as_deref().map(Path::display).map(|d| d.to_string()).unwrap_or_default();
            eprintln!("note: {shown}: {name} is computed at deployment; using {value}");
        }
        pairs.extend(self.sub.iter().cloned());
        Ok(pairs)
    }

    /// `--sub-file`'s substitutions, and the names of those whose values
    /// the template computes and `--sub` does not give (placeholders).
    pub fn substitution_file(&self, definition: &Path) -> Result<(sfc_compiler::substitutions::Substitutions, Vec<String>), String> {
        let Some(file) = &self.sub_file else { return Ok(Default::default()) };
        let text = source::read(file).map_err(|e| e.to_string())?;
        let (pairs, mut computed) = sfc_compiler::substitutions::from_file(&text, &file.display().to_string(), Some(definition))?;
        computed.retain(|name| !self.sub.iter().any(|(k, _)| k == name));
        Ok((pairs, computed))
    }
}

/// `key=value` for `--set` and `--tags`.
pub fn parse_set(s: &str) -> Result<(String, String), String> {
    s.split_once('=').map(|(k, v)| (k.trim().to_string(), v.to_string())).ok_or_else(|| format!("expected KEY=VALUE, got {s:?}"))
}

/// Reads and checks a definition; a file that cannot be read is a usage
/// error (exit 2).
pub fn check(path: &Path, args: &SourceArgs) -> Result<Checked, CliError> {
    let options = args.options(path).map_err(CliError::Usage)?;
    load::check(path, &options).map_err(|e| CliError::usage(e.to_string()))
}

/// The valid ASL of `path`, warnings shown on standard error; errors are
/// rendered with their positions in an [`CliError::Invalid`].
pub fn definition_value(path: &Path, args: &SourceArgs) -> Result<serde_json::Value, CliError> {
    definition_and_plan(path, args).map(|(asl, _)| asl)
}

/// [`definition_value`] and the workflow's deployment plan (its triggers
/// and alarms; empty for ASL).
pub fn definition_and_plan(path: &Path, args: &SourceArgs) -> Result<(serde_json::Value, sfc_asl::deploy_plan::Plan), CliError> {
    let checked = check(path, args)?;
    let shown = path.display().to_string();
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = checked.diagnostics.into_iter().partition(Diagnostic::is_error);
    if !warnings.is_empty() {
        eprint!("{}", diag::render(&warnings, &shown, &checked.text));
    }
    match checked.asl {
        Some(asl) if errors.is_empty() => {
            let plan =
                checked.plan.unwrap_or_else(|| sfc_asl::deploy_plan::Plan { state_machine: machine_name(path), ..Default::default() });
            Ok((asl, plan))
        }
        _ => {
            let what = match checked.kind {
                Kind::Workflow => format!("{shown}: {} error(s)", errors.len()),
                Kind::Asl => format!("{shown} is not a valid state machine ({} error(s))", errors.len()),
            };
            Err(CliError::Invalid(format!("{}error: {what}\n", diag::render(&errors, &shown, &checked.text))))
        }
    }
}

/// [`definition_value`] loaded into the model.
pub fn definition(path: &Path, args: &SourceArgs) -> Result<Definition, CliError> {
    let value = definition_value(path, args)?;
    Definition::from_value(value).map_err(|e| CliError::Invalid(format!("error: {}: {e}\n", path.display())))
}

/// The machine's name (a workflow's `workflow "Name"`, else the file's).
pub fn machine_name(path: &Path) -> String {
    load::machine_name(path)
}

/// The execution input from a file, `-` (standard input), or `{}`.
pub fn input(arg: Option<&str>) -> Result<serde_json::Value, String> {
    let limit = sfc_runtime::MAX_PAYLOAD_BYTES;
    let too_large = |name: &str, size: u64| format!("{name}: the input is {size} bytes; AWS accepts at most {limit} (256 KiB)");
    // The size is AWS's limit on the input text as sent: checked before
    // the text is read whole or parsed.
    let (text, name) = match arg {
        None => return Ok(serde_json::json!({})),
        Some("-") => {
            let mut bytes = Vec::new();
            std::io::stdin().take(limit as u64 + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read standard input: {e}"))?;
            if bytes.len() > limit {
                return Err(format!("<stdin>: the input is more than {limit} bytes; AWS accepts at most {limit} (256 KiB)"));
            }
            (source::decode(bytes, "<stdin>").map_err(|e| e.to_string())?, "<stdin>".to_string())
        }
        Some(f) => {
            let size = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
            if size > limit as u64 {
                return Err(too_large(f, size));
            }
            (source::read(Path::new(f)).map_err(|e| e.to_string())?, f.to_string())
        }
    };
    if text.len() > limit {
        return Err(too_large(&name, text.len() as u64));
    }
    json(&text, &name, "the input")
}

/// Parses JSON text, an error naming the file, line and column.
fn json(text: &str, name: &str, what: &str) -> Result<serde_json::Value, String> {
    let parsed = sfc_compiler::json::parse(text).map_err(|e| {
        let lc = sfc_compiler::json::LineIndex::new(text).line_col(e.offset);
        format!("{name}:{}:{}: {what} is not JSON: {}", lc.line, lc.column, e.message)
    })?;
    Ok(parsed.value)
}

/// Reads and checks a mock file; the error names the file and the entry.
pub fn mocks(path: &Path) -> Result<sfc_runtime::mock::MockConfig, String> {
    let text = source::read(path).map_err(|e| e.to_string())?;
    let value = json(&text, &path.display().to_string(), "the mock file")?;
    sfc_runtime::mock::MockConfig::parse(&value).map_err(|e| format!("{}: {e}", path.display()))
}
