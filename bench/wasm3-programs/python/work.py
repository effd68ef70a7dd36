# Interpreter-bound: an arithmetic loop and a 100k-entry dict of strings.
s = 0
for i in range(1000000):
    s += i * i % 7
d = {}
for i in range(100000):
    d[str(i)] = i
print(s, len(d), sum(d.values()))
