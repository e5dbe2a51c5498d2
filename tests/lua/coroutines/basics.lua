-- create, resume, yield, status, wrap, running, isyieldable
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return d + e, "end"
end)
print(type(co), coroutine.status(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.status(co))
print(coroutine.resume(co))
print(coroutine.resume(co))

-- yield with no values and many values
local co2 = coroutine.create(function(...)
  print("args", select('#', ...))
  print("resumed with", select('#', coroutine.yield()))
  print("resumed with", select('#', coroutine.yield(nil, nil, nil)))
  return
end)
print(coroutine.resume(co2, nil, nil))
print(select('#', coroutine.resume(co2)))
print(select('#', coroutine.resume(co2, 1, 2, 3, 4)))

-- running and isyieldable
local main, ismain = coroutine.running()
print(type(main), ismain, coroutine.isyieldable())
local co3
co3 = coroutine.create(function()
  local me, im = coroutine.running()
  print(me == co3, im, coroutine.isyieldable(), coroutine.status(co3))
  print(coroutine.status(main))
end)
coroutine.resume(co3)
print(coroutine.isyieldable(coroutine.create(print)), coroutine.isyieldable(main), coroutine.status(co3))

-- status 'normal' for a coroutine that resumed another
local a, b
a = coroutine.create(function()
  coroutine.resume(b)
end)
b = coroutine.create(function()
  print("a is", coroutine.status(a), "b is", coroutine.status(b))
end)
coroutine.resume(a)

-- wrap
local gen = coroutine.wrap(function(x)
  for i = 1, 3 do x = coroutine.yield(x * i) end
  return "last", x
end)
print(gen(1), gen(2), gen(3))
print(gen(4))
print(pcall(gen))

-- resuming errors
print(coroutine.resume(coroutine.running()))
local self_resume
self_resume = coroutine.create(function() return coroutine.resume(self_resume) end)
print(coroutine.resume(self_resume))
print(pcall(coroutine.yield, 1))
local normal_co
local outer = coroutine.create(function()
  local inner = coroutine.create(function() return coroutine.resume(normal_co) end)
  return coroutine.resume(inner)
end)
normal_co = outer
print(coroutine.resume(outer))

-- coroutine functions receive resume args first time only
local echo = coroutine.wrap(function(...)
  local args = {...}
  while true do
    local n = #args
    args = {coroutine.yield(n, ...)}
  end
end)
print(echo("a", "b"))
print(echo("c"))
print(echo())

-- coroutine.create with non-function
print(pcall(coroutine.create, {}))
print(pcall(coroutine.status, "x"))
print(coroutine.status(coroutine.create(print)))
print(coroutine.resume(coroutine.create(print), "printed by resume"))
print(coroutine.resume(coroutine.create(math.max), 3, 9, 4))
print("done")
