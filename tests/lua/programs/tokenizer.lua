-- a tokenizer for a small C-like language using string patterns
local keywords = {["if"] = true, ["else"] = true, ["while"] = true, ["return"] = true, ["fn"] = true, ["let"] = true}
local rules = {
  {"ws", "^%s+"},
  {"comment", "^//[^\n]*"},
  {"number", "^0[xX]%x+"},
  {"number", "^%d+%.%d+[eE][-+]?%d+"},
  {"number", "^%d+%.%d+"},
  {"number", "^%d+[eE][-+]?%d+"},
  {"number", "^%d+"},
  {"string", function(src, pos)   -- patterns cannot repeat groups: scan escapes by hand
    if src:sub(pos, pos) ~= '"' then return nil end
    local i = pos + 1
    while i <= #src do
      local c = src:sub(i, i)
      if c == "\\" then i = i + 2
      elseif c == '"' then return pos, i
      else i = i + 1 end
    end
    return nil
  end},
  {"ident", "^[%a_][%w_]*"},
  {"op", "^[=!<>]="},
  {"op", "^&&"}, {"op", "^||"}, {"op", "^%->"},
  {"op", "^[-+*/%%=<>!;,(){}%[%]]"},
}

local function tokenize(src)
  local tokens, pos, line = {}, 1, 1
  while pos <= #src do
    local matched = false
    for _, rule in ipairs(rules) do
      local kind, pat = rule[1], rule[2]
      local s, e
      if type(pat) == "function" then s, e = pat(src, pos) else s, e = src:find(pat, pos) end
      if s then
        local text = src:sub(s, e)
        if kind == "ident" and keywords[text] then kind = "kw" end
        if kind ~= "ws" and kind ~= "comment" then
          tokens[#tokens + 1] = {kind = kind, text = text, line = line}
        end
        local _, nl = text:gsub("\n", "")
        line = line + nl
        pos = e + 1
        matched = true
        break
      end
    end
    if not matched then
      error(string.format("line %d: unexpected character %q", line, src:sub(pos, pos)), 0)
    end
  end
  return tokens
end

local program = [[
// compute things
fn fact(n) {
  if n <= 1 { return 1; } else { return n * fact(n - 1); }
}
let x = 0x1F + 3.25 * 2e3 - 1.5e-2;
let s = "say \"hi\"\n";
while x != 0 && !done || x >= 10 { x = x - 1; }
let arr = [1, 2, 3] -> map;
]]

local toks = tokenize(program)
print("token count", #toks)
local bykind = {}
for _, t in ipairs(toks) do bykind[t.kind] = (bykind[t.kind] or 0) + 1 end
local kinds = {}
for k, n in pairs(bykind) do kinds[#kinds + 1] = k .. "=" .. n end
table.sort(kinds)
print(table.concat(kinds, " "))
for i = 1, 12 do io.write(toks[i].kind, ":", toks[i].text, " ") end
print()
local lines = {}
for _, t in ipairs(toks) do if t.kind == "number" or t.kind == "string" then lines[#lines + 1] = t.line .. ":" .. t.text end end
print(table.concat(lines, " | "))
local ops = {}
for _, t in ipairs(toks) do if t.kind == "op" and #t.text == 2 then ops[#ops + 1] = t.text end end
print(table.concat(ops, " "))
print(toks[#toks].line, toks[#toks].text)

-- numbers converted with tonumber agree with Lua's own parsing
local vals = {}
for _, t in ipairs(toks) do if t.kind == "number" then vals[#vals + 1] = tostring(tonumber(t.text)) end end
print(table.concat(vals, " "))

-- error reporting
print(pcall(tokenize, "let a = 1;\nlet b = #;"))
print(pcall(tokenize, 'let c = "unterminated'))

-- a CSV-ish splitter using gmatch with empty fields
local function split(str, sep)
  local out = {}
  for field in (str .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do out[#out + 1] = field end
  return out
end
local f = split("a,b,,d,", ",")
print(#f, table.concat(f, "|"))
f = split("one::two::::three", "::")
print(#f, table.concat(f, "|"))
-- word wrap
local function wrap(text, width)
  local lines, line = {}, ""
  for word in text:gmatch("%S+") do
    if #line + #word + 1 > width and #line > 0 then lines[#lines + 1] = line; line = word
    else line = (#line > 0) and (line .. " " .. word) or word end
  end
  if #line > 0 then lines[#lines + 1] = line end
  return lines
end
for _, l in ipairs(wrap("the quick brown fox jumps over the lazy dog and keeps running far away", 16)) do
  print(string.format("|%-16s|", l))
end
print("done")
