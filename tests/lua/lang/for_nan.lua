-- Numeric for loops with NaN bounds, as lua5.4 runs them: a float loop is skipped only when
-- the limit is known to be passed, so a NaN initial value or limit runs the body once; an
-- integer loop takes a NaN limit for one below every integer (counting up: no iterations;
-- counting down: on to the smallest integer).
local nan = 0 / 0
local function float_loops()
  local out = {}
  for j = -0.0, nan, 1e30 do out[#out + 1] = "a" .. tostring(j) end
  for j = 1.5, nan do out[#out + 1] = "b" .. j end
  for j = 1.5, nan, -1 do out[#out + 1] = "c" .. j end
  for j = nan, 1 do out[#out + 1] = "d" .. (j ~= j and "nan" or tostring(j)) end
  for j = 1.0, nan do out[#out + 1] = "e" .. j end
  for j = 1, 2, nan do out[#out + 1] = "f" .. j end
  for j = 2.5, 1.0 do out[#out + 1] = "g" .. j end
  return table.concat(out, " ")
end
local function integer_loops()
  local up, down = 0, 0
  for j = 1, nan do up = up + 1 end
  local last
  for j = 1, nan, -1 do
    down = down + 1
    last = j
    if down == 4 then break end
  end
  local huge = 0
  for j = math.maxinteger - 2, math.huge do huge = huge + 1 end
  local tiny = 0
  for j = math.mininteger + 2, -math.huge, -1 do tiny = tiny + 1 end
  return up, down, last, huge, tiny
end
for round = 1, 60 do
  local f = float_loops()
  local up, down, last, huge, tiny = integer_loops()
  if round == 1 or round == 60 then print(f, up, down, last, huge, tiny) end
end
