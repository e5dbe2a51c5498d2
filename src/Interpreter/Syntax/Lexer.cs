using System.Globalization;
using System.Numerics;
using System.Text;

namespace Tiered.Interpreter.Syntax;

/// <summary>
/// Splits Lua 5.4 source bytes into tokens.
/// <para>
/// The lexer mirrors how Lua's own lexer keeps state, because Lua's messages depend on it:
/// <see cref="Line"/> is the line the lexer has reached (for a token spanning lines, the line
/// it ends on), and a token being read is accumulated in a byte buffer so that an error in the
/// middle of a string or numeral can quote exactly what was read so far
/// ("unfinished string near '"abc'").
/// </para>
/// Source bytes are never decoded: string literals come out as the bytes written (after escape
/// processing), so UTF-8 and arbitrary binary pass through unchanged.
/// </summary>
public sealed class Lexer
{
    private const int EndOfInput = -1;

    private readonly byte[] _source;
    private readonly string _chunkDisplayName;
    private int _pos;

    // The text of the token being read, as Lua's lexer buffer holds it (see class comment).
    private byte[] _buffer = new byte[64];
    private int _bufferLength;

    private Token _lookahead;
    private bool _hasLookahead;

    // Reserved words map to their kinds; every name seen is added as TokenKind.Name so that
    // repeated identifiers share one string instance and cost no allocation.
    private readonly Dictionary<string, TokenKind> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TokenKind>.AlternateLookup<ReadOnlySpan<char>> _namesBySpan;

    /// <param name="source">The chunk's bytes.</param>
    /// <param name="chunkSource">The chunk name ("@file.lua", "=stdin", or source text); shown in
    /// messages through <see cref="ChunkName.Display"/>.</param>
    /// <param name="skipShebang">Skip a UTF-8 byte-order mark and a first line starting with '#',
    /// as Lua does for files (luaL_loadfile) but not for load() on a string.</param>
    public Lexer(byte[] source, string chunkSource, bool skipShebang = false)
    {
        _source = source;
        _chunkDisplayName = ChunkName.Display(chunkSource);
        for (int i = 0; i < TokenText.Reserved.Length; i++)
            _names.Add(TokenText.Reserved[i], (TokenKind)((int)TokenKind.And + i));
        _namesBySpan = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (skipShebang)
        {
            if (source.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) _pos = 3;
            // Only the text of the line is skipped: the newline stays so line numbers are right.
            if (Current == '#')
                while (Current != EndOfInput && !IsNewline(Current)) _pos++;
        }
    }

    /// <summary>The chunk name as shown in messages.</summary>
    public string ChunkDisplayName => _chunkDisplayName;

    /// <summary>The current token (valid after the first <see cref="Next"/>).</summary>
    public Token Token { get; private set; }

    /// <summary>
    /// The line the lexer has reached: the line of the current token (its last line when it
    /// spans several), or of the look-ahead token once <see cref="Lookahead"/> was called.
    /// This is the line Lua reports errors at and stamps on new syntax nodes.
    /// </summary>
    public int Line { get; private set; } = 1;

    /// <summary>The line of the previous token (the last one consumed).</summary>
    public int LastLine { get; private set; } = 1;

    /// <summary>Advances to the next token.</summary>
    public void Next()
    {
        LastLine = Line;
        if (_hasLookahead)
        {
            Token = _lookahead;
            _hasLookahead = false;
        }
        else
        {
            Token = Scan();
        }
    }

    /// <summary>Reads the token after the current one without consuming it.</summary>
    public TokenKind Lookahead()
    {
        if (!_hasLookahead)
        {
            _lookahead = Scan();
            _hasLookahead = true;
        }
        return _lookahead.Kind;
    }

    // =================================================================================
    // Errors
    // =================================================================================

    /// <summary>"chunk:line: message near 'token'" for the current token.</summary>
    public LuaSyntaxException ErrorNearToken(string message)
    {
        // Lua represents single-byte tokens by their byte and treats token 0 as "no token",
        // so a NUL in the source is reported without any "near" part.
        if (Token.Kind == TokenKind.Other && Token.Byte == 0) return ErrorWithoutToken(message);
        byte[] near = Describe(Token);
        return Error(Concat(Encoding.UTF8.GetBytes(message + " near "), near), Token.Kind == TokenKind.Eof);
    }

    /// <summary>"chunk:line: message" with no token (Lua's semantic errors, e.g. unknown attribute).</summary>
    public LuaSyntaxException ErrorWithoutToken(string message) =>
        Error(Encoding.UTF8.GetBytes(message), false);

    private LuaSyntaxException Error(byte[] detail, bool atEof) =>
        new(_chunkDisplayName, Line, detail, atEof);

    /// <summary>An error while reading a token: "near" quotes what was read of it so far.</summary>
    private LuaSyntaxException LexError(string message, bool nearEof)
    {
        byte[] head = Encoding.UTF8.GetBytes(message + " near ");
        if (nearEof) return Error(Concat(head, "<eof>"u8.ToArray()), true);
        return Error(Concat(head, Quote(_buffer.AsSpan(0, _bufferLength))), false);
    }

    /// <summary>
    /// 'text', cut at the first NUL: Lua formats token text as a C string, so a string
    /// literal containing "\0" is only quoted up to it.
    /// </summary>
    private static byte[] Quote(ReadOnlySpan<byte> text)
    {
        int nul = text.IndexOf((byte)0);
        if (nul >= 0) text = text[..nul];
        byte[] quoted = new byte[text.Length + 2];
        quoted[0] = (byte)'\'';
        text.CopyTo(quoted.AsSpan(1));
        quoted[^1] = (byte)'\'';
        return quoted;
    }

    /// <summary>A token as Lua shows it after "near": its source text quoted, or &lt;eof&gt;.</summary>
    private byte[] Describe(in Token token)
    {
        switch (token.Kind)
        {
            case TokenKind.Eof:
                return "<eof>"u8.ToArray();
            case TokenKind.Other:
                return Encoding.ASCII.GetBytes(TokenText.Byte(token.Byte));
            case TokenKind.Name:
                return Encoding.ASCII.GetBytes("'" + token.Name + "'");
            case TokenKind.Integer:
            case TokenKind.Float:
                return Concat("'"u8.ToArray(), _source[token.Start..token.End], "'"u8.ToArray());
            case TokenKind.String:
                // Lua quotes its buffer: the literal with escapes already decoded.
                if (token.Quote != 0)
                    return Quote(Concat([token.Quote], token.String!, [token.Quote]));
                string equals = new('=', token.LongLevel);
                return Quote(Concat(Encoding.ASCII.GetBytes("[" + equals + "["), token.String!,
                    Encoding.ASCII.GetBytes("]" + equals + "]")));
            default:
                return Encoding.ASCII.GetBytes(TokenText.Describe(token.Kind));
        }
    }

    private static byte[] Concat(params byte[][] parts)
    {
        int length = 0;
        foreach (byte[] p in parts) length += p.Length;
        byte[] all = new byte[length];
        int at = 0;
        foreach (byte[] p in parts)
        {
            p.CopyTo(all, at);
            at += p.Length;
        }
        return all;
    }

    // =================================================================================
    // Characters and the token buffer
    // =================================================================================

    private int Current => _pos < _source.Length ? _source[_pos] : EndOfInput;

    private void Advance() => _pos++;

    private void Save(int c)
    {
        if (_bufferLength == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        _buffer[_bufferLength++] = (byte)c;
    }

    private void SaveAndAdvance()
    {
        Save(Current);
        Advance();
    }

    private void Unsave(int count) => _bufferLength -= count;

    private bool AdvanceIf(char c)
    {
        if (Current != c) return false;
        Advance();
        return true;
    }

    private bool SaveAndAdvanceIf(char a, char b)
    {
        if (Current != a && Current != b) return false;
        SaveAndAdvance();
        return true;
    }

    private static bool IsNewline(int c) => c == '\n' || c == '\r';
    private static bool IsDigit(int c) => (uint)(c - '0') <= 9;
    private static bool IsHexDigit(int c) => IsDigit(c) || (uint)((c | 0x20) - 'a') <= 5;
    private static bool IsLetter(int c) => (uint)((c | 0x20) - 'a') <= 25 || c == '_';
    private static bool IsLetterOrDigit(int c) => IsLetter(c) || IsDigit(c);
    private static bool IsSpace(int c) => c == ' ' || (uint)(c - '\t') <= '\r' - '\t';
    private static int HexValue(int c) => IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>Skips one newline: "\n", "\r", "\r\n" or "\n\r" each count once.</summary>
    private void SkipNewline()
    {
        int first = Current;
        Advance();
        if (IsNewline(Current) && Current != first) Advance();
        Line++;
    }

    // =================================================================================
    // Scanning
    // =================================================================================

    private Token Scan()
    {
        while (true)
        {
            _bufferLength = 0;
            int start = _pos;
            int c = Current;
            switch (c)
            {
                case EndOfInput:
                    return Token.Simple(TokenKind.Eof, start, start);
                case '\n':
                case '\r':
                    SkipNewline();
                    continue;
                case ' ':
                case '\t':
                case '\f':
                case '\v':
                    Advance();
                    continue;
                case '-':
                    Advance();
                    if (Current != '-') return Token.Simple(TokenKind.Minus, start, _pos);
                    Advance();
                    SkipComment();
                    continue;
                case '[':
                {
                    int level = SkipLongBracket();
                    if (level >= 0)
                    {
                        byte[] text = ReadLongString(level, isComment: false)!;
                        return Token.LongString(text, level, start, _pos);
                    }
                    if (level == -1) return Token.Simple(TokenKind.LBracket, start, _pos);
                    throw LexError("invalid long string delimiter", nearEof: false);
                }
                case '=':
                    Advance();
                    return Token.Simple(AdvanceIf('=') ? TokenKind.Eq : TokenKind.Assign, start, _pos);
                case '<':
                    Advance();
                    if (AdvanceIf('=')) return Token.Simple(TokenKind.Le, start, _pos);
                    if (AdvanceIf('<')) return Token.Simple(TokenKind.Shl, start, _pos);
                    return Token.Simple(TokenKind.Lt, start, _pos);
                case '>':
                    Advance();
                    if (AdvanceIf('=')) return Token.Simple(TokenKind.Ge, start, _pos);
                    if (AdvanceIf('>')) return Token.Simple(TokenKind.Shr, start, _pos);
                    return Token.Simple(TokenKind.Gt, start, _pos);
                case '/':
                    Advance();
                    return Token.Simple(AdvanceIf('/') ? TokenKind.IDiv : TokenKind.Slash, start, _pos);
                case '~':
                    Advance();
                    return Token.Simple(AdvanceIf('=') ? TokenKind.Ne : TokenKind.Tilde, start, _pos);
                case ':':
                    Advance();
                    return Token.Simple(AdvanceIf(':') ? TokenKind.DbColon : TokenKind.Colon, start, _pos);
                case '"':
                case '\'':
                    return ReadShortString(start);
                case '.':
                    SaveAndAdvance();
                    if (AdvanceIf('.'))
                        return Token.Simple(AdvanceIf('.') ? TokenKind.Dots : TokenKind.Concat, start, _pos);
                    if (!IsDigit(Current)) return Token.Simple(TokenKind.Dot, start, _pos);
                    return ReadNumeral(start);
                case >= '0' and <= '9':
                    return ReadNumeral(start);
                default:
                    if (IsLetter(c)) return ReadName(start);
                    Advance();
                    TokenKind single = SingleCharKind(c);
                    return single == TokenKind.Other
                        ? Token.OtherByte((byte)c, start)
                        : Token.Simple(single, start, _pos);
            }
        }
    }

    private static TokenKind SingleCharKind(int c) => c switch
    {
        '+' => TokenKind.Plus, '*' => TokenKind.Star, '%' => TokenKind.Percent, '^' => TokenKind.Caret,
        '#' => TokenKind.Hash, '&' => TokenKind.Amp, '|' => TokenKind.Pipe, '(' => TokenKind.LParen,
        ')' => TokenKind.RParen, '{' => TokenKind.LBrace, '}' => TokenKind.RBrace,
        ']' => TokenKind.RBracket, ';' => TokenKind.Semicolon, ',' => TokenKind.Comma,
        _ => TokenKind.Other,
    };

    /// <summary>After "--": a long comment if a long bracket follows, else skip to end of line.</summary>
    private void SkipComment()
    {
        if (Current == '[')
        {
            int level = SkipLongBracket();
            _bufferLength = 0;
            if (level >= 0)
            {
                ReadLongString(level, isComment: true);
                _bufferLength = 0;
                return;
            }
        }
        while (Current != EndOfInput && !IsNewline(Current)) Advance();
    }

    private Token ReadName(int start)
    {
        while (IsLetterOrDigit(Current)) Advance();
        int length = _pos - start;
        Span<char> chars = length <= 256 ? stackalloc char[length] : new char[length];
        for (int i = 0; i < length; i++) chars[i] = (char)_source[start + i];
        if (_namesBySpan.TryGetValue(chars, out string? name, out TokenKind kind))
            return kind == TokenKind.Name ? Token.MakeName(name, start, _pos) : Token.Simple(kind, start, _pos);
        name = new string(chars);
        _names.Add(name, TokenKind.Name);
        return Token.MakeName(name, start, _pos);
    }

    // =================================================================================
    // Long brackets: [[ ]], [==[ ]==], and long comments
    // =================================================================================

    /// <summary>
    /// At '[' or ']': reads the bracket and any '=' signs into the buffer. Returns the level
    /// (number of '=') when the same bracket follows (which is left unread); -1 for a lone
    /// bracket; -2 for '=' signs not followed by the bracket ("[=" is malformed).
    /// </summary>
    private int SkipLongBracket()
    {
        int bracket = Current;
        SaveAndAdvance();
        int level = 0;
        while (Current == '=')
        {
            SaveAndAdvance();
            level++;
        }
        if (Current == bracket) return level;
        return level == 0 ? -1 : -2;
    }

    /// <summary>Reads from the second opening bracket to the closing one; returns the contents (null for comments).</summary>
    private byte[]? ReadLongString(int level, bool isComment)
    {
        int startLine = Line;
        SaveAndAdvance(); // second '['
        if (IsNewline(Current)) SkipNewline(); // a newline right after the opening bracket is not part of the string
        while (true)
        {
            switch (Current)
            {
                case EndOfInput:
                    string what = isComment ? "comment" : "string";
                    throw LexError($"unfinished long {what} (starting at line {startLine})", nearEof: true);
                case ']':
                    if (SkipLongBracket() == level)
                    {
                        SaveAndAdvance(); // second ']'
                        if (isComment) return null;
                        int opener = level + 2;
                        return _buffer.AsSpan(opener, _bufferLength - 2 * opener).ToArray();
                    }
                    break;
                case '\n':
                case '\r':
                    Save('\n'); // any newline sequence reads as "\n"
                    SkipNewline();
                    if (isComment) _bufferLength = 0; // comment text is never needed
                    break;
                default:
                    if (isComment) Advance(); else SaveAndAdvance();
                    break;
            }
        }
    }

    // =================================================================================
    // Short strings and escapes
    // =================================================================================

    private Token ReadShortString(int start)
    {
        byte quote = (byte)Current;
        SaveAndAdvance();
        while (Current != quote)
        {
            switch (Current)
            {
                case EndOfInput:
                    throw LexError("unfinished string", nearEof: true);
                case '\n':
                case '\r':
                    throw LexError("unfinished string", nearEof: false);
                case '\\':
                    ReadEscape();
                    break;
                default:
                    SaveAndAdvance();
                    break;
            }
        }
        SaveAndAdvance(); // closing quote
        byte[] value = _buffer.AsSpan(1, _bufferLength - 2).ToArray();
        return Token.ShortString(value, quote, start, _pos);
    }

    /// <summary>
    /// At '\': decodes one escape into the buffer. The '\' and the escape's characters stay in
    /// the buffer until the escape is known to be valid, so an error quotes them.
    /// </summary>
    private void ReadEscape()
    {
        SaveAndAdvance(); // '\'
        int c;
        switch (Current)
        {
            case 'a': c = '\a'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'v': c = '\v'; break;
            case 'x': c = ReadHexEscape(); break;
            case '\\': case '"': case '\'': c = Current; break;
            case 'u':
                WriteUtf8(ReadUtf8Escape());
                return;
            case '\n':
            case '\r':
                SkipNewline();
                Unsave(1);
                Save('\n');
                return;
            case EndOfInput:
                return; // the string loop reports "unfinished string"
            case 'z':
                // Skip the escape and all whitespace after it, newlines included.
                Unsave(1);
                Advance();
                while (IsSpace(Current))
                {
                    if (IsNewline(Current)) SkipNewline(); else Advance();
                }
                return;
            default:
                CheckEscape(IsDigit(Current), "invalid escape sequence");
                c = ReadDecimalEscape();
                Unsave(1);
                Save(c);
                return;
        }
        Advance(); // the escape's last character
        Unsave(1);
        Save(c);
    }

    /// <summary>Fails an escape: the offending character is added to the quoted text first.</summary>
    private void CheckEscape(bool ok, string message)
    {
        if (ok) return;
        if (Current != EndOfInput) SaveAndAdvance();
        throw LexError(message, nearEof: false);
    }

    private int ReadHexDigit()
    {
        SaveAndAdvance();
        CheckEscape(IsHexDigit(Current), "hexadecimal digit expected");
        return HexValue(Current);
    }

    /// <summary>At 'x' of "\xXX"; leaves the last digit current.</summary>
    private int ReadHexEscape()
    {
        int value = ReadHexDigit();
        value = (value << 4) + ReadHexDigit();
        Unsave(2); // 'x' and the first digit
        return value;
    }

    /// <summary>"\ddd": up to three decimal digits, value at most 255; leaves the next character current.</summary>
    private int ReadDecimalEscape()
    {
        int value = 0;
        int digits = 0;
        for (; digits < 3 && IsDigit(Current); digits++)
        {
            value = 10 * value + Current - '0';
            SaveAndAdvance();
        }
        CheckEscape(value <= 255, "decimal escape too large");
        Unsave(digits);
        return value;
    }

    /// <summary>At 'u' of "\u{XXX}"; consumes through '}' and removes the escape from the buffer.</summary>
    private long ReadUtf8Escape()
    {
        int saved = 4; // '\', 'u', '{' and the first digit
        SaveAndAdvance(); // 'u'
        CheckEscape(Current == '{', "missing '{'");
        long value = ReadHexDigit();
        while (true)
        {
            SaveAndAdvance();
            if (!IsHexDigit(Current)) break;
            saved++;
            CheckEscape(value <= 0x7FFFFFFF >> 4, "UTF-8 value too large");
            value = (value << 4) + HexValue(Current);
        }
        CheckEscape(Current == '}', "missing '}'");
        Advance();
        Unsave(saved);
        return value;
    }

    /// <summary>
    /// Encodes a code point up to 2^31 - 1 the way Lua does: standard UTF-8 extended to
    /// sequences of up to six bytes (no surrogate or range checks).
    /// </summary>
    private void WriteUtf8(long codePoint)
    {
        if (codePoint < 0x80)
        {
            Save((int)codePoint);
            return;
        }
        Span<byte> bytes = stackalloc byte[6];
        int n = 6;
        long firstByteMax = 0x3F; // largest payload that still fits in the lead byte
        do
        {
            bytes[--n] = (byte)(0x80 | (codePoint & 0x3F));
            codePoint >>= 6;
            firstByteMax >>= 1;
        } while (codePoint > firstByteMax);
        bytes[--n] = (byte)((~firstByteMax << 1) | codePoint);
        foreach (byte b in bytes[n..]) Save(b);
    }

    // =================================================================================
    // Numerals
    // =================================================================================

    /// <summary>
    /// Reads a numeral greedily (digits, hex digits, '.', exponents with signs, and one
    /// touching letter), then converts it; any leftover makes it "malformed number".
    /// The buffer may already hold a leading '.'.
    /// </summary>
    private Token ReadNumeral(int start)
    {
        char exp1 = 'e', exp2 = 'E';
        int first = Current;
        SaveAndAdvance();
        if (first == '0' && SaveAndAdvanceIf('x', 'X'))
        {
            exp1 = 'p';
            exp2 = 'P';
        }
        while (true)
        {
            if (SaveAndAdvanceIf(exp1, exp2))
                SaveAndAdvanceIf('-', '+');
            else if (IsHexDigit(Current) || Current == '.')
                SaveAndAdvance();
            else
                break;
        }
        if (IsLetter(Current)) SaveAndAdvance(); // a numeral touching a letter is malformed
        ReadOnlySpan<byte> text = _buffer.AsSpan(0, _bufferLength);
        if (NumeralParser.TryParseInteger(text, out long integer))
            return Token.MakeInteger(integer, start, _pos);
        if (NumeralParser.TryParseFloat(text, out double number))
            return Token.MakeFloat(number, start, _pos);
        throw LexError("malformed number", nearEof: false);
    }
}

/// <summary>
/// Converts numeral text to a value with Lua's rules (lua_stringtonumber without sign or
/// surrounding spaces, which the lexer never produces).
/// </summary>
internal static class NumeralParser
{
    /// <summary>Decimal integers that fit in int64, or hex integers of any length (wrapping mod 2^64).</summary>
    public static bool TryParseInteger(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.Length > 2 && text[0] == '0' && (text[1] | 0x20) == 'x')
        {
            ulong hex = 0;
            foreach (byte b in text[2..])
            {
                if (!IsHexDigit(b)) return false;
                hex = unchecked((hex << 4) + (ulong)HexValue(b));
            }
            value = unchecked((long)hex);
            return true;
        }
        if (text.IsEmpty) return false;
        ulong dec = 0;
        foreach (byte b in text)
        {
            if (!IsDigit(b)) return false;
            ulong digit = (ulong)(b - '0');
            // Too big for an integer: the numeral is read as a float instead.
            if (dec > (long.MaxValue - digit) / 10) return false;
            dec = dec * 10 + digit;
        }
        value = (long)dec;
        return true;
    }

    public static bool TryParseFloat(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.Length >= 2 && text[0] == '0' && (text[1] | 0x20) == 'x')
            return TryParseHexFloat(text[2..], out value);
        return TryParseDecimalFloat(text, out value);
    }

    /// <summary>digits [. digits] [(e|E) [+|-] digits], with at least one mantissa digit.</summary>
    private static bool TryParseDecimalFloat(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        int i = 0;
        int digits = 0;
        while (i < text.Length && IsDigit(text[i])) { i++; digits++; }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && IsDigit(text[i])) { i++; digits++; }
        }
        if (digits == 0) return false;
        if (i < text.Length && (text[i] | 0x20) == 'e')
        {
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
            int expDigits = 0;
            while (i < text.Length && IsDigit(text[i])) { i++; expDigits++; }
            if (expDigits == 0) return false;
        }
        if (i != text.Length) return false;
        // .NET's parser rounds correctly (as C's strtod) and gives infinity on overflow.
        value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// The part after "0x": hexdigits [. hexdigits] [(p|P) [+|-] decimal digits], at least one
    /// hex digit; the result is rounded to nearest-even, like C99 strtod.
    /// </summary>
    private static bool TryParseHexFloat(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        BigInteger mantissa = BigInteger.Zero;
        long exponent = 0; // binary exponent applied to the mantissa
        int i = 0;
        int digits = 0;
        while (i < text.Length && IsHexDigit(text[i]))
        {
            mantissa = (mantissa << 4) + HexValue(text[i]);
            i++;
            digits++;
        }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && IsHexDigit(text[i]))
            {
                mantissa = (mantissa << 4) + HexValue(text[i]);
                exponent -= 4;
                i++;
                digits++;
            }
        }
        if (digits == 0) return false;
        if (i < text.Length && (text[i] | 0x20) == 'p')
        {
            i++;
            bool negative = false;
            if (i < text.Length && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
            long e = 0;
            int expDigits = 0;
            while (i < text.Length && IsDigit(text[i]))
            {
                // Saturate: anything this large already means infinity or zero.
                if (e < 1_000_000_000) e = e * 10 + (text[i] - '0');
                i++;
                expDigits++;
            }
            if (expDigits == 0) return false;
            exponent += negative ? -e : e;
        }
        if (i != text.Length) return false;
        value = ScaleToDouble(mantissa, exponent);
        return true;
    }

    /// <summary>mantissa * 2^exponent rounded to the nearest double (ties to even).</summary>
    internal static double ScaleToDouble(BigInteger mantissa, long exponent)
    {
        if (mantissa.IsZero) return 0.0;
        long bitLength = (long)mantissa.GetBitLength();
        long topExponent = bitLength - 1 + exponent; // exponent of the leading bit
        if (topExponent > 1023) return double.PositiveInfinity;
        // Bits the result can hold: 53 for normal numbers, fewer below 2^-1022.
        long keep = topExponent >= -1022 ? 53 : 53 - (-1022 - topExponent);
        long shift = bitLength - keep;
        if (shift <= 0) return Math.ScaleB((double)mantissa, (int)exponent);
        if (shift > bitLength + 1) return 0.0; // below half the smallest subnormal
        BigInteger kept = mantissa >> (int)shift;
        BigInteger rest = mantissa - (kept << (int)shift);
        BigInteger half = BigInteger.One << (int)(shift - 1);
        int cmp = rest.CompareTo(half);
        if (cmp > 0 || (cmp == 0 && !kept.IsEven)) kept += 1;
        // 'kept' has at most 54 bits, so the conversion and scaling are exact.
        return Math.ScaleB((double)kept, (int)(exponent + shift));
    }

    private static bool IsDigit(int c) => (uint)(c - '0') <= 9;
    private static bool IsHexDigit(int c) => IsDigit(c) || (uint)((c | 0x20) - 'a') <= 5;
    private static int HexValue(int c) => IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}
