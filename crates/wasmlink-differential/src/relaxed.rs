//! The reference engine's copy of a module with relaxed SIMD: every
//! relaxed operator replaced by the non-relaxed operators that compute
//! wasmlink's deterministic choice for it
//! (`wasmlink-codegen`'s `translate/relaxed_simd.rs`).
//!
//! V8 picks each relaxed result by what the host's instructions do (FMA or
//! not, `pshufb`'s treatment of large indices, …), all allowed by the spec,
//! so comparing wasmlink's relaxed results with V8's would report host
//! differences, not bugs. wasmlink promises one fixed result per operator;
//! the reference runs that promise spelled with ordinary operators, and
//! wasmlink runs the original module, so the comparison checks wasmlink's
//! lowering of each relaxed operator as well as everything else.
//!
//! | relaxed operator | replacement |
//! | --- | --- |
//! | `i8x16.relaxed_swizzle` | `i8x16.swizzle` |
//! | `i32x4.relaxed_trunc_*` | `i32x4.trunc_sat_*` |
//! | `f32x4/f64x2.relaxed_min/max` | `min`/`max` |
//! | `*.relaxed_laneselect` | `v128.bitselect` |
//! | `i16x8.relaxed_q15mulr_s` | `i16x8.q15mulr_sat_s` |
//! | `relaxed_madd a b c` | `a * b + c` with `mul` then `add` (two roundings) |
//! | `relaxed_nmadd a b c` | `-(a * b) + c` with `mul`, `neg`, `add` |
//! | `i16x8.relaxed_dot_i8x16_i7x16_s` | both operands sign-extended to 16 bits, `i32x4.dot_i16x8_s` on each half, the low 16 bits of each sum (wrapping) |
//! | `i32x4.relaxed_dot_i8x16_i7x16_add_s` | that dot, `i32x4.extadd_pairwise_i16x8_s`, `i32x4.add` |
//!
//! The replacements that need an operand twice, or one below the top of
//! the stack, go through three `v128` scratch locals appended to the
//! function (only functions that use relaxed operators are re-encoded; all
//! other sections and function bodies are copied byte for byte).

use std::borrow::Cow;
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{CodeSection, Function, Instruction as I, Module, RawSection, ValType};
use wasmlink_module::wasmparser::{CompositeInnerType, FunctionBody, Operator, Parser, Payload};

/// Whether `op` is a relaxed SIMD operator.
pub fn is_relaxed(op: &Operator<'_>) -> bool {
    use Operator as O;
    matches!(
        op,
        O::I8x16RelaxedSwizzle
            | O::I32x4RelaxedTruncF32x4S
            | O::I32x4RelaxedTruncF32x4U
            | O::I32x4RelaxedTruncF64x2SZero
            | O::I32x4RelaxedTruncF64x2UZero
            | O::F32x4RelaxedMadd
            | O::F32x4RelaxedNmadd
            | O::F64x2RelaxedMadd
            | O::F64x2RelaxedNmadd
            | O::I8x16RelaxedLaneselect
            | O::I16x8RelaxedLaneselect
            | O::I32x4RelaxedLaneselect
            | O::I64x2RelaxedLaneselect
            | O::F32x4RelaxedMin
            | O::F32x4RelaxedMax
            | O::F64x2RelaxedMin
            | O::F64x2RelaxedMax
            | O::I16x8RelaxedQ15mulrS
            | O::I16x8RelaxedDotI8x16I7x16S
            | O::I32x4RelaxedDotI8x16I7x16AddS
    )
}

fn uses_relaxed(body: &FunctionBody<'_>) -> Result<bool, String> {
    let mut ops = body.get_operators_reader().map_err(|e| e.to_string())?;
    while !ops.eof() {
        if is_relaxed(&ops.read().map_err(|e| e.to_string())?) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `wasm` with every relaxed SIMD operator replaced by its deterministic
/// equivalent (see the module documentation); `wasm` itself, borrowed, when
/// it has none. `wasm` must be a valid module.
pub fn deterministic(wasm: &[u8]) -> Result<Cow<'_, [u8]>, String> {
    let err = |e: wasmlink_module::wasmparser::BinaryReaderError| e.to_string();
    let mut any = false;
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CodeSectionEntry(body) = payload.map_err(err)? {
            if uses_relaxed(&body)? {
                any = true;
                break;
            }
        }
    }
    if !any {
        return Ok(Cow::Borrowed(wasm));
    }

    // Scratch locals are numbered after the parameters and the declared
    // locals, so the parameter count of each defined function is needed.
    let mut params_of_type = Vec::new();
    let mut params_of_func = Vec::new();
    let mut module = Module::new();
    let mut code: Option<(CodeSection, u32)> = None;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(err)?;
        match &payload {
            Payload::TypeSection(reader) => {
                for group in reader.clone() {
                    for sub in group.map_err(err)?.into_types() {
                        params_of_type.push(match &sub.composite_type.inner {
                            CompositeInnerType::Func(f) => f.params().len() as u32,
                            _ => 0,
                        });
                    }
                }
            }
            // Code entry N belongs to the N-th function of the function
            // section (imported functions have no body).
            Payload::FunctionSection(reader) => {
                for ty in reader.clone() {
                    params_of_func.push(params_of_type[ty.map_err(err)? as usize]);
                }
            }
            Payload::CodeSectionStart { count, .. } => {
                code = Some((CodeSection::new(), *count));
                continue;
            }
            Payload::CodeSectionEntry(body) => {
                let (section, left) = code.as_mut().ok_or("code entry outside a code section")?;
                let index = section.len() as usize;
                if uses_relaxed(body)? {
                    let params = *params_of_func
                        .get(index)
                        .ok_or("more function bodies than functions")?;
                    section.function(&rewrite(body, params)?);
                } else {
                    section.raw(body.as_bytes());
                }
                *left -= 1;
                if *left == 0 {
                    module.section(&code.take().expect("in a code section").0);
                }
                continue;
            }
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            module.section(&RawSection {
                id,
                data: &wasm[range.start as usize..range.end as usize],
            });
        }
    }
    Ok(Cow::Owned(module.finish()))
}

/// Re-encode one function body with its relaxed operators replaced.
fn rewrite(body: &FunctionBody<'_>, params: u32) -> Result<Function, String> {
    let mut locals = Vec::new();
    let mut declared = 0u32;
    for local in body.get_locals_reader().map_err(|e| e.to_string())? {
        let (n, ty) = local.map_err(|e| e.to_string())?;
        declared += n;
        locals.push((
            n,
            RoundtripReencoder.val_type(ty).map_err(|e| e.to_string())?,
        ));
    }
    locals.push((3, ValType::V128));
    let s = [
        params + declared,
        params + declared + 1,
        params + declared + 2,
    ];
    let mut f = Function::new(locals);
    let mut ops = body.get_operators_reader().map_err(|e| e.to_string())?;
    while !ops.eof() {
        let op = ops.read().map_err(|e| e.to_string())?;
        if is_relaxed(&op) {
            for i in replacement(&op, s) {
                f.instruction(&i);
            }
        } else {
            f.instruction(
                &RoundtripReencoder
                    .instruction(op)
                    .map_err(|e| e.to_string())?,
            );
        }
    }
    Ok(f)
}

/// The 16 bytes that keep the low 16 bits of each 32-bit lane of two
/// vectors (first the first vector's four lanes, then the second's).
const LOW_HALVES: [u8; 16] = [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29];

/// The non-relaxed sequence for relaxed operator `op`; `s` are the three
/// scratch `v128` locals.
fn replacement(op: &Operator<'_>, s: [u32; 3]) -> Vec<I<'static>> {
    use Operator as O;
    // `a b -> dot`: the eight wrapped sums of adjacent signed byte products.
    let dot = |s: [u32; 3]| {
        vec![
            I::LocalSet(s[1]),
            I::LocalTee(s[0]),
            I::I16x8ExtendLowI8x16S,
            I::LocalGet(s[1]),
            I::I16x8ExtendLowI8x16S,
            I::I32x4DotI16x8S,
            I::LocalGet(s[0]),
            I::I16x8ExtendHighI8x16S,
            I::LocalGet(s[1]),
            I::I16x8ExtendHighI8x16S,
            I::I32x4DotI16x8S,
            I::I8x16Shuffle(LOW_HALVES),
        ]
    };
    // `a b c -> a * b (+ or -) c`, rounded after each step.
    let madd = |mul: I<'static>, neg: Option<I<'static>>, add: I<'static>| {
        let mut v = vec![I::LocalSet(s[2]), mul];
        v.extend(neg);
        v.extend([I::LocalGet(s[2]), add]);
        v
    };
    match op {
        O::I8x16RelaxedSwizzle => vec![I::I8x16Swizzle],
        O::I32x4RelaxedTruncF32x4S => vec![I::I32x4TruncSatF32x4S],
        O::I32x4RelaxedTruncF32x4U => vec![I::I32x4TruncSatF32x4U],
        O::I32x4RelaxedTruncF64x2SZero => vec![I::I32x4TruncSatF64x2SZero],
        O::I32x4RelaxedTruncF64x2UZero => vec![I::I32x4TruncSatF64x2UZero],
        O::F32x4RelaxedMin => vec![I::F32x4Min],
        O::F32x4RelaxedMax => vec![I::F32x4Max],
        O::F64x2RelaxedMin => vec![I::F64x2Min],
        O::F64x2RelaxedMax => vec![I::F64x2Max],
        O::I16x8RelaxedQ15mulrS => vec![I::I16x8Q15MulrSatS],
        O::I8x16RelaxedLaneselect
        | O::I16x8RelaxedLaneselect
        | O::I32x4RelaxedLaneselect
        | O::I64x2RelaxedLaneselect => vec![I::V128Bitselect],
        O::F32x4RelaxedMadd => madd(I::F32x4Mul, None, I::F32x4Add),
        O::F32x4RelaxedNmadd => madd(I::F32x4Mul, Some(I::F32x4Neg), I::F32x4Add),
        O::F64x2RelaxedMadd => madd(I::F64x2Mul, None, I::F64x2Add),
        O::F64x2RelaxedNmadd => madd(I::F64x2Mul, Some(I::F64x2Neg), I::F64x2Add),
        O::I16x8RelaxedDotI8x16I7x16S => dot(s),
        O::I32x4RelaxedDotI8x16I7x16AddS => {
            let mut v = vec![I::LocalSet(s[2])];
            v.extend(dot(s));
            v.extend([I::I32x4ExtAddPairwiseI16x8S, I::LocalGet(s[2]), I::I32x4Add]);
            v
        }
        _ => unreachable!("not a relaxed operator: {op:?}"),
    }
}

#[cfg(test)]
#[path = "relaxed_tests.rs"]
mod tests;
