//! What instances start with that is known at build time, and the build
//! modes of pre-initialisation.
//!
//! * **Memory images.** A defined memory whose active data segments all
//!   have offsets known at build time (constants, or globals whose
//!   definitions are constants, followed through imports) and fit its
//!   initial size starts from an image: its contents after those
//!   segments, as page runs the object holds in its image section
//!   (`wasmlink_abi::preinit`), mapped by the runtime instead of copied.
//!   The segments then cost nothing at start-up (they are dropped
//!   statically). A memory with a segment that is not known, or that
//!   does not fit (which traps), keeps the copying path: segments are
//!   applied one by one, in order, as the spec says.
//! * **Pre-initialisation** ([`Preinit`]). A snapshot-mode build stops
//!   after instantiation to take a snapshot (`crate::preinit`); a build
//!   from a snapshot ([`Preinit::Restore`]) starts every instance in the
//!   snapshot's state: memories from images of their snapshot contents
//!   and sizes, tables from static element arrays, globals and segments
//!   as the vmctx's static contents, and no start function,
//!   `_initialize` or init export runs again.
//!
//! Instances that may spawn threads (wasi-threads) get no image: a new
//! thread's instance is instantiated afresh from the vmctx image, with
//! every segment where it was.

use crate::snapshot::Snapshot;
use std::collections::BTreeMap;
use std::sync::Arc;
use wasmlink_abi::preinit::IMAGE_PAGE;
use wasmlink_abi::PAGE_SIZE;
use wasmlink_graph::InstanceGraph;
use wasmlink_module::{ConstExpr, ConstOp, DataMode, ExternKind};

/// What a build does about pre-initialisation.
#[derive(Clone, Debug, Default)]
pub enum Preinit {
    /// An ordinary build.
    #[default]
    Off,
    /// Snapshot mode: instantiate, call `init` (an instance and a function
    /// of its index space) if given, then write a snapshot and exit. The
    /// program sees `argv0` as its only argument meanwhile.
    Snapshot {
        init: Option<(usize, u32)>,
        argv0: String,
    },
    /// Start from `snapshot`, taken of the same graph with init export
    /// `init`.
    Restore {
        snapshot: Arc<Snapshot>,
        init: Option<(usize, u32)>,
    },
}

impl Preinit {
    pub fn is_snapshot(&self) -> bool {
        matches!(self, Preinit::Snapshot { .. })
    }

    pub fn snapshot(&self) -> Option<&Snapshot> {
        match self {
            Preinit::Restore { snapshot, .. } => Some(snapshot),
            _ => None,
        }
    }

    /// Functions that run at build time beyond those every build runs
    /// (start functions, `_initialize`): the init export. Whole-program
    /// analyses must count it as called, in the snapshot program that
    /// calls it and in the build from its snapshot, whose tables and
    /// globals may name functions only it names.
    pub fn roots(&self) -> Vec<(usize, u32)> {
        match *self {
            Preinit::Snapshot { init, .. } | Preinit::Restore { init, .. } => {
                init.into_iter().collect()
            }
            Preinit::Off => Vec::new(),
        }
    }
}

/// Zero pages shorter than this between non-zero ones stay inside one
/// image run: a run costs the runtime a `mmap`, a zero page 4 KiB of file.
const IMAGE_GAP_PAGES: u64 = 16;

/// One run of an image: bytes (a whole number of image pages) for an
/// image-page-aligned offset of the memory.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImageRun {
    pub offset: u64,
    pub bytes: Vec<u8>,
}

/// How a defined memory starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryInit {
    /// Its size when created, in wasm pages.
    pub pages: u64,
    /// Its contents (nothing outside the runs is non-zero).
    pub runs: Vec<ImageRun>,
}

/// Everything known at build time about how instances start.
#[derive(Clone, Debug, Default)]
pub struct InitialState {
    /// Defined memories that start from an image, by (instance, memory
    /// index): their active data segments (or their snapshot) are in it.
    pub memories: BTreeMap<(usize, u32), MemoryInit>,
}

impl InitialState {
    pub fn new(graph: &InstanceGraph, preinit: &Preinit) -> InitialState {
        let mut memories = BTreeMap::new();
        for i in 0..graph.instances.len() {
            if graph.instance_spawns_threads(i) {
                continue;
            }
            let m = graph.module(i);
            for j in m.num_imported_memories..m.memories.len() as u32 {
                let init = match preinit.snapshot() {
                    Some(s) => Some(from_snapshot(s, i, j)),
                    None => from_segments(graph, i, j),
                };
                if let Some(init) = init {
                    memories.insert((i, j), init);
                }
            }
        }
        InitialState { memories }
    }

    /// Whether active data segment `segment` of `instance` is part of a
    /// memory image (so instantiation does not apply it).
    pub fn segment_in_image(&self, graph: &InstanceGraph, instance: usize, segment: u32) -> bool {
        match &graph.module(instance).data[segment as usize].mode {
            DataMode::Active { memory, .. } => self.memories.contains_key(&(instance, *memory)),
            DataMode::Passive => false,
        }
    }
}

/// The image of defined memory `j` of instance `i` from a snapshot.
fn from_snapshot(s: &Snapshot, i: usize, j: u32) -> MemoryInit {
    let state = &s.instances[i].memories[&j];
    let mut pages = BTreeMap::new();
    for (at, bytes) in &state.runs {
        write(&mut pages, *at, bytes);
    }
    MemoryInit {
        pages: state.length / PAGE_SIZE,
        runs: runs(pages),
    }
}

/// The image of defined memory `j` of instance `i` after its active data
/// segments, if they are all known and fit its initial size.
fn from_segments(graph: &InstanceGraph, i: usize, j: u32) -> Option<MemoryInit> {
    let m = graph.module(i);
    let ty = m.memories[j as usize];
    let size = ty.initial.checked_mul(PAGE_SIZE)?;
    let mut pages = BTreeMap::new();
    for seg in &m.data {
        let DataMode::Active { memory, offset } = &seg.mode else {
            continue;
        };
        if *memory != j {
            continue;
        }
        let at = match eval_int(graph, i, offset, 0)? {
            Int::I32(v) if !ty.memory64 => u64::from(v as u32),
            Int::I64(v) if ty.memory64 => v as u64,
            _ => return None,
        };
        let bytes = &m.bytes[seg.range.clone()];
        if !fits(at, bytes.len() as u64, size) {
            return None;
        }
        write(&mut pages, at, bytes);
    }
    Some(MemoryInit {
        pages: ty.initial,
        runs: runs(pages),
    })
}

fn fits(at: u64, len: u64, size: u64) -> bool {
    at.checked_add(len).is_some_and(|end| end <= size)
}

/// Image pages by page number.
type Pages = BTreeMap<u64, Box<[u8]>>;

/// Write `bytes` at `at` into `pages` (later writes win, as later
/// segments do).
fn write(pages: &mut Pages, at: u64, bytes: &[u8]) {
    let page = IMAGE_PAGE as usize;
    let mut done = 0;
    while done < bytes.len() {
        let pos = at + done as u64;
        let (number, within) = (pos / IMAGE_PAGE, (pos % IMAGE_PAGE) as usize);
        let n = (page - within).min(bytes.len() - done);
        let p = pages
            .entry(number)
            .or_insert_with(|| vec![0; page].into_boxed_slice());
        p[within..within + n].copy_from_slice(&bytes[done..done + n]);
        done += n;
    }
}

/// The non-zero pages as runs, short zero gaps kept inside a run.
fn runs(pages: Pages) -> Vec<ImageRun> {
    let mut out: Vec<ImageRun> = Vec::new();
    let mut last = None;
    for (number, p) in pages {
        if p.iter().all(|&b| b == 0) {
            continue;
        }
        let offset = number * IMAGE_PAGE;
        match (out.last_mut(), last) {
            (Some(run), Some(prev)) if number - prev <= IMAGE_GAP_PAGES => {
                let gap = (number - prev - 1) * IMAGE_PAGE;
                run.bytes.resize(run.bytes.len() + gap as usize, 0);
                run.bytes.extend_from_slice(&p);
            }
            _ => out.push(ImageRun {
                offset,
                bytes: p.into_vec(),
            }),
        }
        last = Some(number);
    }
    out
}

/// An integer a constant expression evaluates to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Int {
    I32(i32),
    I64(i64),
}

/// The offset constant expression `expr` gives in instance `i`, if it is
/// known at build time (an `i32` offset zero-extended).
pub(crate) fn static_offset(graph: &InstanceGraph, i: usize, expr: &ConstExpr) -> Option<u64> {
    Some(match eval_int(graph, i, expr, 0)? {
        Int::I32(v) => u64::from(v as u32),
        Int::I64(v) => v as u64,
    })
}

/// How deep `global.get` chains are followed (they end at a constant; a
/// cycle is refused by the resolver, this is only a backstop).
const MAX_DEPTH: u32 = 64;

/// The integer `expr` evaluates to in instance `i`, if it can be known at
/// build time: constants and arithmetic on them, and immutable globals
/// (the only ones constant expressions may read) through their
/// definitions' initialisers.
fn eval_int(graph: &InstanceGraph, i: usize, expr: &ConstExpr, depth: u32) -> Option<Int> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut stack: Vec<Int> = Vec::new();
    for op in &expr.0 {
        let value = match *op {
            ConstOp::I32Const(v) => Int::I32(v),
            ConstOp::I64Const(v) => Int::I64(v),
            ConstOp::GlobalGet(g) => {
                let def = graph.resolve_item(i, ExternKind::Global, g);
                let global = &graph.module(def.instance).globals[def.index as usize];
                if global.ty.mutable {
                    return None;
                }
                eval_int(graph, def.instance, global.init.as_ref()?, depth + 1)?
            }
            ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                let (Int::I32(y), Int::I32(x)) = (stack.pop()?, stack.pop()?) else {
                    return None;
                };
                Int::I32(match op {
                    ConstOp::I32Add => x.wrapping_add(y),
                    ConstOp::I32Sub => x.wrapping_sub(y),
                    _ => x.wrapping_mul(y),
                })
            }
            ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                let (Int::I64(y), Int::I64(x)) = (stack.pop()?, stack.pop()?) else {
                    return None;
                };
                Int::I64(match op {
                    ConstOp::I64Add => x.wrapping_add(y),
                    ConstOp::I64Sub => x.wrapping_sub(y),
                    _ => x.wrapping_mul(y),
                })
            }
            _ => return None,
        };
        stack.push(value);
    }
    match stack.as_slice() {
        [v] => Some(*v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(spec: &[(u64, u8)]) -> Pages {
        let mut p = Pages::new();
        for &(n, byte) in spec {
            write(&mut p, n * IMAGE_PAGE + 1, &[byte]);
        }
        p
    }

    #[test]
    fn zero_pages_are_trimmed_and_long_gaps_split_runs() {
        let r = runs(pages(&[
            (2, 1),
            (3, 0),
            (5, 2),
            (5 + IMAGE_GAP_PAGES + 1, 3),
        ]));
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].offset, 2 * IMAGE_PAGE);
        assert_eq!(r[0].bytes.len() as u64, 4 * IMAGE_PAGE);
        assert_eq!(r[0].bytes[1], 1);
        assert_eq!(r[0].bytes[3 * IMAGE_PAGE as usize + 1], 2);
        assert_eq!(r[1].offset, (5 + IMAGE_GAP_PAGES + 1) * IMAGE_PAGE);
        assert_eq!(r[1].bytes.len() as u64, IMAGE_PAGE);
        assert!(runs(pages(&[(0, 0)])).is_empty());
    }

    #[test]
    fn later_writes_win_across_pages() {
        let mut p = Pages::new();
        write(&mut p, IMAGE_PAGE - 2, b"abcd");
        write(&mut p, IMAGE_PAGE - 1, b"X");
        let r = runs(p);
        assert_eq!(r.len(), 1);
        let at = IMAGE_PAGE as usize - 2;
        assert_eq!(&r[0].bytes[at..at + 4], b"aXcd");
    }
}
