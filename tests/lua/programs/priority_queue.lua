-- binary heap priority queue, a FIFO queue, and Dijkstra's shortest paths
local Heap = {}
Heap.__index = Heap
function Heap.new(cmp) return setmetatable({items = {}, size = 0, cmp = cmp or function(a, b) return a < b end}, Heap) end
function Heap:push(v)
  self.size = self.size + 1
  local i, items = self.size, self.items
  items[i] = v
  while i > 1 do
    local p = i // 2
    if self.cmp(items[i], items[p]) then items[i], items[p] = items[p], items[i]; i = p else break end
  end
end
function Heap:pop()
  if self.size == 0 then return nil end
  local items = self.items
  local top = items[1]
  items[1] = items[self.size]
  items[self.size] = nil
  self.size = self.size - 1
  local i = 1
  while true do
    local l, r, m = 2 * i, 2 * i + 1, i
    if l <= self.size and self.cmp(items[l], items[m]) then m = l end
    if r <= self.size and self.cmp(items[r], items[m]) then m = r end
    if m == i then break end
    items[i], items[m] = items[m], items[i]
    i = m
  end
  return top
end
function Heap:peek() return self.items[1] end
Heap.__len = function(h) return h.size end

local h = Heap.new()
for _, v in ipairs({5, 3, 8, 1, 9, 2, 7, 4, 6, 0, 5, 3}) do h:push(v) end
print("size", #h, "peek", h:peek())
local out = {}
while #h > 0 do out[#out + 1] = h:pop() end
print(table.concat(out, " "), h:pop())

-- max-heap of records, ties broken by insertion sequence for determinism
local seq = 0
local tasks = Heap.new(function(a, b)
  if a.pri ~= b.pri then return a.pri > b.pri end
  return a.seq < b.seq
end)
local function addtask(name, pri) seq = seq + 1; tasks:push({name = name, pri = pri, seq = seq}) end
addtask("write", 2); addtask("test", 5); addtask("deploy", 1); addtask("review", 5); addtask("plan", 9)
local order = {}
while #tasks > 0 do local t = tasks:pop(); order[#order + 1] = t.name .. ":" .. t.pri end
print(table.concat(order, " "))

-- heap sort of pseudo-random numbers
local lcg = 7
local function rnd() lcg = (lcg * 48271) % 2147483647; return lcg % 1000 end
local hs = Heap.new()
for _ = 1, 1000 do hs:push(rnd()) end
local prev, sorted, first = -1, true, {}
for i = 1, 1000 do
  local v = hs:pop()
  if v < prev then sorted = false end
  prev = v
  if i <= 8 then first[#first + 1] = v end
end
print("heap sorted", sorted, table.concat(first, ","), prev)

-- FIFO queue with two indices
local Queue = {}
Queue.__index = Queue
function Queue.new() return setmetatable({first = 1, last = 0, items = {}}, Queue) end
function Queue:push(v) self.last = self.last + 1; self.items[self.last] = v end
function Queue:pop()
  if self.first > self.last then return nil end
  local v = self.items[self.first]
  self.items[self.first] = nil
  self.first = self.first + 1
  return v
end
function Queue:empty() return self.first > self.last end
local q = Queue.new()
for i = 1, 5 do q:push(i * i) end
print(q:pop(), q:pop())
q:push("x")
local rest = {}
while not q:empty() do rest[#rest + 1] = tostring(q:pop()) end
print(table.concat(rest, " "), q:pop())

-- Dijkstra on a small graph
local graph = {
  A = {B = 7, C = 9, F = 14}, B = {A = 7, C = 10, D = 15}, C = {A = 9, B = 10, D = 11, F = 2},
  D = {B = 15, C = 11, E = 6}, E = {D = 6, F = 9}, F = {A = 14, C = 2, E = 9}, G = {},
}
local function dijkstra(src)
  local dist, prevn = {[src] = 0}, {}
  local pq = Heap.new(function(a, b) if a[1] ~= b[1] then return a[1] < b[1] end return a[2] < b[2] end)
  pq:push({0, src})
  while #pq > 0 do
    local d, u = table.unpack(pq:pop())
    if d == dist[u] then
      local nbrs = {}
      for v in pairs(graph[u]) do nbrs[#nbrs + 1] = v end
      table.sort(nbrs)
      for _, v in ipairs(nbrs) do
        local nd = d + graph[u][v]
        if not dist[v] or nd < dist[v] then dist[v] = nd; prevn[v] = u; pq:push({nd, v}) end
      end
    end
  end
  return dist, prevn
end
local dist, prevn = dijkstra("A")
local nodes = {}
for n in pairs(graph) do nodes[#nodes + 1] = n end
table.sort(nodes)
for _, n in ipairs(nodes) do
  local path, p = {}, n
  while p do table.insert(path, 1, p); p = prevn[p] end
  print(n, dist[n] or "unreachable", dist[n] and table.concat(path, ">") or "-")
end
print("done")
