//! Reading a component-model script: validation directives are decided
//! here; instantiations and calls become [`Step`]s for `link.rs`.

use super::driver::{Driver, ExportInfo};
use super::link::{self, Inst, Step};
use crate::wast::ScriptReport;
use std::collections::HashMap;
use std::sync::Arc;
use wasmlink_adapter::from_wasmparser::convert_func;
use wasmlink_adapter::{StringEncoding, ValType};
use wasmlink_component::{load_component, ComponentError, ExportItem, FlatComponent};
use wast::component::WastVal;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

/// What directives act on when they name no instance.
#[derive(Clone, Copy)]
enum Current {
    Component(usize),
    /// A core module instance (only validated in component scripts).
    Core,
    /// The last definition failed to load.
    Broken,
    /// The last definition uses something wasmlink cannot load yet.
    Unsupported,
}

struct Planner<'n> {
    name: &'n str,
    text: &'n str,
    dir: std::path::PathBuf,
    insts: Vec<Inst>,
    named: HashMap<String, Current>,
    definitions: HashMap<String, Vec<u8>>,
    current: Option<Current>,
    steps: Vec<Step>,
    report: ScriptReport,
}

/// Run one component-model script.
pub fn run_component_script(name: &str, text: &str) -> ScriptReport {
    let started = std::time::Instant::now();
    let mut report = ScriptReport {
        name: name.to_string(),
        ..Default::default()
    };
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let parsed = ParseBuffer::new_with_lexer(lexer).and_then(|buf| {
        let wast: Result<Wast, _> = parser::parse(&buf);
        // The directives borrow the buffer: plan inside this closure.
        wast.map(|wast| plan(name, text, wast, started))
    });
    match parsed {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            report.failures.push(format!("{name}: {e}"));
            report
        }
        Err(e) => {
            report.failures.push(format!("{name}: {e}"));
            report
        }
    }
}

fn plan(
    name: &str,
    text: &str,
    wast: Wast,
    started: std::time::Instant,
) -> Result<ScriptReport, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let mut p = Planner {
        name,
        text,
        dir: dir.path().to_path_buf(),
        insts: Vec::new(),
        named: HashMap::new(),
        definitions: HashMap::new(),
        current: None,
        steps: Vec::new(),
        report: ScriptReport {
            name: name.to_string(),
            ..Default::default()
        },
    };
    for d in wast.directives {
        p.directive(d);
    }
    p.report.timings.compile = started.elapsed();
    let mut report = p.report;
    link::execute(name, dir.path(), &p.insts, &p.steps, &mut report);
    Ok(report)
}

fn is_component(m: &QuoteWat) -> bool {
    matches!(
        m,
        QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..)
    )
}

fn directive_name(d: &WastDirective) -> &'static str {
    match d {
        WastDirective::Register { .. } => "register",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
        _ => "this directive",
    }
}

impl Planner<'_> {
    fn line(&self, span: wast::token::Span) -> usize {
        span.linecol_in(self.text).0 + 1
    }

    fn fail(&mut self, line: usize, m: impl std::fmt::Display) {
        self.report
            .failures
            .push(format!("{}:{line}: {m}", self.name));
    }

    fn unsupported(&mut self, line: usize, m: impl std::fmt::Display) {
        self.report
            .unsupported
            .push(format!("{}:{line}: unsupported: {m}", self.name));
    }

    fn directive(&mut self, d: WastDirective) {
        match d {
            WastDirective::Module(mut m) => {
                let line = self.line(m.span());
                let id = m.name().map(|n| n.name().to_string());
                if is_component(&m) {
                    match m.encode() {
                        Ok(bytes) => self.instantiate(line, id, bytes, None),
                        Err(e) => {
                            self.current = Some(Current::Broken);
                            self.fail(line, format!("component failed to parse: {e}"));
                        }
                    }
                } else {
                    self.core_module(line, id, &mut m);
                }
            }
            WastDirective::ModuleDefinition(mut m) => {
                let line = self.line(m.span());
                let id = m.name().map(|n| n.name().to_string()).unwrap_or_default();
                if !is_component(&m) {
                    return self.core_module(line, None, &mut m);
                }
                match m
                    .encode()
                    .map_err(|e| e.to_string())
                    .and_then(|b| load(&b).map(|_| b).map_err(|e| e.to_string()))
                {
                    Ok(bytes) => {
                        self.report.passed += 1;
                        self.definitions.insert(id, bytes);
                    }
                    Err(e) => self.fail(line, format!("component definition failed to load: {e}")),
                }
            }
            WastDirective::ModuleInstance {
                span,
                instance,
                module,
            } => {
                let line = self.line(span);
                let def = module.map(|m| m.name().to_string()).unwrap_or_default();
                match self.definitions.get(&def).cloned() {
                    Some(bytes) => {
                        self.instantiate(line, instance.map(|i| i.name().to_string()), bytes, None)
                    }
                    None => self.unsupported(
                        line,
                        format!("instance of {def}, which is not a component definition"),
                    ),
                }
            }
            WastDirective::AssertMalformed {
                span,
                mut module,
                message,
            }
            | WastDirective::AssertInvalid {
                span,
                mut module,
                message,
            } => {
                let line = self.line(span);
                let component = is_component(&module);
                let rejected = match module.encode() {
                    Err(_) => Ok(()),
                    Ok(bytes) if component => match load(&bytes) {
                        Err(ComponentError::Unsupported(why)) => Err(Some(why)),
                        Err(_) => Ok(()),
                        Ok(_) => Err(None),
                    },
                    Ok(bytes) => match wasmlink_module::parse_module(bytes) {
                        Err(_) => Ok(()),
                        Ok(_) => Err(None),
                    },
                };
                match rejected {
                    Ok(()) => self.report.passed += 1,
                    Err(Some(why)) => self.unsupported(
                        line,
                        format!("cannot tell whether it is invalid ({message}): {why}"),
                    ),
                    Err(None) => self.fail(
                        line,
                        format!("accepted, expected it to be rejected: {message}"),
                    ),
                }
            }
            WastDirective::AssertUnlinkable {
                span,
                mut module,
                message,
            } => {
                let line = self.line(span);
                let bytes = match module.encode() {
                    Ok(b) => b,
                    Err(e) => return self.fail(line, format!("failed to parse: {e}")),
                };
                if !matches!(module, Wat::Component(_)) {
                    return self.unsupported(
                        line,
                        "assert_unlinkable of a core module in a component script",
                    );
                }
                match load(&bytes) {
                    Err(e) => self.fail(line, format!("failed to load: {e}")),
                    Ok(_) => match link::link_alone(&self.dir, self.insts.len(), &bytes) {
                        Err(_) => self.report.passed += 1,
                        Ok(()) => self.fail(
                            line,
                            format!("linked, expected it to be unlinkable: {message}"),
                        ),
                    },
                }
            }
            WastDirective::Invoke(invoke) => {
                let line = self.line(invoke.span);
                self.invoke(line, invoke, None, None);
            }
            WastDirective::AssertReturn {
                span,
                exec,
                results,
            } => {
                let line = self.line(span);
                let mut values = Vec::new();
                for r in &results {
                    match r {
                        WastRet::Component(v) => values.push(v),
                        _ => {
                            return self
                                .unsupported(line, "core values in a component-model assertion")
                        }
                    }
                }
                match exec {
                    WastExecute::Invoke(invoke) => self.invoke(line, invoke, Some(&values), None),
                    _ => self.unsupported(line, "assert_return of something other than an invoke"),
                }
            }
            WastDirective::AssertTrap {
                span,
                exec,
                message,
            } => {
                let line = self.line(span);
                match exec {
                    WastExecute::Invoke(invoke) => {
                        self.invoke(line, invoke, None, Some(message.to_string()))
                    }
                    WastExecute::Wat(mut wat @ Wat::Component(_)) => match wat.encode() {
                        Ok(bytes) => self.instantiate(line, None, bytes, Some(message.to_string())),
                        Err(e) => self.fail(line, format!("component failed to parse: {e}")),
                    },
                    _ => self.unsupported(
                        line,
                        "assert_trap of a core module or a global in a component script",
                    ),
                }
            }
            other => {
                let line = self.line(other.span());
                let what = directive_name(&other);
                self.unsupported(
                    line,
                    format!("{what} is not run by the component-model harness"),
                );
            }
        }
    }

    fn core_module(&mut self, line: usize, id: Option<String>, m: &mut QuoteWat) {
        let loaded = m
            .encode()
            .map_err(|e| e.to_string())
            .and_then(|b| wasmlink_module::parse_module(b).map_err(|e| e.to_string()));
        match loaded {
            Ok(_) => {
                self.report.passed += 1;
                self.current = Some(Current::Core);
                if let Some(id) = id {
                    self.named.insert(id, Current::Core);
                }
            }
            Err(e) => {
                self.current = Some(Current::Broken);
                self.fail(line, format!("core module failed to load: {e}"));
            }
        }
    }

    fn instantiate(
        &mut self,
        line: usize,
        id: Option<String>,
        bytes: Vec<u8>,
        trap: Option<String>,
    ) {
        let flat = match load(&bytes) {
            Ok(f) => Arc::new(f),
            Err(e) => {
                let unsupported = matches!(
                    e,
                    ComponentError::Unsupported(_) | ComponentError::Module { .. }
                );
                if trap.is_none() {
                    self.current = Some(if unsupported {
                        Current::Unsupported
                    } else {
                        Current::Broken
                    });
                }
                return match e {
                    e if unsupported => self.unsupported(line, e),
                    e => self.fail(line, format!("component failed to load: {e}")),
                };
            }
        };
        let i = self.insts.len();
        let file = self.dir.join(format!("c{i}.wasm"));
        if let Err(e) = std::fs::write(&file, &bytes) {
            return self.fail(line, format!("could not write the component: {e}"));
        }
        self.insts.push(Inst {
            flat,
            driver: Driver::new(&format!("c{i}")),
        });
        self.steps.push(Step::Instantiate {
            line,
            inst: i,
            trap: trap.clone(),
        });
        if trap.is_none() {
            self.current = Some(Current::Component(i));
            if let Some(id) = id {
                self.named.insert(id, Current::Component(i));
            }
        }
    }

    fn invoke(
        &mut self,
        line: usize,
        invoke: WastInvoke,
        expected: Option<&[&WastVal]>,
        trap: Option<String>,
    ) {
        let target = match invoke.module {
            Some(id) => self.named.get(id.name()).copied(),
            None => self.current,
        };
        let inst = match target {
            Some(Current::Component(i)) => i,
            Some(Current::Core) => {
                return self
                    .unsupported(line, "calls of core module instances in component scripts")
            }
            Some(Current::Broken) => return self.fail(line, "the instance failed to load"),
            Some(Current::Unsupported) => {
                return self.unsupported(
                    line,
                    "the instance uses something not supported (see its definition)",
                )
            }
            None => return self.fail(line, format!("invoke {:?}: no such instance", invoke.name)),
        };
        let mut args = Vec::new();
        for a in &invoke.args {
            match a {
                WastArg::Component(v) => args.push(v),
                _ => return self.unsupported(line, "core values as component-model arguments"),
            }
        }
        let info = match export_info(&self.insts[inst].flat, invoke.name) {
            Ok(info) => info,
            Err(Outcome::Unsupported(why)) => return self.unsupported(line, why),
            Err(Outcome::Failed(why)) => return self.fail(line, why),
        };
        let args: Vec<WastVal> = args.into_iter().map(clone_val).collect();
        let expected: Option<Vec<WastVal>> =
            expected.map(|e| e.iter().map(|v| clone_val(v)).collect());
        match self.insts[inst]
            .driver
            .command(&info, &args, expected.as_deref())
        {
            Ok(export) => self.steps.push(Step::Call {
                line,
                inst,
                export,
                trap,
            }),
            Err(e) if e.contains("not supported") => self.unsupported(line, e),
            Err(e) => self.fail(line, e),
        }
    }
}

/// Why an export cannot be called.
enum Outcome {
    Unsupported(String),
    Failed(String),
}

fn export_info(flat: &FlatComponent, name: &str) -> Result<ExportInfo, Outcome> {
    let Some(item) = flat.export_at(&[name]) else {
        return Err(Outcome::Failed(format!("no export named {name:?}")));
    };
    let ExportItem::Lifted(l) = item else {
        return Err(Outcome::Unsupported(format!(
            "export {name:?} is not a function lifted inside the component"
        )));
    };
    let ty = convert_func(flat.types.as_ref(), l.ty, &mut |_| 0)
        .map_err(|e| Outcome::Unsupported(e.to_string()))?;
    let has_handle = |t: &ValType| t.contains_own() || t.contains_borrow();
    if ty.params.iter().any(|(_, t)| has_handle(t)) || ty.result.as_ref().is_some_and(has_handle) {
        return Err(Outcome::Unsupported(
            "resource handles as arguments or results of invoked functions".into(),
        ));
    }
    Ok(ExportInfo {
        name: name.to_string(),
        ty,
        encoding: match l.options.string_encoding {
            wasmlink_component::StringEncoding::Utf8 => StringEncoding::Utf8,
            wasmlink_component::StringEncoding::Utf16 => StringEncoding::Utf16,
            wasmlink_component::StringEncoding::CompactUtf16 => StringEncoding::Latin1Utf16,
        },
        memory: l.options.memory.is_some(),
        realloc: l.options.realloc.is_some(),
        post_return: l.options.post_return.is_some(),
    })
}

fn clone_val<'a>(v: &WastVal<'a>) -> WastVal<'a> {
    let boxed = |p: &Option<Box<WastVal<'a>>>| p.as_deref().map(|v| Box::new(clone_val(v)));
    match v {
        WastVal::Bool(b) => WastVal::Bool(*b),
        WastVal::U8(x) => WastVal::U8(*x),
        WastVal::S8(x) => WastVal::S8(*x),
        WastVal::U16(x) => WastVal::U16(*x),
        WastVal::S16(x) => WastVal::S16(*x),
        WastVal::U32(x) => WastVal::U32(*x),
        WastVal::S32(x) => WastVal::S32(*x),
        WastVal::U64(x) => WastVal::U64(*x),
        WastVal::S64(x) => WastVal::S64(*x),
        WastVal::F32(x) => WastVal::F32(*x),
        WastVal::F64(x) => WastVal::F64(*x),
        WastVal::Char(c) => WastVal::Char(*c),
        WastVal::String(s) => WastVal::String(s),
        WastVal::List(l) => WastVal::List(l.iter().map(clone_val).collect()),
        WastVal::Map(m) => WastVal::Map(
            m.iter()
                .map(|(k, v)| (clone_val(k), clone_val(v)))
                .collect(),
        ),
        WastVal::Record(f) => WastVal::Record(f.iter().map(|(n, v)| (*n, clone_val(v))).collect()),
        WastVal::Tuple(t) => WastVal::Tuple(t.iter().map(clone_val).collect()),
        WastVal::Variant(n, p) => WastVal::Variant(n, boxed(p)),
        WastVal::Enum(n) => WastVal::Enum(n),
        WastVal::Option(p) => WastVal::Option(boxed(p)),
        WastVal::Result(Ok(p)) => WastVal::Result(Ok(boxed(p))),
        WastVal::Result(Err(p)) => WastVal::Result(Err(boxed(p))),
        WastVal::Flags(f) => WastVal::Flags(f.clone()),
    }
}

fn load(bytes: &[u8]) -> Result<FlatComponent, ComponentError> {
    load_component(bytes)
}
