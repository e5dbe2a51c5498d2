using Xunit;

namespace Tiered.Interpreter.Tests.Lib;

// Expected outputs were produced by lua5.4 (5.4.4) running the same code.
public class Utf8LibTests
{
    [Fact]
    public void DecodingEncodingAndErrors()
    {
        Assert.Equal(
            "true\tfalse\tbad argument #1 to 'utf8.char' (value out of range)\n" +
            "104\t233\t108\t108\t111\n" +
            "false\t55296\n" +
            "false\tbad argument #2 to 'utf8.codepoint' (out of bounds)\n" +
            "5\tnil\tnil\t1\n" +
            "false\tbad argument #2 to 'utf8.len' (initial position out of bounds)\n" +
            "4\t6\t2\tnil\n" +
            "false\tinitial position is a continuation byte\n" +
            "14\ttrue\n",
            LuaRunner.Run(@"
                print(utf8.char(72, 233, 0x10FFFF, 0x7FFFFFFF) == 'H\xC3\xA9\xF4\x8F\xBF\xBF\xFD\xBF\xBF\xBF\xBF\xBF', pcall(utf8.char, -1))
                print(utf8.codepoint('h\xC3\xA9llo', 1, -1))
                print(pcall(utf8.codepoint, '\xED\xA0\x80'), utf8.codepoint('\xED\xA0\x80', 1, 1, true))
                print(pcall(utf8.codepoint, 'abc', 0))
                print(utf8.len('h\xC3\xA9llo'), utf8.len('h\xFFllo'), utf8.len('\xF4\x90\x80\x80'), utf8.len('\xF4\x90\x80\x80', 1, -1, true))
                print(pcall(utf8.len, 'abc', 5))
                print(utf8.offset('h\xC3\xA9llo', 3), utf8.offset('h\xC3\xA9llo', -1), utf8.offset('h\xC3\xA9llo', 0, 3), utf8.offset('abc', 5))
                print(pcall(utf8.offset, 'h\xC3\xA9llo', 1, 3))
                print(#utf8.charpattern, utf8.charpattern == '[\0-\x7F\xC2-\xFD][\x80-\xBF]*')"));
    }

    [Fact]
    public void CodesSkipsStrayContinuationBytesLikeLua544()
    {
        Assert.Equal(
            "1\t97\n2\t233\n5\t98\nfalse\ttest:1: invalid UTF-8 code\n",
            LuaRunner.Run(
                "print(pcall(function() for p, c in utf8.codes('a\\xC3\\xA9\\x80b') do print(p, c) end " +
                "for p, c in utf8.codes('ab\\xE4') do end end))"));
    }
}
