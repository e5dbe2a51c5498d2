-- a small class system with inheritance, super calls, mixins and tostring
local function class(parent)
  local c = {}
  c.__index = c
  c.super = parent
  c.__tostring = function(self) return self:describe() end
  setmetatable(c, {
    __index = parent,
    __call = function(cls, ...)
      local obj = setmetatable({}, cls)
      if cls.init then cls.init(obj, ...) end
      return obj
    end,
  })
  return c
end

local function isinstance(obj, cls)
  local m = getmetatable(obj)
  while m do
    if m == cls then return true end
    m = m.super
  end
  return false
end

local Shape = class()
Shape.count = 0
function Shape:init(name) self.name = name; Shape.count = Shape.count + 1 end
function Shape:area() return 0 end
function Shape:describe() return string.format("%s with area %.2f", self.name, self:area()) end
Shape.__eq = function(a, b) return a:area() == b:area() end
Shape.__lt = function(a, b) return a:area() < b:area() end
Shape.__le = function(a, b) return a:area() <= b:area() end

local Rect = class(Shape)
function Rect:init(w, h) Shape.init(self, "rect"); self.w, self.h = w, h end
function Rect:area() return self.w * self.h end
Rect.__eq, Rect.__lt, Rect.__le = Shape.__eq, Shape.__lt, Shape.__le

local Square = class(Rect)
function Square:init(s) Rect.init(self, s, s); self.name = "square" end
function Square:describe() return "Square! " .. Rect.describe(self) end
Square.__eq, Square.__lt, Square.__le = Shape.__eq, Shape.__lt, Shape.__le

local Circle = class(Shape)
function Circle:init(r) self.super.init(self, "circle"); self.r = r end
function Circle:area() return math.pi * self.r ^ 2 end
Circle.__eq, Circle.__lt, Circle.__le = Shape.__eq, Shape.__lt, Shape.__le

local shapes = {Rect(3, 4), Square(3), Circle(1), Rect(2, 2), Square(2), Circle(2)}
for _, s in ipairs(shapes) do print(s) end
print("instances created", Shape.count)
print(isinstance(shapes[2], Rect), isinstance(shapes[2], Shape), isinstance(shapes[3], Rect), isinstance({}, Shape))
print(shapes[4] == shapes[5], shapes[1] == shapes[2], shapes[4] < shapes[1], shapes[2] <= shapes[1])

table.sort(shapes, function(a, b) if a == b then return a.name < b.name end return a < b end)
local names = {}
for i, s in ipairs(shapes) do names[i] = s.name .. string.format("(%.1f)", s:area()) end
print(table.concat(names, " "))

-- method lookup falls through the chain; overriding at instance level
local sq = Square(5)
print(sq:area(), rawget(sq, "area"), Square.area == Rect.area)
sq.area = function() return -1 end
print(sq:area(), tostring(sq))

-- mixins
local Serializable = {
  serialize = function(self)
    local keys = {}
    for k, v in pairs(self) do if type(v) ~= "function" then keys[#keys + 1] = k end end
    table.sort(keys)
    local out = {}
    for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. tostring(self[k]) end
    return "{" .. table.concat(out, ",") .. "}"
  end,
}
local function include(cls, mixin) for k, v in pairs(mixin) do cls[k] = v end end
include(Rect, Serializable)
print(Rect(7, 8):serialize(), Square(1):serialize())
print(pcall(function() return Circle(1):serialize() end))

-- private state via closures
local function Counter(start)
  local n = start or 0
  local self = {}
  function self.inc(by) n = n + (by or 1); return self end
  function self.get() return n end
  return self
end
local c = Counter(10)
c.inc().inc(5).inc()
print(c.get(), c.n)

-- class-level properties with __index function for defaults and __newindex validation
local Strict = class()
local mt = getmetatable(Strict)
Strict.__newindex = function(t, k, v)
  if type(k) ~= "string" or not k:match("^[%a_][%w_]*$") then error("bad field name: " .. tostring(k), 2) end
  rawset(t, k, v)
end
local st = Strict()
st.ok_name = 1
print(st.ok_name, pcall(function() st["1bad"] = 2 end))
print(type(mt.__call), Strict.super)
print("done")
