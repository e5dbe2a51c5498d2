using Tiered.Tiering;
using Xunit;

namespace Tiered.Engine.Tests;

public class EngineTests
{
    private static LuaEngine NewEngine(LuaEngineOptions? o = null) =>
        new(o ?? new LuaEngineOptions { Jit = JitMode.Off });

    [Fact]
    public void DoStringReturnsValues()
    {
        using var e = NewEngine();
        LuaValue[] r = e.DoString("return 1 + 2, 2.5, 'héllo', true, nil, {}");
        Assert.Equal(6, r.Length);
        Assert.Equal(LuaValueType.Integer, r[0].Type);
        Assert.Equal(3, r[0].AsInteger());
        Assert.Equal(2.5, r[1].AsNumber());
        Assert.Equal("héllo", r[2].AsString());
        Assert.True(r[3].AsBoolean());
        Assert.True(r[4].IsNil);
        Assert.Equal(LuaValueType.Table, r[5].Type);
        Assert.True(r[0].TryGet(out int i) && i == 3);
        Assert.Equal((LuaValue)3.0, r[0]);
    }

    [Fact]
    public void RegisterDelegateShapes()
    {
        using var e = NewEngine();
        e.Register("add", (Func<double, double, double>)((a, b) => a + b));
        e.Register("iadd", (Func<long, int, long>)((a, b) => a + b));
        e.Register("greet", (Func<string, string>)(s => "hi " + s));
        e.Register("count", (Func<LuaValue[], int>)(args => args.Length));
        e.Register("swap", (Func<LuaValue, LuaValue, LuaValue[]>)((a, b) => [b, a]));
        e.Register("sumt", (Func<LuaTable, double>)(t => { double s = 0; foreach (var kv in t) s += kv.Value.AsNumber(); return s; }));
        e.Register("apply", (Func<LuaFunction, LuaValue, LuaValue>)((f, x) => f.Call(x)[0]));
        e.Register("first", (Func<string, LuaValue[], string>)((prefix, rest) => prefix + rest.Length));
        bool called = false;
        e.Register("ping", (Action)(() => called = true));
        LuaValue[] r = e.DoString(
            "ping() local a, b = swap(1, 'x') return add(1, 2.5), iadd(2, 3), greet('bob'), count(1, nil, 3), a, b, sumt({1,2,3}), apply(function(x) return x * 2 end, 21), first('n', 1, 2)");
        Assert.True(called);
        Assert.Equal(3.5, r[0].AsNumber());
        Assert.Equal(5, r[1].AsInteger());
        Assert.Equal("hi bob", r[2].AsString());
        Assert.Equal(3, r[3].AsInteger());
        Assert.Equal("x", r[4].AsString());
        Assert.Equal(1, r[5].AsInteger());
        Assert.Equal(6.0, r[6].AsNumber());
        Assert.Equal(42, r[7].AsInteger());
        Assert.Equal("n2", r[8].AsString());
    }

    [Fact]
    public void BadArgumentsAreLuaErrors()
    {
        using var e = NewEngine();
        e.Register("add", (Func<double, double, double>)((a, b) => a + b));
        var ex = Assert.Throws<LuaException>(() => e.DoString("return add(1, {})"));
        Assert.Contains("bad argument #2", ex.LuaMessage);
    }

    [Fact]
    public void CallLuaFunctionsFromDotNet()
    {
        using var e = NewEngine();
        e.DoString("function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end function multi() return 1, 2, 3 end");
        LuaFunction fib = e.Globals["fib"].AsFunction();
        Assert.Equal(55, fib.Call(10)[0].AsInteger());
        Assert.Equal(3, e.Globals["multi"].AsFunction().Call().Length);
        fib.Dispose();
        Assert.Throws<ObjectDisposedException>(() => fib.Call(1));
    }

    [Fact]
    public void TablesFromDotNet()
    {
        using var e = NewEngine();
        LuaTable t = e.CreateTable();
        t[1] = "a";
        t[2] = "b";
        t["name"] = 3.5;
        t[3.0] = true;
        Assert.Equal(3, t.Length);
        e.Globals["data"] = t;
        LuaValue[] r = e.DoString("return #data, data.name, data[3], data[1]");
        Assert.Equal(3, r[0].AsInteger());
        Assert.Equal(3.5, r[1].AsNumber());
        Assert.True(r[2].AsBoolean());
        Assert.Equal("a", r[3].AsString());
        Assert.Equal(4, t.Count());
        t["name"] = LuaValue.Nil;
        Assert.True(t["name"].IsNil);

        // Metamethods apply through the indexer.
        LuaTable proxy = e.DoString("return setmetatable({}, {__index = function(_, k) return k .. '!' end})")[0].AsTable();
        Assert.Equal("x!", proxy["x"].AsString());
        Assert.Equal(t, e.Globals["data"].AsTable()); // same table, different handles
        Assert.Equal((LuaValue)t, e.Globals["data"]);
    }

    [Fact]
    public void SyntaxErrorHasMessageAndLine()
    {
        using var e = NewEngine();
        var ex = Assert.Throws<LuaException>(() => e.DoString("local x = 1\nlocal = 2", "script"));
        Assert.Equal("script", ex.ChunkName);
        Assert.Equal(2, ex.Line);
        Assert.Contains("expected", ex.LuaMessage);
    }

    [Fact]
    public void RuntimeErrorHasMessageLineAndTraceback()
    {
        using var e = NewEngine();
        var ex = Assert.Throws<LuaException>(() => e.DoString("local t = nil\n\nreturn t.x", "rt"));
        Assert.Equal("rt", ex.ChunkName);
        Assert.Equal(3, ex.Line);
        Assert.Contains("attempt to index", ex.Message);
        Assert.NotNull(ex.LuaTraceback);
        var ex2 = Assert.Throws<LuaException>(() => e.DoString("error({code = 7})"));
        Assert.Equal(LuaValueType.Table, ex2.Value!.Value.Type);
        Assert.Equal(7, ex2.Value!.Value.AsTable()["code"].AsInteger());
    }

    [Fact]
    public void HostExceptionIsCatchableAndKeptAsInner()
    {
        using var e = NewEngine();
        e.Register("fail", (Action<string>)(msg => throw new InvalidOperationException(msg)));
        LuaValue[] r = e.DoString("local ok, err = pcall(fail, 'boom') return ok, err");
        Assert.False(r[0].AsBoolean());
        Assert.Contains("boom", r[1].AsString());
        var ex = Assert.Throws<LuaException>(() => e.DoString("fail('escaped')"));
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Contains("escaped", ex.Message);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void MemoryLimitRaisesAndEngineRecovers()
    {
        using var e = NewEngine(new LuaEngineOptions { Jit = JitMode.Off, MemoryLimitBytes = 16 << 20 });
        var ex = Assert.Throws<LuaException>(() => e.DoString("local t = {} for i = 1, 1e8 do t[i] = 'x' .. i end"));
        Assert.Contains("not enough memory", ex.Message);
        Assert.Equal(4, e.DoString("return 2 + 2")[0].AsInteger());
        Assert.Equal(100, e.DoString("local t = {} for i = 1, 100 do t[i] = i end return #t")[0].AsInteger());
    }

    [Fact]
    public void InstructionLimitStopsLoops()
    {
        using var e = NewEngine(new LuaEngineOptions { Jit = JitMode.Off, InstructionLimit = 1_000_000 });
        var ex = Assert.Throws<LuaException>(() => e.DoString("while true do end"));
        Assert.Contains("instruction limit exceeded", ex.Message);
        // pcall cannot swallow it for good.
        ex = Assert.Throws<LuaException>(() => e.DoString("while true do pcall(function() while true do end end) end"));
        Assert.Contains("instruction limit exceeded", ex.Message);
        // The budget is per call.
        Assert.Equal(1000, e.DoString("local n = 0 for i = 1, 1000 do n = n + 1 end return n")[0].AsInteger());
    }

    [Fact]
    public void InstructionLimitStopsLoopsRunningAsNativeCode()
    {
        // Native loops check the budget every few thousand back-edges, then go back into the
        // loop through its OSR entry: the limit must still stop them, and a loop that stays
        // under it must finish with the right result.
        using var e = NewEngine(new LuaEngineOptions { Jit = JitMode.Eager, InstructionLimit = 1_000_000 });
        var ex = Assert.Throws<LuaException>(() => e.DoString("local t = {1} while true do t[1] = t[1] + 1 end"));
        Assert.Contains("instruction limit exceeded", ex.Message);
        Assert.Equal(300000, e.DoString("local t = {0} for i = 1, 300000 do t[1] = t[1] + 1 end return t[1]")[0].AsInteger());
        // Integer for loops add up their back-edges only every so many iterations and at their
        // last one: short inner loops must count neither more nor less than they run. 1.6M
        // back-edges are over the limit, 800K are not.
        ex = Assert.Throws<LuaException>(() => e.DoString("for i = 1, 400000 do for j = 1, 3 do end end"));
        Assert.Contains("instruction limit exceeded", ex.Message);
        Assert.Equal(600000, e.DoString("local n = 0 for i = 1, 200000 do for j = 1, 3 do n = n + 1 end end return n")[0].AsInteger());
    }

    [Fact]
    public void CancellationStopsScript()
    {
        using var e = NewEngine();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var ex = Assert.Throws<LuaException>(() => e.DoString("while true do end", "spin", cts.Token));
        Assert.Contains("script cancelled", ex.Message);
        Assert.Equal(1, e.DoString("return 1")[0].AsInteger());
    }

    [Fact]
    public void InfiniteRecursionIsStackOverflow()
    {
        using var e = NewEngine();
        var ex = Assert.Throws<LuaException>(() => e.DoString("local function f() return 1 + f() end return f()"));
        Assert.Contains("stack overflow", ex.Message);
        Assert.Equal(2, e.DoString("return 1 + 1")[0].AsInteger());
    }

    [Fact]
    public void RecursionThroughHostIsStackOverflow()
    {
        using var e = NewEngine();
        e.Register("callback", (Func<LuaFunction, LuaValue>)(f => f.Call()[0]));
        var ex = Assert.Throws<LuaException>(() => e.DoString("local function f() return callback(f) end return f()"));
        Assert.Contains("stack overflow", ex.Message);
        Assert.Equal(2, e.DoString("return 1 + 1")[0].AsInteger());
    }

    private const string Workload = @"
        local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
        local s = 0
        for i = 1, 2000 do s = s + (i % 7) * 0.5 end
        local t = {}
        for i = 1, 100 do t[i] = i * i end
        return fib(20), s, #t, t[50], string.format('%d', 42)";

    [Fact]
    public void EagerJitGivesSameResults()
    {
        using var off = NewEngine();
        using var eager = new LuaEngine(new LuaEngineOptions { Jit = JitMode.Eager });
        LuaValue[] a = off.DoString(Workload);
        LuaValue[] b = eager.DoString(Workload);
        Assert.Equal(a, b);
        Assert.Empty(off.GetProfile().Functions);
        ProfileReport p = eager.GetProfile();
        Assert.NotEmpty(p.Functions);
        Assert.True(p.TotalCalls > 0);
    }

    [Fact]
    public void SafeLibrariesHaveNoIoOrExecute()
    {
        using var e = new LuaEngine(new LuaEngineOptions { Jit = JitMode.Off, Libraries = LuaLibraries.Safe });
        LuaValue[] r = e.DoString("return io == nil, os.execute == nil, dofile == nil, loadfile == nil, debug == nil, require == nil, type(os.time()), string.upper('a')");
        for (int i = 0; i < 6; i++) Assert.True(r[i].AsBoolean(), $"result {i}");
        Assert.Equal("number", r[6].AsString());
        Assert.Equal("A", r[7].AsString());
    }

    [Fact]
    public void DoFileRunsFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tiered-engine-{Guid.NewGuid():N}.lua");
        File.WriteAllText(path, "return ...  == nil, 'file'");
        try
        {
            using var e = NewEngine();
            Assert.Equal("file", e.DoFile(path)[1].AsString());
        }
        finally { File.Delete(path); }
    }
}
