-- string.find, string.match, string.gmatch
local s = "hello world, hello moon"
print(s:find("hello"), s:find("hello", 2), s:find("xyz"), s:find(""))
print(s:find("", 100), s:find("", #s + 1), s:find("", #s + 2), s:find("o", -4))
print(s:find("l+"), s:find("(h)(e)"), s:find("o w", 1, true))
print(s:find(".", 1, true), s:find("%s", 1, true), s:find("%s"), ("a.b"):find(".", 2, true))
print(("a+b"):find("+", 1, true), ("a+b"):find("a+"), ("[x]"):find("[", 1, true))
print(s:find("o", -100), s:find("d", #s - 10), s:find("^hello"), s:find("^world"))
print(s:find("moon$"), s:find("hello$"), ("x$"):find("$", 1, true), ("a^b"):find("^", 1, true))
print(("aaa"):find("a-", 2), ("aaa"):find("a*", 4), ("abc"):find("b", 0))

-- match
print(s:match("h%a+"), s:match("(%a+), (%a+)"), s:match("%a+", 7))
print(("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
print(("2024-01-15"):match("(%d+)-(%d+)-(%d+)"))
print(("  padded  "):match("^%s*(.-)%s*$") .. "|", ("abc"):match("()b()"))
print(("no digits"):match("%d+"), ("x=1"):match("()"), ("abc"):match(".-"), ("abc"):match(".-$"))
print(("[[nested]]"):match("%[(%b[])%]"), ("f(a(b)c)d"):match("%b()"))
print(("THE (quick) fox"):match("%((%a+)%)"), ("hello"):match("(h)(e)(l)(l)(o)"))
print(("abc"):match("^(a)"), ("abc"):match("^(b)"), ("aXb"):match("a(.)b"), ("ab"):match("a(.?)b"))
print(("hello"):match(".", -1), ("hello"):match("..", -3), ("hello"):match("l*", 3))
print(string.match("  x", "()x"), string.match("", "()"), string.match("", ".*"))

-- gmatch
local words = {}
for w in ("The quick brown fox"):gmatch("%a+") do words[#words + 1] = w end
print(#words, table.concat(words, "|"))
local kv = {}
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do kv[#kv + 1] = k .. ":" .. v end
print(table.concat(kv, " "))
local pos = {}
for p in ("abcabc"):gmatch("()b") do pos[#pos + 1] = p end
print(table.concat(pos, ","))
local empties = {}
for e in ("abc"):gmatch("x*") do empties[#empties + 1] = "[" .. e .. "]" end
print(table.concat(empties))
local anch = {}
for a in ("aaa"):gmatch("^a") do anch[#anch + 1] = a end
print("anchored gmatch count", #anch)   -- '^' is not an anchor in gmatch
for a in ("x^ay^a"):gmatch("^a") do anch[#anch + 1] = a end
print("literal caret matches", #anch, anch[1])
local nums = {}
for n in ("1, -2, 3.5, 4e2"):gmatch("[-%d.e]+") do nums[#nums + 1] = tonumber(n) end
print(table.unpack(nums))
local init = {}
for w in string.gmatch("one two three", "%a+", 5) do init[#init + 1] = w end
print(table.concat(init, ","))
local it = ("x y"):gmatch("%a")
print(it(), it(), it())
local pairs2 = {}
for a, b in ("ab cd ef"):gmatch("(%a)(%a)") do pairs2[#pairs2 + 1] = b .. a end
print(table.concat(pairs2, " "))
local lines = {}
for line in ("first\nsecond\n\nfourth"):gmatch("([^\n]*)\n?") do lines[#lines + 1] = "<" .. line .. ">" end
print(table.concat(lines))
print("done")
