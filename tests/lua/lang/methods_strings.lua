-- method calls and string methods via the string metatable
local obj = {n = 0}
function obj:add(k) self.n = self.n + k; return self end
function obj.static(x) return x * 2 end
obj:add(1):add(2):add(3)
print(obj.n, obj.static(21), obj.add(obj, 4).n)

local Account = {}
Account.__index = Account
function Account.new(b) return setmetatable({balance = b}, Account) end
function Account:deposit(v) self.balance = self.balance + v end
function Account:get() return self.balance end
local acc = Account.new(100)
acc:deposit(50)
print(acc:get(), acc.get(acc), getmetatable(acc) == Account)

-- string methods
print(("x"):rep(3), ("abc"):upper(), ("Hello"):len(), ("hello"):sub(2, 3))
local s = "hello world"
print(s:find("wor"), s:byte(1), s:reverse(), #s)
print(("%d-%s"):format(5, "five"), ("a,b,c"):gsub(",", ";"))
print(getmetatable("").__index == string, type(getmetatable("abc")))
print(("test"):len() == string.len("test"))
-- numbers do not have methods
print(pcall(function() local n = 5; return n:rep(2) end))
print(pcall(function() return ("x"):nosuch() end))
-- extending the string table makes methods available
function string.shout(str) return str:upper() .. "!" end
print(("hey"):shout())
string.shout = nil
-- indexing a string with a number gives nil (via string table)
print(("abc")[1], ("abc").len == string.len)

-- string comparison and operations
print(("a"):rep(3, ","), ("ab"):rep(0), ("ab"):rep(1, "-"), ("ab"):rep(-1))
print(#("x"):rep(1000), ("abc"):sub(-2), ("abc"):sub(0), ("abc"):sub(10))
print(("  trim  "):match("^%s*(.-)%s*$") .. "|")

-- method call on result of call, and on table field
local reg = {items = {list = {"a", "b"}}}
function reg.items:count() return #self.list end
print(reg.items:count())
local function mk() return {f = function(self, x) return x + 1 end} end
print(mk():f(1))

-- self with varargs
local V = {}
function V:collect(...) return select('#', ...), self == V end
print(V:collect(1, 2, 3))
print(V.collect(V))

-- colon syntax on strings from variables and concatenation results
local a, b = "ab", "cd"
print((a .. b):upper(), (a):len() + (b):len())
-- long strings as receivers
print(([[multi]]):upper())
print(pcall(function() local t = {}; return t:nomethod() end))
print(pcall(function() local t = {}; t.x = {}; return t.x:go() end))
print("done")
