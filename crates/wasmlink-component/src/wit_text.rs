//! Component types printed as WIT writes them (`func(x: u32) -> result<_,
//! string>`), for messages and `wasmlink graph`. Named types are printed
//! structurally (`record { a: u32 }`), since a component binary keeps type
//! names only in export names; resource types print as `resource`.

use wasmparser::component_types::{
    ComponentDefinedType, ComponentEntityType, ComponentFuncTypeId, ComponentValType,
};
use wasmparser::types::Types;
use wasmparser::PrimitiveValType;

/// How deep a type is printed before `…` (types can be large).
const MAX_DEPTH: usize = 8;

/// `func(a: u32, b: string) -> list<u8>`.
pub fn describe_func_type(types: &Types, id: ComponentFuncTypeId) -> String {
    let f = &types[id];
    let params: Vec<String> = f
        .params
        .iter()
        .map(|(name, ty)| format!("{}: {}", name.as_str(), val(types, ty, 0)))
        .collect();
    let mut out = format!("func({})", params.join(", "));
    if let Some(r) = &f.result {
        out.push_str(" -> ");
        out.push_str(&val(types, r, 0));
    }
    out
}

/// A value type: `u32`, `list<string>`, `option<record { a: u8 }>`.
pub fn describe_val_type(types: &Types, ty: &ComponentValType) -> String {
    val(types, ty, 0)
}

/// What an import or export is: a function type, `instance`, `type`, ….
pub fn describe_entity_type(types: &Types, ty: &ComponentEntityType) -> String {
    match ty {
        ComponentEntityType::Func(f) => describe_func_type(types, *f),
        ComponentEntityType::Instance(_) => "instance".to_string(),
        ComponentEntityType::Type { .. } => "type".to_string(),
        ComponentEntityType::Module(_) => "core module".to_string(),
        ComponentEntityType::Component(_) => "component".to_string(),
        ComponentEntityType::Value(v) => format!("value {}", val(types, v, 0)),
    }
}

fn primitive(p: PrimitiveValType) -> &'static str {
    match p {
        PrimitiveValType::Bool => "bool",
        PrimitiveValType::S8 => "s8",
        PrimitiveValType::U8 => "u8",
        PrimitiveValType::S16 => "s16",
        PrimitiveValType::U16 => "u16",
        PrimitiveValType::S32 => "s32",
        PrimitiveValType::U32 => "u32",
        PrimitiveValType::S64 => "s64",
        PrimitiveValType::U64 => "u64",
        PrimitiveValType::F32 => "f32",
        PrimitiveValType::F64 => "f64",
        PrimitiveValType::Char => "char",
        PrimitiveValType::String => "string",
        PrimitiveValType::ErrorContext => "error-context",
    }
}

fn val(types: &Types, ty: &ComponentValType, depth: usize) -> String {
    match ty {
        ComponentValType::Primitive(p) => primitive(*p).to_string(),
        ComponentValType::Type(id) if depth >= MAX_DEPTH => {
            let _ = id;
            "…".to_string()
        }
        ComponentValType::Type(id) => defined(types, &types[*id], depth + 1),
    }
}

fn opt(types: &Types, ty: &Option<ComponentValType>, depth: usize) -> String {
    ty.as_ref()
        .map_or_else(|| "_".to_string(), |t| val(types, t, depth))
}

fn defined(types: &Types, ty: &ComponentDefinedType, depth: usize) -> String {
    match ty {
        ComponentDefinedType::Primitive(p) => primitive(*p).to_string(),
        ComponentDefinedType::Record(r) => {
            let fields: Vec<String> = r
                .fields
                .iter()
                .map(|(n, t)| format!("{}: {}", n.as_str(), val(types, t, depth)))
                .collect();
            format!("record {{ {} }}", fields.join(", "))
        }
        ComponentDefinedType::Variant(v) => {
            let cases: Vec<String> = v
                .cases
                .iter()
                .map(|(n, c)| match &c.ty {
                    Some(t) => format!("{}({})", n.as_str(), val(types, t, depth)),
                    None => n.as_str().to_string(),
                })
                .collect();
            format!("variant {{ {} }}", cases.join(", "))
        }
        ComponentDefinedType::List { element, .. } => {
            format!("list<{}>", val(types, element, depth))
        }
        ComponentDefinedType::FixedLengthList {
            element, length, ..
        } => format!("list<{}, {length}>", val(types, element, depth)),
        ComponentDefinedType::Map { key, value, .. } => format!(
            "map<{}, {}>",
            val(types, key, depth),
            val(types, value, depth)
        ),
        ComponentDefinedType::Tuple(t) => {
            let items: Vec<String> = t.types.iter().map(|t| val(types, t, depth)).collect();
            format!("tuple<{}>", items.join(", "))
        }
        ComponentDefinedType::Flags(names) => {
            let names: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
            format!("flags {{ {} }}", names.join(", "))
        }
        ComponentDefinedType::Enum(names) => {
            let names: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
            format!("enum {{ {} }}", names.join(", "))
        }
        ComponentDefinedType::Option { ty, .. } => format!("option<{}>", val(types, ty, depth)),
        ComponentDefinedType::Result { ok, err, .. } => match (ok, err) {
            (None, None) => "result".to_string(),
            (Some(_), None) => format!("result<{}>", opt(types, ok, depth)),
            _ => format!(
                "result<{}, {}>",
                opt(types, ok, depth),
                opt(types, err, depth)
            ),
        },
        ComponentDefinedType::Own(_) => "own<resource>".to_string(),
        ComponentDefinedType::Borrow(_) => "borrow<resource>".to_string(),
        ComponentDefinedType::Future { ty, .. } => match ty {
            Some(t) => format!("future<{}>", val(types, t, depth)),
            None => "future".to_string(),
        },
        ComponentDefinedType::Stream { ty, .. } => match ty {
            Some(t) => format!("stream<{}>", val(types, t, depth)),
            None => "stream".to_string(),
        },
    }
}
