using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Tiered.NativeCache;
using Tiered.Tiering.Llvm;

namespace Tiered.Tiering;

// The bridge to the native cache: when a chunk loads, its functions are matched by key with
// the module's cache entries and made native at once (object code linked, no LLVM compile),
// or, for counts-only entries, get the calls and back-edges of earlier runs back (warm-up is
// cumulative). At exit the functions compiled in this run are saved with their profile and
// feedback, and the functions counted but not compiled with their counts; in a long run the
// compiler thread also saves new compilations every CacheSaveIntervalSeconds.
public sealed unsafe partial class NativeTier
{
    private NativeCacheStore? store;
    private readonly Lock storeGate = new();
    private string? cacheDirectory;
    public long CacheHits, CacheMisses, CacheCountsRestored, CachePeriodicSaves;
    public double CacheLoadMs;
    public List<string> CacheRejections { get; } = new();

    // Every function of every chunk loaded while the cache is on (main thread only): their
    // counts are saved at exit. Freed ones leave their counts in freedCounts.
    private readonly Dictionary<nint, CountedFunction> counted = new();
    private readonly List<(CountedFunction Function, long Calls, long BackEdges, byte[] Feedback)> freedCounts = new();

    private sealed class CountedFunction(FunctionProto info, string module)
    {
        public FunctionProto Info { get; } = info;
        public string Module { get; } = module;
        public byte[]? Key;
        /// <summary>Calls plus back-edges restored from the cache at load (0 if none).</summary>
        public long RestoredEvents;
        /// <summary>A compilation that counts of earlier runs asked for was still queued or
        /// running when a run ended, and was dropped (NativeTier.NotHotAtExit): saved with the
        /// counts, so that later runs compile the function only once it gets hot in the run
        /// itself.</summary>
        public bool WarmDropped;
    }

    // Compiled since the last periodic save (written by the compiler thread).
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Module, CacheEntry Entry)> unsaved = new();
    private double lastPeriodicSaveMs;

    /// <summary>Turns the native cache on (directory null = per-user default / TIERED_CACHE_DIR).</summary>
    public void EnableCache(string? directory)
    {
        if (cacheDirectory != null) return;
        cacheDirectory = new NativeCacheOptions { Directory = directory, Header = PlaceholderHeader }.ResolveDirectory();
        L.ChunkLoaded += OnChunkLoaded;
        L.ProtoFreed += OnCountedProtoFreed;
    }

    private static readonly CacheHeader PlaceholderHeader = new()
    {
        EngineBuildId = "", AbiVersion = 0, LlvmVersion = "", TargetTriple = "", CpuName = "", CpuFeatureHash = "", Pipeline = "",
    };

    /// <summary>The store, opened on first need: it needs LLVM (for the header), which a run
    /// with nothing cached and nothing hot never loads.</summary>
    private NativeCacheStore? Store()
    {
        lock (storeGate) return OpenStore();
    }

    private NativeCacheStore? OpenStore()
    {
        if (store != null || cacheDirectory == null) return store;
        store = OpenCacheStore(cacheDirectory, logger, Thresholds.Pipeline);
        return store;
    }

    /// <summary>A store with the header this engine build writes and accepts (for maintenance
    /// tools and tests). Needs no LLVM (see HostFingerprint).</summary>
    /// <param name="directory">Null: the per-user default (TIERED_CACHE_DIR, XDG_CACHE_HOME, ~/.cache).</param>
    /// <param name="pipeline">Null: the default pipeline (TIERED_PIPELINE or the built-in one).</param>
    public static NativeCacheStore? OpenCacheStore(string? directory, ILogger? logger = null, string? pipeline = null)
    {
        CacheHeader? header = CurrentCacheHeader(pipeline ?? new TierThresholds().Pipeline);
        return header == null ? null : new NativeCacheStore(new NativeCacheOptions { Directory = directory, Header = header }, logger);
    }

    /// <summary>
    /// The header this build writes and accepts: engine build, ABI, LLVM version, target and
    /// CPU, and the LLVM pass pipeline, all known without loading LLVM (see HostFingerprint).
    /// </summary>
    public static CacheHeader? CurrentCacheHeader(string pipeline)
    {
        return new CacheHeader
        {
            EngineBuildId = typeof(NativeTier).Assembly.ManifestModule.ModuleVersionId.ToString("N")
                + typeof(LuaState).Assembly.ManifestModule.ModuleVersionId.ToString("N"),
            AbiVersion = FunctionKey.CodegenVersion,
            LlvmVersion = HostFingerprint.LlvmIdentity,
            TargetTriple = HostFingerprint.Triple,
            CpuName = HostFingerprint.CpuName,
            CpuFeatureHash = HostFingerprint.CpuFeatureHash,
            Pipeline = pipeline,
        };
    }

    private static string ModuleName(FunctionProto main) =>
        main.Source.StartsWith('@') ? "@" + Path.GetFullPath(main.Source[1..]) : main.Source;

    private void OnChunkLoaded(LuaState state, nint protoPtr, FunctionProto main)
    {
        if (disabled || cacheDirectory == null) return;
        string module = ModuleName(main);
        Track((Proto*)protoPtr, main, module);
        // Nothing to do when this module has no cache file.
        if (Volatile.Read(ref store) == null && !File.Exists(Path.Combine(cacheDirectory, CacheFileFormat.FileNameFor(module)))) return;
        var sw = Stopwatch.StartNew();
        try
        {
            NativeCacheStore? s = Store();
            if (s == null) return;
            double storeMs = sw.Elapsed.TotalMilliseconds;
            CacheModule cm = s.Open(module);
            double openMs = sw.Elapsed.TotalMilliseconds;
            foreach (CacheRejection r in cm.Rejections) CacheRejections.Add(r.Message);
            long hitsBefore = CacheHits;
            LoadTree(cm, (Proto*)protoPtr, main);
            if (TraceCompiles)
                Console.Error.WriteLine($"[tiered] cache {Interpreter.Syntax.ChunkName.Display(main.Source)}: store ready {storeMs:F1} ms, "
                    + $"file read {openMs - storeMs:F1} ms, {CacheHits - hitsBefore} of {cm.Count} entries linked in {sw.Elapsed.TotalMilliseconds - openMs:F1} ms");
        }
        catch (Exception ex)
        {
            CacheRejections.Add("cache unusable: " + ex.Message);
            logger.LogWarning("native cache not used for {Module}: {Reason}", module, ex.Message);
        }
        finally { CacheLoadMs += sw.Elapsed.TotalMilliseconds; }
    }

    private void LoadTree(CacheModule cm, Proto* p, FunctionProto info)
    {
        byte[] key = FunctionKey.Compute(info);
        if (counted.TryGetValue((nint)p, out CountedFunction? cf)) cf.Key = key;
        if (cm.TryGet(key, out CacheEntry? entry) && !entry.HasObjectCode)
        {
            RestoreCounts(p, entry, cf);
        }
        else if (entry != null)
        {
            PerfMap.Label(entry.SymbolName, $"{info.Source}:{info.LineDefined}");
            nint address = LinkedCode.Link(entry.SymbolName, entry.ObjectCode, out string? error);
            if (address != 0)
            {
                FunctionRecord rec = RecordFor(p);
                rec.Key = key;
                rec.FromCache = true;
                rec.State = FunctionTier.Native;
                rec.NativeSinceMs = ElapsedMs;
                rec.Symbol = entry.SymbolName;
                rec.Compilations = 0;
                if (entry.Feedback.Length == p->CodeSize)
                {
                    entry.Feedback.AsSpan().CopyTo(new Span<byte>(p->Feedback, p->CodeSize));
                    rec.SavedFeedback = entry.Feedback;   // what the code was compiled from (its resume entries)
                }
                p->NativeStamp = FunctionKey.Stamp(entry.SymbolName);
                p->NativeEntry = (void*)address;
                p->HotCountdown = int.MaxValue;
                CacheHits++;
                if (entry.SymbolName.EndsWith(FunctionKey.QuickSuffix, StringComparison.Ordinal)) UpgradeCached(rec, p, key, entry);
            }
            else
            {
                cm.Remove(key);
                CacheRejections.Add($"{Describe(info)}: cached object did not link ({error}); it will be recompiled");
                logger.LogWarning("cached code for {Function} did not link: {Error}", Describe(info), error);
            }
        }
        for (int i = 0; i < info.Protos.Length && i < p->ChildCount; i++) LoadTree(cm, p->Children[i], info.Protos[i]);
    }

    /// <summary>A cached quick compilation (no run has found it hot enough in its quick code
    /// yet): its optimising compilation waits, as after a quick compilation, for the code to
    /// get hot (OnTick), with the feedback and kind the code was compiled from (the variant
    /// whose quick symbol this is).</summary>
    private void UpgradeCached(FunctionRecord rec, Proto* p, byte[] key, CacheEntry entry)
    {
        if (Mode != JitMode.Adaptive || !Thresholds.CompileInBackground) return;
        foreach (bool generic in (ReadOnlySpan<bool>)[false, true])
        {
            if (FunctionKey.SymbolName(key, entry.Feedback, generic) + FunctionKey.QuickSuffix != entry.SymbolName) continue;
            rec.ObjectCode = entry.ObjectCode;   // saved again with the upgrade, or as it is
            ListPendingUpgrade(rec, (nint)p, new CompileJob(rec, (nint)p, rec.Info, entry.Feedback, generic, Upgrade: entry.SymbolName));
            return;
        }
    }

    /// <summary>Registers the functions of a loaded chunk for the counts saved at exit.</summary>
    private void Track(Proto* p, FunctionProto info, string module)
    {
        counted[(nint)p] = new CountedFunction(info, module);
        for (int i = 0; i < info.Protos.Length && i < p->ChildCount; i++) Track(p->Children[i], info.Protos[i], module);
    }

    /// <summary>A counts-only entry: the function carries on counting from where earlier runs left off.</summary>
    private void RestoreCounts(Proto* p, CacheEntry entry, CountedFunction? cf)
    {
        if (entry.Profile.Length < 16) return;   // not ours to interpret: it stays cold
        long calls = Math.Clamp(BitConverter.ToInt64(entry.Profile, 0), 0, int.MaxValue);
        long backEdges = Math.Clamp(BitConverter.ToInt64(entry.Profile, 8), 0, int.MaxValue);
        bool warmDropped = entry.Profile.Length >= 24 && (BitConverter.ToInt64(entry.Profile, 16) & ProfileWarmDropped) != 0;
        p->CallCount = (int)calls;
        p->BackEdgeCount = (int)backEdges;
        if (entry.Feedback.Length == p->CodeSize)
            entry.Feedback.AsSpan().CopyTo(new Span<byte>(p->Feedback, p->CodeSize));
        // At least one more event, so tier-up happens at a call or back-edge as usual; at the
        // first one when earlier runs came halfway to the threshold (WarmCompileMinimum). Not
        // sooner than in a first run once such a compilation was dropped at a run's end: runs
        // are shorter than it, and gain little from code for a function that is not hot in them.
        if (p->HotCountdown != int.MaxValue && !warmDropped)
            p->HotCountdown = calls + backEdges >= Thresholds.WarmCompileMinimum
                ? 1 : (int)Math.Max(1, p->HotCountdown - (calls + backEdges));
        if (cf != null)
        {
            cf.RestoredEvents = calls + backEdges;
            cf.WarmDropped = warmDropped;
        }
        CacheCountsRestored++;
    }

    private void OnCountedProtoFreed(nint proto)
    {
        if (!counted.Remove(proto, out CountedFunction? cf)) return;
        var p = (Proto*)proto;
        if (p->CallCount + (long)p->BackEdgeCount >= Thresholds.WarmCountMinimum && p->CallCount + (long)p->BackEdgeCount > cf.RestoredEvents)
            freedCounts.Add((cf, p->CallCount, p->BackEdgeCount, new ReadOnlySpan<byte>(p->Feedback, p->CodeSize).ToArray()));
    }

    /// <summary>Flag bit of the profile's third word (see CountedFunction.WarmDropped).</summary>
    private const long ProfileWarmDropped = 1;

    /// <summary>The profile blob: calls and back-edges, then a word of flags when any is set
    /// (readers of the 16-byte form ignore it).</summary>
    private static byte[] EncodeProfile(long calls, long backEdges, bool warmDropped = false)
    {
        var profile = new byte[warmDropped ? 24 : 16];
        BitConverter.TryWriteBytes(profile.AsSpan(0, 8), calls);
        BitConverter.TryWriteBytes(profile.AsSpan(8, 8), backEdges);
        if (warmDropped) BitConverter.TryWriteBytes(profile.AsSpan(16, 8), ProfileWarmDropped);
        return profile;
    }

    /// <summary>Whether p's own calls and back-edges in this run (not those restored from
    /// earlier runs) reached the hot threshold. Main thread only.</summary>
    private bool RanHot(Proto* p)
    {
        long events = p->CallCount + (long)p->BackEdgeCount;
        if (counted.TryGetValue((nint)p, out CountedFunction? cf)) events -= cf.RestoredEvents;
        return events >= Thresholds.HotThreshold;
    }

    /// <summary>Called by the compiler thread after a compilation: saves what was compiled since
    /// the last save once <see cref="TierThresholds.CacheSaveIntervalSeconds"/> have passed.</summary>
    private void SavePeriodically()
    {
        if (unsaved.IsEmpty || ElapsedMs - lastPeriodicSaveMs < Thresholds.CacheSaveIntervalSeconds * 1000) return;
        lastPeriodicSaveMs = ElapsedMs;
        try
        {
            NativeCacheStore? s = Store();
            if (s == null) return;
            var modules = new HashSet<CacheModule>();
            while (unsaved.TryDequeue(out var item))
            {
                CacheModule cm = s.Open(item.Module);
                cm.Put(item.Entry);
                modules.Add(cm);
            }
            foreach (CacheModule cm in modules) cm.Save();
            CachePeriodicSaves++;
        }
        catch (Exception ex)
        {
            logger.LogWarning("could not save the native cache: {Reason}", ex.Message);
        }
    }

    /// <summary>Saves what this run compiled, and the counts of functions that stayed in the
    /// interpreter (called at exit, after the compiler thread stopped).</summary>
    public void SaveCache()
    {
        if (cacheDirectory == null) return;
        try
        {
            var puts = new List<(string Module, CacheEntry Entry)>();
            foreach (FunctionRecord rec in records.Values)
            {
                if (rec.ObjectCode == null || rec.Key == null || rec.Symbol == null) continue;
                puts.Add((ModuleName(rec.Info), new CacheEntry(rec.Key, rec.Symbol, rec.ObjectCode, EncodeProfile(rec.Calls, rec.BackEdges), rec.SavedFeedback)));
            }
            foreach ((nint proto, CountedFunction cf) in counted)
            {
                var p = (Proto*)proto;
                long events = p->CallCount + (long)p->BackEdgeCount;
                if (events < Thresholds.WarmCountMinimum || events <= cf.RestoredEvents || !StayedInInterpreter(cf.Info)) continue;
                cf.Key ??= FunctionKey.Compute(cf.Info);
                puts.Add((cf.Module, new CacheEntry(cf.Key, "", [], EncodeProfile(p->CallCount, p->BackEdgeCount, cf.WarmDropped),
                                                    new ReadOnlySpan<byte>(p->Feedback, p->CodeSize).ToArray())));
            }
            foreach (var (cf, calls, backEdges, feedback) in freedCounts)
            {
                if (!StayedInInterpreter(cf.Info)) continue;
                cf.Key ??= FunctionKey.Compute(cf.Info);
                puts.Add((cf.Module, new CacheEntry(cf.Key, "", [], EncodeProfile(calls, backEdges, cf.WarmDropped), feedback)));
            }
            if (puts.Count == 0) return;
            NativeCacheStore? s = Store();
            if (s == null) return;
            foreach ((string module, CacheEntry entry) in puts) s.Open(module).Put(entry);
            s.SaveAll();
        }
        catch (Exception ex)
        {
            logger.LogWarning("could not save the native cache: {Reason}", ex.Message);
        }
    }

    /// <summary>Neither compiled, nor loaded from the cache, nor failed in this run (a function
    /// still queued at exit counts too: the next run compiles it at its first call).</summary>
    private bool StayedInInterpreter(FunctionProto info) =>
        !records.TryGetValue(info, out FunctionRecord? rec)
        || rec.State is FunctionTier.Interpreted or FunctionTier.Queued or FunctionTier.Compiling && !rec.FromCache && rec.ObjectCode == null;
}
