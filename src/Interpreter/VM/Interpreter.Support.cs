using System.Diagnostics;
using System.Runtime.CompilerServices;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using static Tiered.Interpreter.Bytecode.Instruction;

namespace Tiered.Interpreter.VM;

// What the interpreter loop's heavier instructions and the native tier's runtime helpers share:
// numeric for-loop preparation, closures, varargs, and the interrupt and nesting checks.
public sealed unsafe partial class LuaState
{
    /// <summary>ForPrep: checks and converts the loop values; false when the loop does not run.
    /// Integer loops keep an iteration count in R[A+1] so the loop cannot overflow.</summary>
    internal bool PrepareNumericForLoop(Value* ra) => PrepareNumericFor(ra);

    /// <summary>Closure: a new closure of child prototype <paramref name="index"/> in *ra.</summary>
    internal void MakeClosure(CallFrame* ci, Value* ra, int index)
    {
        var cl = (LuaClosure*)ci->Func->P;
        Proto* child = cl->Proto->Children[index];
        LuaClosure* ncl = NewLuaClosure(child);
        UpVal** uvs = LuaClosure.Upvalues(ncl);
        Value* @base = ci->Func + 1;
        for (int j = 0; j < child->UpvalueCount; j++)
            uvs[j] = child->UpvalInStack[j] != 0 ? FindUpvalue(@base + child->UpvalIndex[j]) : LuaClosure.Upvalues(cl)[child->UpvalIndex[j]];
        *ra = Value.Object(ncl, Tag.LuaFunction);
    }

    /// <summary>VarArg: copy the extra arguments to ra (wanted &lt; 0: all of them, setting the top).</summary>
    internal void CopyVarArgs(CallFrame* ci, Value* ra, int wanted)
    {
        LuaThread* th = Thread;
        int nextra = ci->ExtraArgs;
        Value* src = ci->Func - nextra;
        if (wanted < 0)
        {
            wanted = nextra;
            if (ra + nextra > th->StackLimit) StackOverflow();
            if (ra + nextra > th->HighWater) th->HighWater = ra + nextra;
            th->Top = ra + nextra;
        }
        int j = 0;
        for (; j < wanted && j < nextra; j++) ra[j] = src[j];
        for (; j < wanted; j++) ra[j] = default;
    }

    /// <summary>Native code's periodic check (budget, cancellation).</summary>
    public void RunInterrupt()
    {
        Shared->NativeCountdown = InterruptInterval;
        OnInterruptTick();
    }

    /// <summary>Depth of calls that native code made (bounded, see RuntimeHelpers).</summary>
    public int NativeCallDepth { get => Shared->NativeDepth; set => Shared->NativeDepth = value; }

    /// <summary>Whether a helper called from native code may nest another call here: the
    /// nesting bound and the machine stack (see MachineStack) both allow it.</summary>
    public bool NativeMayNest()
    {
        byte here;
        return Shared->NativeDepth < MaxNativeNesting && (nint)(&here) > Shared->NativeStackLimit;
    }

    /// <summary>A bound on nested native calls besides the machine stack check.</summary>
    public const int MaxNativeNesting = 10000;

    private bool PrepareNumericFor(Value* ra)
    {
        Value init = ra[0], limit = ra[1], step = ra[2];
        if (init.Tag == Tag.Integer && step.Tag == Tag.Integer)
        {
            long s = step.I;
            if (s == 0) throw RuntimeError("'for' step is zero");
            long i0 = init.I;
            if (!ForLimit(limit, i0, s, out long lim)) return false;
            ulong count;
            if (s > 0)
            {
                if (i0 > lim) return false;
                count = ((ulong)lim - (ulong)i0) / (ulong)s;
            }
            else
            {
                if (i0 < lim) return false;
                count = ((ulong)i0 - (ulong)lim) / ((ulong)(-(s + 1)) + 1UL);
            }
            ra[1] = Value.Int((long)count);
            ra[3] = Value.Int(i0);
            return true;
        }
        // Float loop.
        // Strings that look like numbers are accepted (as numbers); the loop runs on floats.
        if (!ToNumber(limit, out Value nl)) throw ForError("limit", limit);
        if (!ToNumber(step, out Value ns)) throw ForError("step", step);
        if (!ToNumber(init, out Value ni)) throw ForError("initial value", init);
        double fl = nl.Tag == Tag.Float ? nl.D : nl.I;
        double fs = ns.Tag == Tag.Float ? ns.D : ns.I;
        double fi = ni.Tag == Tag.Float ? ni.D : ni.I;
        if (fs == 0) throw RuntimeError("'for' step is zero");
        // Skipped only when the limit is known to be passed already: a NaN bound runs the body
        // once (the loop's own test, idx <= limit, is false after it), as Lua's does.
        if (fs > 0 ? fl < fi : fi < fl) return false;
        ra[0] = Value.Float(fi);
        ra[1] = Value.Float(fl);
        ra[2] = Value.Float(fs);
        ra[3] = Value.Float(fi);
        return true;
    }

    /// <summary>Integer limit of a for loop whose init and step are integers (a float limit is
    /// clipped); false when the loop must not run at all.</summary>
    private bool ForLimit(in Value limit, long init, long step, out long result)
    {
        result = 0;
        Value l = limit;
        if (!ToNumber(limit, out l)) throw ForError("limit", limit);
        if (l.Tag == Tag.Integer) { result = l.I; return true; }
        double f = l.D;
        // NaN is not above 0, so Lua takes it for a limit below every integer: a loop counting
        // up does not run, one counting down runs to the smallest integer.
        if (double.IsNaN(f))
        {
            if (step > 0) return false;
            result = long.MinValue;
            return true;
        }
        if (step > 0)
        {
            double fl = Math.Floor(f);
            if (fl >= 9223372036854775808.0) { result = long.MaxValue; return true; }
            if (fl < -9223372036854775808.0) return false;
            result = (long)fl;
        }
        else
        {
            double fl = Math.Ceiling(f);
            if (fl < -9223372036854775808.0) { result = long.MinValue; return true; }
            if (fl >= 9223372036854775808.0) return false;
            result = (long)fl;
        }
        return true;
    }

    private LuaRuntimeException ForError(string what, in Value v) =>
        VmError($"bad 'for' {what} (number expected, got {TypeNameForMessage(v)})");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnInterruptTick()
    {
        interruptCountdown = InterruptInterval;
        Interrupt?.Invoke(this);
    }
}
