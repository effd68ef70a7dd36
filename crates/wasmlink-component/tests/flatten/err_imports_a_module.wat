(component (import "m" (core module)))
