-- closures and upvalues
local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end, function(v) n = v end
end
local inc, get, set = counter()
print(inc(), inc(), get())
set(10); print(inc(), get())
local inc2, get2 = counter()
print(inc2(), get(), get2())

-- fresh variable per loop iteration
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print(fs[1](), fs[2](), fs[3]())
local ws = {}
local j = 1
while j <= 3 do local k = j; ws[j] = function() k = k * 10; return k end; j = j + 1 end
print(ws[1](), ws[1](), ws[2](), ws[3]())
local gs = {}
for _, v in ipairs({"a", "b", "c"}) do gs[#gs + 1] = function() return v end end
print(gs[1](), gs[2](), gs[3]())
local rs = {}
local r = 0
repeat local x = r; rs[#rs + 1] = function() return x end; r = r + 1 until x >= 2
print(#rs, rs[1](), rs[3]())

-- loop variable shared with a closure created in the same iteration
local pairsf = {}
for i = 1, 2 do
  local a = i
  pairsf[i] = {function() a = a + 100 end, function() return a end}
end
pairsf[1][1](); pairsf[1][1]()
print(pairsf[1][2](), pairsf[2][2]())

-- upvalue closed when the block exits
local f
do
  local hidden = "inside"
  f = function() return hidden end
  hidden = "changed before exit"
end
print(f())

-- nested closures, 3 levels
local function outer(a)
  return function(b)
    return function(c)
      a = a + 1
      return a + b + c
    end
  end
end
local mid = outer(1)
local inner1, inner2 = mid(10), mid(20)
print(inner1(100), inner2(100), inner1(100))

-- recursive local function
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10), fact(20), fact(21))
local fib; fib = function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))

-- closures as objects
local function makeStack()
  local items = {}
  return {
    push = function(v) items[#items + 1] = v end,
    pop = function() local v = items[#items]; items[#items] = nil; return v end,
    size = function() return #items end,
  }
end
local s = makeStack()
s.push(1); s.push("two"); s.push(3.0)
print(s.size(), s.pop(), s.pop(), s.size())

-- upvalues of a function modified through debug-free means
local x = 1
local function getx() return x end
x = 2
print(getx())
local function shadow()
  local x = 5
  return getx(), x
end
print(shadow())

-- many upvalues
local u1, u2, u3, u4, u5, u6, u7, u8 = 1, 2, 3, 4, 5, 6, 7, 8
local function sum() return u1 + u2 + u3 + u4 + u5 + u6 + u7 + u8 end
u8 = 80
print(sum())

-- function identity: each evaluation of a function expression creates a closure
local list = {}
for i = 1, 2 do list[i] = function() end end
print(type(list[1]), type(list[2]), list[1] == list[1])
print("done")
