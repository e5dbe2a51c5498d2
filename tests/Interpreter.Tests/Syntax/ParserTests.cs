using System.Text;
using Tiered.Interpreter.Syntax;
using Xunit;

namespace Tiered.Interpreter.Tests.Syntax;

// Expected messages were taken from lua5.4 (5.4.4): print(load(source, "=t")).
public class ParserTests
{
    private static Chunk Parse(string source, string chunkName = "=t") =>
        Parser.Parse(Encoding.UTF8.GetBytes(source), chunkName);

    private static string Error(string source, string chunkName = "=t") =>
        Assert.Throws<LuaSyntaxException>(() => Parse(source, chunkName)).Message;

    private static IReadOnlyList<Stat> Statements(string source) => Parse(source).Main.Body.Statements;

    /// <summary>The single expression of "return expr", fully parenthesised.</summary>
    private static string Shape(string expression)
    {
        var ret = Assert.IsType<ReturnStat>(Assert.Single(Statements("return " + expression)));
        return Show(Assert.Single(ret.Values));
    }

    private static string Show(Expr e) => e switch
    {
        IntegerExpr i => i.Value.ToString(),
        FloatExpr f => f.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        StringExpr s => "\"" + Encoding.UTF8.GetString(s.Value) + "\"",
        NameExpr n => n.Name,
        NilExpr => "nil",
        TrueExpr => "true",
        FalseExpr => "false",
        VarargExpr => "...",
        ParenExpr p => "(" + Show(p.Inner) + ")",
        UnaryExpr u => "(" + UnarySymbol(u.Op) + Show(u.Operand) + ")",
        BinaryExpr b => "(" + Show(b.Left) + " " + BinarySymbol(b.Op) + " " + Show(b.Right) + ")",
        IndexExpr { FieldName: string name } x => Show(x.Object) + "." + name,
        IndexExpr x => Show(x.Object) + "[" + Show(x.Key) + "]",
        CallExpr c => Show(c.Function) + "(" + string.Join(", ", c.Args.Select(Show)) + ")",
        MethodCallExpr m => Show(m.Object) + ":" + m.Method + "(" + string.Join(", ", m.Args.Select(Show)) + ")",
        FunctionExpr => "function",
        TableExpr t => "{" + string.Join(", ", t.Fields.Select(ShowField)) + "}",
        _ => throw new ArgumentException(e.GetType().Name),
    };

    private static string ShowField(TableField f) => f switch
    {
        ListField l => Show(l.Value),
        NamedField n => n.Name + "=" + Show(n.Value),
        KeyedField k => "[" + Show(k.Key) + "]=" + Show(k.Value),
        _ => throw new ArgumentException(f.GetType().Name),
    };

    private static string UnarySymbol(UnaryOp op) => op switch
    {
        UnaryOp.Minus => "-", UnaryOp.Not => "not ", UnaryOp.Len => "#", _ => "~",
    };

    private static string BinarySymbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+", BinaryOp.Sub => "-", BinaryOp.Mul => "*", BinaryOp.Div => "/",
        BinaryOp.IDiv => "//", BinaryOp.Mod => "%", BinaryOp.Pow => "^", BinaryOp.BAnd => "&",
        BinaryOp.BOr => "|", BinaryOp.BXor => "~", BinaryOp.Shl => "<<", BinaryOp.Shr => ">>",
        BinaryOp.Concat => "..", BinaryOp.Eq => "==", BinaryOp.Ne => "~=", BinaryOp.Lt => "<",
        BinaryOp.Le => "<=", BinaryOp.Gt => ">", BinaryOp.Ge => ">=", BinaryOp.And => "and",
        _ => "or",
    };

    // ---------------------------------------------------------------------------------
    // Precedence and associativity
    // ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("1 + 2 * 3", "(1 + (2 * 3))")]
    [InlineData("1 - 2 - 3", "((1 - 2) - 3)")]
    [InlineData("2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))")]                 // '^' is right-associative
    [InlineData("a .. b .. c", "(a .. (b .. c))")]             // so is '..'
    [InlineData("-x ^ 2", "(-(x ^ 2))")]                       // '^' binds tighter than unary minus
    [InlineData("2 ^ -3", "(2 ^ (-3))")]
    [InlineData("2 ^ -3 ^ 2", "(2 ^ (-(3 ^ 2)))")]
    [InlineData("-2 ^ -3 ^ 2", "(-(2 ^ (-(3 ^ 2))))")]
    [InlineData("not a == b", "((not a) == b)")]
    [InlineData("#t + 1", "((#t) + 1)")]
    [InlineData("- - x", "(-(-x))")]
    [InlineData("~x & y", "((~x) & y)")]
    [InlineData("a or b and c", "(a or (b and c))")]
    [InlineData("a and b or c and d", "((a and b) or (c and d))")]
    [InlineData("a < b == c", "((a < b) == c)")]
    [InlineData("1 .. 2 == 3", "((1 .. 2) == 3)")]
    [InlineData("a | b ~ c & d << 1 .. e", "(a | (b ~ (c & (d << (1 .. e)))))")]
    [InlineData("a + b .. c + d", "((a + b) .. (c + d))")]
    [InlineData("a << b >> c", "((a << b) >> c)")]
    [InlineData("a // b % c * d / e", "((((a // b) % c) * d) / e)")]
    [InlineData("(a + b) * c", "(((a + b)) * c)")]
    [InlineData("a ~= b", "(a ~= b)")]
    [InlineData("x ~ y", "(x ~ y)")]
    public void OperatorPrecedence(string expression, string shape)
    {
        Assert.Equal(shape, Shape(expression));
    }

    [Fact]
    public void ParenthesesAreKept()
    {
        // (f()) truncates to one value, so the compiler must see the parentheses.
        var ret = Assert.IsType<ReturnStat>(Assert.Single(Statements("return (f()), (...)")));
        Assert.IsType<CallExpr>(Assert.IsType<ParenExpr>(ret.Values[0]).Inner);
        Assert.IsType<VarargExpr>(Assert.IsType<ParenExpr>(ret.Values[1]).Inner);
    }

    [Fact]
    public void SuffixedExpressions()
    {
        Assert.Equal("a.b[1].c:m(2)(\"s\")({x=1})", Shape("a.b[1].c:m(2) \"s\" {x = 1}"));
        Assert.Equal("f(\"long\")", Shape("f[[long]]"));
        var index = Assert.IsType<IndexExpr>(
            Assert.IsType<ReturnStat>(Assert.Single(Statements("return a.name"))).Values[0]);
        Assert.True(index.IsNameKey);
        Assert.Equal("name", Encoding.ASCII.GetString(Assert.IsType<StringExpr>(index.Key).Value));
        var bracket = Assert.IsType<IndexExpr>(
            Assert.IsType<ReturnStat>(Assert.Single(Statements("return a['name']"))).Values[0]);
        Assert.False(bracket.IsNameKey);
    }

    [Fact]
    public void TableConstructor()
    {
        Assert.Equal("{1, x=2, [3]=4, f(), ...}", Shape("{1, x = 2; [3] = 4, f(), ...,}"));
        Assert.Equal("{}", Shape("{}"));
        Assert.Equal("{x}", Shape("{x}"));            // a name not followed by '=' is a value
        Assert.Equal("{(x == 1)}", Shape("{x == 1}"));
    }

    [Fact]
    public void Literals()
    {
        Assert.Equal("nil, true, false, 1, 1.5, \"s\", ...",
            string.Join(", ", Assert.IsType<ReturnStat>(Assert.Single(Statements(
                "return nil, true, false, 1, 1.5, 's', ..."))).Values.Select(Show)));
    }

    // ---------------------------------------------------------------------------------
    // Statements
    // ---------------------------------------------------------------------------------

    [Fact]
    public void LocalWithAttributes()
    {
        var local = Assert.IsType<LocalStat>(Assert.Single(Statements("local a <const>, b <close>, c = 1, 2")));
        Assert.Equal(["a", "b", "c"], local.Names.Select(n => n.Name));
        Assert.Equal([LocalAttrib.Const, LocalAttrib.Close, LocalAttrib.None], local.Names.Select(n => n.Attrib));
        Assert.Equal(2, local.Values.Count);
        Assert.Empty(Assert.IsType<LocalStat>(Assert.Single(Statements("local x"))).Values);
    }

    [Fact]
    public void Assignment()
    {
        var assign = Assert.IsType<AssignStat>(Assert.Single(Statements("a, b.c, d[1] = 1, 2")));
        Assert.Equal(["a", "b.c", "d[1]"], assign.Targets.Select(Show));
        Assert.Equal(["1", "2"], assign.Values.Select(Show));
    }

    [Fact]
    public void CallStatements()
    {
        IReadOnlyList<Stat> stats = Statements("f() o:m() f 's' f {}");
        Assert.Equal(4, stats.Count);
        Assert.IsType<CallExpr>(Assert.IsType<CallStat>(stats[0]).Call);
        Assert.IsType<MethodCallExpr>(Assert.IsType<CallStat>(stats[1]).Call);
    }

    [Fact]
    public void FunctionStatement()
    {
        var f = Assert.IsType<FunctionStat>(Assert.Single(Statements("function a.b.c:m(x, ...) end")));
        Assert.Equal(["a", "b", "c"], f.NamePath);
        Assert.Equal("m", f.MethodName);
        Assert.True(f.IsMethod);
        Assert.True(f.Body.IsMethod);
        Assert.Equal(["x"], f.Body.Parameters); // 'self' is implicit
        Assert.True(f.Body.IsVararg);

        var plain = Assert.IsType<FunctionStat>(Assert.Single(Statements("function f() end")));
        Assert.Equal(["f"], plain.NamePath);
        Assert.Null(plain.MethodName);
        Assert.False(plain.Body.IsVararg);
    }

    [Fact]
    public void ControlStructures()
    {
        IReadOnlyList<Stat> stats = Statements(
            "if a then elseif b then x() else y() end " +
            "while a do end repeat local z until z " +
            "for i = 1, 10 do end for i = 1, 10, 2 do end for k, v in pairs(t) do end " +
            "do end ::top:: goto top");
        var ifs = Assert.IsType<IfStat>(stats[0]);
        Assert.Equal(2, ifs.Clauses.Count);
        Assert.NotNull(ifs.ElseBody);
        Assert.IsType<WhileStat>(stats[1]);
        var repeat = Assert.IsType<RepeatStat>(stats[2]);
        Assert.Equal("z", Show(repeat.Condition));
        Assert.Null(Assert.IsType<NumericForStat>(stats[3]).Step);
        Assert.Equal("2", Show(Assert.IsType<NumericForStat>(stats[4]).Step!));
        Assert.Equal(["k", "v"], Assert.IsType<GenericForStat>(stats[5]).Names);
        Assert.IsType<DoStat>(stats[6]);
        Assert.Equal("top", Assert.IsType<LabelStat>(stats[7]).Name);
        Assert.Equal("top", Assert.IsType<GotoStat>(stats[8]).Label);
    }

    [Fact]
    public void ReturnAndEmptyStatements()
    {
        Assert.Empty(Statements(";;;"));
        Assert.Empty(Assert.IsType<ReturnStat>(Assert.Single(Statements("return;"))).Values);
        var body = Assert.IsType<DoStat>(Assert.Single(Statements("do return 1 end"))).Body;
        Assert.IsType<ReturnStat>(Assert.Single(body.Statements));
    }

    [Fact]
    public void BreakIsAcceptedAnywhereByTheParser()
    {
        // Lua's parser accepts it; "break outside a loop" comes from code generation.
        Assert.IsType<BreakStat>(Assert.Single(Statements("break")));
    }

    [Fact]
    public void MainChunkIsAVarargFunction()
    {
        FunctionBody main = Parse("return ...").Main;
        Assert.True(main.IsVararg);
        Assert.Empty(main.Parameters);
        Assert.Equal(0, main.LineDefined);
        Assert.Equal(0, main.LastLineDefined);
    }

    // ---------------------------------------------------------------------------------
    // Lines
    // ---------------------------------------------------------------------------------

    [Fact]
    public void FunctionLinesMatchLuasLineDefined()
    {
        // Values from debug.getinfo: a named function is defined at 'function'; a local or
        // anonymous one where its parameter list starts.
        IReadOnlyList<Stat> stats = Statements(
            "local function f\n(\n)\nend\n" +   // lines 1-4
            "g = function\n(\n) end\n" +         // lines 5-7
            "function h\n()\nend\n");            // lines 8-10
        var f = Assert.IsType<LocalFunctionStat>(stats[0]).Body;
        Assert.Equal((2, 4), (f.LineDefined, f.LastLineDefined));
        var g = Assert.IsType<FunctionExpr>(Assert.IsType<AssignStat>(stats[1]).Values[0]);
        Assert.Equal(5, g.Line);
        Assert.Equal((6, 7), (g.Body.LineDefined, g.Body.LastLineDefined));
        var h = Assert.IsType<FunctionStat>(stats[2]).Body;
        Assert.Equal((8, 10), (h.LineDefined, h.LastLineDefined));
    }

    [Fact]
    public void CallLineIsWhereTheExpressionStarts()
    {
        // Lua reports "attempt to call a nil value" at this line (checked with lua5.4).
        var call = Assert.IsType<CallExpr>(Assert.IsType<CallStat>(Assert.Single(Statements("f\n(\n1)"))).Call);
        Assert.Equal(1, call.Line);
        Assert.Equal(2, call.ArgsLine);
    }

    [Fact]
    public void BinaryOperatorLineIsTheOperatorsLine()
    {
        var local = Assert.IsType<LocalStat>(Assert.Single(Statements("local b = a\n +\n 1")));
        var add = Assert.IsType<BinaryExpr>(local.Values[0]);
        Assert.Equal(1, add.Line);
        Assert.Equal(2, add.OpLine);
    }

    [Fact]
    public void StatementLines()
    {
        IReadOnlyList<Stat> stats = Statements("\nx = 1\n\nif x then\nreturn\nend");
        Assert.Equal(2, stats[0].Line);
        var ifs = Assert.IsType<IfStat>(stats[1]);
        Assert.Equal(4, ifs.Line);
        Assert.Equal(5, Assert.Single(ifs.Clauses[0].Body.Statements).Line);
        Assert.Equal(6, ifs.Clauses[0].Body.EndLine);
    }

    // ---------------------------------------------------------------------------------
    // Syntax errors (exact lua5.4 text)
    // ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("x = = 1", "t:1: unexpected symbol near '='")]
    [InlineData("x = @", "t:1: unexpected symbol near '@'")]
    [InlineData("x = \u0001", "t:1: unexpected symbol near '<\\1>'")]
    [InlineData("x = \0", "t:1: unexpected symbol")]  // token 0 means "no token" to Lua
    [InlineData("x", "t:1: syntax error near <eof>")]
    [InlineData("x y", "t:1: syntax error near 'y'")]
    [InlineData("f() = 1", "t:1: syntax error near '='")]
    [InlineData("(a) = 1", "t:1: syntax error near '='")]
    [InlineData("a.b:c = 1", "t:1: function arguments expected near '='")]
    [InlineData("local x <foo> = 1", "t:1: unknown attribute 'foo'")]
    [InlineData("local x <close>, y <close> = 1", "t:1: multiple to-be-closed variables in local list")]
    [InlineData("local x <const", "t:1: '>' expected near <eof>")]
    [InlineData("function f() return ... end", "t:1: cannot use '...' outside a vararg function near '...'")]
    [InlineData("return return", "t:1: unexpected symbol near 'return'")]
    [InlineData("return 1 x", "t:1: <eof> expected near 'x'")]
    [InlineData("for x do end", "t:1: '=' or 'in' expected near 'do'")]
    [InlineData("for 1", "t:1: <name> expected near '1'")]
    [InlineData("for i = 1 do end", "t:1: ',' expected near 'do'")]
    [InlineData("function f(a, 1) end", "t:1: <name> or '...' expected near '1'")]
    [InlineData("f(", "t:1: unexpected symbol near <eof>")]
    [InlineData("f(\n1,\n2", "t:3: ')' expected (to close '(' at line 1) near <eof>")]
    [InlineData("x = a\n:\nm\n(\n1 2)", "t:5: ')' expected (to close '(' at line 1) near '2'")]
    [InlineData("x = {1,2\n,3", "t:2: '}' expected (to close '{' at line 1) near <eof>")]
    [InlineData("x = {1 2}", "t:1: '}' expected near '2'")]
    [InlineData("do\n\nx=1", "t:3: 'end' expected (to close 'do' at line 1) near <eof>")]
    [InlineData("if x then\n\n", "t:3: 'end' expected (to close 'if' at line 1) near <eof>")]
    [InlineData("while x\ndo", "t:2: 'end' expected (to close 'while' at line 1) near <eof>")]
    [InlineData("repeat x = 1", "t:1: 'until' expected near <eof>")]
    [InlineData("function f\n()\n\n", "t:4: 'end' expected (to close 'function' at line 1) near <eof>")]
    [InlineData("f:m", "t:1: function arguments expected near <eof>")]
    [InlineData("f.1", "t:1: syntax error near '.1'")]
    [InlineData("goto 1", "t:1: <name> expected near '1'")]
    [InlineData("::a", "t:1: '::' expected near <eof>")]
    [InlineData("x = a[1", "t:1: ']' expected near <eof>")]
    [InlineData("if x end", "t:1: 'then' expected near 'end'")]
    [InlineData("x = {a = }", "t:1: unexpected symbol near '}'")]
    [InlineData("local \"a\\65b\"", "t:1: <name> expected near '\"aAb\"'")] // strings are quoted decoded
    [InlineData("local [[a\nb]] = 1", "t:2: <name> expected near '[[a\nb]]'")]
    [InlineData("x = 1 y = 2 z", "t:1: syntax error near <eof>")]
    [InlineData("end", "t:1: <eof> expected near 'end'")]
    public void SyntaxErrors(string source, string message)
    {
        Assert.Equal(message, Error(source));
    }

    [Fact]
    public void ErrorsUseTheChunkDisplayName()
    {
        Assert.Equal("test.lua:3: '=' expected near 'y'", Error("\n\nx, z y", "@test.lua"));
        Assert.Equal("[string \"x = = 1\"]:1: unexpected symbol near '='", Error("x = = 1", "x = = 1"));
        var e = Assert.Throws<LuaSyntaxException>(() => Parse("\n\nx = @", "@test.lua"));
        Assert.Equal(3, e.Line);
        Assert.Equal("test.lua", e.ChunkDisplayName);
    }

    [Fact]
    public void NestingLimitMatchesLuaCStackLimit()
    {
        // With load() called from a script's main level, lua5.4 accepts 195 nested parentheses
        // and reports "C stack overflow" (with no position) for 196.
        static string Nested(int n) => "x = " + new string('(', n) + "1" + new string(')', n);
        Parse(Nested(195));
        var e = Assert.Throws<LuaSyntaxException>(() => Parse(Nested(196)));
        Assert.Equal("C stack overflow", e.Message);

        static string Blocks(int n) => string.Concat(Enumerable.Repeat("do ", n)) + string.Concat(Enumerable.Repeat("end ", n));
        Parse(Blocks(197));
        Assert.Equal("C stack overflow", Assert.Throws<LuaSyntaxException>(() => Parse(Blocks(198))).Message);

        // Each extra assignment target counts as a level too.
        static string Targets(int n) => string.Concat(Enumerable.Repeat("a,", n)) + "a = 1";
        Parse(Targets(195));
        Assert.Equal("C stack overflow", Assert.Throws<LuaSyntaxException>(() => Parse(Targets(196))).Message);
    }
}

public class ChunkNameTests
{
    [Theory]
    [InlineData("=stdin", "stdin")]
    [InlineData("=", "")]
    [InlineData("@f.lua", "f.lua")]
    [InlineData("x = 1", "[string \"x = 1\"]")]
    [InlineData("", "[string \"\"]")]
    [InlineData("ab\ncd", "[string \"ab...\"]")]
    [InlineData("\nabc", "[string \"...\"]")]
    [InlineData("a\0b", "[string \"a\"]")]      // chunk names are C strings to Lua
    public void ShortNames(string source, string expected)
    {
        Assert.Equal(expected, ChunkName.Display(source));
    }

    [Fact]
    public void LongNamesAreTruncatedLikeLua()
    {
        Assert.Equal("[string \"" + new string('a', 44) + "\"]", ChunkName.Display(new string('a', 44)));
        Assert.Equal("[string \"" + new string('a', 45) + "...\"]", ChunkName.Display(new string('a', 45)));
        Assert.Equal("[string \"" + new string('a', 45) + "...\"]", ChunkName.Display(new string('a', 100)));
        Assert.Equal(new string('c', 59), ChunkName.Display("=" + new string('c', 59)));
        Assert.Equal(new string('c', 59), ChunkName.Display("=" + new string('c', 200)));
        Assert.Equal(new string('d', 59), ChunkName.Display("@" + new string('d', 59)));
        Assert.Equal("..." + new string('d', 55) + "Z", ChunkName.Display("@" + new string('d', 60) + "Z"));
    }
}
