-- coroutine.close and to-be-closed variables in coroutines
local function closer(name)
  return setmetatable({}, {__close = function(_, err) print("closing", name, err) end})
end

local co = coroutine.create(function()
  local a <close> = closer("a")
  local b <close> = closer("b")
  coroutine.yield("suspended with two pending")
  print("never reached")
end)
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.close(co))
print(coroutine.status(co))
print(coroutine.resume(co))
print(coroutine.close(co))          -- closing a dead coroutine is fine

-- close a coroutine that has not started
local fresh = coroutine.create(function() print("never runs") end)
print(coroutine.close(fresh), coroutine.status(fresh))

-- close a coroutine that died with an error: returns false and the error
local failed = coroutine.create(function() error("it failed", 0) end)
print(coroutine.resume(failed))
print(coroutine.close(failed))
print(coroutine.close(failed))
local failed2 = coroutine.create(function() error({reason = "tbl"}) end)
coroutine.resume(failed2)
local okc, errc = coroutine.close(failed2)
print(okc, type(errc), errc.reason)

-- an error inside __close during coroutine.close
local co2 = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() error("close failed", 0) end})
  local y <close> = closer("y")
  coroutine.yield()
end)
coroutine.resume(co2)
print(coroutine.close(co2))
print(coroutine.status(co2))

-- cannot close a running or normal coroutine
local selfclose
selfclose = coroutine.create(function() return pcall(coroutine.close, selfclose) end)
print(coroutine.resume(selfclose))
print(pcall(coroutine.close, coroutine.running()))
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function() return pcall(coroutine.close, outer) end)
  return coroutine.resume(inner)
end)
print(coroutine.resume(outer))

-- a coroutine that dies with an error keeps its to-be-closed variables pending
-- (its stack is not unwound) until coroutine.close is called
local co3 = coroutine.create(function()
  local z <close> = closer("z")
  coroutine.yield(1)
  error("late error", 0)
end)
print(coroutine.resume(co3))
print(coroutine.resume(co3))
print(coroutine.status(co3))
print(coroutine.close(co3))

-- wrap: when the body errors, variables are closed before the error propagates
local w = coroutine.wrap(function()
  local q <close> = closer("q")
  coroutine.yield("first")
  error("wrap err", 0)
end)
print(w())
print(pcall(w))

-- __close may yield when the coroutine finishes normally
local co4 = coroutine.create(function()
  local y <close> = setmetatable({}, {__close = function() coroutine.yield("yield in close"); print("close resumed") end})
  return "body finished"
end)
print(coroutine.resume(co4))
print(coroutine.resume(co4))
print(coroutine.status(co4))

-- generic for loop in a coroutine that gets closed closes the iterator's closing value
local co5 = coroutine.create(function()
  for i in function(_, c) c = c + 1; if c < 5 then return c end end, nil, 0, closer("iter") do
    coroutine.yield(i)
  end
end)
print(coroutine.resume(co5))
print(coroutine.resume(co5))
print(coroutine.close(co5))
print("done")
