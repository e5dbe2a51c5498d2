using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Tiered.Micro;

/// <summary>
/// Tiered's micro-benchmarks. Arguments are BenchmarkDotNet's (--filter '*', --list flat, ...)
/// plus --inprocess (no separately built benchmark process) and --quick, which measures with a short job (3 warm-ups, 3 iterations: enough to see that
/// everything works, not to compare numbers). "make-cache DIR FIRST COUNT" is the helper
/// command CacheBenchmarks runs in a separate process.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 4 && args[0] == "make-cache")
            return CacheBenchmarks.MakeCache(args[1], int.Parse(args[2]), int.Parse(args[3]));

        bool quick = args.Contains("--quick"), inProcess = args.Contains("--inprocess");
        args = args.Where(a => a is not ("--quick" or "--inprocess")).ToArray();
        Job job = quick ? Job.ShortRun : Job.Default;
        // The CLI's setting, that the interpreter loop is compiled fully optimised at once, is in
        // this program's runtimeconfig; a separately built benchmark process gets it this way.
        job = inProcess
            ? job.WithToolchain(InProcessEmitToolchain.Instance)
            : job.WithEnvironmentVariable("DOTNET_TC_QuickJitForLoops", "0");
        IConfig config = DefaultConfig.Instance   // its exporters include GitHub markdown
            .AddJob(job.AsDefault())
            // Building the benchmark process takes minutes on a busy 2-core machine.
            .WithBuildTimeout(TimeSpan.FromMinutes(15));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
