-- multiple assignment: all expressions evaluated before assignment
local a, b, c = 1, 2, 3
a, b, c = c, a, b
print(a, b, c)
local x, y = 1
print(x, y)
x, y = 1, 2, 3
print(x, y)
local i = 1
local t = {}
i, t[i] = i + 1, "set"       -- the i in t[i] is evaluated (to 1) before i is assigned
print(i, t[1], t[2])
local u = {1, 2, 3}
local k = 1
k, u[k] = 3, "x"
print(k, u[1], u[3])
local function two() return "p", "q" end
local m, n, o = two(), two()
print(m, n, o)
-- swap via table fields
local s = {a = 1, b = 2}
s.a, s.b = s.b, s.a
print(s.a, s.b)

-- goto: continue pattern
for i = 1, 6 do
  if i % 2 == 0 then goto continue end
  io.write(i, " ")
  ::continue::
end
print()

-- goto out of nested loops
local found
for i = 1, 5 do
  for j = 1, 5 do
    if i * j == 12 then found = i .. "x" .. j; goto out end
  end
end
::out::
print("found", found)

-- backwards goto forming a loop
local n2 = 0
::top::
n2 = n2 + 1
if n2 < 5 then goto top end
print("n2", n2)

-- goto with closures: each pass through the block creates a new local
local fns = {}
do
  local cnt = 1
  ::again::
  local v = cnt * 10
  fns[cnt] = function() return v end
  cnt = cnt + 1
  if cnt <= 3 then goto again end
end
print(fns[1](), fns[2](), fns[3]())

-- continue in while and repeat
local w, out = 0, {}
while w < 10 do
  w = w + 1
  if w % 3 ~= 0 then goto cont end
  out[#out + 1] = w
  ::cont::
end
print(table.concat(out, ","))
local r = 0
repeat
  r = r + 1
  if r == 2 then goto skip end
  io.write("r", r, " ")
  ::skip::
until r >= 4
print()

-- label at end of block is allowed even after a local
do
  goto fin
  local zz = 1
  ::fin::
end
print("after fin")

-- goto errors are compile-time errors
print(load("goto nowhere"))
print(load("do local a ::l1:: end goto l1"))
print(load("::dup:: ::dup::"))
print(load("goto f; local a; ::f:: print(a)"))
print("done")
