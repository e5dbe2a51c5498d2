using System.Text;
using Tiered.Reporting;
using Tiered.Tiering;
using Xunit;

namespace Tiered.Report.Tests;

/// <summary>The profile file written by a real run reads back into the model with everything
/// the report shows; malformed files are refused with one clear line.</summary>
public class ProfileModelTests
{
    [Fact]
    public void ProfileWrittenByARunReadsBackWithFunctionsAndDeopts()
    {
        RunProfile p = ProfileRuns.Hot;
        Assert.Equal(RunProfile.SchemaId, p.Schema);
        Assert.Equal("hot.lua", p.Summary.Script);
        Assert.Equal(12.5, p.Summary.WallMs);
        Assert.True(p.Summary.LlvmCompilations >= 5, $"expected every function compiled, saw {p.Summary.LlvmCompilations}");

        FunctionEntry add = p.Functions.Single(f => f.Line == 1);
        Assert.Equal("function <hot.lua:1>", add.Name);
        Assert.Equal("hot.lua", add.Chunk);
        Assert.Equal("native", add.Tier);
        Assert.True(add.Calls >= 300, $"add was called 302 times, profile says {add.Calls}");
        Assert.NotNull(add.NativeSinceMs);
        Assert.True(add.CompileMs > 0);
        Assert.False(add.FromCache);
        DeoptEntry deopt = Assert.Single(add.Deopts);
        Assert.Equal("NotInteger", deopt.Reason);
        Assert.Equal(1, deopt.Line);
        Assert.True(deopt.Count >= 1);
        Assert.Equal(p.Functions.Sum(f => f.Deopts.Sum(d => d.Count)), p.Summary.Deopts);

        FunctionEntry loop = p.Functions.Single(f => f.Line == 5);
        Assert.True(loop.BackEdges > 0 || loop.Calls >= 1);
        // The file lists functions hottest first.
        Assert.Equal(p.Functions.OrderByDescending(f => f.Heat).Select(f => f.Line), p.Functions.Select(f => f.Line));
    }

    [Fact]
    public void ModelSurvivesAJsonRoundTrip()
    {
        RunProfile p = ProfileRuns.Hot;
        RunProfile again = RunProfile.Parse(Encoding.UTF8.GetBytes(p.ToJson()));
        Assert.Equal(p.Summary with { CacheRejected = [] }, again.Summary with { CacheRejected = [] });
        Assert.Equal(p.Functions.Count, again.Functions.Count);
        for (int i = 0; i < p.Functions.Count; i++)
        {
            Assert.Equal(p.Functions[i] with { Deopts = [] }, again.Functions[i] with { Deopts = [] });
            Assert.Equal(p.Functions[i].Deopts, again.Functions[i].Deopts);
        }
    }

    [Fact]
    public void NonAsciiNamesStayReadableInTheFile()
    {
        RunProfile p = ProfileRuns.Hostile("función <ñ.lua:3>", "ñ.lua");
        string json = p.ToJson();
        Assert.Contains("función <ñ.lua:3>", json);
        Assert.Equal("ñ.lua", RunProfile.Parse(Encoding.UTF8.GetBytes(json)).Functions[0].Chunk);
    }

    [Theory]
    [InlineData("nope\n", "invalid JSON")]
    [InlineData("", "not a valid tiered profile")]
    [InlineData("{\"schema\": 1}", "wrong type at $.schema")]
    [InlineData("{\"schema\": \"other/2\", \"functions\": []}", "unsupported profile schema 'other/2'")]
    [InlineData("{\"schema\": \"tiered-profile/1\", \"functions\": [{\"name\": null}]}", "null at $.functions[0].name")]
    [InlineData("{\"schema\": \"tiered-profile/1\", \"functions\": [{\"calls\": \"many\"}]}", "wrong type at $.functions[0].calls")]
    [InlineData("[1, 2]", "not a valid tiered profile")]
    [InlineData("{}", "no \"schema\" property")]
    [InlineData("{\"schema\": \"tiered-profile/1\", \"summary\": null}", "null at $.summary")]
    public void MalformedProfilesGiveOneLineErrors(string content, string expected)
    {
        var ex = Assert.Throws<ProfileFormatException>(() => RunProfile.Parse(Encoding.UTF8.GetBytes(content), "bad.json"));
        Assert.StartsWith("bad.json: ", ex.Message);
        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain("Tiered.Reporting", ex.Message);
    }

    [Fact]
    public void UnknownFieldsAreIgnoredAndMissingOnesDefault()
    {
        RunProfile p = RunProfile.Parse(Encoding.UTF8.GetBytes("""
            { "schema": "tiered-profile/1", "future": {"x": 1},
              "functions": [ { "name": "main chunk", "chunk": "a.lua", "calls": 3, "samples": 9 } ] }
            """));
        FunctionEntry f = Assert.Single(p.Functions);
        Assert.Equal(3, f.Calls);
        Assert.Null(f.NativeSinceMs);
        Assert.Empty(f.Deopts);
        Assert.Equal(0, p.Summary.CacheHits);
    }

    [Fact]
    public void MissingFileIsAFormatErrorNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tiered-missing-{Guid.NewGuid():N}.json");
        var ex = Assert.Throws<ProfileFormatException>(() => RunProfile.Load(path));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void EngineProfileReportCarriesTheSameData()
    {
        using var engine = new LuaEngine(new LuaEngineOptions { Jit = JitMode.Eager, CacheEnabled = false });
        engine.DoString("local function sq(x) return x * x end\nlocal s = 0\nfor i = 1, 50 do s = s + sq(i) end\nreturn s");
        ProfileReport report = engine.GetProfile();
        FunctionProfile sq = report.Functions.Single(f => f.Line == 1);
        Assert.Equal("Native", sq.Tier);
        Assert.True(sq.Calls >= 50);
        Assert.NotNull(sq.NativeSinceMs);
        Assert.Equal(1, sq.Compilations);
        Assert.True(report.LlvmCompilations >= 2);
        Assert.True(report.WallMs >= sq.NativeSinceMs);
        Assert.Contains(report.Data.Functions, f => f.Line == 1 && f.Tier == "native");
        Assert.Contains($"{sq.Chunk}:1", report.ToText());

        // What a host saves with ToJson loads back as the same report.
        string path = Path.Combine(Path.GetTempPath(), $"tiered-engine-profile-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, report.ToJson());
            ProfileReport loaded = ProfileReport.Load(path);
            Assert.Equal(report.Functions.Select(f => (f.Name, f.Calls, f.Tier)), loaded.Functions.Select(f => (f.Name, f.Calls, f.Tier)));
            Assert.Equal(report.TotalCalls, loaded.TotalCalls);
        }
        finally { File.Delete(path); }
    }
}
