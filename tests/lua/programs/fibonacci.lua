-- memoised fibonacci: integer wraparound, float versions, and an arbitrary-precision version
local memo = {}
local function fib(n)
  if n <= 2 then return 1 end
  local v = memo[n]
  if v then return v end
  v = fib(n - 1) + fib(n - 2)
  memo[n] = v
  return v
end
print(fib(10), fib(50), fib(90), fib(92))
print(fib(93), fib(100))                 -- integer overflow wraps around
print(math.type(fib(100)), fib(93) < 0)

-- float fibonacci loses precision beyond 2^53
local function ffib(n) local a, b = 0.0, 1.0 for _ = 1, n do a, b = b, a + b end return a end
print(ffib(10), ffib(78), ffib(79), ffib(100), ffib(1476), ffib(1477))
print(string.format("%.0f", ffib(90)), fib(90))

-- memoise any function with a weak cache
local function memoize(f)
  local cache = setmetatable({}, {__mode = "k"})
  local hits = 0
  return function(x)
    local r = cache[x]
    if r == nil then r = f(x); cache[x] = r else hits = hits + 1 end
    return r
  end, function() return hits end
end
local slowsq, hits = memoize(function(x) return x * x end)
for _ = 1, 3 do for i = 1, 5 do slowsq(i) end end
print("hits", hits())

-- big numbers as arrays of base-10^7 limbs
local BASE, WIDTH = 10000000, 7
local function bigadd(a, b)
  local r, carry = {}, 0
  for i = 1, math.max(#a, #b) do
    local s = (a[i] or 0) + (b[i] or 0) + carry
    r[i] = s % BASE
    carry = s // BASE
  end
  if carry > 0 then r[#r + 1] = carry end
  return r
end
local function bigmulsmall(a, m)
  local r, carry = {}, 0
  for i = 1, #a do
    local p = a[i] * m + carry
    r[i] = p % BASE
    carry = p // BASE
  end
  while carry > 0 do r[#r + 1] = carry % BASE; carry = carry // BASE end
  return r
end
local function bigstr(a)
  local parts = {tostring(a[#a])}
  for i = #a - 1, 1, -1 do parts[#parts + 1] = string.format("%0" .. WIDTH .. "d", a[i]) end
  return table.concat(parts)
end
local function bigfib(n)
  local a, b = {0}, {1}
  for _ = 1, n do a, b = b, bigadd(a, b) end
  return a
end
print(bigstr(bigfib(93)))
print(bigstr(bigfib(100)))
print(bigstr(bigfib(300)))
local f1000 = bigstr(bigfib(1000))
print(#f1000, f1000:sub(1, 20), f1000:sub(-20))

-- factorial of 50 with bignums; compare to wrapping integer and float factorials
local fact, ifact, ffact = {1}, 1, 1.0
for i = 1, 50 do fact = bigmulsmall(fact, i); ifact = ifact * i; ffact = ffact * i end
print(bigstr(fact))
print(ifact, ffact)

-- wraparound arithmetic checks
print(math.maxinteger + fib(1), math.mininteger - 1, math.maxinteger * 3)
local h = 0
for i = 1, 1000 do h = h * 31 + i end   -- polynomial hash that overflows
print("hash", h, h % 1000003, h // 1000003)
local x = 1
for _ = 1, 64 do x = x * 2 end
print("2^64 as integer", x, 1 << 63, (1 << 63) * 2)
print("done")
