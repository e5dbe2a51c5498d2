using System.Text.Json;
using System.Text.Json.Serialization;
using Tiered.Interpreter.Syntax;
using Tiered.Tiering;

namespace Tiered.Reporting;

/// <summary>
/// One run's tiering profile: what the CLI writes with <c>--profile</c>, what
/// <c>tiered report</c> reads back, and what hosts get from <c>LuaEngine.GetProfile()</c>.
/// The JSON form is schema "tiered-profile/1" (docs/profile-schema.md); this type is its only
/// definition, so the writer and the reader cannot drift apart.
/// </summary>
public sealed record RunProfile
{
    // Reference-typed properties coalesce null to their default: the source-generated reader
    // passes null for a property the file omits, and the renderers rely on non-null values.
    public const string SchemaId = "tiered-profile/1";

    // A file without "schema" reads as "" and is refused; new profiles get the current id.
    public string Schema { get; init => field = value ?? ""; } = SchemaId;
    public ProfileSummary Summary { get; init => field = value ?? new(); } = new();
    /// <summary>Every function that reached the tier-up threshold, hottest first.</summary>
    public IReadOnlyList<FunctionEntry> Functions { get; init => field = value ?? []; } = [];

    /// <summary>A profile with no functions (the JIT was off or nothing got hot).</summary>
    public static RunProfile Empty(string jitMode, double wallMs, string? script = null) =>
        new() { Summary = new ProfileSummary { JitMode = jitMode, WallMs = Math.Round(wallMs, 3), Script = script } };

    /// <summary>Snapshots a live tier. Call on the thread that runs the Lua state (the
    /// counters are read from the prototypes).</summary>
    public static RunProfile FromTier(NativeTier tier, double wallMs, string? script = null)
    {
        tier.SnapshotCounters();
        var functions = tier.Functions
            .OrderByDescending(f => f.Calls + f.BackEdges)
            .Select(FromRecord)
            .ToList();
        return new RunProfile
        {
            Summary = new ProfileSummary
            {
                Script = script,
                JitMode = tier.Mode.ToString().ToLowerInvariant(),
                WallMs = Math.Round(wallMs, 3),
                LlvmCompilations = tier.LlvmCompilations,
                CompileMs = Math.Round(tier.TotalCompileMs, 3),
                Deopts = functions.Sum(f => f.Deopts.Sum(d => (long)d.Count)),
                FunctionsNative = functions.Count(f => f.State == "native"),
                FunctionsFailed = functions.Count(f => f.State == "failed"),
                CacheHits = tier.CacheHits,
                CacheMisses = tier.CacheMisses,
                CacheCountsRestored = tier.CacheCountsRestored,
                LlvmLoaded = Tiered.Tiering.Llvm.LlvmLibrary.IsLoaded,
                CachePeriodicSaves = tier.CachePeriodicSaves,
                CacheRejected = tier.CacheRejections.ToList(),
                CacheLoadMs = Math.Round(tier.CacheLoadMs, 3),
            },
            Functions = functions,
        };
    }

    private static FunctionEntry FromRecord(FunctionRecord f)
    {
        string chunk = ChunkName.Display(f.Info.Source);
        int[] lines = f.Info.LineInfo;
        return new FunctionEntry
        {
            Name = f.Info.LineDefined == 0 ? "main chunk" : $"function <{chunk}:{f.Info.LineDefined}>",
            Chunk = chunk,
            Line = f.Info.LineDefined,
            Calls = f.Calls,
            BackEdges = f.BackEdges,
            Tier = f.State == FunctionTier.Native ? "native" : "interpreter",
            State = f.State.ToString().ToLowerInvariant(),
            NativeSinceMs = f.NativeSinceMs is double since ? Math.Round(since, 3) : null,
            CompileMs = Math.Round(f.CompileMs, 3),
            Compilations = f.Compilations,
            Generic = f.Generic,
            Failure = f.FailureReason,
            FromCache = f.FromCache,
            Deopts = f.Deopts.OrderBy(d => d.Key.Pc).Select(d => new DeoptEntry
            {
                Reason = d.Key.Reason.ToString(),
                Description = DeoptReasons.Describe(d.Key.Reason),
                Pc = d.Key.Pc + 1,
                Line = d.Key.Pc < lines.Length ? lines[d.Key.Pc] : 0,
                Count = d.Value,
            }).ToList(),
        };
    }

    // ------------------------------------------------------------------ JSON

    // Function and chunk names are the user's text: keep non-ASCII readable in the file.
    private static readonly ProfileJsonContext Writer = new(new JsonSerializerOptions(ProfileJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public void WriteJson(Stream output) => JsonSerializer.Serialize(output, this, Writer.RunProfile);

    public string ToJson() => JsonSerializer.Serialize(this, Writer.RunProfile);

    /// <summary>Reads a profile file.</summary>
    /// <exception cref="ProfileFormatException">The file cannot be read or is not a
    /// tiered-profile/1 document; the message is one line naming the file and the problem.</exception>
    public static RunProfile Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ProfileFormatException($"cannot read {path}: {ex.Message}");
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses a profile document; <paramref name="origin"/> names it in errors.</summary>
    public static RunProfile Parse(ReadOnlySpan<byte> json, string origin = "profile")
    {
        RunProfile? profile;
        try { profile = JsonSerializer.Deserialize(json, ProfileJsonContext.Default.RunProfile); }
        catch (JsonException ex)
        {
            throw new ProfileFormatException($"{origin}: not a valid tiered profile: {Explain(ex)}");
        }
        if (profile == null) throw new ProfileFormatException($"{origin}: not a valid tiered profile: the document is null");
        if (profile.Schema.Length == 0)
            throw new ProfileFormatException($"{origin}: not a tiered profile (no \"schema\" property)");
        if (profile.Schema != SchemaId)
            throw new ProfileFormatException($"{origin}: unsupported profile schema '{profile.Schema}' (expected '{SchemaId}')");
        return profile;
    }

    /// <summary>The serializer's message, made one line and free of .NET type names, with
    /// where in the document it went wrong.</summary>
    private static string Explain(JsonException ex)
    {
        string message = ex.Message;
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            message = "a value has the wrong type";
        else if (message.Contains("doesn't allow null values", StringComparison.Ordinal))
            message = "a value is null";
        message = new string(message.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim().TrimEnd('.');
        string where = ex.Path is { Length: > 1 } path ? $" at {path}" : "";
        return ex.LineNumber is long line ? $"{message}{where} (line {line + 1})" : message + where;
    }
}

/// <summary>The run's totals.</summary>
public sealed record ProfileSummary
{
    /// <summary>The script that was run, when the writer knew it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Script { get; init; }
    public string JitMode { get; init => field = value ?? "off"; } = "off";
    /// <summary>Run time of the script in ms, engine start-up excluded.</summary>
    public double WallMs { get; init; }
    public long LlvmCompilations { get; init; }
    public double CompileMs { get; init; }
    public long Deopts { get; init; }
    public int FunctionsNative { get; init; }
    public int FunctionsFailed { get; init; }
    public long CacheHits { get; init; }
    public long CacheMisses { get; init; }
    /// <summary>Whether this process loaded libLLVM (a run served entirely from the cache does not).</summary>
    public bool LlvmLoaded { get; init; }
    /// <summary>Functions not yet native whose earlier runs' counts were restored from the cache.</summary>
    public long CacheCountsRestored { get; init; }
    /// <summary>Saves of the cache made while the script ran (besides the one at exit).</summary>
    public long CachePeriodicSaves { get; init; }
    /// <summary>Why cache files or entries were ignored, one message each.</summary>
    public IReadOnlyList<string> CacheRejected { get; init => field = value ?? []; } = [];
    public double CacheLoadMs { get; init; }
}

/// <summary>One function that reached the tier-up threshold.</summary>
public sealed record FunctionEntry
{
    /// <summary>"main chunk" or "function &lt;chunk:line&gt;", as luac names functions.</summary>
    public string Name { get; init => field = value ?? ""; } = "";
    public string Chunk { get; init => field = value ?? ""; } = "";
    /// <summary>Line of the definition (0 for a main chunk).</summary>
    public int Line { get; init; }
    public long Calls { get; init; }
    public long BackEdges { get; init; }
    /// <summary>"interpreter" or "native".</summary>
    public string Tier { get; init => field = value ?? "interpreter"; } = "interpreter";
    /// <summary>interpreted, queued, compiling, native or failed.</summary>
    public string State { get; init => field = value ?? "interpreted"; } = "interpreted";
    /// <summary>When its first native code was published, ms since start; null if never.</summary>
    public double? NativeSinceMs { get; init; }
    public double CompileMs { get; init; }
    public int Compilations { get; init; }
    public bool Generic { get; init; }
    /// <summary>Why compilation failed (state "failed").</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Failure { get; init; }
    public bool FromCache { get; init; }
    public IReadOnlyList<DeoptEntry> Deopts { get; init => field = value ?? []; } = [];

    /// <summary>What the report ranks functions by.</summary>
    [JsonIgnore]
    public long Heat => Calls + BackEdges;
}

/// <summary>Guard failures at one site for one reason.</summary>
public sealed record DeoptEntry
{
    public string Reason { get; init => field = value ?? ""; } = "";
    public string Description { get; init => field = value ?? ""; } = "";
    /// <summary>1-based instruction index, as in <c>tiered disasm</c>.</summary>
    public int Pc { get; init; }
    public int Line { get; init; }
    public int Count { get; init; }
}

/// <summary>A profile file that cannot be read or is not a tiered profile. The message is
/// one line, ready to show after "tiered: ".</summary>
public sealed class ProfileFormatException(string message) : Exception(message);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(RunProfile))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
