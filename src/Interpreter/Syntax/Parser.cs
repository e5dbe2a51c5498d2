using System.Text;

namespace Tiered.Interpreter.Syntax;

/// <summary>
/// Recursive-descent parser for Lua 5.4, producing the tree in Ast.cs.
/// <para>
/// The grammar functions follow the order and the error checks of the reference parser one
/// for one, because Lua programs (and its test suite) see the exact syntax-error messages and
/// the line they are reported at. The lexer's <see cref="Lexer.Line"/> is read at the same
/// moments the reference reads its line counter, so node lines match the lines Lua puts in
/// its line info and messages.
/// </para>
/// Name resolution, goto/label and break checks, and limits on locals and upvalues are left to
/// the compiler, as in Lua, where they belong to code generation.
/// </summary>
public sealed class Parser
{
    /// <summary>
    /// How deep statements and subexpressions may nest. Lua counts them against its C-call
    /// limit (LUAI_MAXCCALLS = 200), which also counts the C calls already active when load()
    /// runs; 197 matches a chunk loaded from a script's main level, where three are active.
    /// </summary>
    public const int MaxNestingDepth = 197;

    /// <summary>Binding power of unary operators: above every binary operator except '^'.</summary>
    private const int UnaryPriority = 12;

    private readonly Lexer _lexer;
    private int _depth;
    private bool _functionIsVararg;

    private Parser(Lexer lexer)
    {
        _lexer = lexer;
    }

    /// <summary>
    /// Parses a whole chunk.
    /// </summary>
    /// <param name="source">The chunk's bytes (passed through unchanged into string literals).</param>
    /// <param name="chunkSource">The chunk name: "@file.lua", "=name", or the source text itself
    /// (as load() uses by default); messages show it through <see cref="ChunkName.Display"/>.</param>
    /// <param name="skipShebang">Skip a byte-order mark and a first line starting with '#' (files only).</param>
    /// <exception cref="LuaSyntaxException">With Lua's exact message, e.g. "t.lua:3: '=' expected near 'y'".</exception>
    public static Chunk Parse(byte[] source, string chunkSource, bool skipShebang = false)
    {
        var lexer = new Lexer(source, chunkSource, skipShebang);
        var parser = new Parser(lexer);
        FunctionBody main = parser.ParseMainFunction();
        return new Chunk(main, chunkSource, lexer.ChunkDisplayName);
    }

    private FunctionBody ParseMainFunction()
    {
        _functionIsVararg = true; // the main chunk is always vararg
        _lexer.Next();
        Block block = ParseBlock();
        Check(TokenKind.Eof);
        return new FunctionBody(0, [], isVararg: true, isMethod: false, block, lineDefined: 0, lastLineDefined: 0);
    }

    // =================================================================================
    // Token helpers
    // =================================================================================

    private TokenKind Kind => _lexer.Token.Kind;
    private int Line => _lexer.Line;

    private bool TestNext(TokenKind kind)
    {
        if (Kind != kind) return false;
        _lexer.Next();
        return true;
    }

    private void Check(TokenKind kind)
    {
        if (Kind != kind) throw _lexer.ErrorNearToken(TokenText.Describe(kind) + " expected");
    }

    private void CheckNext(TokenKind kind)
    {
        Check(kind);
        _lexer.Next();
    }

    /// <summary>
    /// Expects the token closing a construct opened by <paramref name="opener"/> at
    /// <paramref name="openLine"/>; the message names the opener only when it is on another line.
    /// </summary>
    private void CheckMatch(TokenKind closer, TokenKind opener, int openLine)
    {
        if (TestNext(closer)) return;
        if (openLine == Line) throw _lexer.ErrorNearToken(TokenText.Describe(closer) + " expected");
        throw _lexer.ErrorNearToken(
            $"{TokenText.Describe(closer)} expected (to close {TokenText.Describe(opener)} at line {openLine})");
    }

    private string CheckName()
    {
        Check(TokenKind.Name);
        string name = _lexer.Token.Name!;
        _lexer.Next();
        return name;
    }

    /// <summary>Tokens that end a block. 'until' ends one only where the caller says so.</summary>
    private bool BlockFollows(bool withUntil) => Kind switch
    {
        TokenKind.Else or TokenKind.Elseif or TokenKind.End or TokenKind.Eof => true,
        TokenKind.Until => withUntil,
        _ => false,
    };

    private void EnterLevel()
    {
        if (++_depth > MaxNestingDepth)
            throw LuaSyntaxException.WithoutPosition(_lexer.ChunkDisplayName, Line, "C stack overflow");
    }

    private void LeaveLevel() => _depth--;

    // =================================================================================
    // Blocks and statements
    // =================================================================================

    /// <summary>block -> { stat [';'] } [retstat]</summary>
    private Block ParseBlock()
    {
        int line = Line;
        var statements = new List<Stat>();
        while (!BlockFollows(withUntil: true))
        {
            bool isReturn = Kind == TokenKind.Return;
            Stat? statement = ParseStatement();
            if (statement != null) statements.Add(statement);
            if (isReturn) break; // 'return' must be the last statement
        }
        return new Block(line, statements, Line);
    }

    /// <summary>One statement; null for the empty statement ';'.</summary>
    private Stat? ParseStatement()
    {
        int line = Line;
        EnterLevel();
        Stat? result;
        switch (Kind)
        {
            case TokenKind.Semicolon:
                _lexer.Next();
                result = null;
                break;
            case TokenKind.If:
                result = ParseIf(line);
                break;
            case TokenKind.While:
            {
                _lexer.Next();
                Expr condition = ParseExpr();
                CheckNext(TokenKind.Do);
                Block body = ParseBlock();
                CheckMatch(TokenKind.End, TokenKind.While, line);
                result = new WhileStat(line, condition, body);
                break;
            }
            case TokenKind.Do:
            {
                _lexer.Next();
                Block body = ParseBlock();
                CheckMatch(TokenKind.End, TokenKind.Do, line);
                result = new DoStat(line, body);
                break;
            }
            case TokenKind.For:
                result = ParseFor(line);
                break;
            case TokenKind.Repeat:
            {
                _lexer.Next();
                Block body = ParseBlock();
                CheckMatch(TokenKind.Until, TokenKind.Repeat, line);
                Expr condition = ParseExpr(); // parsed inside the loop body's scope
                result = new RepeatStat(line, body, condition);
                break;
            }
            case TokenKind.Function:
                result = ParseFunctionStat(line);
                break;
            case TokenKind.Local:
                _lexer.Next();
                if (TestNext(TokenKind.Function))
                {
                    string name = CheckName();
                    // A local function's definition line is where its parameter list starts.
                    FunctionBody body = ParseBody(Line, isMethod: false);
                    result = new LocalFunctionStat(line, name, body);
                }
                else
                {
                    result = ParseLocal(line);
                }
                break;
            case TokenKind.DbColon:
            {
                _lexer.Next();
                string name = CheckName();
                CheckNext(TokenKind.DbColon);
                result = new LabelStat(line, name);
                break;
            }
            case TokenKind.Return:
                _lexer.Next();
                result = ParseReturn(line);
                break;
            case TokenKind.Break:
                _lexer.Next();
                result = new BreakStat(line);
                break;
            case TokenKind.Goto:
                _lexer.Next();
                result = new GotoStat(line, CheckName());
                break;
            default:
                result = ParseExprStat(line);
                break;
        }
        LeaveLevel();
        return result;
    }

    /// <summary>if cond then block {elseif cond then block} [else block] end</summary>
    private IfStat ParseIf(int line)
    {
        var clauses = new List<IfClause>();
        do
        {
            int clauseLine = Line;
            _lexer.Next(); // 'if' or 'elseif'
            Expr condition = ParseExpr();
            CheckNext(TokenKind.Then);
            Block body = ParseBlock();
            clauses.Add(new IfClause(clauseLine, condition, body));
        } while (Kind == TokenKind.Elseif);
        Block? elseBody = TestNext(TokenKind.Else) ? ParseBlock() : null;
        CheckMatch(TokenKind.End, TokenKind.If, line);
        return new IfStat(line, clauses, elseBody);
    }

    /// <summary>for Name '=' exp ',' exp [',' exp] do block end | for namelist in explist do block end</summary>
    private Stat ParseFor(int line)
    {
        _lexer.Next();
        string first = CheckName();
        Stat result;
        switch (Kind)
        {
            case TokenKind.Assign:
            {
                _lexer.Next();
                Expr start = ParseExpr();
                CheckNext(TokenKind.Comma);
                Expr limit = ParseExpr();
                Expr? step = TestNext(TokenKind.Comma) ? ParseExpr() : null;
                CheckNext(TokenKind.Do);
                Block body = ParseBlock();
                result = new NumericForStat(line, first, start, limit, step, body);
                break;
            }
            case TokenKind.Comma:
            case TokenKind.In:
            {
                var names = new List<string> { first };
                while (TestNext(TokenKind.Comma)) names.Add(CheckName());
                CheckNext(TokenKind.In);
                List<Expr> values = ParseExprList();
                CheckNext(TokenKind.Do);
                Block body = ParseBlock();
                result = new GenericForStat(line, names, values, body);
                break;
            }
            default:
                throw _lexer.ErrorNearToken("'=' or 'in' expected");
        }
        CheckMatch(TokenKind.End, TokenKind.For, line);
        return result;
    }

    /// <summary>function Name {'.' Name} [':' Name] body</summary>
    private FunctionStat ParseFunctionStat(int line)
    {
        _lexer.Next();
        var path = new List<string> { CheckName() };
        while (TestNext(TokenKind.Dot)) path.Add(CheckName());
        string? method = TestNext(TokenKind.Colon) ? CheckName() : null;
        FunctionBody body = ParseBody(line, isMethod: method != null);
        return new FunctionStat(line, path, method, body);
    }

    /// <summary>local Name attrib {',' Name attrib} ['=' explist]</summary>
    private LocalStat ParseLocal(int line)
    {
        var names = new List<LocalName>();
        bool hasClose = false;
        do
        {
            int nameLine = Line;
            string name = CheckName();
            LocalAttrib attrib = ParseAttrib();
            if (attrib == LocalAttrib.Close)
            {
                if (hasClose) throw _lexer.ErrorWithoutToken("multiple to-be-closed variables in local list");
                hasClose = true;
            }
            names.Add(new LocalName(nameLine, name, attrib));
        } while (TestNext(TokenKind.Comma));
        IReadOnlyList<Expr> values = TestNext(TokenKind.Assign) ? ParseExprList() : [];
        return new LocalStat(line, names, values);
    }

    /// <summary>attrib -> ['&lt;' Name '&gt;']</summary>
    private LocalAttrib ParseAttrib()
    {
        if (!TestNext(TokenKind.Lt)) return LocalAttrib.None;
        string attrib = CheckName();
        CheckNext(TokenKind.Gt);
        return attrib switch
        {
            "const" => LocalAttrib.Const,
            "close" => LocalAttrib.Close,
            _ => throw _lexer.ErrorWithoutToken($"unknown attribute '{attrib}'"),
        };
    }

    /// <summary>retstat -> return [explist] [';'] (after 'return')</summary>
    private ReturnStat ParseReturn(int line)
    {
        IReadOnlyList<Expr> values = BlockFollows(withUntil: true) || Kind == TokenKind.Semicolon
            ? []
            : ParseExprList();
        TestNext(TokenKind.Semicolon);
        return new ReturnStat(line, values);
    }

    /// <summary>exprstat -> func | assignment</summary>
    private Stat ParseExprStat(int line)
    {
        Expr first = ParseSuffixedExpr();
        if (Kind != TokenKind.Assign && Kind != TokenKind.Comma)
        {
            if (first is not (CallExpr or MethodCallExpr)) throw _lexer.ErrorNearToken("syntax error");
            return new CallStat(line, first);
        }
        var targets = new List<Expr> { first };
        CheckAssignable(first);
        // Lua parses each further target one level deeper (it recurses per target).
        int extraLevels = 0;
        while (TestNext(TokenKind.Comma))
        {
            Expr target = ParseSuffixedExpr();
            CheckAssignable(target);
            targets.Add(target);
            EnterLevel();
            extraLevels++;
        }
        int equalsLine = Line;
        CheckNext(TokenKind.Assign);
        List<Expr> values = ParseExprList();
        _depth -= extraLevels;
        return new AssignStat(line, targets, values, equalsLine);
    }

    private void CheckAssignable(Expr target)
    {
        if (target is not (NameExpr or IndexExpr)) throw _lexer.ErrorNearToken("syntax error");
    }

    // =================================================================================
    // Functions
    // =================================================================================

    /// <summary>body -> '(' parlist ')' block end</summary>
    private FunctionBody ParseBody(int line, bool isMethod)
    {
        CheckNext(TokenKind.LParen);
        var parameters = new List<string>();
        bool isVararg = false;
        if (Kind != TokenKind.RParen)
        {
            do
            {
                switch (Kind)
                {
                    case TokenKind.Name:
                        parameters.Add(_lexer.Token.Name!);
                        _lexer.Next();
                        break;
                    case TokenKind.Dots:
                        _lexer.Next();
                        isVararg = true;
                        break;
                    default:
                        throw _lexer.ErrorNearToken("<name> or '...' expected");
                }
            } while (!isVararg && TestNext(TokenKind.Comma));
        }
        CheckNext(TokenKind.RParen);
        bool outerIsVararg = _functionIsVararg;
        _functionIsVararg = isVararg;
        Block block = ParseBlock();
        int lastLine = Line;
        CheckMatch(TokenKind.End, TokenKind.Function, line);
        _functionIsVararg = outerIsVararg;
        return new FunctionBody(line, parameters, isVararg, isMethod, block, line, lastLine);
    }

    // =================================================================================
    // Expressions
    // =================================================================================

    private List<Expr> ParseExprList()
    {
        var list = new List<Expr> { ParseExpr() };
        while (TestNext(TokenKind.Comma)) list.Add(ParseExpr());
        return list;
    }

    private Expr ParseExpr() => ParseSubExpr(0);

    /// <summary>
    /// subexpr -> (simpleexp | unop subexpr) { binop subexpr }, taking binary operators whose
    /// left priority exceeds <paramref name="limit"/>.
    /// </summary>
    private Expr ParseSubExpr(int limit)
    {
        EnterLevel();
        Expr left;
        UnaryOp? unary = AsUnaryOp(Kind);
        if (unary is UnaryOp uop)
        {
            int line = Line;
            _lexer.Next();
            Expr operand = ParseSubExpr(UnaryPriority);
            left = new UnaryExpr(line, uop, operand);
        }
        else
        {
            left = ParseSimpleExpr();
        }
        while (AsBinaryOp(Kind) is BinaryOp op && LeftPriority(op) > limit)
        {
            int opLine = Line;
            _lexer.Next();
            Expr right = ParseSubExpr(RightPriority(op));
            left = new BinaryExpr(left.Line, op, left, right, opLine);
        }
        LeaveLevel();
        return left;
    }

    private static UnaryOp? AsUnaryOp(TokenKind kind) => kind switch
    {
        TokenKind.Not => UnaryOp.Not,
        TokenKind.Minus => UnaryOp.Minus,
        TokenKind.Tilde => UnaryOp.BNot,
        TokenKind.Hash => UnaryOp.Len,
        _ => null,
    };

    private static BinaryOp? AsBinaryOp(TokenKind kind) => kind switch
    {
        TokenKind.Plus => BinaryOp.Add,
        TokenKind.Minus => BinaryOp.Sub,
        TokenKind.Star => BinaryOp.Mul,
        TokenKind.Slash => BinaryOp.Div,
        TokenKind.IDiv => BinaryOp.IDiv,
        TokenKind.Percent => BinaryOp.Mod,
        TokenKind.Caret => BinaryOp.Pow,
        TokenKind.Amp => BinaryOp.BAnd,
        TokenKind.Pipe => BinaryOp.BOr,
        TokenKind.Tilde => BinaryOp.BXor,
        TokenKind.Shl => BinaryOp.Shl,
        TokenKind.Shr => BinaryOp.Shr,
        TokenKind.Concat => BinaryOp.Concat,
        TokenKind.Eq => BinaryOp.Eq,
        TokenKind.Ne => BinaryOp.Ne,
        TokenKind.Lt => BinaryOp.Lt,
        TokenKind.Le => BinaryOp.Le,
        TokenKind.Gt => BinaryOp.Gt,
        TokenKind.Ge => BinaryOp.Ge,
        TokenKind.And => BinaryOp.And,
        TokenKind.Or => BinaryOp.Or,
        _ => null,
    };

    // Precedence from the Lua 5.4 manual (section 3.4.8), lowest first:
    //   or < and < comparison < | < ~ < & < shift < .. < +- < */ // % < unary < ^
    // A right priority lower than the left one makes the operator right-associative.
    private static int LeftPriority(BinaryOp op) => op switch
    {
        BinaryOp.Or => 1,
        BinaryOp.And => 2,
        BinaryOp.Eq or BinaryOp.Ne or BinaryOp.Lt or BinaryOp.Le or BinaryOp.Gt or BinaryOp.Ge => 3,
        BinaryOp.BOr => 4,
        BinaryOp.BXor => 5,
        BinaryOp.BAnd => 6,
        BinaryOp.Shl or BinaryOp.Shr => 7,
        BinaryOp.Concat => 9,
        BinaryOp.Add or BinaryOp.Sub => 10,
        BinaryOp.Mul or BinaryOp.Div or BinaryOp.IDiv or BinaryOp.Mod => 11,
        BinaryOp.Pow => 14,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static int RightPriority(BinaryOp op) => op switch
    {
        BinaryOp.Concat => 8, // right-associative
        BinaryOp.Pow => 13,   // right-associative, and binds tighter than unary on its left
        _ => LeftPriority(op),
    };

    /// <summary>simpleexp -> FLT | INT | STRING | nil | true | false | ... | constructor | function body | suffixedexp</summary>
    private Expr ParseSimpleExpr()
    {
        int line = Line;
        Token token = _lexer.Token;
        Expr result;
        switch (token.Kind)
        {
            case TokenKind.Float: result = new FloatExpr(line, token.Float); break;
            case TokenKind.Integer: result = new IntegerExpr(line, token.Integer); break;
            case TokenKind.String: result = new StringExpr(line, token.String!); break;
            case TokenKind.Nil: result = new NilExpr(line); break;
            case TokenKind.True: result = new TrueExpr(line); break;
            case TokenKind.False: result = new FalseExpr(line); break;
            case TokenKind.Dots:
                if (!_functionIsVararg) throw _lexer.ErrorNearToken("cannot use '...' outside a vararg function");
                result = new VarargExpr(line);
                break;
            case TokenKind.LBrace:
                return ParseTable();
            case TokenKind.Function:
                _lexer.Next();
                // Like Lua, an anonymous function is "defined" where its parameter list starts.
                return new FunctionExpr(line, ParseBody(Line, isMethod: false));
            default:
                return ParseSuffixedExpr();
        }
        _lexer.Next();
        return result;
    }

    /// <summary>primaryexp -> NAME | '(' expr ')'</summary>
    private Expr ParsePrimaryExpr()
    {
        int line = Line;
        switch (Kind)
        {
            case TokenKind.Name:
                return new NameExpr(line, CheckName());
            case TokenKind.LParen:
            {
                _lexer.Next();
                Expr inner = ParseExpr();
                CheckMatch(TokenKind.RParen, TokenKind.LParen, line);
                return new ParenExpr(line, inner);
            }
            default:
                throw _lexer.ErrorNearToken("unexpected symbol");
        }
    }

    /// <summary>suffixedexp -> primaryexp { '.' NAME | '[' exp ']' | ':' NAME funcargs | funcargs }</summary>
    private Expr ParseSuffixedExpr()
    {
        int line = Line; // Lua stamps calls anywhere in the chain with this line
        Expr expr = ParsePrimaryExpr();
        while (true)
        {
            switch (Kind)
            {
                case TokenKind.Dot:
                {
                    int keyLine = Line;
                    _lexer.Next();
                    int nameLine = Line;
                    string name = CheckName();
                    expr = new IndexExpr(line, expr, new StringExpr(nameLine, Encoding.ASCII.GetBytes(name)), name, keyLine);
                    break;
                }
                case TokenKind.LBracket:
                {
                    int keyLine = Line;
                    _lexer.Next();
                    Expr key = ParseExpr();
                    CheckNext(TokenKind.RBracket);
                    expr = new IndexExpr(line, expr, key, null, keyLine);
                    break;
                }
                case TokenKind.Colon:
                {
                    _lexer.Next();
                    int methodLine = Line;
                    string method = CheckName();
                    int argsLine = Line;
                    List<Expr> args = ParseCallArgs(line);
                    expr = new MethodCallExpr(line, expr, method, args, argsLine, methodLine);
                    break;
                }
                case TokenKind.LParen:
                case TokenKind.String:
                case TokenKind.LBrace:
                {
                    int argsLine = Line;
                    List<Expr> args = ParseCallArgs(line);
                    expr = new CallExpr(line, expr, args, argsLine);
                    break;
                }
                default:
                    return expr;
            }
        }
    }

    /// <summary>funcargs -> '(' [explist] ')' | constructor | STRING</summary>
    private List<Expr> ParseCallArgs(int line)
    {
        switch (Kind)
        {
            case TokenKind.LParen:
            {
                _lexer.Next();
                List<Expr> args = Kind == TokenKind.RParen ? [] : ParseExprList();
                CheckMatch(TokenKind.RParen, TokenKind.LParen, line);
                return args;
            }
            case TokenKind.LBrace:
                return [ParseTable()];
            case TokenKind.String:
            {
                var arg = new StringExpr(Line, _lexer.Token.String!);
                _lexer.Next();
                return [arg];
            }
            default:
                throw _lexer.ErrorNearToken("function arguments expected");
        }
    }

    /// <summary>constructor -> '{' [ field { sep field } [sep] ] '}'</summary>
    private TableExpr ParseTable()
    {
        int line = Line;
        CheckNext(TokenKind.LBrace);
        var fields = new List<TableField>();
        do
        {
            if (Kind == TokenKind.RBrace) break;
            fields.Add(ParseField());
        } while (TestNext(TokenKind.Comma) || TestNext(TokenKind.Semicolon));
        int closeLine = Line;
        CheckMatch(TokenKind.RBrace, TokenKind.LBrace, line);
        return new TableExpr(line, fields, closeLine);
    }

    /// <summary>field -> NAME '=' exp | '[' exp ']' '=' exp | exp</summary>
    private TableField ParseField()
    {
        int line = Line;
        switch (Kind)
        {
            case TokenKind.Name:
                if (_lexer.Lookahead() != TokenKind.Assign)
                    return new ListField(line, ParseExpr());
                string name = CheckName();
                CheckNext(TokenKind.Assign);
                return new NamedField(line, name, ParseExpr());
            case TokenKind.LBracket:
            {
                _lexer.Next();
                Expr key = ParseExpr();
                CheckNext(TokenKind.RBracket);
                CheckNext(TokenKind.Assign);
                return new KeyedField(line, key, ParseExpr());
            }
            default:
                return new ListField(line, ParseExpr());
        }
    }
}
