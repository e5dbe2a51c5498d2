namespace Tiered.Interpreter.Syntax;

// The syntax tree the parser hands to the bytecode compiler.
//
// The tree is deliberately unresolved: a NameExpr is only a name, and deciding whether it is a
// local, an upvalue or a global (plus goto/label checks and <const> assignment errors) is the
// compiler's job, exactly as Lua's own parser defers those checks to its code generator.
//
// Nodes are plain sealed classes (not records) so that they compare by reference: the compiler
// may key dictionaries by node without two identical `x` references colliding.
//
// Line numbers: every node's Line is the source line of its first token, except where a field
// says otherwise. Lines start at 1. As in Lua, a token's line is the line the lexer is on once
// the token is read, so for a string spanning several lines it is the line where it ends.

/// <summary>Base of every syntax-tree node.</summary>
public abstract class Node(int line)
{
    /// <summary>Source line of the node's first token (see each node for exceptions).</summary>
    public int Line { get; } = line;
}

// =====================================================================================
// Expressions
// =====================================================================================

/// <summary>Base of every expression node.</summary>
public abstract class Expr(int line) : Node(line);

/// <summary><c>nil</c></summary>
public sealed class NilExpr(int line) : Expr(line);

/// <summary><c>true</c></summary>
public sealed class TrueExpr(int line) : Expr(line);

/// <summary><c>false</c></summary>
public sealed class FalseExpr(int line) : Expr(line);

/// <summary><c>...</c> (the parser has already checked the enclosing function is vararg).</summary>
public sealed class VarargExpr(int line) : Expr(line);

/// <summary>An integer numeral (decimal that fits in int64, or any hex integer, wrapped mod 2^64).</summary>
public sealed class IntegerExpr(int line, long value) : Expr(line)
{
    public long Value { get; } = value;
}

/// <summary>A float numeral (has '.', an exponent, or is a decimal integer that overflowed int64).</summary>
public sealed class FloatExpr(int line, double value) : Expr(line)
{
    public double Value { get; } = value;
}

/// <summary>A string literal, as raw bytes with escapes already decoded.</summary>
public sealed class StringExpr(int line, byte[] value) : Expr(line)
{
    public byte[] Value { get; } = value;
}

/// <summary><c>function (params) body end</c> used as an expression.</summary>
public sealed class FunctionExpr(int line, FunctionBody body) : Expr(line)
{
    public FunctionBody Body { get; } = body;
}

/// <summary>A table constructor <c>{ ... }</c>. Line is the line of '{'.</summary>
public sealed class TableExpr(int line, IReadOnlyList<TableField> fields, int closeLine) : Expr(line)
{
    /// <summary>Fields in source order (positional and keyed interleaved as written).</summary>
    public IReadOnlyList<TableField> Fields { get; } = fields;
    /// <summary>Line of the closing '}'.</summary>
    public int CloseLine { get; } = closeLine;
}

/// <summary>One item of a table constructor.</summary>
public abstract class TableField(int line) : Node(line)
{
    public abstract Expr Value { get; }
}

/// <summary>A positional item <c>{ v }</c>; the n-th positional item goes to key n.</summary>
public sealed class ListField(int line, Expr value) : TableField(line)
{
    public override Expr Value { get; } = value;
}

/// <summary>A general keyed item <c>{ [k] = v }</c>.</summary>
public sealed class KeyedField(int line, Expr key, Expr value) : TableField(line)
{
    public Expr Key { get; } = key;
    public override Expr Value { get; } = value;
}

/// <summary>A name-keyed item <c>{ name = v }</c> (the key is the string "name").</summary>
public sealed class NamedField(int line, string name, Expr value) : TableField(line)
{
    public string Name { get; } = name;
    public override Expr Value { get; } = value;
}

/// <summary>The 21 binary operators, in Lua's precedence groups.</summary>
public enum BinaryOp
{
    // arithmetic
    Add, Sub, Mul, Div, IDiv, Mod, Pow,
    // bitwise
    BAnd, BOr, BXor, Shl, Shr,
    // string
    Concat,
    // comparison
    Eq, Ne, Lt, Le, Gt, Ge,
    // logical (short-circuit)
    And, Or,
}

/// <summary>The four unary operators.</summary>
public enum UnaryOp
{
    /// <summary><c>-x</c></summary>
    Minus,
    /// <summary><c>not x</c></summary>
    Not,
    /// <summary><c>#x</c></summary>
    Len,
    /// <summary><c>~x</c></summary>
    BNot,
}

/// <summary>
/// <c>left op right</c>. Line is the line of the left operand's first token;
/// <see cref="OpLine"/> is the line of the operator token, which is what Lua uses for the
/// instruction (and so for "attempt to perform arithmetic" messages).
/// </summary>
public sealed class BinaryExpr(int line, BinaryOp op, Expr left, Expr right, int opLine) : Expr(line)
{
    public BinaryOp Op { get; } = op;
    public Expr Left { get; } = left;
    public Expr Right { get; } = right;
    public int OpLine { get; } = opLine;
}

/// <summary><c>op operand</c>. Line is the operator's line (its first token).</summary>
public sealed class UnaryExpr(int line, UnaryOp op, Expr operand) : Expr(line)
{
    public UnaryOp Op { get; } = op;
    public Expr Operand { get; } = operand;
    /// <summary>Same as Line (the operator is the first token); named for symmetry with BinaryExpr.</summary>
    public int OpLine => Line;
}

/// <summary>A bare name. Not resolved: the compiler decides local / upvalue / global (_ENV.name).</summary>
public sealed class NameExpr(int line, string name) : Expr(line)
{
    public string Name { get; } = name;
}

/// <summary>
/// <c>obj[key]</c> or <c>obj.name</c>. For <c>obj.name</c>, Key is a StringExpr holding the name
/// and <see cref="FieldName"/> is set, so messages can say "field 'name'".
/// Line is the line of obj's first token; <see cref="KeyLine"/> is the line of '[' or '.'.
/// </summary>
public sealed class IndexExpr(int line, Expr obj, Expr key, string? fieldName, int keyLine) : Expr(line)
{
    public Expr Object { get; } = obj;
    public Expr Key { get; } = key;
    /// <summary>The name when written as <c>obj.name</c>; null for <c>obj[key]</c>.</summary>
    public string? FieldName { get; } = fieldName;
    public bool IsNameKey => FieldName != null;
    public int KeyLine { get; } = keyLine;
}

/// <summary>
/// <c>f(args)</c>, <c>f "str"</c>, <c>f { ... }</c>. Line is the line where the whole suffixed
/// expression starts (the line Lua stamps on OP_CALL, so runtime call errors report it);
/// <see cref="ArgsLine"/> is the line of '(' (or of the string / '{').
/// </summary>
public sealed class CallExpr(int line, Expr function, IReadOnlyList<Expr> args, int argsLine) : Expr(line)
{
    public Expr Function { get; } = function;
    public IReadOnlyList<Expr> Args { get; } = args;
    public int ArgsLine { get; } = argsLine;
}

/// <summary>
/// <c>obj:name(args)</c>. Line as for CallExpr; <see cref="ArgsLine"/> is the line of the
/// argument token; <see cref="MethodLine"/> is the line of the method name.
/// </summary>
public sealed class MethodCallExpr(int line, Expr obj, string method, IReadOnlyList<Expr> args, int argsLine, int methodLine) : Expr(line)
{
    public Expr Object { get; } = obj;
    public string Method { get; } = method;
    public IReadOnlyList<Expr> Args { get; } = args;
    public int ArgsLine { get; } = argsLine;
    public int MethodLine { get; } = methodLine;
}

/// <summary><c>( inner )</c>. Kept because it truncates calls and <c>...</c> to one value.</summary>
public sealed class ParenExpr(int line, Expr inner) : Expr(line)
{
    public Expr Inner { get; } = inner;
}

// =====================================================================================
// Statements
// =====================================================================================

/// <summary>Base of every statement node. Empty statements (';') are dropped by the parser.</summary>
public abstract class Stat(int line) : Node(line);

/// <summary>Attribute of a local variable: <c>&lt;const&gt;</c> or <c>&lt;close&gt;</c>.</summary>
public enum LocalAttrib
{
    None,
    Const,
    Close,
}

/// <summary>One name in a <c>local</c> list, with its attribute.</summary>
public sealed class LocalName(int line, string name, LocalAttrib attrib) : Node(line)
{
    public string Name { get; } = name;
    public LocalAttrib Attrib { get; } = attrib;
}

/// <summary>
/// <c>local a &lt;const&gt;, b = e1, e2</c>. Values is empty when there is no '='.
/// The parser has already rejected unknown attributes and a second &lt;close&gt;.
/// </summary>
public sealed class LocalStat(int line, IReadOnlyList<LocalName> names, IReadOnlyList<Expr> values) : Stat(line)
{
    public IReadOnlyList<LocalName> Names { get; } = names;
    public IReadOnlyList<Expr> Values { get; } = values;
}

/// <summary>
/// <c>t1, t2 = e1, e2</c>. Every target is a NameExpr or an IndexExpr.
/// <see cref="EqualsLine"/> is the line of '='.
/// </summary>
public sealed class AssignStat(int line, IReadOnlyList<Expr> targets, IReadOnlyList<Expr> values, int equalsLine) : Stat(line)
{
    public IReadOnlyList<Expr> Targets { get; } = targets;
    public IReadOnlyList<Expr> Values { get; } = values;
    public int EqualsLine { get; } = equalsLine;
}

/// <summary>A call used as a statement; Call is a CallExpr or MethodCallExpr.</summary>
public sealed class CallStat(int line, Expr call) : Stat(line)
{
    public Expr Call { get; } = call;
}

/// <summary><c>do block end</c></summary>
public sealed class DoStat(int line, Block body) : Stat(line)
{
    public Block Body { get; } = body;
}

/// <summary><c>while cond do block end</c></summary>
public sealed class WhileStat(int line, Expr condition, Block body) : Stat(line)
{
    public Expr Condition { get; } = condition;
    public Block Body { get; } = body;
}

/// <summary>
/// <c>repeat block until cond</c>. The condition is inside the block's scope: it can see
/// locals declared in Body. Body.EndLine is the line of 'until'.
/// </summary>
public sealed class RepeatStat(int line, Block body, Expr condition) : Stat(line)
{
    public Block Body { get; } = body;
    public Expr Condition { get; } = condition;
}

/// <summary>One <c>if cond then block</c> or <c>elseif cond then block</c> arm.</summary>
public sealed class IfClause(int line, Expr condition, Block body) : Node(line)
{
    public Expr Condition { get; } = condition;
    public Block Body { get; } = body;
}

/// <summary>
/// <c>if c1 then b1 elseif c2 then b2 else b3 end</c>. Clauses[0] is the 'if' arm;
/// ElseBody is null when there is no 'else'.
/// </summary>
public sealed class IfStat(int line, IReadOnlyList<IfClause> clauses, Block? elseBody) : Stat(line)
{
    public IReadOnlyList<IfClause> Clauses { get; } = clauses;
    public Block? ElseBody { get; } = elseBody;
}

/// <summary><c>for v = start, limit [, step] do block end</c>. Line is the line of 'for'.</summary>
public sealed class NumericForStat(int line, string variable, Expr start, Expr limit, Expr? step, Block body) : Stat(line)
{
    public string Variable { get; } = variable;
    public Expr Start { get; } = start;
    public Expr Limit { get; } = limit;
    /// <summary>Null when omitted (step 1).</summary>
    public Expr? Step { get; } = step;
    public Block Body { get; } = body;
}

/// <summary><c>for n1, n2 in e1, e2 do block end</c>. Line is the line of 'for'.</summary>
public sealed class GenericForStat(int line, IReadOnlyList<string> names, IReadOnlyList<Expr> values, Block body) : Stat(line)
{
    public IReadOnlyList<string> Names { get; } = names;
    public IReadOnlyList<Expr> Values { get; } = values;
    public Block Body { get; } = body;
}

/// <summary>
/// <c>function a.b.c:m() end</c>. NamePath is ["a", "b", "c"] (the first element is a variable
/// name to resolve, the rest are field names); MethodName is "m" or null. When MethodName is set,
/// Body.IsMethod is true (implicit 'self'). Line is the line of 'function'.
/// </summary>
public sealed class FunctionStat(int line, IReadOnlyList<string> namePath, string? methodName, FunctionBody body) : Stat(line)
{
    public IReadOnlyList<string> NamePath { get; } = namePath;
    public string? MethodName { get; } = methodName;
    public bool IsMethod => MethodName != null;
    public FunctionBody Body { get; } = body;
}

/// <summary>
/// <c>local function f() end</c>: the local is in scope inside its own body (recursion),
/// unlike <c>local f = function() end</c>.
/// </summary>
public sealed class LocalFunctionStat(int line, string name, FunctionBody body) : Stat(line)
{
    public string Name { get; } = name;
    public FunctionBody Body { get; } = body;
}

/// <summary>
/// <c>return e1, e2</c>. Always the last statement of its block (the parser guarantees it).
/// Line is the line of 'return'.
/// </summary>
public sealed class ReturnStat(int line, IReadOnlyList<Expr> values) : Stat(line)
{
    public IReadOnlyList<Expr> Values { get; } = values;
}

/// <summary><c>break</c>. Accepted anywhere by the parser; the compiler reports "break outside a loop".</summary>
public sealed class BreakStat(int line) : Stat(line);

/// <summary><c>goto name</c></summary>
public sealed class GotoStat(int line, string label) : Stat(line)
{
    public string Label { get; } = label;
}

/// <summary><c>::name::</c></summary>
public sealed class LabelStat(int line, string name) : Stat(line)
{
    public string Name { get; } = name;
}

// =====================================================================================
// Blocks, functions, chunks
// =====================================================================================

/// <summary>A statement list. Line is the line of its first token (or of the end token if empty).</summary>
public sealed class Block(int line, IReadOnlyList<Stat> statements, int endLine) : Node(line)
{
    public IReadOnlyList<Stat> Statements { get; } = statements;
    /// <summary>
    /// Line of the token that ended the block: 'end', 'else', 'elseif', 'until', or &lt;eof&gt;.
    /// </summary>
    public int EndLine { get; } = endLine;
}

/// <summary>
/// Parameters and body of a function. For a method (<c>function o:m()</c>) Parameters does NOT
/// include the implicit 'self'; the compiler declares 'self' as parameter 0 when IsMethod.
/// Line and LineDefined are the line of 'function' (0 for the main chunk);
/// LastLineDefined is the line of the closing 'end' (0 for the main chunk).
/// </summary>
public sealed class FunctionBody(int line, IReadOnlyList<string> parameters, bool isVararg, bool isMethod,
    Block body, int lineDefined, int lastLineDefined) : Node(line)
{
    public IReadOnlyList<string> Parameters { get; } = parameters;
    public bool IsVararg { get; } = isVararg;
    public bool IsMethod { get; } = isMethod;
    public Block Body { get; } = body;
    public int LineDefined { get; } = lineDefined;
    public int LastLineDefined { get; } = lastLineDefined;
}

/// <summary>A parsed chunk: the main function (vararg, no parameters) and where it came from.</summary>
public sealed class Chunk(FunctionBody main, string source, string displayName)
{
    /// <summary>The main function: IsVararg, no parameters, LineDefined = LastLineDefined = 0.</summary>
    public FunctionBody Main { get; } = main;
    /// <summary>The chunk name as given to the parser ("@file.lua", "=stdin", or the source text).</summary>
    public string Source { get; } = source;
    /// <summary>The name as shown in messages (<see cref="ChunkName.Display"/> of Source).</summary>
    public string DisplayName { get; } = displayName;
}
