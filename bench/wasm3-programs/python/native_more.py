# matplotlib (C++ Agg, FreeType, libpng), lxml (libxml2 errors),
# scikit-learn fit, sqlite errors, pillow.
import io, hashlib
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(2, 2), dpi=50)
ax.plot([0, 1, 2], [0, 1, 4]); ax.set_title("wasmlink")
buf = io.BytesIO(); fig.savefig(buf, format="png")
print("png bytes > 1000:", len(buf.getvalue()) > 1000)
from PIL import Image
img = Image.open(io.BytesIO(buf.getvalue())); print("pillow:", img.size, img.mode)
try:
    Image.open(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)).load()
except Exception as e:
    print("pillow error:", type(e).__name__)
from lxml import etree
print(etree.tostring(etree.fromstring("<a><b x='1'>t</b></a>")))
try:
    etree.fromstring("<a><b></a>")
except etree.XMLSyntaxError as e:
    print("lxml error:", type(e).__name__)
import numpy as np
from sklearn.linear_model import LinearRegression
X = np.arange(20.0).reshape(10, 2); y = X @ [1.5, -2.0] + 3
m = LinearRegression().fit(X, y); print("sklearn:", np.round(m.predict(X[:2]), 6).tolist())
from scipy import sparse
from scipy.sparse.linalg import spsolve
A = sparse.csc_matrix(np.array([[4.0, 1, 0], [1, 3, 0], [0, 0, 2]]))
print("spsolve:", np.round(spsolve(A, np.array([1.0, 2, 3])), 6).tolist())
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    try:
        r = spsolve(sparse.csc_matrix(np.zeros((3, 3))), np.ones(3))
        print("singular spsolve:", np.isnan(r).all())
    except Exception as e:
        print("singular spsolve error:", type(e).__name__)
import sympy
print("sympy:", sympy.integrate(sympy.sin(sympy.Symbol("x")) ** 2))
