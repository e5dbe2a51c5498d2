using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tiered.Interpreter.Runtime;

// Layouts of every heap object. They live in unmanaged memory (NativeMemory) and are read
// both by the interpreter and by native code, which takes its field offsets from these
// declarations. Every object starts with a GcObject header:
//
//   +0  GcObject* Next     all-objects list (sweep walks it)
//   +8  ObjType   Type
//   +9  byte      Mark     GcColor
//   +10 byte      Flags    per-type bits (table: metamethod-absence cache; string: hash computed)
//   +11 byte      GcFlags  finalizer bits
//   +12 int       Size     bytes allocated, for accounting

public enum ObjType : byte { String = 1, Table, LuaClosure, HostClosure, Userdata, Thread, Proto, Upvalue }

[StructLayout(LayoutKind.Sequential)]
public unsafe struct GcObject
{
    public GcObject* Next;
    public ObjType Type;
    public byte Mark;
    public byte Flags;
    public byte GcFlags;
    public int Size;
}

/// <summary>A byte string. Short strings (at most <see cref="MaxShortLength"/> bytes) are interned,
/// so two equal short strings are the same object; long strings compare by content.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct LuaString
{
    public const int MaxShortLength = 40;
    public GcObject Header;
    public int Length;
    public uint Hash;
    public LuaString* HashNext;   // intern-table chain
    // followed by Length bytes and a terminating 0

    public const byte FlagHashed = 1;

    public static byte* Data(LuaString* s) => (byte*)(s + 1);
    public static ReadOnlySpan<byte> Span(LuaString* s) => new(s + 1, s->Length);
    public static bool IsShort(LuaString* s) => s->Length <= MaxShortLength;

    public static bool ContentEquals(LuaString* a, LuaString* b)
    {
        if (a == b) return true;
        if (a->Length != b->Length || a->Length <= MaxShortLength) return false;
        return Span(a).SequenceEqual(Span(b));
    }

    public static uint ComputeHash(ReadOnlySpan<byte> bytes, uint seed)
    {
        uint h = seed ^ (uint)bytes.Length;
        foreach (byte b in bytes) h ^= (h << 5) + (h >> 2) + b;
        return h;
    }

    /// <summary>Hash of any string, computing (and caching) it for long strings on first use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint HashOf(LuaString* s)
    {
        if ((s->Header.Flags & FlagHashed) != 0) return s->Hash;
        s->Hash = ComputeHash(Span(s), 0x2545F491u);
        s->Header.Flags |= FlagHashed;
        return s->Hash;
    }

    public static string ToManaged(LuaString* s) => System.Text.Encoding.UTF8.GetString(Span(s));
}

/// <summary>One slot of a table's hash part: value first, then key; the key's Aux holds the
/// offset (in nodes) to the next node of the same collision chain, 0 for end of chain.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct Node
{
    public Value Val;
    public Value Key;
}

// Table: an array part for keys 1..ArraySize and a hash part of 2^LogNodeSize nodes
// (chained scatter table with Brent's variation: a colliding key that is not in its main
// position is moved, so every chain starts at its main position).
[StructLayout(LayoutKind.Sequential)]
public unsafe struct LuaTable
{
    public GcObject Header;       // Header.Flags: bit i set = metamethod i known absent
    public LuaTable* Metatable;
    public Value* Array;
    public uint ArraySize;
    public uint LengthHint;       // last border found in the array part (speeds up #t while appending)
    public byte LogNodeSize;
    public byte IsDummyNode;      // hash part is the shared empty node
    public byte WeakMode;         // 1 = weak keys, 2 = weak values (set during marking)
    public byte IndexWatched;     // a lookup through __index tables passed here (see IndexCache)
    public uint NextHint;         // traversal index of the node next() returned last
    public Node* Nodes;
    public Node* LastFree;        // search pointer for free nodes, moves downwards
    public LuaTable* GcListNext;  // gray/weak lists during collection

    public static int NodeCount(LuaTable* t) => 1 << t->LogNodeSize;
}

public enum FrameKind : byte { Lua = 0, Host = 1 }

/// <summary>A Lua closure: prototype plus upvalue pointers.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct LuaClosure
{
    public GcObject Header;
    public Proto* Proto;
    public int UpvalueCount;
    public int Padding;
    // followed by UpvalueCount UpVal* pointers
    public static UpVal** Upvalues(LuaClosure* c) => (UpVal**)(c + 1);
}

/// <summary>A function implemented in .NET: an index into the state's delegate table plus
/// Lua-visible upvalues (which the GC marks, unlike anything a delegate captures).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct HostClosure
{
    public GcObject Header;
    public int FunctionIndex;
    public int UpvalueCount;
    /// <summary>Which library function this is, for native code that computes it inline
    /// (HostIntrinsic.None for all others).</summary>
    public HostIntrinsic Intrinsic;
    // followed by UpvalueCount Values
    public static Value* Upvalues(HostClosure* c) => (Value*)(c + 1);
}

/// <summary>An upvalue: points into a stack while open, at its own Closed slot once closed.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct UpVal
{
    public GcObject Header;
    public Value* V;
    public Value Closed;
    public UpVal* OpenNext;      // open list of the owning thread, sorted by stack level, highest first
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct Userdata
{
    public GcObject Header;
    public LuaTable* Metatable;
    public long Length;           // bytes of user memory following the header
    public Value UserValue;
    public nint HostHandle;        // GCHandle of a host object, 0 if none
}

/// <summary>Prototype of a Lua function: code and constants plus the hooks of the native tier.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct Proto
{
    public GcObject Header;
    public uint* Code;
    public Value* Constants;
    public Proto** Children;
    public byte* UpvalInStack;     // per upvalue: 1 = enclosing register, 0 = enclosing upvalue
    public byte* UpvalIndex;
    public int CodeSize;
    public int ConstantCount;
    public int ChildCount;
    public int UpvalueCount;
    public int NumParams;
    public int MaxStackSize;
    public int IsVararg;
    public int InfoIndex;          // slot of the managed debug info (FunctionProto) in the state
    // Tier-up hooks, filled by the interpreter and read by the native tier.
    public int CallCount;
    public int BackEdgeCount;
    public byte* Feedback;         // one byte per instruction: OR of FeedbackBits seen
    public void* NativeEntry;      // published atomically by the native tier; null = interpret
    public int TierState;
    public int HotCountdown;       // calls + back-edges left before the tier-up hook runs
    public long NativeStamp;       // names the code in NativeEntry: a frame in older code can tell
    /// <summary>Per instruction, for CALL sites: which function the interpreter saw called
    /// there, so the native tier can put a small callee's code in line. 0: none yet; the
    /// callee prototype's InfoIndex + 1 while it was always the same one; -1: more than one.</summary>
    public int* CallTargets;
}

/// <summary>Operand-type bits that the interpreter ORs into an instruction's feedback slot.</summary>
[Flags]
/// <summary>Library functions the native tier may compute inline instead of calling, when a
/// call site finds the library's own closure there (so a script that redefines math.sqrt
/// gets its own function). Each inline version gives the library function's results for the
/// argument types it accepts and calls the function for every other case.</summary>
public enum HostIntrinsic : int
{
    None, MathSqrt, MathAbs, MathFloor, MathCeil, MathMin, MathMax, StringByte, TableInsert,
    /// <summary>ipairs' iterator and next (pairs' iterator): stepped by native code's
    /// generic-for helper without a frame (LuaState.ForCallFromNative).</summary>
    IpairsAux, Next,
    TableRemove,
}

public enum FeedbackBits : byte
{
    Integer = 1, Float = 2, String = 4, TableArray = 8, TableHash = 16, Metamethod = 32, LuaCall = 64, HostCall = 128,

    /// <summary>Arithmetic sites (which never record String): an integer operand met a float
    /// one. Float alone then means both operands were floats.</summary>
    MixedNumbers = String,

    /// <summary>String-key sites (GETFIELD, GETTABUP, SELF, GETTABLE with a string key): the key
    /// was absent from the table itself, which had a metatable (so its __index was looked at).
    /// The native tier follows __index tables only where this was seen.</summary>
    ViaMetatable = Metamethod,

    /// <summary>Call sites (CALL, TFORCALL) in native code: a coroutine yield passed through the
    /// call, so the interpreter finished the frame after the resume. The native tier then gives
    /// the function an entry just after the call, and later resumes go back to native code.</summary>
    YieldedThrough = Metamethod,

    /// <summary>Call sites (CALL, TAILCALL): the callee was a closure of the calling function's
    /// own prototype. The native tier then calls its own code directly, with the frame's size
    /// known, when the callee is that prototype again.</summary>
    SelfCall = Integer,

    /// <summary>Call sites (CALL, TFORCALL): the callee was a library function that native code
    /// may compute inline (HostClosure.Intrinsic is set). The native tier emits the inline
    /// versions only where this was seen, or where the call never ran.</summary>
    IntrinsicCall = Float,

    /// <summary>FORPREP: the loop was a float loop (its initial value or step was not an
    /// integer). The native tier compiles a numeric loop as an integer loop only where this was
    /// not seen.</summary>
    FloatLoop = Float,

    /// <summary>GETTABLE and SETTABLE: the key in the register was a string. The native tier then
    /// looks short string keys up inline, as it does constant field names.</summary>
    StringKey = String,

    /// <summary>Table-access sites (GETFIELD, GETTABUP, SELF, SETFIELD, SETTABUP, GETTABLE, GETI,
    /// SETTABLE, SETI): the interpreter's inline path did not do it here at least once (the
    /// generic index or store ran: an object that is not a table, a new key, a metamethod; or an
    /// integer key was looked up outside the array part). Where this never happened, the native
    /// tier deoptimises on those cases rather than calling a helper, and inserts no keys inline.</summary>
    GenericAccess = TableHash,
}
