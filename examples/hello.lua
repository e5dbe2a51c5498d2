-- A small tour: closures, tables, metatables, coroutines and string formatting.
local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
function Point.__add(a, b) return Point.new(a.x + b.x, a.y + b.y) end
function Point:__tostring() return string.format("(%g, %g)", self.x, self.y) end

local sum = Point.new(0, 0)
for i = 1, 10 do sum = sum + Point.new(i, i * i) end
print("sum of points:", tostring(sum))

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib(27) =", fib(27))

local squares = coroutine.wrap(function()
  for i = 1, 5 do coroutine.yield(i * i) end
end)
local parts = {}
for v in squares do parts[#parts + 1] = v end
print("squares:", table.concat(parts, " "))
