//! Turning a script into a graph of instances and a list of commands.
//! Everything that is decided before running (validation, malformed text,
//! linking) is checked here.

use super::value::{argument, expected, Expected};
use std::collections::HashMap;
use std::sync::Arc;
use wasmlink_abi::Trap;
use wasmlink_graph::{Binding, Entry, Instance, InstanceGraph, ItemRef, Source, WasiConfig};
use wasmlink_module::wasmparser::WasmFeatures;
use wasmlink_module::{parse_module, parse_module_with, ExternKind, ExternType, ModuleInfo};

use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke};

/// What the harness executable is asked to do.
#[derive(Clone, Debug)]
pub enum Action {
    Instantiate(usize),
    Invoke {
        instance: usize,
        export: String,
        args: Vec<u128>,
    },
    Get {
        instance: usize,
        export: String,
    },
}

/// What the answer must be.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Any successful completion.
    Success,
    Return(Vec<Expected>),
    Trap(String),
}

#[derive(Clone, Debug)]
pub struct Command {
    pub line: usize,
    pub action: Action,
    pub outcome: Outcome,
}

pub struct Plan {
    pub graph: InstanceGraph,
    pub commands: Vec<Command>,
    pub static_passed: usize,
    pub static_failures: Vec<String>,
}

const SPECTEST: &str = r#"(module
  (global (export "global_i32") i32 (i32.const 666))
  (global (export "global_i64") i64 (i64.const 666))
  (global (export "global_f32") f32 (f32.const 666.6))
  (global (export "global_f64") f64 (f64.const 666.6))
  (table (export "table") 10 20 funcref)
  (table (export "table64") i64 10 20 funcref)
  (memory (export "memory") 1 2)
  (memory (export "shared_memory") 1 2 shared)
  (func (export "print"))
  (func (export "print_i32") (param i32))
  (func (export "print_i64") (param i64))
  (func (export "print_f32") (param f32))
  (func (export "print_f64") (param f64))
  (func (export "print_i32_f32") (param i32 f32))
  (func (export "print_f64_f64") (param f64 f64)))"#;

struct Planner<'n> {
    name: &'n str,
    text: &'n str,
    /// Features the script's modules are validated with.
    features: WasmFeatures,
    sources: Vec<Source>,
    instances: Vec<Instance>,
    /// `register`ed names and the spectest module.
    registry: HashMap<String, usize>,
    /// `$id` → instance.
    named: HashMap<String, usize>,
    /// Module definitions (`module definition $m`), by name.
    definitions: HashMap<String, Arc<ModuleInfo>>,
    current: Option<usize>,
    commands: Vec<Command>,
    passed: usize,
    failures: Vec<String>,
}

pub fn plan_script(name: &str, text: &str, features: WasmFeatures) -> Result<Plan, String> {
    // The spec's own scripts contain bidirectional-text characters on purpose.
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = ParseBuffer::new_with_lexer(lexer).map_err(|e| e.to_string())?;
    let wast: Wast = parser::parse(&buf).map_err(|e| e.to_string())?;
    let mut p = Planner {
        name,
        text,
        features,
        sources: Vec::new(),
        instances: Vec::new(),
        registry: HashMap::new(),
        named: HashMap::new(),
        definitions: HashMap::new(),
        current: None,
        commands: Vec::new(),
        passed: 0,
        failures: Vec::new(),
    };
    let spectest = wasmlink_module::parse_wat_or_wasm(SPECTEST.as_bytes())
        .and_then(parse_module)
        .map_err(|e| format!("spectest module: {e}"))?;
    let id = p.add_instance("spectest".into(), Arc::new(spectest), Vec::new());
    p.registry.insert("spectest".into(), id);
    p.commands.push(Command {
        line: 0,
        action: Action::Instantiate(id),
        outcome: Outcome::Success,
    });
    for directive in wast.directives {
        p.directive(directive);
    }
    let graph = InstanceGraph {
        order: (0..p.instances.len()).collect(),
        sources: p.sources,
        instances: p.instances,
        // The harness never runs an entry; instance 0 is the spectest module.
        entry: Entry {
            instance: 0,
            func: 0,
        },
        wasi: WasiConfig::default(),
        embedded: Default::default(),
    };
    Ok(Plan {
        graph,
        commands: p.commands,
        static_passed: p.passed,
        static_failures: p.failures,
    })
}

impl Planner<'_> {
    fn line(&self, span: wast::token::Span) -> usize {
        span.linecol_in(self.text).0 + 1
    }

    fn fail(&mut self, line: usize, message: impl std::fmt::Display) {
        self.failures
            .push(format!("{}:{line}: {message}", self.name));
    }

    fn add_instance(
        &mut self,
        name: String,
        module: Arc<ModuleInfo>,
        imports: Vec<Binding>,
    ) -> usize {
        self.sources.push(Source {
            name: name.clone(),
            path: None,
            module,
        });
        self.instances.push(Instance {
            name,
            source: self.sources.len() - 1,
            imports,
        });
        self.instances.len() - 1
    }

    fn directive(&mut self, d: WastDirective) {
        match d {
            WastDirective::Module(mut m) => {
                let line = self.line(m.span());
                let id = m.name().map(|n| n.name().to_string());
                match encode(&mut m).and_then(|b| self.load(b)) {
                    Ok(module) => {
                        self.instantiate(line, id, Arc::new(module), Outcome::Success);
                    }
                    Err(e) => {
                        self.current = None;
                        self.fail(line, format!("module failed to load: {e}"));
                    }
                }
            }
            WastDirective::ModuleDefinition(mut m) => {
                let line = self.line(m.span());
                let id = m.name().map(|n| n.name().to_string()).unwrap_or_default();
                match encode(&mut m).and_then(|b| self.load(b)) {
                    Ok(module) => {
                        self.passed += 1;
                        self.definitions.insert(id, Arc::new(module));
                    }
                    Err(e) => self.fail(line, format!("module definition failed to load: {e}")),
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
                    Some(m) => {
                        self.instantiate(
                            line,
                            instance.map(|i| i.name().to_string()),
                            m,
                            Outcome::Success,
                        );
                    }
                    None => self.fail(line, format!("no module definition named {def}")),
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
                match encode(&mut module).and_then(|b| self.load(b)) {
                    Err(_) => self.passed += 1,
                    Ok(_) => self.fail(
                        line,
                        format!("module was accepted, expected it to be rejected: {message}"),
                    ),
                }
            }
            WastDirective::AssertUnlinkable {
                span,
                mut module,
                message,
            } => {
                let line = self.line(span);
                let loaded = module
                    .encode()
                    .map_err(|e| e.to_string())
                    .and_then(|b| self.load(b));
                match loaded {
                    Ok(m) => match self.resolve(&m, Limits::Declared) {
                        Err(_) => self.passed += 1,
                        Ok(_) => self.fail(
                            line,
                            format!("module linked, expected it to be unlinkable: {message}"),
                        ),
                    },
                    Err(e) => self.fail(line, format!("module failed to load: {e}")),
                }
            }
            WastDirective::Register { span, name, module } => {
                let line = self.line(span);
                match self.target(module) {
                    Some(i) => {
                        self.registry.insert(name.to_string(), i);
                    }
                    None => self.fail(line, "register: no such module"),
                }
            }
            WastDirective::Invoke(invoke) => {
                let line = self.line(invoke.span);
                self.invoke(line, invoke, Outcome::Success);
            }
            WastDirective::AssertReturn {
                span,
                exec,
                results,
            } => {
                let line = self.line(span);
                match results.iter().map(expected).collect::<Result<Vec<_>, _>>() {
                    Ok(results) => self.execute(line, exec, Outcome::Return(results)),
                    Err(e) => self.fail(line, e),
                }
            }
            WastDirective::AssertTrap {
                span,
                exec,
                message,
            } => {
                let line = self.line(span);
                self.execute(line, exec, Outcome::Trap(message.to_string()));
            }
            // An exception that leaves the invoked function is reported
            // like a trap (`uncaught exception`).
            WastDirective::AssertException { span, exec } => {
                let line = self.line(span);
                self.execute(
                    line,
                    exec,
                    Outcome::Trap(Trap::UncaughtException.message().to_string()),
                );
            }
            WastDirective::AssertExhaustion {
                span,
                call,
                message,
            } => {
                let line = self.line(span);
                self.invoke(line, call, Outcome::Trap(message.to_string()));
            }
            other => {
                let line = self.line(other.span());
                self.fail(line, "directive not supported by this harness");
            }
        }
    }

    fn target(&self, id: Option<wast::token::Id>) -> Option<usize> {
        match id {
            Some(id) => self.named.get(id.name()).copied(),
            None => self.current,
        }
    }

    /// Add an instance of `module` (if it links) and queue its instantiation.
    fn instantiate(
        &mut self,
        line: usize,
        id: Option<String>,
        module: Arc<ModuleInfo>,
        outcome: Outcome,
    ) {
        match self.resolve(&module, Limits::Current) {
            Ok(imports) => {
                let name = id.clone().unwrap_or_else(|| format!("module@{line}"));
                let i = self.add_instance(name, module, imports);
                self.commands.push(Command {
                    line,
                    action: Action::Instantiate(i),
                    outcome: outcome.clone(),
                });
                // A module that must fail to instantiate never becomes current.
                if matches!(outcome, Outcome::Success) {
                    self.current = Some(i);
                    if let Some(id) = id {
                        self.named.insert(id, i);
                    }
                }
            }
            Err(e) => {
                self.current = None;
                self.fail(line, format!("module failed to link: {e}"));
            }
        }
    }

    fn execute(&mut self, line: usize, exec: WastExecute, outcome: Outcome) {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(line, invoke, outcome),
            WastExecute::Get { module, global, .. } => match self.target(module) {
                Some(instance) => self.commands.push(Command {
                    line,
                    action: Action::Get {
                        instance,
                        export: global.to_string(),
                    },
                    outcome,
                }),
                None => self.fail(line, "get: no such module"),
            },
            WastExecute::Wat(mut wat) => match wat
                .encode()
                .map_err(|e| e.to_string())
                .and_then(|b| self.load(b))
            {
                Ok(module) => self.instantiate(line, None, Arc::new(module), outcome),
                Err(e) => self.fail(line, format!("module failed to load: {e}")),
            },
        }
    }

    fn invoke(&mut self, line: usize, invoke: WastInvoke, outcome: Outcome) {
        let Some(instance) = self.target(invoke.module) else {
            return self.fail(line, format!("invoke {:?}: no such module", invoke.name));
        };
        match invoke
            .args
            .iter()
            .map(argument)
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(args) => self.commands.push(Command {
                line,
                action: Action::Invoke {
                    instance,
                    export: invoke.name.to_string(),
                    args,
                },
                outcome,
            }),
            Err(e) => self.fail(line, e),
        }
    }

    fn load(&self, bytes: Vec<u8>) -> Result<ModuleInfo, String> {
        parse_module_with(bytes, self.features).map_err(|e| e.to_string())
    }

    /// Bind every import of `m` against registered instances.
    fn resolve(&self, m: &ModuleInfo, limits: Limits) -> Result<Vec<Binding>, String> {
        m.imports
            .iter()
            .map(|imp| {
                let &j = self
                    .registry
                    .get(&imp.module)
                    .ok_or_else(|| format!("unknown import {}.{}", imp.module, imp.name))?;
                let jm = &self.sources[self.instances[j].source].module;
                let export = jm
                    .export(&imp.name)
                    .ok_or_else(|| format!("unknown import {}.{}", imp.module, imp.name))?;
                if export.kind != imp.ty.kind() {
                    return Err(format!(
                        "incompatible import type for {}.{}",
                        imp.module, imp.name
                    ));
                }
                let mut actual = jm.extern_type(export.kind, export.index);
                if limits == Limits::Current {
                    allow_growth(&imp.ty, &mut actual);
                }
                wasmlink_graph::match_extern_in(
                    &imp.ty,
                    m.import_key(imp),
                    &actual,
                    &jm.item_keys(export.kind, export.index),
                )
                .map_err(|m| {
                    format!(
                        "incompatible import type for {}.{}: {m:?}",
                        imp.module, imp.name
                    )
                })?;
                Ok(self.binding(j, export.kind, export.index))
            })
            .collect()
    }

    /// The final definition behind item `index` of instance `j`.
    fn binding(&self, j: usize, kind: ExternKind, index: u32) -> Binding {
        let m = &self.sources[self.instances[j].source].module;
        if m.is_imported(kind, index) {
            let slot = m
                .imports
                .iter()
                .position(|i| i.ty.kind() == kind && i.index == index)
                .expect("imported index has an import");
            return self.instances[j].imports[slot];
        }
        let r = ItemRef { instance: j, index };
        match kind {
            ExternKind::Func => Binding::Func(r),
            ExternKind::Table => Binding::Table(r),
            ExternKind::Memory => Binding::Memory(r),
            ExternKind::Global => Binding::Global(r),
            ExternKind::Tag => Binding::Tag(r),
        }
    }
}

fn encode(m: &mut QuoteWat) -> Result<Vec<u8>, String> {
    m.encode().map_err(|e| e.to_string())
}

/// Which minimum a memory or table import is checked against.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Limits {
    /// The definition's declared minimum (what `assert_unlinkable` means).
    Declared,
    /// Its size when the importer is instantiated, which can only be larger:
    /// the generated instantiation code checks it, so the static check
    /// leaves the minimum out.
    Current,
}

/// Raise the definition's minimum to what the import asks for.
fn allow_growth(expected: &ExternType, actual: &mut ExternType) {
    match (expected, actual) {
        (ExternType::Memory(e), ExternType::Memory(a)) => a.initial = a.initial.max(e.initial),
        (ExternType::Table(e), ExternType::Table(a)) => a.initial = a.initial.max(e.initial),
        _ => {}
    }
}
