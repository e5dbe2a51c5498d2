-- numeric for
for i = 1, 3 do io.write(i, " ") end print()
for i = 3, 1, -1 do io.write(i, " ") end print()
for i = 1, 0 do io.write("never") end print("empty loop")
for i = 1, 2, 0.5 do io.write(i, " ") end print()
for i = 1.0, 3 do io.write(i, " ") end print()
for i = 1, 3.5 do io.write(i, " ") end print()
for i = 0.1, 0.35, 0.1 do io.write(string.format("%.1f ", i)) end print()
for i = 10, 1, -3 do io.write(i, " ") end print()
for i = -1, -3, -1 do io.write(i, " ") end print()
for i = 1, 3 do local j = i; i = i * 10; io.write(j, ":", i, " ") end print()

-- loop types
for i = 1, 1 do print(math.type(i)) end
for i = 1.0, 1 do print(math.type(i)) end
for i = 1, 1.0 do print(math.type(i)) end
for i = 1, 1, 1.0 do print(math.type(i)) end

-- limits near maxinteger / mininteger do not overflow
local c = 0
for i = math.maxinteger - 2, math.maxinteger do c = c + 1 end
print("near max", c)
c = 0
for i = math.mininteger, math.mininteger + 2 do c = c + 1 end
print("near min", c)
c = 0
for i = math.mininteger + 2, math.mininteger, -1 do c = c + 1 end
print("down to min", c)
c = 0
for i = math.maxinteger - 10, math.maxinteger, 4 do c = c + 1; io.write(i - math.maxinteger, " ") end
print(c)
c = 0
for i = 1, math.huge do c = c + 1; if c == 5 then break end end
print("huge limit", c)
c = 0
for i = 1, 3.9 do c = c + 1 end print("float limit floor", c)
c = 0
for i = 3, -math.huge, -1 do c = c + 1; if c > 4 then break end end print("neg huge", c)
c = 0
for i = math.maxinteger, 1e100 do c = c + 1; if c > 3 then break end end print("limit beyond int", c)
c = 0
for i = 1, -1e100 do c = c + 1 end print("limit below int", c)

-- errors
print(pcall(function() for i = 1, 10, 0 do end end))
print(pcall(function() for i = 1.0, 10, 0.0 do end end))
print(pcall(function() for i = "a", 2 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, 2, nil do end end))
print(pcall(function() local s = "1"; for i = s, 2 do io.write(math.type(i), " ", i, " ") end end))

-- break and nested
for i = 1, 3 do
  for j = 1, 3 do
    if j > i then break end
    io.write(i, j, " ")
  end
end
print()

-- generic for
local t = {10, 20, 30, nil, 50}
for i, v in ipairs(t) do io.write(i, "=", v, " ") end print()
local function range(n)
  return function(_, last) if last < n then return last + 1 end end, nil, 0
end
for v in range(4) do io.write(v, " ") end print()
-- stateless iterator with explicit state and control
local function iter(s, ctl) ctl = ctl + s; if ctl <= 10 then return ctl, ctl * ctl end end
for a, b in iter, 3, 0 do io.write(a, ":", b, " ") end print()
-- iterator returning several values; extra loop variables become nil
for a, b, c in function(_, x) if not x then return 1, 2 end end do print(a, b, c) end
print(pcall(function() for x in 42 do end end))
print(pcall(function() for x in nil do end end))

-- generic for with a to-be-closed 4th value
do
  local closer = setmetatable({}, {__close = function(o, e) print("closing iterator, err:", e) end})
  local function it(_, i) i = i + 1; if i <= 3 then return i end end
  for i in it, nil, 0, closer do io.write(i, " ") end
  print()
  for i in it, nil, 0, closer do if i == 2 then print("break at", i) break end end
  local ok, msg = pcall(function()
    for i in it, nil, 0, closer do if i == 2 then error("boom", 0) end end
  end)
  print(ok, msg)
  local function f()
    for i in it, nil, 0, closer do if i == 1 then return "returned" end end
  end
  print(f())
end
print(pcall(function() for i in next, {}, nil, 42 do end end))
print("done")
