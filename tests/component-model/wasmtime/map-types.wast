;;! component_model_map = true

(component
  (type (map u32 string))
  (type (map string u32))
  (type (map u32 u32))
  (type (map string (map u32 string)))
)
