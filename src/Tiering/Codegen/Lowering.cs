using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Tiered.Tiering.Llvm;
using static Tiered.Interpreter.Bytecode.Instruction;
using static Tiered.Tiering.Llvm.LlvmApi;

namespace Tiered.Tiering.Codegen;

// Bytecode -> LLVM IR for one function. The generated function has the native ABI
//
//     i32 fn(LuaThread* th, CallFrame* ci, i32 entryPc)
//
// and runs the frame from instruction entryPc, which the caller passes: 0 for a call, ci->Pc's
// index when the interpreter enters a running frame. An entry switch accepts the first
// instruction and every loop header (OSR); any other pc returns Exit at once and the
// interpreter carries on. A call does not store the callee frame's pc: nothing reads it before
// the callee stores its own (SavePc, before every helper, call and exit).
// Registers are kept in local slots (allocas, which LLVM turns into SSA values and machine
// registers) and synchronised with the thread's stack around everything that leaves the
// function's own code: before a runtime helper, a call, a deopt or a return the registers that
// changed are written to their stack slots (the frame is the truth), and after a helper or call
// those it may have written are read back. Registers a closure may capture have no local copy
// (Lua code run by any helper may assign them through an open upvalue); they are used in place,
// in the stack. LLVM removes the stores of values that did not change and keeps loop variables
// in machine registers.
//
// Each bytecode instruction gets one basic block. Fast paths for the types the interpreter's
// feedback saw are inline, guarded by tag checks; a guard that fails on a site specialised by
// feedback deoptimises (stores the pc, returns Exit); everything else calls a runtime helper
// (RuntimeHelpers.cs), so every instruction of every function can be compiled.
internal sealed unsafe partial class Lowering
{
    private readonly LlvmContext ctx;
    private readonly LlvmModule module;
    private readonly LlvmBuilder builder;
    private readonly nint B;
    private readonly FunctionProto proto;
    private readonly byte[] feedback;
    private readonly bool generic;
    private readonly uint[] code;

    private readonly nint i1, i8, i32, i64, f64, ptr, voidTy;
    private nint fn;
    private string fnName = "";

    /// <summary>The native ABI: i32 (LuaThread* th, CallFrame* ci, i32 entryPc).</summary>
    private nint EntryType => ctx.FunctionType(i32, [ptr, ptr, i32]);
    private nint th, ci;
    private nint baseSlot;        // alloca holding the frame base (changes after VarArgPrep)
    // The closure is read once, at the entry, from the function slot (a return and a tail call
    // later overwrite that slot). Its prototype, code and constants, and the shared state never
    // change while the function runs: they are loaded where they are used, as invariant loads
    // that LLVM merges, not at every entry (a leaf's early return needs none of them).
    private nint closurePtr;
    private nint protoPtr => Invariant(LoadField(ptr, closurePtr, Layout.ClosureProto, Mem.Closure));
    private nint codePtr => Invariant(LoadField(ptr, protoPtr, Layout.ProtoCode, Mem.Proto));
    private nint kPtr => Invariant(LoadField(ptr, protoPtr, Layout.ProtoConstants, Mem.Proto));
    private nint sharedPtr => Invariant(LoadField(ptr, th, Layout.ThreadShared, Mem.Thread));
    private nint scratch;         // a 16-byte alloca for constant keys passed to helpers
    private nint[] blocks = [];
    private nint[] regSlots = [];
    /// <summary>Registers x instructions above which registers are not promoted (see Emit).</summary>
    public const long PromotionBudget = 12000;
    private nint[] constantSlots = [];
    private readonly Dictionary<nint, int> constantIndex = new();   // constant slot -> index
    private readonly Dictionary<nint, int> slotRegister = new();
    // Registers a closure of this function may capture: a helper that runs Lua code can change
    // them through an open upvalue, so they get no local copy.
    private readonly bool[] captured;
    // Registers whose local copy may differ from the stack slot: a flush writes only these.
    // At each instruction the set starts from a dataflow over the bytecode (DirtyAtEntry) and
    // grows with the stores the lowering emits; the lowering checks that it writes only what
    // the dataflow assumed (WrittenBy) and flushes where it assumed (FlushesFirst).
    private bool[] dirty = [];
    private bool[][] dirtyAtEntry = [];
    private int currentPc;
    private nint instructionEntry;       // the first block of the instruction being emitted
    private readonly HashSet<int> entryPcs = new();
    private nint callEntry;  // the block a call enters by: the parameters read from the stack
    private nint osrEntry;   // the block that loads the registers and enters at the frame's pc

    public Lowering(LlvmContext context, LlvmModule module, FunctionProto proto, byte[] feedback, bool generic)
    {
        ctx = context;
        this.module = module;
        this.proto = proto;
        this.feedback = feedback;
        this.generic = generic;
        code = proto.Code;
        builder = context.CreateBuilder();
        B = builder.Handle;
        i1 = context.Int1; i8 = context.Int8; i32 = context.Int32; i64 = context.Int64;
        f64 = context.Double; ptr = context.Ptr; voidTy = context.Void;
        captured = new bool[Math.Max(proto.MaxStackSize, 1)];
        foreach (FunctionProto child in proto.Protos)
            foreach (UpvalueDesc uv in child.Upvalues)
                if (uv.InStack && uv.Index < captured.Length) captured[uv.Index] = true;
    }

    /// <summary>Loop headers: targets of backward jumps, where OSR may enter.</summary>
    public static IEnumerable<int> LoopHeaders(uint[] code) => BackEdges(code).Select(e => e.Header);

    /// <summary>Which instructions lie in a loop: from a loop header to the backward jump
    /// that returns to it.</summary>
    public static bool[] InLoops(uint[] code)
    {
        var inLoop = new bool[code.Length];
        foreach ((int pc, int header) in BackEdges(code))
            for (int at = header; at >= 0 && at <= pc; at++) inLoop[at] = true;
        return inLoop;
    }

    /// <summary>Every instruction that jumps back (a numeric or generic for's loop instruction,
    /// a backward JMP) with the loop header it goes to.</summary>
    private static IEnumerable<(int Pc, int Header)> BackEdges(uint[] code)
    {
        for (int pc = 0; pc < code.Length; pc++)
        {
            uint i = code[pc];
            switch (Op(i))
            {
                case OpCode.ForLoop or OpCode.TForLoop: yield return (pc, pc + 1 - Bx(i)); break;
                case OpCode.Jmp when SJ(i) < 0: yield return (pc, pc + 1 + SJ(i)); break;
            }
        }
    }

    public nint Emit(string name)
    {
        nint fnType = EntryType;
        fnName = name;
        fn = module.AddFunction(name, fnType);
        nint entry = LLVMAppendBasicBlockInContext(ctx.Handle, fn, "entry");
        blocks = new nint[code.Length + 1];
        for (int pc = 0; pc < code.Length; pc++) blocks[pc] = NewBlock(pc, "");
        blocks[code.Length] = LLVMAppendBasicBlockInContext(ctx.Handle, fn, "");   // falls off the end: never reached

        builder.PositionAtEnd(entry);
        th = LLVMGetParam(fn, 0);
        ci = LLVMGetParam(fn, 1);
        baseSlot = LLVMBuildAlloca(B, ptr, "");
        scratch = LLVMBuildAlloca(B, ctx.StructType([i64, i64]), "");
        ReadFrame();
        CreateSlots();

        // Entry switch on the frame's pc: a call enters at 0, OSR at a loop header; both load
        // the registers from the stack (the loop headers share one sequence of loads).
        entryPcs.Add(0);
        foreach (int h in LoopHeaders(code)) entryPcs.Add(h);
        // After calls that a coroutine yield passed through: the interpreter finishes such a
        // call on the resume, then native code goes on from the next instruction.
        for (int pc = 0; pc + 1 < code.Length; pc++)
            if (Op(code[pc]) is OpCode.Call or OpCode.TForCall && pc < feedback.Length && (feedback[pc] & (byte)FeedbackBits.YieldedThrough) != 0)
                entryPcs.Add(pc + 1);
        nint index = LLVMGetParam(fn, 2);
        nint notEntry = LLVMAppendBasicBlockInContext(ctx.Handle, fn, "not_entry");
        nint sw = LLVMBuildSwitch(B, index, notEntry, (uint)entryPcs.Count);
        nint call = callEntry = NewBlock(code.Length, "enter");
        LLVMAddCase(sw, I32(0), call);
        builder.PositionAtEnd(call);
        LoadParameters();
        Br(blocks[0]);
        if (entryPcs.Count > 1)
        {
            nint osr = NewBlock(code.Length, "osr");
            osrEntry = osr;
            builder.PositionAtEnd(osr);
            Reload();
            // The pc is read again here: a back-edge's interrupt check comes back this way too.
            nint osrPc = LLVMBuildSub(B, LLVMBuildPtrToInt(B, LoadField(ptr, ci, Layout.FramePc, Mem.Frame), i64, ""), LLVMBuildPtrToInt(B, codePtr, i64, ""), "");
            nint header = LLVMBuildSwitch(B, LLVMBuildTrunc(B, LLVMBuildAShr(B, osrPc, I64(2), ""), i32, ""), notEntry, (uint)entryPcs.Count - 1);
            bool headerAtStart = LoopHeaders(code).Contains(0);
            foreach (int pc in entryPcs)
            {
                // A call enters at 0 through `enter` (which loads the parameters only); a loop
                // whose header is 0 is re-entered here after its interrupt check (EmitBackEdge),
                // with every register read back.
                if (pc != 0) LLVMAddCase(sw, I32(pc), osr);
                if (pc != 0 || headerAtStart) LLVMAddCase(header, I32(pc), pc > 0 && IsIntegerLoop(pc - 1) ? IntegerLoopOsrEntry(pc) : blocks[pc]);
            }
        }
        builder.PositionAtEnd(notEntry);
        LLVMBuildRet(B, I32(1));

        EmitInstructions();
        builder.Dispose();
        return fn;
    }

    /// <summary>Reads the frame's closure (once: a return and a tail call later overwrite its
    /// slot) and sets the base above its function slot.</summary>
    private void ReadFrame()
    {
        nint funcSlot = LoadField(ptr, ci, Layout.FrameFunc, Mem.Frame);
        closurePtr = LoadField(ptr, funcSlot, 0, Mem.Value);
        LLVMBuildStore(B, Gep(funcSlot, Layout.ValueSize), baseSlot);
    }

    /// <summary>The local slots: one per register that may have a copy (see Emit), and one per
    /// numeric or boolean constant, built where the builder stands (the entry block).</summary>
    private void CreateSlots()
    {
        nint valueType = ctx.StructType([i64, i64]);
        // Each helper site writes back the registers that may be dirty there, so the IR can grow
        // with registers x instructions; past a budget the registers stay in the stack (slower
        // code, but bounded compile time). Measured on perf/: every benchmark function fits.
        bool promote = (long)proto.MaxStackSize * code.Length <= PromotionBudget;
        regSlots = new nint[promote ? Math.Max(proto.MaxStackSize, 1) : 0];
        for (int r = 0; r < regSlots.Length; r++)
        {
            // A register a closure may capture stays in the stack: a local copy would have to be
            // read back after every helper (any Lua code may assign it through an open upvalue),
            // which in a main chunk, where most locals are captured functions, made most of the
            // IR. It is read where it is used; LLVM still keeps it in a machine register through a
            // loop that calls nothing.
            if (captured[r]) continue;
            regSlots[r] = LLVMBuildAlloca(B, valueType, "");
            slotRegister[regSlots[r]] = r;
        }

        // Numeric and boolean constants become immediates (local slots LLVM folds away), so
        // `x % 7` divides by a constant. They are part of the function's key, not addresses.
        constantSlots = new nint[proto.Constants.Length];
        for (int c = 0; c < proto.Constants.Length; c++)
        {
            Constant kc = proto.Constants[c];
            if (kc.Kind == ConstantKind.String) continue;
            nint slot = LLVMBuildAlloca(B, valueType, "");
            switch (kc.Kind)
            {
                case ConstantKind.Integer: SetInt(slot, I64(kc.Integer)); break;
                case ConstantKind.Float: SetFloat(slot, F64(kc.Float)); break;
                case ConstantKind.Nil: SetNil(slot); break;
                default: SetBool(slot, LLVMConstInt(i1, kc.Kind == ConstantKind.True ? 1UL : 0UL, 0)); break;
            }
            constantSlots[c] = slot;
            constantIndex[slot] = c;
        }
    }

    /// <summary>The start of a call: the register copies from the stack.</summary>
    private void LoadParameters()
    {
        if (proto.IsVararg) { Reload(); return; }
        // A call brings only the parameters: every other register is written before the
        // bytecode reads it, so its copy starts as nil rather than a load of whatever the
        // stack slot held (which would stay live, and spilled, for the exits that write
        // all registers back).
        nint @base = Base();
        for (int r = 0; r < regSlots.Length; r++)
        {
            if (!Promoted(r)) continue;
            if (r < proto.NumParams)
            {
                // In line, from the caller's copy (the same value as the stack slot).
                nint slot = inlineArguments?[r] ?? Gep(@base, (long)r * Layout.ValueSize);
                LLVMBuildStore(B, LoadI64(slot, 0), regSlots[r]);
                LLVMBuildStore(B, TagOf(slot), Gep(regSlots[r], Layout.ValueTag));
            }
            else
            {
                LLVMBuildStore(B, I64(0), regSlots[r]);
                LLVMBuildStore(B, I8((int)Tag.Nil), Gep(regSlots[r], Layout.ValueTag));
            }
        }
    }

    /// <summary>Each instruction's code, from the dataflows over the bytecode.</summary>
    private void EmitInstructions()
    {
        dirty = new bool[regSlots.Length];
        writtenHere = new bool[regSlots.Length];
        liveAtEntry = LiveAtEntry();
        dirtyAtEntry = DirtyAtEntry();
        staleAndDirty = StaleAndDirty(dirtyAtEntry);
        for (int pc = 0; pc < code.Length; pc++)
        {
            builder.PositionAtEnd(blocks[pc]);
            instructionEntry = blocks[pc];
            currentPc = pc;
            Array.Copy(dirtyAtEntry[pc], dirty, dirty.Length);
            Array.Clear(writtenHere);
            EmitInstruction(pc);
            if (FlushesFirst(pc) && !flushedFirst)
                throw new InvalidOperationException($"lowering: instruction {pc} ({Op(code[pc])}) was assumed to flush first");
            flushedFirst = false;
        }
        builder.PositionAtEnd(blocks[code.Length]);
        LLVMBuildUnreachable(B);
    }

    // ------------------------------------------------------------------ IR building blocks

    private nint I8(int v) => LLVMConstInt(i8, (ulong)v, 0);
    private nint I32(int v) => LLVMConstInt(i32, (ulong)(uint)v, 0);
    private nint I64(long v) => LLVMConstInt(i64, (ulong)v, 1);
    private nint F64(double v) => LLVMConstReal(f64, v);

    private nint Gep(nint p, long offset)
    {
        if (offset == 0) return p;
        nint idx = I64(offset);
        return LLVMBuildInBoundsGEP2(B, i8, p, &idx, 1, "");
    }

    private nint GepDyn(nint p, nint offset) => LLVMBuildGEP2(B, i8, p, &offset, 1, "");

    /// <summary>Kinds of memory for LLVM's type-based alias analysis (!tbaa): accesses of two
    /// different kinds never overlap, so a store of a Lua value (a register's write-back, a
    /// table slot) does not make LLVM load a table's node array or an upvalue's pointer again.
    /// Each kind other than Value is one field of one runtime structure; Value is the 16 bytes
    /// of a Lua value wherever it lives (stack, array part, node value, upvalue, local slot).
    /// Frame, Thread, Proto, Closure and Shared are the fields of a call frame, the thread, a
    /// prototype (read only here), a closure's prototype pointer and the shared state; Counter
    /// is a prototype's call count and the shared back-edge countdown, which native code
    /// increments. With them, the frame a call pushes does not hide from LLVM what the caller
    /// knew of the thread, the prototype or the stack. Untagged accesses may overlap anything.</summary>
    private enum Mem
    {
        Value, NodeKey, TableArray, TableArraySize, TableNodes, TableLogNodeSize, TableIsDummyNode, TableMeta, TableFlags, TableLengthHint, TableIndexWatched, IndexCache,
        ClosureUpvalue, UpvalPointer, Frame, Thread, Proto, Closure, Shared, Counter,
    }

    private uint tbaaKind;
    private readonly nint[] tbaaTags = new nint[Enum.GetValues<Mem>().Length];

    /// <summary>Tags a load or store with its kind of memory (see <see cref="Mem"/>).</summary>
    private nint Tagged(nint access, Mem memory)
    {
        if (tbaaKind == 0) tbaaKind = ctx.MetadataKind("tbaa");
        ref nint tag = ref tbaaTags[(int)memory];
        if (tag == 0) tag = ctx.TbaaTag(memory.ToString());
        LLVMSetMetadata(access, tbaaKind, tag);
        return access;
    }

    /// <summary>A load of one field of a runtime structure, tagged with its kind of memory.</summary>
    private nint LoadField(nint type, nint p, long offset, Mem memory) =>
        Tagged(LLVMBuildLoad2(B, type, Gep(p, offset), ""), memory);

    private void StoreField(nint value, nint p, long offset, Mem memory) =>
        Tagged(LLVMBuildStore(B, value, Gep(p, offset)), memory);

    private nint Invariant(nint load)
    {
        ctx.SetInvariantLoad(load);
        return load;
    }

    private nint LoadPtr(nint p, long offset) => LLVMBuildLoad2(B, ptr, Gep(p, offset), "");
    private nint LoadI64(nint p, long offset) => LLVMBuildLoad2(B, i64, Gep(p, offset), "");
    private nint LoadI32(nint p, long offset) => LLVMBuildLoad2(B, i32, Gep(p, offset), "");
    private nint LoadF64(nint p, long offset) => LLVMBuildLoad2(B, f64, Gep(p, offset), "");
    private void Store(nint value, nint p, long offset) => StoreInstruction(value, p, offset);

    /// <summary>A store of part of a Lua value (see <see cref="Mem.Value"/>).</summary>
    private void StoreValue(nint value, nint p, long offset) => Tagged(StoreInstruction(value, p, offset), Mem.Value);

    private nint StoreInstruction(nint value, nint p, long offset)
    {
        if (slotRegister.TryGetValue(p, out int r))
        {
            if (!dirty[r] && !WrittenBy(code[currentPc]).Contains(r))
                throw new InvalidOperationException($"lowering: instruction {currentPc} ({Op(code[currentPc])}) writes register {r} unannounced");
            dirty[r] = true;
            writtenHere[r] = true;
        }
        return LLVMBuildStore(B, value, Gep(p, offset));
    }

    private nint Base() => LLVMBuildLoad2(B, ptr, baseSlot, "");
    /// <summary>Register r as the function's code sees it: its local slot, or its stack slot
    /// when it has none (a captured register, or a function past the promotion budget).</summary>
    private nint Reg(int r) => Promoted(r) ? regSlots[r] : StackReg(r);

    /// <summary>Whether register r has a local copy (else it lives in its stack slot).</summary>
    private bool Promoted(int r) => r < regSlots.Length && regSlots[r] != 0;
    /// <summary>Register r's slot in the thread's stack (what helpers and the interpreter see).</summary>
    private nint StackReg(int r) => Gep(Base(), (long)r * Layout.ValueSize);

    /// <summary>Brings the stack up to date: writes every register that may be dirty and that
    /// the function or a debugger may still read (see <see cref="Keeps"/>). A flush in the
    /// instruction's first block precedes all its paths, so the registers are clean after it (a
    /// dead one is written before it is read again, which makes it dirty again).</summary>
    private void Flush()
    {
        nint @base = Base();
        for (int r = 0; r < regSlots.Length; r++)
            if (dirty[r] && Promoted(r) && Keeps(currentPc, r)) Copy(Gep(@base, (long)r * Layout.ValueSize), regSlots[r]);
        if (builder.InsertBlock == instructionEntry)
        {
            Array.Fill(dirty, false);
            flushedFirst = true;
        }
    }

    private bool flushedFirst;

    /// <summary>Whether the lowering of instruction i flushes in its first block, before any
    /// path of it writes a register (so every register is clean after that point).</summary>
    private bool FlushesFirst(int pc) => !IsIntrinsicSite(pc) && !IsIpairsSite(pc) && Op(code[pc]) is OpCode.Call or OpCode.NewTable
        or OpCode.Closure or OpCode.Concat or OpCode.VarArg or OpCode.ForPrep or OpCode.TForCall;

    /// <summary>Reads every register back from its stack slot.</summary>
    private void Reload() => Reload(Writes.All);

    /// <summary>Reads back the registers a helper may have changed: those it writes. (Captured
    /// ones, which Lua code it runs may assign through an upvalue, have no local copy.)</summary>
    private void Reload(Writes writes)
    {
        nint @base = Base();
        for (int r = 0; r < regSlots.Length; r++)
        {
            if (!Promoted(r)) continue;
            if (r >= writes.DeadFrom)
            {
                // Free registers above a call's results: the bytecode writes them before it reads
                // them, so there is nothing to read back, and the copy is clean (it is not written
                // back before it is written again: the slot may hold a callee frame still in
                // progress). Where a later write-back may still take it (a join where another path
                // left it dirty, see StaleAndDirty) the copy becomes nil, not the stale value,
                // which would put on the stack an object the callee may have let go of.
                dirty[r] = false;
                if (staleAndDirty[r])
                {
                    LLVMBuildStore(B, I64(0), regSlots[r]);
                    LLVMBuildStore(B, I8((int)Tag.Nil), Gep(regSlots[r], Layout.ValueTag));
                }
                continue;
            }
            if (!writes.Covers(r)) continue;
            // Not through Store: the copy is clean (it equals the stack slot).
            nint slot = Gep(@base, (long)r * Layout.ValueSize);
            LLVMBuildStore(B, LoadI64(slot, 0), regSlots[r]);
            LLVMBuildStore(B, TagOf(slot), Gep(regSlots[r], Layout.ValueTag));
        }
    }

    /// <summary>The registers a runtime helper may store into (captured ones are in the stack anyway).</summary>
    private readonly record struct Writes(int First, int End, int DeadFrom = int.MaxValue)
    {
        public static readonly Writes All = new(0, int.MaxValue);
        public static readonly Writes Nothing = new(0, 0);
        public static Writes Register(int r) => new(r, r + 1);
        public static Writes Registers(int first, int count) => new(first, first + count);
        /// <summary>A call: the callee's frame and results start at <paramref name="first"/>.</summary>
        public static Writes From(int first) => new(first, int.MaxValue);
        /// <summary>A call with a fixed number of results: they are written from
        /// <paramref name="first"/>, and the registers above them are free (the Lua compiler
        /// puts a call's base at its first free register, so nothing above its results is read
        /// before it is written again), though the callee's frame used their stack slots.</summary>
        public static Writes Results(int first, int count) => new(first, first + count, first + count);
        public bool Covers(int r) => r >= First && r < End;
    }

    /// <summary>A pointer for a helper: register slots are replaced by their stack slots, and
    /// constant slots by the constant in the prototype's table, so no local slot's address
    /// escapes (LLVM then keeps registers in machine registers and folds constants).</summary>
    private nint ForHelper(nint pointer) =>
        slotRegister.TryGetValue(pointer, out int r) ? StackReg(r)
        : constantIndex.TryGetValue(pointer, out int c) ? Gep(kPtr, (long)c * Layout.ValueSize)
        : immediateValue.TryGetValue(pointer, out long v) ? MaterializeInt(v)
        : pointer;

    private readonly Dictionary<nint, long> immediateValue = new();   // immediate slot -> value
    private readonly Dictionary<long, nint> immediateSlot = new();

    /// <summary>An integer operand encoded in the instruction (ADDI, SHRI...) as a read-only
    /// local slot, like the numeric constants: LLVM folds it into the fast paths, and a helper
    /// gets a copy written on its own path (ForHelper), not one stored on every execution.</summary>
    private nint Immediate(long v)
    {
        if (immediateSlot.TryGetValue(v, out nint slot)) return slot;
        slot = EntryAlloca(ctx.StructType([i64, i64]), s => SetInt(s, I64(v)));
        immediateSlot[v] = slot;
        immediateValue[slot] = v;
        return slot;
    }
    private nint Konst(int index)
    {
        if (index < constantSlots.Length && constantSlots[index] != 0) return constantSlots[index];
        nint slot = Gep(kPtr, (long)index * Layout.ValueSize);
        if (index < proto.Constants.Length && proto.Constants[index].Kind == ConstantKind.String) stringConstant[slot] = index;
        return slot;
    }

    // String constants' slots in the prototype's table (from Konst), and key pointers whose
    // hash is known at compile time (see KeyPointer).
    private readonly Dictionary<nint, int> stringConstant = new();
    private readonly Dictionary<nint, uint> knownHash = new();

    /// <summary>The string pointer of a key value. A short string constant's pointer is read
    /// as invariant (the prototype's constants never change) and its hash is computed here,
    /// as LuaState interns it, so its main position costs no loads but the table's.</summary>
    private nint KeyPointer(nint keyValue)
    {
        nint key = LoadPtr(keyValue, 0);
        if (stringConstant.TryGetValue(keyValue, out int index) && IsShortStringConstant(index))
        {
            ctx.SetInvariantLoad(key);
            knownHash[key] = LuaString.ComputeHash(proto.Constants[index].String, LuaState.StringSeed);
        }
        return key;
    }

    /// <summary>An alloca at the start of the entry block (where LLVM promotes allocas to
    /// registers), initialised there by <paramref name="init"/>; the builder stays where it was.</summary>
    private nint EntryAlloca(nint type, Action<nint> init)
    {
        nint saved = builder.InsertBlock;
        nint entry = LLVMGetEntryBasicBlock(fn);
        nint first = LLVMGetFirstInstruction(entry);
        if (first != 0) LLVMPositionBuilderBefore(B, first); else builder.PositionAtEnd(entry);
        nint slot = LLVMBuildAlloca(B, type, "");
        init(slot);
        builder.PositionAtEnd(saved);
        return slot;
    }

    private nint TagOf(nint value) => LoadField(i8, value, Layout.ValueTag, Mem.Value);
    private nint IsTag(nint value, Tag tag) => LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, TagOf(value), I8((int)tag), "");

    private void SetInt(nint dst, nint v)
    {
        StoreValue(v, dst, 0);
        StoreValue(I8((int)Tag.Integer), dst, Layout.ValueTag);
    }

    private void SetFloat(nint dst, nint v)
    {
        StoreValue(v, dst, 0);
        StoreValue(I8((int)Tag.Float), dst, Layout.ValueTag);
    }

    private void SetBool(nint dst, nint bit)
    {
        StoreValue(LLVMBuildZExt(B, bit, i64, ""), dst, 0);
        StoreValue(I8((int)Tag.Boolean), dst, Layout.ValueTag);
    }

    private void SetNil(nint dst)
    {
        StoreValue(I64(0), dst, 0);
        StoreValue(I8((int)Tag.Nil), dst, Layout.ValueTag);
    }

    /// <summary>Whether p is one of the function's local slots (a register's copy, a constant,
    /// the nil value) rather than memory that other code reads.</summary>
    private bool IsLocal(nint p) => slotRegister.ContainsKey(p) || constantIndex.ContainsKey(p) || (p == nilValue && p != 0);

    /// <summary>Copies a value. A local slot holds only the payload and the tag byte: its other
    /// bytes are never read, so LLVM keeps two scalars per register rather than a payload, a tag
    /// and the 56 bits around the tag (which every merge and write-back would carry). Written to
    /// memory, a local value gets the tag word a Value constructor makes (aux and padding zero);
    /// memory to memory copies all 16 bytes.</summary>
    private void Copy(nint dst, nint src)
    {
        StoreValue(LoadField(i64, src, 0, Mem.Value), dst, 0);
        bool localDst = IsLocal(dst);
        if (!localDst && !IsLocal(src)) { StoreValue(LoadField(i64, src, 8, Mem.Value), dst, 8); return; }
        nint tag = TagOf(src);
        StoreValue(localDst ? tag : LLVMBuildZExt(B, tag, i64, ""), dst, Layout.ValueTag);
    }

    /// <summary>A value's number as a double (the caller knows it is an integer or a float).</summary>
    private nint AsDouble(nint value)
    {
        nint isInt = IsTag(value, Tag.Integer);
        nint asInt = LLVMBuildSIToFP(B, LoadI64(value, 0), f64, "");
        nint asFloat = LoadF64(value, 0);
        return LLVMBuildSelect(B, isInt, asInt, asFloat, "");
    }

    private nint IsNumber(nint value)
    {
        nint t = TagOf(value);
        nint a = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, t, I8((int)Tag.Integer), "");
        nint b = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, t, I8((int)Tag.Float), "");
        return LLVMBuildOr(B, a, b, "");
    }

    /// <summary>nil or false.</summary>
    private nint IsFalsy(nint value)
    {
        nint t = TagOf(value);
        nint isNil = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, t, I8((int)Tag.Nil), "");
        nint isBool = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, t, I8((int)Tag.Boolean), "");
        nint isZero = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadI64(value, 0), I64(0), "");
        return LLVMBuildOr(B, isNil, LLVMBuildAnd(B, isBool, isZero, ""), "");
    }

    /// <summary>A phi node with all its incoming (value, predecessor) pairs.</summary>
    private nint Phi(nint type, params (nint Value, nint Block)[] incoming)
    {
        nint phi = LLVMBuildPhi(B, type, "");
        foreach ((nint value, nint block) in incoming) LlvmBuilder.AddIncoming(phi, value, block);
        return phi;
    }

    /// <summary>Names every block after the instruction it belongs to ("pc17.GetField.slow"), so
    /// that a dump of the IR (TIERED_DUMP_IR) shows where each piece of code comes from.</summary>
    public bool NameBlocks { get; init; }

    /// <summary>Restore the hardware's NaN after each float operation (see HardwareNaN).</summary>
    public bool NaNFixups { get; init; }

    /// <summary>Set by Emit when the function has float arithmetic that could fold to a NaN.</summary>
    public bool UsesFloatArithmetic { get; private set; }

    private nint NewBlock(string name = "") => NewBlock(currentPc, name);

    private nint NewBlock(int pc, string name) => LLVMAppendBasicBlockInContext(ctx.Handle, fn,
        NameBlocks && pc < code.Length ? $"pc{pc}.{Op(code[pc])}{(name.Length > 0 ? "." : "")}{name}" : name);

    private void Br(nint block) => LLVMBuildBr(B, block);
    private void CondBr(nint cond, nint then, nint @else) => LLVMBuildCondBr(B, cond, then, @else);

    private nint rareThen, rareElse;   // !prof branch_weights metadata, made once

    /// <summary>A branch to <paramref name="rare"/> (a failing guard, a fix-up) when cond is
    /// true. The weights keep LLVM from turning it into a select and lay the rare side out of line.</summary>
    private void CondBrRare(nint cond, nint rare, nint common) => Weighted(LLVMBuildCondBr(B, cond, rare, common), rareFirst: true);

    /// <summary>A guard: on to <paramref name="pass"/> when ok, else (rarely) to <paramref name="fail"/>.</summary>
    private void Guard(nint ok, nint pass, nint fail) => Weighted(LLVMBuildCondBr(B, ok, pass, fail), rareFirst: false);

    private void Weighted(nint branch, bool rareFirst)
    {
        ref nint weights = ref rareFirst ? ref rareThen : ref rareElse;
        if (weights == 0)
        {
            nint c = ctx.Handle;
            nint* mds = stackalloc nint[3];
            fixed (byte* p = "branch_weights"u8) mds[0] = LLVMMDStringInContext2(c, p, 14);
            mds[1] = LLVMValueAsMetadata(I32(rareFirst ? 1 : 100000));
            mds[2] = LLVMValueAsMetadata(I32(rareFirst ? 100000 : 1));
            weights = LLVMMetadataAsValue(c, LLVMMDNodeInContext2(c, mds, 3));
        }
        fixed (byte* k = "prof"u8) LLVMSetMetadata(branch, LLVMGetMDKindIDInContext(ctx.Handle, k, 4), weights);
    }

    /// <summary>Sets the frame's saved pc to instruction <paramref name="pc"/> (as an absolute pointer).</summary>
    private void SavePc(int pc) => StoreField(Gep(codePtr, (long)pc * 4), ci, Layout.FramePc, Mem.Frame);

    // ------------------------------------------------------------------ helpers and exits

    private nint Helper(string name, nint returnType, params nint[] parameters)
    {
        nint f = module.GetNamedFunction(name);
        if (f != 0) return f;
        f = module.AddFunction(name, ctx.FunctionType(returnType, parameters));
        if (SlowPathHelpers.Contains(name)) module.AddFunctionAttribute(f, "cold");
        return f;
    }

    /// <summary>Helpers that stand for a fast path's failure or for rare work (metamethods,
    /// hash parts, interrupts, exits, set-up). Declared cold, so LLVM takes the branches to them
    /// as unlikely: code layout keeps them out of line, and the register allocator puts its
    /// spills and reloads around them rather than in the loop they sit in. The others
    /// (calls, allocation, concatenation, generic-for steps) are often a loop's real work.</summary>
    private static readonly HashSet<string> SlowPathHelpers =
    [
        "tiered_rt_index", "tiered_rt_setindex", "tiered_rt_arith", "tiered_rt_compare", "tiered_rt_self",
        "tiered_rt_interrupt", "tiered_rt_deopt", "tiered_rt_forprep",
        "tiered_rt_close", "tiered_rt_tbc", "tiered_rt_varargprep", "tiered_rt_indexchain",
    ];

    /// <summary>Calls a runtime helper with the frame synchronised: registers are flushed to the
    /// stack first and reloaded after (register arguments are passed as their stack slots).</summary>
    private nint CallHelper(string name, nint returnType, nint[] paramTypes, params nint[] args) =>
        CallHelper(Writes.All, name, returnType, paramTypes, args);

    private nint CallHelper(Writes writes, string name, nint returnType, nint[] paramTypes, params nint[] args)
    {
        Flush();
        for (int j = 0; j < args.Length; j++) args[j] = ForHelper(args[j]);
        nint result = builder.Call(Helper(name, returnType, paramTypes), args);
        Reload(writes);
        return result;
    }

    /// <summary>Calls a status-returning helper and returns its status from this function when
    /// it is not 0; continues in a new block otherwise.</summary>
    private void CallChecked(string name, nint[] paramTypes, params nint[] args) =>
        CallChecked(Writes.All, name, paramTypes, args);

    private void CallChecked(Writes writes, string name, nint[] paramTypes, params nint[] args)
    {
        nint status = CallHelper(writes, name, i32, paramTypes, args);
        nint ok = NewBlock();
        nint fail = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, status, I32(0), ""), ok, fail);
        builder.PositionAtEnd(fail);
        Leave(status);
        builder.PositionAtEnd(ok);
    }

    private nint deoptExit, deoptPc, deoptReason;

    /// <summary>A block that deoptimises at <paramref name="pc"/>: writes back the registers
    /// that may be dirty there (at the instruction's start, or written since by the lowering:
    /// the instruction runs again in the interpreter, so a register it wrote needs no care) and
    /// that the interpreter or a debugger may read from there (<see cref="LiveAtEntry"/>), then joins one shared exit that records the reason, leaves the pc on the instruction for
    /// the interpreter to run, and returns Exit. Writing back only those keeps a stale copy (a
    /// free register after a call, see Reload) off the stack, and keeps the copies of every
    /// register from flowing into the shared exit, which made large functions slow to
    /// compile.</summary>
    private nint DeoptBlock(int pc, DeoptReason reason)
    {
        nint saved = builder.InsertBlock;
        if (deoptExit == 0)
        {
            deoptExit = NewBlock(code.Length, "deopt");
            builder.PositionAtEnd(deoptExit);
            deoptPc = LLVMBuildPhi(B, i32, "");
            deoptReason = LLVMBuildPhi(B, i32, "");
            nint at = GepDyn(codePtr, LLVMBuildShl(B, LLVMBuildZExt(B, deoptPc, i64, ""), I64(2), ""));
            StoreField(at, ci, Layout.FramePc, Mem.Frame);
            builder.Call(Helper("tiered_rt_deopt", voidTy, [ptr, ptr, i32, i32]), [th, ci, deoptPc, deoptReason]);
            Leave(I32(1));
        }
        nint block = NewBlock("deopt_site");
        builder.PositionAtEnd(block);
        // An OSR entry's guard comes before the instructions are lowered (no dirty sets yet):
        // its copies were just read from the stack, so there is nothing to write back.
        if (dirtyAtEntry.Length > 0)
        {
            nint @base = Base();
            for (int r = 0; r < regSlots.Length; r++)
                if ((dirty[r] || dirtyAtEntry[pc][r]) && Promoted(r) && liveAtEntry[pc][r]) Copy(Gep(@base, (long)r * Layout.ValueSize), regSlots[r]);
        }
        Br(deoptExit);
        LlvmBuilder.AddIncoming(deoptPc, I32(pc), block);
        LlvmBuilder.AddIncoming(deoptReason, I32((int)reason), block);
        builder.PositionAtEnd(saved);
        return block;
    }

    private FeedbackBits Feedback(int pc) => generic ? (FeedbackBits)0xFF : (FeedbackBits)feedback[pc];

    /// <summary>Only integers were seen here (and the site ran): specialise with a guard.</summary>
    private bool OnlyIntegers(int pc) => Feedback(pc) == FeedbackBits.Integer;

    /// <summary>Only floats were seen here: specialise with a guard.</summary>
    private bool OnlyFloats(int pc) => Feedback(pc) == FeedbackBits.Float;
}
