-- spectral: the largest singular value of the infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2+i+1),
-- truncated to N x N, by the power method on A'A.
-- Exercises: float division in a tight double loop, small function calls, array reads/writes.
local SIZE = 550                              -- matrix order; cost grows with SIZE^2
local scale = tonumber(arg and arg[1]) or 1
local N = math.max(10, math.floor(SIZE * math.sqrt(scale)))

local function A(i, j)                        -- 0-based i, j
  local ij = i + j
  return 1.0 / (ij * (ij + 1) / 2 + i + 1)
end

local function mul_Av(v, out)
  for i = 0, N - 1 do
    local s = 0.0
    for j = 0, N - 1 do s = s + A(i, j) * v[j + 1] end
    out[i + 1] = s
  end
end

local function mul_Atv(v, out)
  for i = 0, N - 1 do
    local s = 0.0
    for j = 0, N - 1 do s = s + A(j, i) * v[j + 1] end
    out[i + 1] = s
  end
end

local function mul_AtAv(v, out, tmp)
  mul_Av(v, tmp)
  mul_Atv(tmp, out)
end

local u, v, tmp = {}, {}, {}
for i = 1, N do u[i], v[i], tmp[i] = 1.0, 0.0, 0.0 end
for _ = 1, 10 do
  mul_AtAv(u, v, tmp)
  mul_AtAv(v, u, tmp)
end
local vBv, vv = 0.0, 0.0
for i = 1, N do
  vBv = vBv + u[i] * v[i]
  vv = vv + v[i] * v[i]
end
print(string.format("spectral: n=%d norm=%.9f", N, math.sqrt(vBv / vv)))
