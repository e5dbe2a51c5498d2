-- string.gsub with all replacement kinds
print(("hello world"):gsub("o", "0"))
print(("hello world"):gsub("o", "0", 1))
print(("hello world"):gsub("o", "0", 0))
print(("hello world"):gsub("o", "0", -1))
print(("hello"):gsub("", "-"))
print(("abc"):gsub(".", "%0%0"))
print(("hello world"):gsub("(%w+) (%w+)", "%2 %1"))
print(("hello"):gsub("l", "%%"))
print(("abc"):gsub("%w", "<%0>"))
print(("a,b,,c"):gsub(",", ";"))
print(("x = 1"):gsub("(%w+) = (%w+)", "%1 is %2 (%0)"))
print(("abc"):gsub("b", "%1"))   -- %1 with no captures means the whole match

-- table replacement
local vars = {name = "Lua", ver = "5.4", n = 3}
print(("$name $ver $missing $n"):gsub("%$(%w+)", vars))
print(("a b"):gsub("%w", {a = false, b = true and "B"}))
-- function replacement
print(("1 2 3"):gsub("%d", function(d) return d * 2 end))
print(("abc"):gsub("%w", function(c) if c == "b" then return nil end return c:upper() end))
print(("a=1,b=2"):gsub("(%w)=(%w)", function(k, v) return v .. "=" .. k end))
print(("hello"):gsub("()l", function(p) return "[" .. p .. "]" end))
local calls = 0
print(("aaa"):gsub("a", function() calls = calls + 1 end), calls)
print(("xyz"):gsub(".", {x = 1, y = 2.5}))

-- anchored patterns
print(("aaa"):gsub("^a", "b"))
print(("hello hello"):gsub("^hello", "bye"))
print(("abc"):gsub("$", "!"))
print(("abc"):gsub("^", ">"))
print(("  trim me  "):gsub("^%s+", ""):gsub("%s+$", ""))

-- counting with gsub
local _, vowels = ("the quick brown fox"):gsub("[aeiou]", "")
print("vowels", vowels)
local _, spaces = ("a b  c   d"):gsub(" ", " ")
print("spaces", spaces)

-- replacement string escapes
print(("a.b"):gsub("%.", "%%."))
print(("path/to/file"):gsub("/", "\\"))
print(pcall(string.gsub, "abc", "b", "%2"))
print(pcall(string.gsub, "abc", "b", "%x"))
print(pcall(string.gsub, "abc", "(b)", "%"))
print(pcall(string.gsub, "abc", "b", function() return {} end))
print(pcall(string.gsub, "abc", "b", {b = {}}))

-- gsub with empty matches between characters
print(("abc"):gsub("x*", "-"))
print(("hello world"):gsub("%w*", "[%0]"))
print(("a1b22c333"):gsub("%d*", "#"))

-- case conversion helpers built on gsub
local function capitalize(str) return (str:gsub("(%a)(%w*)", function(a, b) return a:upper() .. b:lower() end)) end
print(capitalize("hELLO wORLD from LUA"))
local function camel(str) return (str:gsub("_(%a)", string.upper)) end
print(camel("snake_case_name"))
-- escaping magic characters
local function escape(str) return (str:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")) end
print(escape("1+1=2? (yes) [really] 100% $5 ^_^"))
print(("cost: 1+1"):find(escape("1+1")))
print("done")
