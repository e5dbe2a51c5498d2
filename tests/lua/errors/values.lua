-- error values, levels, pcall and xpcall
print(pcall(error, "plain"))
print(pcall(error, "no position", 0))
print(pcall(function() error("level 1") end))
print(pcall(function() error("level 1 explicit", 1) end))
local function check(x) if type(x) ~= "number" then error("expected number", 2) end return x end
local function caller() local v = check("str"); return v end   -- line 7 is blamed
print(pcall(caller))
local function lvl3() error("level 3", 3) end
local function mid() lvl3() end
local function top() mid() end                      -- line 11
print(pcall(top))

-- non-string error values pass through untouched
local ok, e = pcall(error, {code = 42, msg = "tbl"})
print(ok, type(e), e.code, e.msg)
print(pcall(error, 123))
print(pcall(error, 1.5))
print(pcall(error, true))
print(pcall(error, nil))
print(pcall(error))
print(select('#', pcall(error)))
-- numbers given as error messages do not get position info
print(pcall(function() error(7) end))
print(pcall(function() error("7") end))

-- error objects with __tostring
local E = setmetatable({}, {__tostring = function() return "custom error object" end})
local ok2, e2 = pcall(error, E)
print(ok2, e2 == E, tostring(e2))

-- pcall returns all results on success
print(pcall(function(...) return ... end, 1, nil, 3))
print(pcall(print == print and function() end))
print(pcall(pcall, error, "inner"))
print(pcall(pcall))
print(pcall(42))

-- xpcall with handlers
print(xpcall(function() error("xp") end, function(m) return "handled: " .. m end))
print(xpcall(function() return "fine", 2 end, print))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
print(xpcall(function() error({1, 2, 3}) end, function(t) return #t end))
print(xpcall(function() local x = nil; return x.y end, function(m) return "H:" .. m end))
print(xpcall(error, function(m) return type(m) end, nil))
-- handler gets traceback via debug.traceback; only its type is printed
print(xpcall(function() error("tb") end, function(m) return type(debug.traceback(m)) end))
local ok3, tb = xpcall(function() error("tb2") end, debug.traceback)
print(ok3, type(tb), tb:match("^[^\n]*"))
-- handler returning multiple values: only the first is kept
print(xpcall(function() error("m") end, function() return 1, 2, 3 end))

-- error inside the message handler
print(xpcall(function() error("first") end, function(m) error("second") end))
-- nested pcall
print(pcall(function()
  local ok, msg = pcall(error, "inner", 0)
  error("outer after " .. msg, 0)
end))
local depth = 0
local function nest(n)
  if n == 0 then error("bottom", 0) end
  local ok, m = pcall(nest, n - 1)
  depth = depth + 1
  error(m .. "<" .. n, 0)
end
print(pcall(nest, 4))
print(depth)
-- error rethrown keeps the original position info
print(pcall(function()
  local ok, m = pcall(function() error("deep") end)
  error(m, 0)
end))
print("done")
