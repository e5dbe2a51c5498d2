-- a tiny interpreter: arithmetic expressions, variables, functions; parse to AST then evaluate
local function lex(src)
  local toks, pos = {}, 1
  while true do
    pos = src:find("%S", pos)
    if not pos then break end
    local num = src:match("^%d+%.?%d*", pos)
    if num then toks[#toks + 1] = {t = "num", v = tonumber(num)}; pos = pos + #num
    else
      local id = src:match("^[%a_][%w_]*", pos)
      if id then toks[#toks + 1] = {t = "id", v = id}; pos = pos + #id
      else
        local op = src:match("^[%+%-%*/%%%^%(%)=,;]", pos)
        if not op then error("lex error at " .. pos .. ": '" .. src:sub(pos, pos) .. "'", 0) end
        toks[#toks + 1] = {t = op}; pos = pos + 1
      end
    end
  end
  toks[#toks + 1] = {t = "eof"}
  return toks
end

local function parse(src)
  local toks, i = lex(src), 1
  local function peek() return toks[i].t end
  local function take(t)
    if toks[i].t ~= t then error("parse error: expected '" .. t .. "' got '" .. toks[i].t .. "'", 0) end
    i = i + 1
    return toks[i - 1]
  end
  local expr
  local function primary()
    local tk = toks[i]
    if tk.t == "num" then i = i + 1; return {k = "num", v = tk.v}
    elseif tk.t == "id" then
      i = i + 1
      if peek() == "(" then
        i = i + 1
        local args = {}
        if peek() ~= ")" then
          repeat args[#args + 1] = expr() until peek() ~= "," or not take(",")
        end
        take(")")
        return {k = "call", name = tk.v, args = args}
      end
      return {k = "var", name = tk.v}
    elseif tk.t == "(" then i = i + 1; local e = expr(); take(")"); return e
    elseif tk.t == "-" then i = i + 1; return {k = "neg", e = primary()}
    end
    error("parse error: unexpected '" .. tk.t .. "'", 0)
  end
  local function power()
    local base = primary()
    if peek() == "^" then i = i + 1; return {k = "bin", op = "^", l = base, r = power()} end
    return base
  end
  local function term()
    local l = power()
    while peek() == "*" or peek() == "/" or peek() == "%" do
      local op = take(peek()).t
      l = {k = "bin", op = op, l = l, r = power()}
    end
    return l
  end
  function expr()
    local l = term()
    while peek() == "+" or peek() == "-" do
      local op = take(peek()).t
      l = {k = "bin", op = op, l = l, r = term()}
    end
    return l
  end
  local stmts = {}
  while peek() ~= "eof" do
    if toks[i].t == "id" and toks[i + 1].t == "=" then
      local name = take("id").v; take("=")
      stmts[#stmts + 1] = {k = "assign", name = name, e = expr()}
    else
      stmts[#stmts + 1] = {k = "print", e = expr()}
    end
    if peek() == ";" then i = i + 1 end
  end
  return stmts
end

local function show(n)
  if n.k == "num" then return tostring(n.v)
  elseif n.k == "var" then return n.name
  elseif n.k == "neg" then return "(-" .. show(n.e) .. ")"
  elseif n.k == "call" then
    local a = {}
    for j, x in ipairs(n.args) do a[j] = show(x) end
    return n.name .. "(" .. table.concat(a, ", ") .. ")"
  end
  return "(" .. show(n.l) .. " " .. n.op .. " " .. show(n.r) .. ")"
end

local builtins = {
  max = math.max, min = math.min, sqrt = math.sqrt, abs = math.abs,
  sum = function(...) local s = 0 for _, v in ipairs({...}) do s = s + v end return s end,
}
local ops = {
  ["+"] = function(a, b) return a + b end, ["-"] = function(a, b) return a - b end,
  ["*"] = function(a, b) return a * b end, ["/"] = function(a, b) return a / b end,
  ["%"] = function(a, b) return a % b end, ["^"] = function(a, b) return a ^ b end,
}
local function eval(n, env)
  if n.k == "num" then return n.v
  elseif n.k == "var" then
    local v = env[n.name]
    if v == nil then error("undefined variable '" .. n.name .. "'", 0) end
    return v
  elseif n.k == "neg" then return -eval(n.e, env)
  elseif n.k == "call" then
    local f = builtins[n.name] or error("unknown function '" .. n.name .. "'", 0)
    local args = {}
    for j, x in ipairs(n.args) do args[j] = eval(x, env) end
    return f(table.unpack(args))
  end
  return ops[n.op](eval(n.l, env), eval(n.r, env))
end

local function run(src)
  local env, out = {}, {}
  for _, s in ipairs(parse(src)) do
    if s.k == "assign" then env[s.name] = eval(s.e, env)
    else out[#out + 1] = show(s.e) .. " => " .. tostring(eval(s.e, env)) end
  end
  return table.concat(out, "\n")
end

print(run("1 + 2 * 3; (1 + 2) * 3; 2 ^ 3 ^ 2; -2 ^ 2; 7 % 3; 7 / 2; 10 - 4 - 3"))
print(run("x = 4; y = x * x + 1; y; sqrt(x) + max(1, y, 3); sum(1, 2, 3, x)"))
print(run("a = 10; b = 3; a % b; a / b; -a % b; abs(-a) + min(a, b)"))
print(run("r = 2.5; pi = 3.14159; pi * r ^ 2"))
for _, bad in ipairs({"1 +", "(1 + 2", "foo(1)", "x + 1", "1 $ 2", "max(1,", "= 3"}) do
  print(string.format("%-8s", bad), pcall(run, bad))
end
print("done")
