-- finalizers: order, resurrection, finalizers at exit [gc-timing: finalizer order depends on when collections run; not run under --gc-stress]
local order = {}
local function fin(o) order[#order + 1] = o.id end

local function make(ids)
  for _, id in ipairs(ids) do setmetatable({id = id}, {__gc = fin}) end
end
make({"first", "second", "third", "fourth"})
collectgarbage()
print("collected in reverse creation order:", table.concat(order, " "))

-- objects referencing each other in a cycle are finalized together
order = {}
local function cyc()
  local a = setmetatable({id = "A"}, {__gc = fin})
  local b = setmetatable({id = "B"}, {__gc = fin})
  a.peer, b.peer = b, a
end
cyc()
collectgarbage()
table.sort(order)
print("cycle:", table.concat(order, " "))

-- a finalizer sees the fields of its object, including other objects
order = {}
local function withchild()
  local child = {name = "child"}
  setmetatable({id = "parent", child = child}, {__gc = function(o) order[#order + 1] = o.id .. "->" .. o.child.name end})
end
withchild()
collectgarbage()
print(table.concat(order, " "))

-- resurrection: the finalizer stores the object; it stays usable but is not finalized again
local graveyard = {}
local function resurrect(id)
  setmetatable({id = id}, {__gc = function(o) graveyard[#graveyard + 1] = o; order[#order + 1] = "gc:" .. o.id end})
end
order = {}
resurrect("lazarus")
collectgarbage()
print(#graveyard, graveyard[1] and graveyard[1].id, table.concat(order, " "))
graveyard = {}
collectgarbage(); collectgarbage()
print("finalized once:", table.concat(order, " "))

-- re-registering a resurrected object by calling setmetatable again
local saved
local function rereg()
  setmetatable({id = "again"}, {__gc = function(o) order[#order + 1] = "first gc"; saved = o end})
end
order = {}
rereg()
collectgarbage()
setmetatable(saved, {__gc = function(o) order[#order + 1] = "second gc" end})
saved = nil
collectgarbage(); collectgarbage()
print(table.concat(order, ", "))

-- finalizers can allocate and create new finalizable objects
order = {}
local function spawner()
  setmetatable({}, {__gc = function()
    order[#order + 1] = "spawner"
    setmetatable({}, {__gc = function() order[#order + 1] = "spawned" end})
  end})
end
spawner()
collectgarbage()
collectgarbage()
print(table.concat(order, " "))

-- many finalizers in one cycle
local n = 0
local function many() for i = 1, 1000 do setmetatable({}, {__gc = function() n = n + 1 end}) end end
many()
collectgarbage()
print("many finalized", n)

-- objects still alive at exit are finalized when the state closes,
-- in reverse order of being marked for finalization
keepA = setmetatable({}, {__gc = function() print("exit: A") end})
keepB = setmetatable({}, {__gc = function() print("exit: B") end})
local keepC = setmetatable({}, {__gc = function() print("exit: C") end})
print("done")
