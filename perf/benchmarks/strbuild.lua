-- strbuild: building text the idiomatic way, pieces into a table joined by table.concat, with
-- string.format doing the number formatting.
-- Exercises: string.format (%d %s %x %f with width/precision), table.concat, short-string
-- concatenation with .., string.rep/sub/upper/byte, and the string interning/GC behind them.
local SIZE = 28                               -- rounds
local LINES = 20000                           -- formatted lines per round
local scale = tonumber(arg and arg[1]) or 1
local rounds = math.max(1, math.floor(SIZE * scale + 0.5))

local names = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel" }
local fmt, concat, byte = string.format, table.concat, string.byte

local function hash_sample(s, step)
  local h = #s
  for k = 1, #s, step do h = (h * 31 + byte(s, k)) % 2147483647 end
  return h
end

local hash, length = 0, 0
for r = 1, rounds do
  local parts = {}
  for i = 1, LINES do
    local name = names[(i + r) % #names + 1]
    parts[#parts + 1] = fmt("%6d|%-8s|%9.3f|%x|%s", i, name, i / 7, i * r, name:upper())
  end
  local text = concat(parts, "\n")

  -- Short strings by .., the way keys and messages are usually made.
  local keys = {}
  for i = 1, LINES / 4 do keys[i] = "k" .. i .. "_" .. (i * r) % 1000 .. names[i % #names + 1] end
  local joined = concat(keys, ",")

  local banner = string.rep("=-", 40 + r % 5)
  local third = math.floor(#text / 3)
  local middle = text:sub(third, third + 4000)

  hash = (hash * 17 + hash_sample(text, 13)) % 2147483647
  hash = (hash * 17 + hash_sample(joined, 7)) % 2147483647
  hash = (hash * 17 + hash_sample(banner .. middle, 3)) % 2147483647
  length = length + #text + #joined + #banner + #middle
end
print(string.format("strbuild: rounds=%d length=%d hash=%d", rounds, length, hash))
