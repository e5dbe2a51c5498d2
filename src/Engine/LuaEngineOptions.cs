using Microsoft.Extensions.Logging;
using Tiered.Tiering;

namespace Tiered;

/// <summary>Which standard libraries an engine opens.</summary>
[Flags]
public enum LuaLibraries
{
    None = 0,
    Base = 1,
    Coroutine = 2,
    String = 4,
    Table = 8,
    Math = 16,
    Utf8 = 32,
    Os = 64,
    Io = 128,
    Package = 256,
    Debug = 512,
    All = 1023,
    /// <summary>Everything but io, debug and package. Whenever <see cref="Io"/> is absent the
    /// engine also removes the functions that reach the file system or the process:
    /// loadfile and dofile from the base library, os.execute/remove/rename/exit/tmpname.</summary>
    Safe = Base | Coroutine | String | Table | Math | Utf8 | Os,
}

/// <summary>How a <see cref="LuaEngine"/> is built; read once, by the constructor.</summary>
public sealed class LuaEngineOptions
{
    /// <summary>Native tier policy: Off (interpreter only), Adaptive (compile hot functions), Eager (compile on first call).</summary>
    public JitMode Jit { get; set; } = JitMode.Adaptive;
    /// <summary>The native cache's directory: compiled functions (and the counts of warm ones)
    /// are kept there between runs. Null: $TIERED_CACHE_DIR, else $XDG_CACHE_HOME/tiered, else
    /// ~/.cache/tiered. Several engines, in one process or many, may share a directory.</summary>
    public string? CacheDirectory { get; set; }
    /// <summary>False: no native cache (every hot function is compiled by LLVM, nothing is saved).
    /// Has no effect when <see cref="Jit"/> is Off.</summary>
    public bool CacheEnabled { get; set; } = true;
    public LuaLibraries Libraries { get; set; } = LuaLibraries.All;
    /// <summary>Limit on the whole Lua heap (libraries included); exceeding it raises the
    /// Lua error "not enough memory".</summary>
    public long? MemoryLimitBytes { get; set; }
    /// <summary>Approximate number of VM instructions (calls and loop back-edges, counted in
    /// interrupt ticks) one host-to-Lua entry (DoString, DoFile, LuaFunction.Call) may run.</summary>
    public long? InstructionLimit { get; set; }
    public ILoggerFactory? LoggerFactory { get; set; }
}
