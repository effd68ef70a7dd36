//! Random trees of shifts, rotations, masks, ors, xors and adds -- byte
//! swaps as compilers write them, and near misses of them -- run through
//! the real pipeline and checked against an evaluation here. The code
//! generator turns the trees that reverse a value's bytes into `bswap`
//! (`wasmlink-codegen`'s `translate/byte_swap.rs`); this test checks that
//! every tree, recognised or not, still computes what Wasm says.

use wasmlink::wast::{features_for_folder, run_script};
use wasmlink_differential::Rng;

/// Random choices over the differential tests' generator: the same trees
/// on every run.
trait Choose {
    fn below(&mut self, n: u64) -> u64;
    fn chance(&mut self, percent: u64) -> bool;
}

impl Choose for Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Shl,
    ShrU,
    Rotl,
    Rotr,
}

enum Expr {
    /// Parameter 0 (`x`) or 1 (`y`).
    Param(u32),
    Shift(Op, Box<Expr>, u32),
    And(Box<Expr>, u64),
    Or(Box<Expr>, Box<Expr>),
    Xor(Box<Expr>, Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
}

impl Expr {
    fn eval(&self, bits: u32, args: [u64; 2]) -> u64 {
        let mask = if bits == 64 {
            u64::MAX
        } else {
            (1 << bits) - 1
        };
        let v = match self {
            Expr::Param(i) => args[*i as usize],
            Expr::Shift(op, e, by) => {
                let v = e.eval(bits, args);
                let by = by % bits;
                match op {
                    Op::Shl => v << by,
                    Op::ShrU => v >> by,
                    Op::Rotl if by == 0 => v,
                    Op::Rotl => (v << by) | (v >> (bits - by)),
                    Op::Rotr if by == 0 => v,
                    Op::Rotr => (v >> by) | (v << (bits - by)),
                }
            }
            Expr::And(e, m) => e.eval(bits, args) & m,
            Expr::Or(a, b) => a.eval(bits, args) | b.eval(bits, args),
            Expr::Xor(a, b) => a.eval(bits, args) ^ b.eval(bits, args),
            Expr::Add(a, b) => a.eval(bits, args).wrapping_add(b.eval(bits, args)),
        };
        v & mask
    }

    fn wat(&self, ty: &str) -> String {
        match self {
            Expr::Param(i) => format!("(local.get {i})"),
            Expr::Shift(op, e, by) => {
                let name = match op {
                    Op::Shl => "shl",
                    Op::ShrU => "shr_u",
                    Op::Rotl => "rotl",
                    Op::Rotr => "rotr",
                };
                format!("({ty}.{name} {} ({ty}.const {by}))", e.wat(ty))
            }
            Expr::And(e, m) => format!("({ty}.and {} ({ty}.const {m}))", e.wat(ty)),
            Expr::Or(a, b) => format!("({ty}.or {} {})", a.wat(ty), b.wat(ty)),
            Expr::Xor(a, b) => format!("({ty}.xor {} {})", a.wat(ty), b.wat(ty)),
            Expr::Add(a, b) => format!("({ty}.add {} {})", a.wat(ty), b.wat(ty)),
        }
    }
}

/// One leaf per output byte moving source byte `from[k]` to byte `k`,
/// the way compilers write a swap, joined by ors (sometimes xors or adds)
/// in a random shape; `perturb` spoils it in one random place.
fn swap_like(rng: &mut Rng, bytes: u32, perturb: bool) -> Expr {
    let bits = bytes * 8;
    let mut leaves: Vec<Expr> = (0..bytes)
        .map(|k| {
            let from = bytes - 1 - k;
            let keep: u64 = 0xff << (8 * k);
            let (op, by) = if k >= from {
                (Op::Shl, 8 * (k - from))
            } else {
                (Op::ShrU, 8 * (from - k))
            };
            let op = match op {
                Op::Shl if rng.chance(20) => Op::Rotl,
                Op::ShrU if rng.chance(20) => Op::Rotr,
                op => op,
            };
            let moved = Expr::Shift(op, Box::new(Expr::Param(0)), by);
            // The outermost bytes need no mask after a plain shift.
            let plain_edge = (k == 0 && op == Op::ShrU) || (k == bytes - 1 && op == Op::Shl);
            if plain_edge && rng.chance(70) {
                moved
            } else if rng.chance(30) {
                // Mask before the shift: keep the source byte.
                let source_mask: u64 = 0xff << (8 * from);
                Expr::Shift(
                    op,
                    Box::new(Expr::And(Box::new(Expr::Param(0)), source_mask)),
                    by,
                )
            } else {
                Expr::And(Box::new(moved), keep)
            }
        })
        .collect();
    if perturb {
        let at = rng.below(leaves.len() as u64) as usize;
        let leaf = std::mem::replace(&mut leaves[at], Expr::Param(0));
        leaves[at] = match rng.below(5) {
            0 => Expr::And(Box::new(leaf), rng.next_u64() >> (64 - bits)),
            1 => Expr::Shift(Op::Shl, Box::new(leaf), 1 + rng.below(7) as u32),
            2 => Expr::Or(Box::new(leaf), Box::new(Expr::Param(1))),
            3 => Expr::Shift(
                Op::ShrU,
                Box::new(Expr::Param(1)),
                8 * rng.below(bytes as u64) as u32,
            ),
            _ => Expr::Shift(Op::Rotl, Box::new(leaf), 8),
        };
    }
    while leaves.len() > 1 {
        let i = rng.below(leaves.len() as u64 - 1) as usize;
        let a = leaves.remove(i);
        let b = leaves.remove(i);
        let joined = match rng.below(10) {
            0 => Expr::Xor(Box::new(a), Box::new(b)),
            1 => Expr::Add(Box::new(a), Box::new(b)),
            _ => Expr::Or(Box::new(a), Box::new(b)),
        };
        leaves.insert(i, joined);
    }
    leaves.pop().expect("at least one byte")
}

/// Any tree of the same operations, byte-sized shifts and byte masks
/// more likely than others.
fn random_tree(rng: &mut Rng, bits: u32, depth: u32) -> Expr {
    if depth == 0 || rng.chance(20) {
        return Expr::Param(rng.below(2) as u32);
    }
    let sub = |rng: &mut Rng| Box::new(random_tree(rng, bits, depth - 1));
    match rng.below(6) {
        0 | 1 => {
            let op = [Op::Shl, Op::ShrU, Op::Rotl, Op::Rotr][rng.below(4) as usize];
            let by = if rng.chance(75) {
                8 * rng.below(u64::from(bits / 8)) as u32
            } else {
                rng.below(2 * u64::from(bits)) as u32
            };
            Expr::Shift(op, sub(rng), by)
        }
        2 => {
            let mask = if rng.chance(75) {
                (0..bits / 8).fold(0u64, |m, k| {
                    if rng.chance(50) {
                        m | 0xff << (8 * k)
                    } else {
                        m
                    }
                })
            } else {
                rng.next_u64() >> (64 - bits)
            };
            Expr::And(sub(rng), mask)
        }
        3 => Expr::Xor(sub(rng), sub(rng)),
        4 => Expr::Add(sub(rng), sub(rng)),
        _ => Expr::Or(sub(rng), sub(rng)),
    }
}

#[test]
fn byte_permuting_trees_compute_what_wasm_says() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut funcs = String::new();
    let mut asserts = String::new();
    let inputs = |rng: &mut Rng| {
        let mut v = vec![0, u64::MAX, 0x0102_0304_0506_0708, 0x8000_0000_0000_00ff];
        v.extend((0..4).map(|_| rng.next_u64()));
        v
    };
    for n in 0..400 {
        let bits = if n % 2 == 0 { 32 } else { 64 };
        let ty = if bits == 32 { "i32" } else { "i64" };
        let tree = match n % 5 {
            0 | 1 => swap_like(&mut rng, bits / 8, false),
            2 | 3 => swap_like(&mut rng, bits / 8, true),
            _ => random_tree(&mut rng, bits, 5),
        };
        funcs.push_str(&format!(
            "  (func (export \"f{n}\") (param {ty} {ty}) (result {ty}) {})\n",
            tree.wat(ty)
        ));
        let xs = inputs(&mut rng);
        for (i, &x) in xs.iter().enumerate() {
            let mask = if bits == 64 {
                u64::MAX
            } else {
                (1 << bits) - 1
            };
            let (x, y) = (x & mask, xs[(i + 3) % xs.len()] & mask);
            let want = tree.eval(bits, [x, y]);
            asserts.push_str(&format!(
                "(assert_return (invoke \"f{n}\" ({ty}.const {x}) ({ty}.const {y})) ({ty}.const {want}))\n"
            ));
        }
    }
    let script = format!("(module\n{funcs})\n{asserts}");
    let report = run_script(
        "byte-trees.wast",
        &script,
        features_for_folder("tests/wast"),
    );
    assert!(report.unsupported.is_empty(), "{:?}", report.unsupported);
    // Every assertion ran (the module's definition counts as well).
    assert!(report.passed + report.failures.len() > 400 * 8);
    assert!(
        report.failures.is_empty(),
        "{} of the trees differ:\n{}",
        report.failures.len(),
        report.failures.join("\n")
    );
}
