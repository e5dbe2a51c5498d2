-- basic functions
print(1, "two", 3.0, nil, true, false)
print()
print("a\tb", "", "c")
print(_VERSION, type(_G), _G._G == _G, _G.print == print)
print(type(nil), type(1), type("s"), type({}), type(print), type(type), type(coroutine.create(print)), type(io.stdout))
print(pcall(type))
print(tostring(nil), tostring(true), tostring(12), tostring(-0.0), tostring("s"), tostring(1e300))
print(tostring(print):match("^function: ") ~= nil, tostring(print) == tostring(print))
print(tostring({}):match("^table: ") ~= nil, tostring(coroutine.create(print)):match("^thread: ") ~= nil)
print(select("#"), select("#", nil), select(2, "a", "b", "c"), select(-1, 1, 2))

-- ipairs stops at the first nil
local arr = {1, 2, nil, 4}
local c = 0
for i, v in ipairs(arr) do c = c + 1 end
print("ipairs", c)
for i, v in ipairs({"x", "y"}) do io.write(i, v, " ") end print()
print(pcall(ipairs))
local f, s, init = ipairs({})
print(type(f), type(s), init)
print(f({5, 6}, 0), f({5, 6}, 1), f({5, 6}, 2))

-- next and pairs
local t = {10, 20, x = 1}
local keys = {}
for k, v in pairs(t) do keys[#keys + 1] = tostring(k) .. "=" .. tostring(v) end
table.sort(keys)
print(table.concat(keys, " "))
local pf, ps, pi = pairs(t)
print(pf == next, ps == t, pi)
print(pcall(pairs))
print(pcall(function() for k in pairs(nil) do end end))
local k1, v1 = next({"only"})
print(k1, v1, next({"only"}, 1))

-- rawlen, rawequal, rawget, rawset quick checks
print(rawlen({1, 2}), rawlen("abc"), rawequal("a", "a"), rawequal({}, {}))

-- tostring on integer-valued floats and special values
print(tostring(3) == "3", tostring(3.0) == "3.0", tostring(-(0/0)) == tostring(-(0/0)))
print(#tostring(12345.678), tostring(2^24), tostring(-2^31))

-- print uses __tostring and __name
local obj = setmetatable({}, {__tostring = function() return "OBJ" end})
print(obj, "and", obj)
print(pcall(print, setmetatable({}, {__tostring = function() return {} end})))

-- _G manipulation
x_global = "gv"
print(_G.x_global, _G["x_global"], rawget(_G, "x_global"))
_G.y_global = 5
print(y_global)
local env_keys = 0
for k in pairs(_G) do if type(k) == "string" then env_keys = env_keys + 1 end end
print(env_keys > 20)
local libs = {}
for _, name in ipairs({"string", "table", "math", "io", "os", "coroutine", "utf8", "debug", "package"}) do
  libs[#libs + 1] = name .. ":" .. type(_G[name])
end
print(table.concat(libs, " "))
local basics = {}
for _, name in ipairs({"assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs", "load",
    "loadfile", "next", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "require",
    "select", "setmetatable", "tonumber", "tostring", "type", "xpcall", "warn"}) do
  basics[#basics + 1] = type(_G[name]) == "function" and "+" or name
end
print(table.concat(basics))
print(_G.unpack, _G.setfenv, _G.loadstring, _G.module)

-- _ENV
local function withenv()
  local _ENV = {print = print, tostring = tostring}
  z = 5
  print(z, tostring(_ENV.z), x_global)
end
withenv()
print(z)
do
  local _ENV = setmetatable({}, {__index = _G})
  newvar = "in custom env"
  print(newvar, _G.newvar)
end
print("done")
