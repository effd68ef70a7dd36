//! Component value types as the canonical ABI sees them: the crate's own
//! small model, independent of any parser. The flattener converts the types
//! it reads (wasmparser's component types, see [`crate::from_wasmparser`])
//! into these; everything else in the crate — layouts, flattening, adapter
//! generation — works on them alone.
//!
//! Types are trees (a type used twice appears twice), which is what the
//! generated code follows anyway: every occurrence of a type is copied by
//! its own code. [`check_type`] bounds their size and depth before any
//! layout arithmetic, so the rest of the crate can compute in `u32`.

use std::fmt;

/// The number that identifies one resource type at run time (one `resource`
/// definition of one component instance, or a host resource). The flattener
/// assigns them; adapters pass them to the handle-table intrinsics, which
/// check that a handle is of the type the function signature says.
pub type ResourceId = u32;

/// A component-level value type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    Bool,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
    S64,
    U64,
    F32,
    F64,
    Char,
    String,
    List(Box<ValType>),
    Record(Vec<Field>),
    Tuple(Vec<ValType>),
    Variant(Vec<Case>),
    Enum(Vec<String>),
    Option(Box<ValType>),
    Result {
        ok: Option<Box<ValType>>,
        err: Option<Box<ValType>>,
    },
    /// Flags with their labels. The component model allows at most 32
    /// labels today; more are laid out as the earlier definition did (one
    /// `i32` per 32 labels), so a type with more labels still has a layout.
    Flags(Vec<String>),
    /// An owned handle to a resource of the given type.
    Own(ResourceId),
    /// A borrowed handle (parameters only).
    Borrow(ResourceId),
}

/// A record field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    pub name: String,
    pub ty: ValType,
}

/// A variant case, with or without a payload.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Case {
    pub name: String,
    pub ty: Option<ValType>,
}

/// A component function type: parameters and at most one result.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct FuncType {
    pub params: Vec<(String, ValType)>,
    pub result: Option<ValType>,
}

impl FuncType {
    /// The parameter types, in order.
    pub fn param_types(&self) -> Vec<ValType> {
        self.params.iter().map(|(_, t)| t.clone()).collect()
    }

    /// The result as a list of zero or one types.
    pub fn result_types(&self) -> Vec<ValType> {
        self.result.iter().cloned().collect()
    }
}

impl ValType {
    /// Shorthand for `list<t>`.
    pub fn list(t: ValType) -> ValType {
        ValType::List(Box::new(t))
    }

    /// Shorthand for `option<t>`.
    pub fn option(t: ValType) -> ValType {
        ValType::Option(Box::new(t))
    }

    /// Shorthand for `result<ok, err>`.
    pub fn result(ok: Option<ValType>, err: Option<ValType>) -> ValType {
        ValType::Result {
            ok: ok.map(Box::new),
            err: err.map(Box::new),
        }
    }

    /// A record with fields named `f0`, `f1`, … (tests and examples).
    pub fn record_of(types: impl IntoIterator<Item = ValType>) -> ValType {
        ValType::Record(
            types
                .into_iter()
                .enumerate()
                .map(|(i, ty)| Field {
                    name: format!("f{i}"),
                    ty,
                })
                .collect(),
        )
    }

    /// The cases of a variant-like type (`variant`, `enum`, `option`,
    /// `result`) after the canonical ABI's despecialization: `option<T>` is
    /// `variant { none, some(T) }`, `result<O, E>` is `variant { ok(O),
    /// error(E) }`, an enum is a variant without payloads. `None` for every
    /// other type.
    pub fn variant_cases(&self) -> Option<Vec<Option<&ValType>>> {
        match self {
            ValType::Variant(cases) => Some(cases.iter().map(|c| c.ty.as_ref()).collect()),
            ValType::Enum(labels) => Some(vec![None; labels.len()]),
            ValType::Option(t) => Some(vec![None, Some(t)]),
            ValType::Result { ok, err } => Some(vec![ok.as_deref(), err.as_deref()]),
            _ => None,
        }
    }

    /// The field types of a record-like type (`record`, `tuple`).
    pub fn record_fields(&self) -> Option<Vec<&ValType>> {
        match self {
            ValType::Record(fields) => Some(fields.iter().map(|f| &f.ty).collect()),
            ValType::Tuple(types) => Some(types.iter().collect()),
            _ => None,
        }
    }

    /// Whether a value of this type holds a `string` or a `list` (and so
    /// needs a memory to be passed, and a `realloc` to be received).
    pub fn contains_pointers(&self) -> bool {
        self.any(&|t| matches!(t, ValType::String | ValType::List(_)))
    }

    /// Whether the type holds a `borrow` handle.
    pub fn contains_borrow(&self) -> bool {
        self.any(&|t| matches!(t, ValType::Borrow(_)))
    }

    /// Whether the type holds an `own` handle.
    pub fn contains_own(&self) -> bool {
        self.any(&|t| matches!(t, ValType::Own(_)))
    }

    /// Whether `pred` holds for this type or any type inside it.
    pub fn any(&self, pred: &dyn Fn(&ValType) -> bool) -> bool {
        if pred(self) {
            return true;
        }
        match self {
            ValType::List(t) | ValType::Option(t) => t.any(pred),
            ValType::Record(fields) => fields.iter().any(|f| f.ty.any(pred)),
            ValType::Tuple(types) => types.iter().any(|t| t.any(pred)),
            ValType::Variant(cases) => cases
                .iter()
                .any(|c| c.ty.as_ref().is_some_and(|t| t.any(pred))),
            ValType::Result { ok, err } => {
                ok.as_ref().is_some_and(|t| t.any(pred))
                    || err.as_ref().is_some_and(|t| t.any(pred))
            }
            _ => false,
        }
    }
}

/// The most nodes a type (all function parameters and the result together)
/// may have: adapter code grows with it.
pub const MAX_TYPE_NODES: usize = 100_000;
/// The deepest a type may nest: the generator recurses once per level.
pub const MAX_TYPE_DEPTH: usize = 100;
/// Why a type cannot be given a layout.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TypeError {
    #[error("type `{ty}` has a record, tuple, variant, enum or flags without members")]
    Empty { ty: String },
    #[error("type has more than {MAX_TYPE_NODES} nodes")]
    TooManyNodes,
    #[error("type nests more than {MAX_TYPE_DEPTH} levels deep")]
    TooDeep,
}

/// Check that `types` can be laid out: no empty aggregates (the canonical
/// ABI forbids them), at most [`MAX_TYPE_NODES`] nodes in total (every
/// enum and flags label counts as one), at most [`MAX_TYPE_DEPTH`] levels.
/// A type within these bounds takes well under 2^28 bytes (at most 16
/// bytes per node), the component model's bound on `elem_size`, so layout
/// arithmetic in `u32` cannot overflow.
pub fn check_types<'a>(types: impl IntoIterator<Item = &'a ValType>) -> Result<(), TypeError> {
    let mut nodes = 0usize;
    for ty in types {
        check_node(ty, 0, &mut nodes)?;
    }
    Ok(())
}

/// [`check_types`] for one type.
pub fn check_type(ty: &ValType) -> Result<(), TypeError> {
    check_types([ty])
}

fn check_node(ty: &ValType, depth: usize, nodes: &mut usize) -> Result<(), TypeError> {
    if depth > MAX_TYPE_DEPTH {
        return Err(TypeError::TooDeep);
    }
    *nodes += 1;
    if *nodes > MAX_TYPE_NODES {
        return Err(TypeError::TooManyNodes);
    }
    let empty = || TypeError::Empty { ty: ty.to_string() };
    match ty {
        ValType::List(t) | ValType::Option(t) => {
            check_node(t, depth + 1, nodes)?;
        }
        ValType::Record(fields) => {
            if fields.is_empty() {
                return Err(empty());
            }
            for f in fields {
                check_node(&f.ty, depth + 1, nodes)?;
            }
        }
        ValType::Tuple(types) => {
            if types.is_empty() {
                return Err(empty());
            }
            for t in types {
                check_node(t, depth + 1, nodes)?;
            }
        }
        ValType::Variant(cases) => {
            if cases.is_empty() {
                return Err(empty());
            }
            for t in cases.iter().filter_map(|c| c.ty.as_ref()) {
                check_node(t, depth + 1, nodes)?;
            }
        }
        ValType::Enum(labels) | ValType::Flags(labels) => {
            if labels.is_empty() {
                return Err(empty());
            }
            *nodes = nodes.saturating_add(labels.len());
            if *nodes > MAX_TYPE_NODES {
                return Err(TypeError::TooManyNodes);
            }
        }
        ValType::Result { ok, err } => {
            for t in [ok, err].into_iter().flatten() {
                check_node(t, depth + 1, nodes)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// WIT syntax: `list<record { a: string, b: option<u8> }>`.
impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValType::Bool => f.write_str("bool"),
            ValType::S8 => f.write_str("s8"),
            ValType::U8 => f.write_str("u8"),
            ValType::S16 => f.write_str("s16"),
            ValType::U16 => f.write_str("u16"),
            ValType::S32 => f.write_str("s32"),
            ValType::U32 => f.write_str("u32"),
            ValType::S64 => f.write_str("s64"),
            ValType::U64 => f.write_str("u64"),
            ValType::F32 => f.write_str("f32"),
            ValType::F64 => f.write_str("f64"),
            ValType::Char => f.write_str("char"),
            ValType::String => f.write_str("string"),
            ValType::List(t) => write!(f, "list<{t}>"),
            ValType::Record(fields) => {
                f.write_str("record { ")?;
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: {}", field.name, field.ty)?;
                }
                f.write_str(" }")
            }
            ValType::Tuple(types) => {
                f.write_str("tuple<")?;
                for (i, t) in types.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(">")
            }
            ValType::Variant(cases) => {
                f.write_str("variant { ")?;
                for (i, case) in cases.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(&case.name)?;
                    if let Some(t) = &case.ty {
                        write!(f, "({t})")?;
                    }
                }
                f.write_str(" }")
            }
            ValType::Enum(labels) => write!(f, "enum {{ {} }}", labels.join(", ")),
            ValType::Flags(labels) => write!(f, "flags {{ {} }}", labels.join(", ")),
            ValType::Option(t) => write!(f, "option<{t}>"),
            ValType::Result { ok, err } => match (ok, err) {
                (None, None) => f.write_str("result"),
                (Some(ok), None) => write!(f, "result<{ok}>"),
                (None, Some(err)) => write!(f, "result<_, {err}>"),
                (Some(ok), Some(err)) => write!(f, "result<{ok}, {err}>"),
            },
            ValType::Own(r) => write!(f, "own<resource{r}>"),
            ValType::Borrow(r) => write!(f, "borrow<resource{r}>"),
        }
    }
}

/// WIT syntax: `func(a: string, b: u32) -> list<u8>`.
impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("func(")?;
        for (i, (name, t)) in self.params.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name}: {t}")?;
        }
        f.write_str(")")?;
        if let Some(r) = &self.result {
            write!(f, " -> {r}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_wit() {
        let t = ValType::list(ValType::Record(vec![
            Field {
                name: "name".into(),
                ty: ValType::String,
            },
            Field {
                name: "data".into(),
                ty: ValType::option(ValType::list(ValType::U8)),
            },
        ]));
        assert_eq!(
            t.to_string(),
            "list<record { name: string, data: option<list<u8>> }>"
        );
        assert_eq!(
            ValType::result(None, Some(ValType::Enum(vec!["a".into(), "b".into()]))).to_string(),
            "result<_, enum { a, b }>"
        );
        let f = FuncType {
            params: vec![("s".into(), ValType::String)],
            result: Some(ValType::U32),
        };
        assert_eq!(f.to_string(), "func(s: string) -> u32");
    }

    #[test]
    fn checks_reject_empty_deep_and_huge_types() {
        assert!(matches!(
            check_type(&ValType::Record(vec![])),
            Err(TypeError::Empty { .. })
        ));
        assert!(matches!(
            check_type(&ValType::Flags(vec![])),
            Err(TypeError::Empty { .. })
        ));
        let mut deep = ValType::U8;
        for _ in 0..=MAX_TYPE_DEPTH {
            deep = ValType::option(deep);
        }
        assert_eq!(check_type(&deep), Err(TypeError::TooDeep));
        // 2^10 * 2^10 * 2^10 bytes: a tuple of tuples of tuples of 1024 u8s.
        let kb = ValType::Tuple(vec![ValType::U8; 1024]);
        let mb = ValType::Tuple(vec![kb; 1024]);
        assert_eq!(check_type(&mb), Err(TypeError::TooManyNodes));
        let labels = (0..MAX_TYPE_NODES).map(|i| format!("f{i}")).collect();
        assert_eq!(
            check_type(&ValType::Flags(labels)),
            Err(TypeError::TooManyNodes)
        );
        let ok = ValType::Tuple(vec![ValType::Tuple(vec![ValType::U64; 1 << 13]); 1 << 3]);
        assert!(check_type(&ok).is_ok());
        assert!(check_type(&ValType::list(ValType::String)).is_ok());
    }
}
