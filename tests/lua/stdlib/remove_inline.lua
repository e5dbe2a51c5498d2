-- table.remove(t), which native code does inline for tables without a metatable while the
-- length hint holds, and library calls in loops that had not run when their function was
-- compiled (a main chunk compiled on stack replacement in its first loop): stacks, empty
-- tables, t[0], holes, nil and false values, __len/__index/__newindex, non-tables, errors.

-- A first hot loop, so that the chunk is compiled before the loops below have ever run.
local warm = 0
for i = 1, 30000 do warm = warm + i % 7 end
print("warm", warm)

-- A stack: push with table.insert, pop with table.remove until empty.
local stack = {}
for i = 1, 1000 do table.insert(stack, i * 2) end
local popped, sum = 0, 0
while #stack > 0 do sum = sum + table.remove(stack); popped = popped + 1 end
print("stack", popped, sum, #stack, table.remove(stack))

-- Interleaved pushes and pops; the length seen after each step.
local function churn(n)
  local t, lengths = {}, {}
  for i = 1, n do
    table.insert(t, i)
    if i % 3 == 0 then table.remove(t) end
    lengths[#lengths + 1] = #t
  end
  return table.concat(lengths, " ", math.max(1, n - 9), n), #t, t[#t]
end
for _ = 1, 40 do churn(30) end
print("churn", churn(30))

-- The empty table: lua5.4 returns t[0] (and clears it) when #t is 0.
local function from_empty()
  local t = {}
  local a = table.remove(t)
  t[0] = "zero"
  local b = table.remove(t)
  return a, b, t[0], #t
end
for _ = 1, 40 do from_empty() end
print("empty", from_empty())

-- Values that are nil-like or false: false is a value and is returned.
local function falses()
  local t = { false, false, false }
  local r = {}
  for i = 1, 3 do r[i] = tostring(table.remove(t)) end
  return table.concat(r, ","), #t
end
for _ = 1, 40 do falses() end
print("falses", falses())

-- A hole: the border the hint keeps is still a border.
local function holes()
  local t = { 1, 2, 3, 4, 5, 6, 7, 8 }
  t[8] = nil
  local a = table.remove(t)
  t[3] = nil
  local n = #t
  local b = table.remove(t)
  return a, n, b, #t
end
for _ = 1, 40 do holes() end
print("holes", holes())

-- Metatables: __len decides the position, __index/__newindex see the access.
local function with_meta()
  local log = {}
  local backing = { 10, 20, 30 }
  local t = setmetatable({}, {
    __len = function() return #backing end,
    __index = function(_, k) log[#log + 1] = "get" .. k; return backing[k] end,
    __newindex = function(_, k, v) log[#log + 1] = "set" .. k; backing[k] = v end,
  })
  local v = table.remove(t)
  return v, #backing, table.concat(log, " ")
end
for _ = 1, 40 do with_meta() end
print("meta", with_meta())

-- A positional remove still shifts; the one-argument form comes back afterwards.
local function positional()
  local t = { "a", "b", "c", "d" }
  local first = table.remove(t, 1)
  local last = table.remove(t)
  return first, last, table.concat(t, ",")
end
for _ = 1, 40 do positional() end
print("positional", positional())

-- Not a table: the library's own error.
local function bad(x) return pcall(table.remove, x) end
for i = 1, 40 do bad(i) end
print("bad", bad(42))
print("bad", pcall(function() local s = "str"; return table.remove(s) end))

-- table.remove replaced by a Lua function at the same call site.
local real = table.remove
local calls = 0
local function popper(t) return table.remove(t) end
local t = { 1, 2, 3 }
for _ = 1, 40 do table.insert(t, 0); popper(t) end
table.remove = function(x) calls = calls + 1; return "fake" end
print("replaced", popper(t), calls, #t)
table.remove = real
print("restored", popper(t), #t)

-- ipairs over a table filled in a loop that had not run at compile time.
local squares = {}
for i = 1, 200 do squares[#squares + 1] = i * i end
local total = 0
for _, v in ipairs(squares) do total = total + v end
print("ipairs", total)
