using System.Text;
using Tiered.Interpreter.Lib;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Xunit;

namespace Tiered.Interpreter.Tests.Runtime;

public unsafe class GcTests
{
    private static (LuaState L, MemoryStream Out) NewState(bool stress = false)
    {
        var output = new MemoryStream();
        var L = new LuaState(new LuaStateOptions { StandardOutput = output, GcStress = stress });
        Libraries.OpenAll(L);
        return (L, output);
    }

    private static string Run(LuaState L, MemoryStream output, string code)
    {
        Value f = L.LoadChunk(Encoding.UTF8.GetBytes(code), "=test");
        L.CallFunction(f);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void GarbageIsFreedAndMemoryReturnsToItsLevel()
    {
        var (L, output) = NewState();
        using (L)
        {
            Run(L, output, "collectgarbage()");
            long before = L.BytesAllocated;
            Run(L, output, "local t = {} for i = 1, 20000 do t[i] = {i, tostring(i)} end t = nil");
            long peak = L.BytesAllocated;
            Run(L, output, "collectgarbage()");
            long after = L.BytesAllocated;
            Assert.True(peak - before > 1_000_000, $"20000 tables should take memory (took {peak - before})");
            Assert.True(after - before < 64 * 1024, $"garbage was not freed: {after - before} bytes remain");
        }
    }

    [Fact]
    public void ReachableObjectsSurviveCollections()
    {
        var (L, output) = NewState();
        using (L)
        {
            string text = Run(L, output, @"
                keep = {}
                for i = 1, 1000 do keep[i] = {value = 'v' .. i} end
                collectgarbage(); collectgarbage()
                local ok = 0
                for i = 1, 1000 do if keep[i].value == 'v' .. i then ok = ok + 1 end end
                print(ok)");
            Assert.Equal("1000\n", text);
        }
    }

    [Fact]
    public void WeakTablesLoseUnreachableEntriesOnly()
    {
        var (L, output) = NewState();
        using (L)
        {
            string text = Run(L, output, @"
                local weakv = setmetatable({}, {__mode = 'v'})
                local weakk = setmetatable({}, {__mode = 'k'})
                local alive = {}
                weakv[1] = alive; weakv[2] = {}; weakv[3] = 'strings stay'
                weakk[alive] = 1; weakk[{}] = 2
                collectgarbage()
                local n = 0 for _ in pairs(weakk) do n = n + 1 end
                print(weakv[1] == alive, weakv[2], weakv[3], n)");
            Assert.Equal("true\tnil\tstrings stay\t1\n", text);
        }
    }

    [Fact]
    public void FinalizersRunOnceNewestFirst()
    {
        var (L, output) = NewState();
        using (L)
        {
            string text = Run(L, output, @"
                for i = 1, 3 do setmetatable({}, {__gc = function() io_out = (io_out or '') .. i end}) end
                collectgarbage()
                collectgarbage()
                print(io_out)");
            Assert.Equal("321\n", text);
        }
    }

    [Fact]
    public void StressModeCollectsAtEverySafepointWithoutLosingLiveValues()
    {
        var (L, output) = NewState(stress: true);
        using (L)
        {
            string text = Run(L, output, @"
                local function mk(n) local t = {} for i = 1, n do t[i] = {i} end return t end
                local parts = {}
                for i = 1, 50 do parts[#parts + 1] = tostring(#mk(i)) .. ':' .. i end
                local s = 0 for _, p in ipairs(parts) do s = s + #p end
                print(#parts, s)");
            Assert.Equal("50\t232\n", text);
            Assert.True(L.Collections > 100, $"only {L.Collections} collections in stress mode");
        }
    }
}
