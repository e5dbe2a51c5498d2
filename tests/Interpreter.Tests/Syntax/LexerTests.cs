using System.Text;
using Tiered.Interpreter.Syntax;
using Xunit;

namespace Tiered.Interpreter.Tests.Syntax;

// Expected values and messages were taken from lua5.4 (5.4.4), e.g.
//   lua5.4 -e 'print(load("x = \"abc", "=t"))'
public class LexerTests
{
    private static List<Token> Lex(byte[] source, bool skipShebang = false)
    {
        var lexer = new Lexer(source, "=t", skipShebang);
        var tokens = new List<Token>();
        do
        {
            lexer.Next();
            tokens.Add(lexer.Token);
        } while (lexer.Token.Kind != TokenKind.Eof);
        return tokens;
    }

    private static List<Token> Lex(string source) => Lex(Encoding.UTF8.GetBytes(source));

    private static Token Single(string source)
    {
        List<Token> tokens = Lex(source);
        Assert.Equal(2, tokens.Count); // the token and <eof>
        return tokens[0];
    }

    private static string LexError(string source) =>
        Assert.Throws<LuaSyntaxException>(() => Lex(Encoding.Latin1.GetBytes(source))).Message;

    // ---------------------------------------------------------------------------------
    // Numerals
    // ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("42", 42L)]
    [InlineData("0x10", 16L)]
    [InlineData("0XfF", 255L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("0x7fffffffffffffff", long.MaxValue)]
    [InlineData("0x8000000000000000", long.MinValue)]
    [InlineData("0xffffffffffffffff", -1L)]
    [InlineData("0x10000000000000001", 1L)]    // hex integers wrap around modulo 2^64
    [InlineData("0xffffffffffffffffff", -1L)]
    [InlineData("00012", 12L)]
    public void IntegerNumerals(string text, long expected)
    {
        Token token = Single(text);
        Assert.Equal(TokenKind.Integer, token.Kind);
        Assert.Equal(expected, token.Integer);
    }

    [Theory]
    [InlineData("1.0", 1.0)]
    [InlineData("3.", 3.0)]
    [InlineData(".5", 0.5)]
    [InlineData("5e3", 5000.0)]
    [InlineData("5E-3", 0.005)]
    [InlineData("1e+2", 100.0)]
    [InlineData("0.1", 0.1)]
    [InlineData("9223372036854775808", 9223372036854775808.0)] // decimal overflow becomes a float
    [InlineData("18446744073709551616", 18446744073709551616.0)]
    [InlineData("0x1.8p3", 12.0)]
    [InlineData("0xA.8", 10.5)]
    [InlineData("0x.1p4", 1.0)]
    [InlineData("0x1p-1", 0.5)]
    [InlineData("0x1P+4", 16.0)]
    [InlineData("0xep1", 28.0)]
    [InlineData("0x.8", 0.5)]
    public void FloatNumerals(string text, double expected)
    {
        Token token = Single(text);
        Assert.Equal(TokenKind.Float, token.Kind);
        Assert.Equal(expected, token.Float);
    }

    [Fact]
    public void FloatExtremesRoundLikeStrtod()
    {
        Assert.Equal(double.PositiveInfinity, Single("1e309").Float);
        Assert.Equal(double.PositiveInfinity, Single("0x1p1024").Float);
        Assert.Equal(double.MaxValue, Single("0x1.fffffffffffffp1023").Float);
        Assert.Equal(double.Epsilon, Single("0x1p-1074").Float);
        Assert.Equal(double.Epsilon, Single("4.9e-324").Float);
        Assert.Equal(0.0, Single("0x1p-1075").Float);           // exactly half the smallest subnormal: ties to even
        Assert.Equal(double.Epsilon, Single("0x1.8p-1075").Float);
        // 54 significant bits: rounds half to even, then up when any lower bit is set.
        Assert.Equal(1.0, Single("0x1.00000000000008p0").Float);
        Assert.Equal(1.0 + Math.Pow(2, -51), Single("0x1.00000000000018p0").Float);
        Assert.Equal(1.0 + Math.Pow(2, -52), Single("0x1.000000000000080000000001p0").Float);
    }

    [Fact]
    public void IntegerFitsButFloatSyntaxStaysFloat()
    {
        Assert.Equal(TokenKind.Float, Single("1e0").Kind);
        Assert.Equal(TokenKind.Float, Single("0x0.0").Kind);
        Assert.Equal(TokenKind.Integer, Single("0x0").Kind);
    }

    [Fact]
    public void ConcatAfterNumeralNeedsASpace()
    {
        // "3 .. 4" is a concatenation, "3..4" a malformed number.
        Assert.Equal([TokenKind.Integer, TokenKind.Concat, TokenKind.Integer, TokenKind.Eof],
            Lex("3 .. 4").Select(t => t.Kind));
        Assert.Equal("t:1: malformed number near '3..4'", LexError("3..4"));
    }

    // ---------------------------------------------------------------------------------
    // Strings
    // ---------------------------------------------------------------------------------

    private static byte[] StringValue(byte[] source)
    {
        List<Token> tokens = Lex(source);
        Assert.Equal(TokenKind.String, tokens[0].Kind);
        return tokens[0].String!;
    }

    private static byte[] StringValue(string source) => StringValue(Encoding.Latin1.GetBytes(source));

    [Fact]
    public void SimpleEscapes()
    {
        Assert.Equal("\a\b\f\n\r\t\v\\\"'"u8.ToArray(), StringValue("\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\'\""));
        Assert.Equal("it's"u8.ToArray(), StringValue("'it\\'s'"));
    }

    [Fact]
    public void HexAndDecimalEscapes()
    {
        Assert.Equal(new byte[] { 0x41, 0x7A, 0xFF, 0x00 }, StringValue("\"\\x41\\x7a\\xFF\\x00\""));
        Assert.Equal(new byte[] { 65, 66, 6, (byte)'7', 255, 0, 49 }, StringValue("\"\\65\\066\\0067\\255\\0001\""));
        // At most three digits are read: "\0099" is byte 9 followed by '9'.
        Assert.Equal(new byte[] { 9, (byte)'9' }, StringValue("\"\\0099\""));
    }

    [Theory]
    [InlineData("\\u{41}", new byte[] { 0x41 })]
    [InlineData("\\u{E9}", new byte[] { 0xC3, 0xA9 })]
    [InlineData("\\u{800}", new byte[] { 0xE0, 0xA0, 0x80 })]
    [InlineData("\\u{D800}", new byte[] { 0xED, 0xA0, 0x80 })]          // surrogates are not rejected
    [InlineData("\\u{10FFFF}", new byte[] { 0xF4, 0x8F, 0xBF, 0xBF })]
    [InlineData("\\u{200000}", new byte[] { 0xF8, 0x88, 0x80, 0x80, 0x80 })]
    [InlineData("\\u{7FFFFFFF}", new byte[] { 0xFD, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF })]
    [InlineData("\\u{0000000000041}", new byte[] { 0x41 })]              // leading zeros do not count
    public void Utf8Escapes(string escape, byte[] expected)
    {
        Assert.Equal(expected, StringValue("\"" + escape + "\""));
    }

    [Fact]
    public void ZEscapeSkipsWhitespaceAndNewlines()
    {
        var lexer = new Lexer(Encoding.ASCII.GetBytes("\"a\\z  \n\t\r\n  b\" x"), "=t");
        lexer.Next();
        Assert.Equal("ab"u8.ToArray(), lexer.Token.String);
        lexer.Next();
        Assert.Equal(3, lexer.Line);
    }

    [Fact]
    public void EscapedNewlineIsANewlineWhateverItsForm()
    {
        Assert.Equal("a\nb"u8.ToArray(), StringValue("\"a\\\nb\""));
        Assert.Equal("a\nb"u8.ToArray(), StringValue("\"a\\\r\nb\""));
        Assert.Equal("a\nb"u8.ToArray(), StringValue("\"a\\\n\rb\""));
        Assert.Equal("a\n\nb"u8.ToArray(), StringValue("\"a\\\n\\\nb\""));
    }

    [Fact]
    public void SourceBytesPassThroughUnchanged()
    {
        byte[] source = [(byte)'"', 0xC3, 0xA9, 0xFF, 0x80, 0x00, (byte)'"'];
        Assert.Equal(new byte[] { 0xC3, 0xA9, 0xFF, 0x80, 0x00 }, StringValue(source));
    }

    [Fact]
    public void LongStrings()
    {
        Assert.Equal("abc"u8.ToArray(), StringValue("[[abc]]"));
        Assert.Equal("abc"u8.ToArray(), StringValue("[[\nabc]]"));            // first newline skipped
        Assert.Equal("abc"u8.ToArray(), StringValue("[[\r\nabc]]"));
        Assert.Equal("\nabc"u8.ToArray(), StringValue("[[\n\nabc]]"));         // only the first
        Assert.Equal("a\nb\nc\nd\ne"u8.ToArray(), StringValue("[[a\r\nb\n\rc\rd\ne]]"));
        Assert.Equal("a]]b]=]c"u8.ToArray(), StringValue("[==[a]]b]=]c]==]"));
        Assert.Equal(""u8.ToArray(), StringValue("[=[]=]"));
        Assert.Equal("\\n"u8.ToArray(), StringValue("[[\\n]]"));               // no escapes
    }

    [Fact]
    public void CommentsAreSkipped()
    {
        Assert.Equal([TokenKind.Name, TokenKind.Name, TokenKind.Name, TokenKind.Eof],
            Lex("a -- short\nb --[==[ long ]] \n ]==] c --[ not long\n").Select(t => t.Kind));
    }

    // ---------------------------------------------------------------------------------
    // Symbols, names, lines
    // ---------------------------------------------------------------------------------

    [Fact]
    public void AllSymbols()
    {
        TokenKind[] expected =
        [
            TokenKind.Plus, TokenKind.Minus, TokenKind.Star, TokenKind.Slash, TokenKind.IDiv, TokenKind.Percent,
            TokenKind.Caret, TokenKind.Hash, TokenKind.Amp, TokenKind.Tilde, TokenKind.Pipe, TokenKind.Shl,
            TokenKind.Shr, TokenKind.Eq, TokenKind.Ne, TokenKind.Le, TokenKind.Ge, TokenKind.Lt, TokenKind.Gt,
            TokenKind.Assign, TokenKind.LParen, TokenKind.RParen, TokenKind.LBrace, TokenKind.RBrace,
            TokenKind.LBracket, TokenKind.RBracket, TokenKind.DbColon, TokenKind.Semicolon, TokenKind.Colon,
            TokenKind.Comma, TokenKind.Dot, TokenKind.Concat, TokenKind.Dots, TokenKind.Eof,
        ];
        Assert.Equal(expected, Lex("+ - * / // % ^ # & ~ | << >> == ~= <= >= < > = ( ) { } [ ] :: ; : , . .. ...")
            .Select(t => t.Kind));
    }

    [Fact]
    public void ReservedWordsAndNames()
    {
        List<Token> tokens = Lex("and break do else elseif end false for function goto if in local nil not or " +
                                 "repeat return then true until while _x1 And");
        Assert.Equal(TokenKind.And, tokens[0].Kind);
        Assert.Equal(TokenKind.While, tokens[21].Kind);
        Assert.Equal("_x1", tokens[22].Name);
        Assert.Equal("And", tokens[23].Name); // case-sensitive
    }

    [Theory]
    [InlineData("a\nb", 2)]
    [InlineData("a\rb", 2)]
    [InlineData("a\r\nb", 2)]
    [InlineData("a\n\rb", 2)]
    [InlineData("a\n\nb", 3)]
    [InlineData("a\r\rb", 3)]
    [InlineData("a\n\r\n\rb", 3)]
    [InlineData("a [[\n\n]] b", 3)]
    public void NewlineSequencesCountOnce(string source, int lineOfB)
    {
        var lexer = new Lexer(Encoding.ASCII.GetBytes(source), "=t");
        do lexer.Next(); while (lexer.Token.Name != "b");
        Assert.Equal(lineOfB, lexer.Line);
    }

    [Fact]
    public void ShebangIsSkippedOnlyWhenAsked()
    {
        byte[] source = Encoding.ASCII.GetBytes("#!/usr/bin/lua\nx");
        List<Token> tokens = Lex(source, skipShebang: true);
        Assert.Equal("x", tokens[0].Name);
        Assert.Equal("t:1: unexpected symbol near '#'",
            Assert.Throws<LuaSyntaxException>(() => Parser.Parse(source, "=t")).Message);
        // The line count is kept: x is still on line 2.
        Assert.Equal("t:2: syntax error near <eof>",
            Assert.Throws<LuaSyntaxException>(() => Parser.Parse(source, "=t", skipShebang: true)).Message);
        Assert.Equal("x", Lex([0xEF, 0xBB, 0xBF, (byte)'x'], skipShebang: true)[0].Name);
    }

    // ---------------------------------------------------------------------------------
    // Errors (exact lua5.4 text)
    // ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("x = \"abc", "t:1: unfinished string near <eof>")]
    [InlineData("x = \"abc\ny\"", "t:1: unfinished string near '\"abc'")]
    [InlineData("x = \"abc\\", "t:1: unfinished string near <eof>")]
    [InlineData("x = 3x", "t:1: malformed number near '3x'")]
    [InlineData("x = 12abc y", "t:1: malformed number near '12abc'")]
    [InlineData("x = 0x", "t:1: malformed number near '0x'")]
    [InlineData("x = 1e", "t:1: malformed number near '1e'")]
    [InlineData("x = 0x1p", "t:1: malformed number near '0x1p'")]
    [InlineData("x = 3.4.5", "t:1: malformed number near '3.4.5'")]
    [InlineData("x = .5e", "t:1: malformed number near '.5e'")]
    [InlineData("x = \"a\\qb\"", "t:1: invalid escape sequence near '\"a\\q'")]
    [InlineData("x = \"\\300\"", "t:1: decimal escape too large near '\"\\300\"'")]
    [InlineData("x = \"\\256\"", "t:1: decimal escape too large near '\"\\256\"'")]
    [InlineData("x = \"\\xZZ\"", "t:1: hexadecimal digit expected near '\"\\xZ'")]
    [InlineData("x = \"\\x5\"", "t:1: hexadecimal digit expected near '\"\\x5\"'")]
    [InlineData("x = \"\\u{80000000}\"", "t:1: UTF-8 value too large near '\"\\u{80000000'")]
    [InlineData("x = \"\\u{}\"", "t:1: hexadecimal digit expected near '\"\\u{}'")]
    [InlineData("x = \"\\u12\"", "t:1: missing '{' near '\"\\u1'")]
    [InlineData("x = \"\\u{12\"", "t:1: missing '}' near '\"\\u{12\"'")]
    [InlineData("x = [[abc", "t:1: unfinished long string (starting at line 1) near <eof>")]
    [InlineData("x = [==[abc\n\n", "t:3: unfinished long string (starting at line 1) near <eof>")]
    [InlineData("--[[ abc\n", "t:2: unfinished long comment (starting at line 1) near <eof>")]
    [InlineData("x = [=abc", "t:1: invalid long string delimiter near '[='")]
    [InlineData("x = \"\\z\n\n\\q\"", "t:3: invalid escape sequence near '\"\\q'")]
    [InlineData("x = \"a\\0b\\q\"", "t:1: invalid escape sequence near '\"a'")] // quoted as a C string: cut at NUL
    public void LexicalErrors(string source, string message)
    {
        Assert.Equal(message, LexError(source));
    }

    [Fact]
    public void ErrorsAtEndOfInputAreFlagged()
    {
        var e = Assert.Throws<LuaSyntaxException>(() => Lex("x = [[abc"));
        Assert.True(e.AtEndOfInput);
        Assert.Equal(1, e.Line);
        e = Assert.Throws<LuaSyntaxException>(() => Lex("x = 3x"));
        Assert.False(e.AtEndOfInput);
    }

    [Fact]
    public void MessageBytesKeepRawSourceBytes()
    {
        byte[] source = [(byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', (byte)' ',
            (byte)'"', 0xFF, (byte)'"'];
        var e = Assert.Throws<LuaSyntaxException>(() => Parser.Parse(source, "=t"));
        Assert.Equal(Encoding.Latin1.GetBytes("t:1: <name> expected near '\"\xFF\"'"), e.MessageBytes);
    }
}
