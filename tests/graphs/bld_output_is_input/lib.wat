;; Listed in app.json but not instantiated: still an input.
(module (func (export "f")))
