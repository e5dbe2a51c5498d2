using System.Runtime.InteropServices;
using Tiered.Interpreter.Runtime;

namespace Tiered.Tiering;

/// <summary>Field offsets of the heap and frame structures, taken from their C# declarations
/// (never written down twice): the code generator addresses memory through these.</summary>
internal static unsafe class Layout
{
    private static int Off<T>(string field) => (int)Marshal.OffsetOf<T>(field);

    public static readonly int ValueSize = sizeof(Value);
    public static readonly int ValueTag = Value.TagOffset;

    public static readonly int FrameFunc = Off<CallFrame>(nameof(CallFrame.Func));
    public static readonly int FrameTop = Off<CallFrame>(nameof(CallFrame.Top));
    public static readonly int FramePc = Off<CallFrame>(nameof(CallFrame.Pc));
    public static readonly int FrameExtraArgs = Off<CallFrame>(nameof(CallFrame.ExtraArgs));
    public static readonly int FrameSavedCount = Off<CallFrame>(nameof(CallFrame.SavedCount));

    public static readonly int ThreadTop = Off<LuaThread>(nameof(LuaThread.Top));
    public static readonly int ThreadShared = Off<LuaThread>(nameof(LuaThread.Shared));
    public static readonly int ThreadCi = Off<LuaThread>(nameof(LuaThread.Ci));
    public static readonly int ThreadFramesLimit = Off<LuaThread>(nameof(LuaThread.FramesLimit));
    public static readonly int ThreadStackLimit = Off<LuaThread>(nameof(LuaThread.StackLimit));
    public static readonly int ThreadHighWater = Off<LuaThread>(nameof(LuaThread.HighWater));
    public static readonly int SharedNativeDepth = Off<SharedCounters>(nameof(SharedCounters.NativeDepth));
    public static readonly int SharedNativeCountdown = Off<SharedCounters>(nameof(SharedCounters.NativeCountdown));
    public static readonly int SharedIndexName = Off<SharedCounters>(nameof(SharedCounters.IndexName));
    public static readonly int SharedNativeStackLimit = Off<SharedCounters>(nameof(SharedCounters.NativeStackLimit));
    public static readonly int SharedIndexEpoch = Off<SharedCounters>(nameof(SharedCounters.IndexEpoch));
    public static readonly int SharedIndexCache = Off<SharedCounters>(nameof(SharedCounters.IndexCache));

    public static readonly int IndexEntrySize = sizeof(IndexCacheEntry);
    public static readonly int IndexEntryMeta = Off<IndexCacheEntry>(nameof(IndexCacheEntry.Meta));
    public static readonly int IndexEntryKey = Off<IndexCacheEntry>(nameof(IndexCacheEntry.Key));
    public static readonly int IndexEntrySlot = Off<IndexCacheEntry>(nameof(IndexCacheEntry.Slot));
    public static readonly int IndexEntryEpoch = Off<IndexCacheEntry>(nameof(IndexCacheEntry.Epoch));

    public static readonly int FrameSize = sizeof(CallFrame);
    public static readonly int FrameNResults = Off<CallFrame>(nameof(CallFrame.NResults));
    public static readonly int FrameFlagsField = Off<CallFrame>(nameof(CallFrame.Flags));

    public static readonly int ProtoNativeEntry = Off<Proto>(nameof(Proto.NativeEntry));
    public static readonly int ProtoIsVararg = Off<Proto>(nameof(Proto.IsVararg));
    public static readonly int ProtoNumParams = Off<Proto>(nameof(Proto.NumParams));
    public static readonly int ProtoMaxStackSize = Off<Proto>(nameof(Proto.MaxStackSize));
    public static readonly int ProtoCallCount = Off<Proto>(nameof(Proto.CallCount));
    public static readonly int ProtoNativeStamp = Off<Proto>(nameof(Proto.NativeStamp));

    public static readonly int ClosureProto = Off<LuaClosure>(nameof(LuaClosure.Proto));
    public static readonly int ClosureUpvalues = sizeof(LuaClosure);
    public static readonly int HostClosureIntrinsic = Off<HostClosure>(nameof(HostClosure.Intrinsic));
    public static readonly int UpvalValue = Off<UpVal>(nameof(UpVal.V));

    public static readonly int ProtoCode = Off<Proto>(nameof(Proto.Code));
    public static readonly int ProtoConstants = Off<Proto>(nameof(Proto.Constants));

    public static readonly int TableMeta = Off<LuaTable>(nameof(LuaTable.Metatable));
    public static readonly int TableArray = Off<LuaTable>(nameof(LuaTable.Array));
    public static readonly int TableArraySize = Off<LuaTable>(nameof(LuaTable.ArraySize));
    public static readonly int TableLengthHint = Off<LuaTable>(nameof(LuaTable.LengthHint));
    public static readonly int TableNodes = Off<LuaTable>(nameof(LuaTable.Nodes));
    public static readonly int TableLogNodeSize = Off<LuaTable>(nameof(LuaTable.LogNodeSize));
    public static readonly int TableIsDummyNode = Off<LuaTable>(nameof(LuaTable.IsDummyNode));
    public static readonly int TableIndexWatched = Off<LuaTable>(nameof(LuaTable.IndexWatched));
    public static readonly int TableFlags = Off<GcObject>(nameof(GcObject.Flags));

    public static readonly int NodeSize = sizeof(Node);
    public static readonly int NodeVal = Off<Node>(nameof(Node.Val));
    public static readonly int NodeKey = Off<Node>(nameof(Node.Key));
    public static readonly int ValueAux = 12;

    public static readonly int StringHash = Off<LuaString>(nameof(LuaString.Hash));
    public static readonly int StringLength = Off<LuaString>(nameof(LuaString.Length));
}
