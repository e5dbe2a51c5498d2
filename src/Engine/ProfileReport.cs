namespace Tiered;

/// <summary>What the native tier knows about one function.</summary>
/// <param name="Name">"chunk:line" of the function's definition.</param>
/// <param name="Tier">Interpreted, Queued, Compiling, Native or Failed.</param>
public sealed record FunctionProfile(
    string Name, string Chunk, int Line, long Calls, long BackEdges, string Tier, double CompileMs, int Deopts);

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
}
