-- patterns: Lua patterns over generated text: gmatch word counts, gsub with function, table and
-- string replacements, find with captures, anchors and plain search.
-- Exercises: the pattern matcher (character classes, captures, anchors, %b and frontier-free
-- subset common to Lua 5.1-5.4), substring creation, and table updates keyed by strings.
local SIZE = 20                               -- rounds over a freshly generated text
local WORDS = 30000                           -- words of text per round
local scale = tonumber(arg and arg[1]) or 1
local rounds = math.max(1, math.floor(SIZE * scale + 0.5))

local syllables = { "ka", "lo", "mi", "ne", "ru", "ta", "shi", "vo", "zen", "pa", "qua", "de" }
local seed = 12345
local function rand(n)
  seed = (seed * 16807) % 2147483647
  return seed % n + 1
end

local function make_text()
  local out = {}
  for i = 1, WORDS do
    local w = syllables[rand(#syllables)] .. syllables[rand(#syllables)]
    if rand(4) == 1 then w = w .. syllables[rand(#syllables)] end
    local kind = rand(10)
    if kind == 1 then w = w .. "=" .. rand(1000)
    elseif kind == 2 then w = "(" .. w .. ")"
    elseif kind == 3 then w = w:sub(1, 1):upper() .. w:sub(2)
    end
    out[#out + 1] = w
    if i % 12 == 0 then out[#out + 1] = ".\n" end
  end
  return table.concat(out, " ")
end

local total = 0
local top = {}
for r = 1, rounds do
  local text = make_text()

  local counts, distinct = {}, 0
  for word in text:gmatch("%a+") do
    local lw = word:lower()
    local c = counts[lw]
    if c == nil then distinct = distinct + 1; counts[lw] = 1 else counts[lw] = c + 1 end
  end

  local swapped, nswap = text:gsub("(%a+)=(%d+)", function(k, v) return v .. ":" .. k end)
  local numsum = 0
  for v in swapped:gmatch("(%d+):") do numsum = numsum + tonumber(v) end

  local shouted, nshout = text:gsub("%u%l+", { Kaka = "KAKA", Lolo = "LOLO" })
  local _, nparen = text:gsub("%b()", "")
  local _, nlines = text:gsub("[^\n]*\n", "")

  local pos, finds = 1, 0
  while true do
    local s, e, word = text:find("(zen%a*)", pos)
    if not s then break end
    finds, pos = finds + #word, e + 1
  end
  local plain = 0
  pos = 1
  while true do
    local s = text:find("ka.", pos, true)
    if not s then break end
    plain, pos = plain + 1, s + 1
  end
  local anchored = 0
  for line in text:gmatch("[^\n]+") do
    if line:find("^%s*%u") then anchored = anchored + 1 end
  end

  total = total + distinct + nswap + numsum + nshout + #shouted + nparen + nlines + finds + plain + anchored
  if r == rounds then
    -- The five most frequent words, ties by name: independent of table traversal order.
    local list = {}
    for w, c in pairs(counts) do list[#list + 1] = { w = w, c = c } end
    table.sort(list, function(a, b) if a.c ~= b.c then return a.c > b.c end return a.w < b.w end)
    for i = 1, 5 do top[i] = list[i].w .. "=" .. list[i].c end
  end
end
print(string.format("patterns: rounds=%d total=%d top=%s", rounds, total, table.concat(top, ",")))
