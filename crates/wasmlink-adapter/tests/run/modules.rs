//! The caller and callee core modules of a test, as WAT, in the shape
//! wit-bindgen gives them (so the same modules also make components for
//! wasmtime): the callee exports `test:t/api#NAME` and
//! `cabi_post_test:t/api#NAME`, the caller imports `NAME` from
//! `test:t/api`; both export `memory` and `cabi_realloc` and print with
//! WASI's `fd_write`.
//!
//! Memory layout of both: 0..16 `fd_write` scratch, 900..920 digits,
//! 1024..5120 the output buffer, 16384 the post-return log, 0x10000 the
//! `realloc` log, 0x20000 the static image (arguments or results), then
//! the heap of a bump allocator that grows memory as needed.

use crate::printer::{wat_type, At, Body};
use crate::value::{Image, Realloc, Value};
use wasmlink_adapter::layout::tuple_layout;
use wasmlink_adapter::{
    flatten::Context, flatten_func, CoreType, FuncType, StringEncoding, ValType,
};

pub const INTERFACE: &str = "test:t/api";
pub const STATIC: u32 = 0x20000;

/// One function of the test interface and the values it is called with.
#[derive(Clone, Debug)]
pub struct Func {
    pub name: String,
    pub ty: FuncType,
    pub args: Vec<Value>,
    pub result: Option<Value>,
}

/// What a test builds: functions, encodings, whether `realloc` calls are
/// printed.
#[derive(Clone, Debug)]
pub struct Case {
    pub funcs: Vec<Func>,
    pub caller_enc: StringEncoding,
    pub callee_enc: StringEncoding,
    pub log_reallocs: bool,
}

/// Functions every module has: output, number printing, string dumps, the
/// logging bump allocator.
pub fn prelude(heap: u32) -> String {
    format!(
        r#"
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (global $out_pos (mut i32) (i32.const 0))
  (global $heap (mut i32) (i32.const {heap}))
  (func $flush
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (global.get $out_pos))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (global.set $out_pos (i32.const 0)))
  (func $out_byte (param $b i32)
    (if (i32.ge_u (global.get $out_pos) (i32.const 4096)) (then (call $flush)))
    (i32.store8 offset=1024 (global.get $out_pos) (local.get $b))
    (global.set $out_pos (i32.add (global.get $out_pos) (i32.const 1))))
  (func $nl (call $out_byte (i32.const 10)) (call $flush))
  (func $out_u64 (param $v i64) (local $p i32)
    (local.set $p (i32.const 920))
    (loop
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if 0 (i64.ne (local.get $v) (i64.const 0))))
    (block (loop
      (br_if 1 (i32.ge_u (local.get $p) (i32.const 920)))
      (call $out_byte (i32.load8_u (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br 0))))
  (func $out_s64 (param $v i64)
    (if (i64.lt_s (local.get $v) (i64.const 0))
      (then (call $out_byte (i32.const 45)) (call $out_u64 (i64.sub (i64.const 0) (local.get $v))))
      (else (call $out_u64 (local.get $v)))))
  (func $out_hex (param $v i64) (param $digits i32) (local $d i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get $digits)))
      (local.set $digits (i32.sub (local.get $digits) (i32.const 1)))
      (local.set $d (i32.wrap_i64 (i64.and
        (i64.shr_u (local.get $v) (i64.extend_i32_u (i32.shl (local.get $digits) (i32.const 2))))
        (i64.const 15))))
      (call $out_byte (i32.add (local.get $d)
        (select (i32.const 48) (i32.const 87) (i32.lt_u (local.get $d) (i32.const 10)))))
      (br 0))))
  (func $hex_bytes (param $p i32) (param $n i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get $n)))
      (call $out_hex (i64.load8_u (local.get $p)) (i32.const 2))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br 0))))
  (func $hex_units (param $p i32) (param $n i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get $n)))
      (call $out_hex (i64.load16_u (local.get $p)) (i32.const 4))
      (local.set $p (i32.add (local.get $p) (i32.const 2)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br 0))))
  (func $out_s8 (param $p i32) (param $n i32)
    (call $out_byte (i32.const 115)) (call $out_byte (i32.const 56)) (call $out_byte (i32.const 91))
    (call $hex_bytes (local.get $p) (local.get $n))
    (call $out_byte (i32.const 93)))
  (func $out_s16 (param $p i32) (param $n i32)
    (call $out_byte (i32.const 115)) (call $out_byte (i32.const 49)) (call $out_byte (i32.const 54))
    (call $out_byte (i32.const 91))
    (call $hex_units (local.get $p) (local.get $n))
    (call $out_byte (i32.const 93)))
  (func $out_compact (param $p i32) (param $n i32)
    (call $out_byte (i32.const 115))
    (if (i32.and (local.get $n) (i32.const 0x80000000))
      (then
        (call $out_byte (i32.const 85)) (call $out_byte (i32.const 91))
        (call $hex_units (local.get $p) (i32.and (local.get $n) (i32.const 0x7fffffff))))
      (else
        (call $out_byte (i32.const 76)) (call $out_byte (i32.const 91))
        (call $hex_bytes (local.get $p) (local.get $n))))
    (call $out_byte (i32.const 93)))
  (func $cabi_realloc (export "cabi_realloc")
      (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
      (local $p i32) (local $e i32) (local $count i32)
    (local.set $count (i32.load (i32.const 0x10000)))
    (if (i32.lt_u (local.get $count) (i32.const 4000)) (then
      (local.set $e (i32.add (i32.const 0x10010) (i32.shl (local.get $count) (i32.const 4))))
      (i32.store (local.get $e) (local.get $old))
      (i32.store offset=4 (local.get $e) (local.get $old_size))
      (i32.store offset=8 (local.get $e) (local.get $align))
      (i32.store offset=12 (local.get $e) (local.get $new_size))
      (i32.store (i32.const 0x10000) (i32.add (local.get $count) (i32.const 1)))))
    (if (i32.and (i32.ne (local.get $old) (i32.const 0)) (i32.le_u (local.get $new_size) (local.get $old_size)))
      (then (return (local.get $old))))
    (local.set $p (i32.and
      (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
      (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $new_size)))
    (if (i32.gt_u (global.get $heap) (i32.shl (memory.size) (i32.const 16)))
      (then (if (i32.eq (i32.const -1) (memory.grow (i32.shr_u
          (i32.sub (i32.add (global.get $heap) (i32.const 65535)) (i32.shl (memory.size) (i32.const 16)))
          (i32.const 16))))
        (then unreachable))))
    (if (local.get $old) (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
    (local.get $p))
  (func $print_log (local $i i32) (local $e i32)
    (block (loop
      (br_if 1 (i32.ge_u (local.get $i) (i32.load (i32.const 0x10000))))
      (local.set $e (i32.add (i32.const 0x10010) (i32.shl (local.get $i) (i32.const 4))))
      {realloc_text}
      (if (i32.load (local.get $e)) (then (call $out_byte (i32.const 112))) (else (call $out_byte (i32.const 48))))
      (call $out_byte (i32.const 44)) (call $out_byte (i32.const 32))
      (call $out_u64 (i64.load32_u offset=4 (local.get $e)))
      (call $out_byte (i32.const 44)) (call $out_byte (i32.const 32))
      (call $out_u64 (i64.load32_u offset=8 (local.get $e)))
      (call $out_byte (i32.const 44)) (call $out_byte (i32.const 32))
      (call $out_u64 (i64.load32_u offset=12 (local.get $e)))
      (call $out_byte (i32.const 41))
      (call $nl)
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br 0)))
    (i32.store (i32.const 0x10000) (i32.const 0)))
"#,
        realloc_text = text_calls("  realloc(")
    )
}

/// `$out_byte` calls printing `s`.
pub fn text_calls(s: &str) -> String {
    s.bytes()
        .map(|b| format!("(call $out_byte (i32.const {b}))"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A data segment with `bytes` at `at`.
pub fn data(at: u32, bytes: &[u8]) -> String {
    let escaped: String = bytes.iter().map(|b| format!("\\{b:02x}")).collect();
    format!("(data (i32.const {at}) \"{escaped}\")")
}

/// Pages for a memory holding everything up to `end` plus one page.
fn pages(end: u32) -> u32 {
    end.div_ceil(65536) + 1
}

fn heap_start(image: &Image) -> u32 {
    (image.base + image.bytes.len() as u32 + 64) & !15
}

/// The callee: prints every call's parameters (and the `realloc` calls
/// the adapter made to pass them), returns the case's results, records
/// post-return calls; `report` prints the post-return record.
pub fn callee(case: &Case) -> String {
    let mut image = Image::new(STATIC, case.callee_enc);
    let mut funcs = String::new();
    for (index, f) in case.funcs.iter().enumerate() {
        let sig = flatten_func(&f.ty, Context::Lift);
        let params: Vec<(String, CoreType)> = sig
            .params
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("$p{i}"), *t))
            .collect();
        let mut body = Body::default();
        body.text(&format!("{}(", f.name));
        let types: Vec<&ValType> = f.ty.params.iter().map(|(_, t)| t).collect();
        let at = if sig.params_in_memory {
            At::Mem("$p0".into(), 0)
        } else {
            At::Flat(params.clone())
        };
        body.print_fields(&types, &at, case.callee_enc);
        body.text(")");
        body.line("(call $nl)");
        if case.log_reallocs {
            body.line("(call $print_log)");
        } else {
            body.line("(i32.store (i32.const 0x10000) (i32.const 0))");
        }
        // The results, from the static image.
        let mut ret = String::new();
        if let (Some(ty), Some(v)) = (&f.ty.result, &f.result) {
            if sig.results_in_memory {
                let (size, align) = tuple_layout(std::slice::from_ref(ty));
                let at = image.alloc(align, size);
                image.store(v, ty, at);
                ret = format!("(i32.const {at})");
            } else {
                ret = image
                    .lower_flat(v, ty)
                    .iter()
                    .map(|x| x.wat())
                    .collect::<Vec<_>>()
                    .join(" ");
            }
        }
        let param_decl: String = params
            .iter()
            .map(|(n, t)| format!("(param {n} {})", wat_type(*t)))
            .collect::<Vec<_>>()
            .join(" ");
        let result_decl: String = sig
            .results
            .iter()
            .map(|t| format!("(result {})", wat_type(*t)))
            .collect::<Vec<_>>()
            .join(" ");
        funcs.push_str(&format!(
            "  (func (export \"{INTERFACE}#{name}\") {param_decl} {result_decl} {locals}\n{code}{ret})\n",
            name = f.name,
            locals = body.locals_wat(),
            code = body.code,
        ));
        let post_params: String = sig
            .results
            .iter()
            .map(|t| format!("(param {})", wat_type(*t)))
            .collect::<Vec<_>>()
            .join(" ");
        funcs.push_str(&format!(
            "  (func (export \"cabi_post_{INTERFACE}#{name}\") {post_params}
    (i32.store offset=16388 (i32.shl (i32.load (i32.const 16384)) (i32.const 2)) (i32.const {index}))
    (i32.store (i32.const 16384) (i32.add (i32.load (i32.const 16384)) (i32.const 1))))\n",
            name = f.name
        ));
    }
    let report = format!(
        "  (func (export \"{INTERFACE}#report\") (local $i i32)
    {text}
    (block (loop
      (br_if 1 (i32.ge_u (local.get $i) (i32.load (i32.const 16384))))
      (call $out_byte (i32.const 32))
      (call $out_u64 (i64.load32_u offset=16388 (i32.shl (local.get $i) (i32.const 2))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br 0)))
    (call $nl))\n",
        text = text_calls("post-return:")
    );
    let heap = heap_start(&image);
    format!(
        "(module\n{prelude}\n  (memory (export \"memory\") {pages})\n  {data}\n{funcs}{report})\n",
        prelude = prelude(heap),
        pages = pages(heap),
        data = data(STATIC, &image.bytes),
    )
}

/// The caller: calls every function with its arguments, prints each
/// result (and the `realloc` calls made to return it), then `report`.
pub fn caller(case: &Case) -> String {
    let mut image = Image::new(STATIC, case.caller_enc);
    let mut imports = String::new();
    let mut body = Body::default();
    for f in &case.funcs {
        let sig = flatten_func(&f.ty, Context::Lower);
        imports.push_str(&import_decl(INTERFACE, &f.name, &f.ty));
        let types: Vec<ValType> = f.ty.param_types();
        let mut args = String::new();
        if sig.params_in_memory {
            let (size, align) = tuple_layout(&types);
            let at = image.alloc(align, size);
            let refs: Vec<&ValType> = types.iter().collect();
            image.store_fields(&refs, &f.args, at);
            args.push_str(&format!("(i32.const {at})"));
        } else {
            for (t, v) in types.iter().zip(&f.args) {
                for flat in image.lower_flat(v, t) {
                    args.push_str(&flat.wat());
                    args.push(' ');
                }
            }
        }
        let result_types = f.ty.result_types();
        let retptr = if sig.results_in_memory {
            let (size, align) = tuple_layout(&result_types);
            let at = image.alloc(align, size);
            args.push_str(&format!("(i32.const {at})"));
            Some(at)
        } else {
            None
        };
        body.line(&format!("(call ${} {args})", f.name));
        let result_locals: Vec<(String, CoreType)> = sig
            .results
            .iter()
            .map(|t| (body.local(wat_type(*t)), *t))
            .collect();
        for (l, _) in result_locals.iter().rev() {
            body.line(&format!("(local.set {l})"));
        }
        body.text(&format!("{} -> ", f.name));
        if let Some(ty) = &f.ty.result {
            let at = match retptr {
                Some(at) => {
                    let a = body.local("i32");
                    body.line(&format!("(local.set {a} (i32.const {at}))"));
                    At::Mem(a, 0)
                }
                None => At::Flat(result_locals.clone()),
            };
            body.print(ty, &at, case.caller_enc);
        } else {
            body.text("()");
        }
        body.line("(call $nl)");
        if case.log_reallocs {
            body.line("(call $print_log)");
        }
    }
    imports.push_str(&format!(
        "  (import \"{INTERFACE}\" \"report\" (func $report))\n"
    ));
    body.line("(call $report)");
    let heap = heap_start(&image);
    format!(
        "(module\n{imports}{prelude}\n  (memory (export \"memory\") {pages})\n  {data}\n  (func (export \"_start\") {locals}\n{code})\n)\n",
        prelude = prelude(heap),
        pages = pages(heap),
        data = data(STATIC, &image.bytes),
        locals = body.locals_wat(),
        code = body.code,
    )
}

/// `(import "MODULE" "NAME" (func $NAME …))` with the lowered signature.
pub fn import_decl(module: &str, name: &str, ty: &FuncType) -> String {
    let sig = flatten_func(ty, Context::Lower);
    let params: String = sig
        .params
        .iter()
        .map(|t| format!("(param {})", wat_type(*t)))
        .collect::<Vec<_>>()
        .join(" ");
    let results: String = sig
        .results
        .iter()
        .map(|t| format!("(result {})", wat_type(*t)))
        .collect::<Vec<_>>()
        .join(" ");
    format!("  (import \"{module}\" \"{name}\" (func ${name} {params} {results}))\n")
}

/// The output a case must print.
pub fn expected(case: &Case) -> String {
    use crate::value::{receive_reallocs, render, tuple};
    let mut out = String::new();
    let log_lines = |log: &[Realloc], out: &mut String| {
        for (old, old_size, align, size) in log {
            out.push_str(&format!(
                "  realloc({}, {old_size}, {align}, {size})\n",
                if *old { "p" } else { "0" }
            ));
        }
    };
    for f in &case.funcs {
        let lifted = flatten_func(&f.ty, Context::Lift);
        let types = f.ty.param_types();
        let rendered: Vec<String> = types
            .iter()
            .zip(&f.args)
            .map(|(t, v)| render(v, t, case.callee_enc))
            .collect();
        out.push_str(&format!("{}({})\n", f.name, rendered.join(", ")));
        let mut log = Vec::new();
        if lifted.params_in_memory {
            let (size, align) = tuple(&types);
            log.push((false, 0, align, size));
        }
        for (t, v) in types.iter().zip(&f.args) {
            receive_reallocs(v, t, case.caller_enc, case.callee_enc, &mut log);
        }
        if case.log_reallocs {
            log_lines(&log, &mut out);
        }
        match (&f.ty.result, &f.result) {
            (Some(t), Some(v)) => out.push_str(&format!(
                "{} -> {}\n",
                f.name,
                render(v, t, case.caller_enc)
            )),
            _ => out.push_str(&format!("{} -> ()\n", f.name)),
        }
        let mut log = Vec::new();
        if let (Some(t), Some(v)) = (&f.ty.result, &f.result) {
            receive_reallocs(v, t, case.callee_enc, case.caller_enc, &mut log);
        }
        if case.log_reallocs {
            log_lines(&log, &mut out);
        }
    }
    out.push_str("post-return:");
    for i in 0..case.funcs.len() {
        out.push_str(&format!(" {i}"));
    }
    out.push('\n');
    out
}
