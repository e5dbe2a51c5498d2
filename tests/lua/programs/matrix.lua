-- matrices: multiply, transpose, determinant, inverse via Gauss-Jordan, with a metatable
local Matrix = {}
Matrix.__index = Matrix

function Matrix.new(rows) return setmetatable(rows, Matrix) end
function Matrix.zeros(n, m)
  local r = {}
  for i = 1, n do r[i] = {} for j = 1, m do r[i][j] = 0 end end
  return Matrix.new(r)
end
function Matrix.identity(n)
  local r = Matrix.zeros(n, n)
  for i = 1, n do r[i][i] = 1 end
  return r
end
function Matrix:dims() return #self, #self[1] end
Matrix.__mul = function(a, b)
  if type(a) == "number" then a, b = b, a end
  if type(b) == "number" then
    local r = Matrix.zeros(a:dims())
    for i = 1, #a do for j = 1, #a[1] do r[i][j] = a[i][j] * b end end
    return r
  end
  local n, m = a:dims()
  local m2, p = b:dims()
  if m ~= m2 then error(string.format("dimension mismatch: %dx%d * %dx%d", n, m, m2, p), 2) end
  local r = Matrix.zeros(n, p)
  for i = 1, n do
    for j = 1, p do
      local s = 0
      for k = 1, m do s = s + a[i][k] * b[k][j] end
      r[i][j] = s
    end
  end
  return r
end
Matrix.__add = function(a, b)
  local r = Matrix.zeros(a:dims())
  for i = 1, #a do for j = 1, #a[1] do r[i][j] = a[i][j] + b[i][j] end end
  return r
end
Matrix.__eq = function(a, b)
  if #a ~= #b or #a[1] ~= #b[1] then return false end
  for i = 1, #a do for j = 1, #a[1] do if math.abs(a[i][j] - b[i][j]) > 1e-9 then return false end end end
  return true
end
Matrix.__tostring = function(a)
  local lines = {}
  for i = 1, #a do
    local cells = {}
    for j = 1, #a[1] do
      local v = a[i][j]
      cells[j] = math.type(v) == "integer" and string.format("%6d", v) or string.format("%6.2f", v)
    end
    lines[i] = "[" .. table.concat(cells, " ") .. " ]"
  end
  return table.concat(lines, "\n")
end
function Matrix:transpose()
  local n, m = self:dims()
  local r = Matrix.zeros(m, n)
  for i = 1, n do for j = 1, m do r[j][i] = self[i][j] end end
  return r
end
function Matrix:det()
  local n = #self
  local a = {}
  for i = 1, n do a[i] = {table.unpack(self[i])} end
  local det = 1
  for c = 1, n do
    local piv = c
    for r = c + 1, n do if math.abs(a[r][c]) > math.abs(a[piv][c]) then piv = r end end
    if a[piv][c] == 0 then return 0 end
    if piv ~= c then a[piv], a[c] = a[c], a[piv]; det = -det end
    det = det * a[c][c]
    for r = c + 1, n do
      local f = a[r][c] / a[c][c]
      for k = c, n do a[r][k] = a[r][k] - f * a[c][k] end
    end
  end
  return det
end
function Matrix:inverse()
  local n = #self
  local a = {}
  for i = 1, n do a[i] = {} for j = 1, n do a[i][j] = self[i][j] end for j = 1, n do a[i][n + j] = (i == j) and 1 or 0 end end
  for c = 1, n do
    local piv = c
    for r = c + 1, n do if math.abs(a[r][c]) > math.abs(a[piv][c]) then piv = r end end
    if math.abs(a[piv][c]) < 1e-12 then error("singular matrix", 2) end
    a[piv], a[c] = a[c], a[piv]
    local d = a[c][c]
    for k = 1, 2 * n do a[c][k] = a[c][k] / d end
    for r = 1, n do
      if r ~= c then
        local f = a[r][c]
        for k = 1, 2 * n do a[r][k] = a[r][k] - f * a[c][k] end
      end
    end
  end
  local r = Matrix.zeros(n, n)
  for i = 1, n do for j = 1, n do r[i][j] = a[i][n + j] end end
  return r
end

local A = Matrix.new({{1, 2, 3}, {4, 5, 6}})
local B = Matrix.new({{7, 8}, {9, 10}, {11, 12}})
print(A * B)
print(B * A)
print(A:transpose())
print(2 * A + A * 1)
print(pcall(function() return A * A end))
local C = Matrix.new({{2, -1, 0}, {-1, 2, -1}, {0, -1, 2}})
print("det", C:det(), Matrix.new({{1, 2}, {2, 4}}):det(), Matrix.identity(4):det())
local Ci = C:inverse()
print(Ci)
print("C * C^-1 == I", C * Ci == Matrix.identity(3), Ci * C == Matrix.identity(3))
print(pcall(Matrix.inverse, Matrix.new({{1, 2}, {2, 4}})))

-- integer matrix power: fibonacci via [[1,1],[1,0]]^n with wraparound
local function mpow(m, e)
  local r = Matrix.identity(#m)
  while e > 0 do
    if e % 2 == 1 then r = r * m end
    m = m * m
    e = e // 2
  end
  return r
end
local F = Matrix.new({{1, 1}, {1, 0}})
print(mpow(F, 10)[1][2], mpow(F, 90)[1][2], mpow(F, 100)[1][2])

-- larger multiply checksum
local n = 60
local X, Y = Matrix.zeros(n, n), Matrix.zeros(n, n)
for i = 1, n do for j = 1, n do X[i][j] = (i + j) % 7 - 3; Y[i][j] = (i * j) % 5 - 2 end end
local Z = X * Y
local sum, tr = 0, 0
for i = 1, n do tr = tr + Z[i][i]; for j = 1, n do sum = sum + Z[i][j] end end
print("checksum", sum, "trace", tr)
print("done")
