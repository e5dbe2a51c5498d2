// nlua-host: runs one Lua script in NLua the way `lua5.4 script.lua args...` would, so
// perf/harness.py can put NLua (real PUC Lua 5.4 behind KeraLua's P/Invoke binding) beside
// Tiered. Output goes through Lua's own C `print`, byte for byte what lua5.4 prints.
//
// Besides the whole process, which the harness times from outside, the host times the
// script alone (load + run, after the .NET runtime and NLua have started) and reports it
// on stderr as "nlua-inner-ms: X" so start-up cost can be told apart from execution.
using System.Diagnostics;
using System.Globalization;
using KeraLua;

namespace Tiered.Perf.NLuaHost;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: nlua-host script.lua [args...]");
            return 2;
        }
        string script = args[0];
        using var nlua = new NLua.Lua();   // opens the standard libraries
        KeraLua.Lua L = nlua.State;

        // arg as the standalone interpreter builds it: arg[0] the script, arg[1..] the rest.
        L.NewTable();
        L.PushString("nlua-host");
        L.RawSetInteger(-2, -1);
        for (int i = 0; i < args.Length; i++)
        {
            L.PushString(args[i]);
            L.RawSetInteger(-2, i);
        }
        L.SetGlobal("arg");

        var clock = Stopwatch.StartNew();
        int exitCode = 0;
        if (L.LoadFile(script) != LuaStatus.OK)
        {
            Console.Error.WriteLine("nlua-host: " + L.ToString(-1));
            return 1;
        }
        for (int i = 1; i < args.Length; i++) L.PushString(args[i]);
        if (L.PCall(args.Length - 1, 0, 0) != LuaStatus.OK)
        {
            exitCode = 1;
            string message = L.ToString(-1) ?? "(error object is not a string)";
            L.Pop(1);
            FlushLuaStdout(L);
            Console.Error.WriteLine("nlua-host: " + message);
        }
        double innerMs = clock.Elapsed.TotalMilliseconds;
        FlushLuaStdout(L);
        Console.Error.WriteLine("nlua-inner-ms: " + innerMs.ToString("F3", CultureInfo.InvariantCulture));
        return exitCode;
    }

    // Lua's print writes to C stdio; flush it before .NET writes to stderr or exits.
    private static void FlushLuaStdout(KeraLua.Lua L) => L.DoString("io.stdout:flush()");
}
