-- <const> and <close> local attributes
local K <const> = 10
local S <const> = "str"
print(K * 2, S .. "!")
print(load("local x <const> = 1; x = 2"))
print(load("local x <const> = 1; return function() x = 3 end"))
print(load("local x <foo> = 1"))
print(load("local a <close>, b <close> = nil, nil"))

local function closer(name)
  return setmetatable({name = name}, {__close = function(self, err)
    print("close", self.name, type(err) == "table" and "<table " .. tostring(err.code) .. ">" or err)
  end})
end

-- close order is reverse of declaration
do
  local a <close> = closer("a")
  local b <close> = closer("b")
  local c <close> = nil           -- nil and false are allowed and ignored
  local d <close> = false
  print("in block")
end
print("after block")

-- closed on break and return
for i = 1, 3 do
  local x <close> = closer("loop" .. i)
  if i == 2 then break end
end
local function ret()
  local r <close> = closer("ret")
  return "value from ret"
end
print(ret())

-- values returned are computed before closing
local function ret2()
  local t = {v = 1}
  local r <close> = setmetatable({}, {__close = function() t.v = 99 end})
  return t.v, t
end
local v, tt = ret2()
print(v, tt.v)

-- closed on error, receiving the error object
print(pcall(function()
  local e1 <close> = closer("e1")
  local e2 <close> = closer("e2")
  error("oops", 0)
end))
print(pcall(function()
  local e1 <close> = closer("tbl")
  error({code = 7})
end) == false)

-- error inside __close replaces the error
print(pcall(function()
  local a <close> = setmetatable({}, {__close = function(_, e) print("a sees", e); error("from a", 0) end})
  local b <close> = setmetatable({}, {__close = function(_, e) print("b sees", e); error("from b", 0) end})
  error("original", 0)
end))
print(pcall(function()
  local a <close> = setmetatable({}, {__close = function(_, e) print("a sees", e); error("close err", 0) end})
  return "normal"
end))

-- non-closable value
print(pcall(function() local x <close> = {} end))
print(pcall(function() local x <close> = 42 end))

-- closing inside coroutines on normal finish
local co = coroutine.wrap(function()
  local c <close> = closer("co")
  coroutine.yield("yielded")
  return "finished"
end)
print(co())
print(co())

-- __close must exist at declaration; the one present at closing time is called
local mt = {__close = function() print("original close") end}
do
  local z <close> = setmetatable({}, mt)
  mt.__close = function() print("replaced close") end
end

-- goto out of a block closes
do
  local i = 0
  ::again::
  do
    local g <close> = closer("goto" .. i)
    i = i + 1
    if i < 3 then goto again end
  end
end
print("done")
