-- __mode weak tables
local function count(t) local n = 0; for _ in pairs(t) do n = n + 1 end; return n end

-- weak values
local wv = setmetatable({}, {__mode = "v"})
local keep = {}
wv[1] = keep
wv[2] = {}
wv.str = "strings are values, not collectable objects here"
wv.num = 42
collectgarbage(); collectgarbage()
print("weak v:", wv[1] == keep, wv[2], wv.str ~= nil, wv.num, count(wv))

-- weak keys
local wk = setmetatable({}, {__mode = "k"})
local k1 = {}
wk[k1] = "kept"
wk[{}] = "dropped"
wk["strkey"] = "strings never removed"
wk[1] = "numbers never removed"
collectgarbage(); collectgarbage()
print("weak k:", wk[k1], count(wk))

-- fully weak
local wkv = setmetatable({}, {__mode = "kv"})
local kk, vv = {}, {}
wkv[kk] = vv
wkv[{}] = vv
wkv.x = {}
collectgarbage(); collectgarbage()
print("weak kv:", wkv[kk] == vv, count(wkv))

-- dropping the strong reference lets the entry go
k1 = nil
collectgarbage(); collectgarbage()
print("after drop:", count(wk))

-- closures as weak values
local cache = setmetatable({}, {__mode = "v"})
local function fill()
  local f = function() return 1 end
  cache.f = f
  cache.g = function() return 2 end
  collectgarbage()
  print("closure kept while referenced:", cache.f ~= nil)
end
fill()
collectgarbage(); collectgarbage()
print("closures collected:", cache.f, cache.g)

-- ephemerons: value refers to key, entry still collectable
local eph = setmetatable({}, {__mode = "k"})
local function addeph()
  local key = {}
  eph[key] = {ref = key}
end
addeph()
collectgarbage(); collectgarbage()
print("ephemeron collected:", count(eph))
local ek = {}
eph[ek] = {ref = ek}
collectgarbage()
print("ephemeron kept:", eph[ek].ref == ek, count(eph))
-- chain of ephemerons reachable from one live key
local a = {}
local b, c = {}, {}
eph[a] = b; eph[b] = c; eph[c] = "end"
b, c = nil, nil
collectgarbage()
print("ephemeron chain:", eph[eph[a]] ~= nil, eph[eph[eph[a]]], count(eph))
a = nil
collectgarbage(); collectgarbage()
print("chain freed:", count(eph))

-- a weak table used as a set of live objects
local registry = setmetatable({}, {__mode = "k"})
local objs = {}
for i = 1, 10 do local o = {id = i}; registry[o] = true; if i % 2 == 0 then objs[#objs + 1] = o end end
collectgarbage(); collectgarbage()
local ids = {}
for o in pairs(registry) do ids[#ids + 1] = o.id end
table.sort(ids)
print("live ids:", table.concat(ids, " "))
print(getmetatable(registry).__mode)
print("done")
