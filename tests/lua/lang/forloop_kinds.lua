-- Numeric for loops compiled as integer loops (where the interpreter only ever prepared
-- integer loops) meeting float loops later: at the loop's preparation, at its OSR entry, and
-- with the loop variable assigned or captured in the body.

local function sum(a, b, s)
  local t = 0
  for i = a, b, s do t = t + i end
  return t, math.type(t)
end

-- Integer loops first, often enough for the function to be compiled with that profile.
local acc = 0
for k = 1, 300 do acc = acc + sum(1, k % 17, 1) end
print("integer loops", acc)

-- Then float loops through the same code: a float start, a float step, both.
print(sum(0.5, 4, 1))
print(sum(1, 2, 0.25))
print(sum(1.0, 3, 1))
print(sum(-1, -3, -0.5))
-- An integer loop with a float limit is still an integer loop.
print(sum(1, 3.7, 1))
print(sum(3, -1.5, -1))
-- And integer loops again, after the float ones.
print(sum(1, 10, 1))
print(sum(10, 1, -2))

-- A long loop entered in the middle (OSR) after the first call ran it as an integer loop;
-- the second call is a float loop and must not run as an integer one.
local function long(a, n, s)
  local c, last = 0, nil
  for i = a, n, s do
    c = c + 1
    last = i
  end
  return c, last, math.type(last)
end
print(long(1, 200000, 1))
print(long(0.5, 200000, 1))
print(long(1, 200000, 0.5))
print(long(2, 200000, 2))

-- The loop variable assigned in the body: the next iteration still counts from the loop's own
-- copy, and the assigned value has the type it was given.
local function assigned(n)
  local out = {}
  for i = 1, n do
    i = i + 0.5
    out[#out + 1] = i
  end
  return table.concat(out, " ")
end
for _ = 1, 100 do assigned(3) end
print(assigned(4))

-- The loop variable captured by closures: each iteration has its own.
local function captured(a, b, s)
  local fs = {}
  for i = a, b, s do fs[#fs + 1] = function() return i end end
  local out = {}
  for j = 1, #fs do out[j] = tostring(fs[j]()) end
  return table.concat(out, " ")
end
for _ = 1, 100 do captured(1, 3, 1) end
print(captured(1, 4, 1))
print(captured(1, 2, 0.5))

-- Nested loops of both kinds in one function.
local function nested(outerStep)
  local t = 0
  for i = 1, 3, outerStep do
    for j = 1, 3 do t = t + i * j end
  end
  return t
end
for _ = 1, 100 do nested(1) end
print(nested(1), nested(0.5), nested(1))

-- Errors in the preparation are the interpreter's.
print(pcall(sum, 1, 10, 0))
print(pcall(sum, 1, "x", 1))
print(pcall(sum, {}, 10, 1))
