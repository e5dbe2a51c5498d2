using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tiered.Interpreter.VM;

namespace Tiered.Interpreter.Runtime;

/// <summary>
/// Raw (metamethod-free) operations on <see cref="LuaTable"/>. Lookups return a pointer to the
/// value slot, or to <see cref="Absent"/> (a nil that must not be written) when the key is not
/// present. Keys given to the setters are already normalised (floats with an integer value are
/// integers) and are never nil or NaN; the callers raise those errors.
/// </summary>
public static unsafe class TableOps
{
    /// <summary>Tag of a key whose entry was removed and whose object may have been collected:
    /// it never equals a live key, but <c>next</c> can still walk past it.</summary>
    public const Tag DeadKey = (Tag)0xFF;

    public static readonly Value* Absent;
    private static readonly Node* DummyNode;

    static TableOps()
    {
        Absent = (Value*)NativeMemory.AllocZeroed((nuint)sizeof(Value));
        DummyNode = (Node*)NativeMemory.AllocZeroed((nuint)sizeof(Node));
    }

    public static LuaTable* New(LuaState L, int arraySize = 0, int hashSize = 0)
    {
        var t = (LuaTable*)L.AllocObject(ObjType.Table, sizeof(LuaTable));
        t->Metatable = null;
        t->Array = null;
        t->ArraySize = 0;
        t->LengthHint = 0;
        t->WeakMode = 0;
        t->IndexWatched = 0;
        t->GcListNext = null;
        SetDummy(t);
        if (arraySize > 0 || hashSize > 0) Resize(L, t, (uint)arraySize, hashSize);
        return t;
    }

    private static void SetDummy(LuaTable* t)
    {
        t->Nodes = DummyNode;
        t->LogNodeSize = 0;
        t->IsDummyNode = 1;
        t->LastFree = null;
    }

    public static void Free(LuaState L, LuaTable* t)
    {
        if (t->Array != null) L.FreeRaw(t->Array, (nuint)t->ArraySize * (nuint)sizeof(Value));
        if (t->IsDummyNode == 0) L.FreeRaw(t->Nodes, (nuint)LuaTable.NodeCount(t) * (nuint)sizeof(Node));
    }

    // ------------------------------------------------------------------ hashing

    // The same remainder either way; a 32-bit division is the cheaper one, and most keys fit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Node* HashMod(LuaTable* t, ulong h)
    {
        uint m = (uint)((LuaTable.NodeCount(t) - 1) | 1);
        return t->Nodes + (int)(h <= uint.MaxValue ? (uint)h % m : h % m);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Node* HashPow2(LuaTable* t, uint h) => t->Nodes + (int)(h & (uint)(LuaTable.NodeCount(t) - 1));

    private static Node* MainPosition(LuaTable* t, in Value key)
    {
        switch (key.Tag)
        {
            case Tag.Integer: return HashMod(t, (ulong)key.I);
            case Tag.String: return HashPow2(t, LuaString.HashOf(key.AsString));
            case Tag.Boolean: return HashPow2(t, (uint)key.I);
            case Tag.Float:
                {
                    ulong bits = (ulong)BitConverter.DoubleToInt64Bits(key.D);
                    return HashMod(t, bits ^ (bits >> 32));
                }
            default: return HashMod(t, (ulong)key.P >> 4);
        }
    }

    // ------------------------------------------------------------------ lookups

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value* GetInt(LuaTable* t, long key)
    {
        if ((ulong)(key - 1) < t->ArraySize) return &t->Array[key - 1];
        return GetIntHash(t, key);
    }

    private static Value* GetIntHash(LuaTable* t, long key)
    {
        Node* n = HashMod(t, (ulong)key);
        for (; ; )
        {
            if (n->Key.Tag == Tag.Integer && n->Key.I == key) return &n->Val;
            int next = n->Key.Aux;
            if (next == 0) return Absent;
            n += next;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value* GetShortString(LuaTable* t, LuaString* key)
    {
        Node* n = HashPow2(t, key->Hash);
        for (; ; )
        {
            if (n->Key.P == key && n->Key.Tag == Tag.String) return &n->Val;
            int next = n->Key.Aux;
            if (next == 0) return Absent;
            n += next;
        }
    }

    public static Value* GetString(LuaTable* t, LuaString* key)
    {
        if (LuaString.IsShort(key)) return GetShortString(t, key);
        Node* n = HashPow2(t, LuaString.HashOf(key));
        for (; ; )
        {
            if (n->Key.Tag == Tag.String && LuaString.ContentEquals(n->Key.AsString, key)) return &n->Val;
            int next = n->Key.Aux;
            if (next == 0) return Absent;
            n += next;
        }
    }

    /// <summary>Lookup by any key (floats with integral values find integer keys).</summary>
    public static Value* Get(LuaTable* t, in Value key)
    {
        switch (key.Tag)
        {
            case Tag.Integer: return GetInt(t, key.I);
            case Tag.String: return GetString(t, key.AsString);
            case Tag.Nil: return Absent;
            case Tag.Float:
                if (Numbers.FloatToInteger(key.D, out long i)) return GetInt(t, i);
                if (double.IsNaN(key.D)) return Absent;
                break;
        }
        Node* n = MainPosition(t, key);
        for (; ; )
        {
            if (n->Key.Tag == key.Tag && (key.Tag == Tag.Float ? n->Key.D == key.D : n->Key.I == key.I)) return &n->Val;
            int next = n->Key.Aux;
            if (next == 0) return Absent;
            n += next;
        }
    }

    // ------------------------------------------------------------------ stores

    /// <summary>Raw t[key] = value. Both are copied before the table can grow, so they may
    /// point into this table's own storage.</summary>
    public static void Set(LuaState L, LuaTable* t, Value key, Value value)
    {
        // A string key's new value can shadow or end a lookup through __index tables.
        if (key.Tag == Tag.String) IndexCache.NoteChange(L.Shared, t);
        Value* slot = Get(t, key);
        if (slot == Absent)
        {
            if (value.Tag == Tag.Nil) return;
            slot = InsertNewKey(L, t, key);
        }
        *slot = value;
        slot->Aux = 0;
    }

    public static void SetInt(LuaState L, LuaTable* t, long key, Value value)
    {
        Value* slot = GetInt(t, key);
        if (slot == Absent)
        {
            if (value.Tag == Tag.Nil) return;
            slot = InsertNewKey(L, t, Value.Int(key));
        }
        *slot = value;
        slot->Aux = 0;
    }

    private static Node* GetFreePosition(LuaTable* t)
    {
        if (t->IsDummyNode != 0) return null;
        while (t->LastFree > t->Nodes)
        {
            t->LastFree--;
            if (t->LastFree->Key.Tag == Tag.Nil) return t->LastFree;
        }
        return null;
    }

    private static Value* InsertNewKey(LuaState L, LuaTable* t, Value key)
    {
        IndexCache.NoteChange(L.Shared, t);   // a new key, and nodes may move
        if (key.Tag == Tag.Float && Numbers.FloatToInteger(key.D, out long ik)) key = Value.Int(ik);
        Node* mp = MainPosition(t, key);
        if (mp->Val.Tag != Tag.Nil || t->IsDummyNode != 0)
        {
            Node* f = GetFreePosition(t);
            if (f == null)
            {
                Rehash(L, t, key);
                Value* slot = Get(t, key);
                return slot != Absent ? slot : InsertNewKey(L, t, key);
            }
            Node* other = MainPosition(t, mp->Key);
            if (other != mp)
            {
                // The colliding node is out of its main position: move it to the free slot.
                while (other + other->Key.Aux != mp) other += other->Key.Aux;
                other->Key.Aux = (int)(f - other);
                *f = *mp;
                if (mp->Key.Aux != 0) { f->Key.Aux += (int)(mp - f); mp->Key.Aux = 0; }
                mp->Val = default;
            }
            else
            {
                // The colliding node is in its main position: chain the new key in the free slot.
                f->Key.Aux = mp->Key.Aux != 0 ? (int)(mp + mp->Key.Aux - f) : 0;
                mp->Key.Aux = (int)(f - mp);
                mp = f;
            }
        }
        int link = mp->Key.Aux;
        mp->Key = key;
        mp->Key.Aux = link;
        mp->Val = default;
        return &mp->Val;
    }

    // ------------------------------------------------------------------ resizing

    private const int MaxBits = 31;

    // nums[i] = number of integer keys k with 2^(i-1) < k <= 2^i
    private static uint CountArrayPart(LuaTable* t, uint* nums)
    {
        uint total = 0;
        uint i = 1;
        for (int lg = 0, ttlg = 1; lg <= MaxBits; lg++, ttlg *= 2)
        {
            uint lc = 0;
            uint lim = (uint)Math.Min((long)ttlg, t->ArraySize);
            if (i > lim) break;
            for (; i <= lim; i++)
                if (t->Array[i - 1].Tag != Tag.Nil) lc++;
            nums[lg] += lc;
            total += lc;
        }
        return total;
    }

    private static int CountKeyInArrayRange(in Value key, uint* nums)
    {
        if (key.Tag == Tag.Integer && key.I >= 1 && key.I <= (1L << MaxBits))
        {
            nums[CeilLog2((ulong)key.I)]++;
            return 1;
        }
        return 0;
    }

    private static int CeilLog2(ulong x) => x <= 1 ? 0 : 64 - BitOperations.LeadingZeroCount(x - 1);

    private static void Rehash(LuaState L, LuaTable* t, in Value extraKey)
    {
        uint* nums = stackalloc uint[MaxBits + 1];
        for (int i = 0; i <= MaxBits; i++) nums[i] = 0;
        uint arrayKeys = CountArrayPart(t, nums);
        uint totalKeys = arrayKeys;
        int hashKeys = 0;
        if (t->IsDummyNode == 0)
        {
            int size = LuaTable.NodeCount(t);
            for (int i = 0; i < size; i++)
            {
                Node* n = t->Nodes + i;
                if (n->Val.Tag == Tag.Nil) continue;
                arrayKeys += (uint)CountKeyInArrayRange(n->Key, nums);
                hashKeys++;
            }
        }
        arrayKeys += (uint)CountKeyInArrayRange(extraKey, nums);
        totalKeys = (uint)hashKeys + totalKeys + 1;
        uint optimal = ComputeArraySize(nums, ref arrayKeys);
        Resize(L, t, optimal, (int)(totalKeys - arrayKeys));
    }

    // Largest n (a power of 2) such that more than half of 1..n is in use.
    private static uint ComputeArraySize(uint* nums, ref uint arrayKeys)
    {
        uint a = 0, na = 0, optimal = 0;
        for (int i = 0; i <= MaxBits; i++)
        {
            ulong twotoi = 1UL << i;
            if (twotoi / 2 >= arrayKeys) break;
            a += nums[i];
            if (a > twotoi / 2) { optimal = (uint)twotoi; na = a; }
        }
        arrayKeys = na;
        return optimal;
    }

    public static void Resize(LuaState L, LuaTable* t, uint newArraySize, int hashSize)
    {
        IndexCache.NoteChange(L.Shared, t);   // every slot moves
        uint oldArraySize = t->ArraySize;
        Value* oldArray = t->Array;
        Node* oldNodes = t->Nodes;
        int oldNodeCount = t->IsDummyNode != 0 ? 0 : LuaTable.NodeCount(t);

        // New hash part.
        if (hashSize <= 0) SetDummy(t);
        else
        {
            int lsize = CeilLog2((ulong)hashSize);
            if (lsize > 30) throw L.VmError("table overflow");
            int count = 1 << lsize;
            t->Nodes = (Node*)L.AllocRaw((nuint)count * (nuint)sizeof(Node), zero: true);
            t->LogNodeSize = (byte)lsize;
            t->IsDummyNode = 0;
            t->LastFree = t->Nodes + count;
        }

        // New array part.
        Value* newArray = null;
        if (oldArray != null && newArraySize > oldArraySize)
        {
            // Growing (the common case: a table filled in order): in place where possible.
            newArray = (Value*)L.GrowRaw(oldArray, (nuint)oldArraySize * (nuint)sizeof(Value), (nuint)newArraySize * (nuint)sizeof(Value));
            NativeMemory.Clear(newArray + oldArraySize, (nuint)(newArraySize - oldArraySize) * (nuint)sizeof(Value));
            oldArray = null;
            oldArraySize = 0;
        }
        else if (newArraySize > 0)
        {
            newArray = (Value*)L.AllocRaw((nuint)newArraySize * (nuint)sizeof(Value), zero: true);
            uint keep = Math.Min(oldArraySize, newArraySize);
            if (keep > 0) Buffer.MemoryCopy(oldArray, newArray, (long)newArraySize * sizeof(Value), (long)keep * sizeof(Value));
        }
        t->Array = newArray;
        t->ArraySize = newArraySize;

        // Array entries that no longer fit go to the hash part.
        for (uint i = newArraySize; i < oldArraySize; i++)
            if (oldArray[i].Tag != Tag.Nil) Reinsert(L, t, Value.Int(i + 1), oldArray[i]);
        if (oldArray != null) L.FreeRaw(oldArray, (nuint)oldArraySize * (nuint)sizeof(Value));

        // Re-insert the old hash entries.
        for (int i = oldNodeCount - 1; i >= 0; i--)
        {
            Node* n = oldNodes + i;
            if (n->Val.Tag != Tag.Nil) Reinsert(L, t, n->Key, n->Val);
        }
        if (oldNodeCount > 0) L.FreeRaw(oldNodes, (nuint)oldNodeCount * (nuint)sizeof(Node));
    }

    /// <summary>Puts an entry of the old parts back after a resize. Its key is in neither new
    /// part yet (the old parts held each key once), so unlike Set there is no lookup first: an
    /// integer key in the new array's range goes there, any other key into a free node.</summary>
    private static void Reinsert(LuaState L, LuaTable* t, Value key, Value value)
    {
        Value* slot = key.Tag == Tag.Integer && (ulong)(key.I - 1) < t->ArraySize
            ? t->Array + (key.I - 1)
            : InsertNewKey(L, t, key);
        *slot = value;
        slot->Aux = 0;
    }

    // ------------------------------------------------------------------ length and traversal

    /// <summary>A border of the table: n with t[n] ~= nil and t[n+1] == nil (or 0).</summary>
    public static long Length(LuaTable* t)
    {
        uint size = t->ArraySize;
        if (size > 0 && t->Array[size - 1].Tag == Tag.Nil)
        {
            // The usual cases: the border has not moved, or moved by one (appending/removing).
            uint h = t->LengthHint;
            if (h < size)
            {
                if (t->Array[h].Tag == Tag.Nil)
                {
                    if (h == 0 || t->Array[h - 1].Tag != Tag.Nil) return h;
                    if (h >= 2 && t->Array[h - 2].Tag != Tag.Nil) return t->LengthHint = h - 1;
                }
                else if (h + 1 < size && t->Array[h + 1].Tag == Tag.Nil) return t->LengthHint = h + 1;
            }
            uint lo = 0, hi = size;   // t[lo] non-nil (or lo == 0), t[hi] nil
            while (hi - lo > 1)
            {
                uint m = (lo + hi) / 2;
                if (t->Array[m - 1].Tag == Tag.Nil) hi = m; else lo = m;
            }
            return t->LengthHint = lo;
        }
        if (t->IsDummyNode != 0) return size;
        long j = (long)size + 1;
        if (GetIntHash(t, j)->Tag == Tag.Nil) return size;
        long i = j;
        while (GetInt(t, j)->Tag != Tag.Nil)
        {
            i = j;
            if (j > long.MaxValue / 2)
            {
                long k = 1;   // pathological: linear search
                while (GetInt(t, k)->Tag != Tag.Nil) k++;
                return k - 1;
            }
            j *= 2;
        }
        while (j - i > 1)
        {
            long m = i + (j - i) / 2;
            if (GetInt(t, m)->Tag == Tag.Nil) j = m; else i = m;
        }
        return i;
    }

    /// <summary>Traversal index of a key: array slots are 0..ArraySize-1, nodes follow.
    /// Returns -1 when the key is not in the table.</summary>
    private static long TraversalIndex(LuaTable* t, in Value key)
    {
        if (key.Tag == Tag.Nil) return -2;   // start of traversal
        Value k = key;
        if (k.Tag == Tag.Float && Numbers.FloatToInteger(k.D, out long ik)) k = Value.Int(ik);
        if (k.Tag == Tag.Integer && (ulong)(k.I - 1) < t->ArraySize) return k.I - 1;
        if (t->IsDummyNode != 0) return -1;
        // A traversal asks for the key next() handed out last: its node is remembered, and
        // found there again without the hash lookup while it still holds that very key
        // (keys are unique: then that is the key's node).
        long hinted = (long)t->NextHint - t->ArraySize;
        if ((ulong)hinted < (ulong)LuaTable.NodeCount(t))
        {
            Node* h = t->Nodes + hinted;
            if (h->Key.Tag == k.Tag && h->Key.I == k.I) return t->NextHint;
        }
        Node* n = MainPosition(t, k);
        for (; ; )
        {
            bool same = n->Key.Tag == k.Tag
                ? (k.Tag == Tag.String ? LuaString.ContentEquals(n->Key.AsString, k.AsString)
                   : k.Tag == Tag.Float ? n->Key.D == k.D : n->Key.I == k.I)
                : n->Key.Tag == DeadKey && k.IsCollectable && n->Key.P == k.P;
            if (same) return t->ArraySize + (n - t->Nodes);
            int next = n->Key.Aux;
            if (next == 0) return -1;
            n += next;
        }
    }

    /// <summary>The entry after <paramref name="key"/> (nil = first). False at the end;
    /// throws "invalid key to 'next'" for a key that is not in the table.</summary>
    public static bool Next(LuaState L, LuaTable* t, ref Value key, out Value value)
    {
        long idx = TraversalIndex(t, key);
        if (idx == -1) throw L.VmError("invalid key to 'next'");
        long i = idx == -2 ? 0 : idx + 1;
        for (; i < t->ArraySize; i++)
        {
            if (t->Array[i].Tag != Tag.Nil)
            {
                key = Value.Int(i + 1);
                value = t->Array[i];
                return true;
            }
        }
        if (t->IsDummyNode == 0)
        {
            int count = LuaTable.NodeCount(t);
            for (long j = i - t->ArraySize; j < count; j++)
            {
                Node* n = t->Nodes + j;
                if (n->Val.Tag != Tag.Nil)
                {
                    t->NextHint = (uint)(t->ArraySize + j);
                    key = n->Key;
                    key.Aux = 0;
                    value = n->Val;
                    value.Aux = 0;
                    return true;
                }
            }
        }
        value = default;
        return false;
    }
}
