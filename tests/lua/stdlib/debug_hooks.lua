-- debug.sethook: line, call, return and count hooks, gethook, hooks set from inside running
-- functions (native frames in the compiled modes) and per-coroutine hooks.

local function lines_of(f, ...)
  local seen = {}
  debug.sethook(function(event, line)
    assert(event == "line")
    seen[#seen + 1] = line
  end, "l")
  f(...)
  debug.sethook()
  return table.concat(seen, " ")
end

local function sum(n)
  local s = 0
  for i = 1, n do
    s = s + i
  end
  return s
end

print("lines", lines_of(sum, 3))

local function branchy(x)
  if x > 0 then
    return "pos"
  elseif x < 0 then
    return "neg"
  end
  return "zero"
end
print("lines", lines_of(branchy, 1))
print("lines", lines_of(branchy, -1))
print("lines", lines_of(branchy, 0))

-- warm the functions up so that the native tier has compiled them
for _ = 1, 200 do sum(10); branchy(1); branchy(-1) end
print("lines after warm-up", lines_of(sum, 2))
print("lines after warm-up", lines_of(branchy, -5))

-- call and return events, identified by function
local names = {}
local function name_of(f)
  for k, v in pairs(names) do if v == f then return k end end
  return "?"
end
local function leaf(x) return x * 2 end
local function middle(x) return leaf(x) + 1 end
local function tail(x) return middle(x) end
names.leaf, names.middle, names.tail = leaf, middle, tail
local events = {}
debug.sethook(function(event)
  local f = debug.getinfo(2, "f").func
  local n = name_of(f)
  if n ~= "?" then events[#events + 1] = event .. ":" .. n end
end, "cr")
local r = tail(5)
debug.sethook()
print("result", r)
print("events", table.concat(events, " "))

-- host functions get call and return events too
local hostev = {}
debug.sethook(function(event)
  local info = debug.getinfo(2, "S")
  if info.what == "C" then hostev[#hostev + 1] = event end
end, "cr")
local _ = math.abs(-3)
debug.sethook()
print("host events", table.concat(hostev, " "))

-- gethook
local function h() end
print("gethook none", debug.gethook())
debug.sethook(h, "crl", 7)
local hf, mask, count = debug.gethook()
debug.sethook()
print("gethook", hf == h, mask, count)
debug.sethook(h, "", 5)
print("gethook count only", select(2, debug.gethook()), select(3, debug.gethook()))
debug.sethook()

-- the count hook stops a runaway loop
local ticks = 0
debug.sethook(function(event)
  assert(event == "count")
  ticks = ticks + 1
  if ticks == 50 then error("too many instructions") end
end, "", 100)
local ok, err = pcall(function() local x = 0 while true do x = x + 1 end end)
debug.sethook()
print("count hook", ok, (err:gsub("^.-:%d+: ", "")), ticks)

-- hooks do not run inside hooks
local depth, maxdepth = 0, 0
debug.sethook(function()
  depth = depth + 1
  if depth > maxdepth then maxdepth = depth end
  local t = {}
  for i = 1, 3 do t[i] = i end
  depth = depth - 1
end, "l")
local y = 0
y = y + 1
y = y + 1
debug.sethook()
print("nested hook depth", maxdepth, y)

-- a hook set by a callee applies to its callers once it returns
local function set_line_hook(out)
  debug.sethook(function(_, line) out[#out + 1] = line end, "l")
end
local function caller(out)
  local a = 1
  set_line_hook(out)
  a = a + 1
  a = a + 1
  return a
end
for _ = 1, 200 do local o = {} caller(o) debug.sethook() end
local out = {}
caller(out)
debug.sethook()
print("set by callee", table.concat(out, " "))

-- a hook set while a loop runs, from a function the loop calls
local function loop_with_hook(n, out)
  local s = 0
  for i = 1, n do
    if i == n - 1 then set_line_hook(out) end
    s = s + i
  end
  return s
end
for _ = 1, 50 do loop_with_hook(100, {}) debug.sethook() end
out = {}
local s = loop_with_hook(100, out)
debug.sethook()
print("set inside loop", s, table.concat(out, " "))

-- hooks belong to a thread
local co = coroutine.create(function(a)
  local b = a + 1
  coroutine.yield(b)
  return b + 1
end)
local colines = {}
debug.sethook(co, function(event, line) colines[#colines + 1] = event .. (line and ":" .. line or "") end, "lr")
print("main hook while co hooked", debug.gethook())
print(coroutine.resume(co, 1))
print(coroutine.resume(co))
print("coroutine events", table.concat(colines, " "))
print("coroutine gethook", debug.gethook(co) ~= nil)

-- errors raised by hooks carry the hook's position
local ok2, err2 = pcall(function()
  debug.sethook(function(event, line) debug.sethook() error("stop at line " .. line) end, "l")
  local z = 1
  return z
end)
print("hook error", ok2, err2, debug.gethook())

-- a line hook sees the frame's locals through debug.getlocal
local function locals_seen()
  local seen = {}
  local function f(a)
    local b = a * 2
    local c = b + 1
    return c
  end
  debug.sethook(function(_, line)
    local name, value = debug.getlocal(2, 2)
    if name == "b" then seen[#seen + 1] = line .. "=" .. tostring(value) end
  end, "l")
  f(4)
  debug.sethook()
  return table.concat(seen, " ")
end
print("locals in hook", locals_seen())

-- call events of a recursive function that has been running natively
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
for _ = 1, 100 do fib(12) end
local calls, returns = 0, 0
debug.sethook(function(event)
  if debug.getinfo(2, "f").func == fib then
    if event == "return" then returns = returns + 1 else calls = calls + 1 end
  end
end, "cr")
local f10 = fib(10)
debug.sethook()
print("fib calls", f10, calls, returns)

-- a count hook on every instruction counts a loop that runs natively otherwise
local function spin(n) local x = 0 for i = 1, n do x = x + i end return x end
for _ = 1, 100 do spin(50) end
local counted = 0
debug.sethook(function() counted = counted + 1 end, "", 1)
spin(1000)
debug.sethook()
print("count every instruction", counted)

-- a host function as the hook
debug.sethook(print, "r")
debug.sethook()

-- a hook set in a coroutine stays there
local wrapped = coroutine.wrap(function()
  local n = 0
  debug.sethook(function() n = n + 1 end, "l")
  local a = 1
  a = a + 1
  coroutine.yield(n)
  return n, debug.gethook() ~= nil
end)
print("wrapped first", wrapped())
print("main unhooked", debug.gethook())
print("wrapped second", wrapped())

-- bad arguments
print(pcall(debug.sethook, 1, "l"))
print(pcall(debug.sethook, function() end))
print(pcall(debug.sethook, function() end, "l", "x"))

-- a hook set by a metamethod inside a running loop: the loop's lines are seen from then on
-- (in native code, from a back-edge within 64 iterations: the set of lines is the same)
local hooked_lines = {}
local trigger = setmetatable({}, { __index = function()
  debug.sethook(function(_, line) hooked_lines[line] = true end, "l")
  return 0
end })
local function meta_loop(obj, n)
  local s = 0
  for i = 1, n do
    if i == 10 then s = s + obj.go end
    s = s + i
  end
  return s
end
for _ = 1, 20 do meta_loop({ go = 0 }, 200) end
local ms = meta_loop(trigger, 200)
debug.sethook()
local sorted = {}
for line in pairs(hooked_lines) do sorted[#sorted + 1] = line end
table.sort(sorted)
print("set by a metamethod", ms, table.concat(sorted, " "))

-- a hook is named "hook '?'" by getinfo and in tracebacks
debug.sethook(function(event)
  debug.sethook()
  local n = debug.getinfo(1, "n")
  print("hook name", event, n.namewhat, n.name)
  print(debug.traceback("in hook", 1))
end, "l")
local after = 1
print("after", after)

-- the traceback of an error raised in a hook names the hook
local ok3, tb = xpcall(function()
  debug.sethook(function() debug.sethook(); error("from hook") end, "l")
  local z = 1
  return z
end, debug.traceback)
print("hook error traceback", ok3, tb)

-- getinfo 'r' in call and return hooks: the transferred values, read with getlocal
local transfers = {}
local function add(a, b) local s = a + b return s, a * b end
local function pass(...) return ... end
debug.sethook(function(event)
  local info = debug.getinfo(2, "rf")
  if info.func ~= add and info.func ~= pass and info.func ~= math.max then return end
  local vals = {}
  for i = info.ftransfer, info.ftransfer + info.ntransfer - 1 do
    local name, value = debug.getlocal(2, i)
    vals[#vals + 1] = tostring(name) .. "=" .. tostring(value)
  end
  transfers[#transfers + 1] = event .. " " .. info.ftransfer .. "/" .. info.ntransfer .. " " .. table.concat(vals, ",")
end, "cr")
add(3, 4)
pass(7, 8, 9)
local biggest = math.max(5, 2, 8)
debug.sethook()
for _, line in ipairs(transfers) do print("transfer", line) end
print("no transfer outside hooks", debug.getinfo(1, "r").ftransfer, debug.getinfo(1, "r").ntransfer, biggest)
