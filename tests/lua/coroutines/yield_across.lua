-- yielding across pcall, metamethods, iterators; C-call boundary errors
local co = coroutine.create(function()
  local ok, v = pcall(function()
    local got = coroutine.yield(1)
    coroutine.yield(got * 2)
    error("after yields", 0)
  end)
  coroutine.yield("pcall returned", ok, v)
  local ok2, v2 = xpcall(function() return coroutine.yield("in xpcall") + 1 end, function(m) return "H" .. m end)
  return ok2, v2
end)
print(coroutine.resume(co))
print(coroutine.resume(co, 21))
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co, 41))
print(coroutine.status(co))

-- yield inside an __index function
local lazy = setmetatable({}, {__index = function(t, k)
  local v = coroutine.yield("need " .. k)
  rawset(t, k, v)
  return v
end})
local c2 = coroutine.wrap(function()
  local a = lazy.x
  local b = lazy.y
  local again = lazy.x
  return a + b + again
end)
print(c2())
print(c2(10))
print(c2(5))

-- yield inside __lt, __add, __concat, __eq, __call
local mt = {}
mt.__lt = function(a, b) return coroutine.yield("lt") end
mt.__add = function(a, b) return coroutine.yield("add") end
mt.__concat = function(a, b) return coroutine.yield("concat") end
mt.__eq = function(a, b) return coroutine.yield("eq") end
mt.__call = function(self, x) return coroutine.yield("call " .. x) end
mt.__len = function() return coroutine.yield("len") end
local A, B = setmetatable({}, mt), setmetatable({}, mt)
local c3 = coroutine.wrap(function()
  local r = {}
  if A < B then r[#r + 1] = "less" else r[#r + 1] = "notless" end
  r[#r + 1] = A + B
  r[#r + 1] = A .. "s"
  r[#r + 1] = tostring(A == B)
  r[#r + 1] = A("arg")
  r[#r + 1] = #A
  return table.concat(r, ",")
end)
print(c3())
print(c3(true))
print(c3(100))
print(c3("cat"))
print(c3(false))
print(c3("called"))
print(c3(3))

-- yield inside a generic-for iterator and from nested Lua calls
local c4 = coroutine.wrap(function()
  local function iter(_, i) i = i + 1; if i <= 2 then coroutine.yield("iter " .. i); return i end end
  local s = 0
  for i in iter, nil, 0 do s = s + i end
  return "sum " .. s
end)
print(c4(), c4(), c4())

-- yielding across C functions that do not support continuations is an error
local c5 = coroutine.create(function()
  local t = {3, 1, 2}
  table.sort(t, function(a, b) coroutine.yield("in sort"); return a < b end)
end)
print(coroutine.resume(c5))
local c6 = coroutine.create(function()
  return string.gsub("abc", "%w", function(c) coroutine.yield(c) end)
end)
print(coroutine.resume(c6))
local c7 = coroutine.create(function()
  local t = setmetatable({}, {__tostring = function() coroutine.yield("ts") return "x" end})
  return tostring(t)
end)
print(coroutine.resume(c7))
local c8 = coroutine.create(function()
  return load(function() coroutine.yield("in reader") end)
end)
print(coroutine.resume(c8))

-- yield across pcall within a wrap used as an iterator
local function safeiter()
  return coroutine.wrap(function()
    for i = 1, 3 do
      local ok, err = pcall(function()
        coroutine.yield(i)
        if i == 2 then error("bad two", 0) end
      end)
      if not ok then coroutine.yield("err:" .. err) end
    end
  end)
end
local got = {}
for v in safeiter() do got[#got + 1] = tostring(v) end
print(table.concat(got, " "))

-- select/table.unpack of yielded multiple values across pcall
local c9 = coroutine.create(function() return pcall(coroutine.yield, "a", "b", "c") end)
print(coroutine.resume(c9))
print(coroutine.resume(c9, "x", "y"))
print("done")
