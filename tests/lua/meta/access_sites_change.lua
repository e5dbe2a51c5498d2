-- table-access sites that only ever saw plain tables, then meet metatables, strings, new keys
-- and the hash part: the results stay those of the interpreter (the native tier deoptimises
-- and later calls the generic index there)
local function get(o) return o.x end
local function set(o, v) o.y = v end
local function geti(o) return o[2] end
local function seti(o, v) o[3] = v end
local function getk(o, k) return o[k] end
local function method(o) return o:name() end

local plain = {}
for i = 1, 20 do plain[i] = {x = i, y = 0, i, i * 2, i * 3, name = function() return "plain" end} end
local sum = 0
for round = 1, 200 do
  for i = 1, #plain do
    local o = plain[i]
    set(o, round)
    seti(o, round)
    sum = sum + get(o) + geti(o) + getk(o, 1) + o[3] + o.y
    if method(o) ~= "plain" then error("method") end
  end
end
print("plain", sum)

local log = {}
local mt = {
  __index = function(t, k) return "idx:" .. tostring(k) end,
  __newindex = function(t, k, v) log[#log + 1] = tostring(k) .. "=" .. tostring(v); rawset(t, k, v) end,
}
local Class = {name = function() return "class" end}
Class.__index = Class
local odd = {
  setmetatable({}, mt), "str", setmetatable({}, Class), {x = "hash", [100] = "far"},
  setmetatable({}, {__index = {x = "chained", [2] = "chained2"}}),
  setmetatable({}, {__mode = "k"}),
}
for _, o in ipairs(odd) do
  print(type(o), pcall(get, o))
  print(type(o), pcall(geti, o))
  print(type(o), pcall(getk, o, 100))
  print(type(o), pcall(set, o, "v"))
  print(type(o), pcall(seti, o, "w"))
  print(type(o), pcall(method, o))
end
print(table.concat(log, " "))

-- the same sites again with plain tables: still right after the recompilation
sum = 0
for round = 1, 50 do
  for i = 1, #plain do
    local o = plain[i]
    set(o, -round)
    sum = sum + get(o) + geti(o) + o.y
  end
end
print("again", sum)
