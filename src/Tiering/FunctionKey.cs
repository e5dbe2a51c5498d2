using Tiered.Interpreter.Bytecode;
using Tiered.NativeCache;

namespace Tiered.Tiering;

/// <summary>
/// The cache key of a function: a SHA-256 of exactly what its native code depends on — the
/// bytecode, the constants, the upvalue layout and the frame shape — and nothing else. Line
/// numbers, names and child functions' bodies are left out (native code reads debug info from
/// the prototype at run time and creates closures by child index), so moving lines or editing
/// another function leaves the key alone.
/// </summary>
public static class FunctionKey
{
    /// <summary>Bumped whenever the code generator changes what it emits for the same input.
    /// 3: returns leave their results at the frame's function slot (callers read them there),
    /// so code of version 2 must not be mixed with it. 4: float operations without NaN checks.
    /// 5: back-edges count in a register and re-enter the loop through OSR after an interrupt check.
    /// 6: #t and table.insert share one border search. 7: self-recursive calls (FeedbackBits.SelfCall).
    /// 8: the OSR entry knows a loop header at pc 0.
    /// 9: integer % and // by positive constants without the general checks; immediates in slots.
    /// 10: !tbaa kinds of memory; SETFIELD keeps a table's flags unless the key starts with "__".
    /// 11: no llvm.frameaddress (the stack check reads a local slot's address), so no frame pointer.
    /// 12: slow-path helpers declared cold.
    /// 13: call sites that never ran get the inline library functions (and table.remove); a
    /// site after a call in its block, with no feedback of its own, has not run.
    /// 14: !tbaa kinds for the frame, thread, prototype, closure and shared fields; inline library
    /// functions only where one was called (or the call never ran); a call's results read back
    /// once, the free registers above them not at all; captured registers left in the stack.
    /// 15: GETTABLE/SETTABLE with a short string key in a register looked up inline.
    /// 16: a loop's interrupt check writes back only dirty registers before re-entering.
    /// 17: the entry pc is a parameter (i32 entryPc); a call no longer stores the callee's pc.
    /// 18: numeric for loops the interpreter never prepared as float loops compiled as integer loops;
    /// a tail call of the same closure jumps back to the start.
    /// 19: the closure read once at the entry (not an invariant load from the function slot).
    /// 20: a call raises the high-water mark by a branch, not a store, and leaves ExtraArgs alone.
    /// 21: the back-edge interrupt helper takes the code's stamp, and returns Exit for replaced code.
    /// 22: dead temporaries not written back; integer for loops count back-edges from their
    /// iteration count, and their OSR entry restates the index and a constant step.
    /// 23: float arithmetic where integers were mixed in no longer takes two integers (their sum
    /// was a float): code cached before computed wrong results, so it must not be loaded.
    /// 24: small leaf callees in line (their stamps are part of the caller's symbol).
    /// 25: a small recursive function's next level in line at its self-call sites; a call's
    /// variable results are not moved by a helper after a native return.
    /// 26: no tiered_rt_moveresults helper (code of 25 referred to it on a path never taken).
    /// 27: a generic for whose iterator is next takes its step in line.
    /// 28: lookups through __index tables probe the state's IndexCache.
    /// 29: a self tail call moves only the function and the parameters; a self call whose
    /// prototype always returns enough values skips the nil fill.
    /// 30: a tail call of a Lua function the code cannot enter itself goes to the interpreter
    /// (code of 29 nested it through the runtime, with no constant-space tail recursion).</summary>
    public const int CodegenVersion = 32;

    public static byte[] Compute(FunctionProto p)
    {
        var h = new Sha256();
        var buf = new byte[8];
        void Int(long v) { BitConverter.TryWriteBytes(buf, v); h.Append(buf); }
        Int(CodegenVersion);
        Int(p.NumParams);
        Int(p.IsVararg ? 1 : 0);
        Int(p.MaxStackSize);
        Int(p.Code.Length);
        foreach (uint i in p.Code) Int(i);
        Int(p.Constants.Length);
        foreach (Constant k in p.Constants)
        {
            Int((int)k.Kind);
            switch (k.Kind)
            {
                case ConstantKind.Integer: Int(k.Integer); break;
                case ConstantKind.Float: Int(BitConverter.DoubleToInt64Bits(k.Float)); break;
                case ConstantKind.String: Int(k.String!.Length); h.Append(k.String); break;
            }
        }
        Int(p.Upvalues.Length);
        foreach (UpvalueDesc u in p.Upvalues) Int((u.InStack ? 1L << 32 : 0) | (uint)u.Index);
        Int(p.Protos.Length);
        return h.Finish();
    }

    /// <summary>The symbol of one compiled variant: the key plus what the code was specialised on.</summary>
    public static string SymbolName(byte[] key, byte[] feedback, bool generic, IReadOnlyDictionary<int, Codegen.InlineTarget>? inline = null)
    {
        var h = new Sha256();
        h.Append(key);
        h.Append(feedback);
        h.Append([generic ? (byte)1 : (byte)0]);
        // The callees in line, by call site and stamp (which names their code).
        if (inline != null)
            foreach ((int pc, Codegen.InlineTarget target) in inline.OrderBy(t => t.Key))
            {
                h.Append(BitConverter.GetBytes(pc));
                h.Append(BitConverter.GetBytes(target.Stamp));
            }
        return "tiered_fn_" + Convert.ToHexStringLower(h.Finish().AsSpan(0, 16));
    }

    /// <summary>The suffix of a variant's quick compilation (its code generated without
    /// LLVM's optimising back end; see TierThresholds.QuickCodegenAbove).</summary>
    public const string QuickSuffix = "_quick";

    /// <summary>A number that names the code of one symbol (Proto.NativeStamp): compiled into
    /// the code, which passes it to the back-edge interrupt helper, and stored in the prototype
    /// with the entry it publishes; different while a frame runs code that has been replaced.</summary>
    public static long Stamp(string symbol)
    {
        ulong h = 14695981039346656037;   // FNV-1a
        foreach (char c in symbol) h = (h ^ c) * 1099511628211;
        return (long)(h | 1);   // never 0, the stamp of "no code"
    }
}
