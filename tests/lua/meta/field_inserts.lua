-- table constructors and new string keys: collisions, dead keys, metatables with __newindex
local function mk(i) return { value = i, left = i + 1, right = i + 2, a1 = 1, a2 = 2, a3 = 3, a4 = 4, a5 = 5, a6 = 6 } end
local s = 0
for i = 1, 3000 do local t = mk(i); s = s + t.value + t.left + t.right + t.a1 + t.a6 end
print(s)
local seen = {}
local P = setmetatable({}, { __newindex = function(t, k, v) seen[#seen + 1] = k; rawset(t, k, v) end })
local function put(t) t.alpha = 1; t.beta = 2; t.gamma = 3 end
for i = 1, 3 do put(P); P.alpha = nil; P.beta = nil; P.gamma = nil end
print(#seen, seen[1], seen[9])
local t = {}
local function fill(t) for i = 1, 50 do t["k" .. (i % 7)] = i end; t.x = 1; t.y = 2; t.x = nil; t.z = 3 end
for i = 1, 2000 do fill(t) end
local keys = {} for k, v in pairs(t) do keys[#keys + 1] = k .. "=" .. v end table.sort(keys) print(table.concat(keys, " "))
