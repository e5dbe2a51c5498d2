-- __pairs, raw access functions
local function sortedkeys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks, function(a, b) return tostring(a) < tostring(b) end)
  return ks
end

-- __pairs replaces the iteration
local hidden = {a = 1, b = 2, _secret = 3}
local view = setmetatable({}, {__pairs = function(t)
  local keys = {}
  for k in next, hidden do if k:sub(1, 1) ~= "_" then keys[#keys + 1] = k end end
  table.sort(keys)
  local i = 0
  return function() i = i + 1; local k = keys[i]; if k then return k, hidden[k] end end, t, nil
end})
for k, v in pairs(view) do print("pairs", k, v) end
-- next ignores __pairs
print(next(view))

-- __pairs returning extra values: only three used (plus closing value in for)
local calls = {}
local p3 = setmetatable({}, {__pairs = function(t)
  return function(s, c)
    calls[#calls + 1] = tostring(s == "state") .. ":" .. tostring(c)
    if c == nil then return 1, "one" elseif c < 3 then return c + 1, "more" end
  end, "state", nil
end})
for k, v in pairs(p3) do io.write(k, "=", v, " ") end
print()
print(table.concat(calls, " "))

-- pairs on plain table: order independent checks
local plain = {x = 1, y = 2, 10, 20}
print(table.concat(sortedkeys(plain), " "))

-- rawget / rawset / rawequal / rawlen
local logged = {}
local mt = {
  __index = function(_, k) return "idx:" .. tostring(k) end,
  __newindex = function(t, k, v) logged[#logged + 1] = k; rawset(t, k, v) end,
  __len = function() return 99 end,
  __eq = function() return true end,
}
local t1, t2 = setmetatable({}, mt), setmetatable({}, mt)
print(t1.missing, rawget(t1, "missing"))
t1.a = 1
rawset(t1, "b", 2)
print(t1.a, t1.b, table.concat(logged, ","))
print(#t1, rawlen(t1), rawlen({1, 2, 3}), rawlen("abcd"))
print(t1 == t2, rawequal(t1, t2), rawequal(t1, t1))
print(rawset(t1, 1, "x") == t1, rawget(t1, 1), rawlen(t1))
print(pcall(rawlen, 5))
print(pcall(rawget, "str", 1))
print(pcall(rawset, {}, nil, 1))
print(pcall(rawequal, 1))
print(rawget({10, 20}, 2), rawget({}, "x"), rawget({[1.0] = "f"}, 1))

-- ipairs respects __index (not __len)
local arr = setmetatable({1, 2}, {__index = function(_, i) if i == 3 then return 3 end end, __len = function() return 10 end})
local n = 0
for _ in ipairs(arr) do n = n + 1 end
print("ipairs count", n, #arr)

-- table.unpack, table.concat, table.insert respect __index/__len (5.4)
local virtual = setmetatable({}, {__index = function(_, i) return "v" .. i end, __len = function() return 3 end})
print(table.unpack(virtual))
print(table.concat(virtual, ","))
local proxy = setmetatable({}, {__len = function() return 2 end, __newindex = function(t, k, v) rawset(t, k, v .. "!") end})
table.insert(proxy, "ins")
print(rawget(proxy, 3))
print("done")
