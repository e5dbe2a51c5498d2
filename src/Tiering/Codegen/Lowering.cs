using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using Tiered.Tiering.Llvm;
using static Tiered.Interpreter.Bytecode.Instruction;
using static Tiered.Tiering.Llvm.LlvmApi;

namespace Tiered.Tiering.Codegen;

// Bytecode -> LLVM IR for one function. The generated function has the native ABI
//
//     i32 fn(LuaThread* th, CallFrame* ci)
//
// and runs the frame from ci->Pc: an entry switch accepts the first instruction and every
// loop header (OSR); any other pc returns Exit at once and the interpreter carries on.
// Registers are kept in local slots (allocas, which LLVM turns into SSA values and machine
// registers) and synchronised with the thread's stack around everything that leaves the
// function's own code: before a runtime helper, a call, a deopt or a return all registers are
// written to their stack slots (the frame is the truth), and after a helper or call they are
// read back (it may have changed any of them, e.g. through an open upvalue). LLVM removes the
// stores of values that did not change and keeps loop variables in machine registers.
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
    private nint th, ci;
    private nint baseSlot;        // alloca holding the frame base (changes after VarArgPrep)
    private nint codePtr, kPtr, closurePtr, sharedPtr;
    private nint scratch;         // a 16-byte alloca for constant keys passed to helpers
    private nint[] blocks = [];
    private nint[] regSlots = [];
    /// <summary>Registers x instructions above which registers are not promoted (see Emit).</summary>
    public const long PromotionBudget = 600;
    private nint[] constantSlots = [];
    private readonly Dictionary<nint, int> slotRegister = new();
    private readonly HashSet<int> entryPcs = new();

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
    }

    /// <summary>Loop headers: targets of backward jumps, where OSR may enter.</summary>
    public static IEnumerable<int> LoopHeaders(uint[] code)
    {
        for (int pc = 0; pc < code.Length; pc++)
        {
            uint i = code[pc];
            switch (Op(i))
            {
                case OpCode.ForLoop: yield return pc + 1 - Bx(i); break;
                case OpCode.TForLoop: yield return pc + 1 - Bx(i); break;
                case OpCode.Jmp when SJ(i) < 0: yield return pc + 1 + SJ(i); break;
            }
        }
    }

    public nint Emit(string name)
    {
        nint fnType = ctx.FunctionType(i32, [ptr, ptr]);
        fnName = name;
        fn = module.AddFunction(name, fnType);
        nint entry = LLVMAppendBasicBlockInContext(ctx.Handle, fn, "entry");
        blocks = new nint[code.Length + 1];
        for (int pc = 0; pc < code.Length; pc++) blocks[pc] = LLVMAppendBasicBlockInContext(ctx.Handle, fn, "");
        blocks[code.Length] = LLVMAppendBasicBlockInContext(ctx.Handle, fn, "");   // falls off the end: never reached

        builder.PositionAtEnd(entry);
        th = LLVMGetParam(fn, 0);
        ci = LLVMGetParam(fn, 1);
        baseSlot = LLVMBuildAlloca(B, ptr, "");
        scratch = LLVMBuildAlloca(B, ctx.StructType([i64, i64]), "");
        nint funcSlot = LoadPtr(ci, Layout.FrameFunc);
        closurePtr = LoadPtr(funcSlot, 0);
        nint protoPtr = LoadPtr(closurePtr, Layout.ClosureProto);
        codePtr = LoadPtr(protoPtr, Layout.ProtoCode);
        kPtr = LoadPtr(protoPtr, Layout.ProtoConstants);
        sharedPtr = LoadPtr(th, Layout.ThreadShared);
        LLVMBuildStore(B, Gep(funcSlot, Layout.ValueSize), baseSlot);
        nint valueType = ctx.StructType([i64, i64]);
        // Every helper site syncs every register, so the IR grows with registers x instructions;
        // past a budget the registers stay in the stack (slower code, but bounded compile time).
        bool promote = (long)proto.MaxStackSize * code.Length <= PromotionBudget;
        regSlots = new nint[promote ? Math.Max(proto.MaxStackSize, 1) : 0];
        for (int r = 0; r < regSlots.Length; r++)
        {
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
        }

        // Entry switch on the frame's pc: each entry loads the registers from the stack.
        entryPcs.Add(0);
        foreach (int h in LoopHeaders(code)) entryPcs.Add(h);
        nint pcPtr = LoadPtr(ci, Layout.FramePc);
        nint diff = LLVMBuildSub(B, LLVMBuildPtrToInt(B, pcPtr, i64, ""), LLVMBuildPtrToInt(B, codePtr, i64, ""), "");
        nint index = LLVMBuildTrunc(B, LLVMBuildAShr(B, diff, I64(2), ""), i32, "");
        nint notEntry = LLVMAppendBasicBlockInContext(ctx.Handle, fn, "not_entry");
        nint sw = LLVMBuildSwitch(B, index, notEntry, (uint)entryPcs.Count);
        foreach (int pc in entryPcs)
        {
            nint enter = NewBlock("enter");
            LLVMAddCase(sw, I32(pc), enter);
            builder.PositionAtEnd(enter);
            Reload();
            Br(blocks[pc]);
        }
        builder.PositionAtEnd(notEntry);
        LLVMBuildRet(B, I32(1));

        for (int pc = 0; pc < code.Length; pc++)
        {
            builder.PositionAtEnd(blocks[pc]);
            EmitInstruction(pc);
        }
        builder.PositionAtEnd(blocks[code.Length]);
        LLVMBuildUnreachable(B);
        builder.Dispose();
        return fn;
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

    private nint LoadPtr(nint p, long offset) => LLVMBuildLoad2(B, ptr, Gep(p, offset), "");
    private nint LoadI64(nint p, long offset) => LLVMBuildLoad2(B, i64, Gep(p, offset), "");
    private nint LoadI32(nint p, long offset) => LLVMBuildLoad2(B, i32, Gep(p, offset), "");
    private nint LoadI8(nint p, long offset) => LLVMBuildLoad2(B, i8, Gep(p, offset), "");
    private nint LoadF64(nint p, long offset) => LLVMBuildLoad2(B, f64, Gep(p, offset), "");
    private void Store(nint value, nint p, long offset) => LLVMBuildStore(B, value, Gep(p, offset));

    private nint Base() => LLVMBuildLoad2(B, ptr, baseSlot, "");
    /// <summary>Register r as the function's code sees it (a local slot).</summary>
    private nint Reg(int r) => r < regSlots.Length ? regSlots[r] : StackReg(r);
    /// <summary>Register r's slot in the thread's stack (what helpers and the interpreter see).</summary>
    private nint StackReg(int r) => Gep(Base(), (long)r * Layout.ValueSize);

    /// <summary>Writes every register to its stack slot.</summary>
    private void Flush()
    {
        nint @base = Base();
        for (int r = 0; r < regSlots.Length; r++) Copy(Gep(@base, (long)r * Layout.ValueSize), regSlots[r]);
    }

    /// <summary>Reads every register back from its stack slot.</summary>
    private void Reload()
    {
        nint @base = Base();
        for (int r = 0; r < regSlots.Length; r++) Copy(regSlots[r], Gep(@base, (long)r * Layout.ValueSize));
    }

    /// <summary>A pointer for a helper: register slots are replaced by their stack slots.</summary>
    private nint ForHelper(nint pointer) => slotRegister.TryGetValue(pointer, out int r) ? StackReg(r) : pointer;
    private nint Konst(int index) =>
        index < constantSlots.Length && constantSlots[index] != 0 ? constantSlots[index] : Gep(kPtr, (long)index * Layout.ValueSize);

    private nint TagOf(nint value) => LoadI8(value, Layout.ValueTag);
    private nint IsTag(nint value, Tag tag) => LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, TagOf(value), I8((int)tag), "");

    private void SetInt(nint dst, nint v)
    {
        Store(v, dst, 0);
        Store(I8((int)Tag.Integer), dst, Layout.ValueTag);
    }

    private void SetFloat(nint dst, nint v)
    {
        Store(v, dst, 0);
        Store(I8((int)Tag.Float), dst, Layout.ValueTag);
    }

    private void SetBool(nint dst, nint bit)
    {
        Store(LLVMBuildZExt(B, bit, i64, ""), dst, 0);
        Store(I8((int)Tag.Boolean), dst, Layout.ValueTag);
    }

    private void SetNil(nint dst)
    {
        Store(I64(0), dst, 0);
        Store(I8((int)Tag.Nil), dst, Layout.ValueTag);
    }

    /// <summary>Copies a whole 16-byte value.</summary>
    private void Copy(nint dst, nint src)
    {
        Store(LoadI64(src, 0), dst, 0);
        Store(LoadI64(src, 8), dst, 8);
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

    private nint NewBlock(string name = "") => LLVMAppendBasicBlockInContext(ctx.Handle, fn, name);

    private void Br(nint block) => LLVMBuildBr(B, block);
    private void CondBr(nint cond, nint then, nint @else) => LLVMBuildCondBr(B, cond, then, @else);

    /// <summary>Sets the frame's saved pc to instruction <paramref name="pc"/> (as an absolute pointer).</summary>
    private void SavePc(int pc) => Store(Gep(codePtr, (long)pc * 4), ci, Layout.FramePc);

    // ------------------------------------------------------------------ helpers and exits

    private nint Helper(string name, nint returnType, params nint[] parameters) =>
        module.DeclareExternalFunction(name, ctx.FunctionType(returnType, parameters));

    /// <summary>Calls a runtime helper with the frame synchronised: registers are flushed to the
    /// stack first and reloaded after (register arguments are passed as their stack slots).</summary>
    private nint CallHelper(string name, nint returnType, nint[] paramTypes, params nint[] args)
    {
        Flush();
        for (int j = 0; j < args.Length; j++) args[j] = ForHelper(args[j]);
        nint result = builder.Call(Helper(name, returnType, paramTypes), args);
        Reload();
        return result;
    }

    /// <summary>Calls a status-returning helper and returns its status from this function when
    /// it is not 0; continues in a new block otherwise.</summary>
    private void CallChecked(string name, nint[] paramTypes, params nint[] args)
    {
        nint status = CallHelper(name, i32, paramTypes, args);
        nint ok = NewBlock();
        nint fail = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, status, I32(0), ""), ok, fail);
        builder.PositionAtEnd(fail);
        LLVMBuildRet(B, status);
        builder.PositionAtEnd(ok);
    }

    /// <summary>A block that deoptimises at <paramref name="pc"/>: records the reason, leaves
    /// the pc on the instruction for the interpreter to run, and returns Exit.</summary>
    private nint DeoptBlock(int pc, DeoptReason reason)
    {
        nint saved = builder.InsertBlock;
        nint block = NewBlock("deopt");
        builder.PositionAtEnd(block);
        Flush();
        SavePc(pc);
        CallHelper("tiered_rt_deopt", voidTy, [ptr, ptr, i32, i32], th, ci, I32(pc), I32((int)reason));
        LLVMBuildRet(B, I32(1));
        builder.PositionAtEnd(saved);
        return block;
    }

    private FeedbackBits Feedback(int pc) => generic ? (FeedbackBits)0xFF : (FeedbackBits)feedback[pc];

    /// <summary>Only integers were seen here (and the site ran): specialise with a guard.</summary>
    private bool OnlyIntegers(int pc)
    {
        FeedbackBits f = Feedback(pc);
        return f == FeedbackBits.Integer;
    }
}
