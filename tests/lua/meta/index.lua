-- __index and __newindex
local defaults = {color = "red", size = 10}
local obj = setmetatable({size = 3}, {__index = defaults})
print(obj.color, obj.size, obj.missing, rawget(obj, "color"))

-- __index function receives table and key
local calls = {}
local dyn = setmetatable({}, {__index = function(t, k)
  calls[#calls + 1] = tostring(k)
  if type(k) == "number" then return k * k end
  return nil
end})
print(dyn[4], dyn[1.5], dyn.name, table.concat(calls, ","))

-- chains of __index tables
local A = {a = "from A"}
local B = setmetatable({b = "from B"}, {__index = A})
local C = setmetatable({c = "from C"}, {__index = B})
local inst = setmetatable({}, {__index = C})
print(inst.a, inst.b, inst.c, inst.d)
A.d = "added to A later"
print(inst.d)

-- a chain that ends in a function
local base = setmetatable({}, {__index = function(_, k) return "fn:" .. k end})
local mid = setmetatable({}, {__index = base})
print(mid.anything, setmetatable({}, {__index = mid}).deep)

-- __index on a non-table via debug-free means: strings use string table
print(("abc").upper == string.upper)

-- __newindex table redirects assignment
local store = {}
local proxy = setmetatable({}, {__newindex = store})
proxy.x = 1
print(rawget(proxy, "x"), store.x)
-- existing key bypasses __newindex
rawset(proxy, "y", 0)
proxy.y = 5
print(rawget(proxy, "y"), store.y)

-- __newindex function
local log = {}
local watched = setmetatable({}, {__newindex = function(t, k, v)
  log[#log + 1] = k .. "=" .. tostring(v)
  rawset(t, k, v and v * 2)
end})
watched.a = 1; watched.b = 2; watched.a = 10
print(watched.a, watched.b, table.concat(log, " "))

-- read-only table
local function readonly(t)
  return setmetatable({}, {__index = t, __newindex = function(_, k)
    error("attempt to update a read-only table (key " .. tostring(k) .. ")", 2)
  end, __len = function() return #t end})
end
local days = readonly({"Sun", "Mon", "Tue"})
print(days[2], #days)
print(pcall(function() days[4] = "Wed" end))

-- __newindex chains through tables with metatables
local inner = setmetatable({}, {__newindex = function(_, k, v) print("inner newindex", k, v) end})
local outer = setmetatable({}, {__newindex = inner})
outer.z = 26
print(rawget(outer, "z"), rawget(inner, "z"))

-- __index with numbers, booleans as keys
local any = setmetatable({}, {__index = function(_, k) return type(k) end})
print(any[1], any[true], any[any] , any[2.5])

-- default values per table via shared metatable
local mt = {__index = function() return 0 end}
local counts = setmetatable({}, mt)
for _, w in ipairs({"a", "b", "a", "c", "a"}) do counts[w] = counts[w] + 1 end
print(counts.a, counts.b, counts.c, counts.z)

-- __index is not used by rawget, __newindex not by rawset
local r = setmetatable({}, {__index = function() return "meta" end, __newindex = function() error("no") end})
rawset(r, "k", "raw")
print(r.k, rawget(r, "other"), r.other)

-- __index on missing integer keys with ipairs (ipairs respects __index)
local virt = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
for i, v in ipairs(virt) do io.write(i, ":", v, " ") end
print()

-- indexing errors
print(pcall(function() local t = setmetatable({}, {__index = 5}); return t.x end))
print(pcall(function() local t = setmetatable({}, {__newindex = true}); t.x = 1 end))
-- deep __index loop detection
local loop1, loop2 = {}, {}
setmetatable(loop1, {__index = loop2}); setmetatable(loop2, {__index = loop1})
print(pcall(function() return loop1.x end))
print("done")
