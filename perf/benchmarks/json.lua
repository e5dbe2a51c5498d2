-- json: a small JSON encoder and decoder of our own, used for a round trip of a generated
-- document: encode, decode, encode again, and check both texts agree.
-- Exercises: recursive descent over a string with string.byte/find/sub, string escaping with
-- gsub, table construction of many small records, sorting object keys for a stable encoding.
local SIZE = 8                                -- round trips
local RECORDS = 2000                          -- records in the document
local scale = tonumber(arg and arg[1]) or 1
local rounds = math.max(1, math.floor(SIZE * scale + 0.5))

local byte, sub, find, fmt, concat = string.byte, string.sub, string.find, string.format, table.concat

---------------------------------------------------------------- encoder

local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\t'] = '\\t', ['\r'] = '\\r' }
local function escape_char(c)
  return escapes[c] or fmt("\\u%04x", byte(c))
end

local encode_value

local function encode_string(s, out)
  out[#out + 1] = '"' .. s:gsub('[%c"\\]', escape_char) .. '"'
end

local function is_array(t)
  local n = #t
  if n == 0 then return next(t) == nil end     -- an empty table is written as []
  for k in pairs(t) do
    if type(k) ~= "number" or k < 1 or k > n or k % 1 ~= 0 then return false end
  end
  return true
end

function encode_value(v, out)
  local kind = type(v)
  if kind == "string" then encode_string(v, out)
  elseif kind == "number" then
    if v % 1 == 0 and v > -2^53 and v < 2^53 then out[#out + 1] = fmt("%d", v)
    else out[#out + 1] = fmt("%.14g", v) end
  elseif kind == "boolean" then out[#out + 1] = v and "true" or "false"
  elseif v == nil then out[#out + 1] = "null"
  elseif kind == "table" then
    if is_array(v) then
      out[#out + 1] = "["
      for i = 1, #v do
        if i > 1 then out[#out + 1] = "," end
        encode_value(v[i], out)
      end
      out[#out + 1] = "]"
    else
      local keys = {}
      for k in pairs(v) do keys[#keys + 1] = k end
      table.sort(keys)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = "," end
        encode_string(k, out)
        out[#out + 1] = ":"
        encode_value(v[k], out)
      end
      out[#out + 1] = "}"
    end
  else
    error("cannot encode a " .. kind)
  end
end

local function encode(v)
  local out = {}
  encode_value(v, out)
  return concat(out)
end

---------------------------------------------------------------- decoder

local decode_at                                -- (text, pos) -> value, next position

local function skip(text, pos)
  return (find(text, "[^ \t\r\n]", pos)) or #text + 1
end

local function utf8_of(code)                  -- Lua 5.1 has no utf8 library
  if code < 0x80 then return string.char(code) end
  if code < 0x800 then
    return string.char(0xC0 + math.floor(code / 64), 0x80 + code % 64)
  end
  return string.char(0xE0 + math.floor(code / 4096), 0x80 + math.floor(code / 64) % 64, 0x80 + code % 64)
end

local unescapes = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/" }

local function decode_string(text, pos)       -- pos is just after the opening quote
  local parts, start = nil, pos
  while true do
    local q = find(text, '["\\]', pos)
    if not q then error("unterminated string at " .. start) end
    if byte(text, q) == 34 then                -- '"'
      if parts == nil then return sub(text, start, q - 1), q + 1 end
      parts[#parts + 1] = sub(text, pos, q - 1)
      return concat(parts), q + 1
    end
    parts = parts or {}
    parts[#parts + 1] = sub(text, pos, q - 1)
    local e = sub(text, q + 1, q + 1)
    if e == "u" then
      parts[#parts + 1] = utf8_of(tonumber(sub(text, q + 2, q + 5), 16))
      pos = q + 6
    else
      parts[#parts + 1] = unescapes[e] or error("bad escape \\" .. e)
      pos = q + 2
    end
  end
end

function decode_at(text, pos)
  pos = skip(text, pos)
  local c = byte(text, pos)
  if c == 123 then                            -- '{'
    local obj = {}
    pos = skip(text, pos + 1)
    if byte(text, pos) == 125 then return obj, pos + 1 end
    while true do
      local key
      pos = skip(text, pos)
      key, pos = decode_string(text, pos + 1)
      pos = skip(text, pos)
      obj[key], pos = decode_at(text, pos + 1)  -- past ':'
      pos = skip(text, pos)
      local d = byte(text, pos)
      if d == 125 then return obj, pos + 1 end
      pos = pos + 1                           -- ','
    end
  elseif c == 91 then                         -- '['
    local arr, n = {}, 0
    pos = skip(text, pos + 1)
    if byte(text, pos) == 93 then return arr, pos + 1 end
    while true do
      n = n + 1
      arr[n], pos = decode_at(text, pos)
      pos = skip(text, pos)
      if byte(text, pos) == 93 then return arr, pos + 1 end
      pos = pos + 1
    end
  elseif c == 34 then
    return decode_string(text, pos + 1)
  elseif c == 116 then return true, pos + 4
  elseif c == 102 then return false, pos + 5
  elseif c == 110 then return nil, pos + 4
  else
    local s, e = find(text, "^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    if not s then error("unexpected character at " .. pos) end
    return tonumber(sub(text, s, e)), e + 1
  end
end

local function decode(text)
  local v = decode_at(text, 1)
  return v
end

---------------------------------------------------------------- the document

local seed = 42
local function rand(n)
  seed = (seed * 16807) % 2147483647
  return seed % n
end

local function make_document()
  local records = {}
  for i = 1, RECORDS do
    local tags = {}
    for t = 1, rand(4) do tags[t] = "tag" .. rand(50) end
    records[i] = {
      id = i,
      name = "item \"" .. rand(10000) .. "\"\tline\n",
      price = rand(100000) / 100,
      ratio = rand(1000) / 7,
      active = rand(2) == 1,
      tags = tags,
      dims = { w = rand(500), h = rand(500), unit = "mm" },
      note = (rand(5) == 0) and "caf\195\169 \1 end" or "plain",
    }
  end
  return { version = 3, generator = "tiered-perf", records = records }
end

local doc = make_document()
local total, hash = 0, 0
for r = 1, rounds do
  local text = encode(doc)
  local back = decode(text)
  local again = encode(back)
  if again ~= text then error("round trip changed the text in round " .. r) end
  local sum = 0
  for i = 1, #back.records do
    local rec = back.records[i]
    sum = sum + rec.id + rec.dims.w + #rec.tags + (rec.active and 1 or 0)
  end
  total = total + sum + #text
  for k = 1, #text, 101 do hash = (hash * 31 + byte(text, k)) % 2147483647 end
  doc = back
end
print(string.format("json: rounds=%d total=%d hash=%d", rounds, total, hash))
