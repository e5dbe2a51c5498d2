-- word frequency counter with sorted output, plus some text statistics
local text = [[
It was the best of times, it was the worst of times, it was the age of wisdom,
it was the age of foolishness, it was the epoch of belief, it was the epoch of
incredulity, it was the season of Light, it was the season of Darkness, it was
the spring of hope, it was the winter of despair, we had everything before us,
we had nothing before us, we were all going direct to Heaven, we were all going
direct the other way -- in short, the period was so far like the present period,
that some of its noisiest authorities insisted on its being received, for good
or for evil, in the superlative degree of comparison only.
]]

local freq, total, longest = {}, 0, ""
for word in text:gmatch("%a+") do
  local w = word:lower()
  freq[w] = (freq[w] or 0) + 1
  total = total + 1
  if #w > #longest or (#w == #longest and w < longest) then longest = w end
end
local words = {}
for w, n in pairs(freq) do words[#words + 1] = {word = w, count = n} end
table.sort(words, function(a, b)
  if a.count ~= b.count then return a.count > b.count end
  return a.word < b.word
end)
print("total words", total, "distinct", #words, "longest", longest)
for i = 1, 12 do
  local e = words[i]
  print(string.format("%2d. %-8s %3d %s", i, e.word, e.count, string.rep("*", e.count)))
end

-- words that appear exactly once, alphabetically, wrapped at 60 columns
local once = {}
for _, e in ipairs(words) do if e.count == 1 then once[#once + 1] = e.word end end
table.sort(once)
local line = ""
for _, w in ipairs(once) do
  if #line + #w + 1 > 60 then print(line); line = w else line = line == "" and w or line .. " " .. w end
end
print(line)

-- letter histogram
local letters = {}
for c in text:lower():gmatch("%a") do letters[c] = (letters[c] or 0) + 1 end
local ls = {}
for c, n in pairs(letters) do ls[#ls + 1] = c end
table.sort(ls, function(a, b) if letters[a] ~= letters[b] then return letters[a] > letters[b] end return a < b end)
local top = {}
for i = 1, 8 do top[i] = ls[i] .. "=" .. letters[ls[i]] end
print(table.concat(top, " "))

-- line and sentence statistics
local nlines, maxlen = 0, 0
for l in text:gmatch("[^\n]+") do nlines = nlines + 1; maxlen = math.max(maxlen, #l) end
local _, commas = text:gsub(",", "")
local _, caps = text:gsub("%f[%a]%u", "")
print("lines", nlines, "max line", maxlen, "commas", commas, "capitalised", caps)

-- bigrams
local prev
local bigrams = {}
for word in text:lower():gmatch("%a+") do
  if prev then local k = prev .. " " .. word; bigrams[k] = (bigrams[k] or 0) + 1 end
  prev = word
end
local bl = {}
for k, n in pairs(bigrams) do if n >= 3 then bl[#bl + 1] = string.format("%s(%d)", k, n) end end
table.sort(bl)
print(table.concat(bl, ", "))
print("done")
