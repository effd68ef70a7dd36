# Exceptions raised deep in the call stack and caught several frames up;
# finally blocks, re-raise, chaining, generators, unhandled-in-callee.
class AppError(Exception):
    def __init__(self, code):
        super().__init__("app error %d" % code)
        self.code = code

def deep(n, code):
    if n == 0:
        raise AppError(code)
    try:
        return deep(n - 1, code)
    finally:
        log.append(n)

log = []
total = 0
for i in range(200):
    try:
        deep(20, i)
    except AppError as e:
        total += e.code
print("caught", total, len(log))

def reraiser():
    try:
        1 // 0
    except ZeroDivisionError as e:
        raise KeyError("wrapped") from e

try:
    reraiser()
except KeyError as e:
    print("chained", repr(e))

def gen():
    try:
        yield 1
        yield 2
        raise StopIteration
    except GeneratorExit:
        print("gen closed")
        raise

g = gen()
print(next(g))
g.close()

def recurse(n):
    return recurse(n + 1) + 1
try:
    recurse(0)
except RuntimeError as e:
    print("recursion error caught:", type(e).__name__)

try:
    {}["missing"]
except LookupError as e:
    print("lookup", repr(e))
try:
    int("xyz")
except ValueError as e:
    print("value", e)
d = {}
for k in range(1000):
    try:
        d[k % 10] += 1
    except KeyError:
        d[k % 10] = 1
print(sorted(d.items()))
