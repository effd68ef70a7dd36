# Exceptions raised one frame below the handler, 100k times: each raise
# leaves the callee's VM frame through nlr_raise, MicroPython's longjmp,
# which this build compiles to a Wasm throw caught by a try_table upstream.
def f(i):
    if i % 2:
        raise ValueError(i)
    return {}[i]
n = 0
for i in range(100000):
    try:
        f(i)
    except (ValueError, KeyError):
        n += 1
print(n)
