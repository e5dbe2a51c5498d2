namespace Tiered.NativeCache.Tests;

/// <summary>
/// The child process of the multi-process tests. Under the test host this Main is never
/// called; ConcurrencyTests runs the test assembly itself:
/// <c>dotnet Tiered.NativeCache.Tests.dll save-worker DIR MODULE WORKER ITERATIONS</c>.
/// Each iteration opens a fresh store (as a new process would), puts one entry of its own
/// and one shared entry, and saves. Exit code 0 when every save succeeded.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 5 || args[0] != "save-worker")
        {
            Console.Error.WriteLine("usage: save-worker DIR MODULE WORKER ITERATIONS");
            return 64;
        }
        return SaveWorker(args[1], args[2], args[3], int.Parse(args[4]));
    }

    internal static int SaveWorker(string directory, string module, string worker, int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            var store = new NativeCacheStore(new NativeCacheOptions
            {
                Directory = directory,
                Header = Headers.Current,
                LockTimeout = TimeSpan.FromSeconds(60),
            });
            CacheModule cache = store.Open(module);
            if (cache.Rejections.Count > 0)
            {
                Console.Error.WriteLine($"{worker}/{i}: rejected: {string.Join("; ", cache.Rejections)}");
                return 1;
            }
            cache.Put(Entries.Make($"{worker}:{i}", codeSize: 200 + i));
            cache.Put(Entries.Make("shared", variant: worker + i));
            if (!cache.Save())
            {
                Console.Error.WriteLine($"{worker}/{i}: save failed");
                return 2;
            }
        }
        Console.Out.Write("ok");
        return 0;
    }
}
