-- loops: numeric for loops doing integer and float arithmetic on locals, no tables, no calls.
-- Exercises: ForLoop, integer add/mul/mod, float mul/add, comparisons and branches; the
-- instruction dispatch of an interpreter in its purest form. Written for the common subset of
-- Lua 5.1-5.4 (no //, products below 2^53) so luajit prints the same line.
local SIZE = 15                               -- rounds
local COUNT = 1000000                         -- iterations of the inner loop per round
local scale = tonumber(arg and arg[1]) or 1
local rounds = math.max(1, math.floor(SIZE * scale + 0.5))

local isum, fsum, odd = 0, 0.0, 0
for r = 1, rounds do
  local x = r
  for i = 1, COUNT do
    x = (x * 75 + 74) % 65537
    if x % 2 == 1 then odd = odd + 1 end
    isum = isum + x % 256 - i
    fsum = fsum + i * 0.5
  end
end
print(string.format("loops: rounds=%d isum=%d fsum=%.1f odd=%d", rounds, isum, fsum, odd))
