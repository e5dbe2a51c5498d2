-- mandelbrot: membership of an N x N grid in the Mandelbrot set, packed 8 points a byte the
-- way a PBM bitmap would be, but only a checksum of the bytes is printed.
-- Exercises: float multiply/add/compare in the innermost loop, integer arithmetic for packing
-- (no bit operators: the code stays in the Lua 5.1 subset for luajit).
local SIZE = 1000                             -- grid side; cost grows with SIZE^2
local MAXITER = 50
local scale = tonumber(arg and arg[1]) or 1
local N = math.max(16, math.floor(SIZE * math.sqrt(scale) / 8) * 8)

local hash, ones = 0, 0
for y = 0, N - 1 do
  local ci = 2.0 * y / N - 1.0
  local byte, bits = 0, 0
  for x = 0, N - 1 do
    local cr = 2.0 * x / N - 1.5
    local zr, zi, zr2, zi2 = 0.0, 0.0, 0.0, 0.0
    local inside = 1
    for _ = 1, MAXITER do
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      zr2, zi2 = zr * zr, zi * zi
      if zr2 + zi2 > 4.0 then inside = 0 break end
    end
    byte = byte * 2 + inside
    ones = ones + inside
    bits = bits + 1
    if bits == 8 then
      hash = (hash * 31 + byte) % 2147483647
      byte, bits = 0, 0
    end
  end
end
print(string.format("mandelbrot: n=%d inside=%d hash=%d", N, ones, hash))
