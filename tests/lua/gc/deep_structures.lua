-- heavy: allocates or recurses a lot; the test runner skips it under --gc-stress
-- deep data structures: long linked lists, deep trees, deep recursion
local N = 100000
local list = nil
for i = 1, N do list = {value = i, next = list} end
collectgarbage()

-- iterative traversal
local sum, len, p = 0, 0, list
while p do sum = sum + p.value; len = len + 1; p = p.next end
print("list", len, sum)

-- recursive traversal (non-tail) 100k deep
local function rlen(node) if not node then return 0 end return 1 + rlen(node.next) end
print("recursive length", rlen(list))
-- tail-recursive traversal
local function tsum(node, acc) if not node then return acc end return tsum(node.next, acc + node.value) end
print("tail sum", tsum(list, 0))

-- reverse in place
local prev, cur = nil, list
while cur do local nxt = cur.next; cur.next = prev; prev = cur; cur = nxt end
list = prev
print("head after reverse", list.value, list.next.value)

-- drop the list and collect
list = nil
collectgarbage(); collectgarbage()
print("list dropped")

-- deep nested tables (a chain of 50000 levels) built and walked
local root = {}
local t = root
for i = 1, 50000 do t.child = {depth = i}; t = t.child end
local depth, q = 0, root.child
while q do depth = q.depth; q = q.child end
print("nested depth", depth)
local function maxdepth(n) if not n.child then return n.depth or 0 end return maxdepth(n.child) end
print("recursive depth", maxdepth(root))
root = nil
collectgarbage()

-- balanced binary tree
local function build(d) if d == 0 then return {leaf = true} end return {l = build(d - 1), r = build(d - 1)} end
local function countnodes(n) if n.leaf then return 1 end return 1 + countnodes(n.l) + countnodes(n.r) end
local tree = build(16)
print("tree nodes", countnodes(tree))
tree = nil
collectgarbage()

-- deep recursion with several locals per frame
local function deep(n, a, b, c)
  if n == 0 then return a + b + c end
  local x, y, z = n % 3, n % 5, n % 7
  return deep(n - 1, a + x, b + y, c + z) + 0   -- not a tail call
end
print("deep", deep(50000, 0, 0, 0))

-- recursion through pcall frames
local function viapcall(n)
  if n == 0 then return "bottom" end
  local ok, v = pcall(viapcall, n - 1)
  return v
end
print("pcall depth 150", viapcall(150))

-- mutual recursion building a string
local even, odd
function even(n) if n == 0 then return "E" end return odd(n - 1) end
function odd(n) if n == 0 then return "O" end return even(n - 1) end
print(even(99999), odd(99999))

-- a large array of small arrays
local grid = {}
for i = 1, 300 do
  local row = {}
  for j = 1, 300 do row[j] = (i * j) % 7 end
  grid[i] = row
end
local gsum = 0
for i = 1, 300 do for j = 1, 300 do gsum = gsum + grid[i][j] end end
print("grid", gsum)
print("done")
