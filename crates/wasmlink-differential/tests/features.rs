//! Hand-written modules for what the generated ones reach only by chance:
//! exceptions leaving a call or a start function, null references, and
//! every relaxed SIMD operator on the inputs where the allowed results
//! differ (fused or not, wrapping or saturating, out-of-range indices and
//! conversions). wasmlink runs each module as written, the reference
//! (`$WASMLINK_DIFF_NODE`, Node 24 or later) the copy with deterministic
//! relaxed operators; both must agree, and wasmlink's results are also
//! checked against the values its documented choices give.

use wasmlink_differential::{
    case_for, compare, node_available, run_modules, run_reference, Call, Case, CaseOutcome,
    Outcome, Value,
};
use wasmlink_module::supported_features;

fn case(name: &str, text: &str, vectors: usize) -> Case {
    let wasm = wasmlink_module::parse_wat_or_wasm(text.as_bytes()).expect("valid text");
    case_for(name, wasm, supported_features(), 11, vectors).expect("loads")
}

/// Add a call of `export` with `args` (as bits) to the run that calls it.
fn call(case: &mut Case, export: &str, args: &[u64]) {
    let run = case
        .runs
        .iter_mut()
        .find(|r| r.first().is_some_and(|c| c.export == export))
        .unwrap_or_else(|| panic!("no run calls {export}"));
    let first = run[0].clone();
    let args = first
        .params
        .iter()
        .zip(args)
        .map(|(&ty, &bits)| Value { ty, bits })
        .collect();
    run.push(Call { args, ..first });
}

/// Run `cases` on both engines; they must agree. wasmlink's outcomes.
fn agree(cases: &[Case]) -> Vec<CaseOutcome> {
    node_available().unwrap_or_else(|e| panic!("{e}"));
    let reference = run_reference(cases).expect("the reference runs");
    let ours = run_modules(cases, supported_features());
    let report = compare(cases, &ours, &reference);
    assert!(
        report.mismatches.is_empty(),
        "wasmlink disagrees with the reference:\n  {}",
        report.mismatches.join("\n  ")
    );
    assert_eq!(report.cases_compared, cases.len(), "every case compared");
    ours.into_iter()
        .map(|o| o.expect("wasmlink ran it"))
        .collect()
}

/// The outcome of the last call of the run that calls `export`.
fn last<'a>(case: &Case, outcome: &'a CaseOutcome, export: &str) -> &'a Outcome {
    let run = case
        .runs
        .iter()
        .position(|r| r.first().is_some_and(|c| c.export == export))
        .expect("a run");
    outcome[run].calls.last().expect("a call")
}

fn values(o: &Outcome) -> Vec<u64> {
    match o {
        Outcome::Values(v) => v.iter().map(|v| v.bits).collect(),
        other => panic!("expected values, got {other:?}"),
    }
}

#[test]
fn exceptions_and_null_references() {
    let mut throws = case(
        "exceptions",
        r#"(module
          (tag $t (param i32))
          (type $ft (func (param i32) (result i32)))
          (func $throw (param i32) (throw $t (local.get 0)))
          (func (export "caught") (param i32) (result i32)
            (block $h (result i32)
              (try_table (catch $t $h) (call $throw (local.get 0)))
              (i32.const -1)))
          (func (export "escapes") (param i32) (result i32)
            (call $throw (local.get 0)) (i32.const 0))
          (func (export "rethrown") (param i32) (result i32)
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (call $throw (local.get 0)))
              (return (i32.const 0)))
            (throw_ref))
          (func (export "trap_passes_handlers") (param i32) (result i32)
            (block $h
              (try_table (catch_all $h) (unreachable)))
            (i32.const 1))
          (func (export "null_exnref") (param i32) (throw_ref (ref.null exn)))
          (func (export "null_call_ref") (param i32) (result i32)
            (call_ref $ft (local.get 0) (ref.null $ft))))"#,
        2,
    );
    call(&mut throws, "caught", &[42]);
    let start = case(
        "throwing start",
        r#"(module (tag $t) (func $s (throw $t)) (start $s)
             (func (export "f") (result i32) (i32.const 1)))"#,
        1,
    );
    let cases = [throws, start];
    let ours = agree(&cases);
    let (c, o) = (&cases[0], &ours[0]);
    assert_eq!(values(last(c, o, "caught")), [42]);
    assert_eq!(*last(c, o, "escapes"), Outcome::Exception);
    assert_eq!(*last(c, o, "rethrown"), Outcome::Exception);
    assert!(
        matches!(last(c, o, "trap_passes_handlers"), Outcome::Trap(m) if m.contains("unreachable"))
    );
    assert!(matches!(last(c, o, "null_exnref"), Outcome::Trap(m) if m.contains("null")));
    assert!(matches!(last(c, o, "null_call_ref"), Outcome::Trap(m) if m.contains("null")));
    assert_eq!(ours[1][0].instantiate, Outcome::Exception);

    // An exception is not a trap: the comparison tells them apart.
    let reference = run_reference(&cases).expect("the reference runs");
    let mut tampered = reference.clone();
    let run = cases[0]
        .runs
        .iter()
        .position(|r| r[0].export == "escapes")
        .expect("a run");
    tampered[0][run].calls[0] = Outcome::Trap("unreachable".into());
    let report = compare(
        &cases,
        &run_modules(&cases, supported_features()),
        &tampered,
    );
    assert_eq!(report.mismatches.len(), 1, "{:?}", report.mismatches);
    assert!(report.mismatches[0].contains("uncaught exception"));
}

/// Each relaxed operator on two or three vectors built from scalar
/// arguments; integer results as two `i64` halves, float results as lanes
/// (compared with any NaN equal to any NaN).
const RELAXED: &str = r#"(module
  (func $v (param i64 i64) (result v128)
    (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1)))
  (func $halves (param v128) (result i64 i64)
    (i64x2.extract_lane 0 (local.get 0)) (i64x2.extract_lane 1 (local.get 0)))
  (func $f4 (param f32 f32 f32 f32) (result v128)
    (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1
      (f32x4.splat (local.get 0)) (local.get 1)) (local.get 2)) (local.get 3)))
  (func $f2 (param f64 f64) (result v128)
    (f64x2.replace_lane 1 (f64x2.splat (local.get 0)) (local.get 1)))

  (func (export "swizzle") (param i64 i64 i64 i64) (result i64 i64)
    (call $halves (i8x16.relaxed_swizzle
      (call $v (local.get 0) (local.get 1)) (call $v (local.get 2) (local.get 3)))))
  (func (export "q15mulr") (param i64 i64 i64 i64) (result i64 i64)
    (call $halves (i16x8.relaxed_q15mulr_s
      (call $v (local.get 0) (local.get 1)) (call $v (local.get 2) (local.get 3)))))
  (func (export "dot") (param i64 i64 i64 i64) (result i64 i64)
    (call $halves (i16x8.relaxed_dot_i8x16_i7x16_s
      (call $v (local.get 0) (local.get 1)) (call $v (local.get 2) (local.get 3)))))
  (func (export "dot_add") (param i64 i64 i64 i64 i64 i64) (result i64 i64)
    (call $halves (i32x4.relaxed_dot_i8x16_i7x16_add_s
      (call $v (local.get 0) (local.get 1)) (call $v (local.get 2) (local.get 3))
      (call $v (local.get 4) (local.get 5)))))
  (func (export "laneselect8") (param i64 i64 i64 i64 i64 i64) (result i64 i64)
    (call $halves (i8x16.relaxed_laneselect
      (call $v (local.get 0) (local.get 1)) (call $v (local.get 2) (local.get 3))
      (call $v (local.get 4) (local.get 5)))))
  (func (export "laneselect16") (param i64 i64 i64 i64 i64 i64) (result i64 i64)
    (call $halves (i16x8.relaxed_laneselect
      (call $v (local.get 0) (local.get 1)) (call $v (local.get 2) (local.get 3))
      (call $v (local.get 4) (local.get 5)))))
  (func (export "laneselect32") (param i64 i64 i64 i64 i64 i64) (result i64 i64)
    (call $halves (i32x4.relaxed_laneselect
      (call $v (local.get 0) (local.get 1)) (call $v (local.get 2) (local.get 3))
      (call $v (local.get 4) (local.get 5)))))
  (func (export "laneselect64") (param i64 i64 i64 i64 i64 i64) (result i64 i64)
    (call $halves (i64x2.relaxed_laneselect
      (call $v (local.get 0) (local.get 1)) (call $v (local.get 2) (local.get 3))
      (call $v (local.get 4) (local.get 5)))))
  (func (export "trunc_f32_s") (param f32 f32 f32 f32) (result i64 i64)
    (call $halves (i32x4.relaxed_trunc_f32x4_s
      (call $f4 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))))
  (func (export "trunc_f32_u") (param f32 f32 f32 f32) (result i64 i64)
    (call $halves (i32x4.relaxed_trunc_f32x4_u
      (call $f4 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))))
  (func (export "trunc_f64_s") (param f64 f64) (result i64 i64)
    (call $halves (i32x4.relaxed_trunc_f64x2_s_zero (call $f2 (local.get 0) (local.get 1)))))
  (func (export "trunc_f64_u") (param f64 f64) (result i64 i64)
    (call $halves (i32x4.relaxed_trunc_f64x2_u_zero (call $f2 (local.get 0) (local.get 1)))))
  (func (export "madd32") (param f32 f32 f32) (result f32)
    (f32x4.extract_lane 0 (f32x4.relaxed_madd (f32x4.splat (local.get 0))
      (f32x4.splat (local.get 1)) (f32x4.splat (local.get 2)))))
  (func (export "nmadd32") (param f32 f32 f32) (result f32)
    (f32x4.extract_lane 0 (f32x4.relaxed_nmadd (f32x4.splat (local.get 0))
      (f32x4.splat (local.get 1)) (f32x4.splat (local.get 2)))))
  (func (export "madd64") (param f64 f64 f64) (result f64)
    (f64x2.extract_lane 0 (f64x2.relaxed_madd (f64x2.splat (local.get 0))
      (f64x2.splat (local.get 1)) (f64x2.splat (local.get 2)))))
  (func (export "nmadd64") (param f64 f64 f64) (result f64)
    (f64x2.extract_lane 0 (f64x2.relaxed_nmadd (f64x2.splat (local.get 0))
      (f64x2.splat (local.get 1)) (f64x2.splat (local.get 2)))))
  (func (export "min32") (param f32 f32) (result f32)
    (f32x4.extract_lane 0 (f32x4.relaxed_min (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1)))))
  (func (export "max32") (param f32 f32) (result f32)
    (f32x4.extract_lane 0 (f32x4.relaxed_max (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1)))))
  (func (export "min64") (param f64 f64) (result f64)
    (f64x2.extract_lane 0 (f64x2.relaxed_min (f64x2.splat (local.get 0)) (f64x2.splat (local.get 1)))))
  (func (export "max64") (param f64 f64) (result f64)
    (f64x2.extract_lane 0 (f64x2.relaxed_max (f64x2.splat (local.get 0)) (f64x2.splat (local.get 1)))))
)"#;

#[test]
fn relaxed_simd_computes_the_deterministic_choices() {
    const B80: u64 = 0x8080_8080_8080_8080; // every byte -128
    let f32b = |x: f32| u64::from(x.to_bits());
    let f64b = |x: f64| x.to_bits();
    let e32 = f32::EPSILON;
    let e64 = f64::EPSILON;
    let mut c = case("relaxed SIMD", RELAXED, 12);
    // Indices 16 and above select 0.
    call(
        &mut c,
        "swizzle",
        &[
            0x1716_1514_1312_1110,
            0x1f1e_1d1c_1b1a_1918,
            0x8010_0f01,
            0xff,
        ],
    );
    // -32768 * -32768 saturates.
    call(&mut c, "q15mulr", &[B80 & 0x8000_8000_8000_8000; 4]);
    // (-128 * -128) * 2 = 32768 wraps to -32768; the addend widened.
    call(&mut c, "dot", &[B80, B80, B80, B80]);
    call(&mut c, "dot_add", &[B80, B80, B80, B80, 1, 0]);
    // NaN, out of range both ways, negative to unsigned: saturated.
    let nan = f32::NAN;
    call(
        &mut c,
        "trunc_f32_s",
        &[f32b(nan), f32b(3e9), f32b(-3e9), f32b(-1.5)],
    );
    call(
        &mut c,
        "trunc_f32_u",
        &[f32b(nan), f32b(5e9), f32b(-1.0), f32b(7.9)],
    );
    call(&mut c, "trunc_f64_s", &[f64b(f64::NAN), f64b(-1e10)]);
    call(&mut c, "trunc_f64_u", &[f64b(4294967296.0), f64b(-0.5)]);
    // (1 + e)(1 - e) = 1 - e², which rounds to 1: unfused, + -1 gives 0;
    // fused it would be -e².
    call(
        &mut c,
        "madd32",
        &[f32b(1.0 + e32), f32b(1.0 - e32), f32b(-1.0)],
    );
    call(
        &mut c,
        "nmadd32",
        &[f32b(1.0 + e32), f32b(1.0 - e32), f32b(1.0)],
    );
    call(
        &mut c,
        "madd64",
        &[f64b(1.0 + e64), f64b(1.0 - e64), f64b(-1.0)],
    );
    call(
        &mut c,
        "nmadd64",
        &[f64b(1.0 + e64), f64b(1.0 - e64), f64b(1.0)],
    );
    // -0 is below +0.
    call(&mut c, "min32", &[f32b(0.0), f32b(-0.0)]);
    call(&mut c, "max64", &[f64b(-0.0), f64b(0.0)]);
    let (m0, m1) = (0xffff_0000_ff00_00f0, 0x8000_0000_0000_0001);
    call(&mut c, "laneselect16", &[1, 2, 3, 4, m0, m1]);
    let cases = [c];
    let ours = agree(&cases);
    let (c, o) = (&cases[0], &ours[0]);
    assert_eq!(
        values(last(c, o, "swizzle")),
        [0x1010_1010_0000_1f11, 0x1010_1010_1010_1000]
    );
    let sat = 0x7fff_7fff_7fff_7fff;
    assert_eq!(values(last(c, o, "q15mulr")), [sat, sat]);
    let wrapped = 0x8000_8000_8000_8000;
    assert_eq!(values(last(c, o, "dot")), [wrapped, wrapped]);
    assert_eq!(
        values(last(c, o, "dot_add")),
        [0xffff_0000_ffff_0001, 0xffff_0000_ffff_0000]
    );
    assert_eq!(
        values(last(c, o, "trunc_f32_s")),
        [0x7fff_ffff_0000_0000, 0xffff_ffff_8000_0000]
    );
    assert_eq!(
        values(last(c, o, "trunc_f32_u")),
        [0xffff_ffff_0000_0000, 0x0000_0007_0000_0000]
    );
    assert_eq!(
        values(last(c, o, "trunc_f64_s")),
        [0x8000_0000_0000_0000, 0]
    );
    assert_eq!(values(last(c, o, "trunc_f64_u")), [0xffff_ffff, 0]);
    for f in ["madd32", "nmadd32", "madd64", "nmadd64"] {
        assert_eq!(values(last(c, o, f)), [0], "{f}: unfused gives +0");
    }
    assert_eq!(values(last(c, o, "min32")), [f32b(-0.0)]);
    assert_eq!(values(last(c, o, "max64")), [0]);
    // Bit by bit: mask bits set take the first operand.
    let select = |a: u64, b: u64, m: u64| (a & m) | (b & !m);
    assert_eq!(
        values(last(c, o, "laneselect16")),
        [select(1, 3, m0), select(2, 4, m1)]
    );
}
