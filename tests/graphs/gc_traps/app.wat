;; One Wasm GC trap per argument: each is named and ends the program with
;; status 134.
(module
  (type $point (struct (field $x (mut i32))))
  (type $other (struct (field f64)))
  (type $bytes (array (mut i8)))
  (global $nothing (mut (ref null $point)) (ref.null $point))
  (func (export "run") (param $which i32) (result i32)
    (block $b4 (block $b3 (block $b2 (block $b1 (block $b0
      (br_table $b0 $b1 $b2 $b3 $b4 (local.get $which)))
      ;; 0: a field of a null struct
      (return (struct.get $point $x (global.get $nothing))))
      ;; 1: a cast to the wrong struct type
      (drop (ref.cast (ref $other) (struct.new $point (i32.const 1))))
      (return (i32.const 1)))
      ;; 2: an element past the end
      (return (array.get_u $bytes (array.new_default $bytes (i32.const 4)) (i32.const 4))))
      ;; 3: i31.get of null
      (return (i31.get_s (ref.null i31))))
    ;; 4: the length of a null array
    (array.len (ref.null $bytes))))
