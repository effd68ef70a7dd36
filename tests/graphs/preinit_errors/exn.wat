;; Keeps a caught exception in a global: a snapshot cannot hold it.
(module
  (tag $oops)
  (global $kept (mut exnref) (ref.null exn))
  (func $keep
    (block $caught (result exnref)
      (try_table (catch_all_ref $caught) (throw $oops))
      (return))
    (global.set $kept))
  (start $keep)
  (func (export "_start")))
