;; Resources: a defined resource with a destructor and its intrinsics; a
;; nested component that imports a resource type from its parent and one
;; that defines and exports its own, used by the parent; an imported
;; resource's drop.
(component $root
  (import "wasi:io/streams@0.2.3" (instance $streams
    (export "output-stream" (type (sub resource)))))
  (alias export $streams "output-stream" (type $os))
  (core func $os_drop (canon resource.drop $os))
  (core module $impl
    (func (export "dtor") (param i32))
    (func (export "make") (param i32) (result i32) local.get 0))
  (core instance $impl (instantiate $impl))
  (type $counter (resource (rep i32) (dtor (core func $impl "dtor"))))
  (core func $counter_new (canon resource.new $counter))
  (core func $counter_rep (canon resource.rep $counter))
  (core func $counter_drop (canon resource.drop $counter))
  (core module $user
    (import "r" "new" (func (param i32) (result i32)))
    (import "r" "rep" (func (param i32) (result i32)))
    (import "r" "drop" (func (param i32)))
    (import "r" "os-drop" (func (param i32))))
  (core instance $user (instantiate $user (with "r" (instance
    (export "new" (func $counter_new))
    (export "rep" (func $counter_rep))
    (export "drop" (func $counter_drop))
    (export "os-drop" (func $os_drop))))))
  (component $takes
    (import "t" (type $t (sub resource)))
    (core func $d (canon resource.drop $t))
    (core module $m (import "" "d" (func (param i32))))
    (core instance (instantiate $m (with "" (instance (export "d" (func $d)))))))
  (instance (instantiate $takes (with "t" (type $counter))))
  (instance (instantiate $takes (with "t" (type $os))))
  (component $defines
    (core module $m (func (export "dtor") (param i32)))
    (core instance $mi (instantiate $m))
    (type $own (resource (rep i32) (dtor (core func $mi "dtor"))))
    (export "thing" (type $own)))
  (instance $d1 (instantiate $defines))
  (instance $d2 (instantiate $defines))
  (alias export $d1 "thing" (type $thing1))
  (alias export $d2 "thing" (type $thing2))
  (core func $drop1 (canon resource.drop $thing1))
  (core func $drop2 (canon resource.drop $thing2))
  (core instance $drops (export "a" (func $drop1)) (export "b" (func $drop2)))
  (core module $dropper (import "d" "a" (func (param i32))) (import "d" "b" (func (param i32))))
  (core instance (instantiate $dropper (with "d" (instance $drops))))
)
