-- Lookups through __index tables while the tables on the way change: every change that can
-- move where such a lookup ends must be seen at once, by hot code as well as cold. Each
-- probe runs its lookups in a loop long enough to be compiled, right before the change (so
-- whatever the lookups remember is fresh), and the change is one operation on its own.

local function class(base)
  local c = {}
  c.__index = c
  if base then setmetatable(c, { __index = base }) end
  return c
end

-- o.who read as a field and called as a method, for each object, n rounds.
local function who(objs, n)
  local parts = {}
  for round = 1, n do
    for i = 1, #objs do
      local o = objs[i]
      local f = o.who
      local r = f and o:who() or "nil"
      if round == n then parts[#parts + 1] = r end
    end
  end
  return table.concat(parts, " ")
end

-- The same through a key only known when it runs (o[k]).
local function who_dynamic(objs, n, k)
  local parts = {}
  for round = 1, n do
    for i = 1, #objs do
      local o = objs[i]
      local f = o[k]
      local r = f and f(o) or "nil"
      if round == n then parts[#parts + 1] = r end
    end
  end
  return table.concat(parts, " ")
end

local function late(objs, n)
  local parts = {}
  for round = 1, n do
    for i = 1, #objs do
      local v = objs[i].late
      if round == n then parts[#parts + 1] = tostring(v) end
    end
  end
  return table.concat(parts, " ")
end

-- Base is made with room to spare in its hash part: a key added later is inserted without
-- the part being rebuilt.
local Base = { __index = false, a = 1, b = 2, c = 3, d = 4, e = 5 }
Base.__index = Base
function Base.who() return "base" end
local Mid = class(Base)
local Leaf = class(Mid)
local objs = { setmetatable({}, Base), setmetatable({}, Mid), setmetatable({}, Leaf) }

print("start", who(objs, 300))
function Mid.who() return "mid" end          -- a new key below shadows the inherited one
print("mid added", who(objs, 300))
Mid.who = nil                                 -- a value that becomes nil
print("mid removed", who(objs, 300))
Mid.who = function() return "mid2" end       -- a nil key given a value again
print("mid again", who(objs, 300))
print("dynamic read", who_dynamic(objs, 300, "who"))
Mid.who = nil
print("dynamic read", who_dynamic(objs, 300, "who"))
Mid.who = function() return "mid3" end
print("dynamic read", who_dynamic(objs, 300, "who"), who(objs, 5))
Mid.who = nil
print("mid removed", who(objs, 300))
rawset(Mid, "who", function() return "raw" end)
print("rawset", who(objs, 300))
Mid.who = nil
print("mid removed", who(objs, 300))

-- The same in compiled code that stores into keys holding nil.
local function put(t, v) t.who = v end
for i = 1, 300 do local t = { who = 1 }; t.who = nil; put(t, i) end
put(Mid, function() return "put" end)
print("hot put", who(objs, 300))
put(Mid, nil)
print("hot put nil", who(objs, 300))

-- A key absent everywhere, then inserted at the top (no rebuild of Base's hash part).
print("absent", late(objs, 300))
Base.late = "late"
print("inserted", late(objs, 300))

-- Keys of other types inserted into classes with room in their hash parts: an insertion can
-- move a key's node to a free one (when the new key's place holds a key that was itself moved
-- there), the method's among them.
local kept = 0
for trial = 1, 60 do
  local C = { who = function() return "c" end }
  for k = 1, 8 do C["x" .. trial .. "_" .. k] = k end
  C.__index = C                               -- 10 keys in 16 nodes
  local o = setmetatable({}, C)
  local ok = true
  for j = 1, 6 do
    for _ = 1, 60 do if type(o.who) ~= "function" then ok = false end end
    C[trial * 100 + j + 0.5] = j
    if type(o.who) ~= "function" then ok = false end
  end
  if ok then kept = kept + 1 end
end
print("other keys inserted", kept)

-- The class's hash part grows (nodes move) and integer keys go into it too.
for i = 1, 200 do Mid["k" .. i] = i; Mid[i * 1000 + 0.5] = i end
print("after growth", who(objs, 300), Mid.k200, objs[3].k17)

-- __index changes: replaced by another table, by a function, and removed.
local Other = { who = function() return "other" end }
print("before swap", who(objs, 300))
Leaf.__index = Other
print("index swapped", who(objs, 300), who_dynamic(objs, 300, "who"))
Leaf.__index = Leaf
print("index back", who(objs, 300))
local function setk(t, k, v) t[k] = v end   -- a key only known when it runs
for i = 1, 300 do setk({ x = 1 }, "x", i) end
setk(Leaf, "__index", Other)
print("dynamic key", who(objs, 300))
setk(Leaf, "__index", Leaf)
print("dynamic back", who(objs, 300))
getmetatable(Mid).__index = function(_, key) return function() return "fn:" .. key end end
print("index function", who(objs, 300))
getmetatable(Mid).__index = nil
print("index removed", who(objs, 300))
getmetatable(Mid).__index = Base
print("index restored", who(objs, 300))

-- The metatable of a class is replaced (the chain above it changes).
local Alt = class()
function Alt.who() return "alt" end
setmetatable(Mid, { __index = Alt })
print("setmetatable", who(objs, 300))
debug.setmetatable(Mid, { __index = Base })
print("debug.setmetatable", who(objs, 300))

-- An instance's metatable changes under a hot loop.
local function hot_switch(o, n)
  local seen = {}
  for i = 1, n do
    if i == n // 2 then setmetatable(o, Alt) end
    local w = o:who()
    seen[w] = (seen[w] or 0) + 1
  end
  return seen.base or 0, seen.alt or 0
end
print("switch", hot_switch(setmetatable({}, Mid), 400))

-- Classes made and dropped: a new one may take a collected one's address, and its keys are
-- not the old one's.
local found = {}
for round = 1, 40 do
  local K = class()
  if round % 2 == 0 then K.late = round end
  local o = setmetatable({}, K)
  found[#found + 1] = tostring(late({ o }, 5))
  K, o = nil, nil
  collectgarbage()
end
print("reused", table.concat(found, ","))

-- Methods that change in a loop that runs them (three classes at one site).
local P, Q, R = class(), class(), class()
function P.v() return 1 end
function Q.v() return 2 end
function R.v() return 3 end
local mix = { setmetatable({}, P), setmetatable({}, Q), setmetatable({}, R) }
local sum = 0
for i = 1, 3000 do
  local o = mix[i % 3 + 1]
  sum = sum + o.v()
  if i == 1000 then Q.v = function() return 20 end end
  if i == 2000 then P.v = nil; setmetatable(P, { __index = R }) end
end
print("polymorphic", sum)

-- A loop in the chain still raises its error, hot or not.
local L1, L2 = {}, {}
setmetatable(L1, { __index = L2 }); setmetatable(L2, { __index = L1 })
local function probe(o) return o.missing end
for _ = 1, 100 do pcall(probe, L1) end
print(pcall(probe, L1))
print("done")
