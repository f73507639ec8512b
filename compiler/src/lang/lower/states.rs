//! One statement to its state (or, for control flow, its states).

use super::clauses::{catches, flow};
use super::{Handler, Lowerer};
use crate::lang::ast::*;
use crate::lang::values::Lowered;
use serde_json::{json, Map, Value as Json};

impl Lowerer<'_> {
    pub(super) fn stmt(&mut self, s: &Stmt, next: Option<String>, handlers: &[Handler]) -> Option<String> {
        let name = self.name_of(s);
        match &s.kind {
            StmtKind::Import(_) => next,
            StmtKind::Goto(target) => {
                self.gotos.push(target.clone());
                Some(target.node.clone())
            }
            StmtKind::Pass { clauses, .. } => self.pass(s, name, &next, clauses),
            StmtKind::Succeed { clauses, .. } => self.succeed(s, name, clauses),
            StmtKind::Fail { error, cause, clauses, .. } => self.fail(s, name, error, cause.as_ref(), clauses),
            StmtKind::Wait { how, clauses, .. } => self.wait(s, name, &next, how, clauses),
            StmtKind::Raw { state, .. } => self.raw(s, name, &next, state),
            StmtKind::Task { resource, args, clauses, .. } => {
                let mut st = json!({"Type": "Task"});
                st["Resource"] = self.resource(resource, args.as_ref()).into();
                if let Some(a) = args {
                    st["Parameters"] = self.values.template(a);
                }
                self.finish(s, name, st, clauses, handlers, &next)
            }
            StmtKind::Parallel { branches, clauses, .. } => {
                let mut st = json!({"Type": "Parallel"});
                st["Branches"] = Json::Array(branches.iter().map(|b| self.sub_machine(b)).collect());
                self.finish(s, name, st, clauses, handlers, &next)
            }
            StmtKind::Map { items, options, body, clauses, .. } => {
                let st = self.map(items, options, body);
                self.finish(s, name, st, clauses, handlers, &next)
            }
            StmtKind::If { arms, otherwise, .. } => self.if_else(s, name, next, arms, otherwise.as_deref(), handlers),
            StmtKind::Switch { on, cases, default, .. } => self.switch(s, name, next, on, cases, default.as_deref(), handlers),
            StmtKind::While { cond, body, .. } => self.while_loop(s, name, next, cond, body, handlers),
            StmtKind::Try { body, catches: cs } => self.try_catch(next, body, cs, handlers),
        }
    }

    /// A state that can fail and continues: its clauses, the enclosing
    /// handlers as Catch, then its Next.
    fn finish(
        &mut self,
        s: &Stmt,
        name: String,
        mut st: Json,
        clauses: &[Clause],
        handlers: &[Handler],
        next: &Option<String>,
    ) -> Option<String> {
        let ty = st["Type"].as_str().unwrap_or_default().to_string();
        self.clauses(&mut st, clauses, &ty);
        catches(&mut st, handlers);
        flow(&mut st, next);
        self.push(s, name.clone(), st);
        Some(name)
    }

    fn pass(&mut self, s: &Stmt, name: String, next: &Option<String>, clauses: &[Clause]) -> Option<String> {
        let mut st = json!({"Type": "Pass"});
        self.clauses(&mut st, clauses, "Pass");
        flow(&mut st, next);
        self.push(s, name.clone(), st);
        Some(name)
    }

    fn succeed(&mut self, s: &Stmt, name: String, clauses: &[Clause]) -> Option<String> {
        let mut st = json!({"Type": "Succeed"});
        self.clauses(&mut st, clauses, "Succeed");
        self.push(s, name.clone(), st);
        Some(name)
    }

    fn fail(&mut self, s: &Stmt, name: String, error: &Value, cause: Option<&Value>, clauses: &[Clause]) -> Option<String> {
        let mut st = json!({"Type": "Fail"});
        self.fail_field(&mut st, "Error", error);
        if let Some(c) = cause {
            self.fail_field(&mut st, "Cause", c);
        }
        self.clauses(&mut st, clauses, "Fail");
        self.push(s, name.clone(), st);
        Some(name)
    }

    fn wait(&mut self, s: &Stmt, name: String, next: &Option<String>, how: &WaitFor, clauses: &[Clause]) -> Option<String> {
        let mut st = json!({"Type": "Wait"});
        match how {
            WaitFor::Seconds(secs) => st["Seconds"] = secs.node.into(),
            WaitFor::SecondsPath(p) => st["SecondsPath"] = p.clone().into(),
            WaitFor::Until(v) => match self.values.lower(v) {
                Lowered::Dynamic(p) => st["TimestampPath"] = p.into(),
                Lowered::Constant(t) => st["Timestamp"] = t,
            },
        }
        self.clauses(&mut st, clauses, "Wait");
        flow(&mut st, next);
        self.push(s, name.clone(), st);
        Some(name)
    }

    fn raw(&mut self, s: &Stmt, name: String, next: &Option<String>, state: &Value) -> Option<String> {
        let mut st = self.values.template(state);
        if st.get("Type").is_none() {
            self.error(&state.span, "a raw ASL state needs a Type", "write asl Name { Type: \"Pass\", ... }");
        }
        if st.get("Next").is_none() && st.get("End").is_none() && !matches!(st["Type"].as_str(), Some("Choice" | "Succeed" | "Fail")) {
            flow(&mut st, next);
        }
        self.push(s, name.clone(), st);
        Some(name)
    }

    /// A Map state without its clauses: items, options and processor.
    fn map(&mut self, items: &Spanned<String>, options: &[Clause], body: &[Stmt]) -> Json {
        let mut st = json!({"Type": "Map", "ItemsPath": items.node});
        let mut processor = self.sub_machine(body);
        self.map_options(&mut st, &mut processor, options);
        let mut p = Map::new();
        if let Some(cfg) = processor.get("ProcessorConfig") {
            p.insert("ProcessorConfig".into(), cfg.clone());
        }
        p.insert("StartAt".into(), processor["StartAt"].clone());
        p.insert("States".into(), processor["States"].clone());
        st["ItemProcessor"] = Json::Object(p);
        st
    }
}
