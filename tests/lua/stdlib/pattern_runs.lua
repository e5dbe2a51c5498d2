-- Repetitions of single pattern items ('+', '*', '-', '?') over every kind of item: '.',
-- the %-classes and their complements, escaped punctuation, %z, literal characters and
-- bracket sets, at the start, middle and end of the subject, with bytes >= 128 and zeros.

local subject = "abc123  DEF_ghi\t\n!!..,, xyz\0\0tail \200\201\255 end999"
local items = {
  ".", "%a", "%A", "%c", "%C", "%d", "%D", "%g", "%G", "%l", "%L", "%p", "%P",
  "%s", "%S", "%u", "%U", "%w", "%W", "%x", "%X", "%z", "%.", "%%", "a", "!", "9",
  "[%w_]", "[^%s]", "[a-f]", "[\128-\255]",
}
for _, item in ipairs(items) do
  local out = {}
  for _, rep in ipairs({ "+", "*", "-", "?" }) do
    local pat = item .. rep
    local n = 0
    for m in subject:gmatch(pat) do n = n + #m end
    local s, e = subject:find(pat, 5)
    out[#out + 1] = string.format("%s=%d/%s/%s", rep, n, tostring(s), tostring(e))
  end
  print(string.format("%q", item), table.concat(out, " "))
end

-- Anchored and followed by more pattern: the longest run must back off.
print(("aaab"):match("^(a+)(a)b$"))
print(("   x"):match("^%s*()"))
print(("123abc"):match("^(%d*)(%a*)$"))
print(("abc"):match("(.*)c"))
print(("xyz"):match("z*$"), ("xyz"):match("^z*"))
print(("\0\0a"):match("^(%z+)a"))
print(string.gsub("hello world from lua", "%a+", string.upper))
print(string.gsub("a,b,,c", ",*", "-"))
