-- richards: an operating-system-style task scheduler in the spirit of the Richards benchmark
-- (an original program, not a port). Tasks are objects with classes built from metatables:
-- a producer fills packets, workers transform them, devices consume them and hand them back,
-- and an idle task runs only when nothing else can and releases held devices.
-- Exercises: method calls through __index chains (two levels of inheritance), field reads
-- and writes on small objects, linked-list queues, a priority-ordered task list.
local SIZE = 15000                            -- packets that reach a device per iteration
local ITERS = 20                              -- independent runs, each timed
local scale = tonumber(arg and arg[1]) or 1
local packets = math.max(100, math.floor(SIZE * scale))
local report = os.getenv("TIERED_BENCH_ITER_TIMES") == "1"

---------------------------------------------------------------- packets

local Packet = {}
Packet.__index = Packet

function Packet.new(serial)
  return setmetatable({ serial = serial, link = nil, kind = 0, sum = 0,
                        data = { 0, 0, 0, 0 } }, Packet)
end

function Packet:fill(seed)
  local d = self.data
  for i = 1, 4 do
    seed = (seed * 16807) % 2147483647
    d[i] = seed % 256
  end
  self.kind = seed % 2
  return seed
end

---------------------------------------------------------------- tasks

local Task = {}
Task.__index = Task

function Task.init(self, id, priority, waiting)
  self.id, self.priority, self.waiting = id, priority, waiting
  self.held, self.queue, self.next, self.runs = false, nil, nil, 0
  return self
end

function Task:runnable()
  return not self.held and (self.queue ~= nil or not self.waiting)
end

function Task:receive(pkt)
  pkt.link = nil
  local q = self.queue
  if q == nil then self.queue = pkt return end
  while q.link ~= nil do q = q.link end
  q.link = pkt
end

function Task:take()
  local p = self.queue
  if p ~= nil then self.queue = p.link; p.link = nil end
  return p
end

local function subclass(base)
  local class = setmetatable({}, { __index = base })
  class.__index = class
  return class
end

-- Producer: owns the packet pool; every packet it gets back is refilled and sent to a worker.
local Producer = subclass(Task)
function Producer.new(id, priority, workers, pool, seed)
  local t = Task.init(setmetatable({}, Producer), id, priority, true)
  t.workers, t.nextWorker, t.seed = workers, 1, seed
  for i = 1, pool do t:receive(Packet.new(i)) end
  return t
end
function Producer:run(sched)
  local pkt = self:take()
  self.seed = pkt:fill(self.seed)
  local w = self.workers[self.nextWorker]
  self.nextWorker = self.nextWorker % #self.workers + 1
  sched:send(pkt, w)
end

-- Worker: mixes the packet's data and routes it to one of the devices by its kind.
local Worker = subclass(Task)
function Worker.new(id, priority, devices)
  local t = Task.init(setmetatable({}, Worker), id, priority, true)
  t.devices, t.count = devices, 0
  return t
end
function Worker:run(sched)
  local pkt = self:take()
  local d, s = pkt.data, 0
  for i = 1, 4 do
    d[i] = (d[i] * 7 + i + self.id) % 256
    s = s + d[i]
  end
  pkt.sum = s
  self.count = self.count + 1
  local dev = self.devices[pkt.kind + 1]
  if self.count % 5 == 0 then dev.held = true end      -- the device goes busy for a while
  sched:send(pkt, dev)
end

-- Device: consumes a packet, records it, and returns it to the producer.
local Device = subclass(Task)
function Device.new(id, priority, producer)
  local t = Task.init(setmetatable({}, Device), id, priority, true)
  t.producer, t.checksum = producer, 0
  return t
end
function Device:run(sched)
  local pkt = self:take()
  self.checksum = (self.checksum * 31 + pkt.sum + pkt.serial) % 2147483647
  sched.delivered = sched.delivered + 1
  sched:send(pkt, self.producer)
end

-- Idle: lowest priority and always runnable; frees one held device each time it runs.
local Idle = subclass(Task)
function Idle.new(id, devices)
  local t = Task.init(setmetatable({}, Idle), id, 0, false)
  t.devices, t.turn = devices, 1
  return t
end
function Idle:run(sched)
  local n = #self.devices
  for _ = 1, n do
    local dev = self.devices[self.turn]
    self.turn = self.turn % n + 1
    if dev.held then dev.held = false; return end
  end
end

---------------------------------------------------------------- the scheduler

local Scheduler = {}
Scheduler.__index = Scheduler

function Scheduler.new()
  return setmetatable({ list = nil, delivered = 0, sends = 0, switches = 0 }, Scheduler)
end

function Scheduler:add(task)                  -- keeps the list ordered by falling priority
  if self.list == nil or task.priority > self.list.priority then
    task.next, self.list = self.list, task
    return
  end
  local t = self.list
  while t.next ~= nil and t.next.priority >= task.priority do t = t.next end
  task.next, t.next = t.next, task
end

function Scheduler:send(pkt, task)
  self.sends = self.sends + 1
  task:receive(pkt)
end

function Scheduler:run(limit)
  while self.delivered < limit do
    local t = self.list
    while not t:runnable() do t = t.next end
    t.runs = t.runs + 1
    self.switches = self.switches + 1
    t:run(self)
  end
end

---------------------------------------------------------------- driver

local function simulate(seed)
  local sched = Scheduler.new()
  local devices, workers = {}, {}
  local producer = Producer.new(1, 10, workers, 6, seed)
  for i = 1, 3 do devices[i] = Device.new(10 + i, 30 + i, producer) end
  for i = 1, 2 do workers[i] = Worker.new(20 + i, 20 + i, devices) end
  sched:add(producer)
  for i = 1, #workers do sched:add(workers[i]) end
  for i = 1, #devices do sched:add(devices[i]) end
  local idle = Idle.new(0, devices)
  sched:add(idle)
  sched:run(packets)
  local h = 0
  for i = 1, #devices do h = (h * 131 + devices[i].checksum) % 2147483647 end
  return h, sched.switches, idle.runs
end

local hash, switches, idles = 0, 0, 0
for it = 1, ITERS do
  local t0 = os.clock()
  local h, s, i = simulate(it * 7919)
  hash = (hash * 31 + h) % 2147483647
  switches, idles = switches + s, idles + i
  if report then io.stderr:write(string.format("iter-ms %d %.3f\n", it, (os.clock() - t0) * 1000)) end
end
print(string.format("richards: packets=%d switches=%d idle=%d hash=%d", packets * ITERS, switches, idles, hash))
