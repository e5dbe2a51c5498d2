-- heavy: allocates or recurses a lot; the test runner skips it under --gc-stress
-- allocate lots of strings; results must be unaffected by collection
local total = 0
for i = 1, 200000 do
  local s = "item" .. i
  total = total + #s
end
print("total length", total)

-- repeated concatenation builds intermediate garbage
local s = ""
for i = 1, 2000 do s = s .. string.char(97 + i % 26) end
print(#s, s:sub(1, 26), s:sub(-5))

-- many distinct long strings, only some kept
local keep = {}
for i = 1, 50000 do
  local str = string.rep(string.char(65 + i % 26), 40 + i % 7) .. i
  if i % 5000 == 0 then keep[#keep + 1] = str end
end
collectgarbage()
for i, v in ipairs(keep) do io.write(#v, ":", v:sub(1, 3), v:sub(-4), " ") end
print()

-- equal strings built differently compare equal and work as the same table key
local t = {}
t["key" .. 1] = "v1"
local k = "ke" .. "y1"
print(t[k], ("x"):rep(3) == "xxx", string.format("%s%d", "key", 1) == k)
local long1 = string.rep("long string ", 100)
local long2 = string.rep("long string ", 99) .. "long string "
t[long1] = "long value"
print(t[long2], long1 == long2, #long1)

-- string buffers via table.concat under memory pressure
local parts = {}
for i = 1, 100000 do parts[i] = tostring(i % 10) end
local joined = table.concat(parts)
print(#joined, joined:sub(1, 12), joined:sub(-3))
parts = nil
collectgarbage()

-- gsub producing many strings
local text = string.rep("the quick brown fox ", 5000)
local replaced, n = text:gsub("%w+", function(w) return w:upper() end)
print(n, #replaced, replaced:sub(1, 20))
local counts = {}
for w in text:gmatch("%a+") do counts[w] = (counts[w] or 0) + 1 end
local ks = {}
for w, c in pairs(counts) do ks[#ks + 1] = w .. "=" .. c end
table.sort(ks)
print(table.concat(ks, " "))

-- string.format and tostring in a loop
local acc = 0
for i = 1, 50000 do
  local f = string.format("%d:%.2f:%s", i, i / 3, tostring(i % 2 == 0))
  acc = acc + #f
end
print("format bytes", acc)
collectgarbage()
print(collectgarbage("count") < 100000)
print("done")
