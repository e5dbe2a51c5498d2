using Tiered.Interpreter.VM;

namespace Tiered.Interpreter.Lib;

/// <summary>Opens the standard libraries in a state.</summary>
public static class Libraries
{
    public static void OpenAll(LuaState L)
    {
        BaseLib.Open(L);
        PackageLib.Open(L);
        OsLib.Open(L);
        IoLib.Open(L);
        CoroutineLib.Open(L);
        StringLib.Open(L);
        TableLib.Open(L);
        MathLib.Open(L);
        Utf8Lib.Open(L);
        DebugLib.Open(L);
    }
}
