-- host (library) functions called from hot Lua code: results, errors and their messages,
-- yields, host functions that call back into Lua, and the C-stack limit
local function hot(f, ...) for _ = 1, 120 do f(...) end return f(...) end

-- results: none, one, many, adjusted to what the call wants
local function results(t)
  local a = select("#", table.unpack(t))
  local b, c = table.unpack(t)
  local d = {table.unpack(t)}
  local e = (table.unpack(t))
  return a, b, c, #d, e, select(-1, table.unpack(t))
end
print(hot(results, {1, 2, 3}))
print(pcall(hot, results, {}))
local big = {}
for i = 1, 500 do big[i] = i end
print(hot(results, big))
print(hot(function() return math.type(1), math.type(1.0), math.type("1"), type(nil), rawlen({1, 2}) end))
print(hot(function(...) return select("#", ...), select(2, ...) end, 1, nil, 3, nil))

-- errors raised by host functions: message, level, and the traceback through them
local function bad(x) return string.rep(x, 2) end
print(pcall(hot, bad, {}))
print(pcall(hot, function() return ("x"):bad() end))
print(pcall(hot, function() local t = setmetatable({}, {__index = function(t, k) error("no " .. k, 2) end}) return t.field end))
print(pcall(hot, function() return select(0, 1) end))
print(select(2, pcall(hot, function() error({code = 1}) end)).code)
print(select(2, xpcall(hot, function(m) return "handled: " .. m end, function() return tostring() end)))
local ok, tb = xpcall(hot, debug.traceback, function() return math.floor("z") end)
print(ok, tb)

-- host functions that call Lua back
print(hot(function()
  local t = {5, 3, 9, 1}
  table.sort(t, function(a, b) return a > b end)
  return table.concat(t, ","), ("a1b2"):gsub("%d", function(d) return "<" .. d .. ">" end)
end))
print(pcall(hot, function() table.sort({3, 2, 1}, function(a, b) error("in comparator") end) end))
print(hot(function() return tostring(setmetatable({}, {__tostring = function() return "custom" end})) end))

-- yields: coroutine.yield called from native code, values both ways; and across a host call
local gen = coroutine.wrap(function(n)
  local sum = 0
  for i = 1, n do sum = sum + coroutine.yield(i) end
  return "sum " .. sum
end)
local last = gen(300)
for i = 1, 300 do last = gen(i) end
print(last)
local co = coroutine.create(function()
  for _ = 1, 200 do table.sort({2, 1}, function(a, b) return a < b end) end
  table.sort({2, 1}, function(a, b) coroutine.yield("no") return a < b end)
end)
print(coroutine.resume(co))
print(coroutine.isyieldable(), coroutine.wrap(function() return hot(coroutine.isyieldable) end)())
local inner = coroutine.wrap(function()
  for i = 1, 150 do
    local ok, v = pcall(coroutine.yield, i)
    assert(ok and v == i * 2)
  end
  return "done"
end)
local r = inner()
while r ~= "done" do r = inner(r * 2) end
print(r)

-- the C-stack limit: host functions that call back into Lua, nested without bound
local function deep(n) return (string.gsub("x", "x", function() return deep(n + 1) end)) end
local ok2, msg = pcall(deep, 1)
print(ok2, msg)
local depth = 0
local mt = {}
mt.__index = function(t, k) depth = depth + 1 return setmetatable({}, mt)[k] end
print(pcall(function() return setmetatable({}, mt).x end), depth > 100)
local function viaTostring(n)
  return tostring(setmetatable({}, {__tostring = function() return viaTostring(n + 1) end}))
end
print(pcall(viaTostring, 1))

-- a library function replaced by a Lua function, and a host function stored elsewhere
local count = 0
local realType = type
type = function(v) count = count + 1 return "mine " .. realType(v) end
print(hot(function(v) return type(v) end, 1), count)
type = realType
local t = {f = string.len, g = select}
print(hot(function() return t.f("abcd"), t.g("#", 1, 2) end))
