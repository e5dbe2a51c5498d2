namespace Tiered.Tiering;

/// <summary>The tier-up policy's tunables, each with why it has its value.</summary>
public sealed class TierThresholds
{
    /// <summary>Calls plus loop back-edges before a function is compiled. An O2 compile costs
    /// 4-7 ms; at ~20-50 ns per interpreted call or iteration, 2000 events (tens of
    /// microseconds) mean the function is hot enough that the compile is a small bet.
    /// TIERED_HOT_THRESHOLD overrides it (the test suite uses a low one, so that scripts run
    /// code specialised on the feedback of their first iterations).</summary>
    public int HotThreshold { get; set; } =
        int.TryParse(Environment.GetEnvironmentVariable("TIERED_HOT_THRESHOLD"), out int hot) && hot > 0 ? hot : 2000;

    /// <summary>Deoptimisations of one compiled function before it is compiled again with
    /// the feedback the interpreter gathered since (its guards were too narrow).</summary>
    public int DeoptsBeforeRecompile { get; set; } = 16;

    /// <summary>A guard that fails a second time at the same site (pc and reason) since the
    /// compilation sends the function for recompilation at once, without waiting for
    /// DeoptsBeforeRecompile failures in all. A rare miss (an append that meets a full array
    /// part: json's encoder) otherwise took more than a run to add up to the total, so the
    /// code cache kept, and the next run repeated, code that deoptimised.</summary>
    public bool RecompileOnRepeatedSite { get; set; } = true;

    /// <summary>Recompilations before a function is compiled without any type speculation
    /// (helpers instead of guards), so it cannot flap between tiers.</summary>
    public int MaxRecompilations { get; set; } = 2;

    /// <summary>Calls plus back-edges in the interpreter after a deopt before recompiling,
    /// so the feedback can widen first.</summary>
    public int RecompileThreshold { get; set; } = 500;

    /// <summary>While a function's compilation is queued or running, the interpreter asks again
    /// after this many more calls plus back-edges, so a frame still looping in the interpreter
    /// (a main chunk, a coroutine body) enters the native code at a loop header once it is
    /// published (OSR). Each ask is one dictionary lookup: every 1000 iterations it costs
    /// nothing measurable, and a loop waits at most ~1000 iterations after the code is ready.</summary>
    public int OsrPollInterval { get; set; } = 1000;

    /// <summary>After native code hands a frame to the interpreter (a failed guard, or a return
    /// into a frame whose pc has no entry), the interpreter asks again after this many calls
    /// plus back-edges and enters the code at the next loop header. Small, so a long loop runs
    /// little of itself in the interpreter; a guard that keeps failing is recompiled after
    /// DeoptsBeforeRecompile anyway.</summary>
    public int ReentryCountdown { get; set; } = 100;

    /// <summary>Compile on the background thread (the interpreter keeps going); false compiles at
    /// once on the hot call, which makes tier-up points deterministic (tests).
    /// TIERED_COMPILE_SYNC=1 sets it false.</summary>
    public bool CompileInBackground { get; set; } = Environment.GetEnvironmentVariable("TIERED_COMPILE_SYNC") != "1";

    /// <summary>Calls plus back-edges a function that stayed in the interpreter needs for its
    /// counts to be saved in the native cache (so the next run's warm-up starts from them). A
    /// quarter of <see cref="HotThreshold"/>: below that, carrying the counts over would gain
    /// little, and saving them costs loading libLLVM (for the cache header) in a run that may
    /// have compiled nothing.</summary>
    public int WarmCountMinimum { get; set; } = 500;

    /// <summary>Calls plus back-edges saved by earlier runs (see WarmCountMinimum) at which a
    /// function is compiled at its first call or back-edge: one that came halfway to
    /// <see cref="HotThreshold"/> is expected to do as much again in this run, so its compile
    /// starts beside the run's work instead of when the counts cross the threshold, which may
    /// be near the end (spectral's main chunk crossed it in its last loop, and the run then
    /// waited at exit for the compile to be saved: 1.5 s instead of 1.1 s). The compile uses the
    /// feedback saved with the counts.</summary>
    public int WarmCompileMinimum { get; set; } = 1000;

    /// <summary>Seconds between the compiler thread's saves of newly compiled functions to the
    /// native cache in a long run (functions are also saved at exit). A save merges and
    /// rewrites one module file (a few milliseconds); every 30 s keeps that negligible while a
    /// run that is killed loses at most half a minute of compilations. TIERED_CACHE_SAVE_INTERVAL
    /// overrides it (tests use 0: save after every compilation).</summary>
    public double CacheSaveIntervalSeconds { get; set; } =
        double.TryParse(Environment.GetEnvironmentVariable("TIERED_CACHE_SAVE_INTERVAL"), System.Globalization.CultureInfo.InvariantCulture, out double s) && s >= 0 ? s : 30;

    /// <summary>At exit, with the native cache on, compilations still queued keep running for up to
    /// this long (ms) so that they are saved and the next run finds them: without it a function
    /// that got hot near the end of a run is compiled again by the next one. No compilation
    /// starts after the budget, but one in progress is finished, so the delay a short script can
    /// see at exit is at most the budget plus one compilation (the slowest measured on perf/ is
    /// 1.6 s, a large main chunk); 0 drops the queue at once. TIERED_EXIT_COMPILE_BUDGET
    /// overrides it.</summary>
    public int ExitCompileBudgetMs { get; set; } =
        int.TryParse(Environment.GetEnvironmentVariable("TIERED_EXIT_COMPILE_BUDGET"), out int ms) && ms >= 0 ? ms : 1500;

    /// <summary>When above 0, a function whose lowered IR holds more instructions than this is
    /// first compiled quickly: the same optimised IR, but machine code from LLVM's fast
    /// instruction selector and register allocator (CodeGenOptLevel None). Once the quick code
    /// is hot (UpgradeAfterTicks, UpgradeAfterCalls) it is compiled again with the optimising
    /// back end, and the newer code replaces it (frames looping in the quick code move over at
    /// an interrupt check). The back end is two thirds of a large function's compile time
    /// (json.lua's encode_value 350 of 540 ms, its main chunk 870 of 1160 ms) and 10x faster
    /// this way; the quick code ran 15-30% slower than the optimised code (json, fib).
    /// Off by default: measured 2026-11-22 at 6000 on the perf/ benchmarks of a cold cache
    /// (median of 3), it helped where the quick code runs hot numeric loops (nbody 1.52 -> 0.91
    /// s, json 3.07 -> 2.43 s, tablefill 1.75 -> 1.55 s) and hurt where it is no faster than
    /// the interpreter (string and library work) and the run then waits at exit for the second
    /// compilation (strbuild 1.21 -> 1.77 s, closures 2.04 -> 2.56 s, patterns 1.91 -> 2.22 s).
    /// TIERED_QUICK_CODEGEN_ABOVE sets it.</summary>
    public int QuickCodegenAbove { get; set; } =
        int.TryParse(Environment.GetEnvironmentVariable("TIERED_QUICK_CODEGEN_ABOVE"), out int n) && n >= 0 ? n : 0;

    /// <summary>Quick code is compiled again with the optimising back end, and code behind its
    /// profile (NativeTier.PendingUpgrade) from the wider feedback, once it has been
    /// running at this many of native code's interrupt checks (a sample every InterruptInterval
    /// back-edges: 3 is about 30,000 back-edges spent in its loops)...</summary>
    public int UpgradeAfterTicks { get; set; } = 3;

    /// <summary>... or called this many times since it was published (a function without loops).</summary>
    public int UpgradeAfterCalls { get; set; } = 10_000;

    /// <summary>The largest function, in bytecode instructions, whose code a call site carries
    /// in line (see Lowering.Inline.cs: leaves, with no calls or loops of their own, whose
    /// native code exists when the caller is compiled; and a recursive function's next level
    /// at its self-call sites). Each copy adds the callee's IR to the
    /// caller's, so the bound keeps a caller's compile time near what it was; 0 turns inlining
    /// off. TIERED_INLINE_MAX sets it.</summary>
    public int InlineMaxInstructions { get; set; } =
        int.TryParse(Environment.GetEnvironmentVariable("TIERED_INLINE_MAX"), out int inl) && inl >= 0 ? inl : 30;

    /// <summary>Times a hot function's compilation is put off (each by OsrPollInterval calls
    /// plus back-edges) while a small callee of one of its call sites, which could go in line,
    /// has no native code yet. A leaf called from a loop gets hot with the loop, often just
    /// after it (spectral's A after mul_Av); compiled first, the loop would call it instead
    /// of running its code in line until the next recompilation.</summary>
    public int InlineWaits { get; set; } = 3;

    /// <summary>The LLVM optimisation pipeline.</summary>
    public string Pipeline { get; set; } = Environment.GetEnvironmentVariable("TIERED_PIPELINE") ?? "default<O1>";
}


