using System.Text;
using Tiered.Reporting;

namespace Tiered.Cli;

/// <summary>
/// <c>tiered report profile.json [--format text|html] [-o FILE] [--top N]</c>: renders a
/// profile written by <c>tiered run --profile</c>. Also the text report that
/// <c>tiered run --report</c> prints to stderr at exit.
/// </summary>
public static class ReportCommand
{
    public const int ExitOk = 0, ExitError = 1, ExitUsage = 2;

    public const string Usage =
        "usage: tiered report profile.json [--format text|html] [-o FILE] [--top N]\n";

    public static int Run(string[] args)
    {
        string? input = null, output = null;
        string format = "text";
        int top = TextReport.DefaultTop;
        for (int i = 0; i < args.Length; i++)
        {
            if (Program.HelpOrVersion(args[i], Usage) is int done) return done;
            switch (args[i])
            {
                case "--format":
                    if (i + 1 >= args.Length || args[i + 1] is not ("text" or "html"))
                        return UsageError("--format needs text or html");
                    format = args[++i];
                    break;
                case "-o" or "--output":
                    if (i + 1 >= args.Length) return UsageError($"{args[i]} needs a file name");
                    output = args[++i];
                    break;
                case "--top":
                    if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out top) || top < 1)
                        return UsageError("--top needs a positive number");
                    i++;
                    break;
                default:
                    if (args[i].StartsWith('-') && args[i] != "-") return UsageError($"unknown option '{args[i]}'");
                    if (input != null) return UsageError("report takes one profile file");
                    input = args[i];
                    break;
            }
        }
        if (input == null) return UsageError("no profile file given");

        RunProfile profile;
        try
        {
            profile = input == "-" ? RunProfile.Parse(ReadStdin(), "<stdin>") : RunProfile.Load(input);
        }
        catch (ProfileFormatException ex)
        {
            Console.Error.WriteLine("tiered: " + ex.Message);
            return ExitError;
        }

        string text = format == "html" ? HtmlReport.Render(profile) : TextReport.Render(profile, top);
        if (output == null)
        {
            Console.Out.Write(text);
            Console.Out.Flush();
            return ExitOk;
        }
        try
        {
            File.WriteAllText(output, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"tiered: cannot write {output}: {ex.Message}");
            return ExitError;
        }
        return ExitOk;
    }

    /// <summary>The text report of a run that just ended, on stderr (<c>tiered run --report</c>).
    /// Called after the tier stopped and before the Lua state is freed.</summary>
    public static void PrintRunReport(Tiering.NativeTier? tier, double wallMs, string script)
    {
        RunProfile profile = tier != null ? RunProfile.FromTier(tier, wallMs, script) : RunProfile.Empty("off", wallMs, script);
        Console.Error.Write(TextReport.Render(profile));
        Console.Error.Flush();
    }

    private static byte[] ReadStdin()
    {
        using var ms = new MemoryStream();
        Console.OpenStandardInput().CopyTo(ms);
        return ms.ToArray();
    }

    private static int UsageError(string message)
    {
        Console.Error.WriteLine("tiered: " + message);
        Console.Error.Write(Usage);
        return ExitUsage;
    }
}
