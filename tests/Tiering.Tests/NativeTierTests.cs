using System.Text;
using Tiered.Interpreter.Lib;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Xunit;

namespace Tiered.Tiering.Tests;

/// <summary>The native tier end to end: guards and deopts, OSR, errors and yields that cross
/// native frames. Every script's result is checked against the interpreter's.</summary>
public class NativeTierTests
{
    private static (string Output, NativeTier? Tier) Run(string code, JitMode mode, TierThresholds? thresholds = null)
    {
        var output = new MemoryStream();
        using var L = new LuaState(new LuaStateOptions { StandardOutput = output });
        Libraries.OpenAll(L);
        NativeTier? tier = mode == JitMode.Off ? null : new NativeTier(L, mode, thresholds);
        try
        {
            Value f = L.LoadChunk(Encoding.UTF8.GetBytes(code), "=test");
            L.CallFunction(f);
            tier?.Drain(TimeSpan.FromSeconds(30));
            tier?.SnapshotCounters();
        }
        finally { tier?.Dispose(); }
        return (Encoding.UTF8.GetString(output.ToArray()), tier);
    }

    private static NativeTier AssertSameAsInterpreter(string code, JitMode mode = JitMode.Eager, TierThresholds? thresholds = null)
    {
        string expected = Run(code, JitMode.Off).Output;
        (string actual, NativeTier? tier) = Run(code, mode, thresholds);
        Assert.Equal(expected, actual);
        Assert.True(tier!.LlvmCompilations > 0, "nothing was compiled");
        return tier;
    }

    [Fact]
    public void IntegerSpecialisedArithmeticDeoptimisesOnFloatsStringsAndMetamethods()
    {
        NativeTier tier = AssertSameAsInterpreter(@"
            local function add(a, b) return a + b end
            local s = 0
            for i = 1, 50 do s = add(s, i) end          -- integers only: the site specialises
            print(s)
            print(add(1.5, 2), add('10', 5), add(2^53, 1))
            local mt = {__add = function(x, y) return 'meta' end}
            print(add(setmetatable({}, mt), 1))
            print(math.type(add(1, 2)), math.type(add(1, 2.0)))", JitMode.Adaptive,
            // Every failure is to be counted here, so a repeated site does not recompile.
            new TierThresholds { HotThreshold = 10, CompileInBackground = false, RecompileOnRepeatedSite = false });
        FunctionRecord add = tier.Functions.Single(f => f.Info.LineDefined == 2);
        Assert.True(add.TotalDeopts >= 3, $"expected the integer guard to fail for floats, strings and tables, saw {add.TotalDeopts} deopts");
        Assert.All(add.Deopts.Keys, k => Assert.Equal(DeoptReason.NotInteger, k.Reason));
    }

    [Fact]
    public void ASiteThatFailsTwiceRecompilesAtOnce()
    {
        // put only ever appends inside an array part while the interpreter runs it (a table
        // emptied from the end keeps its array part), so its store is compiled without the
        // generic path. Then appends meet full array parts now and then (t doubles): the second
        // failure at the site recompiles put, long before DeoptsBeforeRecompile failures in all
        // (t's growth to 3000 gives about 9).
        NativeTier tier = AssertSameAsInterpreter(@"
            local function put(t, v) t[#t + 1] = v; return #t end
            local roomy = {}
            for i = 1, 64 do roomy[i] = i end
            for i = 64, 1, -1 do roomy[i] = nil end
            local n = 0
            for i = 1, 40 do n = n + put(roomy, i) end
            local t = {}
            for i = 1, 3000 do n = n + put(t, i) end
            print(n, #t, #roomy)", JitMode.Adaptive, new TierThresholds { HotThreshold = 20, RecompileThreshold = 20, CompileInBackground = false });
        FunctionRecord put = tier.Functions.Single(f => f.Info.LineDefined == 2);
        Assert.True(put.Compilations >= 2, $"put compiled {put.Compilations} times");
        Assert.Equal(2, put.TotalDeopts);
        Assert.Equal(FunctionTier.Native, put.State);
    }

    [Fact]
    public void RepeatedDeoptsRecompileWithWiderFeedback()
    {
        NativeTier tier = AssertSameAsInterpreter(@"
            local function mul(a, b) return a * b end
            local s = 0
            for i = 1, 200 do s = s + mul(i, 2) end
            for i = 1, 400 do s = s + mul(i + 0.5, 2) end
            print(s)", JitMode.Adaptive, new TierThresholds { HotThreshold = 50, DeoptsBeforeRecompile = 4, RecompileThreshold = 20, CompileInBackground = false });
        FunctionRecord mul = tier.Functions.Single(f => f.Info.LineDefined == 2);
        Assert.True(mul.Compilations >= 2, $"mul compiled {mul.Compilations} times");
        Assert.Equal(FunctionTier.Native, mul.State);
    }

    [Fact]
    public void HotLoopInAChunkCalledOnceEntersNativeCodeAtItsHeader()
    {
        NativeTier tier = AssertSameAsInterpreter(@"
            local s, t = 0, {}
            for i = 1, 20000 do s = s + i % 7; t[i] = s end
            print(s, #t, t[100])", JitMode.Adaptive, new TierThresholds { HotThreshold = 1000 });
        FunctionRecord main = tier.Functions.Single(f => f.Info.LineDefined == 0);
        Assert.Equal(FunctionTier.Native, main.State);
        Assert.True(main.Calls <= 1 && main.BackEdges >= 1000, $"main: {main.Calls} calls, {main.BackEdges} back-edges");
    }

    [Fact]
    public unsafe void LoopStillInTheInterpreterSwitchesToCodeCompiledInTheBackground()
    {
        // The chunk gets hot at 1000 back-edges and is compiled on the background thread while
        // its loop goes on in the interpreter; waitcompiled() (at i == 5000) waits for that
        // compilation, and the loop must then enter the code at its header (OSR) instead of
        // finishing its 200000 iterations in the interpreter.
        const string code = @"
            local s = 0
            for i = 1, 200000 do
              s = s + i % 7
              if i == 5000 then waitcompiled() end
            end
            print(s)";
        string expected = Run(code.Replace("waitcompiled()", "local _ = 0"), JitMode.Off).Output;
        var output = new MemoryStream();
        using var L = new LuaState(new LuaStateOptions { StandardOutput = output });
        Libraries.OpenAll(L);
        var tier = new NativeTier(L, JitMode.Adaptive, new TierThresholds { HotThreshold = 1000, CompileInBackground = true });
        try
        {
            TableOps.Set(L, L.Globals, L.StringValue("waitcompiled"),
                L.NewHostFunction((state, argc) => { tier.Drain(TimeSpan.FromSeconds(60)); return 0; }, "waitcompiled"));
            L.CallFunction(L.LoadChunk(Encoding.UTF8.GetBytes(code), "=test"));
            tier.SnapshotCounters();
        }
        finally { tier.Dispose(); }
        Assert.Equal(expected, Encoding.UTF8.GetString(output.ToArray()));
        FunctionRecord main = tier.Functions.Single(f => f.Info.LineDefined == 0);
        Assert.Equal(FunctionTier.Native, main.State);
        // Back-edges are counted by the interpreter only: about 5000 before the wait, at most
        // one poll interval after it.
        Assert.True(main.BackEdges < 5000 + 2 * new TierThresholds().OsrPollInterval,
            $"the loop ran {main.BackEdges} of its iterations in the interpreter");
    }

    [Fact]
    public void DisposeAbandonsACompilationThatNoCacheWouldKeep()
    {
        // A main chunk large enough to take LLVM a good while, hot at once. With no cache to
        // save it in, Dispose must not wait for the compilation, and the code, when LLVM
        // finishes it after the state is gone, must not be published into freed prototypes.
        var body = new StringBuilder("local t, s = {}, 0\nfor i = 1, 3 do\n");
        for (int j = 0; j < 80; j++) body.Append($"  t[#t + 1] = tostring(i) .. 'x{j}'; s = s + #t[#t] * {j}\n");
        body.Append("end\nreturn s");
        var L = new LuaState(new LuaStateOptions { StandardOutput = new MemoryStream() });
        Libraries.OpenAll(L);
        var tier = new NativeTier(L, JitMode.Adaptive, new TierThresholds { HotThreshold = 2, CompileInBackground = true });
        FunctionRecord? main = null;
        try
        {
            L.CallFunction(L.LoadChunk(Encoding.UTF8.GetBytes(body.ToString()), "=test"));
            main = tier.Functions.Single(f => f.Info.LineDefined == 0);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (main.State == FunctionTier.Queued && sw.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(1);
            Assert.Equal(FunctionTier.Compiling, main.State);
        }
        finally
        {
            tier.Dispose();
            L.Dispose();
        }
        // Dispose returned with the compilation still running; it ends unpublished.
        Assert.Equal(FunctionTier.Compiling, main.State);
        Assert.True(tier.Worker!.Join(TimeSpan.FromSeconds(60)), "the compiler thread did not finish");
        Assert.Equal(FunctionTier.Compiling, main.State);
        Assert.Equal(0, tier.LlvmCompilations);
    }

    [Fact]
    public unsafe void AFrameLoopingInQuickCodeMovesToTheOptimisedCodeOnceItIsPublished()
    {
        // Every function is compiled quickly first (QuickCodegenAbove = 1); the loop's first
        // interrupt check in the quick code queues the optimising compilation
        // (UpgradeAfterTicks = 1), which is held back until upgrade() lets it run. Once it is
        // published, the frame must leave the quick code at an interrupt check and go on in the
        // new code.
        const string code = @"
            local s, t = 0, {}
            for i = 1, 80000 do
              t[i % 100 + 1] = i
              s = s + t[i % 100 + 1] % 7
              if i == 2000 then waitquick() end
              if i == 40000 then upgrade() end
            end
            print(s, #t)";
        string expected = Run(code.Replace("waitquick()", "local _ = 0").Replace("upgrade()", "local _ = 0"), JitMode.Off).Output;
        var output = new MemoryStream();
        using var L = new LuaState(new LuaStateOptions { StandardOutput = output });
        Libraries.OpenAll(L);
        bool hold = true;
        var tier = new NativeTier(L, JitMode.Adaptive, new TierThresholds { HotThreshold = 1000, CompileInBackground = true, QuickCodegenAbove = 1, UpgradeAfterTicks = 1 })
        {
            HoldUpgrades = () => Volatile.Read(ref hold),
        };
        FunctionRecord Main() => tier.Functions.Single(f => f.Info.LineDefined == 0);
        void WaitFor(Func<bool> done, string what)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (!done())
            {
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "timed out waiting for " + what);
                Thread.Sleep(1);
            }
        }
        try
        {
            TableOps.Set(L, L.Globals, L.StringValue("waitquick"), L.NewHostFunction((state, argc) =>
            {
                WaitFor(() => Main().State == FunctionTier.Native, "the quick compilation");
                Assert.EndsWith(FunctionKey.QuickSuffix, Main().Symbol);
                return 0;
            }, "waitquick"));
            TableOps.Set(L, L.Globals, L.StringValue("upgrade"), L.NewHostFunction((state, argc) =>
            {
                Assert.Equal(0, Interlocked.Read(ref tier.FramesMovedToNewerCode));
                Volatile.Write(ref hold, false);
                WaitFor(() => Main().Symbol?.EndsWith(FunctionKey.QuickSuffix) == false, "the optimising compilation");
                return 0;
            }, "upgrade"));
            L.CallFunction(L.LoadChunk(Encoding.UTF8.GetBytes(code), "=test"));
            tier.Drain(TimeSpan.FromSeconds(30));
            tier.SnapshotCounters();
        }
        finally { tier.Dispose(); }
        Assert.Equal(expected, Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(1, Interlocked.Read(ref tier.FramesMovedToNewerCode));
        // The upgrade is not a recompilation: the function was compiled once, and stays native.
        Assert.Equal(1, Main().Compilations);
        Assert.Equal(FunctionTier.Native, Main().State);
        // The loop ran in native code from about the 2000th iteration, not in the interpreter.
        Assert.True(Main().BackEdges < 2000 + 2 * new TierThresholds().OsrPollInterval + 10, $"{Main().BackEdges} iterations in the interpreter");
    }

    [Fact]
    public void CodeCompiledWhileTheInterpreterRanLaterLoopsIsCompiledAgainFromTheWiderProfile()
    {
        // The first inner loop makes the main chunk hot; its compilation (from that loop's
        // feedback only) is held while the interpreter runs the second inner loop, whose sites
        // the code then has helper paths for. Once published, that code is behind the profile:
        // at its first interrupt check (UpgradeAfterTicks = 1) it is compiled again, from the
        // feedback that now covers the second loop, as an upgrade, not a recompilation.
        (NativeTier tier, FunctionRecord main, string first) = RunWithCompileHeld(@"
            local s, names = 0, {}
            for r = 1, 40 do
              for i = 1, 2000 do s = s + i % 7 end
              for i = 1, 300 do names['k' .. i % 50] = i; s = s + names['k' .. i % 50] // 3 end
              if r == 2 then release() end
            end
            print(s)");
        Assert.Equal(2, tier.LlvmCompilations);
        Assert.Equal(1, main.Compilations);
        Assert.Equal(FunctionTier.Native, main.State);
        Assert.NotEqual(first, main.Symbol);
        Assert.Empty(main.Deopts);
    }

    [Fact]
    public void CodeBehindItsProfileOnlyOutsideLoopsIsNotCompiledAgain()
    {
        // The same held compilation, but what the interpreter ran meanwhile is straight-line
        // code after the loop: the code's helper path there runs once, not worth a compilation.
        (NativeTier tier, FunctionRecord main, string first) = RunWithCompileHeld(@"
            local s, names = 0, {}
            for i = 1, 2000 do s = s + i % 7 end
            names['k' .. s % 50] = s; s = s + names['k' .. s % 50] // 3
            release()
            for i = 1, 60000 do s = s + i % 5 end
            print(s)");
        Assert.Equal(1, tier.LlvmCompilations);
        Assert.Equal(first, main.Symbol);
    }

    [Fact]
    public void CodeBehindItsProfileOnlyWhereItHasTheFastPathsAnywayIsNotCompiledAgain()
    {
        // The loop the interpreter ran during the held compilation does integer and float
        // arithmetic and array accesses: the code has those in line without feedback, so a
        // refresh (as costly as the first compilation) would gain nothing.
        (NativeTier tier, FunctionRecord main, string first) = RunWithCompileHeld(@"
            local s, f, t = 0, 0.5, {}
            for r = 1, 40 do
              for i = 1, 2000 do s = s + i % 7 end
              for i = 1, 300 do t[i] = i * 2; f = f + t[i] / 4; s = s + t[i] // 3 end
              if r == 2 then release() end
            end
            print(s, f)");
        Assert.Equal(1, tier.LlvmCompilations);
        Assert.Equal(first, main.Symbol);
    }

    [Fact]
    public unsafe void CodeBehindItsProfileThatRanHotButNotLongEnoughIsCompiledAgainAtExitForTheCache()
    {
        // The run ends a few interrupt checks after the stale code is published, before its
        // refresh is due (UpgradeAfterTicks = 1000): the refresh is compiled at exit, so the
        // next run loads code compiled from the whole profile.
        const string code = @"
            local s, names = 0, {}
            for r = 1, 3 do
              for i = 1, 2000 do s = s + i % 7 end
              for i = 1, 300 do names['k' .. i % 50] = i; s = s + names['k' .. i % 50] // 3 end
              if r == 2 then release() end
            end
            for i = 1, 40000 do s = s + i % 3 end
            print(s)";
        using var cache = new TempDirectory("tiered-refresh-");
        string dir = cache.Path;
        (NativeTier tier, FunctionRecord main, string first) = RunWithCompileHeld(code, upgradeAfterTicks: 1000, cacheDirectory: dir);
        Assert.Equal(2, tier.LlvmCompilations);
        Assert.NotEqual(first, main.Symbol);

        (NativeTier warm, FunctionRecord cached) = RunOnCache(code, dir);
        Assert.True(cached.FromCache);
        Assert.Equal(main.Symbol, cached.Symbol);
        Assert.Equal(0, warm.LlvmCompilations);
    }

    [Fact]
    public unsafe void ACompilationThatEndsDuringTheExitBehindItsProfileQueuesItsRefreshForTheCache()
    {
        // The main chunk's compilation is held until the exit has begun, so it is published
        // (from the first loop's feedback) after the exit took the pending refreshes: it must
        // queue its own, or the cache keeps code with helper paths for the second loop.
        const string code = @"
            local s, names = 0, {}
            for r = 1, 3 do
              for i = 1, 2000 do s = s + i % 7 end
              for i = 1, 300 do names['k' .. i % 50] = i; s = s + names['k' .. i % 50] // 3 end
            end
            print(s)";
        using var cache = new TempDirectory("tiered-refresh-");
        string dir = cache.Path;
        using var L = new LuaState(new LuaStateOptions { StandardOutput = new MemoryStream() });
        Libraries.OpenAll(L);
        NativeTier? tier = null;
        tier = new NativeTier(L, JitMode.Adaptive, new TierThresholds { HotThreshold = 1000, CompileInBackground = true })
        {
            HoldCompiles = () => !tier!.ExitStarted,
        };
        tier.EnableCache(dir);
        try { L.CallFunction(L.LoadChunk(Encoding.UTF8.GetBytes(code), "=test")); }
        finally { tier.Dispose(); }
        FunctionRecord main = tier.Functions.Single(f => f.Info.LineDefined == 0);
        Assert.Equal(2, tier.LlvmCompilations);
        Assert.Equal(1, main.Compilations);

        (_, FunctionRecord cached) = RunOnCache(code, dir);
        Assert.True(cached.FromCache);
        Assert.Equal(main.Symbol, cached.Symbol);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public unsafe void AWarmCompilationOfAFunctionNotHotInItsRunIsDroppedAtExitAndNotStartedEarlyAgain(bool running)
    {
        // f is called 600 times a run, under the hot threshold (1000 here): the first run saves
        // its counts, and in the second the saved ones take it to the threshold at its 400th
        // call. That compilation (held until the exit began: still queued, or taken by the
        // compiler thread) is not waited for, as f did not get hot in the run itself: nothing
        // is compiled, and the third run, told so by the counts saved, compiles f only if it
        // gets hot on its own.
        Assert.True(JitHost.TryGet(out _, out string llvmError), llvmError);
        const string code = @"
            local function f(x) return x + 1 end
            local s = 0
            for i = 1, 600 do s = f(s) end
            taken()
            print(s)";
        using var cache = new TempDirectory("tiered-warm-");
        string dir = cache.Path;
        var held = System.Diagnostics.Stopwatch.StartNew();
        NativeTier RunOnce(bool hold)
        {
            held.Restart();
            using var L = new LuaState(new LuaStateOptions { StandardOutput = new MemoryStream() });
            Libraries.OpenAll(L);
            NativeTier? tier = null;
            tier = new NativeTier(L, JitMode.Adaptive, new TierThresholds { HotThreshold = 1000, CompileInBackground = true })
            {
                HoldCompiles = hold && !running ? () => !tier!.ExitStarted : null,
                // Held until the exit has decided (or, were it to wait, for 5 s: then the
                // compilation ends and is published, and the assertions below fail).
                HoldInProgress = hold && running ? () => !tier!.Disposed && held.Elapsed.TotalSeconds < 5 : null,
            };
            // taken(): with a compilation to hold in progress, waits until the compiler
            // thread has taken it, so the exit finds it running.
            TableOps.Set(L, L.Globals, L.StringValue("taken"), L.NewHostFunction((state, argc) =>
            {
                var sw = System.Diagnostics.Stopwatch.StartNew();
                while (hold && running && !tier.CompilationInProgress && sw.Elapsed.TotalSeconds < 30) Thread.Sleep(1);
                return 0;
            }, "taken"));
            tier.EnableCache(dir);
            try { L.CallFunction(L.LoadChunk(Encoding.UTF8.GetBytes(code), "=test")); }
            finally { tier.Dispose(); }
            return tier;
        }
        FunctionRecord? F(NativeTier tier) => tier.Functions.SingleOrDefault(r => r.Info.LineDefined == 2);

        NativeTier first = RunOnce(hold: false);
        Assert.Equal(0, first.LlvmCompilations);

        NativeTier second = RunOnce(hold: true);
        Assert.True(second.CacheCountsRestored >= 1);
        FunctionRecord f2 = F(second)!;
        // Asked for, then dropped at exit (a compilation running then goes on, unpublished).
        Assert.True(f2.State is FunctionTier.Queued || running && f2.State == FunctionTier.Compiling, f2.State.ToString());
        Assert.Null(f2.Symbol);
        Assert.Equal(0, second.LlvmCompilations);

        NativeTier third = RunOnce(hold: false);
        Assert.Equal(0, third.LlvmCompilations);
        Assert.True(F(third) is null or { State: FunctionTier.Interpreted, Compilations: 0 });
    }

    /// <summary>Runs <paramref name="code"/> as the next run would, in adaptive mode on the cache
    /// in <paramref name="dir"/> (release() does nothing); returns the tier and the main
    /// chunk's record.</summary>
    private static unsafe (NativeTier Tier, FunctionRecord Main) RunOnCache(string code, string dir)
    {
        using var L = new LuaState(new LuaStateOptions { StandardOutput = new MemoryStream() });
        Libraries.OpenAll(L);
        TableOps.Set(L, L.Globals, L.StringValue("release"), L.NewHostFunction((state, argc) => 0, "release"));
        var tier = new NativeTier(L, JitMode.Adaptive);
        try
        {
            tier.EnableCache(dir);
            L.CallFunction(L.LoadChunk(Encoding.UTF8.GetBytes(code), "=test"));
        }
        finally { tier.Dispose(); }
        return (tier, tier.Functions.Single(f => f.Info.LineDefined == 0));
    }

    /// <summary>Runs <paramref name="code"/> in adaptive mode with compilations held until it
    /// calls release(), which waits for the main chunk's code to be published; checks the
    /// output against the interpreter's. Returns the tier, the main chunk's record and the
    /// symbol of its first code.</summary>
    private static unsafe (NativeTier Tier, FunctionRecord Main, string First) RunWithCompileHeld(string code, int upgradeAfterTicks = 1, string? cacheDirectory = null)
    {
        string expected = Run(code.Replace("release()", "local _ = 0"), JitMode.Off).Output;
        var output = new MemoryStream();
        using var L = new LuaState(new LuaStateOptions { StandardOutput = output });
        Libraries.OpenAll(L);
        bool hold = true;
        var tier = new NativeTier(L, JitMode.Adaptive, new TierThresholds { HotThreshold = 1000, CompileInBackground = true, UpgradeAfterTicks = upgradeAfterTicks })
        {
            HoldCompiles = () => Volatile.Read(ref hold),
        };
        if (cacheDirectory != null) tier.EnableCache(cacheDirectory);
        FunctionRecord Main() => tier.Functions.Single(f => f.Info.LineDefined == 0);
        string? first = null;
        try
        {
            TableOps.Set(L, L.Globals, L.StringValue("release"), L.NewHostFunction((state, argc) =>
            {
                Volatile.Write(ref hold, false);
                var sw = System.Diagnostics.Stopwatch.StartNew();
                while (Main().State != FunctionTier.Native)
                {
                    Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "timed out waiting for the compilation");
                    Thread.Sleep(1);
                }
                first = Main().Symbol;
                return 0;
            }, "release"));
            L.CallFunction(L.LoadChunk(Encoding.UTF8.GetBytes(code), "=test"));
            tier.Drain(TimeSpan.FromSeconds(60));
        }
        finally { tier.Dispose(); }
        Assert.Equal(expected, Encoding.UTF8.GetString(output.ToArray()));
        Assert.NotNull(first);
        return (tier, Main(), first!);
    }

    [Fact]
    public void LoopAtTheStartOfAFunctionStaysNativeAcrossInterruptChecks()
    {
        // spin's outer loop header is its first instruction, and it has a second loop header
        // (the inner for). The interrupt check on a back-edge comes back into the loop through
        // the OSR entry, which must know pc 0 as a loop header: it once answered "no entry",
        // and the frame finished its 100000 iterations in the interpreter.
        NativeTier tier = AssertSameAsInterpreter(@"
            local function spin(t)
              while t.i < t.n do
                t.i = t.i + 1
                for j = 1, 2 do t.s = t.s + j end
              end
              return t.s
            end
            print(spin({i = 0, n = 100000, s = 0}))");
        FunctionRecord spin = tier.Functions.Single(f => f.Info.LineDefined == 2);
        Assert.Equal(FunctionTier.Native, spin.State);
        // Back-edges are counted by the interpreter only.
        Assert.True(spin.BackEdges < 1000, $"spin ran {spin.BackEdges} loop iterations in the interpreter");
    }

    [Fact]
    public void FrameHandedToTheInterpreterGoesBackToNativeCodeAtItsLoopHeader()
    {
        // total is compiled while every record has its own field x. At record 1000 the field
        // comes through a metatable instead, which the code was not specialised for: it
        // deoptimises, and the interpreter finishes that iteration. The loop must go back to
        // native code at its header soon after, not run its last 199000 iterations here.
        NativeTier tier = AssertSameAsInterpreter(@"
            local rs = {}
            for i = 1, 200000 do rs[i] = {x = i % 3} end
            rs[1000] = setmetatable({}, {__index = {x = 5}})
            local function total(rs, n)
              local s = 0
              for i = 1, n do s = s + rs[i].x end
              return s
            end
            print(total(rs, 100))
            print(total(rs, 200000))", JitMode.Adaptive, new TierThresholds { HotThreshold = 50, CompileInBackground = false });
        FunctionRecord total = tier.Functions.Single(f => f.Info.LineDefined == 5);
        Assert.Equal(FunctionTier.Native, total.State);
        Assert.True(total.TotalDeopts >= 1, "the metatable record should have failed a guard");
        Assert.True(total.BackEdges < 5000, $"total ran {total.BackEdges} loop iterations in the interpreter");
    }

    [Fact]
    public void ErrorsRaisedInNativeCodeCarryTheirLineAndAreCaughtByPcall()
    {
        AssertSameAsInterpreter(@"
            local function f(t, k)
              local x = t[k]
              return x.field
            end
            print(pcall(f, {}, 1))
            print(pcall(f, {{field = 7}}, 1))
            local function g(n) if n == 0 then error('bottom', 2) end return g(n - 1) + 1 end
            print(pcall(g, 5))
            print(select(2, pcall(function() local a = nil; return a + 1 end)))");
    }

    [Fact]
    public void CoroutinesYieldAcrossNativeFrames()
    {
        AssertSameAsInterpreter(@"
            local function producer(n)
              for i = 1, n do coroutine.yield(i * i) end
              return 'done'
            end
            local function deep(n) if n == 0 then return producer(4) end return deep(n - 1) end
            local co = coroutine.wrap(function() return deep(3) end)
            for _ = 1, 5 do io.write(tostring(co()), ' ') end
            print()
            local lazy = setmetatable({}, {__index = function(t, k) return coroutine.yield(k) end})
            local c2 = coroutine.wrap(function() return lazy.a + lazy.b end)
            print(c2(), c2(10), c2(32))");
    }

    [Fact]
    public void DeepRecursionThroughNativeCodeDoesNotOverflowTheStack()
    {
        AssertSameAsInterpreter(@"
            local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
            print(depth(100000))
            local function loop(n) if n == 0 then return 'tail' end return loop(n - 1) end
            print(loop(1000000))
            print(select(2, pcall(function() local function r() return 1 + r() end return r() end)):find('stack overflow') ~= nil)");
    }
    [Fact]
    public void IntegerLoopsDeoptimiseOnFloatLoopsAtTheirPreparationAndAtTheirHeader()
    {
        // span's loop is compiled as an integer loop (the interpreter only prepared integer
        // loops there). A float start must deopt at FORPREP; a float loop the interpreter is
        // already running must not be entered at the header (OSR) as an integer loop.
        NativeTier tier = AssertSameAsInterpreter(@"
            local function span(a, b, s)
              local c, last = 0, nil
              for i = a, b, s do c = c + 1; last = i end
              return c, last
            end
            local n = 0
            for k = 1, 30 do n = n + span(1, k, 1) end
            print(n)
            print(span(0.5, 3, 1))
            print(span(1, 200000, 0.5))
            print(span(1, 10, 3))", JitMode.Adaptive,
            new TierThresholds { HotThreshold = 10, CompileInBackground = false, RecompileOnRepeatedSite = false, DeoptsBeforeRecompile = 100 });
        FunctionRecord span = tier.Functions.Single(f => f.Info.LineDefined == 2);
        // FORPREP at p, the loop's header (its body's first instruction) at p + 1: the float
        // loop is refused at both, before any of the body's integer code runs with its registers.
        int prep = span.Deopts.Keys.Min(k => k.Pc);
        Assert.Equal([prep, prep + 1], span.Deopts.Keys.Select(k => k.Pc).Distinct().Order());
        Assert.All(span.Deopts.Keys, k => Assert.Equal(DeoptReason.FloatLoop, k.Reason));
    }

    [Fact]
    public void SelfTailCallsOfOtherClosuresOfTheSamePrototypeSeeTheirOwnUpvalues()
    {
        // A tail call of the same closure restarts the function in place; one of another closure
        // of the prototype must run with that closure's upvalues.
        AssertSameAsInterpreter(@"
            local function make(tag)
              local self
              self = function(n, other, acc)
                if n == 0 then return acc .. tag end
                if n % 3 == 0 and other then return other(n - 1, self, acc .. tag) end
                return self(n - 1, other, acc .. tag)
              end
              return self
            end
            local a, b = make('a'), make('b')
            for _ = 1, 30 do a(10, b, '') end
            print(a(10, b, ''), b(7, a, ''), a(5, nil, ''))");
    }
}

/// <summary>A fresh directory under the system's temporary one (a cache directory for a test's
/// runs), deleted with what it holds when disposed.</summary>
internal sealed class TempDirectory(string prefix) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
