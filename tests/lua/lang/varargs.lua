-- varargs
local function count(...) return select('#', ...) end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))
print(select(2, "a", "b", "c"), select(-1, "a", "b", "c"))
print(select(-2, "a", "b", "c"))
print(select(4, "a", "b", "c"))
print(pcall(select, 0, "a"))
print(pcall(select, -4, "a", "b", "c"))
print(select('#'))

local function pass(...) return ... end
print(pass(1, 2, 3))
print((pass(1, 2, 3)))
print(pass(1, 2), pass(3, 4))       -- truncated in the middle
print(#{pass(1, 2, 3)}, #{pass(1, 2), pass(3, 4)}, #{pass()}, select("#", pass(), 1))
local t = {pass(1, 2), pass(3, 4), 5}
print(#t, t[1], t[2], t[3])
local a, b, c, d = pass(1, 2)
print(a, b, c, d)
a, b, c = 0, pass(1, 2, 3)
print(a, b, c)
a, b, c = pass(1, 2, 3), 10
print(a, b, c)

-- table.pack and table.unpack
local p = table.pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4], #"" )
print(table.unpack({1, 2, 3}))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 5))
print(table.unpack({1, 2, 3}, 3, 2))
print(table.unpack({}, 1, 0))
print(table.unpack(p, 1, p.n))
print(select('#', table.unpack({}, 1, 3)))

-- ... in functions with fixed parameters
local function fixed(a, b, ...)
  local extra = {...}
  return a, b, #extra, select('#', ...), ...
end
print(fixed(1))
print(fixed(1, 2, 3, 4))
print(fixed(1, 2, nil, nil))

-- varargs in table constructor and arithmetic
local function sum(...)
  local s = 0
  for i = 1, select('#', ...) do s = s + (select(i, ...)) end
  return s
end
print(sum(), sum(1), sum(1, 2, 3, 4.5))
local function first(...) local x = ... ; return x end
print(first(9, 8, 7), first())

-- ... captured through table since it cannot be an upvalue
local function make(...)
  local args = table.pack(...)
  return function() return table.unpack(args, 1, args.n) end
end
print(make(1, nil, 3)())
print(select('#', make(nil, nil)()))

-- parenthesised call truncates
local function three() return 1, 2, 3 end
print((three()))
print(three(), (three()))
print(#{three(), three()}, #{(three())})
print(string.format("%d %d %d", three()))
print(math.max(three()), math.min(three(), 0))

-- varargs with many values
local big = {}
for i = 1, 200 do big[i] = i end
print(select('#', table.unpack(big)), sum(table.unpack(big)))
print(select(199, table.unpack(big)))

-- main chunk varargs (none when run as a script)
print(select('#', ...))
print("done")
