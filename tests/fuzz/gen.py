#!/usr/bin/env python3
"""Deterministic random Lua 5.4 program generator for differential testing.

Seeds from CLASS_SEED (9000) on give programs with class snippets (method calls through
__index tables while the classes change); seeds from RECURSION_SEED (12000) on give programs
with recursion snippets (self, mutual and same-prototype recursion with varying result and
argument counts); seeds below each give the programs they always gave.

usage: gen.py SEED [> out.lua]
"""
import random
import sys

PRELUDE = r'''
local mtype, sfmt, select, type, tostring, pcall = math.type, string.format, select, type, tostring, pcall
local function S(v)
  local t = type(v)
  if t == "number" then
    if mtype(v) == "integer" then return "i:" .. sfmt("%d", v) end
    return "f:" .. sfmt("%.17g", v)
  elseif t == "string" then return "s:" .. sfmt("%q", v)
  elseif t == "table" then
    if rawget(v, "tag") ~= nil then return "table:" .. tostring(rawget(v, "tag")) end
    return "table"
  elseif t == "boolean" or t == "nil" then return tostring(v)
  else return t end
end
local function NN(x) return x end  -- wraps loop bounds (NaN ones included)
local function R(tag, ...)
  local n = select("#", ...)
  local parts = {tag, "#" .. n}
  for k = 1, n do parts[#parts + 1] = S((select(k, ...))) end
  print(table.concat(parts, " "))
end
local function E(e)  -- describe an error value
  if type(e) == "table" then return "errtable:" .. tostring(rawget(e, "tag")) end
  return e
end
'''

INT_CONSTS = ["0", "1", "-1", "2", "3", "7", "-7", "10", "255", "1000", "-3",
              "math.maxinteger", "math.mininteger", "(math.maxinteger - 1)",
              "(math.mininteger + 1)", "0x7fffffff", "0x100000000", "(1 << 62)", "(1 << 63)",
              "9007199254740993", "-2"]
FLT_CONSTS = ["0.0", "-0.0", "1.0", "-1.0", "0.5", "-2.5", "3.0", "1e308", "-1e308", "2^53", "2^63",
              "-(2^63)", "(1/0)", "(-1/0)", "1e-300", "7.25", "(0/0)", "3.5", "1e15", "-1e16", "0.1",
              "4.0", "2.0^62"]
STR_CONSTS = ['"10"', '"0x10"', '"3.5"', '" 7 "', '"-2"', '"1e2"', '"abc"', '""', '"9223372036854775807"',
              '"9223372036854775808"', '"0.0"', '"-0"', '" 0x1p4 "', '"1e"', '"5"']


# method and field names of the class snippets: the long name is no short string (over 40 bytes)
IC_METHODS = ["m1", "m2", "m3", "get", "m1", "m2", "method_with_a_name_longer_than_forty_bytes_xyz"]
IC_FIELDS = ["kind", "n", "zz", "extra"]   # zz and extra are defined nowhere at first
IC_VALUES = ["1", "-2", "2.5", "'s'", "true", "false", "0.0", "math.maxinteger"]
# seeds from here on give programs with class snippets
CLASS_SEED = 9000
# seeds from here on give programs with recursion snippets
RECURSION_SEED = 12000

# helpers of the recursion snippets: RI an integer or 0, RG 0-3 values, RC the count and the values
REC_HELPERS = r'''
local function RI(v) if mtype(v) == "integer" then return v end return 0 end
local function RG(k) k = k % 4; if k == 0 then return elseif k == 1 then return 7 elseif k == 2 then return 8, -8 end return 9, nil, 9 end
local function RC(...) return select("#", ...), ... end
'''


class Gen:
    def __init__(self, seed, classes=False, recursion=False):
        self.r = random.Random(seed)
        self.recursion = recursion
        self.nf = 0
        self.lines = []
        self.classes = classes
        self.icv = 0      # versions of the methods class snippets define

    def ch(self, xs):
        return self.r.choice(xs)

    def p(self, prob):
        return self.r.random() < prob

    def const(self, kinds="ifs"):
        k = self.ch(kinds)
        if k == "i":
            if self.p(0.4):
                return str(self.r.randint(-20, 20))
            return self.ch(INT_CONSTS)
        if k == "f":
            if self.p(0.3):
                return repr(self.r.randint(-200, 200) / 8.0)
            return self.ch(FLT_CONSTS)
        return self.ch(STR_CONSTS)

    # ---------------------------------------------------------------- expressions
    def num_expr(self, vars_, d=0):
        """expression that is usually a number (or numeric string)"""
        r = self.r.random()
        if d > 3 or r < 0.3:
            if vars_ and self.p(0.7):
                return self.ch(vars_)
            return self.const("iiff" + ("s" if self.p(0.2) else ""))
        if r < 0.72:
            op = self.ch(["+", "-", "*", "/", "//", "%", "^", "+", "-", "*", "//", "%", "+", "*",
                          "&", "|", "~", "<<", ">>"])
            a = self.num_expr(vars_, d + 1)
            b = self.num_expr(vars_, d + 1)
            if op in ("&", "|", "~", "<<", ">>") and self.p(0.6):
                a = "(math.tointeger(%s) or %s)" % (a, self.ch(["0", "1", "3.0", "-1"]))
                if self.p(0.6):
                    b = "(math.tointeger(%s) or 2)" % b
            if op == "^" and self.p(0.7):
                b = self.ch(["2", "0.5", "3", "-1", "0", "2.0"])
            return "(%s %s %s)" % (a, op, b)
        if r < 0.78:
            return "(%s(%s))" % (self.ch(["-", "-", "~"]), self.num_expr(vars_, d + 1))
        if r < 0.92:
            f = self.ch(["math.floor", "math.ceil", "math.abs", "math.tointeger", "math.max", "math.min",
                         "math.fmod", "math.ult", "tonumber", "math.sqrt", "math.modf", "math.floor"])
            if f in ("math.max", "math.min", "math.fmod"):
                return "%s(%s, %s)" % (f, self.num_expr(vars_, d + 1), self.num_expr(vars_, d + 1))
            if f == "math.ult":
                return "(math.ult(%s, %s) and 1 or 0)" % (self.num_expr(vars_, d + 1), self.num_expr(vars_, d + 1))
            if f == "math.tointeger":
                return "(math.tointeger(%s) or -99)" % self.num_expr(vars_, d + 1)
            if f == "tonumber":
                return "(tonumber(%s) or -98)" % self.num_expr(vars_, d + 1)
            return "%s(%s)" % (f, self.num_expr(vars_, d + 1))
        if r < 0.96:
            return "(%s and %s or %s)" % (self.cmp_expr(vars_, d + 1), self.num_expr(vars_, d + 1),
                                          self.num_expr(vars_, d + 1))
        return "#(%s .. %s)" % (self.num_expr(vars_, d + 1), self.ch(['""', '"x"', "1"]))

    def cmp_expr(self, vars_, d=0):
        op = self.ch(["<", "<=", ">", ">=", "==", "~="])
        a = self.num_expr(vars_, d + 1)
        b = self.num_expr(vars_, d + 1)
        if self.p(0.15):
            return "not (%s %s %s)" % (a, op, b)
        return "(%s %s %s)" % (a, op, b)

    def any_expr(self, vars_, d=0):
        r = self.r.random()
        if r < 0.6:
            return self.num_expr(vars_, d)
        if r < 0.75:
            return self.cmp_expr(vars_, d)
        if r < 0.9:
            return "(%s .. %s)" % (self.num_expr(vars_, d + 1), self.num_expr(vars_, d + 1))
        return "tostring(%s)" % self.num_expr(vars_, d + 1)

    # ---------------------------------------------------------------- snippets
    def new_name(self, pre="t"):
        self.nf += 1
        return "%s%d" % (pre, self.nf)

    def snip_arith(self):
        name = self.new_name("ar")
        vars_ = ["a", "b"]
        body = []
        nst = self.r.randint(2, 5)
        rets = []
        for k in range(nst):
            v = "x%d" % k
            if self.p(0.25) and k > 0:
                body.append("  local ok%d, %s = pcall(function() return %s end)" % (k, v, self.any_expr(vars_)))
                body.append("  if not ok%d then %s = E(%s) end" % (k, v, v))
                rets.append(v)
                continue
            body.append("  local %s = %s" % (v, self.any_expr(vars_) if self.p(0.3) else self.num_expr(vars_)))
            vars_.append(v)
            rets.append(v)
            if self.p(0.3):
                body.append("  if %s then %s = %s end" % (self.cmp_expr(vars_), v, self.num_expr(vars_)))
        body.append("  return " + ", ".join(rets))
        return name, ["local function %s(i, a, b)" % name] + body + ["end"]

    def snip_for(self):
        name = self.new_name("fo")
        kind = self.r.choice([0, 0, 1, 2, 3, 3, 4, 5, 5])
        if kind == 0:
            start = self.ch(["1", "0", "a", "-5", "b", "10"])
            stop = self.ch(["a", "b", "10", "a + 3", "-3", "b * 2"])
            step = self.ch(["1", "2", "-1", "-2", "0.5", "-0.25", "3", "b", "a"])
        elif kind == 1:
            start = self.ch(["math.maxinteger - 3", "math.maxinteger - a", "math.maxinteger"])
            stop = self.ch(["math.maxinteger", "math.maxinteger - 1", "1e100"])
            step = self.ch(["1", "2", "a", "math.maxinteger"])
        elif kind == 2:
            start = self.ch(["math.mininteger + 3", "math.mininteger + 2", "math.mininteger"])
            stop = self.ch(["math.mininteger", "-1e100", "math.mininteger + 1"])
            step = self.ch(["-1", "-2", "-a", "math.mininteger"])
        elif kind == 3:
            start = self.ch(["0.1", "1.0", "a", "-1.5", "2^53 - 2"])
            stop = self.ch(["1", "a", "2^53 + 2", "3.5", "b"])
            step = self.ch(["0.1", "0.25", "1", "-0.5", "a", "1.0"])
        elif kind == 4:
            start = self.ch(["1", "a"])
            stop = self.ch(["a", "5"])
            step = self.ch(["0", "a - a", "0.0", "b"])
        else:
            start = self.num_expr(["a", "b"], 2)
            stop = self.num_expr(["a", "b"], 2)
            step = self.num_expr(["a", "b"], 2)
        acc = self.ch(["0", "0.0", "1"])
        bodyop = self.ch(["s = s + j", "s = s + j * 2", "s = s ~ math.tointeger(j // 1) or s",
                          "s = s + (j % 3)", "s = s .. '' + j", "s = (s + j) // 1", "s = s - j / 2"])
        lines = ["local function %s(i, a, b)" % name,
                 "  local s, c, last = %s, 0, nil" % acc,
                 "  for j = NN(%s), NN(%s), NN(%s) do" % (start, stop, step),
                 "    c = c + 1; last = j",
                 "    %s" % bodyop,
                 "    if c >= 60 then break end",
                 "  end",
                 "  return s, c, last",
                 "end"]
        return name, lines

    def snip_while(self):
        name = self.new_name("wh")
        lim = self.r.randint(3, 40)
        if self.p(0.5):
            lines = ["local function %s(i, a, b)" % name,
                     "  local n, s = 0, %s" % self.const("if"),
                     "  while n < %d do" % lim,
                     "    n = n + 1",
                     "    if n %% %d == 0 then goto cont end" % self.r.randint(2, 5),
                     "    s = %s" % self.num_expr(["s", "n", "a"], 2),
                     "    if %s then break end" % self.cmp_expr(["s", "n"], 2),
                     "    ::cont::",
                     "  end",
                     "  return n, s",
                     "end"]
        else:
            lines = ["local function %s(i, a, b)" % name,
                     "  local n, s = 0, a",
                     "  repeat",
                     "    local k = n * 2",
                     "    n = n + 1",
                     "    s = %s" % self.num_expr(["s", "n", "k", "b"], 2),
                     "  until n >= %d or k > %d" % (lim, self.r.randint(3, 60)),
                     "  return n, s",
                     "end"]
        return name, lines

    def snip_table(self):
        name = self.new_name("tb")
        ops = []
        for _ in range(self.r.randint(3, 8)):
            k = self.r.randint(0, 11)
            if k == 0:
                ops.append("t[#t + 1] = %s" % self.num_expr(["a", "b", "#t"], 2))
            elif k == 1:
                ops.append("t[%s] = %s" % (self.ch(["1.0", "(#t > 2 and 2.0 or 1)", "#t", "#t + 1.0", "-0.0", "0", "(#t + 1) // 1"]),
                                           self.num_expr(["a", "b"], 2)))
            elif k == 2:
                ops.append("h[%s] = %s" % (self.ch(["a", "b", '"k"', "1.5", "-0.0", "0", "a .. ''", "true"]),
                                           self.num_expr(["a", "b"], 2)))
            elif k == 3:
                ops.append("h.name = %s; h.cnt = (h.cnt or 0) + 1" % self.const("ifs"))
            elif k == 4:
                ops.append("if #t > 0 then t[#t] = nil end")
            elif k == 5:
                ops.append("h[%s] = nil" % self.ch(["a", "b", '"k"', "1.5", "0"]))
            elif k == 6:
                ops.append("table.insert(t, %s)" % self.num_expr(["a", "b"], 2))
            elif k == 7:
                ops.append("if #t > 1 then table.remove(t, 1) end")
            elif k == 8:
                ops.append("for q = 1, %d do t[#t + 1] = q * %s end" % (self.r.randint(1, 6), self.ch(["a", "1", "0.5", "i"])))
            elif k == 9:
                ops.append("local tmp = {%s, %s, n = %s}; t[#t + 1] = tmp[1]; h.n = tmp.n" % (
                    self.num_expr(["a"], 2), self.num_expr(["b"], 2), self.num_expr(["a", "b"], 2)))
            elif k == 10:
                ops.append("h[t[1] or 1] = #t")
            else:
                ops.append("t[#t + 1] = nil; h[2^53] = #t")
        lines = ["local function %s(i, a, b)" % name,
                 "  local t, h = {%s}, {}" % ", ".join(self.const("if") for _ in range(self.r.randint(0, 4)))]
        lines += ["  " + o for o in ops]
        lines += ["  local s = 0",
                  "  for k2, v in ipairs(t) do s = s + (type(v) == 'number' and v or 0) end",
                  "  return #t, s, t[1], t[1.0], t[2], t[#t], h[a], h[b], h.name, h.cnt, h[1.5], h[0], h.n, rawlen(t)",
                  "end"]
        return name, lines

    def snip_closure(self):
        name = self.new_name("cl")
        n = self.r.randint(2, 8)
        upd = self.ch(["j = j + 1", "j = j * 2", "j = j .. ''", "j = j + 0.5", "acc = acc + j", "j = -j"])
        lines = ["local function %s(i, a, b)" % name,
                 "  local fs, acc = {}, 0",
                 "  for k = 1, %d do" % n,
                 "    local j = k * %s" % self.ch(["a", "1", "2.0", "b", "i"]),
                 "    fs[k] = function(x) %s; return j + (x or 0), k, acc end" % upd,
                 "  end",
                 "  local k = 0",
                 "  while k < %d do k = k + 1; fs[k]() end" % self.r.randint(0, n),
                 "  local r1, r2 = fs[1](a), fs[%d](b)" % n,
                 "  local cnt = 0",
                 "  local function inc(d) cnt = cnt + (d or 1); return cnt end",
                 "  for q = 1, %d do inc(q %% 2 == 0 and %s or nil) end" % (self.r.randint(1, 9), self.ch(["a", "1", "0.5"])),
                 "  return r1, r2, acc, cnt, select(2, fs[2](1))",
                 "end"]
        return name, lines

    def snip_calls(self):
        name = self.new_name("ca")
        nret = self.r.randint(0, 4)
        rets = ", ".join(self.num_expr(["x", "y"], 2) for _ in range(nret))
        lines = ["local function %s_f(x, y, ...)" % name,
                 "  if select('#', ...) > %d then return ... end" % self.r.randint(0, 3),
                 "  return %s" % rets,
                 "end",
                 "local function %s_v(...)" % name,
                 "  local n = select('#', ...)",
                 "  local t = {...}",
                 "  return n, #t, (select(n > 0 and -1 or 1, ...)), ...",
                 "end"]
        body = self.ch([
            "return %s_v(%s_f(a, b))" % (name, name),
            "return %s_v(%s_f(a, b), %s_f(b, a))" % (name, name, name),
            "local x, y, z = %s_f(a, b, a, nil, b); return x, y, z" % name,
            "return (%s_f(a, b))" % name,
            "local t = {%s_f(a, b, 1, 2, nil)}; return #t, table.unpack(t, 1, 3)" % name,
            "local t = table.pack(%s_f(a, b, nil, nil)); return t.n, t[1], t[4]" % name,
            "return select('#', %s_f(a, b)), select('#', (%s_f(a, b))), %s_v(nil, nil)" % (name, name, name),
            "return select(2, %s_v(a, b, i))" % name,
            "local function rec(n, acc) if n <= 0 then return acc end return rec(n - 1, acc + n * a) end; return rec(%d, 0)" % self.r.randint(0, 30),
            "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end; return fib(i %% 12), fib(a %% 5 // 1)",
        ])
        if self.recursion and body.startswith("local function fib"):
            # that choice is no valid Lua ('%%'): recursion seeds give the call it meant
            body = "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end; return fib(i % 12), fib(RI(a) % 5)"
        lines += ["local function %s(i, a, b)" % name, "  " + body, "end"]
        return name, lines

    def snip_meta(self):
        name = self.new_name("mt")
        idx = self.ch(["table", "func"])
        lines = ["local %s_mt = {}" % name,
                 "%s_mt.__index = %s" % (name, "{base = 100, get = function(self) return self.v end}" if idx == "table"
                                         else "function(t, k) if k == 'get' then return function(self) return self.v end end return k .. '!' end"),
                 "%s_mt.__add = function(x, y) local vx = type(x) == 'table' and x.v or x; local vy = type(y) == 'table' and y.v or y; return setmetatable({v = vx + vy}, %s_mt) end" % (name, name),
                 "%s_mt.__eq = function(x, y) return x.v == y.v end" % name,
                 "%s_mt.__lt = function(x, y) return (type(x) == 'table' and x.v or x) < (type(y) == 'table' and y.v or y) end" % name,
                 "%s_mt.__le = function(x, y) return (type(x) == 'table' and x.v or x) <= (type(y) == 'table' and y.v or y) end" % name,
                 "%s_mt.__concat = function(x, y) return (type(x) == 'table' and ('<' .. x.v .. '>') or x) .. (type(y) == 'table' and ('<' .. y.v .. '>') or y) end" % name,
                 "%s_mt.__len = function(x) return x.v // 1 end" % name,
                 "%s_mt.__call = function(self, p, q) return self.v, p, q end" % name,
                 "%s_mt.__unm = function(x) return setmetatable({v = -x.v}, %s_mt) end" % (name, name),
                 "%s_mt.__newindex = function(t, k, v) rawset(t, k, v == nil and 'nil' or v) end" % name,
                 "%s_mt.__tostring = function(x) return 'OBJ' end" % name]
        ops = []
        for _ in range(self.r.randint(2, 6)):
            ops.append(self.ch([
                "o.v", "o.missing", "o:get()", "(o + %s).v" % self.ch(["a", "1", "o", "2.5"]),
                "(%s + o).v" % self.ch(["b", "1", "0.5"]), "o == p", "o ~= p", "o < p", "o <= p", "o > p",
                "o < %s" % self.ch(["a", "b", "3"]), "%s <= o" % self.ch(["a", "1"]),
                "o .. 'x'", "'y' .. o", "o .. p", "%s .. o" % self.ch(["a", "1", "2.0"]),
                "#o", "select(2, o(a, b))", "(-o).v", "o.base", "tostring(o)", "rawequal(o, p)",
                "(function() o.newf = nil; return rawget(o, 'newf') end)()",
                "(function() o.w = a; return rawget(o, 'w') end)()",
                "rawlen(o)", "p.v",
            ]))
        lines += ["local function %s(i, a, b)" % name,
                  "  local o = setmetatable({v = a}, %s_mt)" % name,
                  "  local p = setmetatable({v = %s}, %s_mt)" % (self.ch(["b", "a", "1", "a + 0.0"]), name),
                  "  return " + ", ".join(ops),
                  "end"]
        return name, lines

    def snip_err(self):
        name = self.new_name("er")
        ev = self.ch(["'boom'", "{tag = 'T'}", "a", "nil", "42", "3.5", "setmetatable({tag='M'}, {__tostring = function() return 'TS' end})"])
        lvl = self.ch(["", ", 0", ", 1", ", 2"])
        inner = self.ch([
            "error(%s%s)" % (ev, lvl),
            "local x = a + nil",
            "local x = {} ; return x.y.z",
            "return a < {}",
            "return #a",
            "return a .. {}",
            "return (nil)()",
            "return a // 0",
            "return a % 0",
            "return 1.5 | a",
            "return math.tointeger(a) | 0",
            "return a & 1",
            "local t = setmetatable({}, {__index = function(t, k) error('idx ' .. tostring(k)) end}); return t.q",
            "return string.rep(a, -1) .. undefinedglobal.x",
            "return ('x'):bad()",
            "return string.sub()",
            "return math.floor('z')",
            "return string.format('%d', a)",
            "error()",
            "return assert(false, %s)" % ev,
            "return assert(a == a, 'noassert')",
            "return select(0)",
            "return tostring(nil) + 1",
            "return -{}",
        ])
        wrap = self.ch(["pcall", "xpcall"])
        if wrap == "pcall":
            call = "pcall(g, a)"
        else:
            call = "xpcall(g, function(m) return 'H:' .. tostring(E(m)) end, a)"
        lines = ["local function %s(i, a, b)" % name,
                 "  local function g(a) %s end" % inner,
                 "  local r = table.pack(%s)" % call,
                 "  local ok2, e2 = pcall(pcall)",
                 "  local ok3, e3 = pcall(function() local ok, e = pcall(g, b); error(e, 0) end)",
                 "  return r.n, r[1], E(r[2]), ok2, e2, ok3, E(e3)",
                 "end"]
        return name, lines

    def snip_str(self):
        name = self.new_name("st")
        ops = []
        for _ in range(self.r.randint(2, 6)):
            ops.append(self.ch([
                "string.format('%%d', %s)" % self.ch(["a", "b", "3.0", "i"]),
                "string.format('%%5.2f', %s)" % self.ch(["a", "b", "1/3", "-0.0"]),
                "string.format('%%s|%%s', %s, %s)" % (self.ch(["a", "b", "nil", "true"]), self.ch(["a", "1.0"])),
                "string.format('%%q', %s)" % self.ch(["a", "b", "'a\\n\\0b\"'", "1/0", "math.mininteger", "2^63"]),
                "string.format('%%x %%5s %%-5s|', %s, %s, %s)" % (self.ch(["255", "a", "i"]), self.ch(["'ab'", "a"]), self.ch(["'c'", "b"])),
                "string.format('%%g %%.3g %%i', %s, %s, %s)" % (self.ch(["a", "1e20", "b"]), self.ch(["b", "0.1"]), self.ch(["i", "a"])),
                "string.sub(%s, %s, %s)" % (self.ch(["'hello world'", "a", "tostring(a)"]), self.ch(["2", "-3", "a", "0", "1.0"]), self.ch(["-1", "5", "b", "100"])),
                "string.rep(%s, %s, %s)" % (self.ch(["'ab'", "a"]), self.ch(["3", "0", "a % 5", "2.0"]), self.ch(["','", "''", "nil"])),
                "string.byte(%s, %s, %s)" % (self.ch(["'ABCDE'", "tostring(a)"]), self.ch(["1", "-2", "2"]), self.ch(["3", "-1", "1"])),
                "string.char(%s, 65, %s)" % (self.ch(["72", "i % 256", "a"]), self.ch(["66", "b"])),
                "('x' .. a):upper()", "#tostring(a)", "(tostring(b)):len()",
                "a .. b", "a .. '' .. i", "1 .. ''", "-0.0 .. ''", "2^63 .. ''",
                "tostring(a) .. tostring(b)", "string.len(a .. b)",
                "('%d'):format(i)", "string.reverse(tostring(a))",
                "tonumber(a .. '')", "tonumber('0x' .. 'ff')", "tonumber(b, 10)",
                "string.find('hello ' .. a, 'l+')", "string.match(a .. 'x', '(%d+)')",
                "string.gsub('abc' .. a, '%w', '%0%0', 2)",
            ]))
        lines = ["local function %s(i, a, b)" % name,
                 "  return " + ", ".join(ops),
                 "end"]
        return name, lines

    def snip_co(self):
        name = self.new_name("co")
        kind = self.r.randint(0, 3)
        if kind == 0:
            lines = ["local function %s(i, a, b)" % name,
                     "  local gen = coroutine.wrap(function(x, y)",
                     "    local s = 0",
                     "    for k = 1, %d do s = s + k * x; local z = coroutine.yield(s, k); if z then s = s + z end end" % self.r.randint(1, 6),
                     "    return 'done', s",
                     "  end)",
                     "  local res = {}",
                     "  local v1, v2 = gen(a, b)",
                     "  res[#res + 1] = v1",
                     "  for q = 1, %d do v1, v2 = gen(%s); res[#res + 1] = v1 end" % (self.r.randint(0, 8), self.ch(["q", "nil", "b", "0.5"])),
                     "  return #res, res[1], res[#res], v2",
                     "end"]
        elif kind == 1:
            lines = ["local function %s(i, a, b)" % name,
                     "  local co = coroutine.create(function(x)",
                     "    local ok, e = pcall(function()",
                     "      local y = coroutine.yield(x + 1)",
                     "      if y == nil then error('nilresume') end",
                     "      coroutine.yield(y * 2)",
                     "      error({tag = 'inco'})",
                     "    end)",
                     "    coroutine.yield(ok, E(e))",
                     "    return 'end'",
                     "  end)",
                     "  local r = {}",
                     "  for q = 1, %d do" % self.r.randint(1, 6),
                     "    local t = table.pack(coroutine.resume(co, %s))" % self.ch(["a", "b", "q", "nil"]),
                     "    r[#r + 1] = tostring(t[1]) .. ':' .. tostring(E(t[2])) .. ':' .. tostring(t[3]) .. ':' .. coroutine.status(co)",
                     "  end",
                     "  return table.concat(r, ',')",
                     "end"]
        elif kind == 2:
            lines = ["local function %s(i, a, b)" % name,
                     "  local co = coroutine.wrap(function(...)",
                     "    local n = select('#', ...)",
                     "    local x = 0",
                     "    while true do",
                     "      x = x + 1",
                     "      local p, q = coroutine.yield(n, x, coroutine.isyieldable())",
                     "      n = (p or 0) + (q or 0)",
                     "      if x > %d then return 'fin' end" % self.r.randint(1, 5),
                     "    end",
                     "  end)",
                     "  local acc = {}",
                     "  local ok, e",
                     "  for q = 1, 8 do",
                     "    ok, e = pcall(co, q, %s)" % self.ch(["a", "b", "q * 1.5"]),
                     "    acc[#acc + 1] = tostring(ok) .. '=' .. tostring(e)",
                     "  end",
                     "  return table.concat(acc, ' '), coroutine.isyieldable()",
                     "end"]
        else:
            lines = ["local function %s(i, a, b)" % name,
                     "  local function producer(n) return coroutine.wrap(function() for k = 1, n do coroutine.yield(k * a) end end) end",
                     "  local s, c = 0, 0",
                     "  for v in producer(%d) do s = s + v; c = c + 1 end" % self.r.randint(0, 10),
                     "  local co = coroutine.create(function() return a // b end)",
                     "  local ok, e = coroutine.resume(co)",
                     "  local ok2, e2 = coroutine.resume(co)",
                     "  return s, c, ok, E(e), ok2, e2, coroutine.status(co)",
                     "end"]
        return name, lines

    # ---------------------------------------------------------------- classes
    # A class snippet builds a few class hierarchies (C.__index = C, a parent through the
    # class's metatable), calls methods and reads fields of objects of several classes at the
    # same sites in a loop, and changes the classes at chosen iterations between those calls:
    # what lookups through __index tables are remembered by must be forgotten at each change.

    def ic_method(self, label, m, K):
        """a method (self, x) returning a string that names its class, name and version"""
        self.icv += 1
        tag = "%s.%s#%d" % (label, m if len(m) < 8 else "L", self.icv)
        k = self.r.randint(0, 5)
        if k <= 1:
            return 'function(self, x) return "%s:" .. (self.v + x) end' % tag
        if k == 2:
            return 'function(self, x) return "%s/" .. S(self.%s) end' % (tag, self.ch(IC_FIELDS))
        if k == 3:
            # calls the method of that name some class has (a lookup through a class)
            return ('function(self, x, d) d = d or 0; if d > 3 then return "deep" end; local f = %s.%s; '
                    'return "%s>" .. (f and f(self, x, d + 1) or "-") end' % (self.ch(K), m, tag))
        if k == 4:
            return 'function(self, x) return "%s?" .. type(self.%s) end' % (tag, self.ch(IC_METHODS))
        return 'function(self, x) self.hits = (self.hits or 0) + 1; return "%s!" .. self.hits end' % tag

    def ic_index_fn(self, C):
        return ("function(t, k) if type(k) == 'string' and k:sub(1, 1) == 'm' then "
                "return function(self, x) return 'F%s:' .. k .. ':' .. tostring(x) end end "
                "if k == 'kind' then return 'fk' end return rawget(%s, k) end" % (C[-1], C))

    def ic_mutation(self, nm, K, M, nobj):
        """one change to the classes (or objects), a statement that raises no error in any state
        the other changes leave; K the classes (parents come first), M their instance metatables"""
        nc = len(K)
        c = self.r.randint(0, nc - 1)
        C = K[c]
        lower = K[:c]
        kind = self.r.randint(0, 24)
        m = self.ch(IC_METHODS)
        f = self.ch(IC_FIELDS)
        obj = "%s_O[%d]" % (nm, self.r.randint(1, nobj))
        if kind <= 3:
            return "%s.%s = %s" % (C, m, self.ic_method(C[-2:], m, K))
        if kind <= 5:
            return "%s.%s = nil" % (C, m)
        if kind == 6:
            return "%s.%s = %s" % (C, f, self.ch(IC_VALUES))
        if kind == 7:
            return "%s.%s = nil" % (C, f)
        if kind == 8:   # __index to another table: only to a class that comes earlier (no loop)
            tgt = self.ch(lower) if lower and self.p(0.7) else C
            if M[c] and self.p(0.5):
                return "%s.__index = %s" % (M[c], self.ch(lower + [C]))
            return "%s.__index = %s" % (C, tgt)
        if kind == 9:
            return self.ch(["%s.__index = %s" % (C, self.ic_index_fn(C)), "%s.__index = nil" % C,
                            "%s.__index = %s" % (C, C)])
        if kind == 10:  # a new parent (or none)
            p = self.ch(lower) if lower else None
            if p is None:
                return self.ch(["setmetatable(%s, nil)" % C, "debug.setmetatable(%s, nil)" % C])
            return self.ch(["setmetatable(%s, {__index = %s})" % (C, p),
                            "setmetatable(%s, %s)" % (C, p),
                            "debug.setmetatable(%s, {__index = %s})" % (C, p),
                            "setmetatable(%s, {__index = %s, __newindex = function(t, k, v) rawset(t, k, v) end})" % (C, p),
                            "setmetatable(%s, {__index = %s, __newindex = %s})" % (C, p, p),
                            "setmetatable(%s, nil)" % C])
        if kind == 11:  # __index of the class's metatable: a class there points back at itself
            p = self.ch(lower + ["nil", self.ic_index_fn(C)]) if lower else "nil"
            return ("do local mt = getmetatable(%s); if mt then if rawget(mt, 'cls') then mt.__index = mt "
                    "else mt.__index = %s end end end" % (C, p))
        if kind == 12:  # an object changes class
            q = self.r.randint(0, nc - 1)
            return "setmetatable(%s, %s)" % (obj, M[q] or K[q])
        if kind == 13:  # an object's own field shadows its classes'
            return self.ch(["%s.%s = %s" % (obj, m, self.ic_method("o", m, K)), "%s.%s = nil" % (obj, m),
                            "%s.%s = %s" % (obj, f, self.ch(IC_VALUES)), "%s.%s = nil" % (obj, f)])
        if kind == 14:
            return self.ch(["rawset(%s, '%s', %s)" % (C, m, self.ic_method(C[-2:], m, K)),
                            "rawset(%s, '%s', nil)" % (C, m),
                            "rawset(%s, '%s', %s)" % (C, f, self.ch(IC_VALUES)),
                            "rawset(%s, '__index', %s)" % (C, self.ch(lower + [C]))])
        if kind == 15:  # keys of other types
            n = self.r.randint(1, 40)
            return self.ch(["for q = 1, %d do %s[q] = q end" % (n, C),
                            "for q = 1, %d do %s[q] = nil end" % (n, C),
                            "%s[%d.5] = true" % (C, n), "%s[-%d] = %d" % (C, n, n), "%s[2^53] = 1" % C,
                            "%s[%d.0] = 'f'" % (C, n), "table.insert(%s, %d)" % (C, n),
                            "%s[true] = %d; %s[%s_O] = 1" % (C, n, C, nm)])
        if kind == 16:  # many string keys: the hash part is rebuilt
            n = self.r.randint(4, 120)
            pre = self.ch(["s", "k", "m"])
            return self.ch(["for q = 1, %d do %s['%s' .. q] = q end" % (n, C, pre),
                            "for q = 1, %d do %s['%s' .. q] = nil end" % (n, C, pre)])
        if kind == 17:  # collections, classes dropped and made again
            return self.ch(["collectgarbage()", "collectgarbage('step', 0)",
                            "%s_build(); collectgarbage()" % nm,
                            "%s_drop(); collectgarbage(); %s_build()" % (nm, nm),
                            "do local tmp = {}; for q = 1, 30 do tmp[q] = setmetatable({}, {__index = {m1 = false}}) end end; collectgarbage()"])
        if kind == 18:  # a key only known when the store runs
            k = self.ch(["__index", m, f])
            if k == "__index":
                val = self.ch(lower + [C, "nil", self.ic_index_fn(C)])
            elif k == m:
                val = self.ch([self.ic_method(C[-2:], m, K), "nil"])
            else:
                val = self.ch(IC_VALUES + ["nil"])
            keys = ["__index"] + IC_METHODS + IC_FIELDS
            kexp = self.ch(['"%s"' % k, "%s_KEYS[%d]" % (nm, keys.index(k) + 1), "('%s' .. '')" % k])
            return "do local k = %s; %s[k] = %s end" % (kexp, C, val)
        if kind == 19:  # a loop in the chain, for one read, then the metatable back
            if not lower:
                return "collectgarbage()"
            p = self.ch(lower)
            return ("do local old = getmetatable(%s); setmetatable(%s, {__index = %s}); debug.setmetatable(%s, {__index = %s}); "
                    "local ok, e = pcall(function() return %s.%s end); n = n + 1; acc[n] = 'cyc:' .. tostring(ok); "
                    "setmetatable(%s, old); setmetatable(%s, {__index = %s}) end" % (p, p, C, C, p, obj, self.ch(["zz", "extra"]), p, C, p))
        if kind == 20:  # the change made in a coroutine
            return "coroutine.wrap(function() %s.%s = %s end)()" % (C, m, self.ch([self.ic_method(C[-2:], m, K), "nil"]))
        if kind == 21:  # a new object
            q = self.r.randint(0, nc - 1)
            return "%s = setmetatable({v = %d}, %s)" % (obj, self.r.randint(-5, 9), M[q] or K[q])
        if kind == 22:  # a class takes the method of that name another class gives
            return "%s.%s = %s.%s" % (C, m, self.ch(K), m)
        if kind == 23:  # a field absent everywhere given a value at the top of a hierarchy
            return "%s.%s = %s" % (K[0], self.ch(["zz", "extra"]), self.ch(IC_VALUES))
        return "%s.__index = %s; %s.__index = %s" % (C, self.ch(lower + ["nil"]), C, C)

    def ic_site(self, nm, K):
        """a read or call whose result goes into acc"""
        k = self.r.randint(0, 9)
        m = self.ch(IC_METHODS)
        if k <= 2:
            return "n = n + 1; acc[n] = (o.%s ~= nil) and o:%s(j) or '-'" % (m, m)
        if k == 3:
            return "n = n + 1; acc[n] = type(o.%s)" % m
        if k <= 5:
            return "n = n + 1; acc[n] = S(o.%s)" % self.ch(IC_FIELDS)
        if k == 6:
            return self.ch(["n = n + 1; acc[n] = S(%s.%s)" % (self.ch(K), self.ch(IC_FIELDS)),
                            "n = n + 1; acc[n] = type(%s.%s)" % (self.ch(K), m)])
        if k == 7:
            return "n = n + 1; acc[n] = S(o[%s_KEYS[(i + j) %% #%s_KEYS + 1]])" % (nm, nm)
        if k == 8:
            return "n = n + 1; acc[n] = select(2, pcall(function() return o:%s(i) end))" % m
        return "n = n + 1; acc[n] = select(2, pcall(%s_site, o, j))" % nm

    def snip_classes(self):
        """a class snippet: self.iters is the number of times the driver calls it"""
        nm = self.new_name("ic")
        nc = self.r.randint(2, 6)
        parent, level = [None], [1]
        for k in range(1, nc):
            cands = [q for q in range(k) if level[q] < 4]
            if cands and self.p(0.85):
                par = self.ch(cands)
                parent.append(par)
                level.append(level[par] + 1)
            else:
                parent.append(None)
                level.append(1)
        K = ["%s_K%d" % (nm, k + 1) for k in range(nc)]
        M = ["%s_M%d" % (nm, k + 1) if self.p(0.3) else None for k in range(nc)]
        nobj = self.r.randint(2, 7)
        lines = ["local %s" % ", ".join(K + [x for x in M if x]),
                 "local %s_O, %s_ver = {}, 0" % (nm, nm),
                 "local %s_KEYS = {%s}" % (nm, ", ".join('"%s"' % x for x in ["__index"] + IC_METHODS + IC_FIELDS)),
                 "local function %s_drop() %s = nil; %s_O = {} end" % (nm, ", ".join(K), nm),
                 "local function %s_build()" % nm,
                 "  %s_ver = %s_ver + 1" % (nm, nm),
                 "  local v = %s_ver" % nm]
        for k in range(nc):
            C = K[k]
            lines.append("  %s = {kind = 'K%d', cls = %d}" % (C, k + 1, k + 1))
            lines.append("  %s.__index = %s" % (C, C))
            if parent[k] is not None:
                P = K[parent[k]]
                lines.append("  " + self.ch(["setmetatable(%s, {__index = %s})" % (C, P),
                                             "setmetatable(%s, {__index = %s})" % (C, P),
                                             "setmetatable(%s, %s)" % (C, P)]))
            for m in sorted(set(self.ch(IC_METHODS) for _ in range(self.r.randint(0, 4)))):
                if self.p(0.6):
                    lines.append('  function %s.%s(self, x) return "K%d.%s/" .. v .. ":" .. (self.v + x) end' % (
                        C, m, k + 1, m if len(m) < 8 else "L"))
                else:
                    lines.append("  %s.%s = %s" % (C, m, self.ic_method("K%d" % (k + 1), m, K)))
            if self.p(0.3):
                lines.append("  %s.n = %s" % (C, self.ch(IC_VALUES)))
            if M[k]:
                lines.append("  %s = {__index = %s}" % (M[k], C))
        lines.append("  %s_O = {}" % nm)
        for q in range(nobj):
            k = self.r.randint(0, nc - 1)
            lines.append("  %s_O[%d] = setmetatable({v = %d}, %s)" % (nm, q + 1, self.r.randint(-5, 9), M[k] or K[k]))
        lines.append("end")
        lines.append("%s_build()" % nm)
        site_m = self.ch(IC_METHODS)
        lines.append("local function %s_site(o, x) return o:%s(x), o.%s end" % (nm, site_m, self.ch(IC_FIELDS)))

        # the loop: sites, and changes at chosen (i, j); mutations before the loop at chosen i
        nj = self.r.randint(3, 10)
        body = [self.ic_site(nm, K) for _ in range(self.r.randint(2, 5))]
        pre = []
        for _ in range(self.r.randint(3, 12)):
            mut = self.ic_mutation(nm, K, M, nobj)
            ki = self.r.randint(1, self.iters)
            cond = self.r.randint(0, 5)
            if cond == 0:
                pre.append("  if i == %d then %s end" % (ki, mut))
                continue
            j = self.r.randint(1, nj)
            if cond <= 2:
                c = "i == %d and j == %d" % (ki, j)
            elif cond == 3:
                per = self.r.randint(2, 25)
                c = "i %% %d == %d and j == %d" % (per, self.r.randint(0, per - 1), j)
            elif cond == 4:
                c = "i == %d" % ki
            else:
                c = "j == %d and i > %d" % (j, ki)
            body.insert(self.r.randint(0, len(body)), "if %s then %s end" % (c, mut))
        lines += ["local function %s(i, a, b)" % nm,
                  "  local acc, n = {}, 0"]
        lines += pre
        lines += ["  for j = 1, %d do" % nj,
                  "    local o = %s_O[(i * %d + j) %% #%s_O + 1]" % (nm, self.r.randint(1, 5), nm)]
        lines += ["    " + s for s in body]
        lines += ["  end",
                  "  return table.concat(acc, ' ')",
                  "end"]
        return nm, lines

    def class_program(self):
        """the program of a class seed: class snippets among the other kinds"""
        iters = self.iters = self.r.randint(50, 300)
        out = [PRELUDE]
        out += self.values_fn(iters)
        snippets = [self.snip_arith, self.snip_for, self.snip_while, self.snip_table, self.snip_closure,
                    self.snip_calls, self.snip_meta, self.snip_err, self.snip_str, self.snip_co]
        kinds = [self.snip_classes] * self.r.randint(1, 3) + [self.ch(snippets) for _ in range(self.r.randint(0, 3))]
        return self.drive(out, kinds, iters, ("ic",))

    # ---------------------------------------------------------------- recursion
    # A recursion snippet defines functions that call themselves (or another closure of their
    # prototype, or each other) and a driver the main loop calls at every iteration. Their
    # returns give 0, 1, 2, 3 or a variable number of values, mixed within one function; call
    # sites want more or fewer results than some returns give; self tail calls pass fewer,
    # exactly as many or more arguments than the parameters, fixed or from a call's results.
    # Depths stay in the hundreds and calls per snippet under ~150000.

    def rc_num(self, cx, d=0):
        """an integer expression (never an error): the depth n, other values through RI"""
        r = self.r.random()
        if d >= 2 or r < 0.45:
            v = self.ch(cx["nums"])
            if v == "n" or v.startswith("#"):
                return v.lstrip("#")
            return "RI(%s)" % v
        if r < 0.55:
            return str(self.r.randint(-9, 30))
        if r < 0.85:
            return "(%s %s %s)" % (self.rc_num(cx, d + 1), self.ch(["+", "-", "*", "+"]), self.rc_num(cx, d + 1))
        if r < 0.95:
            return "(%s %% %d)" % (self.rc_num(cx, d + 1), self.r.randint(2, 9))
        return "(%s // %d)" % (self.rc_num(cx, d + 1), self.r.randint(1, 5))

    def rc_val(self, cx):
        """any value: mostly an integer, else a value passed through unchanged"""
        if self.p(0.7) or not cx["pays"]:
            return self.rc_num(cx)
        if self.p(0.7):
            return self.ch(cx["pays"])
        return self.ch(["'s'", "nil", "true", "{tag = 'R'}", "1.5", "false"])

    def rc_args(self, cx, callee=None):
        """the argument list of a recursive call: fewer, exactly as many or more than the parameters"""
        P = cx["P"]
        dec = self.ch(["n - 1", "n - 1", "n - 2"])
        shape = self.r.randint(0, 4)
        if shape == 0:
            nrest = self.r.randint(0, max(P - 2, 0))
        elif shape == 1:
            nrest = P - 1
        elif shape == 2:
            nrest = P - 1 + self.r.randint(1, 3)
        else:
            nrest = self.r.randint(0, P - 1)
        rest = [self.rc_val(cx) for _ in range(nrest)]
        if shape >= 3:   # the last argument gives a variable number of values
            tails = ["RG(%s)" % self.rc_num(cx), "RG(n)", "table.unpack({%s, %s}, 1, n %% 3)" % (self.rc_val(cx), self.rc_num(cx)),
                     "select(2, RC(RG(n)))"]
            if cx["vararg"]:
                tails += ["...", "select(2, ...)"]
            rest.append(self.ch(tails))
        elif cx["vararg"] and self.p(0.25):
            rest.append("...")
        return "%s(%s)" % (callee or self.rc_callee(cx), ", ".join([dec] + rest))

    def rc_callee(self, cx):
        cs = cx["callees"]
        return cs[0] if len(cs) == 1 or self.p(0.6) else self.ch(cs[1:])

    def rc_ret(self, cx, rec_ok, kmin, only_rec=False):
        """a return statement; its every value count >= kmin unless kmin is 0"""
        V, N = (lambda: self.rc_val(cx)), (lambda: self.rc_num(cx))
        opts = [(0, lambda: "return"),
                (1, lambda: "return %s" % V()),
                (2, lambda: "return %s, %s" % (V(), V())),
                (3, lambda: "return %s, %s, %s" % (V(), V(), V())),
                (4, lambda: "return %s, %s, %s, %s" % (V(), V(), V(), V())),
                (1, lambda: "return %s, RG(%s)" % (V(), N())),
                (2, lambda: "return %s, %s, RG(%s)" % (V(), V(), N())),
                (0, lambda: "return RG(%s)" % N()),
                (0, lambda: "return table.unpack({%s, %s, %s}, 1, %s %% 4)" % (V(), V(), V(), N())),
                (2, lambda: "return table.unpack({%s, %s})" % (N(), N())),
                (3, lambda: "return table.unpack({%s, %s, %s}, 1, 3)" % (V(), V(), V()))]
        if cx["vararg"]:
            opts += [(0, lambda: "return ..."), (1, lambda: "return %s, ..." % V()),
                     (0, lambda: "return select(2, ...)"), (2, lambda: "return %s, %s, ..." % (V(), V())),
                     (1, lambda: "return select('#', ...), ...")]
        if rec_ok:
            opts += [(-1, lambda: "return %s" % self.rc_args(cx)),
                     (-1, lambda: "return %s" % self.rc_args(cx, cx["callees"][0])),
                     (-1, lambda: "return %s" % self.rc_args(cx)),
                     (1, lambda: "return (%s)" % self.rc_args(cx)),
                     (-1, lambda: "return %s, %s" % (V(), self.rc_args(cx))),
                     (2, lambda: "return %s, %s" % (self.rc_args(cx), V())),
                     (-1, lambda: "return RC(%s)" % self.rc_args(cx))]
            if only_rec:
                opts = opts[-7:]
        opts = [g for (m, g) in opts if m < 0 or m >= kmin]
        return self.ch(opts)()

    def rc_err(self):
        return self.ch(["error({tag = 'bot' .. n})", "error('bottom')", "error('bottom' .. n, 0)", "error(n)",
                        "local z = nil; return z.f", "error()", "error(setmetatable({tag = 'M'}, {}))"])

    def rc_use(self, cx, kmin, pcalls):
        """the main recursive call and what takes its results: (lines, names of the results)"""
        k = kmin or self.r.randint(1, 4)
        names = ["r%d" % q for q in range(1, k + 1)]
        call = self.rc_args(cx)
        if pcalls and self.p(0.6):
            callee, args = call.split("(", 1)
            lines = ["local ok, %s = pcall(%s, %s" % (", ".join(names), callee, args)]
            if self.p(0.6):
                lines.append("if not ok then return %s end" % ", ".join(["E(r1)"] + ["n"] * max(kmin, self.r.randint(0, 2))))
            return lines, names + ["ok"]
        if kmin:
            return ["local %s = %s" % (", ".join(names), call)], names
        form = self.r.randint(0, 8)
        if form <= 1:
            return ["local %s = %s" % (", ".join(names), call)], names
        if form == 2:
            return ["local r1, r2, r3 = RC(%s)" % call], ["r1", "r2", "r3"]
        if form == 3:
            return ["local t = {%s}" % call, "local r1, r2, r3 = t[1], t[2], t[3]"], ["r1", "r2", "r3"]
        if form == 4:
            return ["local t = table.pack(%s)" % call, "local r1, r2, r3 = t.n, t[1], t[t.n]"], ["r1", "r2", "r3"]
        if form == 5:
            return ["local r1 = RI((%s)) + n" % call], ["r1"]
        if form == 6:
            return ["local r1, r2 = %s, n" % call], ["r1", "r2"]
        if form == 7:
            return ["local r1, r2, r3 = select(2, %s)" % call], ["r1", "r2", "r3"]
        return ["local r1, r2 = n, select('#', %s)" % call], ["r1", "r2"]

    def rc_fn(self, header, cx, atleast=None, errmode=False, pcalls=False, tailish=False, pre=()):
        """one recursive function; header its first line (parameters cx['params'])"""
        kmin = self.r.randint(1, 4) if (atleast if atleast is not None else self.p(0.5)) else 0
        lines = [header] + ["  " + s for s in pre]
        base = self.rc_ret(cx, False, kmin)
        if errmode and self.p(0.7):
            p2 = cx["params"][1] if cx["P"] >= 2 else "n"
            cond = self.ch(["true", "RI(%s) %% 3 == 0" % p2, "n == 0", "RI(%s) > 5" % p2])
            lines.append("  if n <= 0 then if %s then %s end %s end" % (cond, self.rc_err(), base))
        else:
            lines.append("  if n <= 0 then %s end" % base)
        for _ in range(self.r.randint(0, 2)):
            m = self.r.randint(2, 7)
            p2 = cx["params"][1] if cx["P"] >= 2 else "n"
            # a frequent condition recurses (the depths stay), a rare one may return at once
            ck = self.r.randint(0, 3)
            cond = ["n %% %d == %d" % (m, self.r.randint(0, m - 1)), "n == %d" % self.r.randint(1, 20),
                    "RI(%s) %% %d == 0" % (p2, m), "n %% %d ~= 0" % m if tailish else "n < %d" % self.r.randint(2, 6)][ck]
            if tailish or self.p(0.5):
                lines.append("  if %s then %s end" % (cond, self.rc_ret(cx, True, kmin, only_rec=ck in (0, 2) or tailish)))
            else:
                j = self.r.randint(1, 4)
                qs = ["q%d" % q for q in range(1, j + 1)]
                sub = dict(cx, nums=cx["nums"] + qs, pays=cx["pays"] + qs)
                lines.append("  if %s then local %s = %s; %s end" % (cond, ", ".join(qs), self.rc_args(cx),
                                                                     self.rc_ret(sub, False, kmin)))
        if tailish or self.p(0.2):
            lines.append("  return %s" % self.rc_args(cx))
        else:
            use, names = self.rc_use(cx, kmin if self.p(0.8) else 0, pcalls)
            lines += ["  " + s for s in use]
            sub = dict(cx, nums=cx["nums"] + names, pays=cx["pays"] + names)
            lines.append("  " + self.rc_ret(sub, False, kmin))
        lines.append("end")
        return lines

    def rc_cx(self, params, vararg, callees, nums=(), pays=()):
        return {"params": params, "P": len(params), "vararg": vararg, "callees": callees,
                "nums": ["n"] + params[1:] + list(nums), "pays": params[1:] + list(pays)}

    def rc_params(self):
        return ["n", "x", "y", "z"][:self.r.randint(1, 4)]

    def rc_driver(self, nm, F, P, vararg, cap, pre=(), post=()):
        """the function the main loop calls: two calls of F at depths from i (sometimes deep)"""
        D = self.r.randint(3, min(60, cap))
        big = self.r.randint(min(100, cap), cap)
        per = self.r.randint(7, 40)
        args = lambda: ", ".join(self.ch(["i", "a", "b", "i * 2", "nil", "'p'", "-i", "{tag = 'A'}"])
                                 for _ in range(self.r.randint(0, P + 1)))
        a1, a2 = args(), args()
        lines = ["local function %s(i, a, b)" % nm,
                 "  local d = (i * %d) %% %d" % (self.r.randint(1, 9), D),
                 "  if i %% %d == %d then d = %d end" % (per, self.r.randint(0, per - 1), big)]
        lines += ["  " + s for s in pre]
        lines += ["  local t = table.pack(%s(d%s))" % (F, ", " + a1 if a1 else ""),
                  "  local t2 = table.pack(pcall(%s, d %% %d%s))" % (F, self.r.randint(2, 9), ", " + a2 if a2 else "")]
        lines += ["  " + s for s in post]
        lines += ["  return t.n, t[1], t[2], t[3], t[t.n], t2.n, t2[1], E(t2[2]), t2[3], t2[t2.n]",
                  "end"]
        return lines

    def snip_rec(self):
        nm = self.new_name("rc")
        kind = self.ch(["multi", "multi", "multi", "tail", "tail", "vararg", "pcall", "factory", "factory",
                        "mutual", "replace", "replace", "small", "small"])
        F = nm + "_f"
        if kind in ("multi", "tail", "vararg", "pcall"):
            vararg = kind == "vararg" or (kind == "multi" and self.p(0.2))
            params = self.rc_params()
            cx = self.rc_cx(params, vararg, [F])
            pcalls = kind == "pcall" or (kind == "multi" and self.p(0.15))
            lines = self.rc_fn("local function %s(%s)" % (F, ", ".join(params + (["..."] if vararg else []))), cx,
                               errmode=pcalls or self.p(0.15), pcalls=pcalls, tailish=kind == "tail")
            cap = 40 if vararg else (120 if pcalls else 300)
            return nm, lines + self.rc_driver(nm, F, len(params), vararg, cap)
        if kind == "factory":
            # closures of one prototype (a factory's) call and tail-call each other
            params = self.rc_params()
            vararg = self.p(0.2)
            cx = self.rc_cx(params, vararg, ["f", "other", "other"], nums=["#k"], pays=["tag"])
            nclo = self.r.randint(2, 4)
            lines = ["local function %s_mk(tag, k)" % nm, "  local other"]
            lines += ["  " + s for s in self.rc_fn("local function f(%s)" % ", ".join(params + (["..."] if vararg else [])), cx,
                                                   errmode=self.p(0.15), tailish=self.p(0.3))]
            lines += ["  return f, function(o) other = o end", "end"]
            C = ["%s_c%d" % (nm, q) for q in range(1, nclo + 1)]
            for q, c in enumerate(C):
                lines.append("local %s, %s_set = %s_mk('%s', %d)" % (c, c, nm, "ABCD"[q], q + 1))
            link = lambda: [("%s_set(%s)" % (c, self.ch(C) if self.p(0.3) else C[(q + 1) % nclo])) for q, c in enumerate(C)]
            lines += link()
            pre = ["if i == %d then %s end" % (self.r.randint(1, self.iters), "; ".join(link())) for _ in range(self.r.randint(0, 2))]
            cap = 40 if vararg else 300
            return nm, lines + self.rc_driver(nm, self.ch(C), len(params), vararg, cap, pre=pre)
        if kind == "mutual":
            nfn = self.r.randint(2, 3)
            Fs = ["%s_%s" % (nm, "fgh"[q]) for q in range(nfn)]
            params = self.rc_params()
            vararg = self.p(0.2)
            lines = ["local %s" % ", ".join(Fs)]
            for q, f in enumerate(Fs):
                cx = self.rc_cx(params, vararg, [Fs[(q + 1) % nfn]] + Fs)
                lines += self.rc_fn("%s = function(%s)" % (f, ", ".join(params + (["..."] if vararg else []))), cx,
                                    errmode=self.p(0.1), tailish=self.p(0.25))
            return nm, lines + self.rc_driver(nm, Fs[0], len(params), vararg, 40 if vararg else 300)
        if kind == "replace":
            # the upvalue holding the function is given other functions, between calls and mid-recursion
            params = self.rc_params()
            cx = self.rc_cx(params, False, [F])
            lines = ["local %s_swap, %s_alt = false, nil" % (nm, nm)]
            lines += self.rc_fn("local function %s(%s)" % (F, ", ".join(params)), cx, errmode=self.p(0.1),
                                tailish=self.p(0.3), pre=["if %s_swap and n == %d then %s_swap = false; %s = %s_alt end" % (
                                    nm, self.r.randint(1, 6), nm, F, nm)])
            altk = self.r.randint(0, 2)
            if altk == 0:
                lines.append("function %s_alt(n, ...) return 'alt', n, select('#', ...), ... end" % nm)
            elif altk == 1:   # another recursive function, that recurses through the replaced upvalue
                cx2 = self.rc_cx(params, False, [F, nm + "_alt"])
                lines += self.rc_fn("function %s_alt(%s)" % (nm, ", ".join(params)), cx2, errmode=False)
            else:
                cx2 = self.rc_cx(params, False, [nm + "_alt"])
                lines += self.rc_fn("function %s_alt(%s)" % (nm, ", ".join(params)), cx2, errmode=False)
            lines.append("local %s_orig = %s" % (nm, F))
            k1 = self.r.randint(1, self.iters)
            k2 = self.r.randint(k1, self.iters + 20)
            per = self.r.randint(3, 17)
            pre = ["%s = (i >= %d and i < %d) and %s_alt or %s_orig" % (F, k1, k2, nm, nm),
                   "%s_swap = i %% %d == 0" % (nm, per)]
            post = ["%s = %s_orig" % (F, nm)] if self.p(0.5) else []
            return nm, lines + self.rc_driver(nm, F, len(params), False, 300, pre=pre, post=post)
        return self.rc_small(nm, F)

    def rc_small(self, nm, F):
        """small recursive functions (inlined a level at their self calls)"""
        k = self.r.randint(0, 4)
        if k == 0:   # fib-like, two self calls wanting 1-3 results
            base = self.ch(["n", "n, 1", "n, 1, 0", "", "n, RG(n)", "table.unpack({n, 1}, 1, n + 1)"])
            want = self.r.randint(1, 3)
            a = ["a%d" % q for q in range(want)]
            b = ["b%d" % q for q in range(want)]
            fin = self.ch(["RI(a0) + RI(b0), RI(%s) + RI(%s) + 1" % (a[-1], b[-1]), "RI(a0) + RI(b0)",
                           "RI(a0) + RI(b0), %s, %s" % (a[-1], b[0]), "RI(a0) + RI(b0), RG(n)"])
            lines = ["local function %s(n)" % F,
                     "  if n < 2 then return %s end" % base,
                     "  local %s = %s(n - 1)" % (", ".join(a), F),
                     "  local %s = %s(n - %d)" % (", ".join(b), F, self.r.randint(2, 3)),
                     "  return %s" % fin,
                     "end",
                     "local function %s(i, a, b)" % nm,
                     "  local t = table.pack(%s(i %% %d))" % (F, self.r.randint(5, 12)),
                     "  return t.n, t[1], t[2], t[3], {%s(i %% 6)}, select('#', %s(i %% 4))" % (F, F),
                     "end"]
            lines[-2] = "  local u = {%s(i %% 6)}; return t.n, t[1], t[2], t[3], u[1], u[2], select('#', %s(i %% 4))" % (F, F)
            return nm, lines
        if k == 1:   # accumulating tail calls with fewer, exact, more arguments
            tl = self.ch(["return %s(n - 1, acc + n)", "return %s(n - 1, acc + n, n)", "return %s(n - 1, RI(acc) + n, n, acc, 'x')",
                          "return %s(n - 1, RG(n))", "return %s(n - 1)", "return %s(n - 1, acc + n, RG(n))"])
            lines = ["local function %s(n, acc, c)" % F,
                     "  if n <= 0 then return %s end" % self.ch(["acc", "acc, c", "acc, c, n", "RI(acc) + RI(c)"]),
                     "  acc = RI(acc)",
                     "  if n %% %d == 0 then %s end" % (self.r.randint(2, 5), tl % F),
                     "  " + self.ch(["return %s(n - 1, acc + 2 * n, RI(c) + 1)", "return %s(n - 1, acc * 3 %% 1000003, c)",
                                     "return %s(n - 1, acc + 1, c, n, n)"]) % F,
                     "end",
                     "local function %s(i, a, b)" % nm,
                     "  local d = i %% %d == 0 and %d or i %% %d" % (self.r.randint(5, 30), self.r.randint(100, 400), self.r.randint(5, 60)),
                     "  return %s(d, %s), %s(d, i, %s)" % (F, self.ch(["0", "i", "a", "nil"]), F, self.ch(["0", "b", "nil", "1, 2, 3"])),
                     "end"]
            return nm, lines
        if k == 2:   # ackermann-like: a self call's results as the last argument of a self tail call
            r1 = self.ch(["n + 1", "n + 1, m", "n + 1, RG(n)", "n + 1, n, m"])
            lines = ["local function %s(m, n)" % F,
                     "  n = RI(n)",
                     "  if m == 0 then return %s end" % r1,
                     "  if n == 0 then return %s(m - 1, 1%s) end" % (F, self.ch(["", ", 7", ", RG(m)"])),
                     "  return %s(m - 1, %s(m, n - 1))" % (F, F),
                     "end",
                     "local function %s(i, a, b)" % nm,
                     "  local t = table.pack(%s(i %% 3, i %% 6))" % F,
                     "  return t.n, t[1], t[2], t[3], (%s(1, i %% 20))" % F,
                     "end"]
            return nm, lines
        if k == 3:   # gcd-like, 1-3 results
            lines = ["local function %s(a, b, c)" % F,
                     "  if b == 0 then return %s end" % self.ch(["a", "a, RI(c)", "a, c, b", "a, RG(a)"]),
                     "  %s" % self.ch(["return %s(b, a %% b, RI(c) + 1)", "return %s(b, a %% b)", "local g, s = %s(b, a %% b, c); return g, RI(s) + 1",
                                       "return %s(b, a %% b, RI(c) + 1, a)"]) % F,
                     "end",
                     "local function %s(i, a, b)" % nm,
                     "  return %s(i * %d + 1, i * %d + 3, 0)" % (F, self.r.randint(2, 50), self.r.randint(2, 50)),
                     "end"]
            return nm, lines
        # a tree walk: recursion in a loop, two results per node (or fewer at leaves)
        lines = ["local function %s_tree(n, w)" % nm,
                 "  if n <= 0 then return n + w end",
                 "  local t = {}",
                 "  for q = 1, w do t[q] = %s_tree(n - q, w) end" % nm,
                 "  return t",
                 "end",
                 "local function %s(t)" % F,
                 "  if type(t) ~= 'table' then return %s end" % self.ch(["RI(t), 1", "RI(t)", "RI(t), 1, 0", "RG(RI(t))"]),
                 "  local s, c = 0, 0",
                 "  for q = 1, #t do local x, y = %s(t[q]); s = s + RI(x); c = c + RI(y) end" % F,
                 "  return s, c + 1",
                 "end",
                 "local %s_trees = {}" % nm,
                 "for w = 1, 3 do %s_trees[w] = %s_tree(%d, w) end" % (nm, nm, self.r.randint(3, 5)),
                 "local function %s(i, a, b)" % nm,
                 "  return %s(%s_trees[i %% 3 + 1])" % (F, nm),
                 "end"]
        return nm, lines

    def rec_program(self):
        """the program of a recursion seed: recursion snippets among a few other kinds"""
        iters = self.iters = self.r.randint(50, 300)
        out = [PRELUDE, REC_HELPERS]
        out += self.values_fn(iters)
        snippets = [self.snip_arith, self.snip_for, self.snip_table, self.snip_closure,
                    self.snip_calls, self.snip_meta, self.snip_err, self.snip_co, self.snip_classes]
        kinds = [self.snip_rec] * self.r.randint(1, 4) + [self.ch(snippets) for _ in range(self.r.randint(0, 2))]
        return self.drive(out, kinds, iters, ("ic", "rc"))

    def drive(self, out, kinds, iters, always):
        """the snippets of kinds in a shuffled order, then the loop that calls each of them
        every iteration and prints its results (always for names starting with one of always)"""
        self.r.shuffle(kinds)
        names = []
        for mk in kinds:
            nm, lines = mk()
            out += lines
            names.append(nm)
        every = self.ch([1, 3, 7])
        out.append("for i = 1, %d do" % iters)
        for k, nm in enumerate(names):
            out.append("  local a%d, b%d = V(i, %d), V(i, %d)" % (k, k, 2 * k, 2 * k + 1))
            out.append("  do local r = table.pack(pcall(%s, i, a%d, b%d))" % (nm, k, k))
            cond = "true" if nm[:2] in always else "i %% %d == 0 or i > %d or not r[1]" % (every, iters - 5)
            out.append("    if %s then R('%s ' .. i, table.unpack(r, 1, r.n)) end end" % (cond, nm))
        out.append("end")
        return "\n".join(out) + "\n"

    # ---------------------------------------------------------------- program
    def values_fn(self, iters):
        """value picker: int phase, float phase, string/mixed phase"""
        ints = [self.const("i") for _ in range(4)] + [str(self.r.randint(-9, 9)) for _ in range(3)]
        flts = [self.const("f") for _ in range(4)] + [repr(self.r.randint(-40, 40) / 4.0) for _ in range(3)]
        strs = [self.const("s") for _ in range(3)] + ['"%d"' % self.r.randint(-9, 9), '"%s"' % repr(self.r.randint(-40, 40) / 4.0)]
        mixed = ints[:2] + flts[:2] + strs[:2] + ["nil", "true"] if self.p(0.5) else ints[:2] + flts[:2]
        p1 = iters // 3 if self.p(0.7) else iters // 2
        p2 = 2 * iters // 3 if self.p(0.7) else iters - 10
        lines = ["local VI = {%s}" % ", ".join(ints),
                 "local VF = {%s}" % ", ".join(flts),
                 "local VS = {%s}" % ", ".join(strs),
                 "local VM = {%s}" % ", ".join(mixed),
                 "local function V(i, k)",
                 "  local pool",
                 "  if i <= %d then pool = VI elseif i <= %d then pool = VF elseif i <= %d then pool = VS else pool = VM end" % (p1, p2, p2 + (iters - p2) // 2),
                 "  return pool[(i * %d + k * %d) %% #pool + 1]" % (self.r.randint(1, 7), self.r.randint(1, 5)),
                 "end"]
        return lines

    def program(self):
        if self.recursion:
            return self.rec_program()
        if self.classes:
            return self.class_program()
        iters = self.r.randint(50, 250)
        out = [PRELUDE]
        out += self.values_fn(iters)
        snippets = [self.snip_arith, self.snip_arith, self.snip_arith, self.snip_for, self.snip_for,
                    self.snip_while, self.snip_table, self.snip_closure, self.snip_calls, self.snip_calls,
                    self.snip_meta, self.snip_err, self.snip_str, self.snip_co]
        names = []
        nsn = self.r.randint(3, 7)
        for _ in range(nsn):
            nm, lines = self.ch(snippets)()
            out += lines
            names.append(nm)
        # driver
        every = self.ch([1, 1, 3, 7])
        out.append("for i = 1, %d do" % iters)
        for k, nm in enumerate(names):
            fixed = self.p(0.25)
            if fixed:
                a = self.const("if")
                b = self.const("if")
                out.append("  local a%d, b%d = %s, %s" % (k, k, a, b))
            else:
                out.append("  local a%d, b%d = V(i, %d), V(i, %d)" % (k, k, 2 * k, 2 * k + 1))
            out.append("  do local r = table.pack(pcall(%s, i, a%d, b%d))" % (nm, k, k))
            out.append("    if i %% %d == 0 or i > %d or not r[1] then R('%s ' .. i, table.unpack(r, 1, r.n)) end end" % (every, iters - 5, nm))
        out.append("end")
        if self.p(0.1):
            out.append(self.ch(["error('final')", "error({})", "local x = nil + 1", "error(setmetatable({}, {__tostring = function() return 'custom' end}))",
                                "os.exit(3)"]))
        return "\n".join(out) + "\n"


def generate(seed):
    return Gen(seed, classes=seed >= CLASS_SEED, recursion=seed >= RECURSION_SEED).program()


if __name__ == "__main__":
    sys.stdout.write(generate(int(sys.argv[1])))
