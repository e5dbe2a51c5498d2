-- nbody: a small gravitational system integrated with a symplectic Euler step.
-- Exercises: float arithmetic, field access on small records, sqrt, nested numeric loops.
-- The bodies are made up (a star and four planets in arbitrary units), not a real system.
local SIZE = 300000                           -- integration steps
local ITERS = 20                              -- the steps are timed in this many slices
local scale = tonumber(arg and arg[1]) or 1
local steps = math.max(ITERS, math.floor(SIZE * scale / ITERS) * ITERS)
local report = os.getenv("TIERED_BENCH_ITER_TIMES") == "1"
local sqrt = math.sqrt

local function body(x, y, z, vx, vy, vz, mass)
  return { x = x, y = y, z = z, vx = vx, vy = vy, vz = vz, mass = mass }
end

local bodies = {
  body(0, 0, 0, 0, 0, 0, 40.0),
  body(3.1, 0.2, -0.05, 0.03, 3.55, 0.01, 0.03),
  body(-5.6, 1.1, 0.3, -0.7, -2.6, 0.02, 0.012),
  body(0.4, 8.9, -0.2, -2.1, 0.1, -0.03, 0.004),
  body(-1.5, -12.3, 0.6, 1.8, -0.15, 0.05, 0.002),
}
local n = #bodies

-- Give the star the opposite momentum of the planets so the centre of mass stays still.
local px, py, pz = 0, 0, 0
for i = 2, n do
  local b = bodies[i]
  px, py, pz = px + b.vx * b.mass, py + b.vy * b.mass, pz + b.vz * b.mass
end
bodies[1].vx, bodies[1].vy, bodies[1].vz = -px / bodies[1].mass, -py / bodies[1].mass, -pz / bodies[1].mass

local function energy()
  local e = 0.0
  for i = 1, n do
    local a = bodies[i]
    e = e + 0.5 * a.mass * (a.vx * a.vx + a.vy * a.vy + a.vz * a.vz)
    for j = i + 1, n do
      local b = bodies[j]
      local dx, dy, dz = a.x - b.x, a.y - b.y, a.z - b.z
      e = e - a.mass * b.mass / sqrt(dx * dx + dy * dy + dz * dz)
    end
  end
  return e
end

local function advance(dt)
  for i = 1, n do
    local a = bodies[i]
    local ax, ay, az, am = a.x, a.y, a.z, a.mass
    for j = i + 1, n do
      local b = bodies[j]
      local dx, dy, dz = ax - b.x, ay - b.y, az - b.z
      local d2 = dx * dx + dy * dy + dz * dz
      local mag = dt / (d2 * sqrt(d2))
      local bm = b.mass * mag
      a.vx, a.vy, a.vz = a.vx - dx * bm, a.vy - dy * bm, a.vz - dz * bm
      am = am * mag
      b.vx, b.vy, b.vz = b.vx + dx * am, b.vy + dy * am, b.vz + dz * am
      am = a.mass
    end
  end
  for i = 1, n do
    local a = bodies[i]
    a.x, a.y, a.z = a.x + dt * a.vx, a.y + dt * a.vy, a.z + dt * a.vz
  end
end

local e0 = energy()
local per = math.floor(steps / ITERS)
for it = 1, ITERS do
  local t0 = os.clock()
  for _ = 1, per do advance(0.001) end
  if report then io.stderr:write(string.format("iter-ms %d %.3f\n", it, (os.clock() - t0) * 1000)) end
end
print(string.format("nbody: steps=%d e0=%.9f e1=%.9f", steps, e0, energy()))
