# interpreter-bound: arithmetic loop, dict of strings, exceptions in a loop
s = 0
for i in range(1000000):
    s += i * i % 7
d = {}
for i in range(5000):
    d[str(i)] = i
n = 0
for i in range(300000):
    try:
        if i % 3 == 0:
            raise ValueError(i)
        n += 1
    except ValueError:
        n -= 1
print(s, len(d), sum(d.values()), n)
