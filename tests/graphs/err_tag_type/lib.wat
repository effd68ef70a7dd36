(module (tag (export "oops") (param i32)))
