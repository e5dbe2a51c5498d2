-- table constructors, keys and the length operator
local t = {1, 2, 3, x = "x", ["y z"] = 5, [10] = "ten", 4; 5}
print(#t, t[4], t[5], t.x, t["y z"], t[10])
local u = {[2] = "a", [3] = "c", "b"}
print(u[1], u[2], u[3], #{n = 1}, #{[1] = 1, [2] = 2})
local keys = {}
for k in pairs({a = 1, b = 2, c = 3, 10, 20}) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, " "))

-- float keys with integer value are normalised
local f = {}
f[1.0] = "one"; f[2^53] = "big"; f[-0.0] = "zero"
print(f[1], f[math.tointeger(2^53)], f[0], math.type(next({[3.0] = 1})))
f[1.5] = "frac"
print(f[1.5], f[3/2])

-- invalid keys
print(pcall(function() local x = {}; x[nil] = 1 end))
print(pcall(function() local x = {}; x[0/0] = 1 end))
print(pcall(rawset, {}, nil, 1))
print(({})[nil], ({})[0/0])        -- reading with nil/nan key is fine

-- strings and numbers are different keys
local m = {}
m[1] = "int"; m["1"] = "str"
print(m[1], m["1"], m[1.0])

-- length of sequences
local seq = {}
for i = 1, 100 do seq[i] = i end
print(#seq)
seq[#seq] = nil
print(#seq)
seq[#seq + 1] = "again"
print(#seq, seq[100])
print(#{}, #{nil}, #{1, 2, nil}, #"abc")

-- nested tables and references
local a = {inner = {val = 1}}
local b = a.inner
b.val = 2
print(a.inner.val, a.inner == b)
local self = {}
self.me = self
print(self.me.me.me == self)

-- boolean keys and table keys
local k1, k2 = {}, {}
local tk = {[true] = "T", [false] = "F", [k1] = "k1"}
print(tk[true], tk[false], tk[k1], tk[k2])

-- next
print(next({}), next({}, nil))
local one = {"only"}
print(next(one))
print(next(one, 1))
print(pcall(next, {}, "nokey"))

-- table modification during traversal (assigning existing fields is allowed)
local mod = {a = 1, b = 2, c = 3}
for k, v in pairs(mod) do mod[k] = v * 10 end
print(mod.a, mod.b, mod.c)
for k in pairs(mod) do mod[k] = nil end
print(next(mod))

-- large constructors
local big = {}
for i = 1, 1000 do big[#big + 1] = i * 2 end
print(#big, big[1], big[500], big[1000])
local sparse = {[1] = 1, [2] = 2, [1000000] = 3}
print(sparse[1000000], rawlen({1, 2, 3}))

-- table equality is identity
print({} == {}, t == t)
print("done")
