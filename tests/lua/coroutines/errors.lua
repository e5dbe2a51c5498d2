-- errors inside coroutines
local co = coroutine.create(function(x)
  if x then return x * 2 end
  local t = nil
  return t.field
end)
print(coroutine.resume(co, 21))
co = coroutine.create(function() local t = nil; return t.field end)
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.resume(co))

-- runtime error after some yields
local co2 = coroutine.create(function()
  for i = 1, 2 do coroutine.yield(i) end
  return 1 + nil
end)
for _ = 1, 4 do print(coroutine.resume(co2)) end

-- wrap adds the caller position to string errors
local w = coroutine.wrap(function() error("plain", 0) end)
local ok, msg = pcall(function()
  w()                                   -- line 23
end)
print(ok, msg)
local w2 = coroutine.wrap(function() local n; return #n end)
print(pcall(function() local r = w2(); return r end))
-- resuming a dead wrap
local w3 = coroutine.wrap(function() return 1 end)
print(w3())
print(pcall(function()
  local r = w3()                        -- line 32
  return r
end))
print(pcall(w3))

-- non-string errors are not modified by wrap
local w4 = coroutine.wrap(function() error(404) end)
print(pcall(w4))
local w5 = coroutine.wrap(function() error() end)
print(pcall(w5))

-- error inside a pcall inside a coroutine after a yield
local co3 = coroutine.create(function()
  local r = table.pack(pcall(function()
    coroutine.yield("y1")
    error("caught")
  end))
  return r.n, r[1], r[2]
end)
print(coroutine.resume(co3))
print(coroutine.resume(co3))

-- error objects with metatables survive resume
local E = setmetatable({msg = "custom"}, {__tostring = function(e) return "E(" .. e.msg .. ")" end})
local co4 = coroutine.create(function() error(E) end)
local ok4, e4 = coroutine.resume(co4)
print(ok4, e4 == E, tostring(e4))

-- yield outside coroutine, inside pcall in main thread
print(pcall(coroutine.yield))
print(select(2, pcall(function() coroutine.yield() end)))

-- error in the function passed to wrap when called with wrong args
local adder = coroutine.wrap(function(a, b) return a + b end)
print(pcall(adder, 1))

-- coroutine.resume of a non-coroutine
print(pcall(coroutine.resume, nil))
print(pcall(coroutine.wrap(function() coroutine.yield() end)))

-- xpcall handler runs inside the coroutine that raised the error
local handlerThread
local co5 = coroutine.create(function()
  return xpcall(function() error("x", 0) end, function(m)
    handlerThread = coroutine.running()
    return m .. " handled"
  end)
end)
print(coroutine.resume(co5))
print(handlerThread == co5)
print("done")
