-- heavy: allocates or recurses a lot; the test runner skips it under --gc-stress
-- stack overflow, deep recursion and errors crossing coroutines
local function inf(n) return 1 + inf(n + 1) end
local ok, msg = pcall(inf, 1)
print(ok, type(msg), string.find(msg, "stack overflow", 1, true) ~= nil)

-- overflow through metamethods
local t = setmetatable({}, {})
getmetatable(t).__index = function(tt, k) return tt[k .. "x"] end
ok, msg = pcall(function() return t.a end)
print(ok, string.find(msg, "stack overflow", 1, true) ~= nil)

-- overflow through string concatenation in recursion with pcall at each level
local levels = 0
local function rec() levels = levels + 1; local ok2, e = pcall(rec); if not ok2 then error(e, 0) end end
ok, msg = pcall(rec)
print(ok, levels > 100, string.find(tostring(msg), "overflow", 1, true) ~= nil)

-- the state is usable after an overflow
print(pcall(function() return 1 + 1 end))

-- deep but finite recursion works (non-tail)
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(10000), depth(150000))

-- tail calls do not grow the stack
local function tail(n, acc) if n == 0 then return acc end return tail(n - 1, acc + 1) end
print(tail(1000000, 0))
local function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
print(pcall(even, 100001))

-- errors crossing coroutine boundaries
local co = coroutine.create(function(x)
  local y = coroutine.yield(x + 1)
  error({tag = "in coroutine", val = y})
end)
print(coroutine.resume(co, 1))
local ok3, err = coroutine.resume(co, 10)
print(ok3, type(err), err.tag, err.val, coroutine.status(co))
-- string errors get position information
local co2 = coroutine.create(function() local z; return z.f end)
print(coroutine.resume(co2))
-- wrap propagates errors to the caller
local w = coroutine.wrap(function() error("wrapped failure") end)
print(pcall(w))
local w2 = coroutine.wrap(function() error({code = 5}) end)
local ok4, e4 = pcall(w2)
print(ok4, type(e4), e4.code)
local w3 = coroutine.wrap(function() error("no position", 0) end)
print(pcall(w3))
-- pcall inside a coroutine catches, coroutine continues
local co3 = coroutine.create(function()
  local r = {pcall(error, "caught inside")}
  coroutine.yield(r[1], r[2])
  return "survived"
end)
print(coroutine.resume(co3))
print(coroutine.resume(co3))
print(coroutine.resume(co3))

-- error in a nested coroutine travels up through a resume
local outer = coroutine.wrap(function()
  local inner = coroutine.wrap(function() error("from inner", 0) end)
  inner()
end)
print(pcall(outer))

-- stack overflow inside a coroutine
local co4 = coroutine.create(function() return inf(1) end)
local ok5, m5 = coroutine.resume(co4)
print(ok5, string.find(m5, "stack overflow", 1, true) ~= nil, coroutine.status(co4))

-- error with level pointing at a function in another coroutine (level 2 = the caller)
local function checker(v) if not v then error("checker failed", 2) end end
local co5 = coroutine.create(function()
  checker(false)     -- line 77
end)
print(coroutine.resume(co5))
print("done")
