-- bintrees: build and walk many complete binary trees, most short-lived, one kept for the
-- whole run: a test of allocation speed and of the garbage collector.
-- Exercises: table construction with fields, deep recursion, the GC (young and old objects).
local SIZE = 14                               -- depth of the largest trees
local MIN_DEPTH = 4
local scale = tonumber(arg and arg[1]) or 1
-- Each level of depth doubles the work, so a scale factor becomes a change of depth.
local max_depth = SIZE + math.floor(math.log(scale) / math.log(2) + 0.5)
if max_depth < MIN_DEPTH + 2 then max_depth = MIN_DEPTH + 2 end

local function build(depth, value)
  if depth == 0 then return { value = value } end
  return { value = value, left = build(depth - 1, value * 2), right = build(depth - 1, value * 2 + 1) }
end

local function check(node)                    -- nodes counted plus a sum of values mod a prime
  if node.left == nil then return 1, node.value % 65521 end
  local nl, sl = check(node.left)
  local nr, sr = check(node.right)
  return nl + nr + 1, (sl + sr + node.value) % 65521
end

local total, sums = 0, 0
do
  local n, s = check(build(max_depth + 1, 1))  -- one big tree, dropped at once
  total, sums = total + n, (sums + s) % 65521
end
local long_lived = build(max_depth, 1)
for depth = MIN_DEPTH, max_depth, 2 do
  local iterations = 1
  for _ = 1, max_depth - depth + MIN_DEPTH do iterations = iterations * 2 end
  local nodes = 0
  for i = 1, iterations do
    local n, s = check(build(depth, i))
    nodes, sums = nodes + n, (sums + s) % 65521
  end
  total = total + nodes
end
local n, s = check(long_lived)
print(string.format("bintrees: depth=%d nodes=%d long=%d sum=%d", max_depth, total + n, n, (sums + s) % 65521))
