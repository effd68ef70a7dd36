//! Unit tests: components in text form, flattened, compared as
//! [`FlatComponent::summary`] text.

use super::*;

fn flatten(wat: &str) -> Result<FlatComponent, ComponentError> {
    load_component(&parse_text_or_binary(wat.as_bytes())?)
}

fn summary(wat: &str) -> String {
    match flatten(wat) {
        Ok(c) => c.summary(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn dump_nested() {
    let bytes = std::fs::read("/tmp/ct/args.component.wasm").unwrap();
    println!("{}", load_component(&bytes).unwrap().summary());
    panic!();
}
