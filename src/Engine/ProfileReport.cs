namespace Tiered;

/// <summary>What the native tier knows about one function.</summary>
/// <param name="Name">"chunk:line" of the function's definition.</param>
/// <param name="Tier">Interpreted, Queued, Compiling, Native or Failed.</param>
public sealed record FunctionProfile(
    string Name, string Chunk, int Line, long Calls, long BackEdges, string Tier, double CompileMs, int Deopts)
{
    /// <summary>Its native code was loaded from the native cache (no LLVM compile in this engine).</summary>
    public bool FromCache { get; init; }
}

/// <summary>A snapshot of the native tier's counters (empty when the JIT is off).</summary>
public sealed record ProfileReport(
    IReadOnlyList<FunctionProfile> Functions,
    long TotalCalls,
    long TotalBackEdges,
    int NativeFunctions,
    double TotalCompileMs,
    int TotalDeopts)
{
    public static ProfileReport Empty { get; } = new([], 0, 0, 0, 0, 0);

    /// <summary>Functions LLVM compiled in this engine (cache hits are not compiled).</summary>
    public long LlvmCompilations { get; init; }
    /// <summary>Functions made native from the native cache when their chunk loaded.</summary>
    public long CacheHits { get; init; }
    /// <summary>Functions that got earlier runs' call and back-edge counts back from the cache.</summary>
    public long CacheCountsRestored { get; init; }
}
