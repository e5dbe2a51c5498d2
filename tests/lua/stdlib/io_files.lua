-- io library: files, read formats, seek, errors
local name = os.tmpname()
local f = assert(io.open(name, "w"))
print(io.type(f), io.type(io.stdout), io.type(42), io.type(nil))
print(f:write("line one\n", "line two\n", 42, " ", 3.5, " ", -7, "\n") == f)
f:write("0x1F 1e2 .5 nan\n", "last line without newline")
f:close()
print(io.type(f))
print(pcall(f.write, f, "x"))
print(pcall(function() return f:read() end))
print(tostring(f))

f = assert(io.open(name, "r"))
print(f:read())              -- default "l"
print(f:read("L"))           -- keeps newline
print(f:read("n", "n", "n"))
print(f:read("l"))           -- rest of the numbers line (just the newline)
print(f:read("n", "n", "n"))
print(f:read("n"))           -- 'nan' is not a number
print(f:read("l"))
print(f:read(4), f:read(0), f:read("a"))
print(f:read("a"), f:read("l"), f:read(0), f:read("n"))
f:close()

-- read counts and seek
f = assert(io.open(name, "r"))
print(f:seek("end"), f:seek("set"), f:seek("cur"))
print(f:read(4), f:seek("cur"), f:seek("cur", 1), f:read(3))
print(f:seek("set", 9), f:read("l"))
print(f:seek("end", -4), f:read("a"))
print(f:seek("set", 1000), f:read(1), f:read("a"))
print(pcall(function() return f:seek("bad") end))
print(f:seek("set", -1))
f:close()

-- append and read-write modes
f = assert(io.open(name, "w")); f:write("abc"); f:close()
f = assert(io.open(name, "a")); f:write("def"); f:close()
f = assert(io.open(name, "r")); print(f:read("a")); f:close()
f = assert(io.open(name, "r+")); f:write("XY"); f:seek("set"); print(f:read("a")); f:close()
f = assert(io.open(name, "w+")); f:write("fresh"); f:seek("set", 1); print(f:read(2)); f:close()
f = assert(io.open(name, "rb")); print(f:read("a")); f:close()

-- binary data survives
f = assert(io.open(name, "wb"))
local bin = {}
for i = 0, 255 do bin[#bin + 1] = string.char(i) end
f:write(table.concat(bin))
f:close()
f = assert(io.open(name, "rb"))
local data = f:read("a")
f:close()
print(#data, data:byte(1), data:byte(256), data == table.concat(bin))

-- io.open errors: missing file returns nil, message, errno
print(io.open("/nonexistent/dir/file.txt"))
print(io.open("/nonexistent/dir/file.txt", "w"))
print(pcall(io.open, name, "rw"))
print(pcall(io.open, name, "x"))

-- io.write / io.read on default files; io.output to a file
local out = io.output()
print(io.type(out), io.write("via io.write ") == io.output())
print()
io.output(name)
io.write("redirected ", 1, " ", 2.0, "\n")
io.write(1e100, " ", 2^63, " ", -0.0, " ", 100.0, "\n")
io.close()
io.output(out)
io.input(name)
print(io.read("L"))
print(io.read("l"))
print(io.read("l"))
io.close(io.input())
io.input(io.stdin)
print(pcall(io.close, f))

-- file:lines and io.lines
f = assert(io.open(name, "w")); f:write("a\nb\n\nc"); f:close()
f = assert(io.open(name))
local ls = {}
for l in f:lines() do ls[#ls + 1] = "[" .. l .. "]" end
print(table.concat(ls), io.type(f))
f:close()
print(os.remove(name))
print("done")
