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
}

impl Prepared {
    pub fn new(machine: StateMachine) -> Prepared {
        Prepared { machine, compiled: Default::default() }
    }

    /// How many templates, Choice rule lists and state tables were
    /// compiled so far.
    pub fn compiled_parts(&self) -> (usize, usize, usize) {
        let c = &self.compiled;
        (c.templates.0.borrow().len(), c.choices.0.borrow().len(), c.tables.0.borrow().len())
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
