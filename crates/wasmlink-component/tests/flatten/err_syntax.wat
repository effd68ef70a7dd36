(component (core module $m) (core instance (instantiate $nope)))
