import numpy as np
a = np.arange(12, dtype=np.float64).reshape(3, 4)
print(a.sum(), a.mean(axis=0), (a @ a.T).trace())
try:
    np.zeros((2, 3)) @ np.zeros((2, 3))
except ValueError as e:
    print("numpy error:", e)
import pandas as pd
df = pd.DataFrame({"k": ["a", "b", "a", "c"], "v": [1, 2, 3, 4]})
print(df.groupby("k")["v"].sum().to_dict())
try:
    df["nosuch"]
except KeyError as e:
    print("pandas KeyError:", e)
