-- Small leaf functions called from hot loops: the native tier may run their code in line
-- (in adaptive mode). Each case warms a call site up on one kind of argument, then gives it
-- others, and checks results, errors, metamethods, coroutines and replaced callees.

local function area(w, h) return w * h end
local function hyp2(a, b) local s = a * a + b * b; return s end
local function pick(t, i) return t[i] end
local function two(x) return x, x + 1 end
local function none(x) end
local function label(x) return "n" .. x end
local function safediv(a, b) return a // b end

local function sum_area(n, w)
  local s = 0
  for i = 1, n do s = s + area(w, i) end
  return s
end

-- warm-up on integers, then floats, strings and tables with metamethods
print("ints", sum_area(200, 3))
print("floats", sum_area(200, 0.5))
print("strings", sum_area(3, "2"))
local V = setmetatable({}, { __mul = function(a, b) return 7 end })
print("meta", pcall(sum_area, 3, V))
print("error", pcall(sum_area, 3, {}))
print("error", pcall(sum_area, 3, nil))

local function sum_hyp(n)
  local s = 0.0
  for i = 1, n do s = s + hyp2(i, i + 0.5) end
  return s
end
print("hyp", sum_hyp(300))

-- results: fewer and more than returned, none, adjusted to one
local function results(n)
  local acc = {}
  for i = 1, n do
    local a, b, c = two(i)
    local d = two(i)
    local e = none(i)
    acc[#acc + 1] = a + b + (c == nil and 1 or 0) + d + (e == nil and 1 or 0)
  end
  return acc[1], acc[n], #acc
end
print("results", results(150))

-- table reads in the callee: array, hash, missing, __index
local function reads(n, t)
  local s = 0
  for i = 1, n do
    local v = pick(t, i)
    if v then s = s + v end
  end
  return s
end
local arr = {}
for i = 1, 100 do arr[i] = i end
print("reads", reads(100, arr))
print("reads", reads(120, arr))
print("reads", reads(5, setmetatable({}, { __index = function(_, k) return k * 10 end })))
print("reads", pcall(reads, 5, 42))

-- a callee that allocates (concatenation) while the caller holds tables
local function labels(n)
  local out = {}
  for i = 1, n do out[i] = label(i) end
  collectgarbage()
  return out[1], out[n], #out
end
print("labels", labels(300))
print("labels", pcall(labels, 0))

-- errors raised in the callee keep its position and message
local function divs(n, d)
  local s = 0
  for i = 1, n do s = s + safediv(i, d) end
  return s
end
print("divs", divs(200, 7))
print("divs", pcall(divs, 3, 0))
print("divs", divs(3, 0.5))

-- a callee replaced while the caller is native: the new one is called
local f = function(x) return x + 1 end
local function calls_f(n)
  local s = 0
  for i = 1, n do s = s + f(i) end
  return s
end
print("replace", calls_f(200))
f = function(x) return x * 2 end
print("replace", calls_f(200))
f = function(x) return x + 1 end
print("replace", calls_f(200))

-- a metamethod run by the callee yields: the coroutine resumes through it
local Y = setmetatable({}, { __mul = function(a, b) return coroutine.yield("in mul") end })
local co = coroutine.wrap(function()
  local s = sum_area(200, 1)
  s = s + sum_area(2, Y)
  return s
end)
print("yield", co())
print("yield", co(5))
print("yield", co(6))

-- debug info of the callee's frame, from a metamethod it runs
local D = setmetatable({}, { __mul = function()
  local info = debug.getinfo(2, "Sl")
  return info.currentline
end })
print("debug", sum_area(2, D))

-- a deep stack: the inline copy needs a frame of its own too
local function deep(k)
  if k == 0 then return sum_area(50, 2) end
  return deep(k - 1)
end
print("deep", deep(150))
