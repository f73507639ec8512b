//! The sfc workflow language: grammar (pest), syntax tree, lowering to ASL.

pub mod ast;
mod compile;
mod deploy_plan;
mod locate;
mod lower;
mod parse;
mod values;

pub use compile::{compile, Compiled, Options};
pub use parse::{parse, seconds, syntax_errors};

#[cfg(test)]
mod tests {
    #[test]
    fn parses_the_basics_fixture() {
        let src = include_str!("../../../fixtures/compile/basics.sfc");
        let file = super::parse(src).unwrap_or_else(|d| panic!("{}", crate::diag::render(&[d], "basics.sfc", src)));
        assert_eq!(file.params.len(), 2);
        assert_eq!(file.body.len(), 5);
    }
}
