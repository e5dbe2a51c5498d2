-- matmul: dense float matrix multiplication, matrices as arrays of row arrays.
-- Exercises: nested numeric loops, two-level array indexing, float multiply-add.
local SIZE = 250                              -- matrix order; cost grows with SIZE^3
local scale = tonumber(arg and arg[1]) or 1
local N = math.max(8, math.floor(SIZE * scale ^ (1 / 3)))

local function matrix(n, seed)
  local m = {}
  for i = 1, n do
    local row = {}
    for j = 1, n do row[j] = ((i * 31 + j * 17 + seed) % 101) / 101.0 - 0.5 end
    m[i] = row
  end
  return m
end

local function multiply(a, b, n)
  local c = {}
  for i = 1, n do
    local ai, ci = a[i], {}
    for j = 1, n do
      local s = 0.0
      for k = 1, n do s = s + ai[k] * b[k][j] end
      ci[j] = s
    end
    c[i] = ci
  end
  return c
end

local a, b = matrix(N, 1), matrix(N, 2)
local c = multiply(a, b, N)
c = multiply(c, a, N)
local trace, sum = 0.0, 0.0
for i = 1, N do
  trace = trace + c[i][i]
  for j = 1, N do sum = sum + c[i][j] end
end
print(string.format("matmul: n=%d trace=%.6f sum=%.6f", N, trace, sum))
