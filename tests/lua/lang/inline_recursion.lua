-- A small recursive function gets its next level in line at its self-call sites (one level:
-- the copy's own calls are real calls). Every level keeps its frame, so results, errors,
-- tracebacks, debug.getinfo, yields and a deep stack behave as without it. The loops run
-- often enough to get the functions compiled in every test mode.

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
local s = 0
for i = 1, 300 do s = s + fib(i % 12) end
print("fib", s, fib(20))

-- Floats and strings arriving at a level compiled for integers.
print("fib float", fib(10.0), fib(2.5))
print("fib string", pcall(fib, "x"))

-- Several results, kept and dropped, and a call whose results all go on.
local function walk(n)
  if n == 0 then return 0, "leaf" end
  local a, b = walk(n - 1)
  local c = walk(n - 1)
  return a + c + 1, b .. n
end
for i = 1, 200 do walk(i % 6) end
print("walk", walk(5))
local function sum(...) local t = 0 for _, v in ipairs({...}) do t = t + v end return t, select("#", ...) end
local function spread(n)
  if n == 0 then return 1, 2, 3 end
  return sum(spread(n - 1))
end
for i = 1, 200 do spread(i % 4) end
print("spread", spread(0), spread(1), spread(3))

-- Tables built by the recursion, and a collection in the middle of it.
local function build(d, v)
  if d == 0 then return { value = v } end
  if v == 77 then collectgarbage() end
  return { value = v, left = build(d - 1, v * 2), right = build(d - 1, v * 2 + 1) }
end
local function check(node)
  if node.left == nil then return 1, node.value end
  local nl, sl = check(node.left)
  local nr, sr = check(node.right)
  return nl + nr + 1, sl + sr + node.value
end
for i = 1, 100 do check(build(i % 5, i)) end
print("trees", check(build(8, 1)))

-- An error raised some levels down: its message names the right line, and the traceback
-- lists every level.
local function down(n)
  if n == 0 then error("bottom reached") end
  local r = down(n - 1)
  return r
end
for i = 1, 200 do pcall(down, i % 5) end
print("error", pcall(down, 4))
local ok, tb = xpcall(down, debug.traceback, 3)
local levels = 0
for _ in tb:gmatch("in upvalue 'down'") do levels = levels + 1 end
for _ in tb:gmatch("in local 'down'") do levels = levels + 1 end
for _ in tb:gmatch("in function 'down'") do levels = levels + 1 end
for _ in tb:gmatch("in function <") do levels = levels + 1 end
print("traceback levels", ok, levels)
local function bad(n)
  if n == 0 then return nil + 1 end
  return 1 + bad(n - 1)
end
for i = 1, 200 do pcall(bad, i % 3 + 1) end
print("arith error", pcall(bad, 3))

-- debug.getinfo sees each level as a call of its own.
local depths = {}
local function probe(n)
  if n == 0 then
    local d = 0
    while debug.getinfo(d + 1, "l") do d = d + 1 end
    return d
  end
  local r = probe(n - 1)
  return r
end
for i = 1, 200 do probe(i % 4) end
print("depth differences", probe(3) - probe(0), probe(6) - probe(0))

-- Yields from the bottom of the recursion, through the levels in line.
local function gen(n)
  if n == 0 then coroutine.yield("bottom") return 0 end
  local r = gen(n - 1)
  coroutine.yield(n)
  return r + n
end
local finals = 0
for i = 1, 100 do
  local co = coroutine.create(function() return gen(i % 4) end)
  local ok2, v
  repeat ok2, v = coroutine.resume(co) until coroutine.status(co) == "dead"
  finals = finals + v
end
print("yield finals", finals)
local co = coroutine.create(function() return gen(3) end)
local seen = {}
while true do
  local ok2, v = coroutine.resume(co)
  seen[#seen + 1] = tostring(v)
  if coroutine.status(co) == "dead" then break end
end
print("yields", table.concat(seen, " "))

-- The function replaced while its levels run: the next call goes to the new one.
local count
count = function(n)
  if n == 0 then return 0 end
  return 1 + count(n - 1)
end
for i = 1, 300 do count(i % 7) end
local old = count
count = function(n) return 100 end
print("replaced", old(5), count(5))
count = old
print("restored", count(5))

-- Another closure of the same prototype, with its own upvalue.
local function maker(k)
  local function f(n)
    if n == 0 then return k end
    return f(n - 1) + k
  end
  return f
end
local f1, f2 = maker(1), maker(10)
for i = 1, 300 do f1(i % 5) f2(i % 5) end
print("closures", f1(4), f2(4))

-- A recursion too deep for the stack ends in Lua's error, not a crash.
local function deep(n) return 1 + deep(n + 1) end
for i = 1, 5 do pcall(deep, 1) end
local ok3, msg = pcall(deep, 1)
print("deep", ok3, (tostring(msg):gsub("^.-:%d+: ", "")))
