-- fib: naive doubly recursive Fibonacci.
-- Exercises: Lua-to-Lua calls and returns, integer add and compare; almost no allocation.
-- Written for the common subset of Lua 5.1-5.4 so every system prints the same line.
local SIZE = 80                               -- how many times fib(DEPTH) is computed
local DEPTH = 27
local scale = tonumber(arg and arg[1]) or 1   -- harness: a factor below 1 for --quick
local reps = math.max(1, math.floor(SIZE * scale + 0.5))

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

local total = 0
for r = 1, reps do
  total = total + fib(DEPTH - (r % 3))       -- vary the depth a little so no call is constant
end
print(string.format("fib: reps=%d total=%d", reps, total))
