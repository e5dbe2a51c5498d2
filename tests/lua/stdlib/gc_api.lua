-- heavy: allocates or recurses a lot; the test runner skips it under --gc-stress
-- collectgarbage options (only stable facts are printed)
print(collectgarbage())
print(collectgarbage("collect"))
print(math.type(collectgarbage("count")), collectgarbage("count") > 0)
print(collectgarbage("isrunning"))
collectgarbage("stop")
print(collectgarbage("isrunning"))
collectgarbage("restart")
print(collectgarbage("isrunning"))
print(type(collectgarbage("step")), type(collectgarbage("step", 0)), type(collectgarbage("step", 100)))
-- switching modes returns the previous mode (the initial mode of the standalone
-- interpreter is not tested: set one first)
print(type(collectgarbage("incremental")))
print(collectgarbage("generational"))
print(collectgarbage("generational"))
print(collectgarbage("incremental"))
print(collectgarbage("incremental"))
-- setpause / setstepmul return previous values (numbers)
print(math.type(collectgarbage("setpause", 200)), math.type(collectgarbage("setstepmul", 100)))
print(collectgarbage("setpause", 200), collectgarbage("setstepmul", 100))
print(pcall(collectgarbage, "bogus"))
print(pcall(collectgarbage, 1))

-- memory grows and shrinks around a big allocation
collectgarbage()
local before = collectgarbage("count")
local big = {}
for i = 1, 100000 do big[i] = {i} end
local during = collectgarbage("count")
big = nil
collectgarbage(); collectgarbage()
local after = collectgarbage("count")
print(during > before, after < during)

-- stepping until a cycle completes eventually returns true
local steps, finished = 0, false
repeat steps = steps + 1; finished = collectgarbage("step", 1) until finished or steps > 100000
print("cycle finished", finished)

-- "step" in generational mode
collectgarbage("generational")
local garbage = 0
for i = 1, 10000 do local t = {i, tostring(i)}; garbage = garbage + #t end
print(garbage, type(collectgarbage("step")))
collectgarbage("incremental")
-- a stopped collector still collects on explicit request
collectgarbage("stop")
local weak = setmetatable({}, {__mode = "v"})
weak[1] = {}
collectgarbage()
print("explicit collect while stopped", weak[1], collectgarbage("isrunning"))
collectgarbage("restart")
print("done")
