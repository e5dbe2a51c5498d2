-- yields from deep inside (native) recursion, repeatedly: in-order tree walks, values passed
-- both ways, yields under pcall, from a metamethod, and errors after a yield
local function insert(node, key)
  if node == nil then return { key = key } end
  if key < node.key then node.left = insert(node.left, key) else node.right = insert(node.right, key) end
  return node
end
local function walk(tree)
  return coroutine.wrap(function()
    local function visit(node, depth)
      if node then
        visit(node.left, depth + 1)
        local got = coroutine.yield(node.key, depth)
        assert(got == nil or got == node.key * 2)
        visit(node.right, depth + 1)
      end
    end
    visit(tree, 0)
    return "done"
  end)
end
for round = 1, 30 do
  local tree, seed = nil, round
  for _ = 1, 300 do seed = (seed * 16807) % 2147483647; tree = insert(tree, seed % 1000) end
  local sum, count, maxdepth, prev, sorted = 0, 0, 0, -1, true
  local gen = walk(tree)
  while true do
    local k, d = gen()
    if k == "done" then break end
    if k < prev then sorted = false end
    prev = k
    sum, count = sum + k, count + 1
    if d > maxdepth then maxdepth = d end
  end
  if round % 10 == 0 then print(round, sum, count, maxdepth, sorted) end
end

-- values sent in by resume reach the yield inside the recursion
local co = coroutine.create(function(n)
  local function down(i, acc)
    if i == 0 then return acc end
    local v = coroutine.yield(i)
    return down(i - 1, acc + v)
  end
  return down(n, 0)
end)
local ok, v = coroutine.resume(co, 50)
local total = 0
while coroutine.status(co) ~= "dead" do
  ok, v = coroutine.resume(co, v * 10)
  total = total + 1
end
print("sent", ok, v, total)

-- a yield under pcall, and an error raised after resuming
local function risky(i)
  local got = coroutine.yield(i)
  if got == "boom" then error("boom at " .. i) end
  return got
end
local co2 = coroutine.wrap(function()
  local results = {}
  for i = 1, 200 do
    local ok2, r = pcall(risky, i)
    results[#results + 1] = ok2 and r or ("caught " .. r:gsub("^.-:%d+: ", ""))
  end
  return table.concat(results, ",", 195, 200)
end)
local out = co2()
for i = 1, 200 do out = co2(i % 7 == 0 and "boom" or i) end
print(out)

-- a metamethod that yields, called from a hot loop
local mt = { __add = function(a, b) return coroutine.yield(a.v + b) end }
local co3 = coroutine.create(function()
  local acc = 0
  local obj = setmetatable({ v = 1 }, mt)
  for i = 1, 300 do acc = acc + (obj + i) end
  return acc
end)
local ok3, r = coroutine.resume(co3)
local yields = 0
while coroutine.status(co3) == "suspended" do
  yields = yields + 1
  ok3, r = coroutine.resume(co3, r * 2)
end
print("meta", ok3, r, yields)
