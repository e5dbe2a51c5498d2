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
