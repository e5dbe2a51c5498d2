using System.Buffers;
using System.Globalization;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using static Tiered.Interpreter.Lib.LibraryHelpers;

namespace Tiered.Interpreter.Lib;

/// <summary>The table library (Lua 5.4 manual §6.6), with lua5.4's (5.4.4) results and messages.
/// Element access goes through metamethods like lua_geti/lua_seti (__index, __newindex, and
/// __len for the length), with raw fast paths for plain tables that have no metatable.</summary>
public static unsafe class TableLib
{
    public static void Open(LuaState L)
    {
        LuaTable* table = NewLibrary(L,
            "table",
            [
                ("concat", Concat), ("insert", Insert), ("move", Move), ("pack", Pack),
                ("unpack", Unpack), ("remove", Remove), ("sort", Sort),
            ]);
        MarkIntrinsic(L, table, "insert", HostIntrinsic.TableInsert);
        MarkIntrinsic(L, table, "remove", HostIntrinsic.TableRemove);
    }

    // ------------------------------------------------------------------ access with metamethods

    /// <summary>What a table argument must support when it is not a real table (then its
    /// metatable must provide the matching metamethods).</summary>
    [Flags]
    private enum Needs { Read = 1, Write = 2, Length = 4 }

    private static void CheckTableLike(LuaState L, int arg, Needs needs)
    {
        Value v = L.Arg(arg);
        if (v.Tag == Tag.Table) return;
        if (arg <= L.ArgCount && L.GetMetatable(v) != null
            && ((needs & Needs.Read) == 0 || L.MetaOf(v, MetaEvent.Index)->Tag != Tag.Nil)
            && ((needs & Needs.Write) == 0 || L.MetaOf(v, MetaEvent.NewIndex)->Tag != Tag.Nil)
            && ((needs & Needs.Length) == 0 || L.MetaOf(v, MetaEvent.Len)->Tag != Tag.Nil))
            return;
        throw L.TypeError(arg, "table");
    }

    /// <summary>Raw t[to] = t2[from]. The value is copied first: SetInt takes it by reference,
    /// and an insertion that resizes the table would free the slot it points to.</summary>
    private static void RawCopy(LuaState L, LuaTable* dst, long to, LuaTable* src, long from)
    {
        Value v = *TableOps.GetInt(src, from);
        TableOps.SetInt(L, dst, to, v);
    }

    /// <summary>A plain table: no metatable, so raw access is what lua_geti/lua_seti would do.</summary>
    private static bool IsPlainTable(in Value v) => v.Tag == Tag.Table && v.AsTable->Metatable == null;

    /// <summary>obj[i] as lua_geti does it.</summary>
    private static Value GetI(LuaState L, in Value obj, long i)
    {
        if (obj.Tag == Tag.Table)
        {
            Value* slot = TableOps.GetInt(obj.AsTable, i);
            if (slot->Tag != Tag.Nil) return *slot;
            if (obj.AsTable->Metatable == null) return default;
        }
        return L.Index(obj, Value.Int(i));
    }

    /// <summary>obj[i] = v as lua_seti does it.</summary>
    private static void SetI(LuaState L, in Value obj, long i, in Value v)
    {
        if (obj.Tag == Tag.Table)
        {
            LuaTable* t = obj.AsTable;
            Value* slot = TableOps.GetInt(t, i);
            if (slot->Tag != Tag.Nil)
            {
                *slot = v;
                slot->Aux = 0;
                return;
            }
            if (t->Metatable == null)
            {
                TableOps.SetInt(L, t, i, v);
                return;
            }
        }
        L.SetIndex(obj, Value.Int(i), v);
    }

    /// <summary>#obj as luaL_len: __len is honoured and must give an integer.</summary>
    private static long LengthOf(LuaState L, in Value obj)
    {
        if (IsPlainTable(obj)) return TableOps.Length(obj.AsTable);
        Value n = L.Length(obj);
        if (n.Tag == Tag.Integer) return n.I;
        if (LuaState.TryToInteger(n, out long i)) return i;
        throw L.RuntimeError("object length is not an integer");
    }

    // ------------------------------------------------------------------ insert / remove

    private static int Insert(LuaState L, int argc)
    {
        CheckTableLike(L, 1, Needs.Read | Needs.Write | Needs.Length);
        Value t = L.Arg(1);
        if (argc == 2 && IsPlainTable(t))
        {
            // The hot case, table.insert(t, v) on a plain table.
            LuaTable* h = t.AsTable;
            TableOps.SetInt(L, h, unchecked(TableOps.Length(h) + 1), L.Arg(2));
            return 0;
        }
        long end = unchecked(LengthOf(L, t) + 1);   // first empty slot
        long pos;
        switch (argc)
        {
            case 2:
                pos = end;
                break;
            case 3:
                pos = L.CheckInteger(2);
                // pos must be in [1, end]; the unsigned compare also rejects pos <= 0.
                if (unchecked((ulong)pos - 1) >= (ulong)end) throw L.ArgError(2, "position out of bounds");
                ShiftUp(L, t, pos, end);
                break;
            default:
                throw L.RuntimeError("wrong number of arguments to 'insert'");
        }
        SetI(L, t, pos, L.Arg(argc));
        return 0;
    }

    /// <summary>t[pos+1 .. end] = t[pos .. end-1], from the top down.</summary>
    private static void ShiftUp(LuaState L, in Value t, long pos, long end)
    {
        if (pos >= end) return;
        if (IsPlainTable(t))
        {
            LuaTable* h = t.AsTable;
            RawCopy(L, h, end, h, end - 1);   // may grow the array part
            if (end - 1 <= h->ArraySize)
            {
                Value* a = h->Array;
                Buffer.MemoryCopy(a + pos - 1, a + pos, (end - pos - 1) * sizeof(Value), (end - pos - 1) * sizeof(Value));
                return;
            }
            for (long i = end - 1; i > pos; i--) RawCopy(L, h, i, h, i - 1);
            return;
        }
        for (long i = end; i > pos; i--) SetI(L, t, i, GetI(L, t, i - 1));
    }

    private static int Remove(LuaState L, int argc)
    {
        CheckTableLike(L, 1, Needs.Read | Needs.Write | Needs.Length);
        Value t = L.Arg(1);
        long size = LengthOf(L, t);
        long pos = L.OptInteger(2, size);
        // A given position must be in [1, size + 1]. lua5.4.4 blames argument #1 here.
        if (pos != size && unchecked((ulong)pos - 1) > (ulong)size)
            throw L.ArgError(1, "position out of bounds");
        L.Push(GetI(L, t, pos));   // the result, kept on the stack while metamethods may run
        if (IsPlainTable(t) && pos >= 1 && size <= t.AsTable->ArraySize && pos < size)
        {
            Value* a = t.AsTable->Array;
            Buffer.MemoryCopy(a + pos, a + pos - 1, (size - pos) * sizeof(Value), (size - pos) * sizeof(Value));
            pos = size;
        }
        for (; pos < size; pos++) SetI(L, t, pos, GetI(L, t, pos + 1));
        SetI(L, t, pos, Value.Nil);
        return 1;
    }

    // ------------------------------------------------------------------ move

    private static int Move(LuaState L, int argc)
    {
        long first = L.CheckInteger(2);
        long last = L.CheckInteger(3);
        long dest = L.CheckInteger(4);
        int destArg = L.IsNoneOrNil(5) ? 1 : 5;
        CheckTableLike(L, 1, Needs.Read);
        CheckTableLike(L, destArg, Needs.Write);
        Value src = L.Arg(1), dst = L.Arg(destArg);
        if (last >= first)
        {
            if (!(first > 0 || last < long.MaxValue + first)) throw L.ArgError(3, "too many elements to move");
            long n = last - first + 1;
            if (dest > long.MaxValue - n + 1) throw L.ArgError(4, "destination wrap around");
            if (IsPlainTable(src) && IsPlainTable(dst))
                MovePlain(L, src.AsTable, dst.AsTable, first, n, dest);
            else if (dest > last || dest <= first || (destArg != 1 && !L.ValuesEqual(src, dst)))
            {
                for (long i = 0; i < n; i++) SetI(L, dst, dest + i, GetI(L, src, first + i));
            }
            else
            {
                // Overlapping move to higher indices: copy from the end.
                for (long i = n - 1; i >= 0; i--) SetI(L, dst, dest + i, GetI(L, src, first + i));
            }
        }
        L.Push(dst);
        return 1;
    }

    private static void MovePlain(LuaState L, LuaTable* src, LuaTable* dst, long first, long n, long dest)
    {
        if (first >= 1 && first - 1 + n <= src->ArraySize && dest >= 1 && dest - 1 + n <= dst->ArraySize)
        {
            // Both ranges are in the array parts (MemoryCopy handles overlap).
            long bytes = n * sizeof(Value);
            Buffer.MemoryCopy(src->Array + first - 1, dst->Array + dest - 1, bytes, bytes);
            return;
        }
        if (dest > first + n - 1 || dest <= first || src != dst)
        {
            for (long i = 0; i < n; i++) RawCopy(L, dst, dest + i, src, first + i);
        }
        else
        {
            for (long i = n - 1; i >= 0; i--) RawCopy(L, dst, dest + i, src, first + i);
        }
    }

    // ------------------------------------------------------------------ pack / unpack

    private static int Pack(LuaState L, int argc)
    {
        LuaTable* t = L.NewTable(argc, 1);
        for (int i = 1; i <= argc; i++)
        {
            t->Array[i - 1] = L.Arg(i);
            t->Array[i - 1].Aux = 0;
        }
        TableOps.Set(L, t, L.StringValue("n"), Value.Int(argc));
        L.PushTable(t);
        return 1;
    }

    private static int Unpack(LuaState L, int argc)
    {
        // No table check: anything that can be indexed (and measured, without j) is accepted.
        long first = L.OptInteger(2, 1);
        long last = L.IsNoneOrNil(3) ? LengthOf(L, L.Arg(1)) : L.CheckInteger(3);
        if (first > last) return 0;
        ulong n = unchecked((ulong)last - (ulong)first);
        if (n >= int.MaxValue || L.Top + (long)n + 1 + 20 > L.Thread->StackLimit)
            throw L.RuntimeError("too many results to unpack");
        int count = (int)n + 1;
        L.CheckStack(count);
        Value t = L.Arg(1);
        if (IsPlainTable(t) && first >= 1 && last <= t.AsTable->ArraySize)
        {
            Value* top = L.Top;
            Buffer.MemoryCopy(t.AsTable->Array + first - 1, top, (long)count * sizeof(Value), (long)count * sizeof(Value));
            L.Top = top + count;
            return count;
        }
        for (long i = first; i < last; i++) L.Push(GetI(L, t, i));
        L.Push(GetI(L, t, last));
        return count;
    }

    // ------------------------------------------------------------------ concat

    private static int Concat(LuaState L, int argc)
    {
        CheckTableLike(L, 1, Needs.Read | Needs.Length);
        Value t = L.Arg(1);
        long last = LengthOf(L, t);
        ReadOnlySpan<byte> sep = L.IsNoneOrNil(2) ? default : L.CheckBytes(2);   // arg 2 stays on the stack
        long i = L.OptInteger(3, 1);
        last = L.OptInteger(4, last);
        var buf = new ByteBuilder(stackalloc byte[256]);
        try
        {
            for (; i < last; i++)
            {
                AddField(L, ref buf, t, i);
                buf.Append(sep);
            }
            if (i == last) AddField(L, ref buf, t, i);
            L.PushString(buf.Written);
        }
        finally
        {
            buf.Dispose();
        }
        return 1;
    }

    private static void AddField(LuaState L, ref ByteBuilder buf, in Value t, long i)
    {
        Value v = GetI(L, t, i);
        switch (v.Tag)
        {
            case Tag.String:
                buf.Append(LuaString.Span(v.AsString));
                break;
            case Tag.Integer:
                buf.AppendInteger(v.I);
                break;
            case Tag.Float:
                buf.AppendAscii(Numbers.FloatToString(v.D));
                break;
            default:
                throw L.RuntimeError($"invalid value ({LuaState.TypeName(v.Tag)}) at index {i} in table for 'concat'");
        }
    }

    /// <summary>A growable byte buffer that starts on the stack and moves to pooled arrays.</summary>
    private ref struct ByteBuilder
    {
        private Span<byte> span;
        private byte[]? rented;
        private int length;

        public ByteBuilder(Span<byte> initial)
        {
            span = initial;
            rented = null;
            length = 0;
        }

        public readonly ReadOnlySpan<byte> Written => span[..length];

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > span.Length - length) Grow(bytes.Length);
            bytes.CopyTo(span[length..]);
            length += bytes.Length;
        }

        public void AppendInteger(long v)
        {
            if (span.Length - length < 20) Grow(20);
            v.TryFormat(span[length..], out int written, default, CultureInfo.InvariantCulture);
            length += written;
        }

        public void AppendAscii(string s)
        {
            if (s.Length > span.Length - length) Grow(s.Length);
            for (int k = 0; k < s.Length; k++) span[length + k] = (byte)s[k];
            length += s.Length;
        }

        private void Grow(int extra)
        {
            long wanted = Math.Max((long)length + extra, (long)span.Length * 2);
            if (wanted > Array.MaxLength) throw new OutOfMemoryException("string length overflow");
            byte[] bigger = ArrayPool<byte>.Shared.Rent((int)wanted);
            span[..length].CopyTo(bigger);
            if (rented != null) ArrayPool<byte>.Shared.Return(rented);
            rented = bigger;
            span = bigger;
        }

        public void Dispose()
        {
            if (rented != null) ArrayPool<byte>.Shared.Return(rented);
            rented = null;
        }
    }

    // ------------------------------------------------------------------ sort

    // lua5.4's quicksort, step for step: the same comparisons in the same order, so an
    // inconsistent order function fails ("invalid order function for sorting") or leaves the
    // same permutation as lua5.4 does. Values being compared live in three stack slots
    // (pivot, a, b) because the order function may run a collection.

    /// <summary>Partitions at least this long may get a randomized pivot.</summary>
    private const uint RandomPivotLimit = 100;

    private static int Sort(LuaState L, int argc)
    {
        CheckTableLike(L, 1, Needs.Read | Needs.Write | Needs.Length);
        long n = LengthOf(L, L.Arg(1));
        if (n > 1)
        {
            if (n >= int.MaxValue) throw L.ArgError(1, "array too big");
            if (!L.IsNoneOrNil(2) && !L.Arg(2).IsFunction) throw L.TypeError(2, "function");
            L.CheckStack(3);
            Value* slots = L.Top;
            slots[0] = slots[1] = slots[2] = default;
            L.Top = slots + 3;
            var sorter = new Sorter(L, slots, hasComparator: !L.IsNoneOrNil(2));
            sorter.Sort(1, (uint)n, 0);
            L.Top = slots;
        }
        return 0;
    }

    private readonly struct Sorter(LuaState L, Value* slots, bool hasComparator)
    {
        private Value* Pivot => slots;
        private Value* A => slots + 1;
        private Value* B => slots + 2;

        private Value Get(uint i) => GetI(L, *L.ArgSlot(1), i);

        private void Set(uint i, Value* v) => SetI(L, *L.ArgSlot(1), i, *v);

        /// <summary>a &lt; b by the order function, or by '&lt;' without one.</summary>
        private bool Less(Value* a, Value* b)
        {
            if (!hasComparator)
            {
                if (a->Tag == Tag.Integer && b->Tag == Tag.Integer) return a->I < b->I;
                return L.LessThan(*a, *b);
            }
            Value* func = L.Top;
            L.CheckStack(3);
            func[0] = L.Arg(2);
            func[1] = *a;
            func[2] = *b;
            L.Top = func + 3;
            L.Call(func, 2, 1);
            bool r = func->IsTruthy;
            L.Top = func;
            return r;
        }

        private LuaRuntimeException InvalidOrder() => L.RuntimeError("invalid order function for sorting");

        public void Sort(uint lo, uint up, uint rnd)
        {
            while (lo < up)   // the loop replaces the recursive call on the larger half
            {
                // Order a[lo] and a[up].
                *A = Get(lo);
                *B = Get(up);
                if (Less(B, A)) { Set(lo, B); Set(up, A); }
                if (up - lo == 1) break;

                // Median of a[lo], a[p] and a[up] goes to a[p].
                uint p = up - lo < RandomPivotLimit || rnd == 0 ? (lo + up) / 2 : ChoosePivot(lo, up, rnd);
                *A = Get(p);
                *B = Get(lo);
                if (Less(A, B)) { Set(p, B); Set(lo, A); }
                else
                {
                    *B = Get(up);
                    if (Less(B, A)) { Set(p, B); Set(up, A); }
                }
                if (up - lo == 2) break;

                // The pivot waits at a[up - 1] while [lo + 1, up - 2] is partitioned.
                *Pivot = Get(p);
                *B = Get(up - 1);
                Set(p, B);
                Set(up - 1, Pivot);
                p = Partition(lo, up);

                uint smaller;
                if (p - lo < up - p)
                {
                    Sort(lo, p - 1, rnd);
                    smaller = p - lo;
                    lo = p + 1;
                }
                else
                {
                    Sort(p + 1, up, rnd);
                    smaller = up - p;
                    up = p - 1;
                }
                // A very unbalanced split suggests adversarial input: pick pivots at random.
                if ((up - lo) / 128 > smaller) rnd = (uint)Random.Shared.Next() | 1;
            }
        }

        private static uint ChoosePivot(uint lo, uint up, uint rnd)
        {
            uint quarter = (up - lo) / 4;
            return rnd % (quarter * 2) + lo + quarter;
        }

        /// <summary>Partitions a[lo..up] around the pivot (in the Pivot slot, also at a[up - 1]);
        /// returns its final index: a[lo..p-1] &lt;= a[p] == pivot &lt;= a[p+1..up].</summary>
        private uint Partition(uint lo, uint up)
        {
            uint i = lo, j = up - 1;
            for (; ; )
            {
                // Advance i while a[i] < pivot; a[up - 1] is the pivot, so i must stop before it.
                for (; ; )
                {
                    *A = Get(++i);
                    if (!Less(A, Pivot)) break;
                    if (i == up - 1) throw InvalidOrder();
                }
                // Retreat j while pivot < a[j]; a[lo] <= pivot, so j must not cross i.
                for (; ; )
                {
                    *B = Get(--j);
                    if (!Less(Pivot, B)) break;
                    if (j < i) throw InvalidOrder();
                }
                if (j < i)
                {
                    Set(up - 1, A);
                    Set(i, Pivot);
                    return i;
                }
                Set(i, B);
                Set(j, A);
            }
        }
    }
}
