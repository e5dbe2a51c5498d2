-- Arithmetic on numeric strings: lua5.4 does it in the string library's metamethods, so an
-- integer division by zero there is raised inside a C function and has no position, while
-- the same division on numbers names the line. Non-numeric strings name the operation.
local function idiv(a, b) return a // b end
local function mod(a, b) return a % b end
local function add(a, b) return a + b end
local function show(ok, msg) return tostring(ok) .. " " .. tostring(msg) end
for round = 1, 60 do
  local lines = {
    show(pcall(idiv, -18, "0")),
    show(pcall(mod, 7, "0")),
    show(pcall(idiv, "5", 0)),
    show(pcall(mod, "5", "0")),
    show(pcall(idiv, "7", "2")),
    show(pcall(mod, "7.5", 2)),
    show(pcall(idiv, "7", "0.0")),
    show(pcall(add, "x", 1)),
    show(pcall(add, "10", 1)),
    show(pcall(idiv, 5, 0)),
  }
  if round == 1 or round == 60 then print(table.concat(lines, "\n")) end
end
