-- Coroutine bodies that yield many times from hot code: after enough resumes the native tier
-- gives such functions an entry after each call a yield passed through, and a resume goes
-- back to native code there. Results of the yields (none, one, several, all of them) must
-- land in the right registers, and locals live across the yield must keep their values.

local function counter(n)
  return coroutine.wrap(function()
    local sum, fsum = 0, 0.5
    for i = 1, n do
      local got = coroutine.yield(i, sum)      -- two values out, one in
      sum = sum + (got or 0)
      fsum = fsum * 1.5
    end
    return "done", sum, fsum
  end)
end

local gen = counter(3000)
local total, last = 0, nil
for step = 1, 3001 do
  local a, b, c = gen(step % 7)
  if type(a) == "number" then total = total + a + b else last = { a, b, c } end
end
print(total, last[1], last[2], last[3])

-- A generic for over a generator, whose iterator resumes it.
local function range(n, step)
  return coroutine.wrap(function()
    for i = 1, n, step do coroutine.yield(i) end
  end)
end
local acc = 0
for v in range(6000, 3) do acc = acc + v end
print(acc)

-- Yields from a nested Lua call, with varargs through the yield.
local function inner(...)
  local t = { coroutine.yield(...) }
  return #t, t[1], t[#t]
end
local co = coroutine.create(function(x)
  local results = {}
  for i = 1, 1500 do
    local n, first, lastv = inner(i, x, i * 2)
    results[#results + 1] = n + (first or 0) + (lastv or 0)
    x = x + 1
  end
  local s = 0
  for _, v in ipairs(results) do s = s + v end
  return s
end)
local ok, a, b, c = coroutine.resume(co, 10)
local outs = {}
while coroutine.status(co) ~= "dead" do
  outs[#outs + 1] = a + b + c
  ok, a, b, c = coroutine.resume(co, a, "mid", b)
end
local so = 0
for _, v in ipairs(outs) do so = so + v end
print(ok, a, so)

-- A yield with no values, and a resume passing none, inside arithmetic.
local zco = coroutine.wrap(function()
  local k = 0
  for i = 1, 1500 do
    local v = coroutine.yield()
    k = k + (v == nil and 1 or 100) + i
  end
  return k
end)
local r
for i = 1, 1501 do r = zco() end
print(r)

-- Errors after a resume re-entered native code keep their message and position.
local eco = coroutine.create(function()
  for i = 1, 1200 do coroutine.yield(i) end
  local t = nil
  return t.field
end)
local msg
repeat local ok2, e = coroutine.resume(eco); msg = e until coroutine.status(eco) == "dead"
print(msg)
