using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tiered.Interpreter.VM;

namespace Tiered.Interpreter.Runtime;

/// <summary>Where a lookup of <see cref="Key"/> through the __index tables of metatable
/// <see cref="Meta"/> ended: the slot holding the value, or null when the chain ended without
/// the key. It holds while <see cref="Epoch"/> is the state's (see <see cref="IndexCache"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct IndexCacheEntry
{
    public LuaTable* Meta;
    public LuaString* Key;
    public Value* Slot;
    public ulong Epoch;
}

/// <summary>
/// Lookups through __index tables, remembered per state. A method call on an object reads a
/// key the object lacks: its metatable's __index table is probed, then that table's
/// metatable's __index table, and so on, the same dependent probes at every call. The cache
/// keeps where that walk ended under (metatable, key), so a hit is one probe of the cache.
///
/// The walk depends only on the tables it passes: the metatables and the __index tables. Each
/// is marked <see cref="LuaTable.IndexWatched"/>, and any change to a watched table that could
/// change a walk or move a slot moves the state's epoch on, which drops every entry at once:
/// a key inserted (an insertion can also move other keys' nodes), the hash part rebuilt, a
/// string key given a value where it had none, __index assigned, the metatable replaced. A
/// collection moves the epoch on as well: it may free a table or string an entry points to,
/// and a new object can take its address. A value that becomes nil is the one change the
/// epoch does not see; a hit checks that its slot still holds a value, else the walk runs.
/// </summary>
public static unsafe class IndexCache
{
    /// <summary>Entries per state (a power of two).</summary>
    public const int EntryCount = 512;

    /// <summary>The entry for (meta, key), by the metatable's address and the key's hash. Native
    /// code computes the same index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOf(LuaTable* meta, uint keyHash) =>
        (int)(((uint)((nuint)meta >> 4) ^ keyHash) & (EntryCount - 1));

    public static void Create(SharedCounters* s)
    {
        s->IndexCache = (IndexCacheEntry*)NativeMemory.AllocZeroed((nuint)(EntryCount * sizeof(IndexCacheEntry)));
        s->IndexEpoch = 1;   // zeroed entries (epoch 0) never hold
    }

    public static void Free(SharedCounters* s)
    {
        NativeMemory.Free(s->IndexCache);
        s->IndexCache = null;
    }

    /// <summary>Drops every entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Invalidate(SharedCounters* s) => s->IndexEpoch++;

    /// <summary>A change to table t that can change a walk (a key inserted or given a value,
    /// the hash part rebuilt, the metatable replaced): drops the entries if t is watched.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NoteChange(SharedCounters* s, LuaTable* t)
    {
        if (t->IndexWatched != 0) s->IndexEpoch++;
    }

    /// <summary>A value replaced another under string key in table t: only a new __index
    /// changes where walks go, so only that drops the entries (if t is watched).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NoteReplace(SharedCounters* s, LuaTable* t, LuaString* key)
    {
        if (t->IndexWatched != 0 && key == s->IndexName) s->IndexEpoch++;
    }

    /// <summary>Table t lacks string key: the value its __index tables give it, as far as they
    /// are tables. Returns the slot found, <see cref="TableOps.Absent"/> when the chain ends
    /// without the key (no metatable, or one without __index), or null when an __index is a
    /// function or another value, or the chain is too long (a loop): the caller's general
    /// path handles those, and raises the error. Only short keys (interned, so known by their
    /// address) are remembered.</summary>
    public static Value* Lookup(SharedCounters* s, LuaTable* t, LuaString* key)
    {
        LuaTable* mt = t->Metatable;
        if (mt == null) return TableOps.Absent;
        if (!LuaString.IsShort(key)) return Walk(s, t, key);
        IndexCacheEntry* e = s->IndexCache + IndexOf(mt, key->Hash);
        if (e->Meta == mt && e->Key == key && e->Epoch == s->IndexEpoch)
        {
            if (e->Slot == null) return TableOps.Absent;
            if (e->Slot->Tag != Tag.Nil) return e->Slot;
        }
        Value* found = Walk(s, t, key);
        if (found == null) return null;
        e->Meta = mt;
        e->Key = key;
        e->Slot = found == TableOps.Absent ? null : found;
        e->Epoch = s->IndexEpoch;
        return found;
    }

    private static Value* Walk(SharedCounters* s, LuaTable* t, LuaString* key)
    {
        for (int depth = 1; depth < LuaState.MaxTagLoop; depth++)
        {
            LuaTable* mt = t->Metatable;
            if (mt == null) return TableOps.Absent;
            mt->IndexWatched = 1;
            Value* index = TableOps.GetShortString(mt, s->IndexName);
            if (index->Tag == Tag.Nil) return TableOps.Absent;
            if (index->Tag != Tag.Table) return null;
            t = index->AsTable;
            t->IndexWatched = 1;
            Value* slot = TableOps.GetString(t, key);
            if (slot->Tag != Tag.Nil) return slot;
        }
        return null;
    }
}
