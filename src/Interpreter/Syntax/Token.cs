namespace Tiered.Interpreter.Syntax;

/// <summary>The kinds of Lua 5.4 tokens.</summary>
public enum TokenKind : byte
{
    Eof,
    Name,
    String,
    Integer,
    Float,

    // Reserved words, in the order of TokenText.Reserved.
    And, Break, Do, Else, Elseif, End, False, For, Function, Goto, If, In,
    Local, Nil, Not, Or, Repeat, Return, Then, True, Until, While,

    // Multi-character symbols.
    IDiv,       // //
    Concat,     // ..
    Dots,       // ...
    Eq,         // ==
    Ge,         // >=
    Le,         // <=
    Ne,         // ~=
    Shl,        // <<
    Shr,        // >>
    DbColon,    // ::

    // Single-character symbols.
    Plus, Minus, Star, Slash, Percent, Caret, Hash, Amp, Tilde, Pipe,
    Lt, Gt, Assign, LParen, RParen, LBrace, RBrace, LBracket, RBracket,
    Semicolon, Colon, Comma, Dot,

    /// <summary>Any other single byte ('@', '$', a control character, a non-ASCII byte...).
    /// It is only ever reported as an error by the parser.</summary>
    Other,
}

/// <summary>
/// One token. Only the fields that match <see cref="Kind"/> are meaningful.
/// </summary>
public readonly struct Token
{
    public readonly TokenKind Kind;
    /// <summary>For <see cref="TokenKind.Other"/>: the byte itself.</summary>
    public readonly byte Byte;
    /// <summary>For short strings: the quote byte. For long strings: 0.</summary>
    public readonly byte Quote;
    /// <summary>For long strings: the number of '=' in the brackets.</summary>
    public readonly int LongLevel;
    public readonly long Integer;
    public readonly double Float;
    /// <summary>For strings: the decoded bytes.</summary>
    public readonly byte[]? String;
    /// <summary>For names: the identifier (always ASCII).</summary>
    public readonly string? Name;
    /// <summary>Where the token starts and ends in the source (end exclusive); numerals are shown from this.</summary>
    public readonly int Start, End;

    private Token(TokenKind kind, int start, int end, byte b = 0, byte quote = 0, int longLevel = 0,
        long integer = 0, double number = 0, byte[]? str = null, string? name = null)
    {
        Kind = kind; Start = start; End = end; Byte = b; Quote = quote; LongLevel = longLevel;
        Integer = integer; Float = number; String = str; Name = name;
    }

    public static Token Simple(TokenKind kind, int start, int end) => new(kind, start, end);
    public static Token OtherByte(byte b, int start) => new(TokenKind.Other, start, start + 1, b: b);
    public static Token MakeName(string name, int start, int end) => new(TokenKind.Name, start, end, name: name);
    public static Token MakeInteger(long value, int start, int end) => new(TokenKind.Integer, start, end, integer: value);
    public static Token MakeFloat(double value, int start, int end) => new(TokenKind.Float, start, end, number: value);
    public static Token ShortString(byte[] value, byte quote, int start, int end) =>
        new(TokenKind.String, start, end, quote: quote, str: value);
    public static Token LongString(byte[] value, int level, int start, int end) =>
        new(TokenKind.String, start, end, longLevel: level, str: value);

    public override string ToString() => Kind switch
    {
        TokenKind.Name => $"Name({Name})",
        TokenKind.Integer => $"Integer({Integer})",
        TokenKind.Float => $"Float({Float})",
        TokenKind.String => $"String({System.Text.Encoding.UTF8.GetString(String!)})",
        TokenKind.Other => $"Other({Byte})",
        _ => Kind.ToString(),
    };
}

/// <summary>How tokens are spelled in messages, following Lua's luaX_token2str.</summary>
internal static class TokenText
{
    internal static readonly string[] Reserved =
    [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ];

    /// <summary>
    /// The token kind as Lua names it in "X expected" messages: quoted symbols and reserved
    /// words, unquoted placeholders for tokens that carry a value.
    /// </summary>
    internal static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.Eof => "<eof>",
        TokenKind.Name => "<name>",
        TokenKind.String => "<string>",
        TokenKind.Integer => "<integer>",
        TokenKind.Float => "<number>",
        >= TokenKind.And and <= TokenKind.While => "'" + Reserved[kind - TokenKind.And] + "'",
        _ => "'" + Symbol(kind) + "'",
    };

    internal static string Symbol(TokenKind kind) => kind switch
    {
        TokenKind.IDiv => "//", TokenKind.Concat => "..", TokenKind.Dots => "...",
        TokenKind.Eq => "==", TokenKind.Ge => ">=", TokenKind.Le => "<=", TokenKind.Ne => "~=",
        TokenKind.Shl => "<<", TokenKind.Shr => ">>", TokenKind.DbColon => "::",
        TokenKind.Plus => "+", TokenKind.Minus => "-", TokenKind.Star => "*", TokenKind.Slash => "/",
        TokenKind.Percent => "%", TokenKind.Caret => "^", TokenKind.Hash => "#", TokenKind.Amp => "&",
        TokenKind.Tilde => "~", TokenKind.Pipe => "|", TokenKind.Lt => "<", TokenKind.Gt => ">",
        TokenKind.Assign => "=", TokenKind.LParen => "(", TokenKind.RParen => ")",
        TokenKind.LBrace => "{", TokenKind.RBrace => "}", TokenKind.LBracket => "[",
        TokenKind.RBracket => "]", TokenKind.Semicolon => ";", TokenKind.Colon => ":",
        TokenKind.Comma => ",", TokenKind.Dot => ".",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a fixed symbol"),
    };

    /// <summary>A single byte as Lua shows it: 'c' when printable ASCII, otherwise '&lt;\N&gt;'.</summary>
    internal static string Byte(byte b) =>
        b is >= 0x20 and < 0x7F ? "'" + (char)b + "'" : "'<\\" + b + ">'";
}
