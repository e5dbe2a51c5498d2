-- pattern classes, sets, quantifiers, captures and errors
local all = {}
for i = 0, 127 do all[#all + 1] = string.char(i) end
all = table.concat(all)
local function classcount(cls) local _, n = all:gsub(cls, ""); return n end
for _, c in ipairs({"%a", "%d", "%l", "%s", "%u", "%w", "%x", "%p", "%c", "%g", "."}) do
  io.write(c, "=", classcount(c), " ", c:upper(), "=", c == "." and "-" or classcount(c:upper()), "  ")
end
print()
local function show(cls) return (all:gsub("[^" .. cls .. "]", "")) end
print(show("%p"))
print(show("%x"), show("%s"):byte(1, -1))

-- sets and ranges
print(("hello123"):match("[a-z]+"), ("HeLLo"):match("[A-Z]+"), ("x-y"):match("[%-]"), ("a]b"):match("[]]"))
print(("abc123"):gsub("[^%d]", ""), ("a.b,c"):gsub("[.,]", " "))
print(("2024"):match("[0-9][0-9]"), ("^caret"):match("[%^]c"), ("a-z"):match("[a%-z]+"))
print(("ABCabc"):match("[^a-z]+"), ("]x"):match("[]x]+"), ("--x"):match("[x-]+"))
print(("tab\there"):match("[%s]"), ("_var1"):match("[_%a][_%w]*"))

-- quantifiers
print(("aaab"):match("a*"), ("aaab"):match("a+"), ("aaab"):match("a-b"), ("aaab"):match("a?"))
print(("b"):match("a*b"), ("b"):match("a+b"), ("<a><b>"):match("<.->"), ("<a><b>"):match("<.*>"))
print(("color colour"):gsub("colou?r", "C"))
print(("12abc"):match("^%d+"), ("abc"):match("^%d*"), ("x"):match("x?x?x"))

-- %b and %f
print(("call(a, (b), c) rest"):match("%b()"), ("{a{b}c}{d}"):match("%b{}"), ("no close (x"):match("%b()"))
print(("if x then y end"):gsub("%f[%w]%w+", function(w) return w:upper() end))
print(("THE (quick) fox"):find("%f[%a]%a+%f[%A]"))
print(("hello world"):gsub("%f[%w]", "|"))
print(("aaa bbb"):gsub("%f[%z%s]", "#"))   -- %z is deprecated but \0 frontier also works
print(("key=val"):match("%f[%w](%w+)=(%w+)"))

-- captures
print(("hello"):match("((h)(e))"))
print(("abcabc"):find("(abc)%1"), ("abab cdcd"):match("(%a%a)%1"), ("xyzxy"):match("(x)(y)z%1%2"))
print(("  x"):match("()()x"))
print(string.find("abc", "(b)()"))
print(("a b"):match("(%a) (%a)"))
print(("quote 'inner' end"):match("(['\"])(.-)%1"))

-- special characters escaped
print(("1+1"):match("%d%+%d"), ("a.b"):match("a%.b"), ("100%"):match("%d+%%"), ("(x)"):match("%(x%)"))
print(#("a\0b"):match("a%zb"), ("a\0b"):find("\0", 1, true), ("a\0b"):match("[\0]"):byte(), ("a\0b"):match("%Z+"))

-- errors
local bad = {"[a", "[a-", "(", "%", "(()", "%b", "%f", "%fx", "%1", "(a)%2", "[%"}
for _, p in ipairs(bad) do
  local ok, err = pcall(string.find, "abc", p)
  print(p, ok, err)
end
print(pcall(string.match, "x", string.rep("(", 40) .. "x" .. string.rep(")", 40)))
-- a pattern that backtracks a lot still terminates
print(string.rep("a", 14):match(string.rep("a?", 14) .. string.rep("a", 14)) ~= nil)
print(("x"):rep(100):find(".-y"))
print("done")
