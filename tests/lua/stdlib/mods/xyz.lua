-- module used by stdlib/require.lua
local name, path = ...
load_count = (load_count or 0) + 1
local M = {}
M.name = name
M.path = path
function M.greet(who) return "hello " .. who .. " from xyz" end
M.value = 42
return M
