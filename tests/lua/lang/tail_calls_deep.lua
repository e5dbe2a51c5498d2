-- tail calls and deep recursion through native frames: constant-stack tail recursion, mutual
-- tail calls, errors and tracebacks under tail calls, argument counts, results
local function count(n, acc) if n == 0 then return acc end return count(n - 1, acc + 1) end
print(count(1000000, 0))
local is_odd
local function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print(is_even(100001), is_odd(77))
local function f(n) if n == 0 then error("bottom") end return f(n - 1) end
print(pcall(f, 10))
local function g(n) if n == 0 then return debug.traceback("tb", 1) end return g(n - 1) end
print((g(3):gsub("\n.*", "")))
local function v(...) return select('#', ...) end
local function t(a, b) return v(a, b, a) end
print(t(1, 2))
local function many(a, b, c) return a, b, c end
local function tm(x) return many(x, x + 1) end
print(tm(5))
-- self tail calls with more arguments than parameters, fixed and from a call's results: only
-- the parameters move, the rest is dropped (and must not reach the next level)
local function extra(n, acc) if n == 0 then return acc end return extra(n - 1, acc + n, "x", {}) end
print(extra(1000, 0))
local function three(n) return n, n * 2, n * 3 end
local function spread(n, acc) if n == 0 then return acc end return spread(three(n - 1)) end
print(spread(1000, 7))
local function pick(n, a, b) if n == 0 then return a, b end return pick(n - 1, select(2, n, a + 1, b, "y", "z")) end
print(pick(1000, 0, 5))
local function maker(k)
  local function walk(n, acc) if n == 0 then return acc + k end return walk(n - 1, acc + 1, n) end
  return walk
end
local w1, w2 = maker(10), maker(20)
print(w1(1000, 0), w2(1500, 1))
local function pingpong(id)
  local self
  self = function(n, other, acc) if n == 0 then return acc + id end return other(n - 1, self, acc + id, "extra", n) end
  return self
end
local p, q = pingpong(1), pingpong(1000)
print(p(1001, q, 0), q(10, p, 0))
