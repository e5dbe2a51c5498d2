using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Syntax;

namespace Tiered.Interpreter.Compiler;

// Statements. Each method mirrors one statement form; the comments note where the
// register discipline or the scoping rules are subtle.
internal sealed partial class ChunkCompiler
{
    /// <summary>Bodies of repeat-until loops: a label before 'until' is not at the end of its block.</summary>
    private readonly HashSet<Block> repeatBodies = [];

    /// <summary>Compiles the statements of <paramref name="block"/> from index <paramref name="first"/> on.</summary>
    private void StatementList(Block block, int first = 0)
    {
        IReadOnlyList<Stat> stats = block.Statements;
        for (int i = first; i < stats.Count; i++)
        {
            // The line of the token after the statement, where Lua's one-pass compiler stands
            // when it reports some errors (unresolved gotos of a function, const assignment).
            int nextLine = i + 1 < stats.Count ? stats[i + 1].Line : block.EndLine;
            Statement(stats, i, block, nextLine);
            FuncState.Check(fs.Proto.MaxStackSize >= fs.FreeReg && fs.FreeReg >= fs.NumVarStack, "register leak");
            fs.FreeReg = fs.NumVarStack;  // free temporaries
        }
    }

    private void Statement(IReadOnlyList<Stat> stats, int index, Block block, int nextLine)
    {
        Stat stat = stats[index];
        fs.Line = stat.Line;
        switch (stat)
        {
            case LocalStat s: LocalStatement(s); break;
            case AssignStat s: AssignStatement(s); break;
            case CallStat s: CallStatement(s); break;
            case DoStat s:
                ScopedBlock(s.Body, isLoop: false);
                fs.Line = s.Body.EndLine;
                break;
            case WhileStat s: WhileStatement(s); break;
            case RepeatStat s: RepeatStatement(s); break;
            case IfStat s: IfStatement(s); break;
            case NumericForStat s: NumericFor(s); break;
            case GenericForStat s: GenericFor(s); break;
            case FunctionStat s: FunctionStatement(s, nextLine); break;
            case LocalFunctionStat s: LocalFunctionStatement(s, nextLine); break;
            case ReturnStat s: ReturnStatement(s); break;
            case BreakStat s: NewGotoEntry(BreakLabel, s.Line, fs.Jump()); break;
            case GotoStat s: GotoStatement(s); break;
            case LabelStat s: LabelStatement(stats, index, block); break;
            default: throw new InvalidOperationException("unknown statement " + stat.GetType().Name);
        }
    }

    /// <summary>A nested block with its own scope (do ... end, loop bodies, if arms).</summary>
    private void ScopedBlock(Block body, bool isLoop)
    {
        var bl = new BlockScope();
        EnterBlock(bl, isLoop);
        StatementList(body);
        LeaveBlock(bl);
    }

    // ---- Assignment and calls -----------------------------------------------------------

    private static VarKind KindOf(LocalAttrib attrib) => attrib switch
    {
        LocalAttrib.Const => VarKind.Const,
        LocalAttrib.Close => VarKind.Close,
        _ => VarKind.Regular,
    };

    private void LocalStatement(LocalStat s)
    {
        int toClose = -1;  // index of the to-be-closed variable, if any
        int nvars = s.Names.Count;
        int lastVidx = 0;
        for (int i = 0; i < nvars; i++)
        {
            LocalName n = s.Names[i];
            string? near = i + 1 < nvars ? "','" : n.Attrib != LocalAttrib.None ? "'<'" : s.Values.Count > 0 ? "'='" : null;
            lastVidx = NewLocalVar(n.Name, KindOf(n.Attrib), n.Line, near);
            if (n.Attrib == LocalAttrib.Close) toClose = fs.NumActiveVars + i;
        }
        int nexps = ExpressionList(s.Values, out ExpDesc e);
        VarDesc last = fs.GetVar(lastVidx);
        if (nvars == nexps && last.Kind == VarKind.Const && fs.TryExpToConstant(e, out Constant value))
        {
            // 'local x <const> = literal': x becomes a compile-time constant with no register.
            last.Kind = VarKind.CompileTimeConst;
            last.Value = value;
            AdjustLocalVars(nvars - 1);
            fs.NumActiveVars++;
        }
        else
        {
            AdjustAssign(nvars, nexps, ref e);
            AdjustLocalVars(nvars);
        }
        if (toClose != -1)
        {
            MarkToBeClosed();
            fs.EmitABC(OpCode.Tbc, fs.RegLevel(toClose), 0, 0);
        }
    }

    /// <summary>
    /// Adjusts <paramref name="nexps"/> values (the last one still in <paramref name="e"/>) to
    /// <paramref name="nvars"/> consecutive registers: extra values are dropped, missing
    /// ones come from a multi-result last expression or are nil.
    /// </summary>
    private void AdjustAssign(int nvars, int nexps, ref ExpDesc e)
    {
        int needed = nvars - nexps;
        if (e.IsMultiResult)
        {
            int extra = Math.Max(needed + 1, 0);  // the last expression itself counts
            fs.SetReturns(ref e, extra);
        }
        else
        {
            if (e.Kind != ExpKind.Void) fs.Exp2NextReg(ref e);
            if (needed > 0) fs.LoadNil(fs.FreeReg, needed);
        }
        if (needed > 0) fs.ReserveRegs(needed);
        else fs.FreeReg += needed;  // drop the extra values
    }

    private void AssignStatement(AssignStat s)
    {
        int nvars = s.Targets.Count;
        var targets = new ExpDesc[nvars];
        for (int i = 0; i < nvars; i++)
        {
            ExpDesc v = Expression(s.Targets[i]);
            if (i > 0 && !v.IsIndexed) CheckConflict(targets, i, v);
            // Lua checks each target when it reaches the token after it: ',' or '='.
            CheckReadonly(v, i + 1 < nvars ? s.Targets[i].Line : s.EqualsLine);
            targets[i] = v;
        }
        fs.Line = s.EqualsLine;
        int nexps = ExpressionList(s.Values, out ExpDesc e);
        int next = nvars - 1;
        if (nexps != nvars)
        {
            AdjustAssign(nvars, nexps, ref e);
        }
        else
        {
            fs.SetOneRet(ref e);
            fs.StoreVar(targets[next--], ref e);
        }
        // The remaining values sit in consecutive registers: store them from the top down.
        for (; next >= 0; next--)
        {
            var value = new ExpDesc(ExpKind.NonReloc, fs.FreeReg - 1);
            fs.StoreVar(targets[next], ref value);
        }
    }

    /// <summary>
    /// In 'a[i], i = ...' or 'a.x, a = ...' an earlier target uses, as table or key, the
    /// local/upvalue being assigned by a later one; since stores run last to first, the
    /// earlier store must use a copy of the old value, made here.
    /// </summary>
    private void CheckConflict(ExpDesc[] targets, int count, in ExpDesc v)
    {
        int extra = fs.FreeReg;
        bool conflict = false;
        for (int j = 0; j < count; j++)
        {
            ref ExpDesc lh = ref targets[j];
            if (!lh.IsIndexed) continue;
            if (lh.Kind == ExpKind.IndexUp)
            {
                if (v.Kind == ExpKind.Upval && lh.Table == v.Info)
                {
                    conflict = true;
                    lh.Kind = ExpKind.IndexStr;
                    lh.Table = extra;
                }
            }
            else
            {
                if (v.Kind == ExpKind.Local && lh.Table == v.Info)
                {
                    conflict = true;
                    lh.Table = extra;
                }
                if (lh.Kind == ExpKind.Indexed && v.Kind == ExpKind.Local && lh.Key == v.Info)
                {
                    conflict = true;
                    lh.Key = extra;
                }
            }
        }
        if (conflict)
        {
            if (v.Kind == ExpKind.Local) fs.EmitABC(OpCode.Move, extra, v.Info, 0);
            else fs.EmitABC(OpCode.GetUpval, extra, v.Info, 0);
            fs.ReserveRegs(1);
        }
    }

    private void CallStatement(CallStat s)
    {
        ExpDesc e = Expression(s.Call);
        FuncState.Check(e.Kind == ExpKind.Call, "call statement is not a call");
        fs.SetReturns(ref e, 0);  // C = 1: no results
    }

    // ---- Control structures -------------------------------------------------------------

    /// <summary>Compiles a condition; returns the jump list taken when it is false.</summary>
    private int Condition(Expr cond)
    {
        ExpDesc v = Expression(cond);
        if (v.Kind == ExpKind.Nil) v.Kind = ExpKind.False;  // 'falses' are all equal here
        fs.GoIfTrue(ref v);
        return v.F;
    }

    private void WhileStatement(WhileStat s)
    {
        int whileInit = fs.GetLabel();
        int condExit = Condition(s.Condition);
        var bl = new BlockScope();
        EnterBlock(bl, isLoop: true);
        ScopedBlock(s.Body, isLoop: false);
        fs.JumpTo(whileInit);  // keeps the sticky line: Lua gives it the body's last token's line
        LeaveBlock(bl);
        fs.PatchToHere(condExit);
    }

    private void RepeatStatement(RepeatStat s)
    {
        int repeatInit = fs.GetLabel();
        var loop = new BlockScope();
        var scope = new BlockScope();
        EnterBlock(loop, isLoop: true);
        EnterBlock(scope, isLoop: false);
        repeatBodies.Add(s.Body);
        StatementList(s.Body);
        fs.Line = s.Body.EndLine;
        int condExit = Condition(s.Condition);  // the condition sees the body's locals
        LeaveBlock(scope);
        if (scope.HasUpval)
        {
            // Going around again must also close the iteration's captured locals.
            int exit = fs.Jump();
            fs.PatchToHere(condExit);
            fs.EmitABC(OpCode.Close, fs.RegLevel(scope.NumActiveVars), 0, 0);
            condExit = fs.Jump();
            fs.PatchToHere(exit);
        }
        fs.PatchList(condExit, repeatInit);
        LeaveBlock(loop);
    }

    private void IfStatement(IfStat s)
    {
        int escapeList = FuncState.NoJump;  // jumps from the end of each arm to the end of the 'if'
        for (int i = 0; i < s.Clauses.Count; i++)
        {
            bool more = i + 1 < s.Clauses.Count || s.ElseBody != null;
            TestThenBlock(s.Clauses[i], ref escapeList, more);
        }
        if (s.ElseBody != null)
        {
            fs.Line = s.ElseBody.Line;
            ScopedBlock(s.ElseBody, isLoop: false);
        }
        IfClause lastClause = s.Clauses[^1];
        fs.Line = s.ElseBody?.EndLine ?? lastClause.Body.EndLine;
        fs.PatchToHere(escapeList);
    }

    private void TestThenBlock(IfClause clause, ref int escapeList, bool followedByElse)
    {
        fs.Line = clause.Line;
        ExpDesc v = Expression(clause.Condition);
        IReadOnlyList<Stat> stats = clause.Body.Statements;
        var bl = new BlockScope();
        int jumpFalse;
        int first = 0;
        if (stats.Count > 0 && stats[0] is BreakStat brk)
        {
            // 'if c then break': the condition's true jumps are the break itself.
            fs.GoIfFalse(ref v);
            EnterBlock(bl, isLoop: false);
            NewGotoEntry(BreakLabel, brk.Line, v.T);
            if (stats.Count == 1)
            {
                LeaveBlock(bl);
                return;
            }
            jumpFalse = fs.Jump();  // skip the rest of the arm when the condition is false
            first = 1;
        }
        else
        {
            fs.GoIfTrue(ref v);
            EnterBlock(bl, isLoop: false);
            jumpFalse = v.F;
        }
        StatementList(clause.Body, first);
        LeaveBlock(bl);
        if (followedByElse)
            fs.Concat(ref escapeList, fs.Jump());  // sticky line: the arm's last token, as in Lua
        fs.PatchToHere(jumpFalse);
    }

    private void ExpressionToNextReg(Expr expr)
    {
        ExpDesc e = Expression(expr);
        fs.Exp2NextReg(ref e);
    }

    private void NumericFor(NumericForStat s)
    {
        // R[base..base+2]: internal state (init/limit/step as prepared by ForPrep);
        // R[base+3]: the control variable visible to the body. The loop block around it all
        // is where 'break' lands.
        var loop = new BlockScope();
        EnterBlock(loop, isLoop: true);
        int baseReg = fs.FreeReg;
        NewLocalVar("(for state)", VarKind.Regular, s.Line);
        NewLocalVar("(for state)", VarKind.Regular, s.Line);
        NewLocalVar("(for state)", VarKind.Regular, s.Line);
        NewLocalVar(s.Variable, VarKind.Regular, s.Line);
        ExpressionToNextReg(s.Start);
        ExpressionToNextReg(s.Limit);
        if (s.Step != null) ExpressionToNextReg(s.Step);
        else
        {
            fs.LoadInt(fs.FreeReg, 1);
            fs.ReserveRegs(1);
        }
        AdjustLocalVars(3);
        fs.Line = s.Line;
        ForBody(baseReg, s.Line, 1, s.Body, isGeneric: false);
        LeaveBlock(loop);
    }

    private void GenericFor(GenericForStat s)
    {
        // R[base..base+3]: iterator, state, control, closing value; then the declared variables.
        var loop = new BlockScope();
        EnterBlock(loop, isLoop: true);
        int baseReg = fs.FreeReg;
        for (int i = 0; i < 4; i++) NewLocalVar("(for state)", VarKind.Regular, s.Line);
        foreach (string name in s.Names) NewLocalVar(name, VarKind.Regular, s.Line);
        int line = s.Values[0].Line;
        int nexps = ExpressionList(s.Values, out ExpDesc e);
        AdjustAssign(4, nexps, ref e);
        AdjustLocalVars(4);
        MarkToBeClosed();  // the closing value is to-be-closed
        fs.CheckStack(3);  // TForCall copies iterator, state and control above the variables
        ForBody(baseReg, line, s.Names.Count, s.Body, isGeneric: true);
        LeaveBlock(loop);
    }

    private void ForBody(int baseReg, int line, int nvars, Block body, bool isGeneric)
    {
        int prep = isGeneric ? fs.EmitABx(OpCode.TForPrep, baseReg, 0) : fs.EmitABx(OpCode.ForPrep, baseReg, 0);
        var bl = new BlockScope();
        EnterBlock(bl, isLoop: false);  // scope of the declared variables
        AdjustLocalVars(nvars);
        fs.ReserveRegs(nvars);
        ScopedBlock(body, isLoop: false);
        LeaveBlock(bl);
        fs.Line = body.EndLine;
        // ForPrep/TForPrep jump forward to the loop instruction (ForPrep skips past it when the
        // loop runs zero times); the loop instruction jumps back to the body's first instruction.
        FixForJump(prep, fs.GetLabel(), back: false);
        if (isGeneric)
        {
            fs.EmitABC(OpCode.TForCall, baseReg, 0, nvars);
            fs.FixLine(line);
        }
        int endFor = isGeneric ? fs.EmitABx(OpCode.TForLoop, baseReg, 0) : fs.EmitABx(OpCode.ForLoop, baseReg, 0);
        FixForJump(endFor, prep + 1, back: true);
        fs.FixLine(line);
    }

    private void FixForJump(int pc, int dest, bool back)
    {
        int offset = dest - (pc + 1);
        if (back) offset = -offset;
        if (offset > Instruction.MaxBx) Error("control structure too long");
        fs.SetCode(pc, Instruction.WithBx(fs.GetCode(pc), offset));
    }

    // ---- Functions ------------------------------------------------------------------------

    private void FunctionStatement(FunctionStat s, int nextLine)
    {
        // function a.b.c:m() ... end  is  a.b.c.m = function(self) ... end
        ExpDesc v = SingleVar(s.NamePath[0]);
        for (int i = 1; i < s.NamePath.Count; i++) FieldSelect(ref v, s.NamePath[i]);
        if (s.MethodName != null) FieldSelect(ref v, s.MethodName);
        FunctionBody(s.Body, out ExpDesc b, nextLine);
        CheckReadonly(v, nextLine);
        fs.StoreVar(v, ref b);
        fs.FixLine(s.Line);  // the definition "happens" on the 'function' line
        fs.Line = s.Body.LastLineDefined;
    }

    private void FieldSelect(ref ExpDesc v, string name)
    {
        fs.Exp2AnyRegUp(ref v);
        ExpDesc key = ExpDesc.Str(NameBytes(name));
        fs.Indexed(ref v, ref key);
    }

    private void LocalFunctionStatement(LocalFunctionStat s, int nextLine)
    {
        int fvar = fs.NumActiveVars;
        NewLocalVar(s.Name, VarKind.Regular, s.Line);
        AdjustLocalVars(1);  // in scope inside its own body, for recursion
        FunctionBody(s.Body, out _, nextLine);
        // Debug information only sees the variable once the closure is in its register.
        int debugIndex = fs.GetVar(fvar).DebugIndex;
        fs.LocalVars[debugIndex] = fs.LocalVars[debugIndex] with { StartPc = fs.Pc };
    }

    private void ReturnStatement(ReturnStat s)
    {
        int first = fs.NumVarStack;
        int nret = s.Values.Count;
        if (nret > 0)
        {
            ExpressionList(s.Values, out ExpDesc e);
            if (e.IsMultiResult)
            {
                fs.SetMultRet(ref e);
                if (e.Kind == ExpKind.Call && nret == 1 && !fs.Block!.InsideTbc)
                {
                    // 'return f(x)': a tail call (not possible while a to-be-closed variable is live).
                    uint call = fs.GetCode(e.Info);
                    fs.SetCode(e.Info, Instruction.ABC(OpCode.TailCall, Instruction.A(call), Instruction.B(call), Instruction.C(call)));
                }
                nret = FuncState.MultRet;
            }
            else if (nret == 1)
            {
                first = fs.Exp2AnyReg(ref e);  // a single value can be returned from where it is
            }
            else
            {
                fs.Exp2NextReg(ref e);
                first = fs.NumVarStack;
                FuncState.Check(nret == fs.FreeReg - first, "return values not consecutive");
            }
        }
        fs.Ret(first, nret);
    }

    // ---- Goto and labels --------------------------------------------------------------------

    private void GotoStatement(GotoStat s)
    {
        LabelDesc? label = FindLabel(s.Label);
        if (label == null)
        {
            NewGotoEntry(s.Label, s.Line, fs.Jump());  // forward: resolved when the label appears
            return;
        }
        // Backward jump: leaving the scope of locals declared after the label closes them.
        int labelLevel = fs.RegLevel(label.NumActiveVars);
        if (fs.NumVarStack > labelLevel) fs.EmitABC(OpCode.Close, labelLevel, 0, 0);
        fs.PatchList(fs.Jump(), label.Pc);
    }

    private void LabelStatement(IReadOnlyList<Stat> stats, int index, Block block)
    {
        // Lua's parser handles '::a:: ::b::' by parsing ::b:: *inside* the statement of ::a::
        // (it skips following no-op statements before deciding whether ::a:: ends the block),
        // so a run of consecutive labels is declared last to first. Reproducing that order
        // keeps "already defined" messages identical. The run is declared when its first
        // label is reached; the other labels of the run are then skipped.
        if (index > 0 && stats[index - 1] is LabelStat) return;
        int next = index + 1;
        while (next < stats.Count && stats[next] is LabelStat) next++;
        bool last = next == stats.Count && !repeatBodies.Contains(block);
        int errorLine = next < stats.Count ? stats[next].Line : block.EndLine;
        for (int i = next - 1; i >= index; i--)
        {
            var s = (LabelStat)stats[i];
            LabelDesc? existing = FindLabel(s.Name);
            if (existing != null)
                throw ErrorAt(errorLine, $"label '{s.Name}' already defined on line {existing.Line}");
            CreateLabel(s.Name, s.Line, last, errorLine);
        }
    }
}
