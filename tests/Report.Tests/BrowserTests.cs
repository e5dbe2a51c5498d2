using System.Text.Json.Nodes;
using Tiered.Reporting;
using Xunit;

namespace Tiered.Report.Tests;

/// <summary>The HTML report in a real browser (headless Chromium): it renders, the table
/// holds the profile's rows, clicking a header sorts them, hostile names stay text.</summary>
public class BrowserTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tiered-report-html-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string WritePage(RunProfile profile)
    {
        string path = Path.Combine(dir, "report.html");
        File.WriteAllText(path, HtmlReport.Render(profile));
        return new Uri(path).AbsoluteUri;
    }

    private const string ReadFunctionRows =
        "return Array.from(document.querySelectorAll('#functions tbody tr')).map(r => Array.from(r.cells).map(c => c.textContent));";

    private static List<string[]> Rows(ChromeDriver browser) =>
        browser.Execute(ReadFunctionRows)!.AsArray()
            .Select(r => r!.AsArray().Select(c => c!.GetValue<string>()).ToArray())
            .ToList();

    [Fact]
    public void TableRendersAndSortsByClickedColumn()
    {
        RunProfile profile = ProfileRuns.Hot;
        using var browser = new ChromeDriver();
        browser.Navigate(WritePage(profile));

        Assert.Equal("Tiered profile: hot.lua", browser.Execute("return document.title")!.GetValue<string>());
        List<string[]> rows = Rows(browser);
        Assert.Equal(profile.Functions.Count, rows.Count);
        Assert.Equal(profile.Functions.Select(f => f.Name).Order(), rows.Select(r => r[0]).Order());
        Assert.Equal("function <hot.lua:1>", rows[0][0]);   // hottest first, before any click
        // The timeline drew one mark per function that went native.
        int marks = browser.Execute("return document.querySelectorAll('#timeline g.mark').length")!.GetValue<int>();
        Assert.Equal(profile.Functions.Count(f => f.NativeSinceMs != null), marks);
        // The deopt of add is listed with its line.
        string deopts = browser.Execute("return document.querySelector('#deopts tbody').textContent")!.GetValue<string>();
        Assert.Contains("hot.lua:1", deopts);
        Assert.Contains("NotInteger", deopts);

        // calls (3rd column): numbers sort descending on the first click, ascending on the second.
        browser.Click("#functions thead th:nth-child(3)");
        List<long> calls = Rows(browser).Select(r => long.Parse(r[2])).ToList();
        Assert.Equal(calls.OrderDescending(), calls);
        browser.Click("#functions thead th:nth-child(3)");
        calls = Rows(browser).Select(r => long.Parse(r[2])).ToList();
        Assert.Equal(calls.Order(), calls);
        Assert.NotEqual(calls.First(), calls.Last());   // the order really changed
        Assert.Equal("ascending", browser.Execute("return document.querySelector('#functions thead th:nth-child(3)').getAttribute('aria-sort')")!.GetValue<string>());

        // chunk:line (text) sorts ascending on the first click.
        browser.Click("#functions thead th:nth-child(2)");
        List<string> places = Rows(browser).Select(r => r[1]).ToList();
        Assert.Equal(places.Order(StringComparer.Ordinal), places);
    }

    [Fact]
    public void HostileNamesRenderAsText()
    {
        const string name = "<img src=x onerror=\"document.title='pwned'\">f";
        using var browser = new ChromeDriver();
        browser.Navigate(WritePage(ProfileRuns.Hostile(name, "<b>c</b>.lua")));
        Assert.Equal(0, browser.Execute("return document.querySelectorAll('img, b').length")!.GetValue<int>());
        Assert.NotEqual("pwned", browser.Execute("return document.title")!.GetValue<string>());
        List<string[]> rows = Rows(browser);
        Assert.Equal(name, Assert.Single(rows)[0]);
        Assert.Equal("<b>c</b>.lua:3", rows[0][1]);
    }
}
