-- io.lines and file:lines with formats, read edge cases
local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write("10 20 30\n", "alpha\n", "\n", "beta\r\n", "1.5 -2 0x10\n", "tail")
f:close()

-- io.lines with no format: lines without newline
local n = 0
for l in io.lines(name) do n = n + 1; io.write(n, "<", (l:gsub("\r", "\\r")), "> ") end
print()
-- "L" keeps newlines
for l in io.lines(name, "L") do io.write(#l, " ") end
print()
-- numbers
local it = io.lines(name, "n", "n", "n")
print(it())
-- several formats per iteration
for a, b in io.lines(name, 3, "l") do io.write("[", a, "|", tostring(b), "] ") end
print()
-- fixed size chunks
local chunks = {}
for c in io.lines(name, 8) do chunks[#chunks + 1] = #c end
print(table.concat(chunks, ","))
-- "a" format returns "" forever at EOF, so stop manually
local count = 0
for all in io.lines(name, "a") do
  count = count + 1
  if count == 1 then print(#all) end
  if count == 3 then break end
end
print("a-format iterations", count)

-- file:lines keeps the file open afterwards
f = assert(io.open(name))
for l in f:lines("l") do if l == "alpha" then break end end
print(f:read("l"), io.type(f))
print(f:read("n", "n", "n"))
f:close()

-- io.lines on a missing file raises an error
print(pcall(io.lines, "/nonexistent/file"))
print(pcall(function() for l in io.lines(name, "x") do end end))
-- iterating a closed file
f = assert(io.open(name))
local iter = f:lines()
f:close()
print(pcall(iter))

-- reading numbers in various syntaxes
f = assert(io.open(name, "w"))
f:write("  42  -17 3.25e2 0x1p4 .5 5. 0xA  12abc")
f:close()
f = assert(io.open(name))
local got = {}
for i = 1, 8 do
  local v = f:read("n")
  got[#got + 1] = tostring(v) .. ":" .. tostring(math.type(v))
end
print(table.concat(got, " "))
print(f:read("a"))
f:close()

-- read("n") does not accept extremely long numerals
f = assert(io.open(name, "w")); f:write(string.rep("1", 300)); f:close()
f = assert(io.open(name)); print(f:read("n")); f:close()

-- reading zero bytes tests for EOF
f = assert(io.open(name, "w")); f:write("x"); f:close()
f = assert(io.open(name))
print(f:read(0), f:read(1), f:read(0))
f:close()
-- write returns the file so calls chain; write errors
f = assert(io.open(name, "w"))
print(f:write("a"):write("b"):write(1, 2) == f)
print(pcall(function() return f:write({}) end))
print(pcall(function() return f:write("ok", nil) end))
f:close()
f = assert(io.open(name)); print(f:read("a")); f:close()
-- setvbuf and flush return true
f = assert(io.open(name, "w"))
print(f:setvbuf("no"), f:setvbuf("full", 1024), f:setvbuf("line"), f:flush())
f:close()
print(io.stdout:flush() and true, io.flush() and true)
print(os.remove(name))
print("done")
