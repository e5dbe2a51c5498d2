-- generators and producer/consumer patterns
local function range(n, step)
  return coroutine.wrap(function()
    for i = 1, n, step or 1 do coroutine.yield(i) end
  end)
end
local acc = {}
for v in range(10, 3) do acc[#acc + 1] = v end
print(table.concat(acc, " "))

-- permutations generator
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a)
  else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local function permutations(a)
  local co = coroutine.create(function() permgen(a) end)
  return function()
    local _, res = coroutine.resume(co)
    return res
  end
end
local count = 0
for p in permutations({"a", "b", "c"}) do
  count = count + 1
  io.write(table.concat(p), " ")
end
print(count)

-- producer / filter / consumer
local function producer(items)
  return coroutine.create(function()
    for _, it in ipairs(items) do coroutine.yield(it) end
  end)
end
local function receive(prod)
  local ok, v = coroutine.resume(prod)
  return v
end
local function filter(prod, pred)
  return coroutine.create(function()
    while true do
      local v = receive(prod)
      if v == nil then return end
      if pred(v) then coroutine.yield(v) end
    end
  end)
end
local p = filter(producer({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), function(x) return x % 3 ~= 0 end)
local out = {}
while true do
  local v = receive(p)
  if not v then break end
  out[#out + 1] = v * v
end
print(table.concat(out, ","))

-- fibonacci generator with state passed back in
local fib = coroutine.wrap(function()
  local a, b = 0, 1
  while true do
    local reset = coroutine.yield(a)
    if reset then a, b = 0, 1 else a, b = b, a + b end
  end
end)
local fs = {}
for i = 1, 10 do fs[i] = fib() end
print(table.concat(fs, " "))
print(fib(true), fib(), fib(), fib())

-- tree walk with recursive yields
local tree = {v = 5, l = {v = 3, l = {v = 1}, r = {v = 4}}, r = {v = 8, l = {v = 7}, r = {v = 9}}}
local function walk(n)
  if not n then return end
  walk(n.l); coroutine.yield(n.v); walk(n.r)
end
local inorder = {}
for v in coroutine.wrap(function() walk(tree) end) do inorder[#inorder + 1] = v end
print(table.concat(inorder, " "))

-- interleaving several coroutines round robin
local tasks = {}
for id = 1, 3 do
  tasks[#tasks + 1] = coroutine.create(function()
    for step = 1, id do coroutine.yield(id .. "." .. step) end
    return id .. " done"
  end)
end
local log = {}
while #tasks > 0 do
  for i = #tasks, 1, -1 do
    local ok, v = coroutine.resume(tasks[i])
    log[#log + 1] = v
    if coroutine.status(tasks[i]) == "dead" then table.remove(tasks, i) end
  end
end
print(table.concat(log, " | "))

-- many coroutines alive at once
local cos = {}
for i = 1, 1000 do cos[i] = coroutine.wrap(function() local x = i; while true do x = x + coroutine.yield(x) end end) end
local sum = 0
for i = 1, 1000 do sum = sum + cos[i]() end
for i = 1, 1000 do sum = sum + cos[i](1) end
print(sum)
print("done")
