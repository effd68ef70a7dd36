//! The driver of one component instance: a generated core module whose
//! exported function `cmdN` performs the script's Nth call of one of the
//! instance's exports. It imports, from the component instance, the core
//! items behind each export it calls (`[lifted]E`, `[memory]E`,
//! `[realloc]E`, `[post-return]E`: see `wasmlink-graph`'s
//! `lifted_imports.rs`), lowers the arguments, calls, lifts and compares
//! the results (`abi.rs`) and calls `post-return`. Each `cmdN` returns
//! `(i32 reply, i64 value)`: reply 0 is success; any other number is one
//! of [`Driver::replies`] (a mismatch, or a condition the canonical ABI
//! traps on), with the value found.

use super::abi::Loc;
use std::collections::HashMap;
use std::fmt::Write;
use wasmlink_adapter::flatten::{flatten_func, Context};
use wasmlink_adapter::layout::tuple_layout;
use wasmlink_adapter::{CoreType, FuncType, StringEncoding};
use wast::component::WastVal;

/// What a command function returns besides success.
#[derive(Clone, Debug)]
pub enum Reply {
    /// The value differs from the expected one: the message says where.
    Mismatch(String),
    /// The canonical ABI traps: the message.
    Trap(String),
}

/// One export the script calls, as the driver needs it.
#[derive(Clone, Debug)]
pub struct ExportInfo {
    pub name: String,
    pub ty: FuncType,
    pub encoding: StringEncoding,
    pub memory: bool,
    pub realloc: bool,
    pub post_return: bool,
}

/// The memory (and allocator) values of an export live in.
#[derive(Clone, Debug)]
pub struct Memory {
    /// Its `$id` in the driver.
    pub memory: String,
    pub realloc: Option<String>,
    pub encoding: StringEncoding,
    /// Which imported memory (helpers are generated per memory).
    pub index: usize,
}

/// The code and locals of one command function.
#[derive(Default)]
pub struct Body {
    pub locals: Vec<CoreType>,
    pub code: String,
}

impl Body {
    /// A new local of type `t` (the function has no parameters).
    pub fn local(&mut self, t: CoreType) -> u32 {
        self.locals.push(t);
        self.locals.len() as u32 - 1
    }

    /// A new `i64` local for a lifted scalar.
    pub fn scratch(&mut self) -> u32 {
        self.local(CoreType::I64)
    }
}

struct Imported {
    func: String,
    mem: Option<Memory>,
    post: Option<String>,
}

/// A driver module being generated.
pub struct Driver {
    /// The graph instance the imports name.
    instance: String,
    imports: String,
    funcs: String,
    exports: HashMap<String, Imported>,
    memories: usize,
    passive: Vec<Vec<u8>>,
    own: Vec<u8>,
    range_helpers: Vec<bool>,
    memeq_helpers: Vec<bool>,
    pub replies: Vec<Reply>,
    commands: usize,
}

/// A WAT string literal of arbitrary bytes.
pub fn wat_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3 + 2);
    out.push('"');
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.:/@#[] ".contains(b) {
            out.push(*b as char);
        } else {
            let _ = write!(out, "\\{b:02x}");
        }
    }
    out.push('"');
    out
}

impl Driver {
    pub fn new(instance: &str) -> Driver {
        Driver {
            instance: instance.to_string(),
            imports: String::new(),
            funcs: String::new(),
            exports: HashMap::new(),
            memories: 0,
            passive: Vec::new(),
            own: Vec::new(),
            range_helpers: Vec::new(),
            memeq_helpers: Vec::new(),
            replies: Vec::new(),
            commands: 0,
        }
    }

    pub fn message(&mut self, text: String) -> u32 {
        self.replies.push(Reply::Mismatch(text));
        self.replies.len() as u32
    }

    pub fn trap_id(&mut self, text: &str) -> u32 {
        self.replies.push(Reply::Trap(text.to_string()));
        self.replies.len() as u32
    }

    pub fn passive_data(&mut self, bytes: Vec<u8>) -> String {
        self.passive.push(bytes);
        format!("$d{}", self.passive.len() - 1)
    }

    /// Put `bytes` into the driver's own memory; their address.
    pub fn own_data(&mut self, bytes: &[u8]) -> u32 {
        let at = self.own.len() as u32;
        self.own.extend_from_slice(bytes);
        at
    }

    /// `(ptr, bytes, align) -> i32`: non-zero when the range is unaligned
    /// or beyond the end of the memory.
    pub fn range_helper(&mut self, mem: &Memory) -> String {
        if let Some(h) = self.range_helpers.get_mut(mem.index) {
            *h = true;
        }
        format!("$range{}", mem.index)
    }

    /// `(ptr, own, len) -> i32`: 1 when `len` bytes at `ptr` equal those
    /// at `own` in the driver's memory.
    pub fn memeq_helper(&mut self, mem: &Memory) -> String {
        if let Some(h) = self.memeq_helpers.get_mut(mem.index) {
            *h = true;
        }
        format!("$memeq{}", mem.index)
    }

    fn import(&mut self, e: &ExportInfo) -> &Imported {
        if !self.exports.contains_key(&e.name) {
            let k = self.exports.len();
            let sig = flatten_func(&e.ty, Context::Lift);
            let list = |v: &[CoreType]| v.iter().map(|t| format!(" {t}")).collect::<String>();
            let module = wat_bytes(self.instance.as_bytes());
            let name = |kind: &str| wat_bytes(format!("[{kind}]{}", e.name).as_bytes());
            let _ = writeln!(
                self.imports,
                "(import {module} {} (func $f{k} (param{}) (result{})))",
                name("lifted"),
                list(&sig.params),
                list(&sig.results)
            );
            let mem = if e.memory {
                let index = self.memories;
                self.memories += 1;
                self.range_helpers.push(false);
                self.memeq_helpers.push(false);
                let _ = writeln!(
                    self.imports,
                    "(import {module} {} (memory $m{index} 0))",
                    name("memory")
                );
                let realloc = if e.realloc {
                    let _ = writeln!(
                        self.imports,
                        "(import {module} {} (func $r{k} (param i32 i32 i32 i32) (result i32)))",
                        name("realloc")
                    );
                    Some(format!("$r{k}"))
                } else {
                    None
                };
                Some(Memory {
                    memory: format!("$m{index}"),
                    realloc,
                    encoding: e.encoding,
                    index,
                })
            } else {
                None
            };
            let post = if e.post_return {
                let _ = writeln!(
                    self.imports,
                    "(import {module} {} (func $p{k} (param{})))",
                    name("post-return"),
                    list(&sig.results)
                );
                Some(format!("$p{k}"))
            } else {
                None
            };
            self.exports.insert(
                e.name.clone(),
                Imported {
                    func: format!("$f{k}"),
                    mem,
                    post,
                },
            );
        }
        &self.exports[&e.name]
    }

    /// Add a command calling `e` with `args`; with `expected`, the result
    /// is compared. Returns the command function's export name.
    pub fn command(
        &mut self,
        e: &ExportInfo,
        args: &[WastVal],
        expected: Option<&[WastVal]>,
    ) -> Result<String, String> {
        let imported = self.import(e);
        let (func, post) = (imported.func.clone(), imported.post.clone());
        // Functions that pass no strings or lists need no memory; the
        // code paths that would use one report an error instead.
        let mem = imported.mem.clone().unwrap_or(Memory {
            memory: "$own".into(),
            realloc: None,
            encoding: e.encoding,
            index: usize::MAX,
        });
        if args.len() != e.ty.params.len() {
            return Err(format!(
                "{} arguments given, {} has {} parameters",
                args.len(),
                e.name,
                e.ty.params.len()
            ));
        }
        let sig = flatten_func(&e.ty, Context::Lift);
        let mut body = Body::default();
        if sig.params_in_memory {
            let types = e.ty.param_types();
            let (size, align) = tuple_layout(&types);
            let p = self.alloc(&mut body, &mem, align, size)?;
            let offsets = wasmlink_adapter::layout::field_offsets(types.iter());
            for ((v, t), o) in args.iter().zip(&types).zip(offsets) {
                self.store(&mut body, &mem, v, t, p, o)?;
            }
            let _ = writeln!(body.code, "local.get {p}");
        } else {
            for (v, (_, t)) in args.iter().zip(&e.ty.params) {
                self.lower_flat(&mut body, &mem, v, t)?;
            }
        }
        let _ = writeln!(body.code, "call {func}");
        let result = sig.results.first().map(|t| {
            let r = body.local(*t);
            let _ = writeln!(body.code, "local.set {r}");
            (r, *t)
        });
        let expected_value = match (expected, &e.ty.result) {
            (None, _) => None,
            (Some([]), None) => None,
            (Some([v]), Some(_)) => Some(v),
            (Some(vals), _) => {
                return Err(format!(
                    "{} results expected, {} returns {}",
                    vals.len(),
                    e.name,
                    e.ty.result.iter().count()
                ))
            }
        };
        if let (Some(t), Some((r, _))) = (&e.ty.result, result) {
            let loc = if sig.results_in_memory {
                let (size, align) = tuple_layout(std::slice::from_ref(t));
                let range = self.range_helper(&mem);
                let trap = self.trap_id("result pointer out of bounds or unaligned pointer");
                let _ = writeln!(
                    body.code,
                    "local.get {r}\ni32.const {size}\ni32.const {align}\ncall {range}\nif\ni32.const {trap}\ni64.const 0\nreturn\nend"
                );
                Loc::Mem(r, 0)
            } else {
                Loc::Flat(r)
            };
            self.check(&mut body, &mem, expected_value, t, loc, "result")?;
        }
        if let Some(p) = post {
            if let Some((r, _)) = result {
                let _ = writeln!(body.code, "local.get {r}");
            }
            let _ = writeln!(body.code, "call {p}");
        }
        let n = self.commands;
        self.commands += 1;
        let export = format!("cmd{n}");
        let locals: String = body.locals.iter().map(|t| format!(" {t}")).collect();
        let _ = writeln!(
            self.funcs,
            "(func (export \"{export}\") (result i32 i64)\n(local{locals})\n{}i32.const 0\ni64.const 0)",
            body.code
        );
        Ok(export)
    }

    /// The module's text.
    pub fn finish(&self) -> String {
        let mut m = String::from("(module\n");
        m.push_str(&self.imports);
        let pages = (self.own.len() as u64).div_ceil(65536).max(1);
        let _ = writeln!(m, "(memory $own {pages})");
        if !self.own.is_empty() {
            let _ = writeln!(
                m,
                "(data (memory $own) (i32.const 0) {})",
                wat_bytes(&self.own)
            );
        }
        for (i, d) in self.passive.iter().enumerate() {
            let _ = writeln!(m, "(data $d{i} {})", wat_bytes(d));
        }
        for (i, used) in self.range_helpers.iter().enumerate() {
            if *used {
                let _ = writeln!(
                    m,
                    "(func $range{i} (param $p i32) (param $n i32) (param $a i32) (result i32)
  local.get $p
  local.get $a
  i32.const 1
  i32.sub
  i32.and
  local.get $p
  i64.extend_i32_u
  local.get $n
  i64.extend_i32_u
  i64.add
  memory.size $m{i}
  i64.extend_i32_u
  i64.const 16
  i64.shl
  i64.gt_u
  i32.or)"
                );
            }
        }
        for (i, used) in self.memeq_helpers.iter().enumerate() {
            if *used {
                let _ = writeln!(
                    m,
                    "(func $memeq{i} (param $p i32) (param $q i32) (param $n i32) (result i32)
  block $done
    loop $next
      local.get $n
      i32.eqz
      br_if $done
      local.get $p
      i32.load8_u $m{i}
      local.get $q
      i32.load8_u $own
      i32.ne
      if
        i32.const 0
        return
      end
      local.get $p
      i32.const 1
      i32.add
      local.set $p
      local.get $q
      i32.const 1
      i32.add
      local.set $q
      local.get $n
      i32.const 1
      i32.sub
      local.set $n
      br $next
    end
  end
  i32.const 1)"
                );
            }
        }
        m.push_str("(func (export \"_start\"))\n");
        m.push_str(&self.funcs);
        m.push_str(")\n");
        m
    }
}
