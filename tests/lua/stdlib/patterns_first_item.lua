-- pattern searches whose first item is a single-character class: every kind of first item,
-- with and without captures before it, quantifiers after it, and malformed patterns
local subjects = {"", "a", "hello world", "(x)=12 [y]$ %z", "^^ab$$", "a.b.c", "\0\1a\0", "zzz[]]", "aaa"}
local pats = {"a", "l+", "o", "%a+", "%d+", "(%a+)=(%d+)", "()a", "((a))", "(((((a)))))", "[%]]", "[^ ]+",
  "[a-c]", "[]]", "[^]]", "$", "a$", "$a", "%$", "%%", ".", ".-b", "a*", "a?", "a-", "%s", "%S+", "[",
  "[a", "%", "(", ")", "%b()", "%f[%a]%a+", "%1", "(a)%1", "^a", "^", "\0", "%z", "[%z]", "x*y", "y+",
  "()", "(()a)", "[%a_][%w_]*", "%)", "%(", "a]", "[a-]", "[-a]", "^(%a)"}
for _, s in ipairs(subjects) do
  for _, p in ipairs(pats) do
    local r = {}
    r[#r+1] = table.concat({tostring(pcall(string.find, s, p))}, "|")
    local ok, a, b, c = pcall(string.find, s, p, 2)
    r[#r+1] = tostring(ok) .. "|" .. tostring(a) .. "|" .. tostring(b) .. "|" .. tostring(c)
    ok, a, b = pcall(string.match, s, p)
    r[#r+1] = tostring(ok) .. "|" .. tostring(a) .. "|" .. tostring(b)
    ok, a, b = pcall(string.gsub, s, p, "<%0>")
    r[#r+1] = tostring(ok) .. "|" .. tostring(a) .. "|" .. tostring(b)
    ok, a, b = pcall(string.gsub, s, p, "#", 1)
    r[#r+1] = tostring(ok) .. "|" .. tostring(a) .. "|" .. tostring(b)
    local ok2, list = pcall(function() local t = {} for m in s:gmatch(p) do t[#t+1] = tostring(m) end return table.concat(t, ",") end)
    r[#r+1] = tostring(ok2) .. "|" .. tostring(list)
    print(string.format("%q %q", s, p), table.concat(r, "  "))
  end
end
print(pcall(string.find, "abc", string.rep("(", 40) .. "a" .. string.rep(")", 40)))
print(pcall(string.find, "xbc", string.rep("(", 40) .. "a" .. string.rep(")", 40)))
print(pcall(string.gsub, "xbc", string.rep("(", 33) .. "a", ""))
print(pcall(string.find, "xbc", "(((((a"))
