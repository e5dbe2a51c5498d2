using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;

namespace Tiered.Interpreter.VM;

/// <summary>A host (.NET) function callable from Lua. Arguments are <c>L.Arg(1..argc)</c>;
/// the function pushes its results and returns how many it pushed.</summary>
public delegate int HostFunction(LuaState L, int argc);

/// <summary>Options that shape a state; the engine fills them from its public options.</summary>
public sealed class LuaStateOptions
{
    /// <summary>0 = no limit. Exceeding it raises the Lua error "not enough memory".</summary>
    public long MemoryLimitBytes;
    /// <summary>Value-stack slots per coroutine (Lua's LUAI_MAXSTACK).</summary>
    public int MaxStackSlots = 1_000_000;
    /// <summary>Nested host-to-Lua calls (metamethods, sort comparators...) before "C stack overflow".</summary>
    public int MaxHostNesting = 190;
    /// <summary>Collect at every safepoint: slow, finds missing roots.</summary>
    public bool GcStress;
    /// <summary>Where print and io.write go.</summary>
    public Stream? StandardOutput;
    public Stream? StandardError;
    public Stream? StandardInput;
}

/// <summary>
/// One Lua universe: heap, strings, globals, registry and the coroutines that run in it.
/// Not thread-safe: one thread uses a state at a time.
/// </summary>
public sealed unsafe partial class LuaState : IDisposable
{
    public readonly LuaStateOptions Options;
    public LuaThread* MainThread;
    /// <summary>The running coroutine (or the main thread).</summary>
    public LuaThread* Thread;
    public LuaTable* Registry;
    public LuaTable* Globals;
    public LuaTable* StringMetatable;
    /// <summary>Metatables of the basic types other than table/userdata (debug.setmetatable).</summary>
    public readonly LuaTable*[] TypeMetatables = new LuaTable*[16];

    internal readonly LuaString*[] MetaNames = new LuaString*[(int)MetaEvent.Count];
    internal readonly List<HostEntry> HostFunctions = new();
    internal readonly List<FunctionProto?> ProtoInfos = new();
    private readonly Stack<int> freeProtoInfoSlots = new();

    internal readonly record struct HostEntry(HostFunction Function, string Name);

    public Stream StdOut;
    public Stream StdErr;
    public Stream StdIn;
    /// <summary>Registered to stop running scripts (instruction budget, cancellation): called at
    /// back-edges and calls every <see cref="InterruptInterval"/> ticks when set.</summary>
    public Action<LuaState>? Interrupt;
    public int InterruptInterval = 10_000;
    internal int interruptCountdown = 10_000;

    /// <summary>The native tier, when one is attached (see src/Tiering).</summary>
    public INativeTier? NativeTier;
    /// <summary>Calls + loop back-edges of a function before <see cref="INativeTier.OnHot"/> runs
    /// (1 = on the first call; int.MaxValue = never).</summary>
    public int HotThreshold = int.MaxValue;
    /// <summary>Calls + loop back-edges after native code handed a frame to the interpreter
    /// before <see cref="INativeTier.OnHot"/> runs again, so the frame re-enters its code at a
    /// loop header (set by the tier from its thresholds).</summary>
    public int NativeReentryCountdown = 100;

    public LuaState(LuaStateOptions? options = null)
    {
        Options = options ?? new LuaStateOptions();
        StdOut = Options.StandardOutput ?? Console.OpenStandardOutput();
        StdErr = Options.StandardError ?? Console.OpenStandardError();
        StdIn = Options.StandardInput ?? Console.OpenStandardInput();
        stringBuckets = new LuaString*[256];
        selfHandle = System.Runtime.InteropServices.GCHandle.Alloc(this);
        Shared = (SharedCounters*)NativeMemory.AllocZeroed((nuint)sizeof(SharedCounters));
        Shared->NativeCountdown = InterruptInterval;
        IndexCache.Create(Shared);
        MainThread = NewThreadObject();
        MainThread->Status = ThreadStatus.Running;
        Thread = MainThread;
        Registry = TableOps.New(this);
        Globals = TableOps.New(this);
        TableOps.SetInt(this, Registry, 1, Value.Object(MainThread, Tag.Thread));
        TableOps.SetInt(this, Registry, 2, Value.Table(Globals));
        for (int i = 0; i < (int)MetaEvent.Count; i++)
        {
            MetaNames[i] = NewString(MetaEventNames.Names[i]);
            Fix((GcObject*)MetaNames[i]);
        }
        Shared->IndexName = MetaNames[(int)MetaEvent.Index];
        gcThreshold = 1 << 20;
        gcRunning = true;
    }

    private System.Runtime.InteropServices.GCHandle selfHandle;
    /// <summary>Counters native code updates directly (see SharedCounters).</summary>
    public readonly SharedCounters* Shared;

    /// <summary>The state that owns a thread (used by native runtime helpers).</summary>
    public static LuaState FromThread(LuaThread* th) =>
        (LuaState)System.Runtime.InteropServices.GCHandle.FromIntPtr(th->StateHandle).Target!;

    // ------------------------------------------------------------------ allocation

    private GcObject* allObjects;
    private long bytesAllocated;
    public long BytesAllocated => bytesAllocated;

    internal void* AllocRaw(nuint size, bool zero = false)
    {
        ChargeMemory((long)size);
        // Cleared by writing, not calloc: a large calloc block is fresh pages that calloc leaves
        // untouched; the table's first reads of them map the shared zero page, and each first
        // write then faults again and flushes that page from every thread's TLB (measured: a
        // quarter of a loop filling a table's hash part went to those faults).
        void* p = size > PoolMaxSize ? NativeMemory.Alloc(size) : PoolAlloc(size);
        if (zero) NativeMemory.Clear(p, size);
        return p;
    }

    // Small blocks (objects, table parts of a few entries) are recycled through free lists by
    // size class: a collection frees thousands of same-sized objects that the program then
    // allocates again at once, which costs malloc far more than a list push and pop. Each
    // block is a malloc block of its class's size, so table arrays can still be realloc'ed.
    // The lists keep freed memory for reuse until the state is disposed.
    private const int PoolGranule = 16, PoolMaxSize = 256;
    private readonly nint[] freeLists = new nint[PoolMaxSize / PoolGranule + 1];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void* PoolAlloc(nuint size)
    {
        if (size > PoolMaxSize) return NativeMemory.Alloc(size);
        int c = (int)((size + PoolGranule - 1) / PoolGranule);
        nint p = freeLists[c];
        if (p == 0) return NativeMemory.Alloc((nuint)(c * PoolGranule));
        freeLists[c] = *(nint*)p;
        return (void*)p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PoolFree(void* p, nuint size)
    {
        if (size > PoolMaxSize) { NativeMemory.Free(p); return; }
        int c = (int)((size + PoolGranule - 1) / PoolGranule);
        *(nint*)p = freeLists[c];
        freeLists[c] = (nint)p;
    }

    private void ReleasePool()
    {
        for (int c = 0; c < freeLists.Length; c++)
        {
            for (nint p = freeLists[c]; p != 0;)
            {
                nint next = *(nint*)p;
                NativeMemory.Free((void*)p);
                p = next;
            }
            freeLists[c] = 0;
        }
    }

    /// <summary>Grows a block to <paramref name="newSize"/> bytes, keeping its contents (the
    /// new bytes are not cleared). Large blocks grow in place or by remapping pages, without
    /// the copy and fresh-page faults of allocate-copy-free.</summary>
    internal void* GrowRaw(void* p, nuint oldSize, nuint newSize)
    {
        ChargeMemory((long)(newSize - oldSize));
        return NativeMemory.Realloc(p, newSize);
    }

    internal void FreeRaw(void* p, nuint size)
    {
        bytesAllocated -= (long)size;
        PoolFree(p, size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ChargeMemory(long size)
    {
        bytesAllocated += size;
        long limit = Options.MemoryLimitBytes;
        if (limit > 0 && bytesAllocated > limit && size > 0) MemoryLimitExceeded(size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void MemoryLimitExceeded(long size)
    {
        bytesAllocated -= size;
        throw new LuaRuntimeException(this, Value.Str(NewStringNoCharge("not enough memory")));
    }

    internal GcObject* AllocObject(ObjType type, int size)
    {
        ChargeMemory(size);
        var o = (GcObject*)PoolAlloc((nuint)size);
        o->Type = type;
        o->Mark = 0;
        o->Flags = 0;
        o->GcFlags = 0;
        o->Size = size;
        o->Next = allObjects;
        allObjects = o;
        return o;
    }

    // ------------------------------------------------------------------ strings

    private LuaString*[] stringBuckets;
    private int stringCount;
    /// <summary>The short-string hash seed: fixed, so native code can hash a constant key at
    /// compile time (and cache that code across runs).</summary>
    public const uint StringSeed = 0x9E3779B9u;

    public LuaString* NewString(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= LuaString.MaxShortLength) return InternShort(bytes);
        LuaString* s = AllocString(bytes.Length);
        bytes.CopyTo(new Span<byte>(LuaString.Data(s), bytes.Length));
        return s;
    }

    public LuaString* NewString(string s)
    {
        int max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (max <= 256)
        {
            Span<byte> buf = stackalloc byte[max];
            int n = Encoding.UTF8.GetBytes(s, buf);
            return NewString(buf[..n]);
        }
        return NewString(Encoding.UTF8.GetBytes(s));
    }

    private LuaString* NewStringNoCharge(string s)
    {
        long limit = Options.MemoryLimitBytes;
        Options.MemoryLimitBytes = 0;
        try { return NewString(s); } finally { Options.MemoryLimitBytes = limit; }
    }

    /// <summary>A string of <paramref name="length"/> uninitialised bytes; the caller fills it
    /// before it is used. Only for long strings (never interned).</summary>
    internal LuaString* AllocString(int length)
    {
        var s = (LuaString*)AllocObject(ObjType.String, sizeof(LuaString) + length + 1);
        s->Length = length;
        s->Hash = 0;
        s->HashNext = null;
        LuaString.Data(s)[length] = 0;
        return s;
    }

    private LuaString* InternShort(ReadOnlySpan<byte> bytes)
    {
        uint h = LuaString.ComputeHash(bytes, StringSeed);
        int idx = (int)(h & (uint)(stringBuckets.Length - 1));
        for (LuaString* s = stringBuckets[idx]; s != null; s = s->HashNext)
        {
            if (s->Hash == h && s->Length == bytes.Length && LuaString.Span(s).SequenceEqual(bytes))
            {
                return s;
            }
        }
        if (stringCount >= stringBuckets.Length) { GrowStringTable(); idx = (int)(h & (uint)(stringBuckets.Length - 1)); }
        LuaString* ns = AllocString(bytes.Length);
        bytes.CopyTo(new Span<byte>(LuaString.Data(ns), bytes.Length));
        ns->Hash = h;
        ns->Header.Flags = LuaString.FlagHashed;
        ns->HashNext = stringBuckets[idx];
        stringBuckets[idx] = ns;
        stringCount++;
        return ns;
    }

    private void GrowStringTable()
    {
        var nb = new LuaString*[stringBuckets.Length * 2];
        foreach (LuaString* head in stringBuckets)
        {
            LuaString* s = head;
            while (s != null)
            {
                LuaString* next = s->HashNext;
                int idx = (int)(s->Hash & (uint)(nb.Length - 1));
                s->HashNext = nb[idx];
                nb[idx] = s;
                s = next;
            }
        }
        stringBuckets = nb;
    }

    private void RemoveInterned(LuaString* s)
    {
        int idx = (int)(s->Hash & (uint)(stringBuckets.Length - 1));
        LuaString** p = null;
        fixed (LuaString** bucket = &stringBuckets[idx])
        {
            p = bucket;
            while (*p != s) p = &(*p)->HashNext;
            *p = s->HashNext;
        }
        stringCount--;
    }

    public Value StringValue(string s) => Value.Str(NewString(s));
    public Value StringValue(ReadOnlySpan<byte> s) => Value.Str(NewString(s));

    // ------------------------------------------------------------------ other objects

    internal LuaThread* NewThreadObject()
    {
        var th = (LuaThread*)AllocObject(ObjType.Thread, sizeof(LuaThread));
        int slots = Options.MaxStackSlots + 64;   // extra room for error handling beyond the limit
        th->StackBytes = (nuint)slots * (nuint)sizeof(Value);
        th->Stack = (Value*)VirtualMemory.Reserve(th->StackBytes);
        th->StackLimit = th->Stack + Options.MaxStackSlots;
        th->Top = th->Stack;
        th->HighWater = th->Stack;
        int frames = Options.MaxStackSlots / 4 + 64;
        th->FrameBytes = (nuint)frames * (nuint)sizeof(CallFrame);
        th->Frames = (CallFrame*)VirtualMemory.Reserve(th->FrameBytes);
        th->FramesLimit = th->Frames + frames - 8;
        th->Ci = th->Frames;
        th->Ci->Func = th->Stack;
        th->Ci->Top = th->Stack + 1;
        th->Ci->Flags = FrameFlags.Host;
        th->Ci->NResults = 0;
        th->Top = th->Stack + 1;   // slot 0 is the base frame's "function"
        th->OpenUpvalues = null;
        th->Tbc = null;
        th->TbcCount = 0;
        th->TbcCapacity = 0;
        th->Status = ThreadStatus.Initial;
        th->NonYieldable = 0;
        th->ErrorValue = default;
        th->HookFunction = default;
        th->HookMask = HookMask.None;
        th->HookTrap = th->HookBaseCount = th->HookCountdown = th->HookOldPc = th->InHook = 0;
        th->HookFTransfer = th->HookNTransfer = 0;
        th->StateHandle = System.Runtime.InteropServices.GCHandle.ToIntPtr(selfHandle);
        th->Shared = Shared;
        return th;
    }

    internal LuaClosure* NewLuaClosure(Proto* p)
    {
        int n = p->UpvalueCount;
        var c = (LuaClosure*)AllocObject(ObjType.LuaClosure, sizeof(LuaClosure) + n * sizeof(UpVal*));
        c->Proto = p;
        c->UpvalueCount = n;
        UpVal** uv = LuaClosure.Upvalues(c);
        for (int i = 0; i < n; i++) uv[i] = null;
        return c;
    }

    internal UpVal* NewClosedUpval(in Value v)
    {
        var u = (UpVal*)AllocObject(ObjType.Upvalue, sizeof(UpVal));
        u->Closed = v;
        u->V = &u->Closed;
        u->OpenNext = null;
        return u;
    }

    /// <summary>Registers a host function once; closures made from the returned index share it.</summary>
    public int RegisterHostFunction(HostFunction fn, string name)
    {
        HostFunctions.Add(new HostEntry(fn, name));
        return HostFunctions.Count - 1;
    }

    public HostClosure* NewHostClosure(int functionIndex, int upvalueCount)
    {
        var c = (HostClosure*)AllocObject(ObjType.HostClosure, sizeof(HostClosure) + upvalueCount * sizeof(Value));
        c->FunctionIndex = functionIndex;
        c->UpvalueCount = upvalueCount;
        c->Intrinsic = HostIntrinsic.None;
        for (int i = 0; i < upvalueCount; i++) HostClosure.Upvalues(c)[i] = default;
        return c;
    }

    public Value NewHostFunction(HostFunction fn, string name) =>
        Value.Object(NewHostClosure(RegisterHostFunction(fn, name), 0), Tag.HostFunction);

    public Userdata* NewUserdata(long size)
    {
        var u = (Userdata*)AllocObject(ObjType.Userdata, sizeof(Userdata) + (int)size);
        u->Metatable = null;
        u->Length = size;
        u->UserValue = default;
        u->HostHandle = 0;
        return u;
    }

    // ------------------------------------------------------------------ prototypes

    /// <summary>The registers a frame of <paramref name="fp"/> reserves (never fewer than two);
    /// the native tier sizes the frames of recursive calls with it.</summary>
    public static int FrameSizeOf(FunctionProto fp) => Math.Max(fp.MaxStackSize, 2);

    /// <summary>Turns compiler output into an unmanaged prototype tree owned by this state.</summary>
    public Proto* LoadProto(FunctionProto fp)
    {
        var p = (Proto*)AllocObject(ObjType.Proto, sizeof(Proto));
        p->Code = null; p->Constants = null; p->Children = null; p->UpvalInStack = null; p->UpvalIndex = null;
        p->CodeSize = 0; p->ConstantCount = 0; p->ChildCount = 0; p->UpvalueCount = 0; p->Feedback = null; p->CallTargets = null;
        p->NativeEntry = null; p->CallCount = 0; p->BackEdgeCount = 0; p->TierState = 0; p->HotCountdown = HotThreshold; p->NativeStamp = 0;
        p->NumParams = fp.NumParams;
        p->MaxStackSize = FrameSizeOf(fp);
        p->IsVararg = fp.IsVararg ? 1 : 0;
        p->InfoIndex = AddProtoInfo(fp);
        // No collection runs during loading (collections happen only at safepoints).
        {
            p->CodeSize = fp.Code.Length;
            p->Code = (uint*)AllocRaw((nuint)(fp.Code.Length * sizeof(uint)));
            fp.Code.AsSpan().CopyTo(new Span<uint>(p->Code, fp.Code.Length));
            p->Feedback = (byte*)AllocRaw((nuint)Math.Max(fp.Code.Length, 1), zero: true);
            p->CallTargets = (int*)AllocRaw((nuint)(Math.Max(fp.Code.Length, 1) * sizeof(int)), zero: true);
            p->Constants = (Value*)AllocRaw((nuint)(Math.Max(fp.Constants.Length, 1) * sizeof(Value)), zero: true);
            p->ConstantCount = fp.Constants.Length;
            for (int i = 0; i < fp.Constants.Length; i++)
            {
                Constant k = fp.Constants[i];
                p->Constants[i] = k.Kind switch
                {
                    ConstantKind.Nil => Value.Nil,
                    ConstantKind.False => Value.False,
                    ConstantKind.True => Value.True,
                    ConstantKind.Integer => Value.Int(k.Integer),
                    ConstantKind.Float => Value.Float(k.Float),
                    _ => Value.Str(NewString(k.String)),
                };
            }
            int nu = fp.Upvalues.Length;
            p->UpvalInStack = (byte*)AllocRaw((nuint)Math.Max(nu, 1));
            p->UpvalIndex = (byte*)AllocRaw((nuint)Math.Max(nu, 1));
            p->UpvalueCount = nu;
            for (int i = 0; i < nu; i++)
            {
                p->UpvalInStack[i] = fp.Upvalues[i].InStack ? (byte)1 : (byte)0;
                p->UpvalIndex[i] = (byte)fp.Upvalues[i].Index;
            }
            p->Children = (Proto**)AllocRaw((nuint)(Math.Max(fp.Protos.Length, 1) * sizeof(Proto*)), zero: true);
            for (int i = 0; i < fp.Protos.Length; i++)
            {
                p->Children[i] = LoadProto(fp.Protos[i]);
                p->ChildCount = i + 1;
            }
        }
        return p;
    }

    private int AddProtoInfo(FunctionProto fp)
    {
        if (freeProtoInfoSlots.Count > 0) { int s = freeProtoInfoSlots.Pop(); ProtoInfos[s] = fp; return s; }
        ProtoInfos.Add(fp);
        return ProtoInfos.Count - 1;
    }

    internal FunctionProto InfoOf(Proto* p) => ProtoInfos[p->InfoIndex]!;

    /// <summary>Called just before a prototype is freed (the native tier forgets its pointer).</summary>
    public Action<nint>? ProtoFreed;

    private void FreeProto(Proto* p)
    {
        ProtoFreed?.Invoke((nint)p);
        if (p->Code != null) FreeRaw(p->Code, (nuint)(p->CodeSize * sizeof(uint)));
        if (p->Feedback != null) FreeRaw(p->Feedback, (nuint)Math.Max(p->CodeSize, 1));
        if (p->CallTargets != null) FreeRaw(p->CallTargets, (nuint)(Math.Max(p->CodeSize, 1) * sizeof(int)));
        if (p->Constants != null) FreeRaw(p->Constants, (nuint)(Math.Max(p->ConstantCount, 1) * sizeof(Value)));
        if (p->UpvalInStack != null) FreeRaw(p->UpvalInStack, (nuint)Math.Max(p->UpvalueCount, 1));
        if (p->UpvalIndex != null) FreeRaw(p->UpvalIndex, (nuint)Math.Max(p->UpvalueCount, 1));
        if (p->Children != null) FreeRaw(p->Children, (nuint)(Math.Max(ProtoInfos[p->InfoIndex]!.Protos.Length, 1) * sizeof(Proto*)));
        ProtoInfos[p->InfoIndex] = null;
        freeProtoInfoSlots.Push(p->InfoIndex);
    }

    /// <summary>When false, Dispose frees everything without running pending __gc finalizers
    /// (os.exit without its close argument).</summary>
    public bool RunFinalizersOnDispose { get; set; } = true;

    public void Dispose()
    {
        if (MainThread == null) return;
        if (RunFinalizersOnDispose)
        {
            try { RunAllFinalizers(); } catch (LuaRuntimeException) { } catch (LuaExitException) { }
        }
        GcObject* o = allObjects;
        while (o != null)
        {
            GcObject* next = o->Next;
            FreeObject(o);
            o = next;
        }
        allObjects = null;
        ReleasePool();
        MainThread = null;
        Thread = null;
        if (selfHandle.IsAllocated) selfHandle.Free();
        IndexCache.Free(Shared);
        NativeMemory.Free(Shared);
    }
}
