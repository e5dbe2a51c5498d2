using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Tiered.NativeCache;
using Tiered.Tiering.Codegen;
using Tiered.Tiering.Llvm;

namespace Tiered.Tiering;

/// <summary>Per-function state of the native tier.</summary>
public enum FunctionTier { Interpreted, Queued, Compiling, Native, Failed }

/// <summary>What the tier knows about one function: for the profile and the policy.</summary>
public sealed class FunctionRecord
{
    internal FunctionRecord(FunctionProto info) { Info = info; }
    public FunctionProto Info { get; }
    public FunctionTier State { get; internal set; }
    public string? FailureReason { get; internal set; }
    public int Compilations { get; internal set; }
    public double CompileMs { get; internal set; }
    public double? NativeSinceMs { get; internal set; }
    public long Calls { get; internal set; }
    public long BackEdges { get; internal set; }
    public bool Generic { get; internal set; }
    internal int DeoptsSinceCompile;
    /// <summary>Times its compilation was put off for a callee to reach native code first
    /// (TierThresholds.InlineWaits).</summary>
    internal int InlineWaits;
    /// <summary>The (pc, reason) pairs that deoptimised since the last compilation. Replaced,
    /// not cleared, by the compiler thread, so the interpreter's thread never sees it change
    /// under an insertion.</summary>
    internal HashSet<(int Pc, DeoptReason Reason)> DeoptSitesSinceCompile = new();
    internal nint Proto;
    internal byte[]? Key;
    internal byte[]? ObjectCode;
    internal string? Symbol;
    internal byte[]? SavedFeedback;
    /// <summary>Its native code came from the native cache (no LLVM work this run).</summary>
    public bool FromCache { get; internal set; }
    /// <summary>Deopt counts by (pc, reason).</summary>
    public Dictionary<(int Pc, DeoptReason Reason), int> Deopts { get; } = new();
    public int TotalDeopts => Deopts.Values.Sum();
}

/// <summary>
/// The native tier of one LuaState: receives the interpreter's hot-function hook, compiles
/// with LLVM (on a background thread, or at once in eager mode), publishes native entries and
/// keeps the deopt/recompile policy. LLVM is loaded on the first compilation only.
/// </summary>
public sealed unsafe partial class NativeTier : INativeTier, IDisposable
{
    private readonly LuaState L;
    private readonly ILogger logger;
    public JitMode Mode { get; }
    public TierThresholds Thresholds { get; }
    private readonly Dictionary<FunctionProto, FunctionRecord> records = new(ReferenceEqualityComparer.Instance);
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private volatile bool disabled;   // no LLVM (set by whichever thread tried to load it)

    // Prototypes with a compilation in flight stay alive (the collector marks them).
    private readonly HashSet<nint> pinned = new();
    private readonly BlockingCollection<CompileJob> queue = new();
    // Optimising compilations of functions running quick code: taken when the queue is empty.
    private readonly ConcurrentQueue<CompileJob> upgrades = new();
    // Functions running code to be compiled again, not yet hot enough in it (see OnTick).
    private readonly List<PendingUpgrade> pendingUpgrades = new();

    /// <summary>Running code that is compiled again once it is hot: quick code (Job: its
    /// optimising compilation, same feedback), or code whose compilation took long enough for
    /// the interpreter to run sites in its loops that the code was compiled without (Job null:
    /// a refresh, built when due from the feedback and callees of that time).</summary>
    private sealed class PendingUpgrade(FunctionRecord record, nint proto, CompileJob? job, int callsAtPublish)
    {
        public FunctionRecord Record { get; } = record;
        public nint Proto { get; } = proto;
        public CompileJob? Job { get; } = job;
        public int CallsAtPublish { get; } = callsAtPublish;
        public int Ticks;
    }
    private Thread? worker;
    internal Thread? Worker => worker;   // for tests

    public long LlvmCompilations;
    /// <summary>Frames that left replaced native code at a loop's interrupt check for the newer
    /// code (a quick compilation's upgrade, a recompilation).</summary>
    public long FramesMovedToNewerCode;
    /// <summary>For tests: while it returns true, the compiler thread leaves upgrades queued.</summary>
    internal Func<bool>? HoldUpgrades;
    /// <summary>For tests: while it returns true, the compiler thread starts nothing (a
    /// compilation that takes as long as the interpreter needs to go on to later loops).</summary>
    internal Func<bool>? HoldCompiles;
    /// <summary>For tests: while it returns true, the compiler thread holds the job it has taken
    /// (a compilation in progress, as the exit sees it).</summary>
    internal Func<bool>? HoldInProgress;
    public double TotalCompileMs;

    public IReadOnlyCollection<FunctionRecord> Functions => records.Values;
    public double ElapsedMs => clock.Elapsed.TotalMilliseconds;

    /// <param name="Upgrade">The symbol of the running code this compilation replaces, not as a
    /// recompilation (it leaves the function's count of compilations and deopts alone): quick
    /// code (see TierThresholds.QuickCodegenAbove), or code compiled from a profile the
    /// interpreter outgrew (see PendingUpgrade). Null for any other compilation.</param>
    private sealed record CompileJob(FunctionRecord Record, nint Proto, FunctionProto Info, byte[] Feedback, bool Generic, string? Upgrade = null,
        IReadOnlyDictionary<int, InlineTarget>? Inline = null);

    public NativeTier(LuaState state, JitMode mode, TierThresholds? thresholds = null, ILogger? logger = null)
    {
        L = state;
        Mode = mode;
        Thresholds = thresholds ?? new TierThresholds();
        this.logger = logger ?? NullLogger.Instance;
        L.NativeTier = this;
        L.ProtoFreed += OnProtoFreed;
        L.HotThreshold = mode == JitMode.Eager ? 1 : Thresholds.HotThreshold;
        L.NativeReentryCountdown = Thresholds.ReentryCountdown;
        Action<LuaState>? previous = L.MarkExtraRoots;
        L.MarkExtraRoots = s =>
        {
            previous?.Invoke(s);
            lock (pinned) foreach (nint p in pinned) s.MarkObjectRoot((GcObject*)p);
        };
    }

    private readonly Dictionary<nint, FunctionRecord> byProto = new();

    /// <summary>The record of the function with prototype p: by the prototype's address when
    /// this state has seen it (one pointer lookup: every generator resume through native code
    /// comes here), else by its FunctionProto, which also registers the address.</summary>
    private FunctionRecord RecordFor(Proto* p)
    {
        if (byProto.TryGetValue((nint)p, out FunctionRecord? known) && known.Proto == (nint)p) return known;
        FunctionProto info = L.ProtoInfos[p->InfoIndex]!;
        if (!records.TryGetValue(info, out FunctionRecord? rec))
        {
            rec = new FunctionRecord(info);
            records[info] = rec;
        }
        rec.Proto = (nint)p;
        byProto[(nint)p] = rec;
        return rec;
    }

    /// <summary>The collector frees a prototype: keep its counters, drop the pointer.</summary>
    private void OnProtoFreed(nint proto)
    {
        lock (pendingUpgrades) pendingUpgrades.RemoveAll(q => q.Proto == proto);
        if (!byProto.Remove(proto, out FunctionRecord? rec) || rec.Proto != proto) return;
        var p = (Proto*)proto;
        rec.Calls = p->CallCount;
        rec.BackEdges = p->BackEdgeCount;
        rec.Proto = 0;
    }

    public void OnHot(LuaState state, Proto* p)
    {
        if (disabled) return;
        FunctionRecord rec = RecordFor(p);
        if (rec.State is FunctionTier.Queued or FunctionTier.Compiling)
        {
            // Being compiled in the background: ask again soon, so that a frame looping in the
            // interpreter switches to the code at a loop header when it is published.
            p->HotCountdown = Thresholds.OsrPollInterval;
            return;
        }
        // Published since the last ask: the interpreter enters it now (at this loop header).
        if (rec.State == FunctionTier.Native && p->NativeEntry != null) return;
        if (rec.State == FunctionTier.Failed) return;
        // In the background, the compiler thread loads LLVM (about 40 ms with the library in
        // the page cache, 250 ms without), not the interpreter's thread, which runs on meanwhile.
        bool background = Mode == JitMode.Adaptive && Thresholds.CompileInBackground;
        JitHost? host = null;
        if (!background && !LoadLlvm(out host)) return;
        if (Mode == JitMode.Adaptive && AwaitsInlineCallee(p, rec.Info, rec.InlineWaits < Thresholds.InlineWaits))
        {
            // A small callee of a call site here is on its way to native code (it gets hot
            // with this function's loop, and is often compiled just after it): asked again
            // soon, this function is compiled with the callee's code in line.
            rec.InlineWaits++;
            p->HotCountdown = Math.Min(Thresholds.OsrPollInterval, Thresholds.HotThreshold);
            return;
        }
        CompileJob job = NewJob(rec, p);
        if (!background)
        {
            rec.State = FunctionTier.Compiling;
            Compile(host!, job);
            return;
        }
        rec.State = FunctionTier.Queued;
        p->HotCountdown = Thresholds.OsrPollInterval;   // asks again (above) until the code is out
        EnsureWorker();
        queue.Add(job);
    }

    /// <summary>A compilation of p with the feedback its prototype holds now (the refresh of
    /// the code named <paramref name="upgrade"/>, if given).</summary>
    private void Unpin(nint proto)
    {
        lock (pinned) pinned.Remove(proto);
    }

    private CompileJob NewJob(FunctionRecord rec, Proto* p, string? upgrade = null)
    {
        bool generic = rec.Compilations > Thresholds.MaxRecompilations;
        var feedback = new byte[p->CodeSize];
        new ReadOnlySpan<byte>(p->Feedback, p->CodeSize).CopyTo(feedback);
        lock (pinned) pinned.Add((nint)p);
        return new CompileJob(rec, (nint)p, rec.Info, feedback, generic, upgrade, Inline: generic ? null : InlineTargets(p, rec.Info, feedback));
    }

    /// <summary>Whether a call site of p (<paramref name="info"/>) has another callee that
    /// could go in line but has no native code yet: one being compiled, or (while
    /// <paramref name="notHot"/>) one not hot yet that has never been compiled.</summary>
    private bool AwaitsInlineCallee(Proto* p, FunctionProto info, bool notHot)
    {
        foreach ((_, FunctionProto callee) in InlineCandidates(p))
        {
            if (callee == info) continue;   // p itself, in line at its self-calls
            if (!records.TryGetValue(callee, out FunctionRecord? rec)) { if (notHot) return true; continue; }
            if (rec.State is FunctionTier.Queued or FunctionTier.Compiling) return true;
            if (notHot && rec.State == FunctionTier.Interpreted && rec.Compilations == 0) return true;
        }
        return false;
    }

    /// <summary>The call sites of p whose callee goes in line (see Lowering.Inline.cs): the
    /// interpreter saw one function called there (Proto.CallTargets), a leaf small enough,
    /// with native code now, whose feedback and stamp the copy is made from; or p itself
    /// (<paramref name="info"/>, compiled from <paramref name="feedback"/>), small enough and
    /// calling nothing but functions. Read here, on the interpreter's thread, where the
    /// callee's record does not change under the reading.</summary>
    private Dictionary<int, InlineTarget>? InlineTargets(Proto* p, FunctionProto info, byte[] feedback)
    {
        Dictionary<int, InlineTarget>? targets = null;
        foreach ((int pc, FunctionProto callee) in InlineCandidates(p))
        {
            if (callee == info) { (targets ??= new())[pc] = new InlineTarget(info, feedback, false, 0); continue; }
            if (!records.TryGetValue(callee, out FunctionRecord? rec)) continue;
            if (rec.State != FunctionTier.Native || rec.Symbol is not string symbol || rec.SavedFeedback is not byte[] fb) continue;
            (targets ??= new())[pc] = new InlineTarget(callee, fb, rec.Generic, FunctionKey.Stamp(symbol));
        }
        return targets;
    }

    /// <summary>The CALL sites of p where the interpreter saw one callee only (only CALL
    /// records one), small enough to go in line (Lowering.IsInlinable: a leaf, or p itself
    /// calling nothing but functions), with that callee.</summary>
    private List<(int Pc, FunctionProto Callee)> InlineCandidates(Proto* p)
    {
        var found = new List<(int, FunctionProto)>();
        int max = Thresholds.InlineMaxInstructions;
        if (max <= 0) return found;
        for (int pc = 0; pc < p->CodeSize; pc++)
        {
            int id = p->CallTargets[pc] - 1;
            if (id >= 0 && id < L.ProtoInfos.Count && L.ProtoInfos[id] is FunctionProto callee
                && Codegen.Lowering.IsInlinable(callee, max, self: id == p->InfoIndex))
                found.Add((pc, callee));
        }
        return found;
    }

    /// <summary>At exit, with the cache on: native functions whose guards failed since they were
    /// compiled (too few times yet to be recompiled), and functions sent back to the
    /// interpreter for a recompilation that has not come yet (it waits for them to get hot
    /// again), are compiled again now, within the exit budget, with the feedback the deopts
    /// added, so the cache does not keep code that the next run would deoptimise again before
    /// it got the same recompilation. Functions whose compilation waited for a callee to go
    /// in line, and never came, are compiled too, and so are the refreshes (see
    /// PendingUpgrade) not yet due: a main chunk whose compilation took most of the run, the
    /// interpreter meanwhile running the later loops that the code has only helper paths for.
    /// (A compilation that ends after this, during the exit, queues its refresh itself.)</summary>
    private void CompileForCacheAtExit()
    {
        if (cacheDirectory == null || disabled || Thresholds.ExitCompileBudgetMs <= 0 || Mode != JitMode.Adaptive) return;
        foreach (FunctionRecord rec in records.Values)
        {
            var p = (Proto*)rec.Proto;
            bool awaitingRecompile = rec.State == FunctionTier.Interpreted && rec.Compilations > 0;
            bool deopted = (rec.State == FunctionTier.Native || awaitingRecompile) && rec.DeoptsSinceCompile > 0;
            // Hot, but put off for a callee to go in line (AwaitsInlineCallee) when the run ended.
            bool waitedForCallee = rec.State == FunctionTier.Interpreted && rec.Compilations == 0 && rec.InlineWaits > 0;
            if (p == null || !(deopted || waitedForCallee) || notWaitedFor.Contains(rec.Proto)) continue;
            rec.State = FunctionTier.Queued;
            EnsureWorker();
            queue.Add(NewJob(rec, p));
        }
        List<PendingUpgrade> refreshes;
        lock (pendingUpgrades)
        {
            exiting = true;
            refreshes = pendingUpgrades.FindAll(q => q.Job == null);
        }
        foreach (PendingUpgrade q in refreshes)
        {
            if (RefreshJob(q.Record, q.Proto) is not CompileJob job) continue;
            EnsureWorker();
            queue.Add(job);
        }
    }

    // Set (under the pendingUpgrades lock) once CompileForCacheAtExit has taken the refreshes.
    private bool exiting;
    internal bool ExitStarted => Volatile.Read(ref exiting);   // for tests

    /// <summary>Loads LLVM (once per process); when it cannot be, turns the tier off with
    /// one warning saying what to install.</summary>
    private bool LoadLlvm(out JitHost? host)
    {
        string error;
        try
        {
            if (JitHost.TryGet(out host, out error)) return true;
        }
        catch (Exception ex)   // on the compiler thread, an escaping exception would end the process
        {
            host = null;
            error = ex.Message;
        }
        if (Interlocked.Exchange(ref disabledWarned, 1) == 0)
        {
            disabled = true;
            string oneLine = string.Join(' ', error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            logger.LogWarning("native tier disabled: {Error}; running in the interpreter only", oneLine);
        }
        return false;
    }

    private int disabledWarned;
    // Set once the compiler thread has tried to load LLVM: the exit waits for that, so that a
    // run too short for it still gets the warning when the library is missing.
    private readonly ManualResetEventSlim llvmTried = new();

    private void EnsureWorker()
    {
        if (worker != null) return;
        worker = new Thread(() =>
        {
            bool llvm = LoadLlvm(out JitHost? host);
            llvmTried.Set();
            while (true)
            {
                if (HoldCompiles?.Invoke() == true) { Thread.Sleep(1); continue; }
                // Functions waiting in the interpreter first, in the order they got hot (taking
                // the smallest first measured no faster on a cold cache in an A/B of 4 runs
                // each, and patterns slower: 2.19 -> 2.57 s); upgrades of quick code when none
                // waits.
                if (!queue.TryTake(out CompileJob? job) && (HoldUpgrades?.Invoke() == true || !upgrades.TryDequeue(out job)))
                {
                    if (queue.IsCompleted) break;
                    queue.TryTake(out job, 50);   // or look at the upgrades again
                    if (job == null) continue;
                }
                // Shutting down: queued work is dropped, unless the exit budget lets it finish
                // for the cache (see TierThresholds.ExitCompileBudgetMs).
                if (stopping && Stopwatch.GetTimestamp() > exitDeadline) break;
                if (stopping && NotWaitedFor(job))
                {
                    Unpin(job.Proto);
                    continue;
                }
                if (!llvm)
                {
                    // No LLVM: the function stays in the interpreter (OnHot asks no more).
                    job.Record.State = FunctionTier.Interpreted;
                    Unpin(job.Proto);
                    continue;
                }
                Volatile.Write(ref inProgress, job);
                while (HoldInProgress?.Invoke() == true) Thread.Sleep(1);
                Compile(host!, job);
                Volatile.Write(ref inProgress, null);
                if (cacheDirectory != null && !stopping) SavePeriodically();
            }
        })
        { IsBackground = true, Name = "tiered-compiler" };
        worker.Start();
    }


    /// <summary>At a back-edge's interrupt check in native code (about every InterruptInterval
    /// back-edges of all native code), in the frame of <paramref name="running"/>: a sample of
    /// where the time goes. A function with a pending upgrade (quick code, or code compiled
    /// from a profile the interpreter outgrew) is compiled again once it is seen running at
    /// UpgradeAfterTicks checks, or has been called UpgradeAfterCalls times since; code that is
    /// not hot (a main chunk that drives a benchmark's loop from outside, say) is never
    /// compiled twice.</summary>
    internal void OnTick(Proto* running)
    {
        // Nearly always empty: no lock then. A racy read of the count only delays a new
        // entry's first sample to the next check.
        if (pendingUpgrades.Count == 0) return;
        List<PendingUpgrade>? due = null;
        lock (pendingUpgrades)
        {
            for (int i = pendingUpgrades.Count - 1; i >= 0; i--)
            {
                PendingUpgrade q = pendingUpgrades[i];
                var p = (Proto*)q.Proto;
                bool hot = (p == running && ++q.Ticks >= Thresholds.UpgradeAfterTicks)
                    || p->CallCount - q.CallsAtPublish >= Thresholds.UpgradeAfterCalls;
                if (!hot) continue;
                pendingUpgrades.RemoveAt(i);
                (due ??= new()).Add(q);
            }
        }
        if (due == null) return;
        foreach (PendingUpgrade q in due)
        {
            CompileJob job;
            if (q.Job != null)
            {
                job = q.Job;
                lock (pinned) pinned.Add(job.Proto);
            }
            else if (RefreshJob(q.Record, q.Proto) is CompileJob refresh) job = refresh;
            else continue;
            upgrades.Enqueue(job);
        }
        EnsureWorker();
    }

    /// <summary>Lists a function whose code has just been published or linked from the cache,
    /// for OnTick to queue its upgrade once the code is hot: <paramref name="job"/>, or (null)
    /// a refresh built then.</summary>
    private void ListPendingUpgrade(FunctionRecord rec, nint proto, CompileJob? job)
    {
        int calls = ((Proto*)proto)->CallCount;
        lock (pendingUpgrades)
        {
            // A refresh after the exit took the pending ones: compiled now, while the exit
            // budget lasts (the interpreter has stopped; its records stay as they are).
            // (Listed from Compile, before the record says Native: not RefreshJob's case.)
            if (exiting && job == null && rec.Symbol != null) upgrades.Enqueue(NewJob(rec, (Proto*)proto, upgrade: rec.Symbol));
            else pendingUpgrades.Add(new PendingUpgrade(rec, proto, job, calls));
        }
    }

    /// <summary>The refresh (see PendingUpgrade) of the code p runs, if it still runs it: a
    /// deopt may have sent the function back to the interpreter since, for a recompilation
    /// of its own.</summary>
    private CompileJob? RefreshJob(FunctionRecord rec, nint p) =>
        rec.State == FunctionTier.Native && rec.Symbol != null && rec.Proto == p ? NewJob(rec, (Proto*)p, upgrade: rec.Symbol) : null;

    /// <summary>Whether the interpreter has run, in a loop of p, a site whose feedback since
    /// <paramref name="compiledFrom"/> asks for a fast path the code lacks there, so that it
    /// calls the runtime where a refresh would not: a string key at GETTABLE or SETTABLE
    /// (without StringKey every string key goes to the runtime), an order comparison that
    /// has met an integer and a float, and nothing else (code without that feedback compares
    /// two integers or two floats in line, and anything else in the runtime). The function's own
    /// compilation ran meanwhile, in the background (a large main chunk's takes a second,
    /// while its loop body goes on to later loops). Other sites that ran meanwhile do not
    /// count: their code without feedback has the usual fast paths (arithmetic on integers and
    /// floats, array and constant-key table accesses), and a refresh of a large function costs
    /// as much as its first compilation (json and patterns: +1 s on a cold run, for no warm
    /// gain measured).</summary>
    private static bool OutgrewInLoops(Proto* p, FunctionProto info, byte[] compiledFrom)
    {
        bool[] inLoop = Codegen.Lowering.InLoops(info.Code);
        const byte mixed = (byte)(FeedbackBits.Integer | FeedbackBits.Float);
        for (int pc = 0; pc < compiledFrom.Length && pc < p->CodeSize && pc < inLoop.Length; pc++)
        {
            byte was = compiledFrom[pc], now = p->Feedback[pc];
            if (!inLoop[pc] || (now & ~was) == 0) continue;
            bool lacksFastPath = Instruction.Op(info.Code[pc]) switch
            {
                OpCode.GetTable or OpCode.SetTable => (was & (byte)FeedbackBits.StringKey) == 0 && (now & (byte)FeedbackBits.StringKey) != 0,
                OpCode.Lt or OpCode.Le => was != mixed && now == mixed,
                _ => false,
            };
            if (lacksFastPath) return true;
        }
        return false;
    }

    private void Compile(JitHost host, CompileJob job)
    {
        FunctionRecord rec = job.Record;
        bool upgrade = job.Upgrade != null;
        if (!upgrade) rec.State = FunctionTier.Compiling;
        var sw = Stopwatch.StartNew();
        try
        {
            rec.Key ??= FunctionKey.Compute(job.Info);
            string name = FunctionKey.SymbolName(rec.Key, job.Feedback, job.Generic, job.Inline);
            // Quick code only from the compiler thread (a synchronous compile waits for its code,
            // and nothing would upgrade it) and never for an upgrade.
            int quickAbove = upgrade || Thread.CurrentThread != worker ? 0 : Thresholds.QuickCodegenAbove;
            nint entry = host.CompileAndLoad(job.Info, job.Feedback, job.Generic, job.Inline, name, Thresholds.Pipeline, quickAbove,
                out byte[] obj, out bool reused, out string symbol);
            PerfMap.Label(symbol, $"{job.Info.Source}:{job.Info.LineDefined}");
            double ms = sw.Elapsed.TotalMilliseconds;
            var p = (Proto*)job.Proto;
            if (upgrade && (rec.State != FunctionTier.Native || rec.Symbol != job.Upgrade))
            {
                // Deoptimised, recompiled or superseded meanwhile: this code is out of date.
                Unpin(job.Proto);
                rec.CompileMs += ms;
                return;
            }
            lock (pinned)
            {
                // Dispose stopped waiting for this compilation (there is no cache to save it
                // in): the state and its prototypes may be gone.
                if (abandoned) return;
                if (obj.Length > 0) { rec.ObjectCode = obj; rec.Symbol = symbol; rec.SavedFeedback = job.Feedback; }
                // Still pinned here, so the prototype cannot be freed before the entry is listed.
                if (symbol != name) ListPendingUpgrade(rec, job.Proto, job with { Upgrade = symbol });
                // Compiled from a profile the interpreter has outgrown meanwhile: compiled again,
                // once hot, from the one it has now (only once: a refresh is not refreshed).
                else if (!upgrade && !job.Generic && Mode == JitMode.Adaptive && (Thread.CurrentThread == worker || stopping)
                         && OutgrewInLoops(p, job.Info, job.Feedback))
                {
                    ListPendingUpgrade(rec, job.Proto, null);
                    if (TraceCompiles) Console.Error.WriteLine($"[tiered] {Describe(job.Info)}: the interpreter ran sites in its loops beyond the profile it was compiled from; compiled again once hot");
                }
                // For the compiler thread's periodic saves (a synchronous compile has no such thread).
                if (obj.Length > 0 && cacheDirectory != null && Thread.CurrentThread == worker)
                    unsaved.Enqueue((ModuleName(job.Info), new CacheEntry(rec.Key, symbol, obj, EncodeProfile(p->CallCount, p->BackEdgeCount), job.Feedback)));
                // Publish with one store; the interpreter switches at the function's next call,
                // a frame looping in older native code at its next interrupt check.
                p->NativeStamp = FunctionKey.Stamp(symbol);
                Volatile.Write(ref *(nint*)&p->NativeEntry, entry);
            }
            rec.CompileMs += ms;
            if (!upgrade)
            {
                rec.Compilations++;
                rec.Generic = job.Generic;
                rec.NativeSinceMs ??= ElapsedMs;
                rec.DeoptsSinceCompile = 0;
                rec.DeoptSitesSinceCompile = new();
                rec.State = FunctionTier.Native;
            }
            if (!reused)
            {
                Interlocked.Increment(ref LlvmCompilations);
                if (cacheDirectory != null && !upgrade) Interlocked.Increment(ref CacheMisses);
            }
            lock (records) TotalCompileMs += ms;
            // Unpinned only now that the record and counters say it is done: Drain waits for
            // the pinned set to empty, and its callers then read them.
            Unpin(job.Proto);
            logger.LogDebug("compiled {Function} in {Ms:F2} ms{Generic}", Describe(job.Info), ms, job.Generic ? " (generic)" : "");
            if (TraceCompiles) Console.Error.WriteLine($"[tiered] compiled {Describe(job.Info)} ({job.Info.Code.Length} instructions, {job.Info.MaxStackSize} registers"
                + $"{(job.Inline is { Count: > 0 } inline ? $", {inline.Count} call sites in line" : "")}) in {ms:F1} ms"
                + (symbol != name ? " (quick)" : job.Upgrade is string old ? (old.EndsWith(FunctionKey.QuickSuffix, StringComparison.Ordinal) ? " (upgrade)" : " (refresh)") : ""));
        }
        catch (OperationCanceledException) when (JitHost.Exiting)
        {
            // The process is exiting (see ExitGate): nothing is published.
            Unpin(job.Proto);
        }
        catch (Exception ex) when (job.Upgrade != null)
        {
            // The running code stays.
            Unpin(job.Proto);
            logger.LogWarning("could not compile {Function} with the optimising back end: {Reason}", Describe(job.Info), ex.Message);
        }
        catch (Exception ex)
        {
            Unpin(job.Proto);
            rec.State = FunctionTier.Failed;
            rec.FailureReason = ex.Message;
            logger.LogWarning("could not compile {Function}: {Reason}", Describe(job.Info), ex.Message);
        }
    }

    public static string Describe(FunctionProto info) =>
        $"{Interpreter.Syntax.ChunkName.Display(info.Source)}:{info.LineDefined}";

    /// <summary>Called by native code through tiered_rt_deopt.</summary>
    /// <param name="recompile">Recompile at once (the feedback now says exactly what to
    /// compile differently), instead of after DeoptsBeforeRecompile guard failures.</param>
    internal void RecordDeopt(LuaState state, CallFrame* ci, int pc, DeoptReason reason, bool recompile = false)
    {
        var cl = (LuaClosure*)ci->Func->P;
        Proto* p = cl->Proto;
        FunctionRecord rec = RecordFor(p);
        rec.Deopts[(pc, reason)] = rec.Deopts.GetValueOrDefault((pc, reason)) + 1;
        // The same site failing again since the compilation: the interpreter has widened its
        // feedback since the first failure (it ran the site in its general path), and the case
        // is not a one-off, so waiting for more failures would only run more in the interpreter.
        bool again = !rec.DeoptSitesSinceCompile.Add((pc, reason)) && Thresholds.RecompileOnRepeatedSite;
        if ((++rec.DeoptsSinceCompile >= Thresholds.DeoptsBeforeRecompile || recompile || again) && rec.State == FunctionTier.Native)
        {
            // Too many guard failures: back to the interpreter to widen the feedback, then recompile.
            p->NativeEntry = null;
            rec.State = FunctionTier.Interpreted;
            p->HotCountdown = Thresholds.RecompileThreshold;
            logger.LogDebug("deoptimised {Function} for good after {Count} guard failures; will recompile", Describe(rec.Info), rec.DeoptsSinceCompile);
        }
    }

    /// <summary>Called by the interpreter when it finishes, after a resume, a call of native
    /// code that a yield passed through. The site is marked in the feedback; if the function's
    /// code has no entry after that call, the frame went on in the interpreter: that counts as
    /// a deopt, and the function is recompiled (with the entry) without waiting for more, as
    /// until then its frames stay in the interpreter after each yield.</summary>
    public void OnYieldedThrough(LuaState L, CallFrame* ci, int pc)
    {
        Proto* p = ((LuaClosure*)ci->Func->P)->Proto;
        if ((uint)pc >= (uint)p->CodeSize) return;
        p->Feedback[pc] |= (byte)FeedbackBits.YieldedThrough;
        // A generator's yields pass the same few sites again and again: a site found to have
        // its entry is remembered, so the next time needs no record (a dictionary lookup).
        // The entry's address names the code: after a recompilation the site is looked at anew.
        ref YieldSite known = ref yieldSites[(int)(((nuint)p >> 4) ^ (nuint)pc) & (yieldSites.Length - 1)];
        if (known.Proto == (nint)p && known.Pc == pc && known.Entry == (nint)p->NativeEntry) return;
        FunctionRecord rec = RecordFor(p);
        bool hasEntry = rec.SavedFeedback is byte[] compiled && pc < compiled.Length
            && (compiled[pc] & (byte)FeedbackBits.YieldedThrough) != 0;
        if (hasEntry && p->NativeEntry != null) known = new YieldSite((nint)p, pc, (nint)p->NativeEntry);
        if (!hasEntry && rec.State == FunctionTier.Native) RecordDeopt(L, ci, pc, DeoptReason.Yield, recompile: true);
    }

    /// <summary>A call site (prototype and pc) that OnYieldedThrough found with an entry in the
    /// function's code at <see cref="Entry"/>.</summary>
    private readonly record struct YieldSite(nint Proto, int Pc, nint Entry);

    private readonly YieldSite[] yieldSites = new YieldSite[32];

    /// <summary>Brings the call and back-edge counts of live functions into the records.</summary>
    public void SnapshotCounters()
    {
        if (disposed) return;   // taken by Dispose; the prototypes may be freed since
        foreach (FunctionRecord rec in records.Values)
        {
            var p = (Proto*)rec.Proto;
            if (p == null) continue;   // freed: its counters were kept when it was
            rec.Calls = p->CallCount;
            rec.BackEdges = p->BackEdgeCount;
        }
    }

    /// <summary>Waits until queued compilations are done (tests and orderly shutdown).</summary>
    public void Drain(TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            bool busy;
            lock (pinned) busy = pinned.Count > 0;
            if (!busy) return;
            Thread.Sleep(1);
        }
    }

    private volatile bool stopping;
    private CompileJob? inProgress;   // the compiler thread's current job
    internal bool CompilationInProgress => Volatile.Read(ref inProgress) != null;   // for tests
    // Set before `stopping` (NotHotAtExit): functions whose first compilation is queued,
    // running or put off at exit, though they did not get hot in the run itself.
    private HashSet<nint> notWaitedFor = new();
    private long exitDeadline;   // Stopwatch timestamp until which queued compilations still run
    private bool abandoned;      // under the pinned lock: a compilation still running (no cache) is not published
    internal static readonly bool TraceCompiles = Environment.GetEnvironmentVariable("TIERED_TRACE_COMPILES") == "1";

    /// <summary>Stops the compiler thread: with a cache, queued compilations start while the
    /// exit budget lasts and the one in progress is finished, for the cache; without one, a
    /// compilation in progress is abandoned, its code never published (LLVM cannot be
    /// interrupted, so the thread finishes it in the background, or the process exits under
    /// it). Must run before the state is disposed: compilations write into its prototypes.</summary>
    public void Dispose()
    {
        // Once only: after the first call the state may be freed (the CLI disposes the tier
        // explicitly before the state, then again at the end of its using scope), and the
        // prototypes the records and counted functions point to are gone.
        if (disposed) return;
        if (worker != null) llvmTried.Wait();   // so `disabled` is known
        exitDeadline = cacheDirectory != null && !disabled && Thresholds.ExitCompileBudgetMs > 0
            ? Stopwatch.GetTimestamp() + Thresholds.ExitCompileBudgetMs * Stopwatch.Frequency / 1000
            : 0;
        notWaitedFor = NotHotAtExit();
        stopping = true;   // after notWaitedFor: the compiler thread reads it once it sees this
        CompileForCacheAtExit();
        queue.CompleteAdding();
        // With a cache, a compilation in progress is finished, so that the next run finds it
        // (abandoning it at the budget's end made warm runs compile large main chunks again,
        // and a short run whose compile outlasts it would never be cached); without one it is
        // of no use any more. Nor is the first one of a function that did not get hot in the
        // run itself (spectral's second run, 0.12 s of work, waited 0.2 s for its main chunk's).
        bool keep = cacheDirectory != null && !disabled;
        if (keep && worker != null) HelpCompileAtExit();
        if (worker != null && !(keep ? JoinUnlessNotWaitedFor(worker) : worker.Join(TimeSpan.Zero)))
        {
            lock (pinned) abandoned = true;
            logger.LogDebug("native tier: a compilation still running at exit was abandoned");
        }
        // (Without LLVM nothing could have been compiled: no flag that would outlast its install.)
        foreach (nint proto in disabled ? [] : notWaitedFor)
            if (counted.TryGetValue(proto, out CountedFunction? cf) && StayedInInterpreter(cf.Info)) cf.WarmDropped = true;
        SnapshotCounters();
        SaveCache();
        disposed = true;
        counted.Clear();
        if (L.NativeTier == this) L.NativeTier = null;
        L.ProtoFreed -= OnProtoFreed;
        L.ProtoFreed -= OnCountedProtoFreed;
        L.ChunkLoaded -= OnChunkLoaded;
    }

    private bool disposed;
    internal bool Disposed => Volatile.Read(ref disposed);   // for tests

    /// <summary>The functions whose first compilation is queued or running at exit, or was put
    /// off for a callee to go in line (CompileForCacheAtExit would queue it), though they did
    /// not get hot in this run: counts earlier runs left took them to the threshold
    /// (TierThresholds.WarmCompileMinimum). The exit does not wait for these compilations: code
    /// for a function that is lukewarm in every run gains the next run little, and the wait can
    /// be longer than the run (spectral's second run: 0.12 s of work, then 0.2 s for its main
    /// chunk's compilation). Such a function is saved with CountedFunction.WarmDropped.</summary>
    private HashSet<nint> NotHotAtExit()
    {
        var set = new HashSet<nint>();
        foreach (FunctionRecord rec in records.Values)
            if (rec.Compilations == 0 && !rec.FromCache && rec.Proto != 0
                && (rec.State is FunctionTier.Queued or FunctionTier.Compiling || rec.State == FunctionTier.Interpreted && rec.InlineWaits > 0)
                && !RanHot((Proto*)rec.Proto))
                set.Add(rec.Proto);
        return set;
    }

    private bool NotWaitedFor(CompileJob job) => job.Upgrade == null && notWaitedFor.Contains(job.Proto);

    /// <summary>At exit the script's thread has nothing left to do but wait: it takes queued
    /// compilations as well, beside the compiler thread, while the exit budget lasts, so a
    /// queue left by a short cold run (json's: half a dozen functions) takes half as long on
    /// two cores.</summary>
    private void HelpCompileAtExit()
    {
        if (!JitHost.TryGet(out JitHost? host, out _)) return;
        // Refreshes too: one this thread's compilation queues may come after the compiler
        // thread has found both queues empty and ended.
        while (Stopwatch.GetTimestamp() <= exitDeadline && HoldCompiles?.Invoke() != true
               && (queue.TryTake(out CompileJob? job) || (HoldUpgrades?.Invoke() != true && upgrades.TryDequeue(out job))))
        {
            if (NotWaitedFor(job))
            {
                Unpin(job.Proto);
                continue;
            }
            Compile(host!, job);
        }
        JitHost.ReleaseThreadMachines();   // the caller's thread may be an embedder's, kept for other work
    }

    /// <summary>Waits for the compiler thread to finish, unless what it is compiling is a
    /// compilation the exit does not wait for: that one is abandoned then (false), if it has
    /// not published its code yet (Compile publishes under the same lock; once it has, the
    /// wait goes on, so that nothing of it is left half-written).</summary>
    private bool JoinUnlessNotWaitedFor(Thread compiler)
    {
        while (true)
        {
            if (Volatile.Read(ref inProgress) is CompileJob job && NotWaitedFor(job))
            {
                lock (pinned)
                {
                    if (Volatile.Read(ref inProgress) == job && job.Record.ObjectCode == null)
                    {
                        abandoned = true;
                        return false;
                    }
                }
            }
            if (compiler.Join(10)) return true;
        }
    }
}
