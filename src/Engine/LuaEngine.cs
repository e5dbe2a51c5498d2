using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Tiered.Interpreter.Lib;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Tiered.Tiering;
using RawTable = Tiered.Interpreter.Runtime.LuaTable;

namespace Tiered;

/// <summary>
/// A Lua 5.4 engine: one Lua state, its standard libraries and (unless the JIT is off) the
/// native tier.
/// </summary>
/// <remarks>
/// Thread model: an engine, and every handle (<see cref="LuaTable"/>, <see cref="LuaFunction"/>)
/// it hands out, may be used by one thread at a time; different engines may run on different
/// threads concurrently. Handles may be finalized on any thread: the finalizer only queues
/// the release, which the engine performs at its next API call.
/// </remarks>
public sealed unsafe partial class LuaEngine : IDisposable
{
    private readonly LuaState L;
    private readonly NativeTier? tier;
    private readonly long? instructionLimit;
    private readonly int baseInterruptInterval;

    // Handles: anchors[id] holds the object of LuaReference id (see LuaReference).
    private readonly RawTable* anchors;
    private readonly Stack<int> freeAnchorIds = new();
    private int nextAnchorId;
    private readonly ConcurrentQueue<int> releaseQueue = new();

    // Per outermost host-to-Lua entry.
    private int depth;
    private long instructions;
    private CancellationToken cancellation;
    /// <summary>Host exceptions turned into Lua errors, by error message, so the one that
    /// escapes back to the host can carry the original as its InnerException.</summary>
    private readonly Dictionary<string, Exception> hostExceptions = new();

    /// <summary>Host-to-Lua entries nested inside each other (callbacks calling back into Lua)
    /// before the next one fails with "stack overflow". Each level costs several .NET frames.</summary>
    internal const int MaxHostNesting = 120;
    internal int HostNesting => depth;

    private readonly Value indexHelper, setIndexHelper;
    private LuaTable? globals;
    private bool disposed;

    public LuaEngine(LuaEngineOptions? options = null)
    {
        options ??= new LuaEngineOptions();
        L = new LuaState(new LuaStateOptions());
        try
        {
            OpenLibraries(options.Libraries);
            anchors = L.NewTable();
            TableOps.Set(L, L.Registry, L.StringValue("tiered.engine.anchors"), Value.Table(anchors));
            indexHelper = NewInternalFunction("tiered.engine.index", (s, _) => { s.Push(s.Index(s.Arg(1), s.Arg(2))); return 1; });
            setIndexHelper = NewInternalFunction("tiered.engine.setindex", (s, _) => { s.SetIndex(s.Arg(1), s.Arg(2), s.Arg(3)); return 0; });

            instructionLimit = options.InstructionLimit;
            baseInterruptInterval = instructionLimit is long limit ? (int)Math.Clamp(limit / 100, 100, 10_000) : 10_000;
            L.Interrupt = OnInterrupt;
            ResetInterruptInterval();

            if (options.MemoryLimitBytes is long bytes) L.Options.MemoryLimitBytes = bytes;
            if (options.Jit != JitMode.Off)
            {
                ILogger? logger = options.LoggerFactory?.CreateLogger("Tiered.Jit");
                tier = new NativeTier(L, options.Jit, null, logger);
                if (options.CacheEnabled) tier.EnableCache(options.CacheDirectory);
            }
        }
        catch
        {
            L.Dispose();
            throw;
        }
    }

    private Value NewInternalFunction(string name, HostFunction fn)
    {
        Value f = L.NewHostFunction(fn, name);
        TableOps.Set(L, L.Registry, L.StringValue(name), f);
        return f;
    }

    // ------------------------------------------------------------------ libraries

    private void OpenLibraries(LuaLibraries libs)
    {
        // The order of Libraries.OpenAll: base first (it creates _G and package.loaded).
        if (libs.HasFlag(LuaLibraries.Base)) BaseLib.Open(L);
        if (libs.HasFlag(LuaLibraries.Package)) PackageLib.Open(L);
        if (libs.HasFlag(LuaLibraries.Os)) OsLib.Open(L);
        if (libs.HasFlag(LuaLibraries.Io)) IoLib.Open(L);
        if (libs.HasFlag(LuaLibraries.Coroutine)) CoroutineLib.Open(L);
        if (libs.HasFlag(LuaLibraries.String)) StringLib.Open(L);
        if (libs.HasFlag(LuaLibraries.Table)) TableLib.Open(L);
        if (libs.HasFlag(LuaLibraries.Math)) MathLib.Open(L);
        if (libs.HasFlag(LuaLibraries.Utf8)) Utf8Lib.Open(L);
        if (libs.HasFlag(LuaLibraries.Debug)) DebugLib.Open(L);

        // Without io the script is sandboxed: nothing else may reach files or the process.
        if (!libs.HasFlag(LuaLibraries.Io))
        {
            RemoveField(L.Globals, "loadfile");
            RemoveField(L.Globals, "dofile");
            Value os = *TableOps.Get(L.Globals, L.StringValue("os"));
            if (os.Tag == Tag.Table)
                foreach (string name in new[] { "execute", "remove", "rename", "exit", "tmpname" })
                    RemoveField(os.AsTable, name);
        }
    }

    private void RemoveField(RawTable* t, string name) => TableOps.Set(L, t, L.StringValue(name), default);

    // ------------------------------------------------------------------ public API

    /// <summary>The global table (_G).</summary>
    public LuaTable Globals
    {
        get
        {
            Enter();
            return globals ??= new LuaTable(NewAnchor(Value.Table(L.Globals)));
        }
    }

    public LuaTable CreateTable() => Guard(() => new LuaTable(NewAnchor(Value.Table(L.NewTable()))));

    /// <summary>Runs a chunk of Lua source and returns what it returns.</summary>
    /// <param name="chunkName">Name used in messages ("name:line: message"); a leading '=' or
    /// '@' is kept as Lua's convention ('@' names a file).</param>
    public LuaValue[] DoString(string code, string chunkName = "chunk") => DoString(code, chunkName, default);

    /// <summary>Runs a chunk; when <paramref name="cancellationToken"/> is cancelled the script
    /// stops at its next interrupt check with the Lua error "script cancelled".</summary>
    public LuaValue[] DoString(string code, string chunkName, CancellationToken cancellationToken) =>
        RunChunk(Encoding.UTF8.GetBytes(code), chunkName.StartsWith('=') || chunkName.StartsWith('@') ? chunkName : "=" + chunkName, cancellationToken);

    public LuaValue[] DoFile(string path) => RunChunk(File.ReadAllBytes(path), "@" + path, default);

    private LuaValue[] RunChunk(byte[] source, string chunkSource, CancellationToken ct) =>
        Guard(() =>
        {
            Value f = L.LoadChunk(source, chunkSource, "t", skipShebang: true);
            return ToHost(L.CallFunction(f));
        }, ct);

    /// <summary>Registers a .NET delegate as the global function <paramref name="name"/>.</summary>
    /// <remarks>Parameters may be double, float, int, long, bool, string, LuaValue, LuaTable,
    /// LuaFunction, or a final <c>params LuaValue[]</c> taking the remaining arguments; the
    /// result may be void, one of those types, or LuaValue[] for several results. Exceptions
    /// thrown by the delegate become Lua errors with the exception's message.</remarks>
    public void Register(string name, Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        HostFunction adapter = HostAdapter.Create(this, function);
        Guard(() =>
        {
            TableOps.Set(L, L.Globals, L.StringValue(name), L.NewHostFunction(adapter, name));
            return 0;
        });
    }

    /// <summary>The native tier's view of the functions it has seen (empty when the JIT is off):
    /// counters, tiers, compile cost, cache use and every deopt, as of now.</summary>
    public ProfileReport GetProfile()
    {
        Enter();
        if (tier == null) return ProfileReport.Empty;
        return ProfileReport.FromData(Tiered.Reporting.RunProfile.FromTier(tier, tier.ElapsedMs));
    }

    /// <summary>Frees the Lua state; handles become unusable. The native tier stops first.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        tier?.Dispose();
        L.Dispose();
    }

    // ------------------------------------------------------------------ entering the VM

    private void Enter()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        while (releaseQueue.TryDequeue(out int id)) ReleaseAnchor(id);
    }

    /// <summary>Runs <paramref name="body"/> as one host-to-Lua entry: resets the instruction
    /// budget on the outermost entry and turns Lua errors into <see cref="LuaException"/>.</summary>
    internal T Guard<T>(Func<T> body, CancellationToken ct = default)
    {
        Enter();
        bool outermost = depth == 0;
        CancellationToken savedToken = cancellation;
        if (outermost)
        {
            instructions = 0;
            hostExceptions.Clear();
            ResetInterruptInterval();
        }
        if (ct.CanBeCanceled) cancellation = ct;
        depth++;
        bool outOfMemory = false;
        try
        {
            return body();
        }
        catch (LuaRuntimeException ex)
        {
            outOfMemory = ex.Message == "not enough memory";
            throw Translate(ex);
        }
        finally
        {
            depth--;
            cancellation = savedToken;
            if (outermost && outOfMemory) CollectAfterMemoryError();
        }
    }

    private void CollectAfterMemoryError()
    {
        // The failed script's garbage would make the next call fail too.
        try { L.FullCollect(); } catch (LuaRuntimeException) { }
    }

    private LuaException Translate(LuaRuntimeException ex)
    {
        string message = ex.Message;
        hostExceptions.TryGetValue(message, out Exception? inner);
        LuaValue? value = null;
        try { value = ToHost(ex.Value); } catch (LuaRuntimeException) { }
        return new LuaException(message, ex.LuaTraceback, value, inner);
    }

    internal void RecordHostException(string luaMessage, Exception ex) => hostExceptions[luaMessage] = ex;

    private void ResetInterruptInterval()
    {
        L.InterruptInterval = baseInterruptInterval;
        L.interruptCountdown = baseInterruptInterval;
        L.Shared->NativeCountdown = baseInterruptInterval;
    }

    private void OnInterrupt(LuaState state)
    {
        instructions += state.InterruptInterval;
        if (cancellation.IsCancellationRequested)
        {
            StopAtEveryTick(state);
            throw state.RuntimeError("script cancelled");
        }
        if (instructionLimit is long limit && instructions > limit)
        {
            StopAtEveryTick(state);
            throw state.RuntimeError("instruction limit exceeded");
        }
    }

    /// <summary>pcall can catch the error, so from now on every call and back-edge raises it
    /// again: each enclosing pcall loop fails at its next step until the error escapes.</summary>
    private static void StopAtEveryTick(LuaState state)
    {
        state.InterruptInterval = 1;
        state.interruptCountdown = 1;
        state.Shared->NativeCountdown = 1;
    }

    // ------------------------------------------------------------------ anchors

    internal LuaReference NewAnchor(in Value v)
    {
        int id = freeAnchorIds.Count > 0 ? freeAnchorIds.Pop() : ++nextAnchorId;
        TableOps.SetInt(L, anchors, id, v);
        return new LuaReference(this, id, (nint)v.P);
    }

    internal Value Deref(LuaReference r)
    {
        if (r.IsReleased) throw new ObjectDisposedException("Lua handle");
        if (!ReferenceEquals(r.Engine, this)) throw new ArgumentException("the handle belongs to another engine");
        Enter();
        return *TableOps.GetInt(anchors, r.Id);
    }

    internal void ReleaseAnchor(int id)
    {
        if (disposed) return;
        TableOps.SetInt(L, anchors, id, default);
        freeAnchorIds.Push(id);
    }

    internal void EnqueueRelease(int id)
    {
        if (!disposed) releaseQueue.Enqueue(id);
    }

    // ------------------------------------------------------------------ handle operations

    internal LuaValue[] CallReference(LuaReference f, LuaValue[] args) =>
        Guard(() =>
        {
            var luaArgs = new Value[args.Length];
            for (int i = 0; i < args.Length; i++) luaArgs[i] = ToLua(args[i]);
            return ToHost(L.CallFunction(Deref(f), luaArgs));
        });

    internal LuaValue TableGet(LuaReference t, LuaValue key) =>
        Guard(() =>
        {
            Value tv = Deref(t);
            Value k = ToLua(key);
            if (L.GetMetatable(tv) == null) return ToHost(*TableOps.Get(tv.AsTable, NormalizeKey(k)));
            Value[] r = L.CallFunction(indexHelper, tv, k);
            return r.Length > 0 ? ToHost(r[0]) : LuaValue.Nil;
        });

    internal void TableSet(LuaReference t, LuaValue key, LuaValue value) =>
        Guard(() =>
        {
            Value tv = Deref(t);
            Value k = ToLua(key);
            Value v = ToLua(value);
            if (L.GetMetatable(tv) == null)
            {
                if (k.Tag == Tag.Nil) throw new ArgumentException("table index is nil", nameof(key));
                if (k.Tag == Tag.Float && double.IsNaN(k.D)) throw new ArgumentException("table index is NaN", nameof(key));
                TableOps.Set(L, tv.AsTable, NormalizeKey(k), v);
            }
            else L.CallFunction(setIndexHelper, tv, k, v);
            return 0;
        });

    internal long TableLength(LuaReference t) => Guard(() => TableOps.Length(Deref(t).AsTable));

    internal List<KeyValuePair<LuaValue, LuaValue>> TableSnapshot(LuaReference t) =>
        Guard(() =>
        {
            RawTable* table = Deref(t).AsTable;
            var raw = new List<(Value, Value)>();
            Value k = default;
            while (TableOps.Next(L, table, ref k, out Value v)) raw.Add((k, v));
            var result = new List<KeyValuePair<LuaValue, LuaValue>>(raw.Count);
            foreach ((Value key, Value value) in raw) result.Add(new(ToHost(key), ToHost(value)));
            return result;
        });

    private static Value NormalizeKey(Value k)
    {
        if (k.Tag == Tag.Float && Numbers.FloatToInteger(k.D, out long i)) return Value.Int(i);
        return k;
    }

    // ------------------------------------------------------------------ value conversion

    internal LuaValue ToHost(in Value v) => v.Tag switch
    {
        Tag.Nil => LuaValue.Nil,
        Tag.Boolean => LuaValue.FromBoolean(v.I != 0),
        Tag.Integer => LuaValue.FromInteger(v.I),
        Tag.Float => LuaValue.FromFloat(v.D),
        Tag.String => LuaValue.FromString(Encoding.UTF8.GetString(LuaString.Span(v.AsString))),
        Tag.Table => LuaValue.FromTable(new LuaTable(NewAnchor(v))),
        Tag.LuaFunction or Tag.HostFunction => LuaValue.FromFunction(new LuaFunction(NewAnchor(v))),
        Tag.Thread => LuaValue.FromOpaque(LuaValueType.Thread, NewAnchor(v)),
        Tag.Userdata when HostObjectOf(v) is { } target => LuaValue.FromObject(target),
        _ => LuaValue.FromOpaque(LuaValueType.Userdata, NewAnchor(v)),
    };

    internal LuaValue[] ToHost(Value[] values)
    {
        var result = new LuaValue[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = ToHost(values[i]);
        return result;
    }

    internal Value ToLua(in LuaValue v) => v.Type switch
    {
        LuaValueType.Nil => default,
        LuaValueType.Boolean => Value.Bool(v.Bits != 0),
        LuaValueType.Integer => Value.Int(v.Bits),
        LuaValueType.Float => Value.Float(BitConverter.Int64BitsToDouble(v.Bits)),
        LuaValueType.String => L.StringValue((string)v.Object!),
        LuaValueType.Userdata when v.Object is not IHandle => WrapHostObject(v.Object!),
        _ => Deref(((IHandle)v.Object!).Anchor),
    };

    internal LuaState State => L;
}
