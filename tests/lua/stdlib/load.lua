-- load, loadfile, dofile
local f = load("return 1 + 2")
print(type(f), f())
print(load("syntax error here"))
print(load("return 1 +"))
print(load("x = = 1", "=mychunk"))
print(load("local a = 'unfinished", "@file.lua"))
print(load("return [[unfinished long string"))
print(load("return \"bad escape \\q\""))
print(load("return 0x"))
print(load("for i = 1 do end"))
print(type(load("return 1", "=(name)")))
print(pcall(load("error('runtime in chunk')", "=named")))
print(pcall(load("error('runtime in chunk')", "@virtual.lua")))
print(pcall(load("local x = nil; return x.y", "long chunk name that goes on and on and on and on and on and on and on")))
print(pcall(load("\n\nerror('line 3')")))
print(pcall(load("return 1\n+ nil")))

-- load with a function reader
local parts = {"return ", "10 ", "* ", "4"}
local i = 0
local g = load(function() i = i + 1; return parts[i] end)
print(g())
local once = false
print(load(function() if not once then once = true; return "return 'from reader'" end return nil end)())
print(type(load(function() return "" end)), load(function() return nil end)())   -- empty string or nil ends the chunk
print(pcall(function() return load(function() return {} end) end))
print(pcall(function() return load(function() error("reader failed", 0) end) end))

-- environments
local env = {y = 5}
local h = load("y = y * 2; return y, print", "chunk", "t", env)
print(h())
print(env.y, y)
local counter = load("n = (n or 0) + 1; return n", "c", "t", {})
print(counter(), counter(), counter())
local sandbox = load("return tostring", "s", "t", {})
print(sandbox())
print(pcall(load("undefined_fn()", "=sb", "t", {})))

-- varargs in loaded chunks
local va = load("local a, b = ...; return b, a, select('#', ...)")
print(va("first", "second", "third"))

-- modes
print(load("return 1", "m", "b"))
print(type(load("return 1", "m", "t")), type(load("return 1", "m", "bt")))
-- binary chunks: refused in text mode (Tiered refuses them in every mode, see ARCHITECTURE.md)
local binary = "\27Lua\x54\0"
print(type(binary), load(binary, "d", "t"))
print(14 * 3)
print(pcall(load, "return 1", "m", "x"))

-- loadfile / dofile using a temporary file
local name = os.tmpname()
local fh = assert(io.open(name, "w"))
fh:write("local a, b = ...\nresult_from_file = (a or 1) + (b or 2)\nreturn result_from_file, select('#', ...)\n")
fh:close()
local lf = assert(loadfile(name))
print(lf(10, 20))
print(dofile(name))
print(result_from_file)
local lfenv = {select = select}
print(loadfile(name, "t", lfenv)(1, 1), lfenv.result_from_file)
fh = assert(io.open(name, "w")); fh:write("#!/usr/bin/lua shebang line is skipped\nreturn 'shebang ok'"); fh:close()
print(dofile(name))
fh = assert(io.open(name, "w")); fh:write("return +"); fh:close()
local lfnil, lferr = loadfile(name)
print(lfnil, lferr == name .. ":1: unexpected symbol near <eof>")
print(pcall(dofile, name) == false)
fh = assert(io.open(name, "w")); fh:write("error('boom from file', 1)"); fh:close()
local okd, errd = pcall(dofile, name)
print(okd, errd == name .. ":1: boom from file")
os.remove(name)
print(loadfile("/nonexistent/file.lua"))
print(pcall(dofile, "/nonexistent/file.lua"))
print("done")
