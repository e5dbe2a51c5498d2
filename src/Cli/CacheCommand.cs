using System.Globalization;
using Microsoft.Extensions.Logging;
using Tiered.NativeCache;
using Tiered.Tiering;

namespace Tiered.Cli;

/// <summary>
/// <c>tiered cache list|stats|verify|clear</c>: the native cache seen from outside a run,
/// through the store's maintenance API. Files are judged against the header this build
/// writes (it needs libLLVM for the target; without it, header checks are skipped and said so).
/// </summary>
internal static class CacheCommand
{
    public const string Usage =
        "usage: tiered cache list|stats|verify|clear [--cache-dir DIR]\n" +
        "  list                one line per module file: module, functions, size, tier, last use\n" +
        "  stats               totals: files, functions, bytes, invalid files, size limit\n" +
        "  verify [--delete]   check every file (owner, checksum, HMAC, header); exit 1 if any\n" +
        "                      problem; --delete removes the bad files (they would be rebuilt)\n" +
        "  clear               delete every module file (the directory and its secret stay)\n" +
        "  --cache-dir DIR     the cache directory (default $TIERED_CACHE_DIR,\n" +
        "                      $XDG_CACHE_HOME/tiered, ~/.cache/tiered)\n" +
        "  -h, --help          show this help\n" +
        "  --version           show the version\n";

    public static int Run(string[] args)
    {
        string? action = null, directory = null;
        bool delete = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (Program.HelpOrVersion(args[i], Usage) is int done) return done;
            switch (args[i])
            {
                case "--cache-dir":
                    if (i + 1 >= args.Length) return Program.UsageError("--cache-dir needs a directory", Usage);
                    directory = args[++i];
                    break;
                case "--delete": delete = true; break;
                case "list" or "stats" or "verify" or "clear" when action == null:
                    action = args[i];
                    break;
                default:
                    return Program.UsageError(args[i].StartsWith('-') ? $"unrecognized option '{args[i]}'" : $"unexpected argument '{args[i]}'", Usage);
            }
        }
        if (action == null) return Program.UsageError("cache needs list, stats, verify or clear", Usage);
        if (delete && action != "verify") return Program.UsageError("--delete goes with verify", Usage);

        CacheHeader? header = NativeTier.CurrentCacheHeader(new TierThresholds().Pipeline);
        var store = new NativeCacheStore(new NativeCacheOptions { Directory = directory, Header = header ?? UnknownHeader },
                                         new StderrLogger(LogLevel.Warning));
        // Without libLLVM this build's header is unknown: every file would look foreign.
        bool headersKnown = header != null;
        if (!headersKnown) Console.Error.WriteLine("tiered: warning: libLLVM not found: cache headers are not checked");
        try
        {
            return action switch
            {
                "list" => List(store, headersKnown),
                "stats" => Stats(store, headersKnown),
                "verify" => Verify(store, headersKnown, delete),
                _ => Clear(store),
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"tiered: cache {action}: {ex.Message}");
            return Program.ExitScriptError;
        }
    }

    private static readonly CacheHeader UnknownHeader = new()
    {
        EngineBuildId = "", AbiVersion = 0, LlvmVersion = "", TargetTriple = "", CpuName = "", CpuFeatureHash = "", Pipeline = "",
    };

    private static CacheRejection? ProblemOf(CacheRejection? problem, bool headersKnown) =>
        problem is { Reason: CacheRejectionReason.HeaderMismatch } && !headersKnown ? null : problem;

    private static int List(NativeCacheStore store, bool headersKnown)
    {
        IReadOnlyList<CacheModuleInfo> modules = store.ListModules();
        if (modules.Count == 0)
        {
            Console.Out.WriteLine($"no cached modules in {store.DirectoryPath}");
            return Program.ExitOk;
        }
        var rows = new List<string[]> { new[] { "MODULE", "FUNCTIONS", "SIZE", "TIER", "LAST USE" } };
        var problems = new List<string>();
        foreach (CacheModuleInfo m in modules)
        {
            CacheRejection? problem = ProblemOf(m.Problem, headersKnown);
            string tier = problem == null ? "native"
                : problem.Reason == CacheRejectionReason.HeaderMismatch ? "stale" : "invalid";
            rows.Add([m.ModuleName ?? "(unreadable)", m.EntryCount.ToString(CultureInfo.InvariantCulture), FormatSize(m.SizeBytes), tier,
                      m.LastUsed.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)]);
            if (problem != null) problems.Add($"{Path.GetFileName(m.FilePath)}: {problem.Message}");
        }
        WriteTable(rows, rightAligned: [false, true, true, false, false]);
        if (problems.Count > 0)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine("not used by this engine (rebuilt on the next run):");
            foreach (string p in problems) Console.Out.WriteLine("  " + p);
        }
        return Program.ExitOk;
    }

    private static int Stats(NativeCacheStore store, bool headersKnown)
    {
        CacheStats s = store.GetStats();
        int invalid = s.InvalidFiles;
        if (!headersKnown)
            invalid = store.ListModules().Count(m => ProblemOf(m.Problem, headersKnown) != null);
        WriteTable([
            ["directory", s.Directory],
            ["module files", $"{s.ModuleFiles} ({invalid} not usable by this engine)"],
            ["functions", s.TotalEntries.ToString(CultureInfo.InvariantCulture)],
            ["size", $"{FormatSize(s.TotalBytes)} of {FormatSize(s.SizeLimitBytes)} limit"],
        ], rightAligned: [false, false]);
        return Program.ExitOk;
    }

    private static int Verify(NativeCacheStore store, bool headersKnown, bool delete)
    {
        int files = store.ListModules().Count;
        List<CacheRejection> problems = store.Verify(deleteInvalid: delete)
            .Where(p => ProblemOf(p, headersKnown) != null).ToList();
        foreach (CacheRejection p in problems)
            Console.Out.WriteLine($"{p.Path}: {p.Message}{(delete && !p.IsDirectoryProblem ? " (deleted)" : "")}");
        Console.Out.WriteLine(problems.Count == 0
            ? $"cache ok: {files} module file{(files == 1 ? "" : "s")} checked in {store.DirectoryPath}"
            : $"{problems.Count} problem{(problems.Count == 1 ? "" : "s")} in {store.DirectoryPath}");
        return problems.Count == 0 ? Program.ExitOk : Program.ExitScriptError;
    }

    private static int Clear(NativeCacheStore store)
    {
        int deleted = store.Clear();
        Console.Out.WriteLine($"removed {deleted} module file{(deleted == 1 ? "" : "s")} from {store.DirectoryPath}");
        return Program.ExitOk;
    }

    private static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
    };

    /// <summary>Columns padded to their widest cell, two spaces apart.</summary>
    private static void WriteTable(List<string[]> rows, bool[] rightAligned)
    {
        int columns = rows[0].Length;
        var widths = new int[columns];
        foreach (string[] row in rows)
            for (int c = 0; c < columns; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        foreach (string[] row in rows)
        {
            var cells = new string[columns];
            for (int c = 0; c < columns; c++)
                cells[c] = c == columns - 1 && !rightAligned[c] ? row[c]
                    : rightAligned[c] ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]);
            Console.Out.WriteLine(string.Join("  ", cells));
        }
    }
}
