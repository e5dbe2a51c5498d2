using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Syntax;

namespace Tiered.Interpreter.Compiler;

// Expressions. Expression() returns a descriptor without forcing the value anywhere; the
// caller picks the destination (see ExpDesc). fs.Line is "sticky": each node sets it when
// it starts, so an instruction emitted later on behalf of a node (e.g. a GetField when the
// consumer discharges it) carries the line of the most recent construct, like the line of
// the last token read in Lua's one-pass compiler.
internal sealed partial class ChunkCompiler
{
    /// <summary>Compiles an expression list; all but the last value go to consecutive registers.</summary>
    private int ExpressionList(IReadOnlyList<Expr> exprs, out ExpDesc last)
    {
        last = new ExpDesc(ExpKind.Void);
        for (int i = 0; i < exprs.Count; i++)
        {
            if (i > 0) fs.Exp2NextReg(ref last);
            last = Expression(exprs[i]);
        }
        return exprs.Count;
    }

    private ExpDesc Expression(Expr expr)
    {
        // NewTable is emitted before Lua's parser consumes '{', so it keeps the previous line.
        if (expr is not TableExpr) fs.Line = expr.Line;
        switch (expr)
        {
            case NilExpr: return new ExpDesc(ExpKind.Nil);
            case TrueExpr: return new ExpDesc(ExpKind.True);
            case FalseExpr: return new ExpDesc(ExpKind.False);
            case IntegerExpr n: return ExpDesc.Int(n.Value);
            case FloatExpr n: return ExpDesc.Flt(n.Value);
            case StringExpr str: return ExpDesc.Str(str.Value);
            case VarargExpr:
                return new ExpDesc(ExpKind.Vararg, fs.EmitABC(OpCode.VarArg, 0, 0, 1));
            case FunctionExpr f:
            {
                FunctionBody(f.Body, out ExpDesc e, f.Body.LastLineDefined);
                return e;
            }
            case TableExpr t: return TableConstructor(t);
            case BinaryExpr b: return BinaryExpression(b);
            case UnaryExpr u:
            {
                ExpDesc e = Expression(u.Operand);
                fs.Prefix(ToUnOpr(u.Op), ref e, u.OpLine);
                return e;
            }
            case NameExpr n: return SingleVar(n.Name);
            case IndexExpr ix:
            {
                ExpDesc e = Expression(ix.Object);
                fs.Exp2AnyRegUp(ref e);
                fs.Line = ix.KeyLine;
                ExpDesc key = Expression(ix.Key);
                fs.Exp2Val(ref key);
                fs.Indexed(ref e, ref key);
                return e;
            }
            case CallExpr c:
            {
                ExpDesc e = Expression(c.Function);
                fs.Exp2NextReg(ref e);
                FunctionArguments(ref e, c.Args, c.ArgsLine, c.Line);
                return e;
            }
            case MethodCallExpr m:
            {
                ExpDesc e = Expression(m.Object);
                fs.Line = m.MethodLine;
                ExpDesc key = ExpDesc.Str(NameBytes(m.Method));
                fs.Self(ref e, ref key);
                FunctionArguments(ref e, m.Args, m.ArgsLine, m.Line);
                return e;
            }
            case ParenExpr p:
            {
                ExpDesc e = Expression(p.Inner);
                fs.DischargeVars(ref e);  // '(f())' and '(...)' keep one value; '(x)' is no longer a variable
                return e;
            }
            default:
                throw new InvalidOperationException("unknown expression " + expr.GetType().Name);
        }
    }

    /// <summary>
    /// Left-associative chains ('a + b + c + ...', the common deep case) are walked
    /// iteratively down their left spine, so long chains do not exhaust the C# stack.
    /// The order of code generation is exactly that of the recursive walk.
    /// </summary>
    private ExpDesc BinaryExpression(BinaryExpr node)
    {
        var spine = new Stack<BinaryExpr>();
        Expr leftmost = node;
        while (leftmost is BinaryExpr b)
        {
            spine.Push(b);
            leftmost = b.Left;
        }
        ExpDesc e = Expression(leftmost);
        while (spine.Count > 0)
        {
            BinaryExpr b = spine.Pop();
            BinOpr op = ToBinOpr(b.Op);
            fs.Line = b.OpLine;
            fs.Infix(op, ref e);
            ExpDesc e2 = Expression(b.Right);
            fs.Posfix(op, ref e, ref e2, b.OpLine);
        }
        return e;
    }

    private static BinOpr ToBinOpr(BinaryOp op) => op switch
    {
        BinaryOp.Add => BinOpr.Add,
        BinaryOp.Sub => BinOpr.Sub,
        BinaryOp.Mul => BinOpr.Mul,
        BinaryOp.Div => BinOpr.Div,
        BinaryOp.IDiv => BinOpr.IDiv,
        BinaryOp.Mod => BinOpr.Mod,
        BinaryOp.Pow => BinOpr.Pow,
        BinaryOp.BAnd => BinOpr.BAnd,
        BinaryOp.BOr => BinOpr.BOr,
        BinaryOp.BXor => BinOpr.BXor,
        BinaryOp.Shl => BinOpr.Shl,
        BinaryOp.Shr => BinOpr.Shr,
        BinaryOp.Concat => BinOpr.Concat,
        BinaryOp.Eq => BinOpr.Eq,
        BinaryOp.Ne => BinOpr.Ne,
        BinaryOp.Lt => BinOpr.Lt,
        BinaryOp.Le => BinOpr.Le,
        BinaryOp.Gt => BinOpr.Gt,
        BinaryOp.Ge => BinOpr.Ge,
        BinaryOp.And => BinOpr.And,
        BinaryOp.Or => BinOpr.Or,
        _ => throw new InvalidOperationException("unknown binary operator " + op),
    };

    private static UnOpr ToUnOpr(UnaryOp op) => op switch
    {
        UnaryOp.Minus => UnOpr.Minus,
        UnaryOp.Not => UnOpr.Not,
        UnaryOp.Len => UnOpr.Len,
        UnaryOp.BNot => UnOpr.BNot,
        _ => throw new InvalidOperationException("unknown unary operator " + op),
    };

    /// <summary>
    /// Arguments of a call whose function is already in register f.Info; emits the Call
    /// (B = args + 1, or 0 when the last argument is open; C = 2, one result, until the
    /// consumer changes it) stamped with <paramref name="callLine"/>.
    /// </summary>
    private void FunctionArguments(ref ExpDesc f, IReadOnlyList<Expr> args, int argsLine, int callLine)
    {
        fs.Line = argsLine;
        ExpressionList(args, out ExpDesc a);
        if (a.IsMultiResult) fs.SetMultRet(ref a);
        FuncState.Check(f.Kind == ExpKind.NonReloc, "called function not in a register");
        int baseReg = f.Info;
        int nparams;
        if (a.IsMultiResult) nparams = FuncState.MultRet;
        else
        {
            if (a.Kind != ExpKind.Void) fs.Exp2NextReg(ref a);
            nparams = fs.FreeReg - (baseReg + 1);
        }
        f = new ExpDesc(ExpKind.Call, fs.EmitABC(OpCode.Call, baseReg, nparams + 1, 2));
        fs.FixLine(callLine);
        fs.FreeReg = baseReg + 1;  // the call leaves one result (unless the consumer asks for more)
    }

    // ---- Table constructors -------------------------------------------------------------

    /// <summary>Positional items are flushed with SetList every this many values.</summary>
    private const int FieldsPerFlush = 50;

    private ExpDesc TableConstructor(TableExpr t)
    {
        int pc = fs.EmitABC(OpCode.NewTable, 0, 0, 0);
        fs.EmitExtraArg(0);  // room for a large array size; filled in by SetTableSize
        var table = new ExpDesc(ExpKind.NonReloc, fs.FreeReg);
        fs.ReserveRegs(1);
        int arrayCount = 0, hashCount = 0, pending = 0;  // pending: list items not yet stored
        var item = new ExpDesc(ExpKind.Void);
        foreach (TableField field in t.Fields)
        {
            // Close the previous positional item (and flush a full batch) before the next field.
            if (item.Kind != ExpKind.Void)
            {
                fs.Exp2NextReg(ref item);
                item = new ExpDesc(ExpKind.Void);
                if (pending == FieldsPerFlush)
                {
                    fs.SetList(table.Info, arrayCount, pending);
                    arrayCount += pending;
                    pending = 0;
                }
            }
            if (field is not ListField) fs.Line = field.Line;
            switch (field)
            {
                case ListField lf:
                    item = Expression(lf.Value);
                    pending++;
                    break;
                case NamedField nf:
                    RecordField(table, null, nf.Name, nf.Value);
                    hashCount++;
                    break;
                case KeyedField kf:
                    RecordField(table, kf.Key, null, kf.Value);
                    hashCount++;
                    break;
            }
        }
        fs.Line = t.CloseLine;
        if (pending > 0)
        {
            if (item.IsMultiResult)
            {
                // '{..., f()}': the last item stores all its values (SetList B = 0).
                fs.SetMultRet(ref item);
                fs.SetList(table.Info, arrayCount, FuncState.MultRet);
                arrayCount--;  // its size is unknown: do not count it in the hint
            }
            else
            {
                if (item.Kind != ExpKind.Void) fs.Exp2NextReg(ref item);
                fs.SetList(table.Info, arrayCount, pending);
            }
            arrayCount += pending;
        }
        fs.SetTableSize(pc, table.Info, arrayCount, hashCount);
        return table;
    }

    /// <summary>'[key] = value' or 'name = value' (<paramref name="name"/> set, <paramref name="keyExpr"/> null).</summary>
    private void RecordField(in ExpDesc table, Expr? keyExpr, string? name, Expr value)
    {
        int reg = fs.FreeReg;  // the key and value temporaries are released after the store
        ExpDesc key;
        if (keyExpr != null)
        {
            key = Expression(keyExpr);
            fs.Exp2Val(ref key);
        }
        else key = ExpDesc.Str(NameBytes(name!));
        ExpDesc target = table;
        fs.Indexed(ref target, ref key);
        ExpDesc v = Expression(value);
        fs.StoreVar(target, ref v);
        fs.FreeReg = reg;
    }
}
