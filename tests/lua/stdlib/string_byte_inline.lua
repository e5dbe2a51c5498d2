-- string.byte with one result, which the native tier computes inline for a string and an
-- integer index: every index kind, and the arguments that must reach the library function
local byte = string.byte
-- (parenthesised: a call for one result, where a plain "return f(x)" would be a tail call)
local function one(s, i) return (byte(s, i)) end
local function first(s) return (byte(s)) end
local function method(s, i) return (s:byte(i)) end
local function field(s, i) return (string.byte(s, i)) end
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = string.format("%s:%s", math.type(t[i]) or type(t[i]), tostring(t[i])) end
  return t.n .. " " .. table.concat(t, " ")
end
for i = 1, 300 do one("abc", i % 5); first("x"); method("xyz", 2); field("q", 1) end

local strings = {"abc", "", "\0\255\128", string.rep("z", 50) .. "!"}
local indices = {1, 2, 3, 4, 0, -1, -2, -3, -4, 51, -51, -52,
  math.maxinteger, math.mininteger, math.mininteger + 1, 2.0, 2.5, "2", " -1 ", "x", {}}
for _, s in ipairs(strings) do
  local row = {}
  for _, i in ipairs(indices) do
    row[#row + 1] = show(pcall(one, s, i)) .. "/" .. show(pcall(method, s, i))
  end
  print(#s, table.concat(row, "  "))
  print(show(pcall(first, s)), show(pcall(field, s, -1)))
end
-- numbers are strings here (coerced by the library), other values are errors
print(show(pcall(one, 1234, 2)), show(pcall(one, 1.5, -1)), show(pcall(first, 7)))
local function sum(s) local h = 0 for k = -#s - 1, #s + 1 do h = h * 3 + (byte(s, k) or 7) end return h end
print(sum("hello, world"), sum(""), sum("\1\2\3"))
print(pcall(one, nil, 1))
print(pcall(one, {}, 1))
print(pcall(method, "abc", "y"))
print(pcall(one, "abc", 1.5))
print(pcall(first))
-- more results than one, extra arguments
print(byte("hello", 1, 3), byte("hello", -2, -1), (byte("hello", 2, 4)))
local function extra(s) local a, b = byte(s, 1), byte(s, 2, 2, "ignored") return a, b end
for i = 1, 300 do extra("ab") end
print(extra("ab"))
-- a string metatable __index that is not the string table, and string.byte replaced
local mt = getmetatable("")
local saved = mt.__index
mt.__index = { byte = function(s, i) return "own:" .. s .. i end }
print(method("abc", 1))
mt.__index = saved
print(method("abc", 1))
string.byte = function(s, i) return "replaced " .. tostring(i) end
for i = 1, 200 do assert(field("abc", i) == "replaced " .. i) end
print(field("abc", 2), one("abc", 2))
byte = function() return "local" end
print(one("abc", 1))
