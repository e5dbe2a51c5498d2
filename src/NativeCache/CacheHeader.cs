using System.Security.Cryptography;
using System.Text;

namespace Tiered.NativeCache;

/// <summary>
/// What every entry of a cache file was produced for. The store compares the header of a
/// file with the current one field by field: any difference means the file's code may not
/// fit this process, so the whole file is treated as empty and rebuilt by the next save.
/// The store gives the fields no meaning; the engine fills them in. The layout version of
/// the file itself is the store's own (<see cref="CacheFileFormat.Version"/>), not a field here.
/// </summary>
public sealed record CacheHeader
{
    /// <summary>Identifies the engine build (e.g. an informational version plus commit).</summary>
    public required string EngineBuildId { get; init; }
    /// <summary>Value layout, tags, helper names and signatures, exit codes.</summary>
    public required int AbiVersion { get; init; }
    /// <summary>The LLVM version string the code was generated with.</summary>
    public required string LlvmVersion { get; init; }
    public required string TargetTriple { get; init; }
    public required string CpuName { get; init; }
    /// <summary>A hash of the CPU feature string (see <see cref="HashCpuFeatures"/>).</summary>
    public required string CpuFeatureHash { get; init; }
    /// <summary>The optimisation pipeline, e.g. <c>default&lt;O2&gt;</c>.</summary>
    public required string Pipeline { get; init; }

    /// <summary>A short stable hash of an LLVM feature string, for <see cref="CpuFeatureHash"/>.</summary>
    public static string HashCpuFeatures(string features)
        => Convert.ToHexStringLower(Sha256.Hash(Encoding.UTF8.GetBytes(features)).AsSpan(0, 16));

    /// <summary>
    /// The first field in which <paramref name="file"/> differs from this header, as
    /// "Field: 'file value' in the file, 'current value' now"; null when they are equal.
    /// </summary>
    public string? DescribeMismatch(CacheHeader file)
    {
        static string? Compare(string field, string inFile, string now)
            => string.Equals(inFile, now, StringComparison.Ordinal) ? null : $"{field}: '{inFile}' in the file, '{now}' now";

        return Compare(nameof(EngineBuildId), file.EngineBuildId, EngineBuildId)
            ?? Compare(nameof(AbiVersion), file.AbiVersion.ToString(), AbiVersion.ToString())
            ?? Compare(nameof(LlvmVersion), file.LlvmVersion, LlvmVersion)
            ?? Compare(nameof(TargetTriple), file.TargetTriple, TargetTriple)
            ?? Compare(nameof(CpuName), file.CpuName, CpuName)
            ?? Compare(nameof(CpuFeatureHash), file.CpuFeatureHash, CpuFeatureHash)
            ?? Compare(nameof(Pipeline), file.Pipeline, Pipeline);
    }
}
