-- Calls that give a function fewer arguments than it has parameters, and calls of vararg
-- functions, from code that is itself hot: native code enters such callees directly, so it
-- must set the missing parameters to nil (whatever the stack held there before) and give a
-- vararg callee its argument count.

local function show(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
  return table.concat(parts, " ")
end

-- Missing parameters are nil, even where an earlier call at the same place left values.
local function pick(a, b, c) return a, b, c end
local lines = {}
for i = 1, 60 do
  local a, b, c
  if i % 3 == 0 then a, b, c = pick(i, "b", "c")
  elseif i % 3 == 1 then a, b, c = pick(i)
  else a, b, c = pick() end
  if i > 54 then lines[#lines + 1] = show(a, b, c) end
end
print(table.concat(lines, " | "))

-- A callee that tests its optional parameters.
local function opt(x, step, limit)
  step = step or 1
  limit = limit or 10
  local n = 0
  for v = x, limit, step do n = n + v end
  return n
end
local sum = 0
for i = 1, 300 do
  sum = sum + opt(i % 7) + opt(i % 5, 2) + opt(1, 1, i % 11)
end
print("optional", sum)

-- Vararg callees: fixed parameters, the extra arguments, and their count.
local function va(a, b, ...)
  return select("#", ...), a, b, ...
end
for _, args in ipairs({ {}, { 1 }, { 1, 2 }, { 1, 2, 3 }, { 1, 2, 3, nil, n = 4 }, { 1, nil, nil, 4, 5, n = 5 } }) do
  local out
  for _ = 1, 40 do out = show(va(table.unpack(args, 1, args.n or #args))) end
  print("va", out)
end
local total = 0
for i = 1, 500 do
  local n, a, b, x, y = va(i, i + 1, i + 2, i + 3)
  total = total + n + a + b + x + y
  n, a, b = va(i)
  total = total + n + a + (b or 100)
end
print("vararg sum", total)

-- Vararg functions with no fixed parameters, called with none, one and many arguments.
local function count(...) return select("#", ...) end
local function first(...) local v = ... return v end
local c = 0
for i = 1, 400 do
  c = c + count() + count(i) + count(i, nil, i) + (first(i, 0) or 0) + (first() or 1)
end
print("counts", c)

-- A table of varargs keeps trailing nils in its count (table.pack).
local function packed(...) local t = table.pack(...) return t.n, t[1], t[t.n] end
local p = {}
for i = 1, 30 do p = { packed(i, nil, "last") } end
print("packed", p[1], p[2], p[3])

-- Tail calls with missing arguments and into vararg functions.
local function tailed(a, b, c) return (a or "nil") .. "," .. tostring(b) .. "," .. tostring(c) end
local function tail1(x) return tailed(x) end
local function tail2(...) return count(...) end
local function tail3(x, y) return va(x) end
local out = {}
for i = 1, 50 do out[1] = tail1(i); out[2] = tail2(i, i, nil); out[3] = show(tail3(i, "y")) end
print("tail", out[1], out[2], out[3])

-- Recursion through a vararg function, and one with optional parameters.
local function vsum(n, ...)
  if n == 0 then return select("#", ...) end
  return vsum(n - 1, n, ...)
end
print("vsum", vsum(50), vsum(0), vsum(3, "a"))
local function depth(n, acc)
  acc = acc or 0
  if n == 0 then return acc end
  return 1 + depth(n - 1)
end
print("depth", depth(100), depth(5, 7), depth(0, 9))

-- A method with optional parameters, called with and without them.
local Account = {}
Account.__index = Account
function Account.new(balance) return setmetatable({ balance = balance or 0 }, Account) end
function Account:deposit(v, note) self.balance = self.balance + (v or 1); self.note = note end
local acc = Account.new()
for i = 1, 200 do
  if i % 2 == 0 then acc:deposit(i, "even") else acc:deposit() end
end
print("account", acc.balance, acc.note)

-- Errors inside vararg callees and callees missing arguments keep their messages.
local function needs(a, b) return a + b end
local function vneeds(...) local a, b = ... return a .. b end
for i = 1, 30 do
  local ok, e = pcall(needs, i)
  if i == 30 then print("error", ok, (e:gsub("^.-:%d+: ", ""))) end
  ok, e = pcall(function() return vneeds(i) end)
  if i == 30 then print("error", ok, (e:gsub("^.-:%d+: ", ""))) end
end

-- Coroutines yielding through a vararg callee entered from a hot loop.
local function relay(...)
  local got = coroutine.yield(select("#", ...), ...)
  return got, ...
end
local co = coroutine.wrap(function()
  local acc2 = 0
  for i = 1, 100 do
    local got, a = relay(i, nil)
    acc2 = acc2 + got + a
  end
  return "done", acc2
end)
local r1, r2 = co()
local yields = 0
while r1 ~= "done" do yields = yields + r1; r1, r2 = co(1) end
print("coroutine", yields, r2)

-- A vararg function whose frame outgrows the stack: the same error as lua5.4's.
local function vdeep(n, ...)
  if n == 0 then return select("#", ...) end
  return 1 + vdeep(n - 1, n, ...)
end
for i = 1, 3 do print("vdeep", vdeep(10 * i)) end
local ok, e = pcall(vdeep, 100000)
print("vdeep", ok, (tostring(e):gsub("^.-:%d+: ", "")))
