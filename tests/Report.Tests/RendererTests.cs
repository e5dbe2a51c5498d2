using Tiered.Reporting;
using Xunit;

namespace Tiered.Report.Tests;

/// <summary>What the text and HTML reports show for a real profile, and that names from
/// scripts cannot inject markup.</summary>
public class RendererTests
{
    [Fact]
    public void TextReportShowsTheHotFunctionWithItsLineAndTheDeoptReason()
    {
        string text = TextReport.Render(ProfileRuns.Hot);
        Assert.Contains("Tiered profile: hot.lua", text);
        Assert.Contains("run time            12.5 ms", text);
        string[] lines = text.Split('\n');
        // add is the hottest function: first row of the hot table, with chunk:line and tier.
        int header = Array.FindIndex(lines, l => l.TrimStart().StartsWith("function ", StringComparison.Ordinal) && l.Contains("back-edges"));
        Assert.True(header > 0, text);
        string first = lines[header + 1];
        Assert.Contains("function <hot.lua:1>", first);
        Assert.Contains("hot.lua:1", first);
        Assert.Contains("native", first);
        // The deopt section names the site's line and reason.
        int deopts = Array.FindIndex(lines, l => l.StartsWith("Deopts (", StringComparison.Ordinal));
        Assert.True(deopts > header, text);
        string site = lines.Skip(deopts + 2).First();
        Assert.Contains("function <hot.lua:1>", site);
        Assert.Contains("hot.lua:1", site);
        Assert.Contains("NotInteger: integer-specialised arithmetic saw a non-integer operand", site);
    }

    [Fact]
    public void TextReportColumnsAreAligned()
    {
        string text = TextReport.Render(ProfileRuns.Hot);
        string[] lines = text.Split('\n');
        int header = Array.FindIndex(lines, l => l.StartsWith("  function ", StringComparison.Ordinal) && l.Contains("back-edges"));
        var rows = lines.Skip(header).TakeWhile(l => l.Length > 0).ToList();
        Assert.True(rows.Count >= 6, text);
        // Right-aligned numeric columns: every row ends its "calls" column at the same place.
        int callsEnd = rows[0].IndexOf("calls", StringComparison.Ordinal) + "calls".Length;
        foreach (string row in rows.Skip(1)) Assert.True(char.IsDigit(row[callsEnd - 1]) && row[callsEnd] == ' ', $"misaligned row: '{row}'");
    }

    [Fact]
    public void TopLimitsTheHotTable()
    {
        string text = TextReport.Render(ProfileRuns.Hot, top: 2);
        Assert.Contains($"top 2 of {ProfileRuns.Hot.Functions.Count}", text);
        Assert.DoesNotContain("function <hot.lua:4>  ", text);
    }

    [Fact]
    public void EmptyProfileSaysNothingGotHot()
    {
        string text = TextReport.Render(RunProfile.Empty("off", 3));
        Assert.Contains("(jit off)", text);
        Assert.Contains("No function reached the tier-up threshold.", text);
        Assert.Contains("No function reached the tier-up threshold.", HtmlReport.Render(RunProfile.Empty("off", 3)));
    }

    [Fact]
    public void HtmlEscapesHostileFunctionAndChunkNames()
    {
        const string name = "<script>alert('x')</script>";
        const string chunk = "\"><img src=x onerror=alert(1)>&amp;";
        string html = HtmlReport.Render(ProfileRuns.Hostile(name, chunk) with
        {
            Summary = ProfileRuns.Hostile(name, chunk).Summary with { Script = "</title><script>alert(2)</script>" },
        });
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("</title><script>", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;", html);
        // Exactly one script element: ours.
        Assert.Equal(1, CountOf(html, "<script>"));
    }

    [Fact]
    public void HtmlIsSelfContained()
    {
        string html = HtmlReport.Render(ProfileRuns.Hot);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain(" src=", html);
        Assert.Contains("<svg id=\"timeline\"", html);
        // One timeline mark per function that went native.
        Assert.Equal(ProfileRuns.Hot.Functions.Count(f => f.NativeSinceMs != null), CountOf(html, "<g class=\"mark "));
    }

    private static int CountOf(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
