-- require and package
package.path = "./mods/?.lua"
package.cpath = ""
print(package.config:sub(1, 1), #package.config:gsub("\n", "") == 5 or package.config)

local xyz = require("xyz")
print(type(xyz), xyz.name, xyz.path, xyz.value, xyz.greet("test"))
print(load_count)
local again = require("xyz")
print(again == xyz, load_count, package.loaded.xyz == xyz)
print(select('#', require("xyz")), select(2, require("xyz")))

-- module returning nothing: package.loaded gets true
print(require("noreturn"), noreturn_loaded, package.loaded.noreturn)
-- dotted names map to directories
local inner = require("sub.inner")
print(inner.which, inner.arg)

-- standard modules are in package.loaded
local std = {}
for _, n in ipairs({"_G", "string", "table", "math", "io", "os", "coroutine", "utf8", "debug", "package"}) do
  std[#std + 1] = n .. "=" .. tostring(package.loaded[n] == _G[n] or package.loaded[n] == _G)
end
print(table.concat(std, " "))
print(require("string") == string, require("_G") == _G)

-- preload
package.preload["virtual.mod"] = function(name, extra)
  return {from = "preload", name = name, extra = extra}
end
local v = require("virtual.mod")
print(v.from, v.name, v.extra)

-- setting package.loaded directly
package.loaded["manual"] = {manual = true}
print(require("manual").manual)

-- errors
print(pcall(require, "does.not.exist"))
package.path = "./nope/?.lua;./nope/?/init.lua"
print(pcall(require, "missing"))
package.path = "./mods/?.lua"
local ok, err = pcall(require, "failing")
print(ok, err)
print(package.loaded.failing)
local ok2, err2 = pcall(require, "badsyntax")
print(ok2, err2)
print(pcall(require))

-- package.searchpath
print(package.searchpath("xyz", package.path))
print(package.searchpath("sub.inner", "./mods/?.lua"))
print(package.searchpath("a.b", "./x/?.lua;./y/?.so"))
print(package.searchpath("a.b", "./x/?.lua", ".", "_"))
print(type(package.searchers), #package.searchers)

-- a custom searcher
table.insert(package.searchers, 2, function(name)
  if name:match("^gen%.") then
    return function(n, extra) return {generated = n, extra = extra} end, "gen-data"
  end
  return "no generated module '" .. name .. "'"
end)
local gen = require("gen.thing")
print(gen.generated, gen.extra)
print(pcall(require, "plain.missing"))
print("done")
