using System.Globalization;
using System.Text;

namespace Tiered.Reporting;

/// <summary>
/// The profile as plain text (what <c>tiered run --report</c> prints to stderr and
/// <c>tiered report</c> prints by default): the totals, the hottest functions in aligned
/// columns, why anything was not compiled or not taken from the cache, and every deopt.
/// </summary>
public static class TextReport
{
    public const int DefaultTop = 20;

    public static string Render(RunProfile profile, int top = DefaultTop)
    {
        var sb = new StringBuilder();
        ProfileSummary s = profile.Summary;
        sb.Append("Tiered profile");
        if (s.Script != null) sb.Append(": ").Append(s.Script);
        sb.Append($" (jit {s.JitMode})\n");
        Line(sb, "run time", Ms(s.WallMs));
        Line(sb, "LLVM compilations", CompileLine(profile));
        Line(sb, "native functions", $"{s.FunctionsNative} ({s.FunctionsFailed} failed to compile)");
        Line(sb, "deopts", s.Deopts.ToString(CultureInfo.InvariantCulture));
        Line(sb, "native cache", $"{s.CacheHits} hits, {s.CacheMisses} misses, {s.CacheRejected.Count} rejected, load {Ms(s.CacheLoadMs)}");
        foreach (string reason in s.CacheRejected) sb.Append("    rejected: ").Append(OneLine(reason)).Append('\n');

        var failed = profile.Functions.Where(f => f.Failure != null).ToList();
        if (failed.Count > 0)
        {
            sb.Append("\nNot compiled\n");
            foreach (FunctionEntry f in failed) sb.Append($"  {f.Name}: {OneLine(f.Failure!)}\n");
        }

        sb.Append('\n');
        if (profile.Functions.Count == 0)
        {
            sb.Append("No function reached the tier-up threshold.\n");
            return sb.ToString();
        }
        var hot = profile.Functions.OrderByDescending(f => f.Heat).Take(Math.Max(1, top)).ToList();
        sb.Append($"Hot functions (top {hot.Count} of {profile.Functions.Count}, by calls + back-edges)\n");
        var rows = new List<string[]>
        {
            new[] { "function", "chunk:line", "calls", "back-edges", "tier", "native since", "compile ms", "from cache", "deopts" },
        };
        foreach (FunctionEntry f in hot)
        {
            rows.Add([
                OneLine(f.Name),
                OneLine($"{f.Chunk}:{f.Line}"),
                f.Calls.ToString(CultureInfo.InvariantCulture),
                f.BackEdges.ToString(CultureInfo.InvariantCulture),
                TierLabel(f),
                f.NativeSinceMs is double since ? Ms(since) : "-",
                f.Compilations > 0 ? Number(f.CompileMs) : "-",
                f.FromCache ? "yes" : "no",
                f.Deopts.Sum(d => d.Count).ToString(CultureInfo.InvariantCulture),
            ]);
        }
        Table(sb, rows, rightAligned: [false, false, true, true, false, true, true, false, true]);

        var deopts = profile.Functions
            .SelectMany(f => f.Deopts.Select(d => (Function: f, Deopt: d)))
            .OrderByDescending(x => x.Deopt.Count)
            .ToList();
        sb.Append('\n');
        if (deopts.Count == 0)
        {
            sb.Append("No deopts.\n");
            return sb.ToString();
        }
        sb.Append($"Deopts ({deopts.Count} sites)\n");
        var deoptRows = new List<string[]> { new[] { "function", "line", "pc", "count", "reason" } };
        foreach (var (f, d) in deopts)
        {
            deoptRows.Add([
                OneLine(f.Name),
                $"{OneLine(f.Chunk)}:{d.Line}",
                d.Pc.ToString(CultureInfo.InvariantCulture),
                d.Count.ToString(CultureInfo.InvariantCulture),
                OneLine($"{d.Reason}: {d.Description}"),
            ]);
        }
        Table(sb, deoptRows, rightAligned: [false, false, true, true, false]);
        return sb.ToString();
    }

    private static string CompileLine(RunProfile profile)
    {
        ProfileSummary s = profile.Summary;
        var compiled = profile.Functions.Where(f => f.Compilations > 0).OrderBy(f => f.CompileMs).ToList();
        string text = $"{s.LlvmCompilations}, {Ms(s.CompileMs)} total";
        if (compiled.Count == 0) return text;
        FunctionEntry worst = compiled[^1];
        return text + $", median {Ms(Median(compiled.Select(f => f.CompileMs).ToList()))}, worst {Ms(worst.CompileMs)} ({OneLine(worst.Name)})";
    }

    /// <summary>The tier it ran in, or what it was waiting for when the run ended.</summary>
    internal static string TierLabel(FunctionEntry f) => f.State switch
    {
        "native" => f.Generic ? "native (generic)" : "native",
        "failed" => "failed",
        "queued" or "compiling" => $"interpreter ({f.State})",
        _ => f.Tier,
    };

    internal static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private static void Line(StringBuilder sb, string label, string value) =>
        sb.Append("  ").Append(label.PadRight(20)).Append(value).Append('\n');

    private static void Table(StringBuilder sb, List<string[]> rows, bool[] rightAligned)
    {
        int columns = rows[0].Length;
        var width = new int[columns];
        foreach (string[] row in rows)
            for (int c = 0; c < columns; c++) width[c] = Math.Max(width[c], row[c].Length);
        foreach (string[] row in rows)
        {
            var line = new StringBuilder("  ");
            for (int c = 0; c < columns; c++)
            {
                if (c > 0) line.Append("  ");
                line.Append(rightAligned[c] ? row[c].PadLeft(width[c]) : row[c].PadRight(width[c]));
            }
            sb.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }

    internal static string Number(double v) => v.ToString("0.0##", CultureInfo.InvariantCulture);

    internal static string Ms(double v) => Number(v) + " ms";

    /// <summary>Names come from user scripts: a newline or control character in one must not
    /// break the table.</summary>
    private static string OneLine(string s)
    {
        if (!s.Any(char.IsControl)) return s;
        var sb = new StringBuilder(s.Length);
        foreach (char ch in s) sb.Append(char.IsControl(ch) ? ' ' : ch);
        return sb.ToString();
    }
}
