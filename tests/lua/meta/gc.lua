-- __gc finalizers [gc-timing: finalizer order depends on when collections run; not run under --gc-stress]
local log = {}
local function mk(name)
  return setmetatable({name = name}, {__gc = function(o) log[#log + 1] = o.name end})
end

local function garbage(prefix, n)
  for i = 1, n do mk(prefix .. i) end
end
garbage("a", 3)
collectgarbage()
print("finalized:", table.concat(log, " "))   -- reverse order of marking

-- finalizer only registered if __gc present when setmetatable is called
log = {}
local function late()
  local mt = {}
  local o = setmetatable({name = "late"}, mt)
  mt.__gc = function(x) log[#log + 1] = x.name end
end
late()
collectgarbage()
print("late __gc field:", #log)

-- a __gc field set to a non-function at setmetatable time still marks the object
log = {}
local function marked()
  local mt = {__gc = true}
  local o = setmetatable({name = "marked"}, mt)
  mt.__gc = function(x) log[#log + 1] = x.name end
end
marked()
collectgarbage()
print("marked then set:", table.concat(log, " "))

-- finalizer runs once; resurrected object stays accessible
local saved
local function resurrect()
  setmetatable({name = "phoenix"}, {__gc = function(o) saved = o; log[#log + 1] = "gc " .. o.name end})
end
log = {}
resurrect()
collectgarbage()
print("resurrected:", saved and saved.name, table.concat(log, " "))
saved = nil
collectgarbage(); collectgarbage()
print("not finalized twice:", table.concat(log, " "))

-- errors in finalizers are turned into warnings, not errors
local function bad() setmetatable({}, {__gc = function() error("in gc") end}) end
bad()
print(pcall(collectgarbage))

-- object referenced from a weak table is removed from weak values before finalizer, kept in weak keys
local wv = setmetatable({}, {__mode = "v"})
local wk = setmetatable({}, {__mode = "k"})
local function weakfin()
  local o = setmetatable({}, {__gc = function(o)
    log[#log + 1] = "wv:" .. tostring(wv[1] ~= nil) .. " wk:" .. tostring(wk[o] ~= nil)
  end})
  wv[1] = o; wk[o] = true
end
log = {}
weakfin()
collectgarbage()
print(table.concat(log, " "))
collectgarbage()
print("after second cycle", wv[1], next(wk))

-- finalizers of objects still alive run at program end, in reverse order of creation
for i = 1, 3 do
  _G["global" .. i] = setmetatable({}, {__gc = function() print("exit finalizer", i) end})
end
local closing = setmetatable({}, {__gc = function() print("exit finalizer local") end})
print("done")
