-- os library (deterministic parts only)
print(os.date("!%Y-%m-%d %H:%M:%S", 0))
print(os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365 + 3661))
print(os.date("!%A %a %B %b %d %j %p %y %%", 1700000000))
print(os.date("!%H %I %M %S %w %m", 1234567890))
print(os.date("!%c", 0))
print(os.date("!%x %X %D %T %F %R", 951782400))
local t = os.date("!*t", 3600)
local keys = {}
for k in pairs(t) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do io.write(k, "=", tostring(t[k]), " ") end
print()
local leap = os.date("!*t", 951782400)  -- 2000-02-29
print(leap.year, leap.month, leap.day, leap.yday, leap.wday, leap.isdst)
print(os.date("!%Y-%m-%d", 2^31), os.date("!%Y", -86400))
print(type(os.date()), type(os.date("*t")), type(os.date("!*t").year))

-- os.time with a table; normalisation of out-of-range fields. os.time interprets the
-- table as local time, so compare differences only (independent of time zone)
local base = os.time({year = 2020, month = 1, day = 1, hour = 12})
local nextday = os.time({year = 2020, month = 1, day = 2, hour = 12})
print(math.type(base), nextday - base, os.difftime(nextday, base))
print(os.time({year = 2020, month = 3, day = 1, hour = 12}) - base)
print(os.time({year = 2020, month = 1, day = 32, hour = 12}) - nextday)
print(os.time({year = 2020, month = 13, day = 1, hour = 12}) - os.time({year = 2021, month = 1, day = 1, hour = 12}))
print(os.time({year = 2020, month = 1, day = 1, hour = 12, min = 90}) - base)
print(os.time({year = 2020, month = 1, day = 1, hour = 12, sec = -1}) - base)
print(pcall(os.time, {year = 2020}))
print(pcall(os.time, {year = 2020, month = "x", day = 1}))
print(pcall(os.time, {year = 2020, month = 1.5, day = 1}))
local tt = {year = 2020, month = 14, day = 35, hour = 12}
os.time(tt)   -- normalises the fields of the table in place
print(tt.year, tt.month, tt.day, tt.yday, tt.wday)
print(os.difftime(10, 4), os.difftime(0, 1), math.type(os.difftime(1, 0)))
print(type(os.time()), type(os.clock()), math.type(os.clock()))

-- getenv
print(os.getenv("TIERED_SURELY_UNDEFINED_VARIABLE_42"))
print(pcall(os.getenv))

-- tmpname, rename, remove
local name = os.tmpname()
print(type(name))
local f = assert(io.open(name, "w"))
f:write("tmp contents")
f:close()
local name2 = name .. ".renamed"
print(os.rename(name, name2))
print(io.open(name) == nil)
local g = assert(io.open(name2))
print(g:read("a"))
g:close()
print(os.remove(name2))
local ok, msg, code = os.remove(name2)
print(ok, msg == name2 .. ": No such file or directory", code)
print(os.remove("/nonexistent/dir/file"))
print(os.rename("/nonexistent/a", "/nonexistent/b"))
print(pcall(os.date, "!%Ez", 0))
print(pcall(os.date, "%", 0))
print(os.date("!", 0) == "", os.date("!literal text", 0))
print("done")
