using System.Runtime.CompilerServices;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;

namespace Tiered.Interpreter.Lib;

/// <summary>A growable byte array for building string results (luaL_Buffer's role). It lives on
/// the managed heap, so it survives calls back into Lua; only the finished bytes become a
/// Lua string.</summary>
internal sealed class ByteBuffer
{
    private LuaState? L;   // for the "not enough memory" error; null in scratch buffers
    private byte[] data;
    private int length;

    public ByteBuffer(int capacity) => data = new byte[Math.Max(capacity, 16)];

    public ByteBuffer(LuaState L, int capacity = 64)
    {
        this.L = L;
        data = new byte[Math.Max(capacity, 16)];
    }

    [ThreadStatic] private static ByteBuffer? spare;

    /// <summary>A buffer for one library call: the thread's spare one when it is free (calls
    /// can nest through metamethods, so a buffer in use is never shared), else a new one.
    /// Hand it back with <see cref="Release"/> when done; a buffer lost to an error is just garbage.</summary>
    public static ByteBuffer Rent(LuaState L)
    {
        ByteBuffer? b = spare;
        if (b == null) return new ByteBuffer(L, 256);
        spare = null;
        b.L = L;
        b.length = 0;
        return b;
    }

    public void Release()
    {
        if (data.Length <= 1 << 16) spare = this;   // do not keep huge buffers alive
    }

    public int Length => length;
    public ReadOnlySpan<byte> Span => data.AsSpan(0, length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(byte b)
    {
        if (length == data.Length) Grow(1);
        data[length++] = b;
    }

    public void Add(char c) => Add((byte)c);

    public void Add(ReadOnlySpan<byte> bytes)
    {
        if (length + bytes.Length > data.Length) Grow(bytes.Length);
        bytes.CopyTo(data.AsSpan(length));
        length += bytes.Length;
    }

    public unsafe void Add(byte* p, long n) => Add(new ReadOnlySpan<byte>(p, checked((int)n)));

    /// <summary>Appends an ASCII string (each char is one byte).</summary>
    public void AddAscii(string s)
    {
        if (length + s.Length > data.Length) Grow(s.Length);
        for (int i = 0; i < s.Length; i++) data[length + i] = (byte)s[i];
        length += s.Length;
    }

    public void AddRepeated(byte b, int count)
    {
        if (count <= 0) return;
        if (length + count > data.Length) Grow(count);
        data.AsSpan(length, count).Fill(b);
        length += count;
    }

    /// <summary>Reserves <paramref name="n"/> bytes at the end and returns them for filling.</summary>
    public Span<byte> Reserve(int n)
    {
        if (length + n > data.Length) Grow(n);
        Span<byte> s = data.AsSpan(length, n);
        length += n;
        return s;
    }

    /// <summary>Inserts <paramref name="count"/> copies of a byte at <paramref name="pos"/>.</summary>
    public void Insert(int pos, byte b, int count)
    {
        if (count <= 0) return;
        if (length + count > data.Length) Grow(count);
        data.AsSpan(pos, length - pos).CopyTo(data.AsSpan(pos + count));
        data.AsSpan(pos, count).Fill(b);
        length += count;
    }

    private void Grow(int extra)
    {
        long need = (long)length + extra;
        if (need > Array.MaxLength)
        {
            if (L == null) throw new OutOfMemoryException();
            throw new LuaRuntimeException(L, L.StringValue("not enough memory"));
        }
        long cap = Math.Max(need, Math.Min((long)data.Length * 2, Array.MaxLength));
        Array.Resize(ref data, (int)cap);
    }

    public unsafe LuaString* ToLuaString() => L!.NewString(Span);
}
