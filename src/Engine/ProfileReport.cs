using Tiered.Reporting;

namespace Tiered;

/// <summary>What the native tier knows about one function.</summary>
/// <param name="Name">"chunk:line" of the function's definition.</param>
/// <param name="Tier">Interpreted, Queued, Compiling, Native or Failed.</param>
/// <param name="Deopts">How many times its native code gave a frame back to the interpreter.</param>
public sealed record FunctionProfile(
    string Name, string Chunk, int Line, long Calls, long BackEdges, string Tier, double CompileMs, int Deopts)
{
    /// <summary>When its first native code was published (ms since the engine started), or null.</summary>
    public double? NativeSinceMs { get; init; }
    /// <summary>Its native code was loaded from the native cache (no LLVM work this run).</summary>
    public bool FromCache { get; init; }
    /// <summary>LLVM compilations of this function (recompilations after deopts count again).</summary>
    public int Compilations { get; init; }
    /// <summary>Why it could not be compiled (Tier is Failed), else null.</summary>
    public string? Failure { get; init; }
    /// <summary>Each deopt site: reason, pc, source line and count.</summary>
    public IReadOnlyList<DeoptEntry> DeoptSites { get; init; } = [];
}

/// <summary>A snapshot of the native tier's counters (empty when the JIT is off). The same
/// data as the CLI's <c>--profile</c> file; <see cref="Data"/> holds it in that file's shape,
/// and the To* methods render it as the CLI does.</summary>
public sealed record ProfileReport(
    IReadOnlyList<FunctionProfile> Functions,
    long TotalCalls,
    long TotalBackEdges,
    int NativeFunctions,
    double TotalCompileMs,
    int TotalDeopts)
{
    public static ProfileReport Empty { get; } = FromData(RunProfile.Empty("off", 0));

    /// <summary>The profile in the shape of the JSON file (schema tiered-profile/1).</summary>
    public RunProfile Data { get; init; } = RunProfile.Empty("off", 0);

    /// <summary>Ms since the engine started when the snapshot was taken (for a loaded
    /// file: the run time it records).</summary>
    public double WallMs => Data.Summary.WallMs;
    public long LlvmCompilations => Data.Summary.LlvmCompilations;
    public long CacheHits => Data.Summary.CacheHits;
    public long CacheMisses => Data.Summary.CacheMisses;
    /// <summary>Functions that got earlier runs' call and back-edge counts back from the cache.</summary>
    public long CacheCountsRestored => Data.Summary.CacheCountsRestored;
    /// <summary>Why cache files or entries were ignored, one message each.</summary>
    public IReadOnlyList<string> CacheRejections => Data.Summary.CacheRejected;
    public double CacheLoadMs => Data.Summary.CacheLoadMs;

    /// <summary>The text report (what <c>tiered run --report</c> prints).</summary>
    public string ToText(int top = TextReport.DefaultTop) => TextReport.Render(Data, top);
    /// <summary>The self-contained HTML page (what <c>tiered report --format html</c> writes).</summary>
    public string ToHtml() => HtmlReport.Render(Data);
    /// <summary>The JSON document of <c>tiered run --profile</c>.</summary>
    public string ToJson() => Data.ToJson();

    /// <summary>Reads a profile file written by <c>tiered run --profile</c> or <see cref="ToJson"/>.</summary>
    /// <exception cref="ProfileFormatException">Unreadable or not a tiered profile.</exception>
    public static ProfileReport Load(string path) => FromData(RunProfile.Load(path));

    public static ProfileReport FromData(RunProfile data)
    {
        var functions = data.Functions
            .OrderByDescending(f => f.Heat)
            .Select(f => new FunctionProfile($"{f.Chunk}:{f.Line}", f.Chunk, f.Line, f.Calls, f.BackEdges,
                StateName(f.State), f.CompileMs, f.Deopts.Sum(d => d.Count))
            {
                NativeSinceMs = f.NativeSinceMs,
                FromCache = f.FromCache,
                Compilations = f.Compilations,
                Failure = f.Failure,
                DeoptSites = f.Deopts,
            })
            .ToList();
        return new ProfileReport(functions,
            functions.Sum(f => f.Calls), functions.Sum(f => f.BackEdges),
            functions.Count(f => f.Tier == "Native"),
            functions.Sum(f => f.CompileMs), functions.Sum(f => f.Deopts))
        {
            Data = data,
        };
    }

    /// <summary>"native" in the file is "Native" here, as the tier's enum names it.</summary>
    private static string StateName(string state) =>
        state.Length == 0 ? state : char.ToUpperInvariant(state[0]) + state[1..];
}
