-- error positions and levels across nested calls, metamethods and chunks
local function lvl(n) error("at level " .. n, n) end
local function a(n) lvl(n); return 1 end
local function b(n) a(n); return 1 end
local function c(n) b(n); return 1 end
for n = 0, 5 do print(n, pcall(c, n)) end

-- validating arguments: blame the caller
local function checkpositive(x)
  if type(x) ~= "number" then error("bad argument: number expected, got " .. type(x), 2) end
  if x <= 0 then error(string.format("bad argument: %d is not positive", x), 2) end
  return x
end
local function user1() local v = checkpositive("x"); return v end
local function user2() local v = checkpositive(-3); return v end
print(pcall(user1))
print(pcall(user2))

-- errors raised inside metamethods point at the metamethod, level 2 at the operator
local mt = {
  __index = function(t, k) error("no field " .. k) end,
  __add = function(x, y) error("cannot add", 2) end,
  __call = function(self, v) if v == nil then error("call needs a value", 2) end return v end,
}
local obj = setmetatable({}, mt)
print(pcall(function() return obj.missing end))
print(pcall(function()
  local r = obj + 1
  return r
end))
print(pcall(function() local r = obj(); return r end))
print(pcall(function() local r = obj(5); return r end))

-- multi-line expressions report the line of the failing operation
print(pcall(function()
  local t = {}
  local v = 1 +
    2 +
    t.missing.field
  return v
end))
print(pcall(function()
  local s = "a" ..
    "b" ..
    nil_global_value
  return s
end))

-- errors inside loaded chunks carry the chunk name and their own line numbers
local chunk = load("local x = 1\nlocal y = nil\nreturn x + y", "=calc")
print(pcall(chunk))
local chunk2 = load("return function(v) error('inner ' .. v, 2) end", "@lib.lua")
local thrower = chunk2()
print(pcall(function()
  thrower("v")
end))

-- error() with non-string values ignores the level
print(pcall(function() error({}, 2) end) == false, select(2, pcall(error, 42, 2)))

-- tostring of error positions in string.format("%s") and concatenation
local ok, msg = pcall(function() local n; return n.x end)
print(type(msg), msg:match("^(.-):(%d+):") )
print(("%s"):format(msg):len() == #msg)
print("done")
