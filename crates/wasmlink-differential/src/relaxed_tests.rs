use super::*;
use wasmlink_module::wasmparser::{Validator, WasmFeatures};

fn wasm(text: &str) -> Vec<u8> {
    wasmlink_module::parse_wat_or_wasm(text.as_bytes()).expect("valid text")
}

/// The operators of each function body, by name.
fn bodies(wasm: &[u8]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CodeSectionEntry(body) = payload.expect("parses") {
            let mut ops = body.get_operators_reader().expect("operators");
            let mut names = Vec::new();
            while !ops.eof() {
                let op = format!("{:?}", ops.read().expect("operator"));
                names.push(op.split([' ', '{', '(']).next().unwrap_or("").to_string());
            }
            out.push(names);
        }
    }
    out
}

fn raw_bodies(wasm: &[u8]) -> Vec<Vec<u8>> {
    Parser::new(0)
        .parse_all(wasm)
        .filter_map(|p| match p.expect("parses") {
            Payload::CodeSectionEntry(body) => Some(body.as_bytes().to_vec()),
            _ => None,
        })
        .collect()
}

/// One function per relaxed operator, an import and a function without
/// relaxed operators between them, and a function with parameters and
/// locals (the scratch locals must come after them).
const ALL: &str = r#"(module
  (import "m" "f" (func (param i32)))
  (memory 1)
  (func (export "plain") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  (func (param v128 v128) (result v128) local.get 0 local.get 1 i8x16.relaxed_swizzle)
  (func (param v128) (result v128) local.get 0 i32x4.relaxed_trunc_f32x4_s)
  (func (param v128) (result v128) local.get 0 i32x4.relaxed_trunc_f32x4_u)
  (func (param v128) (result v128) local.get 0 i32x4.relaxed_trunc_f64x2_s_zero)
  (func (param v128) (result v128) local.get 0 i32x4.relaxed_trunc_f64x2_u_zero)
  (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd)
  (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_nmadd)
  (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f64x2.relaxed_madd)
  (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f64x2.relaxed_nmadd)
  (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 i8x16.relaxed_laneselect)
  (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 i16x8.relaxed_laneselect)
  (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 i32x4.relaxed_laneselect)
  (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 i64x2.relaxed_laneselect)
  (func (param v128 v128) (result v128) local.get 0 local.get 1 f32x4.relaxed_min)
  (func (param v128 v128) (result v128) local.get 0 local.get 1 f32x4.relaxed_max)
  (func (param v128 v128) (result v128) local.get 0 local.get 1 f64x2.relaxed_min)
  (func (param v128 v128) (result v128) local.get 0 local.get 1 f64x2.relaxed_max)
  (func (param v128 v128) (result v128) local.get 0 local.get 1 i16x8.relaxed_q15mulr_s)
  (func (param v128 v128) (result v128) local.get 0 local.get 1 i16x8.relaxed_dot_i8x16_i7x16_s)
  (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 i32x4.relaxed_dot_i8x16_i7x16_add_s)
  (func (param i32 f64) (result i32) (local i64 i64 v128)
    local.get 4 local.get 4 local.get 4 f32x4.relaxed_madd local.set 4
    local.get 0)
)"#;

#[test]
fn a_module_without_relaxed_operators_is_returned_as_it_is() {
    let w =
        wasm(r#"(module (func (export "f") (param v128) (result v128) local.get 0 f32x4.abs))"#);
    assert!(matches!(deterministic(&w), Ok(Cow::Borrowed(b)) if b == &w[..]));
}

#[test]
fn every_relaxed_operator_is_replaced_and_the_rest_is_kept() {
    let original = wasm(ALL);
    let rewritten = deterministic(&original).expect("rewrites").into_owned();
    // Valid without the relaxed SIMD feature: none is left.
    Validator::new_with_features(WasmFeatures::WASM2)
        .validate_all(&rewritten)
        .expect("the rewritten module is valid Wasm 2.0");
    assert!(bodies(&rewritten)
        .iter()
        .flatten()
        .all(|op| !op.contains("Relaxed")));
    // The function without relaxed operators is copied byte for byte, and
    // every section but the code section is unchanged (same exports, same
    // import).
    let (before, after) = (raw_bodies(&original), raw_bodies(&rewritten));
    assert_eq!(before.len(), after.len());
    assert_eq!(before[0], after[0]);
    let sections = |w: &[u8]| -> Vec<(u8, Vec<u8>)> {
        Parser::new(0)
            .parse_all(w)
            .filter_map(|p| {
                let p = p.expect("parses");
                match p {
                    Payload::CodeSectionStart { .. } => None,
                    _ => p
                        .as_section()
                        .map(|(id, r)| (id, w[r.start as usize..r.end as usize].to_vec())),
                }
            })
            .collect()
    };
    assert_eq!(sections(&original), sections(&rewritten));
}

#[test]
fn replacements_are_the_documented_sequences() {
    let rewritten = deterministic(&wasm(ALL)).expect("rewrites").into_owned();
    let b = bodies(&rewritten);
    let expect = |i: usize, ops: &[&str]| {
        let mut want: Vec<String> = ops.iter().map(|s| s.to_string()).collect();
        want.push("End".into());
        assert_eq!(b[i], want, "function {i}");
    };
    let get = |n: usize| vec!["LocalGet"; n];
    let with = |n: usize, tail: &[&'static str]| {
        let mut v = get(n);
        v.extend_from_slice(tail);
        v
    };
    expect(1, &with(2, &["I8x16Swizzle"]));
    expect(2, &with(1, &["I32x4TruncSatF32x4S"]));
    expect(5, &with(1, &["I32x4TruncSatF64x2UZero"]));
    // madd: c to a scratch local, then a * b, then + c.
    expect(
        6,
        &with(3, &["LocalSet", "F32x4Mul", "LocalGet", "F32x4Add"]),
    );
    expect(
        7,
        &with(
            3,
            &["LocalSet", "F32x4Mul", "F32x4Neg", "LocalGet", "F32x4Add"],
        ),
    );
    expect(
        9,
        &with(
            3,
            &["LocalSet", "F64x2Mul", "F64x2Neg", "LocalGet", "F64x2Add"],
        ),
    );
    expect(10, &with(3, &["V128Bitselect"]));
    expect(13, &with(3, &["V128Bitselect"]));
    expect(14, &with(2, &["F32x4Min"]));
    expect(17, &with(2, &["F64x2Max"]));
    expect(18, &with(2, &["I16x8Q15MulrSatS"]));
    let dot = [
        "LocalSet",
        "LocalTee",
        "I16x8ExtendLowI8x16S",
        "LocalGet",
        "I16x8ExtendLowI8x16S",
        "I32x4DotI16x8S",
        "LocalGet",
        "I16x8ExtendHighI8x16S",
        "LocalGet",
        "I16x8ExtendHighI8x16S",
        "I32x4DotI16x8S",
        "I8x16Shuffle",
    ];
    expect(19, &with(2, &dot));
    let mut dot_add = vec!["LocalSet"];
    dot_add.extend(dot);
    dot_add.extend(["I32x4ExtAddPairwiseI16x8S", "LocalGet", "I32x4Add"]);
    expect(20, &with(3, &dot_add));
}

#[test]
fn scratch_locals_follow_parameters_and_locals() {
    let rewritten = deterministic(&wasm(ALL)).expect("rewrites").into_owned();
    let last = Parser::new(0)
        .parse_all(&rewritten)
        .filter_map(|p| match p.expect("parses") {
            Payload::CodeSectionEntry(body) => Some(body),
            _ => None,
        })
        .last()
        .expect("a body");
    let locals: Vec<(u32, String)> = last
        .get_locals_reader()
        .expect("locals")
        .into_iter()
        .map(|l| {
            let (n, t) = l.expect("local");
            (n, format!("{t:?}"))
        })
        .collect();
    assert_eq!(
        locals,
        [(2, "I64".into()), (1, "V128".into()), (3, "V128".into())]
    );
    // 2 parameters + 3 declared locals: the scratch locals are 5, 6, 7, and
    // madd's addend goes to the third of them.
    let mut ops = last.get_operators_reader().expect("operators");
    let mut sets = Vec::new();
    while !ops.eof() {
        if let Operator::LocalSet { local_index } = ops.read().expect("operator") {
            sets.push(local_index);
        }
    }
    assert_eq!(sets, [7, 4]);
}
