-- field access fast paths of the native tier: nil-valued fields, __newindex on dead keys,
-- methods through __index tables, __index functions, absent fields and globals
local C = {} ; C.__index = C
function C.get(self) return self.v end
local log = {}
local P = setmetatable({}, {__newindex = function(t, k, v) log[#log+1] = k; rawset(t, k, v) end})
local function f(o, x)
  o.v = x          -- set
  o.w = nil        -- set nil
  o.w = x          -- set after nil (dead key)
  local m = o.get  -- through __index
  return m and m(o), o.w, o.nothere, undefined_global
end
for i = 1, 3000 do
  local o = setmetatable({v = 0, w = 1}, C)
  local a, b, c, d = f(o, i)
  assert(a == i and b == i and c == nil and d == nil)
end
for i = 1, 3 do
  local q = setmetatable({w = 1}, getmetatable(P))
  q.w = nil; q.w = i         -- __newindex must fire on the dead key
end
print(#log, log[1], log[3])
local D = setmetatable({}, {__index = function(t, k) return k .. "!" end})
local function g(o) return o.zz end
for i = 1, 3000 do assert(g(D) == "zz!") end
print(g(D), g({zz = 5}), g(setmetatable({}, {__index = {zz = 7}})))
local A = {}; A.__index = A
function A.hello(self) return "A" .. self.n end
local B = setmetatable({}, {__index = A}); B.__index = B
local C = setmetatable({}, {__index = B}); C.__index = C
function C.own(self) return "C" end
local o = setmetatable({n = 1}, C)
local loop = setmetatable({}, {}); getmetatable(loop).__index = loop   -- __index loop: error
local s = 0
for i = 1, 5000 do
  s = s + #o:hello() + #o:own()
  assert(o.missing == nil)
end
print(s, o:hello(), pcall(function() return loop.x end))
