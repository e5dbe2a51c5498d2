-- equality in every combination of types: the native tier decides most of them inline
local long1 = string.rep("x", 50)
local long2 = string.rep("x", 49) .. "x"
local long3 = string.rep("x", 49) .. "y"
local mt = { __eq = function(a, b) return a.id == b.id end }
local t1, t2, t3 = setmetatable({ id = 1 }, mt), setmetatable({ id = 1 }, mt), setmetatable({ id = 2 }, mt)
local plain1, plain2 = {}, {}
local half = setmetatable({ id = 1 }, {})
local co = coroutine.create(function() end)
local f1, f2 = function() end, function() end
local values = { nil, false, true, 0, 1, -1, 0.0, -0.0, 1.0, 1.5, 2^53, 2^63, math.maxinteger, math.mininteger,
  0/0, 1/0, "", "a", "1", "abc", long1, long2, long3, t1, t2, t3, plain1, plain2, half, print, f1, f2, co, math.huge }
local n = 34
local function eq(a, b) return a == b end
local function ne(a, b) return a ~= b end
local function eqk(a)
  return a == nil, a == false, a == true, a == "a", a == "abc", a == 1, a == 1.0, a == 1.5,
         a ~= nil, a ~= "a", a == string.rep("x", 50), a ~= 0
end
local rows = {}
for round = 1, 60 do
  local line = {}
  for i = 1, n do
    for j = 1, n do
      local a, b = values[i], values[j]
      local r = eq(a, b)
      assert(ne(a, b) == not r)
      if round == 60 then line[#line + 1] = r and "1" or "0" end
    end
    local ks = table.pack(eqk(values[i]))
    if round == 60 then
      for x = 1, ks.n do line[#line + 1] = ks[x] and "T" or "F" end
      line[#line + 1] = "\n"
    end
  end
  if round == 60 then print(table.concat(line)) end
end
-- __eq is called (and only for two tables/userdata both non-identical)
local calls = 0
local cmt = { __eq = function(a, b) calls = calls + 1; return true end }
local a, b = setmetatable({}, cmt), setmetatable({}, cmt)
local function loop()
  local c = 0
  for i = 1, 200 do
    if a == b then c = c + 1 end
    if a == a then c = c + 1 end
    if a == plain1 then c = c + 100 end
    if plain1 == a then c = c + 100 end
    if a == 1 then c = c + 1000 end
  end
  return c
end
print(loop(), calls)
local ok, err = pcall(function()
  local e = setmetatable({}, { __eq = function() error("eq failed") end })
  for i = 1, 100 do local _ = (e == setmetatable({}, getmetatable(e))) end
end)
print(ok, (err:gsub("^.-:%d+: ", "")))
