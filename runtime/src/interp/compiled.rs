//! What the interpreter compiles of a machine's parts, kept by their
//! addresses: per execution, or with a prepared machine for all of its.

use sfc_asl::StateMachine;
use std::cell::RefCell;

/// The parts of a machine the interpreter compiles on first use.
#[derive(Default)]
pub(crate) struct Compiled {
    pub(super) templates: ByAddress<crate::template::Compiled>,
    pub(super) choices: ByAddress<crate::choice::Compiled>,
    /// Each machine, branch and Map processor as a table of its states.
    pub(super) tables: ByAddress<super::table::Table>,
}

/// A machine prepared to run many times (the API server's): what its
/// executions compile of it (state tables, payload templates, Choice
/// rules) is kept with it and shared, so only its first execution pays for
/// it. The compiled parts are kept by the addresses of the machine's
/// parts, which live as long as this does.
pub struct Prepared {
    pub machine: StateMachine,
    pub(crate) compiled: std::rc::Rc<Compiled>,
    /// Whether any part of the machine can read the context object: when
    /// none can, its executions do not copy their input into it.
    pub(crate) reads_context: bool,
}

impl Prepared {
    pub fn new(machine: StateMachine) -> Prepared {
        let reads_context = can_read_context(&machine);
        Prepared { machine, compiled: Default::default(), reads_context }
    }

    /// How many templates, Choice rule lists and state tables were
    /// compiled so far.
    pub fn compiled_parts(&self) -> (usize, usize, usize) {
        let c = &self.compiled;
        (c.templates.0.borrow().len(), c.choices.0.borrow().len(), c.tables.0.borrow().len())
    }
}

/// Whether `machine` can read the context object, erring towards yes: some
/// text in it (a key or a value) holds `$$` (a JSONPath path or intrinsic
/// argument reading it), or is a JSONata expression that can reach
/// `$states.context` (see [`crate::jsonata::can_reach_context`]).
fn can_read_context(machine: &StateMachine) -> bool {
    let reads = |s: &str| s.contains("$$") || crate::jsonata::expression(s).is_some_and(crate::jsonata::can_reach_context);
    serde_json::to_value(machine).map_or(true, |tree| any_text(&tree, &reads))
}

/// Whether any key or string in `v` is one `test` accepts. The depth is
/// that of a definition, which its parser bounded.
fn any_text(v: &serde_json::Value, test: &dyn Fn(&str) -> bool) -> bool {
    match v {
        serde_json::Value::String(s) => test(s),
        serde_json::Value::Array(items) => items.iter().any(|i| any_text(i, test)),
        serde_json::Value::Object(m) => m.iter().any(|(k, v)| test(k) || any_text(v, test)),
        _ => false,
    }
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.machine.fmt(f)
    }
}

/// What the interpreter derives from parts of the machine (compiled
/// templates, Choice rules), made on first use and kept by the part's
/// address: the machine is borrowed for the whole execution, so an address
/// names one part.
pub(super) struct ByAddress<T>(RefCell<std::collections::HashMap<usize, std::rc::Rc<T>, foldhash::fast::RandomState>>);

impl<T> Default for ByAddress<T> {
    fn default() -> Self {
        ByAddress(RefCell::default())
    }
}

impl<T> ByAddress<T> {
    pub(super) fn get<S: ?Sized>(&self, source: &S, make: impl FnOnce(&S) -> T) -> std::rc::Rc<T> {
        let key = source as *const S as *const () as usize;
        if let Some(found) = self.0.borrow().get(&key) {
            return found.clone();
        }
        let made = std::rc::Rc::new(make(source));
        self.0.borrow_mut().insert(key, made.clone());
        made
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn reads(v: serde_json::Value) -> bool {
        super::Prepared::new(serde_json::from_value(v).unwrap()).reads_context
    }

    /// A machine keeps its input for `$$` exactly when some part of it can
    /// read the context: a `$$` path or intrinsic argument, or a JSONata
    /// expression that can reach `$states.context` (one that does not
    /// parse counts), at any depth.
    #[test]
    fn a_machine_reads_the_context_through_dollar_dollar_or_jsonata() {
        let pass = |fields: serde_json::Value| {
            let mut s = json!({"Type": "Pass", "End": true});
            s.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
            json!({"StartAt": "P", "States": {"P": s}})
        };
        assert!(!reads(pass(json!({"Result": {"step": 0}, "ResultPath": "$.last"}))));
        assert!(!reads(pass(json!({"Parameters": {"a.$": "$.x", "b.$": "States.Format('{}', $.y)"}}))));
        assert!(reads(pass(json!({"Parameters": {"a.$": "$$.Execution.Input"}}))));
        assert!(reads(pass(json!({"Parameters": {"a.$": "States.Format('{}', $$.Execution.Id)"}}))));
        assert!(reads(pass(json!({"InputPath": "$$.Execution.Input"}))));
        assert!(!reads(pass(json!({"QueryLanguage": "JSONata", "Output": "{% $states.input %}"}))));
        assert!(!reads(json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})));
        assert!(reads(pass(json!({"QueryLanguage": "JSONata", "Output": {"id": "{% $states.context.Execution.Id %}"}}))));
        assert!(reads(pass(json!({"QueryLanguage": "JSONata", "Output": "{% $lookup($states, 'context') %}"}))));
        assert!(reads(pass(json!({"QueryLanguage": "JSONata", "Output": "{% $states.input.( %}"}))));
        let nested = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {
            "StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D",
                "Choices": [{"Variable": "$$.Map.Item.Index", "NumericEquals": 0, "Next": "D"}]},
                "D": {"Type": "Succeed"}}}}}});
        assert!(reads(nested));
    }
}
