using System.Text.Json;
using Tiered.Interpreter.Syntax;

namespace Tiered.Tiering;

/// <summary>
/// Writes the run's tiering profile as JSON (schema "tiered-profile/1", documented in
/// docs/profile-schema.md): totals in "summary", and in "functions" every function that
/// reached the tier-up threshold, with its counters, tier, compile cost and deopts.
/// </summary>
public static class ProfileWriter
{
    public static void Write(NativeTier tier, Stream output, double wallMs)
    {
        tier.SnapshotCounters();
        var functions = tier.Functions.OrderByDescending(f => f.Calls + f.BackEdges).ToList();
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("schema", "tiered-profile/1");
        w.WriteStartObject("summary");
        w.WriteString("jitMode", tier.Mode.ToString().ToLowerInvariant());
        w.WriteNumber("wallMs", Math.Round(wallMs, 3));
        w.WriteNumber("llvmCompilations", tier.LlvmCompilations);
        w.WriteNumber("compileMs", Math.Round(tier.TotalCompileMs, 3));
        w.WriteNumber("deopts", functions.Sum(f => f.TotalDeopts));
        w.WriteNumber("functionsNative", functions.Count(f => f.State == FunctionTier.Native));
        w.WriteNumber("functionsFailed", functions.Count(f => f.State == FunctionTier.Failed));
        w.WriteNumber("cacheHits", tier.CacheHits);
        w.WriteNumber("cacheMisses", tier.CacheMisses);
        w.WriteNumber("cacheCountsRestored", tier.CacheCountsRestored);
        w.WriteNumber("cachePeriodicSaves", tier.CachePeriodicSaves);
        w.WriteStartArray("cacheRejected");
        foreach (string r in tier.CacheRejections) w.WriteStringValue(r);
        w.WriteEndArray();
        w.WriteNumber("cacheLoadMs", Math.Round(tier.CacheLoadMs, 3));
        w.WriteEndObject();
        w.WriteStartArray("functions");
        foreach (FunctionRecord f in functions)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Info.LineDefined == 0 ? "main chunk" : $"function <{ChunkName.Display(f.Info.Source)}:{f.Info.LineDefined}>");
            w.WriteString("chunk", ChunkName.Display(f.Info.Source));
            w.WriteNumber("line", f.Info.LineDefined);
            w.WriteNumber("calls", f.Calls);
            w.WriteNumber("backEdges", f.BackEdges);
            w.WriteString("tier", f.State == FunctionTier.Native ? "native" : "interpreter");
            w.WriteString("state", f.State.ToString().ToLowerInvariant());
            if (f.NativeSinceMs is double since) w.WriteNumber("nativeSinceMs", Math.Round(since, 3));
            else w.WriteNull("nativeSinceMs");
            w.WriteNumber("compileMs", Math.Round(f.CompileMs, 3));
            w.WriteNumber("compilations", f.Compilations);
            w.WriteBoolean("generic", f.Generic);
            if (f.FailureReason != null) w.WriteString("failure", f.FailureReason);
            w.WriteBoolean("fromCache", f.FromCache);
            w.WriteStartArray("deopts");
            foreach (var ((pc, reason), count) in f.Deopts.OrderBy(d => d.Key.Pc))
            {
                w.WriteStartObject();
                w.WriteString("reason", reason.ToString());
                w.WriteString("description", DeoptReasons.Describe(reason));
                w.WriteNumber("pc", pc + 1);
                w.WriteNumber("line", pc < f.Info.LineInfo.Length ? f.Info.LineInfo[pc] : 0);
                w.WriteNumber("count", count);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
