//! Converting wasmparser's component types (as a validated component's
//! [`TypesRef`] holds them) into this crate's [`ValType`] and
//! [`FuncType`]. The flattener calls these with a function that numbers
//! resource types ([`ResourceId`]) as it sees fit.
//!
//! Types shared in wasmparser's arena become separate copies here (a tree),
//! so conversion stops at [`MAX_TYPE_NODES`] nodes rather than expand a
//! type exponentially.

use crate::types::{Case, Field, FuncType, ResourceId, ValType, MAX_TYPE_DEPTH, MAX_TYPE_NODES};
use wasmparser::component_types::{
    ComponentDefinedType, ComponentFuncTypeId, ComponentValType, ResourceId as ParserResourceId,
};
use wasmparser::types::TypesRef;
use wasmparser::PrimitiveValType;

/// Why a type cannot be converted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    #[error("{what} values are not supported (asynchronous or fixed-length component types)")]
    Unsupported { what: &'static str },
    #[error("type has more than {MAX_TYPE_NODES} nodes")]
    TooManyNodes,
    #[error("type nests more than {MAX_TYPE_DEPTH} levels deep")]
    TooDeep,
}

/// Convert a component function type.
pub fn convert_func(
    types: TypesRef<'_>,
    id: ComponentFuncTypeId,
    resource: &mut dyn FnMut(ParserResourceId) -> ResourceId,
) -> Result<FuncType, ConvertError> {
    let ty = &types[id];
    if ty.async_ {
        return Err(ConvertError::Unsupported {
            what: "async function",
        });
    }
    let mut c = Converter {
        types,
        resource,
        nodes: 0,
    };
    let mut params = Vec::with_capacity(ty.params.len());
    for (name, t) in ty.params.iter() {
        params.push((name.as_str().to_string(), c.val(*t, 0)?));
    }
    let result = match ty.result {
        Some(t) => Some(c.val(t, 0)?),
        None => None,
    };
    Ok(FuncType { params, result })
}

/// Convert one component value type.
pub fn convert_val(
    types: TypesRef<'_>,
    ty: ComponentValType,
    resource: &mut dyn FnMut(ParserResourceId) -> ResourceId,
) -> Result<ValType, ConvertError> {
    Converter {
        types,
        resource,
        nodes: 0,
    }
    .val(ty, 0)
}

struct Converter<'a, 'r> {
    types: TypesRef<'a>,
    resource: &'r mut dyn FnMut(ParserResourceId) -> ResourceId,
    nodes: usize,
}

impl Converter<'_, '_> {
    fn val(&mut self, ty: ComponentValType, depth: usize) -> Result<ValType, ConvertError> {
        if depth > MAX_TYPE_DEPTH {
            return Err(ConvertError::TooDeep);
        }
        self.nodes += 1;
        if self.nodes > MAX_TYPE_NODES {
            return Err(ConvertError::TooManyNodes);
        }
        let id = match ty {
            ComponentValType::Primitive(p) => return primitive(p),
            ComponentValType::Type(id) => id,
        };
        let d = depth + 1;
        // The arena outlives the converter: borrowing it through a copy
        // leaves `self` free for the recursive calls.
        let types = self.types;
        Ok(match &types[id] {
            ComponentDefinedType::Primitive(p) => primitive(*p)?,
            ComponentDefinedType::Record(r) => ValType::Record(
                r.fields
                    .iter()
                    .map(|(name, t)| {
                        Ok(Field {
                            name: name.as_str().to_string(),
                            ty: self.val(*t, d)?,
                        })
                    })
                    .collect::<Result<_, ConvertError>>()?,
            ),
            ComponentDefinedType::Variant(v) => ValType::Variant(
                v.cases
                    .iter()
                    .map(|(name, case)| {
                        Ok(Case {
                            name: name.as_str().to_string(),
                            ty: case.ty.map(|t| self.val(t, d)).transpose()?,
                        })
                    })
                    .collect::<Result<_, ConvertError>>()?,
            ),
            ComponentDefinedType::List { element, .. } => ValType::list(self.val(*element, d)?),
            ComponentDefinedType::Map { key, value, .. } => ValType::list(ValType::Tuple(vec![
                self.val(*key, d)?,
                self.val(*value, d)?,
            ])),
            ComponentDefinedType::Tuple(t) => ValType::Tuple(
                t.types
                    .iter()
                    .map(|t| self.val(*t, d))
                    .collect::<Result<_, _>>()?,
            ),
            ComponentDefinedType::Flags(labels) => {
                ValType::Flags(labels.iter().map(|l| l.as_str().to_string()).collect())
            }
            ComponentDefinedType::Enum(labels) => {
                ValType::Enum(labels.iter().map(|l| l.as_str().to_string()).collect())
            }
            ComponentDefinedType::Option { ty, .. } => ValType::option(self.val(*ty, d)?),
            ComponentDefinedType::Result { ok, err, .. } => ValType::result(
                ok.map(|t| self.val(t, d)).transpose()?,
                err.map(|t| self.val(t, d)).transpose()?,
            ),
            ComponentDefinedType::Own(r) => ValType::Own((self.resource)(r.resource())),
            ComponentDefinedType::Borrow(r) => ValType::Borrow((self.resource)(r.resource())),
            ComponentDefinedType::FixedLengthList { .. } => {
                return Err(ConvertError::Unsupported {
                    what: "fixed-length list",
                })
            }
            ComponentDefinedType::Future { .. } => {
                return Err(ConvertError::Unsupported { what: "future" })
            }
            ComponentDefinedType::Stream { .. } => {
                return Err(ConvertError::Unsupported { what: "stream" })
            }
        })
    }
}

fn primitive(p: PrimitiveValType) -> Result<ValType, ConvertError> {
    Ok(match p {
        PrimitiveValType::Bool => ValType::Bool,
        PrimitiveValType::S8 => ValType::S8,
        PrimitiveValType::U8 => ValType::U8,
        PrimitiveValType::S16 => ValType::S16,
        PrimitiveValType::U16 => ValType::U16,
        PrimitiveValType::S32 => ValType::S32,
        PrimitiveValType::U32 => ValType::U32,
        PrimitiveValType::S64 => ValType::S64,
        PrimitiveValType::U64 => ValType::U64,
        PrimitiveValType::F32 => ValType::F32,
        PrimitiveValType::F64 => ValType::F64,
        PrimitiveValType::Char => ValType::Char,
        PrimitiveValType::String => ValType::String,
        PrimitiveValType::ErrorContext => {
            return Err(ConvertError::Unsupported {
                what: "error-context",
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::{Validator, WasmFeatures};

    /// Every kind of type, read from a component's text and converted.
    #[test]
    fn converts_a_validated_components_types() {
        let wat = r#"
            (component
              (type $r (resource (rep i32)))
              (type $rec (record (field "name" string) (field "data" (option (list u8)))))
              (type $v (variant (case "a" u32) (case "b" (tuple f32 f64)) (case "c")))
              (type $e (enum "x" "y"))
              (type $fl (flags "p" "q" "r"))
              (type $own (own $r))
              (type $bor (borrow $r))
              (type $f (func
                (param "a" (list $rec)) (param "b" $v) (param "c" $e) (param "d" $fl)
                (param "e" $own) (param "f" $bor) (param "g" char) (param "h" (map string u32))
                (result (result string (error $e)))))
            )"#;
        let bytes = wat::parse_str(wat).expect("component text parses");
        let mut validator = Validator::new_with_features(WasmFeatures::all());
        let types = validator.validate_all(&bytes).expect("component validates");
        let types = types.as_ref();
        let id = (0..types.component_type_count())
            .find_map(|i| match types.component_any_type_at(i) {
                wasmparser::component_types::ComponentAnyTypeId::Func(id) => Some(id),
                _ => None,
            })
            .expect("the component defines a function type");
        let mut seen = Vec::new();
        let f = convert_func(types, id, &mut |r| {
            if !seen.contains(&r) {
                seen.push(r);
            }
            seen.iter().position(|s| *s == r).unwrap_or_default() as u32 + 7
        })
        .expect("converts");
        assert_eq!(
            f.to_string(),
            "func(a: list<record { name: string, data: option<list<u8>> }>, \
             b: variant { a(u32), b(tuple<f32, f64>), c }, c: enum { x, y }, \
             d: flags { p, q, r }, e: own<resource7>, f: borrow<resource7>, g: char, \
             h: list<tuple<string, u32>>) -> result<string, enum { x, y }>"
        );
    }
}
