using System.Text;
using Tiered.Interpreter.Lib;
using Tiered.Interpreter.VM;

namespace Tiered.Interpreter.Tests.Lib;

/// <summary>Runs a chunk in a fresh state with the standard libraries and returns what it printed.</summary>
internal static class LuaRunner
{
    public static string Run(string code, bool gcStress = false)
    {
        var output = new MemoryStream();
        using var L = new LuaState(new LuaStateOptions { StandardOutput = output, GcStress = gcStress });
        Libraries.OpenAll(L);
        L.CallFunction(L.LoadChunk(Encoding.UTF8.GetBytes(code), "=test"));
        return Encoding.Latin1.GetString(output.ToArray());
    }
}
