using System.Runtime.InteropServices;

namespace Tiered.Interpreter.Runtime;

// A coroutine ("thread" in Lua). Its value stack and frame array are reserved once, at their
// maximum size, as virtual memory that the kernel commits on first touch: stacks never move,
// so interpreter and native code may keep raw Value* into them across calls.
//
//   Stack                                       StackLimit
//   | main chunk regs | f regs | g regs | ...   |  (slots above the current top are garbage
//   ^Frames[0].Func    ^Frames[1].Func           or nil; HighWater bounds what was ever used)
[StructLayout(LayoutKind.Sequential)]
public unsafe struct LuaThread
{
    public GcObject Header;
    public Value* Stack;
    public Value* StackLimit;      // first slot that may not be used ("stack overflow")
    public Value* Top;             // first free slot for host frames / multi-result transfers
    public Value* HighWater;       // highest slot ever written since the last collection
    public CallFrame* Frames;
    public CallFrame* FramesLimit;
    public CallFrame* Ci;          // current frame
    public UpVal* OpenUpvalues;
    public Value** Tbc;            // stack of to-be-closed slots, ascending
    public int TbcCount;
    public int TbcCapacity;
    public ThreadStatus Status;
    public int NonYieldable;       // > 0 while a host frame that cannot be resumed is active
    public Value ErrorValue;       // error object in flight (kept rooted here)
    public nuint StackBytes;
    public nuint FrameBytes;
    public nint StateHandle;       // GCHandle of the owning LuaState, for native runtime helpers
    public SharedCounters* Shared; // counters of the owning state, shared by all its threads
    // debug.sethook, per thread as in Lua (a new coroutine starts without one).
    public Value HookFunction;     // rooted here; nil when no hook is set
    public HookMask HookMask;      // the events hooked; None when no hook is set
    public int HookTrap;           // nonzero while line or count events need every instruction
    public int HookBaseCount;      // count events: every this many instructions
    public int HookCountdown;      // instructions left before the next count event
    public int HookOldPc;          // line events: the instruction of the last one (or the call returned from)
    public int InHook;             // nonzero while a hook runs (hooks do not nest)
    public int HookFTransfer;      // the running hook's event: first transferred value (getinfo 'r')
    public int HookNTransfer;      // and their count (parameters of a call, results of a return)
}

/// <summary>Events of debug.sethook (the bits of Lua's LUA_MASK* values).</summary>
[Flags]
public enum HookMask : int { None = 0, Call = 1, Return = 2, Line = 4, Count = 8 }

/// <summary>Per-state counters that native code updates directly (all threads of a state run
/// on one OS thread, so they share one C stack and one interrupt budget).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct SharedCounters
{
    public int NativeDepth;        // nested native-to-native and native-to-runtime calls
    public int NativeCountdown;    // native loop back-edges left before the next interrupt check
    public LuaString* IndexName;   // the interned "__index", for native code's inline lookups
    public nint NativeStackLimit;  // native code nests calls only while its frame is above this
    public ulong IndexEpoch;       // IndexCache entries hold only while their epoch is this
    public IndexCacheEntry* IndexCache;   // IndexCache.EntryCount entries
}

public enum ThreadStatus : int { Running = 0, Suspended = 1, Normal = 2, Dead = 3, Initial = 4 }

// One activation. For Lua functions Top = base + MaxStackSize; for host functions Top bounds
// what the function may push without asking for more.
[StructLayout(LayoutKind.Sequential)]
public unsafe struct CallFrame
{
    public Value* Func;            // the called value; arguments start at Func + 1
    public Value* Top;
    public uint* Pc;               // Lua frames: next instruction to execute
    public int NResults;           // results the caller wants, -1 = all
    public FrameFlags Flags;
    public int ExtraArgs;          // vararg functions: arguments beyond the fixed parameters
    public int SavedCount;         // Return being re-executed after a yield in __close: its value count
}

[Flags]
public enum FrameFlags : int
{
    None = 0,
    Host = 1,          // a host (.NET) function
    Fresh = 2,         // the first frame of an interpreter-loop invocation: returning ends the loop
    Pcall = 4,         // a pcall/xpcall frame waiting for its protected callee
    Xpcall = 8,        // the handler sits at Func + 1, the callee at Func + 2
    FinishOp = 16,     // a metamethod call: its result completes the caller's current instruction
    TailCalled = 32,
    Yielded = 64,      // a host frame suspended in coroutine.yield
    CloseOnReturn = 128,
    /// <summary>Native code running this Lua frame hands it to the interpreter after its current
    /// call: debug.setlocal wrote one of its locals (the native copies are stale), or a hook
    /// was set on its thread (which then runs in the interpreter only).</summary>
    ToInterpreter = 256,
    /// <summary>The frame's hook is running (debug.sethook): the hook is named "hook '?'".</summary>
    Hooked = 512,
}
