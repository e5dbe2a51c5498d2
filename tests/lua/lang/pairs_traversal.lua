-- pairs traversal through native code: array part, hash part, mixed, removal during traversal,
-- captured loop variables, nested loops over different tables, next with an explicit key.
local function sum_pairs(t)
  local n, ks, vs = 0, 0, 0
  for k, v in pairs(t) do
    n = n + 1
    if type(k) == "number" then ks = ks + k end
    if type(v) == "number" then vs = vs + v end
  end
  return n, ks, vs
end
local function keys_sorted(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = tostring(k) end
  table.sort(out)
  return table.concat(out, ",")
end
for round = 1, 60 do
  local arr = {}
  for i = 1, 50 do arr[i] = i * round end
  local hash = {}
  for i = 1, 40 do hash["k" .. i] = i end
  local mixed = { 1, 2, 3, x = 10, y = 20, [100] = 7, [2.5] = 1 }
  local sparse = {}
  for i = 1, 30 do sparse[i * 7919 % 1009] = i end
  local a1, a2, a3 = sum_pairs(arr)
  local h1, h2, h3 = sum_pairs(hash)
  local m1, m2, m3 = sum_pairs(mixed)
  local s1, s2, s3 = sum_pairs(sparse)
  if round % 20 == 0 then
    print(round, a1, a2, a3, h1, h2, h3, m1, m2, m3, s1, s2, s3)
    print(keys_sorted(mixed))
  end
  -- clearing fields during traversal is allowed
  local cleared = 0
  for k, v in pairs(hash) do
    if v % 2 == 0 then hash[k] = nil; cleared = cleared + 1 end
  end
  local left = 0
  for _ in pairs(hash) do left = left + 1 end
  if round % 20 == 0 then print("cleared", cleared, "left", left) end
  -- loop variables captured by closures
  local fns = {}
  for k, v in pairs({ a = 1, b = 2, c = 3 }) do fns[#fns + 1] = function() return k .. v end end
  local got = {}
  for i = 1, #fns do got[i] = fns[i]() end
  table.sort(got)
  if round % 20 == 0 then print(table.concat(got, " ")) end
  -- nested traversals of different tables at the same sites
  local total = 0
  for _, inner in pairs({ { 1, 2 }, { x = 3 }, {}, { [5] = 4, y = 5 } }) do
    for _, v in pairs(inner) do total = total + v end
  end
  if round % 20 == 0 then print("nested", total) end
  -- one result only; three results (the third is nil)
  local c = 0
  for k in pairs(mixed) do c = c + 1 end
  local third = 0
  for k, v, extra in next, mixed do if extra == nil then third = third + 1 end end
  if round % 20 == 0 then print("one", c, "three", third) end
end
-- an invalid key is still an error
print(pcall(function() for k in next, { a = 1 }, "zzz" do end end))
-- a table whose __pairs is not next
local proxy = setmetatable({}, { __pairs = function(t) return function(_, k) if not k then return 1, "one" end end, t, nil end })
for k, v in pairs(proxy) do print("proxy", k, v) end
-- a metatable does not change next
local withmeta = setmetatable({ a = 1 }, { __index = function() return 99 end })
for k, v in pairs(withmeta) do print("meta", k, v) end
-- garbage collection during a traversal (dead keys after clearing)
local big = {}
for i = 1, 200 do big["s" .. i] = {} end
local seen = 0
for k, v in pairs(big) do
  big[k] = nil
  seen = seen + 1
  if seen % 50 == 0 then collectgarbage() end
end
print("big", seen, next(big))
