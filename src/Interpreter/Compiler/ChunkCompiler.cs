using System.Text;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Syntax;

namespace Tiered.Interpreter.Compiler;

/// <summary>A label, or a pending goto waiting for its label (same shape, as in the reference compiler).</summary>
internal sealed class LabelDesc(string name, int pc, int line, int numActiveVars)
{
    public readonly string Name = name;
    /// <summary>Label: its pc. Goto: its jump list (a conditional 'break' may have several jumps).</summary>
    public readonly int Pc = pc;
    public readonly int Line = line;
    /// <summary>Active locals at the label / goto (a goto's level drops as it leaves blocks).</summary>
    public int NumActiveVars = numActiveVars;
    /// <summary>Goto: leaves the scope of a captured or to-be-closed local, so its target must Close.</summary>
    public bool Close;
}

// ---------------------------------------------------------------------------------------
// The syntax-tree walker. One instance compiles one chunk; FuncState holds the state of
// each function being compiled (nested functions form a chain through FuncState.Parent).
//
// Scoping follows Lua 5.4 exactly, including its goto rules: gotos are resolved when their
// label appears (forward) or immediately (backward); a pending goto that leaves a block is
// re-leveled to the block's level and remembers whether it must close upvalues; a label
// followed only by other labels at the end of a block (not before 'until') counts as
// outside the scope of the block's locals.
//
// This file: entry point, errors, functions, variables, blocks and labels. Statements and
// expressions are in the partial files ChunkCompiler.Statements/Expressions.
// ---------------------------------------------------------------------------------------
internal sealed partial class ChunkCompiler
{
    private const string BreakLabel = "break";  // not a valid user label name: 'break' is a keyword
    private const string EnvName = "_ENV";

    /// <summary>All declared locals of all functions being compiled (each FuncState owns a suffix).</summary>
    public readonly List<VarDesc> ActiveVars = [];
    /// <summary>Visible labels of all functions being compiled.</summary>
    public readonly List<LabelDesc> Labels = [];
    /// <summary>Gotos waiting for their label.</summary>
    public readonly List<LabelDesc> PendingGotos = [];

    private readonly string source;
    private readonly string displayName;
    private FuncState fs = null!;

    private ChunkCompiler(string source, string displayName)
    {
        this.source = source;
        this.displayName = displayName;
    }

    public static FunctionProto Compile(Chunk chunk)
    {
        var compiler = new ChunkCompiler(chunk.Source, chunk.DisplayName);
        return compiler.MainFunction(chunk.Main);
    }

    // ---- Errors -----------------------------------------------------------------------

    /// <summary>A compile error at the current line ("chunk:line: message").</summary>
    public void Error(string message) => throw ErrorAt(fs.Line, message);

    private LuaSyntaxException ErrorAt(int line, string message) =>
        new(displayName, line, Encoding.Latin1.GetBytes(message), false);

    private void ErrorLimit(int limit, string what, int line, string? near = null)
    {
        int defined = fs.Proto.LineDefined;
        string where = defined == 0 ? "main function" : $"function at line {defined}";
        string message = $"too many {what} (limit is {limit}) in {where}";
        if (near != null) message += " near " + near;
        throw ErrorAt(line, message);
    }

    internal static byte[] NameBytes(string name) => Encoding.Latin1.GetBytes(name);

    // ---- Functions --------------------------------------------------------------------

    private FunctionProto MainFunction(FunctionBody main)
    {
        var proto = new FunctionProto { Source = source, IsVararg = true };
        OpenFunction(proto, out var block);
        fs.Line = 1;  // where Lua's parser stands before reading the first token
        SetVararg(0);
        fs.Upvalues.Add(new UpvalueDesc(EnvName, true, 0, VarKind.Regular));
        StatementList(main.Body);
        // The final return keeps the sticky line (the last construct, like Lua's last token);
        // unresolved gotos are reported at <eof>, where Lua's parser stands at that point.
        CloseFunction(block, main.Body.EndLine);
        return proto;
    }

    private void OpenFunction(FunctionProto proto, out BlockScope block)
    {
        fs = new FuncState(this, fs, proto);
        block = new BlockScope();
        EnterBlock(block, isLoop: false);
    }

    private void CloseFunction(BlockScope outermost, int undefinedGotoLine)
    {
        fs.Ret(fs.NumVarStack, 0);
        LeaveBlock(outermost, undefinedGotoLine);
        FuncState.Check(fs.Block == null, "unbalanced blocks");
        fs.Finish();
        FuncState.Check(ActiveVars.Count == fs.FirstLocal, "locals left active");
        fs = fs.Parent!;
    }

    private void SetVararg(int numParams)
    {
        fs.Proto.IsVararg = true;
        fs.EmitABC(OpCode.VarArgPrep, numParams, 0, 0);
    }

    /// <summary>
    /// Compiles a function body into a child prototype and leaves the closure in the next
    /// free register (<paramref name="e"/> becomes NonReloc there).
    /// </summary>
    /// <param name="afterEndLine">Line of the token after 'end', where Lua reports unresolved gotos.</param>
    private void FunctionBody(FunctionBody body, out ExpDesc e, int afterEndLine)
    {
        FuncState parent = fs;
        var proto = new FunctionProto
        {
            Source = source,
            LineDefined = body.LineDefined,
            LastLineDefined = body.LastLineDefined,
        };
        int index = parent.Protos.Count;
        parent.Protos.Add(proto);

        OpenFunction(proto, out var block);
        fs.Line = body.LineDefined;
        if (body.IsMethod)
        {
            NewLocalVar("self", VarKind.Regular, body.LineDefined);
            AdjustLocalVars(1);
        }
        for (int i = 0; i < body.Parameters.Count; i++)
        {
            string? near = i + 1 < body.Parameters.Count || body.IsVararg ? "','" : "')'";
            NewLocalVar(body.Parameters[i], VarKind.Regular, body.LineDefined, near);
        }
        AdjustLocalVars(body.Parameters.Count);
        proto.NumParams = fs.NumActiveVars;
        if (body.IsVararg) SetVararg(proto.NumParams);
        fs.ReserveRegs(fs.NumActiveVars);

        StatementList(body.Body);
        fs.Line = body.LastLineDefined;
        CloseFunction(block, afterEndLine);

        // Back in the enclosing function: the closure instruction belongs to the 'end' line.
        fs.Line = body.LastLineDefined;
        e = new ExpDesc(ExpKind.Reloc, fs.EmitABx(OpCode.Closure, 0, index));
        fs.Exp2NextReg(ref e);
    }

    // ---- Variables --------------------------------------------------------------------

    /// <summary>Declares a local (not yet in scope until AdjustLocalVars); returns its index in the function.</summary>
    private int NewLocalVar(string name, VarKind kind, int line, string? near = null)
    {
        if (ActiveVars.Count + 1 - fs.FirstLocal > FuncState.MaxLocals)
            ErrorLimit(FuncState.MaxLocals, "local variables", line, near);
        ActiveVars.Add(new VarDesc(name, kind));
        return ActiveVars.Count - 1 - fs.FirstLocal;
    }

    /// <summary>Brings the last <paramref name="nvars"/> declared locals into scope, giving them registers.</summary>
    private void AdjustLocalVars(int nvars)
    {
        int reg = fs.NumVarStack;
        for (int i = 0; i < nvars; i++)
        {
            int vidx = fs.NumActiveVars++;
            VarDesc v = fs.GetVar(vidx);
            v.Register = reg++;
            v.DebugIndex = fs.LocalVars.Count;
            fs.LocalVars.Add(new LocalVarDesc(v.Name, fs.Pc, 0));
        }
    }

    /// <summary>Ends the scope of locals down to <paramref name="toLevel"/> (their entries stay until LeaveBlock trims them).</summary>
    private void RemoveVars(int toLevel)
    {
        while (fs.NumActiveVars > toLevel)
        {
            VarDesc v = fs.GetVar(--fs.NumActiveVars);
            if (v.DebugIndex >= 0)
                fs.LocalVars[v.DebugIndex] = fs.LocalVars[v.DebugIndex] with { EndPc = fs.Pc };
        }
    }

    private void TrimActiveVars()
    {
        int keep = fs.FirstLocal + fs.NumActiveVars;
        ActiveVars.RemoveRange(keep, ActiveVars.Count - keep);
    }

    /// <summary>Finds an active local of <paramref name="f"/> by name (innermost first).</summary>
    private bool SearchVar(FuncState f, string name, out ExpDesc e)
    {
        for (int i = f.NumActiveVars - 1; i >= 0; i--)
        {
            VarDesc v = f.GetVar(i);
            if (v.Name != name) continue;
            if (v.Kind == VarKind.CompileTimeConst)
                e = new ExpDesc(ExpKind.Const, f.FirstLocal + i);
            else
                e = new ExpDesc(ExpKind.Local, v.Register) { VarIndex = i };
            return true;
        }
        e = default;
        return false;
    }

    /// <summary>The block owning local <paramref name="level"/> gets HasUpval: leaving it must Close.</summary>
    private static void MarkUpval(FuncState f, int level)
    {
        BlockScope bl = f.Block!;
        while (bl.NumActiveVars > level) bl = bl.Previous!;
        bl.HasUpval = true;
        f.NeedClose = true;
    }

    private void MarkToBeClosed()
    {
        BlockScope bl = fs.Block!;
        bl.HasUpval = true;
        bl.InsideTbc = true;
        fs.NeedClose = true;
    }

    private static int SearchUpvalue(FuncState f, string name)
    {
        for (int i = 0; i < f.Upvalues.Count; i++)
            if (f.Upvalues[i].Name == name) return i;
        return -1;
    }

    private int NewUpvalue(FuncState f, string name, in ExpDesc v)
    {
        if (f.Upvalues.Count + 1 > FuncState.MaxUpvalues)
        {
            FuncState saved = fs;
            fs = f;  // the limit is reported for the function that needs the upvalue
            ErrorLimit(FuncState.MaxUpvalues, "upvalues", saved.Line);
        }
        FuncState prev = f.Parent!;
        UpvalueDesc up = v.Kind == ExpKind.Local
            ? new UpvalueDesc(name, true, v.Info, prev.GetVar(v.VarIndex).Kind)
            : new UpvalueDesc(name, false, v.Info, prev.Upvalues[v.Info].Kind);
        f.Upvalues.Add(up);
        return f.Upvalues.Count - 1;
    }

    /// <summary>
    /// Resolves a name in function <paramref name="f"/>: a local (marking it captured when
    /// reached from an inner function), an upvalue (created along the chain as needed), a
    /// compile-time constant, or Void for a global.
    /// </summary>
    private void SingleVarAux(FuncState? f, string name, out ExpDesc e, bool isBase)
    {
        if (f == null) { e = new ExpDesc(ExpKind.Void); return; }
        if (SearchVar(f, name, out e))
        {
            if (e.Kind == ExpKind.Local && !isBase) MarkUpval(f, e.VarIndex);
            return;
        }
        int idx = SearchUpvalue(f, name);
        if (idx < 0)
        {
            SingleVarAux(f.Parent, name, out e, false);
            if (e.Kind is not (ExpKind.Local or ExpKind.Upval)) return;  // global or constant
            idx = NewUpvalue(f, name, e);
        }
        e = new ExpDesc(ExpKind.Upval, idx);
    }

    private ExpDesc SingleVar(string name)
    {
        SingleVarAux(fs, name, out ExpDesc e, true);
        if (e.Kind != ExpKind.Void) return e;
        // A global: _ENV.name
        SingleVarAux(fs, EnvName, out e, true);
        FuncState.Check(e.Kind != ExpKind.Void, "_ENV not found");
        fs.Exp2AnyRegUp(ref e);
        ExpDesc key = ExpDesc.Str(NameBytes(name));
        fs.Indexed(ref e, ref key);
        return e;
    }

    private void CheckReadonly(in ExpDesc e, int line)
    {
        string? name = null;
        switch (e.Kind)
        {
            case ExpKind.Const:
                name = ActiveVars[e.Info].Name;
                break;
            case ExpKind.Local:
            {
                VarDesc v = fs.GetVar(e.VarIndex);
                if (v.Kind != VarKind.Regular) name = v.Name;
                break;
            }
            case ExpKind.Upval:
            {
                UpvalueDesc up = fs.Upvalues[e.Info];
                if (up.Kind != VarKind.Regular) name = up.Name;
                break;
            }
        }
        if (name != null) throw ErrorAt(line, $"attempt to assign to const variable '{name}'");
    }

    // ---- Blocks -----------------------------------------------------------------------

    private void EnterBlock(BlockScope bl, bool isLoop)
    {
        bl.IsLoop = isLoop;
        bl.NumActiveVars = fs.NumActiveVars;
        bl.FirstLabel = Labels.Count;
        bl.FirstGoto = PendingGotos.Count;
        bl.HasUpval = false;
        bl.InsideTbc = fs.Block != null && fs.Block.InsideTbc;
        bl.Previous = fs.Block;
        fs.Block = bl;
        FuncState.Check(fs.FreeReg == fs.NumVarStack, "temporaries live across a block boundary");
    }

    /// <param name="undefinedGotoLine">For a function's outermost block: the line to report unresolved gotos at.</param>
    private void LeaveBlock(BlockScope bl, int undefinedGotoLine = 0)
    {
        FuncState.Check(fs.Block == bl, "leaving a block that is not current");
        bool hasClose = false;
        int stackLevel = fs.RegLevel(bl.NumActiveVars);
        RemoveVars(bl.NumActiveVars);
        if (bl.IsLoop) hasClose = CreateLabel(BreakLabel, 0, last: false, errorLine: 0);
        if (!hasClose && bl.Previous != null && bl.HasUpval)
            fs.EmitABC(OpCode.Close, stackLevel, 0, 0);
        fs.FreeReg = stackLevel;
        Labels.RemoveRange(bl.FirstLabel, Labels.Count - bl.FirstLabel);
        fs.Block = bl.Previous;
        if (bl.Previous != null) MoveGotosOut(bl);
        else if (bl.FirstGoto < PendingGotos.Count) UndefinedGoto(PendingGotos[bl.FirstGoto], undefinedGotoLine);
        TrimActiveVars();
    }

    /// <summary>Pending gotos of a closed block now wait in the enclosing block, at its level.</summary>
    private void MoveGotosOut(BlockScope bl)
    {
        for (int i = bl.FirstGoto; i < PendingGotos.Count; i++)
        {
            LabelDesc gt = PendingGotos[i];
            // Locals of the closed block are out of scope but their entries are still there.
            if (fs.RegLevel(gt.NumActiveVars) > fs.RegLevel(bl.NumActiveVars))
                gt.Close |= bl.HasUpval;
            gt.NumActiveVars = bl.NumActiveVars;
        }
    }

    private void UndefinedGoto(LabelDesc gt, int line)
    {
        string message = gt.Name == BreakLabel
            ? $"break outside loop at line {gt.Line}"
            : $"no visible label '{gt.Name}' for <goto> at line {gt.Line}";
        throw ErrorAt(line, message);
    }

    // ---- Labels and gotos -------------------------------------------------------------

    private LabelDesc? FindLabel(string name)
    {
        for (int i = fs.FirstLabel; i < Labels.Count; i++)
            if (Labels[i].Name == name) return Labels[i];
        return null;
    }

    private void NewGotoEntry(string name, int line, int pc) =>
        PendingGotos.Add(new LabelDesc(name, pc, line, fs.NumActiveVars));

    /// <summary>
    /// Declares a label at the current pc and resolves the pending gotos of the current block
    /// that target it. Returns true if it emitted a Close (some goto left a captured local).
    /// </summary>
    private bool CreateLabel(string name, int line, bool last, int errorLine)
    {
        var label = new LabelDesc(name, fs.GetLabel(), line, fs.NumActiveVars);
        if (last) label.NumActiveVars = fs.Block!.NumActiveVars;  // block locals are already dead here
        Labels.Add(label);
        if (SolveGotos(label, errorLine))
        {
            fs.EmitABC(OpCode.Close, fs.NumVarStack, 0, 0);
            return true;
        }
        return false;
    }

    private bool SolveGotos(LabelDesc label, int errorLine)
    {
        bool needsClose = false;
        int i = fs.Block!.FirstGoto;
        while (i < PendingGotos.Count)
        {
            LabelDesc gt = PendingGotos[i];
            if (gt.Name != label.Name) { i++; continue; }
            needsClose |= gt.Close;
            if (gt.NumActiveVars < label.NumActiveVars)
            {
                string varName = fs.GetVar(gt.NumActiveVars).Name;
                throw ErrorAt(errorLine, $"<goto {gt.Name}> at line {gt.Line} jumps into the scope of local '{varName}'");
            }
            fs.PatchList(gt.Pc, label.Pc);
            PendingGotos.RemoveAt(i);
        }
        return needsClose;
    }
}
