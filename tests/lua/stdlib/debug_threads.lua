-- The debug library on other threads (traceback, getinfo, getlocal, setlocal with a coroutine
-- as first argument), vararg and temporary locals, tracebacks taken inside coroutines and of
-- deep stacks, and getinfo's activelines.

local function worker(a, b)
  local sum = a + b
  local got = coroutine.yield(sum)
  sum = sum + got
  coroutine.yield(sum)
  local broken = nil
  return broken.field
end

-- warm the body up so that the compiled modes run it natively before the coroutine below
for _ = 1, 50 do
  local c = coroutine.create(worker)
  coroutine.resume(c, 1, 2)
end

local co = coroutine.create(worker)
print("first", coroutine.resume(co, 10, 20))
print(debug.traceback(co))
print(debug.traceback(co, "with message"))
print(debug.traceback(co, "from level 1", 1))
print(debug.traceback(co, 42))
print("table message kept", type(debug.traceback(co, {})))

local info = debug.getinfo(co, 1, "Sln")
print("getinfo", info.short_src, info.currentline, info.linedefined, info.what)
print("getinfo level 0", debug.getinfo(co, 0, "S").what, debug.getinfo(co, 0, "n").name)
print("getinfo beyond", debug.getinfo(co, 2), debug.getinfo(co, 5, "l"))
print(pcall(debug.getinfo, co, 1, ">S"))

-- locals of the suspended frame, read and written
for i = 1, 3 do print("local", i, debug.getlocal(co, 1, i)) end
print("no such local", debug.getlocal(co, 1, 40))
print("set", debug.setlocal(co, 1, 3, 100))
print("second", coroutine.resume(co, 5))
print(pcall(debug.getlocal, co, 7, 1))
print(pcall(debug.setlocal, co, 7, 1, 0))

-- an error ends the coroutine: its traceback still shows where
print("third", coroutine.resume(co))
print(debug.traceback(co))
print(debug.traceback(co, "dead", 0))
print("status", coroutine.status(co))

-- tracebacks taken inside a coroutine end at its body
local inner = coroutine.wrap(function(x)
  local function deeper() return debug.traceback("inside", 1) end
  coroutine.yield(deeper())
  return debug.traceback(coroutine.running(), "running thread given", 1)
end)
print(inner(1))
print(inner())

-- extra arguments and temporaries
local function va(fixed, ...)
  local names = {}
  for i = -1, -4, -1 do
    local name, value = debug.getlocal(1, i)
    names[#names + 1] = tostring(name) .. "=" .. tostring(value)
  end
  print("varargs", fixed, table.concat(names, " "))
  print("set vararg", debug.setlocal(1, -2, "changed"), select(2, ...))
  print("vararg beyond", debug.getlocal(1, -5))
end
va("f", "x", "y", "z")
va("g")

local function temps()
  local a = 1
  local t = { "k", debug.getlocal(1, 2) }
  local u = { "k", debug.getlocal(1, 3) }
  print("temporary", a, t[2], t[3] == t, u[2], u[3] == u)
  print("temporary beyond", debug.getlocal(1, 50))
end
temps()
print("host frame temporary", debug.getlocal(0, 1))

-- a deep stack shows its first 10 and last 11 levels
local function deep(n)
  if n == 0 then return debug.traceback("deep", 1) end
  return (deep(n - 1))
end
print(deep(30))
print(deep(19))
local deepco = coroutine.create(function() local function d(n) if n == 0 then coroutine.yield() end return (d(n - 1)) end d(40) end)
coroutine.resume(deepco)
print(debug.traceback(deepco, "deep coroutine"))
print(debug.traceback(deepco, "beyond", 100))

-- activelines: the lines that have code
local function lines_of_code(a)
  local b = a + 1

  if b > 2 then
    return b
  end
  return 0
end
local function show_lines(fn)
  local t = debug.getinfo(fn, "L").activelines
  if not t then return "none" end
  local ks = {}
  for k, v in pairs(t) do ks[#ks + 1] = tostring(k) .. "=" .. tostring(v) end
  table.sort(ks)
  return table.concat(ks, " ")
end
print("activelines", show_lines(lines_of_code))
print("activelines vararg", show_lines(function(...) local x = ... return x end))
print("activelines host", show_lines(print))
print("activelines chunk", show_lines(load("local a = 1\n\nreturn a")))

-- kept by Lua 5.4 for compatibility, without effect
print("setcstacklimit", debug.setcstacklimit(100))
