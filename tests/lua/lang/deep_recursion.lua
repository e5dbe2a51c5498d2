-- heavy: deep non-tail recursion (native frames nest until the machine stack limit, then the
-- interpreter goes on without nesting), stack overflow, deep recursion inside a coroutine
local function d(n) if n == 0 then return 0 end return 1 + d(n - 1) end
print(d(150000))
local function inf(n) return 1 + inf(n + 1) end
local ok, err = pcall(inf, 1)
print(ok, err)
local co = coroutine.wrap(function() return d(100000) end)
print(co())
