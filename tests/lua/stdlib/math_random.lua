-- math.random with a fixed seed (xoshiro256** in Lua 5.4) is deterministic
math.randomseed(42)
local ints = {}
for i = 1, 10 do ints[i] = math.random(1, 100) end
print(table.concat(ints, " "))
local floats = {}
for i = 1, 5 do floats[i] = string.format("%.17g", math.random()) end
print(table.concat(floats, " "))
local big = {}
for i = 1, 5 do big[i] = math.random(0) end
print(table.concat(big, " "))
local upto = {}
for i = 1, 10 do upto[i] = math.random(6) end
print(table.concat(upto, " "))
local neg = {}
for i = 1, 6 do neg[i] = math.random(-10, -5) end
print(table.concat(neg, " "))
print(math.random(math.mininteger, math.maxinteger), math.random(7, 7), math.random(math.maxinteger))

-- reseeding restarts the sequence
math.randomseed(42)
local again = {}
for i = 1, 10 do again[i] = math.random(1, 100) end
print(table.concat(again, " ") == table.concat(ints, " "))
math.randomseed(42, 0)
print(math.random(1, 100) == ints[1])
math.randomseed(7, 13)
local other = {}
for i = 1, 5 do other[i] = math.random(1000) end
print(table.concat(other, " "))
math.randomseed(0)
print(math.random(1, 1000000), math.random(1, 1000000))
math.randomseed(-1)
print(math.random(1, 1000000))
math.randomseed(3.0)
print(math.random(1, 1000000))

-- range properties
math.randomseed(123)
local lo, hi, sum = math.huge, -math.huge, 0
for _ = 1, 10000 do
  local r = math.random(1, 6)
  if r < lo then lo = r end
  if r > hi then hi = r end
  sum = sum + r
end
print(lo, hi, sum)
local flo, fhi = 1, 0
for _ = 1, 10000 do
  local r = math.random()
  if r < flo then flo = r end
  if r > fhi then fhi = r end
end
print(flo >= 0, fhi < 1, math.type(math.random()), math.type(math.random(5)))

-- errors
print(pcall(math.random, 0, -1))
print(pcall(math.random, 1, 2, 3))
print(pcall(math.random, 1.5))
print(pcall(math.random, "x"))
print(pcall(math.random, -1))
print(pcall(math.randomseed, "x"))
print("done")
