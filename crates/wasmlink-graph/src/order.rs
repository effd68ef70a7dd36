//! Instantiation order.
//!
//! An instance comes after every instance it imports a global, memory or
//! table from (strong edges: the value must exist first). Function imports
//! are weak edges: the callee is put first when it can be, but cycles
//! through functions are legal (all code exists statically). A cycle of
//! strong edges can never be satisfied and is an error naming the
//! instances and imports in it. Ties are broken by instance index (manifest
//! order, then discovery order), so the order is deterministic.

use crate::error::GraphError;
use crate::instance_graph::InstanceId;
use wasmlink_module::ExternKind;

/// `importer` imports item `module`.`name` defined by `definer`.
#[derive(Clone, Debug)]
pub(crate) struct Dep {
    pub importer: InstanceId,
    pub definer: InstanceId,
    /// Non-function import: `definer` must be instantiated first.
    pub strong: bool,
    pub kind: ExternKind,
    pub module: String,
    pub name: String,
}

/// Order instances `0..names.len()` (dependencies first).
pub(crate) fn instantiation_order(
    names: &[String],
    deps: &[Dep],
) -> Result<Vec<InstanceId>, GraphError> {
    let n = names.len();
    let mut strong: Vec<Vec<InstanceId>> = vec![Vec::new(); n];
    let mut all: Vec<Vec<InstanceId>> = vec![Vec::new(); n];
    for d in deps {
        if d.importer >= n || d.definer >= n {
            continue;
        }
        if d.strong && !strong[d.importer].contains(&d.definer) {
            strong[d.importer].push(d.definer);
        }
        if d.importer != d.definer && !all[d.importer].contains(&d.definer) {
            all[d.importer].push(d.definer);
        }
    }
    for v in strong.iter_mut().chain(all.iter_mut()) {
        v.sort_unstable();
    }
    if let Some(cycle) = find_cycle(&strong) {
        return Err(cycle_error(names, deps, &cycle));
    }

    // Strongly connected components of all edges (mutual reachability;
    // graphs are small). comp[i] = smallest member of i's component.
    let reach: Vec<Vec<bool>> = (0..n).map(|i| reachable(&all, i)).collect();
    let comp: Vec<usize> = (0..n)
        .map(|i| (0..n).find(|&j| reach[i][j] && reach[j][i]).unwrap_or(i))
        .collect();

    // Components in dependency order: depth first from each instance in
    // index order, dependencies (by index) before dependents, so instances
    // keep their manifest order except where a dependency must move up.
    // Inside a component: a strong-edge topological order that prefers
    // instances whose function dependencies are already placed.
    let comp_deps = |c: usize| {
        let mut d: Vec<usize> = (0..n)
            .filter(|&i| comp[i] == c)
            .flat_map(|i| all[i].iter().map(|&j| comp[j]))
            .filter(|&k| k != c)
            .collect();
        d.sort_unstable();
        d.dedup();
        d
    };
    let mut placed = vec![false; n];
    let mut visited = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for root in 0..n {
        let root = comp[root];
        if visited[root] {
            continue;
        }
        visited[root] = true;
        let mut stack: Vec<(usize, Vec<usize>, usize)> = vec![(root, comp_deps(root), 0)];
        while let Some((c, deps, next)) = stack.last_mut() {
            if let Some(&d) = deps.get(*next) {
                *next += 1;
                if !visited[d] {
                    visited[d] = true;
                    let dd = comp_deps(d);
                    stack.push((d, dd, 0));
                }
                continue;
            }
            let c = *c;
            stack.pop();
            place_component(c, &comp, &strong, &all, &mut placed, &mut order);
        }
    }
    // Anything left (cannot happen: every component is visited).
    for (i, p) in placed.iter().enumerate() {
        if !p {
            order.push(i);
        }
    }
    Ok(order)
}

fn place_component(
    c: usize,
    comp: &[usize],
    strong: &[Vec<usize>],
    all: &[Vec<usize>],
    placed: &mut [bool],
    order: &mut Vec<usize>,
) {
    let members: Vec<usize> = (0..comp.len()).filter(|&i| comp[i] == c).collect();
    loop {
        let ready: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| !placed[i] && strong[i].iter().all(|&d| d == i || placed[d]))
            .collect();
        let pick = ready
            .iter()
            .copied()
            .find(|&i| all[i].iter().all(|&d| placed[d]))
            .or_else(|| ready.first().copied());
        match pick {
            Some(i) => {
                placed[i] = true;
                order.push(i);
            }
            None => break,
        }
    }
    // Unreachable when strong edges are acyclic; never loop or drop one.
    for &i in &members {
        if !placed[i] {
            placed[i] = true;
            order.push(i);
        }
    }
}

fn reachable(adj: &[Vec<usize>], from: usize) -> Vec<bool> {
    let mut seen = vec![false; adj.len()];
    let mut stack = vec![from];
    seen[from] = true;
    while let Some(i) = stack.pop() {
        for &j in &adj[i] {
            if !seen[j] {
                seen[j] = true;
                stack.push(j);
            }
        }
    }
    seen
}

/// A cycle of `adj` as a node path whose last node equals the first.
fn find_cycle(adj: &[Vec<usize>]) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Color {
        White,
        Gray,
        Black,
    }
    let n = adj.len();
    let mut color = vec![Color::White; n];
    for root in 0..n {
        if color[root] != Color::White {
            continue;
        }
        // (node, next child position)
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        color[root] = Color::Gray;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&child) = adj[node].get(*next) {
                *next += 1;
                match color[child] {
                    Color::White => {
                        color[child] = Color::Gray;
                        stack.push((child, 0));
                    }
                    Color::Gray => {
                        let start = stack.iter().position(|&(m, _)| m == child).unwrap_or(0);
                        let mut cycle: Vec<usize> =
                            stack[start..].iter().map(|&(m, _)| m).collect();
                        cycle.push(child);
                        return Some(cycle);
                    }
                    Color::Black => {}
                }
            } else {
                color[node] = Color::Black;
                stack.pop();
            }
        }
    }
    None
}

fn cycle_error(names: &[String], deps: &[Dep], cycle: &[usize]) -> GraphError {
    let path: Vec<String> = cycle.iter().map(|&i| format!("\"{}\"", names[i])).collect();
    let steps: Vec<String> = cycle
        .windows(2)
        .filter_map(|w| {
            deps.iter()
                .find(|d| d.strong && d.importer == w[0] && d.definer == w[1])
                .map(|d| {
                    let from = if w[0] == w[1] {
                        "itself".to_string()
                    } else {
                        format!("instance \"{}\"", names[w[1]])
                    };
                    format!(
                        "instance \"{}\" imports {} \"{}\" \"{}\" from {from}",
                        names[w[0]],
                        d.kind.describe(),
                        d.module,
                        d.name
                    )
                })
        })
        .collect();
    let mut instances: Vec<String> = Vec::new();
    for &i in cycle {
        if !instances.contains(&names[i]) {
            instances.push(names[i].clone());
        }
    }
    GraphError::Cycle {
        message: format!(
            "instances {} form a cycle of non-function imports: {}; a global, memory or table must exist before the instance that imports it, so only cycles through function imports are allowed",
            path.join(" → "),
            steps.join("; ")
        ),
        instances,
    }
}

#[cfg(test)]
mod tests {
    use crate::resolve_cases::load_err;
    use crate::GraphError;

    #[test]
    fn cycles_of_non_function_imports_name_their_instances() {
        let GraphError::Cycle { instances, message } = load_err("order_global_cycles_are_rejected")
        else {
            panic!("expected a cycle");
        };
        assert_eq!(instances, ["a", "b"]);
        assert!(
            message.starts_with(r#"instances "a" → "b" → "a" form a cycle"#),
            "{message}"
        );
    }
}
