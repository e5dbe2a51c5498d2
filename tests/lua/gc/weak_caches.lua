-- weak tables used as caches, ephemerons
local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end

-- memoisation with weak values: entries go away when nobody holds the result
local cache = setmetatable({}, {__mode = "v"})
local computed = 0
local function getobj(k)
  local v = cache[k]
  if not v then computed = computed + 1; v = {key = k}; cache[k] = v end
  return v
end
local held = {}
for i = 1, 100 do local o = getobj(i % 10); if i <= 10 then held[#held + 1] = o end end
print("computed", computed, count(cache))
held = nil
collectgarbage(); collectgarbage()
print("after release", count(cache))
getobj(1)
print("recomputed", computed)

-- object properties stored in a weak-keyed side table
local props = setmetatable({}, {__mode = "k"})
local function tag(o, v) props[o] = v; return o end
local live = {}
for i = 1, 50 do
  local o = tag({}, "p" .. i)
  if i % 10 == 0 then live[#live + 1] = o end
end
collectgarbage(); collectgarbage()
local vals = {}
for o, v in pairs(props) do vals[#vals + 1] = v end
table.sort(vals)
print(count(props), table.concat(vals, " "))

-- ephemeron: the value refers back to its own key
local eph = setmetatable({}, {__mode = "k"})
local function selfref(n)
  for i = 1, n do local k = {}; eph[k] = {owner = k, i = i} end
end
selfref(100)
collectgarbage(); collectgarbage()
print("self-referencing entries collected", count(eph))

-- ephemeron: value refers to another key that is alive only through the table
local k1 = {}
local function chain()
  local k2, k3 = {}, {}
  eph[k1] = k2; eph[k2] = k3; eph[k3] = "tail"
end
chain()
collectgarbage()
print("chain kept", count(eph), eph[eph[eph[k1]]])
k1 = nil
collectgarbage(); collectgarbage()
print("chain gone", count(eph))

-- weak values: strings and numbers are values, not objects, so never removed
local wv = setmetatable({}, {__mode = "v"})
wv[1] = "string"; wv[2] = 12345; wv[3] = true; wv[4] = {}; wv[5] = function() end
collectgarbage(); collectgarbage()
print(wv[1], wv[2], wv[3], wv[4], wv[5])

-- weak keys with non-collectable keys stay
local wk = setmetatable({}, {__mode = "k"})
wk[1] = "a"; wk["s"] = "b"; wk[true] = "c"; wk[2.5] = "d"
collectgarbage()
print(count(wk), wk[1], wk.s, wk[true], wk[2.5])

-- changing __mode after creation is honoured at the next cycle
local late = {}
late[1] = {}
setmetatable(late, {__mode = "v"})
collectgarbage(); collectgarbage()
print("late weak", late[1])

-- weak table entries referenced from a closure stay alive
local wclos = setmetatable({}, {__mode = "k"})
local key = {}
local captured = key
local keeper = function() return captured end
wclos[key] = "alive"
key = nil
collectgarbage(); collectgarbage()
print("closure keeps key", count(wclos), keeper() ~= nil)
print("done")
