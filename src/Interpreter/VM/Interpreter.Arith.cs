using System.Diagnostics;
using System.Runtime.CompilerServices;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using static Tiered.Interpreter.Bytecode.Instruction;

namespace Tiered.Interpreter.VM;

// The interpreter loop's arithmetic fast paths (see Interpreter.cs).
public sealed unsafe partial class LuaState
{
    // ------------------------------------------------------------------ arithmetic fast paths
    // One struct per operator: TryArith<T> is specialised for each, so every case of the loop
    // gets straight-line code for its own operator.

    private interface IArithOp
    {
        /// <summary>The result for two integers; false when the shared case must decide
        /// (division by zero).</summary>
        static abstract bool Integer(long x, long y, out Value r);
        /// <summary>Whether the operator has a float fast path (Mod and IDiv do not).</summary>
        static abstract bool HasFloat { get; }
        static abstract double Float(double x, double y);
    }

    private struct AddOp : IArithOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Integer(long x, long y, out Value r) { r = Value.Int(unchecked(x + y)); return true; }
        public static bool HasFloat => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Float(double x, double y) => x + y;
    }

    private struct SubOp : IArithOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Integer(long x, long y, out Value r) { r = Value.Int(unchecked(x - y)); return true; }
        public static bool HasFloat => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Float(double x, double y) => x - y;
    }

    private struct MulOp : IArithOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Integer(long x, long y, out Value r) { r = Value.Int(unchecked(x * y)); return true; }
        public static bool HasFloat => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Float(double x, double y) => x * y;
    }

    private struct DivOp : IArithOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Integer(long x, long y, out Value r) { r = Value.Float((double)x / y); return true; }
        public static bool HasFloat => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Float(double x, double y) => x / y;
    }

    private struct ModOp : IArithOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Integer(long x, long y, out Value r)
        {
            if (y == 0) { r = default; return false; }
            r = Value.Int(Numbers.Mod(x, y));
            return true;
        }
        public static bool HasFloat => false;
        public static double Float(double x, double y) => throw new UnreachableException();
    }

    private struct IDivOp : IArithOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Integer(long x, long y, out Value r)
        {
            if (y == 0) { r = default; return false; }
            r = Value.Int(Numbers.FloorDiv(x, y));
            return true;
        }
        public static bool HasFloat => false;
        public static double Float(double x, double y) => throw new UnreachableException();
    }

    /// <summary>R[A] := R[B] op C for numbers, with the feedback the shared case would record;
    /// false (nothing done) for everything else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryArith<TOp>(Value* ra, Value* rb, Value* rc, byte* feedback) where TOp : struct, IArithOp
    {
        if (rb->Tag == Tag.Integer && rc->Tag == Tag.Integer)
        {
            if (!TOp.Integer(rb->I, rc->I, out Value r)) return false;
            *feedback |= (byte)FeedbackBits.Integer;
            *ra = r;
            return true;
        }
        if (TOp.HasFloat && rb->IsNumber && rc->IsNumber)
        {
            double x = rb->Tag == Tag.Float ? rb->D : rb->I;
            double y = rc->Tag == Tag.Float ? rc->D : rc->I;
            *feedback |= (byte)(rb->Tag == rc->Tag ? FeedbackBits.Float : FeedbackBits.Float | FeedbackBits.MixedNumbers);
            *ra = Value.Float(TOp.Float(x, y));
            return true;
        }
        return false;
    }
}
