use super::*;

fn wasm(text: &str) -> Vec<u8> {
    wasmlink_module::parse_wat_or_wasm(text.as_bytes()).expect("valid text")
}

fn erase(text: &str) -> Option<Vec<u8>> {
    erase_gc(&wasm(text), wasmlink_module::supported_features()).expect("valid result")
}

fn ops(wasm: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CodeSectionEntry(body) = payload.expect("parses") {
            let mut r = body.get_operators_reader().expect("operators");
            while !r.eof() {
                out.push(format!("{:?}", r.read().expect("operator")));
            }
        }
    }
    out
}

#[test]
fn struct_and_array_types_go_and_references_to_them_become_none() {
    let out = erase(
        r#"(module
          (rec (type $s (struct (field i32))) (type $f (func (param (ref null $s)) (result i32))))
          (type $a (array i8))
          (type $g (func (param i32) (result i32)))
          (global $h (mut (ref null $a)) (ref.null $a))
          (global (export "n") (ref null $s) (struct.new $s (i32.const 1)))
          (table 2 (ref null $s))
          (table $funcs 1 funcref)
          (elem (table 0) (i32.const 0) (ref null $s) (struct.new_default $s))
          (func $id (type $g) (local (ref null $s)) local.get 0)
          (func (type $f)
            (local.get 0) (ref.is_null)
            (call_ref $g (i32.const 3) (ref.func $id)) (i32.add)
            (call_indirect $funcs (type $g) (i32.const 0)))
          (func (export "cast") (param anyref) (result i32)
            (ref.test (ref $s) (local.get 0)))
          (elem declare func $id))"#,
    )
    .expect("erasable");
    let module = wasmlink_module::parse_module(out.clone()).expect("wasmlink loads it");
    // $f (index 1 in the rec group) is 0 now, $g is 1, and the type of
    // "cast" (added by the text parser) 2.
    assert_eq!(module.types.len(), 3);
    assert_eq!(
        module.types[0].params(),
        [wasmparser::ValType::Ref(wasmparser::RefType::NULLREF)]
    );
    assert_eq!(module.types[1].params().len(), 1);
    let ops = ops(&out);
    assert!(
        ops.contains(&"CallRef { type_index: 1 }".to_string()),
        "{ops:?}"
    );
    assert!(ops.contains(&"CallIndirect { type_index: 1, table_index: 1 }".to_string()));
    // `ref.test` is gone; `unreachable` stands where it was.
    assert!(ops.iter().all(|o| !o.starts_with("RefTest")));
    assert!(ops.contains(&"Unreachable".to_string()));
}

#[test]
fn a_non_nullable_gc_value_cannot_be_erased() {
    assert!(erase(r#"(module (type $s (struct)) (global (ref $s) (struct.new $s)))"#).is_none());
    assert!(erase(r#"(module (global (ref i31) (ref.i31 (i32.const 1))))"#).is_none());
    // Nullable: becomes null.
    assert!(erase(r#"(module (global anyref (ref.i31 (i32.const 1))))"#).is_some());
}

#[test]
fn declared_function_subtypes_cannot_be_erased() {
    assert!(
        erase(r#"(module (type $f (sub (func))) (type $g (sub $f (func))) (func (type $g)))"#)
            .is_none()
    );
    // Open function types without a supertype are fine.
    assert!(erase(r#"(module (type $f (sub (func))) (func (type $f)))"#).is_some());
}

#[test]
fn a_module_without_gc_is_reencoded_unchanged_in_meaning() {
    let text = r#"(module
      (tag $t (param i32))
      (type $ft (func (param i32) (result i32)))
      (func $f (export "f") (type $ft)
        (block $h (result i32)
          (try_table (catch $t $h) (throw $t (local.get 0)))
          (i32.const -1)))
      (func (export "g") (param i32) (result i32)
        (return_call_ref $ft (local.get 0) (ref.func $f))))"#;
    let out = erase(text).expect("erasable");
    assert_eq!(ops(&out), ops(&wasm(text)));
}
