using System.Text;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using static Tiered.Interpreter.Lib.LibraryHelpers;

namespace Tiered.Interpreter.Lib;

/// <summary>The string library (Lua 5.4 manual §6.4). Strings are byte strings: every function
/// works on bytes and treats them with the C locale, as the reference implementation does.
/// This file holds the simple functions and the library's opening; patterns are in
/// StringLib.Match.cs and Patterns.cs, string.format in Format.cs and CFormat.cs, binary
/// packing in Pack.cs, the string metatable's arithmetic in StringLib.Arith.cs.</summary>
public static unsafe partial class StringLib
{
    /// <summary>Largest string a string function builds (the reference's MAXSIZE, INT_MAX).</summary>
    internal const long MaxStringSize = int.MaxValue;

    public static void Open(LuaState L)
    {
        LuaTable* lib = NewLibrary(L, "string",
        [
            ("byte", Byte), ("char", Char), ("dump", Dump), ("find", Find), ("format", Format),
            ("gmatch", Gmatch), ("gsub", Gsub), ("len", Len), ("lower", Lower), ("match", Match),
            ("rep", Rep), ("reverse", Reverse), ("sub", Sub), ("upper", Upper),
            ("pack", Pack), ("packsize", PackSize), ("unpack", Unpack),
        ]);
        MarkIntrinsic(L, lib, "byte", HostIntrinsic.StringByte);

        // gmatch returns a closure over its arguments: keep the iterator's function as an
        // upvalue of gmatch (as ipairs does), so each state finds its own registration.
        int iterIndex = L.RegisterHostFunction(GmatchIterator, "gmatch_aux");
        HostClosure* gmatch = L.NewHostClosure(L.RegisterHostFunction(Gmatch, "gmatch"), 1);
        HostClosure.Upvalues(gmatch)[0] = Value.Object(L.NewHostClosure(iterIndex, 0), Tag.HostFunction);
        SetValue(L, lib, "gmatch", Value.Object(gmatch, Tag.HostFunction));

        // Strings index the string table: ("x"):rep(3).
        LuaTable* mt = L.NewTable(0, 9);
        SetValue(L, mt, "__index", Value.Table(lib));
        SetArithMetamethods(L, mt);
        L.StringMetatable = mt;
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>A start position: negative counts from the end, clipped to 1 (posrelatI).</summary>
    internal static long StartPosition(long pos, long len)
    {
        if (pos > 0) return pos;
        if (pos == 0) return 1;
        if (pos < -len) return 1;
        return len + pos + 1;
    }

    /// <summary>An end position: negative counts from the end, clipped to [0, len] (getendpos).</summary>
    internal static long EndPosition(long pos, long len)
    {
        if (pos > len) return len;
        if (pos >= 0) return pos;
        if (pos < -len) return 0;
        return len + pos + 1;
    }

    /// <summary>luaL_error with a message whose characters are bytes (it may quote user data).</summary>
    internal static LuaRuntimeException ByteError(LuaState L, string message)
    {
        byte[] where = Encoding.UTF8.GetBytes(L.Where(1));
        byte[] msg = Encoding.Latin1.GetBytes(message);
        var all = new byte[where.Length + msg.Length];
        where.CopyTo(all, 0);
        msg.CopyTo(all, where.Length);
        return new LuaRuntimeException(L, L.StringValue(all));
    }

    /// <summary>Makes a Lua string of <paramref name="length"/> bytes filled by <paramref name="fill"/>,
    /// writing long strings in place instead of through a temporary buffer.</summary>
    private static LuaString* BuildString(LuaState L, long length, delegate*<Span<byte>, void*, void> fill, void* state)
    {
        if (length > int.MaxValue - 64) throw new LuaRuntimeException(L, L.StringValue("not enough memory"));
        if (length <= LuaString.MaxShortLength)
        {
            Span<byte> tmp = stackalloc byte[(int)length];
            fill(tmp, state);
            return L.NewString(tmp);
        }
        LuaString* s = L.AllocString((int)length);
        fill(new Span<byte>(LuaString.Data(s), (int)length), state);
        return s;
    }

    // ------------------------------------------------------------------ simple functions

    private static int Len(LuaState L, int argc)
    {
        L.PushInteger(L.CheckString(1)->Length);
        return 1;
    }

    private static int Sub(LuaState L, int argc)
    {
        LuaString* s = L.CheckString(1);
        long len = s->Length;
        long start = StartPosition(L.CheckInteger(2), len);
        long end = EndPosition(L.OptInteger(3, -1), len);
        if (start > end)
        {
            L.PushString(ReadOnlySpan<byte>.Empty);
            return 1;
        }
        if (start == 1 && end == len)
        {
            L.Push(Value.Str(s));
            return 1;
        }
        L.PushString(LuaString.Span(s).Slice((int)(start - 1), (int)(end - start + 1)));
        return 1;
    }

    private static int Reverse(LuaState L, int argc)
    {
        LuaString* s = L.CheckString(1);
        L.Push(Value.Str(BuildString(L, s->Length, &FillReverse, s)));
        return 1;
    }

    private static void FillReverse(Span<byte> dst, void* state)
    {
        ReadOnlySpan<byte> src = LuaString.Span((LuaString*)state);
        for (int i = 0; i < src.Length; i++) dst[src.Length - 1 - i] = src[i];
    }

    private static int Lower(LuaState L, int argc)
    {
        LuaString* s = L.CheckString(1);
        L.Push(Value.Str(BuildString(L, s->Length, &FillLower, s)));
        return 1;
    }

    private static void FillLower(Span<byte> dst, void* state)
    {
        ReadOnlySpan<byte> src = LuaString.Span((LuaString*)state);
        for (int i = 0; i < src.Length; i++) dst[i] = (byte)CType.ToLower(src[i]);
    }

    private static int Upper(LuaState L, int argc)
    {
        LuaString* s = L.CheckString(1);
        L.Push(Value.Str(BuildString(L, s->Length, &FillUpper, s)));
        return 1;
    }

    private static void FillUpper(Span<byte> dst, void* state)
    {
        ReadOnlySpan<byte> src = LuaString.Span((LuaString*)state);
        for (int i = 0; i < src.Length; i++) dst[i] = (byte)CType.ToUpper(src[i]);
    }

    private struct RepState
    {
        public LuaString* S;
        public LuaString* Sep;   // null when there is no separator
        public long N;
    }

    private static int Rep(LuaState L, int argc)
    {
        LuaString* s = L.CheckString(1);
        long n = L.CheckInteger(2);
        LuaString* sep = L.IsNoneOrNil(3) ? null : L.CheckString(3);
        long lsep = sep == null ? 0 : sep->Length;
        long l = s->Length;
        if (n <= 0 || l + lsep == 0)
        {
            // Nothing to repeat (an empty result, as rep of empty strings is).
            L.PushString(ReadOnlySpan<byte>.Empty);
            return 1;
        }
        if (l + lsep > MaxStringSize / n) throw L.RuntimeError("resulting string too large");
        long total = n * l + (n - 1) * lsep;
        var st = new RepState { S = s, Sep = sep, N = n };
        L.Push(Value.Str(BuildString(L, total, &FillRep, &st)));
        return 1;
    }

    private static void FillRep(Span<byte> dst, void* state)
    {
        var st = (RepState*)state;
        ReadOnlySpan<byte> s = LuaString.Span(st->S);
        ReadOnlySpan<byte> sep = st->Sep == null ? ReadOnlySpan<byte>.Empty : LuaString.Span(st->Sep);
        int pos = 0;
        if (sep.Length == 0 && s.Length == 1)
        {
            dst.Fill(s[0]);
            return;
        }
        for (long i = 0; i < st->N; i++)
        {
            if (i > 0)
            {
                sep.CopyTo(dst[pos..]);
                pos += sep.Length;
            }
            s.CopyTo(dst[pos..]);
            pos += s.Length;
        }
    }

    private static int Byte(LuaState L, int argc)
    {
        LuaString* s = L.CheckString(1);
        long len = s->Length;
        long i = L.OptInteger(2, 1);
        long end = EndPosition(L.OptInteger(3, i), len);   // j defaults to i as given, before adjusting
        long start = StartPosition(i, len);
        if (start > end) return 0;
        if (end - start >= int.MaxValue) throw L.RuntimeError("string slice too long");
        int n = (int)(end - start) + 1;
        if (L.Top + n > L.Thread->StackLimit) throw L.RuntimeError("stack overflow (string slice too long)");
        L.CheckStack(n);
        byte* p = LuaString.Data(s) + start - 1;
        for (int k = 0; k < n; k++) L.PushInteger(p[k]);
        return n;
    }

    private static int Char(LuaState L, int argc)
    {
        Span<byte> small = stackalloc byte[64];
        Span<byte> buf = argc <= small.Length ? small[..argc] : new byte[argc];
        for (int i = 1; i <= argc; i++)
        {
            long c = L.CheckInteger(i);
            if ((ulong)c > 255) throw L.ArgError(i, "value out of range");
            buf[i - 1] = (byte)c;
        }
        L.PushString(buf);
        return 1;
    }

    private static int Dump(LuaState L, int argc)
    {
        if (!L.Arg(1).IsFunction) throw L.TypeError(1, "function");
        // Tiered has no binary chunk format, so no function can be dumped.
        throw L.RuntimeError("unable to dump given function");
    }
}
