-- __call, __tostring, __name, __metatable
local callable = setmetatable({name = "C"}, {__call = function(self, a, b, ...)
  return self.name, a, b, select('#', ...)
end})
print(callable(1, 2, 3, 4))
print(callable())
print(pcall(callable, "via pcall"))

-- __call on a callable whose __call is itself a callable table
local inner = setmetatable({}, {__call = function(self, x, y) return "inner got", type(x), y end})
local outer = setmetatable({}, {__call = inner})
print(outer("arg"))

-- __call used by functions that call values
print(table.concat({callable("x")}, ",", 1, 2))
local sorted = {3, 1, 2}
print(pcall(table.sort, sorted, setmetatable({}, {__call = function(_, a, b) return a > b end})))
print(table.concat(sorted, " "))
print(string.gsub("abc", "%w", setmetatable({}, {__index = function(_, k) return k:upper() end})))

-- memoize through __call and __index
local calls = 0
local sq = setmetatable({}, {
  __index = function(t, k) calls = calls + 1; local v = k * k; rawset(t, k, v); return v end,
  __call = function(t, k) return t[k] end,
})
print(sq(4), sq(4), sq(5), calls)

-- __tostring
local pt = setmetatable({x = 1, y = 2}, {__tostring = function(p) return "Point(" .. p.x .. "," .. p.y .. ")" end})
print(pt, tostring(pt), string.format("%s", pt))
print(pcall(tostring, setmetatable({}, {__tostring = function() return 42 end})))
print(pcall(tostring, setmetatable({}, {__tostring = function() error("ts fail", 0) end})))

-- __name is used by tostring and error messages
local named = setmetatable({}, {__name = "MyType"})
print((tostring(named):gsub("0x%x+", "ADDR"):gsub(": [%x]+$", ": ADDR")))
print(tostring(named):match("^MyType: ") ~= nil)
print(pcall(function() return named + 1 end))
print(pcall(function() return #named < 1, named < 1 end))
print(pcall(string.rep, named))
print(pcall(math.floor, named))
local numname = setmetatable({}, {__name = 42})
print(tostring(numname):match("^table: ") ~= nil)

-- __metatable protects the metatable
local prot = setmetatable({}, {__metatable = "locked", __index = {k = "v"}})
print(getmetatable(prot), prot.k)
print(pcall(setmetatable, prot, {}))
print(pcall(setmetatable, prot, nil))
local prot2 = setmetatable({}, {__metatable = false})
print(getmetatable(prot2))
print(getmetatable("abc").__metatable, getmetatable(1), getmetatable(nil))

-- setmetatable errors and return value
local t = {}
print(setmetatable(t, nil) == t, getmetatable(t))
print(pcall(setmetatable, t, 1))
print(pcall(setmetatable, 1, {}))
print(pcall(setmetatable, t))

-- calling non-callables
print(pcall(function() local x = {}; x() end))
print(pcall(function() undefinedglobal() end))
print(pcall(function() local t = {sub = {}}; t.sub.fn() end))
print("done")
