# 20k C++ throws (kiwisolver's UnsatisfiableConstraint) and 20k longjmps
# (scipy quadpack: the integrand raises), each caught in Python.
import kiwisolver as kiwi
x = kiwi.Variable("x")
n = 0
for i in range(20000):
    s = kiwi.Solver()
    s.addConstraint(x >= 10)
    try:
        s.addConstraint(x <= 5)
    except kiwi.UnsatisfiableConstraint:
        n += 1
from scipy import integrate
class Stop(Exception):
    pass
def bad(t):
    raise Stop
m = 0
for i in range(20000):
    try:
        integrate.quad(bad, 0, 1)
    except Stop:
        m += 1
print(n, m)
