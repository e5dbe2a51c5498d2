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
// the module's cache entries and made native at once (object code linked, no LLVM compile);
// at exit the functions compiled in this run are saved with their profile and feedback.
public sealed unsafe partial class NativeTier
{
    private NativeCacheStore? store;
    private string? cacheDirectory;
    public long CacheHits, CacheMisses;
    public double CacheLoadMs;
    public List<string> CacheRejections { get; } = new();

    /// <summary>Turns the native cache on (directory null = per-user default / TIERED_CACHE_DIR).</summary>
    public void EnableCache(string? directory)
    {
        cacheDirectory = new NativeCacheOptions { Directory = directory, Header = PlaceholderHeader }.ResolveDirectory();
        L.ChunkLoaded += OnChunkLoaded;
    }

    private static readonly CacheHeader PlaceholderHeader = new()
    {
        EngineBuildId = "", AbiVersion = 0, LlvmVersion = "", TargetTriple = "", CpuName = "", CpuFeatureHash = "", Pipeline = "",
    };

    /// <summary>The store, opened on first need: it needs LLVM (for the header), which a run
    /// with nothing cached and nothing hot never loads.</summary>
    private NativeCacheStore? Store()
    {
        if (store != null || cacheDirectory == null) return store;
        CacheHeader? header = CurrentCacheHeader(Thresholds.Pipeline);
        if (header == null) return null;
        store = new NativeCacheStore(new NativeCacheOptions { Directory = cacheDirectory, Header = header }, logger);
        return store;
    }

    /// <summary>
    /// The header this build writes and accepts: engine build, ABI, LLVM version, target and
    /// CPU, and the LLVM pass pipeline. Null when libLLVM cannot be loaded (the target is then unknown).
    /// </summary>
    public static CacheHeader? CurrentCacheHeader(string pipeline)
    {
        if (!JitHost.TryGet(out _, out _)) return null;
        LlvmTargetMachine tm = JitHost.HostMachine;
        return new CacheHeader
        {
            EngineBuildId = typeof(NativeTier).Assembly.ManifestModule.ModuleVersionId.ToString("N")
                + typeof(LuaState).Assembly.ManifestModule.ModuleVersionId.ToString("N"),
            AbiVersion = FunctionKey.CodegenVersion,
            LlvmVersion = LlvmLibrary.VersionString ?? "?",
            TargetTriple = tm.Triple,
            CpuName = tm.CpuName,
            CpuFeatureHash = CacheHeader.HashCpuFeatures(tm.CpuFeatures),
            Pipeline = pipeline,
        };
    }

    private static string ModuleName(FunctionProto main) =>
        main.Source.StartsWith('@') ? "@" + Path.GetFullPath(main.Source[1..]) : main.Source;

    private void OnChunkLoaded(LuaState state, nint protoPtr, FunctionProto main)
    {
        if (disabled || cacheDirectory == null) return;
        string module = ModuleName(main);
        // Only load LLVM when this module has a cache file at all.
        if (store == null && !File.Exists(Path.Combine(cacheDirectory, CacheFileFormat.FileNameFor(module)))) return;
        var sw = Stopwatch.StartNew();
        try
        {
            NativeCacheStore? s = Store();
            if (s == null || !JitHost.TryGet(out JitHost? host, out _)) return;
            CacheModule cm = s.Open(module);
            foreach (CacheRejection r in cm.Rejections) CacheRejections.Add(r.Message);
            LoadTree(host!, cm, (Proto*)protoPtr, main);
        }
        catch (Exception ex)
        {
            CacheRejections.Add("cache unusable: " + ex.Message);
            logger.LogWarning("native cache not used for {Module}: {Reason}", module, ex.Message);
        }
        finally { CacheLoadMs += sw.Elapsed.TotalMilliseconds; }
    }

    private void LoadTree(JitHost host, CacheModule cm, Proto* p, FunctionProto info)
    {
        byte[] key = FunctionKey.Compute(info);
        if (cm.TryGet(key, out CacheEntry? entry))
        {
            nint address = host.LoadObject(entry.SymbolName, entry.ObjectCode, out string? error);
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
                    entry.Feedback.AsSpan().CopyTo(new Span<byte>(p->Feedback, p->CodeSize));
                p->NativeEntry = (void*)address;
                p->HotCountdown = int.MaxValue;
                CacheHits++;
            }
            else
            {
                cm.Remove(key);
                CacheRejections.Add($"{Describe(info)}: cached object did not link ({error}); it will be recompiled");
                logger.LogWarning("cached code for {Function} did not link: {Error}", Describe(info), error);
            }
        }
        for (int i = 0; i < info.Protos.Length && i < p->ChildCount; i++) LoadTree(host, cm, p->Children[i], info.Protos[i]);
    }

    /// <summary>Saves what this run compiled (called at exit, after the compiler thread stopped).</summary>
    public void SaveCache()
    {
        if (cacheDirectory == null) return;
        try
        {
            NativeCacheStore? s = null;
            foreach (FunctionRecord rec in records.Values)
            {
                if (rec.ObjectCode == null || rec.Key == null || rec.Symbol == null) continue;
                s ??= Store();
                if (s == null) return;
                FunctionProto main = rec.Info;
                CacheModule cm = s.Open(ModuleName(main));
                var profile = new byte[16];
                BitConverter.TryWriteBytes(profile.AsSpan(0, 8), rec.Calls);
                BitConverter.TryWriteBytes(profile.AsSpan(8, 8), rec.BackEdges);
                cm.Put(new CacheEntry(rec.Key, rec.Symbol, rec.ObjectCode, profile, rec.SavedFeedback));
            }
            s?.SaveAll();
        }
        catch (Exception ex)
        {
            logger.LogWarning("could not save the native cache: {Reason}", ex.Message);
        }
    }
}
