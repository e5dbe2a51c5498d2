-- closures: functions as values, and coroutines as generators.
-- Exercises: closure creation and upvalue reads/writes (shared and per-closure), calls through
-- function values, higher-order map/filter/fold, coroutine.wrap generators chained into a
-- pipeline, recursive generators that yield from deep inside, resume/yield with values.
local SIZE = 80                               -- rounds
local COUNT = 20000                           -- elements per round
local scale = tonumber(arg and arg[1]) or 1
local rounds = math.max(1, math.floor(SIZE * scale + 0.5))

local function counter(step)
  local n = 0
  return function() n = n + step; return n end
end

local function account(balance)               -- two closures sharing one upvalue
  local function deposit(x) balance = balance + x end
  local function take(x) if x <= balance then balance = balance - x; return x end return 0 end
  return deposit, take, function() return balance end
end

local function map(f, t) local r = {} for i = 1, #t do r[i] = f(t[i]) end return r end
local function filter(p, t) local r = {} for i = 1, #t do if p(t[i]) then r[#r + 1] = t[i] end end return r end
local function fold(f, acc, t) for i = 1, #t do acc = f(acc, t[i]) end return acc end
local function compose(f, g) return function(x) return f(g(x)) end end

local function range(n)                       -- a generator of 1..n
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local function gfilter(p, gen)
  return coroutine.wrap(function()
    for v in gen do if p(v) then coroutine.yield(v) end end
  end)
end
local function gmap(f, gen)
  return coroutine.wrap(function()
    for v in gen do coroutine.yield(f(v)) end
  end)
end

local function walk(tree)                     -- in-order traversal yielding from recursion
  return coroutine.wrap(function()
    local function visit(node)
      if node then visit(node.left); coroutine.yield(node.key); visit(node.right) end
    end
    visit(tree)
  end)
end
local function insert(node, key)
  if node == nil then return { key = key } end
  if key < node.key then node.left = insert(node.left, key) else node.right = insert(node.right, key) end
  return node
end

local total = 0
for r = 1, rounds do
  local s = 0
  -- Many short-lived closures, each called a few times.
  for i = 1, COUNT / 10 do
    local c = counter(i % 7 + 1)
    c(); c()
    s = s + c()
  end
  local deposit, take, balance = account(r)
  for i = 1, COUNT do deposit(i % 5); take(i % 3) end
  s = s + balance()

  local data = {}
  for i = 1, COUNT do data[i] = (i * 37 + r) % 1000 end
  local inc = function(x) return x + 1 end
  local dbl = function(x) return x * 2 end
  local squares = map(compose(inc, dbl), data)
  local odd = filter(function(x) return x % 3 == 0 end, squares)
  s = s + fold(function(a, b) return a + b end, 0, odd)

  for v in gmap(function(x) return x * x end, gfilter(function(x) return x % 4 == 1 end, range(COUNT))) do
    s = (s + v) % 2147483647
  end

  local tree, seed = nil, r
  for _ = 1, 2000 do seed = (seed * 16807) % 2147483647; tree = insert(tree, seed % 100000) end
  local prev, ordered = -1, 0
  for key in walk(tree) do
    if key >= prev then ordered = ordered + 1 end
    prev = key
  end
  s = s + ordered

  -- A coroutine used as a two-way channel.
  local acc = coroutine.create(function(first)
    local sum = first
    while true do sum = sum + coroutine.yield(sum) end
  end)
  local _, v = coroutine.resume(acc, 0)
  for i = 1, COUNT / 4 do _, v = coroutine.resume(acc, i) end
  s = s + v
  total = (total + s) % 2147483647
end
print(string.format("closures: rounds=%d total=%d", rounds, total))
