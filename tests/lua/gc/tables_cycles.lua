-- heavy: allocates or recurses a lot; the test runner skips it under --gc-stress
-- tables, closures and cycles allocated in loops
local function node(v) return {value = v} end

-- cycles of tables become garbage together
local weak = setmetatable({}, {__mode = "k"})
local function makecycles(n)
  for i = 1, n do
    local a, b = node(i), node(-i)
    a.other, b.other = b, a
    if i % 1000 == 0 then weak[a] = i end
  end
end
makecycles(20000)
collectgarbage(); collectgarbage()
print("cycles left", next(weak))

-- a self-referencing structure that stays reachable
local ring = node(1)
local cur = ring
for i = 2, 1000 do cur.next = node(i); cur = cur.next end
cur.next = ring
collectgarbage()
local sum, steps, p = 0, 0, ring
repeat sum = sum + p.value; steps = steps + 1; p = p.next until p == ring
print("ring", steps, sum)

-- closures in loops capturing loop variables
local fns = {}
for i = 1, 10000 do
  local captured = {i}
  fns[i % 100 + 1] = function() return captured[1] end
end
collectgarbage()
local s = 0
for i = 1, 100 do s = s + fns[i]() end
print("closures", s)

-- closures referencing each other (cycle through upvalues)
local function pair()
  local f, g
  f = function(n) if n == 0 then return "f" end return g(n - 1) end
  g = function(n) if n == 0 then return "g" end return f(n - 1) end
  return f
end
local last
for i = 1, 5000 do last = pair() end
collectgarbage()
print(last(10), last(7))

-- table churn: create and drop big tables repeatedly
local checksum = 0
for round = 1, 20 do
  local t = {}
  for i = 1, 5000 do t[i] = i * round end
  for k = 1, 200 do t["k" .. k] = k end
  checksum = checksum + #t + t[5000]
end
print("churn", checksum)

-- tables used as keys, removed later
local registry = {}
for i = 1, 3000 do registry[{}] = i end
local cnt = 0
for k, v in pairs(registry) do cnt = cnt + 1; if v % 2 == 0 then registry[k] = nil end end
local remaining = 0
for _ in pairs(registry) do remaining = remaining + 1 end
print("registry", cnt, remaining)
registry = nil
collectgarbage()

-- metatables shared by many objects
local mt = {__index = function(t, k) return k .. "!" end}
local objs = {}
for i = 1, 10000 do objs[i] = setmetatable({}, mt) end
print(objs[1].a, objs[10000].b, getmetatable(objs[5000]) == mt)
objs = nil
collectgarbage()

-- coroutines as garbage
local alive = setmetatable({}, {__mode = "v"})
local function spawn(n)
  for i = 1, n do
    local co = coroutine.create(function(x) coroutine.yield(x) end)
    coroutine.resume(co, i)
    if i % 100 == 0 then alive[#alive + 1] = co end
  end
end
spawn(2000)
collectgarbage(); collectgarbage()
print("suspended coroutines collected", #alive == 0 or next(alive) == nil)
print("done")
