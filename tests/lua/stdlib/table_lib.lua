-- table.insert, remove, concat, unpack, pack, move
local t = {}
table.insert(t, "a"); table.insert(t, "b"); table.insert(t, 1, "first"); table.insert(t, 3, "mid")
print(#t, table.concat(t, ","))
table.insert(t, #t + 1, "end")
print(table.concat(t, ","))
print(pcall(table.insert, t, 0, "x"))
print(pcall(table.insert, t, #t + 2, "x"))
print(pcall(table.insert, t, 1, 2, 3))
print(pcall(table.insert, t))
print(pcall(table.insert, t, "1", "strpos"), t[1])
print(pcall(table.insert, t, 1.5, "x"))

-- remove
local r = {1, 2, 3, 4, 5}
print(table.remove(r), table.concat(r, ","))
print(table.remove(r, 1), table.concat(r, ","))
print(table.remove(r, 2), table.concat(r, ","))
print(table.remove(r, #r + 1), table.concat(r, ","))
print(pcall(table.remove, r, 7))
print(pcall(table.remove, r, -1))
local e = {}
print(table.remove(e), table.remove(e, 0), table.remove(e, 1), #e)
local z = {[0] = "zero"}
print(table.remove(z, 0), z[0])
local one = {"x"}
print(table.remove(one, 1), #one, table.remove(one))

-- concat
print(table.concat({1, 2, 3}), table.concat({1, 2.5, "x"}, "-"), table.concat({}, ","), table.concat({"a"}, ","))
print(table.concat({1, 2, 3, 4, 5}, ",", 2, 4), table.concat({1, 2, 3}, ",", 3, 2), table.concat({1, 2}, ", ", 1, 1))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {true}))
print(pcall(table.concat, {1, 2}, ",", 1, 3))
print(table.concat({"a", "b"}, 3), table.concat({2^63, -0.0, 10 // 1}, " "))

-- unpack and pack
print(table.unpack({1, 2, 3}, -1, 1))
print(table.unpack({[0] = "z", "a"}, 0))
print(select('#', table.unpack({}, 1, 5)))
local p = table.pack()
print(p.n, #p)
p = table.pack(nil, nil)
print(p.n, p[1], p[2])
print(pcall(table.unpack, {}, 1, math.maxinteger))
print(table.unpack({1, 2, 3}, math.maxinteger, math.maxinteger - 1))

-- move
local m = {1, 2, 3, 4, 5}
table.move(m, 1, 3, 3)             -- overlapping, moving up
print(table.concat(m, ","))
m = {1, 2, 3, 4, 5}
table.move(m, 3, 5, 1)             -- overlapping, moving down
print(table.concat(m, ","))
local dest = table.move({1, 2, 3}, 1, 3, 2, {"x"})
print(table.concat(dest, ","))
print(table.move({}, 1, 0, 1, {"keep"})[1])
local cp = table.move({"a", "b", "c"}, 1, 3, 1, {})
print(#cp, table.concat(cp))
print(pcall(table.move, {}, 1, math.maxinteger, 2))
print(pcall(table.move, {1}, 1, 1))

-- length with holes at the end and explicit n
local holes = {1, 2, 3}
holes[#holes] = nil
print(#holes)

-- table functions with metamethods (5.4 respects __index/__newindex/__len)
local log = {}
local proxy = setmetatable({}, {
  __len = function() return 3 end,
  __index = function(_, i) return "p" .. i end,
  __newindex = function(t, k, v) log[#log + 1] = k .. "=" .. tostring(v); rawset(t, k, v) end,
})
print(table.concat(proxy, " "), table.unpack(proxy))
table.insert(proxy, "new")
print(table.concat(log, " "))
print(pcall(table.insert, 5, 1))
print(pcall(table.concat, "str"))
print("done")
