-- deep chains of calls that native code cannot enter itself (arguments missing, vararg
-- callees): proper tail calls run in constant space, and other Lua-to-Lua calls are not C calls
-- (no "C stack overflow" where lua5.4 has none)
local function f(n, x) if n <= 0 then return x end return f(n - 1) end
print(f(200000, 1))
local function v(n, ...) if n <= 0 then return select('#', ...) end return v(n - 1, ...) end
print(v(200000, 1, 2, 3))
local even, odd
even = function(n, x) if n <= 0 then return "even", x end return odd(n - 1) end
odd = function(n, x, ...) if n <= 0 then return "odd", x end return even(n - 1) end
print(even(100001, 1))
local function h(n, x) if n <= 0 then return x end local r = h(n - 1); return r end
print(pcall(h, 5000, 1))
local function w(n, ...) if n <= 0 then return ... end local a, b = w(n - 1, ...); return a, b end
print(pcall(w, 5000, "a", "b"))
for i = 1, 60 do assert(f(i * 10, i) == nil and v(i, i) == 1 and h(i, 1) == nil) end
-- and a runaway recursion still ends with lua5.4's error
local function runaway(n, x) return 1 + runaway(n + 1) end
local ok, err = pcall(runaway, 1, 2)
print(ok, (string.gsub(err, "^.-:%d+: ", "")))
