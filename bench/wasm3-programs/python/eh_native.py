# Native code that unwinds with Wasm exceptions:
# C++ throw/catch (kiwisolver, pybind11/contourpy) and setjmp/longjmp
# (scipy's quadpack and qhull).
import kiwisolver as kiwi
x = kiwi.Variable("x")
s = kiwi.Solver()
s.addConstraint(x >= 10)
for i in range(3):
    try:
        s.addConstraint(x <= 5)
    except kiwi.UnsatisfiableConstraint as e:
        print("kiwisolver: unsatisfiable", i)
s.updateVariables()
print("kiwisolver x =", x.value())
try:
    s.removeConstraint(x <= 1)
except kiwi.UnknownConstraint:
    print("kiwisolver: unknown constraint")

import contourpy, numpy as np
try:
    contourpy.contour_generator(z=np.zeros((1, 1)))
except Exception as e:
    print("contourpy:", type(e).__name__, e)
z = np.add.outer(np.arange(5.0), np.arange(5.0))
print("contourpy lines:", len(contourpy.contour_generator(z=z).lines(3.5)))

from scipy import integrate
print("quad:", round(integrate.quad(lambda t: t * t, 0, 3)[0], 9))
class Stop(Exception):
    pass
def bad(t):
    if t > 0.5:
        raise Stop("from the integrand")
    return t
for i in range(3):
    try:
        integrate.quad(bad, 0, 1)
    except Stop as e:
        print("quad: integrand raised", i, e)

from scipy.spatial import ConvexHull, QhullError
pts = np.array([[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5]])
print("hull vertices:", sorted(ConvexHull(pts).vertices.tolist()))
for i in range(3):
    try:
        ConvexHull(np.array([[0, 0], [1, 1], [2, 2], [3, 3]]))
    except QhullError as e:
        print("qhull error", i, str(e).splitlines()[0][:40])
