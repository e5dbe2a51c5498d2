namespace Tiered.Interpreter.Lib;

/// <summary>How a file's writes reach the OS, as C's setvbuf modes.</summary>
internal enum BufferMode { Full, Line, No }

/// <summary>
/// The host side of a Lua file handle: a .NET stream with the C stdio behaviour the io
/// library relies on. Reads go through a read-ahead buffer so that "n" can look one byte
/// ahead and give it back (ungetc); before a write or a seek the unread part of that buffer
/// is handed back to the stream, so the position the script sees is the one C would report.
/// </summary>
/// <remarks>
/// Like a C FILE*, a handle records the last error (errno) of an operation; g_read and
/// g_write turn it into their (nil, message, errno) results. A closed handle has no stream.
/// </remarks>
internal sealed class LuaFile
{
    private const int ReadBufferSize = 4096;

    private Stream? stream;
    /// <summary>For io.stdin/stdout/stderr: the state's current standard stream (the
    /// embedder may replace it), which io must share with print.</summary>
    private readonly Func<Stream>? standardStream;
    private readonly bool canRead, canWrite, append;
    /// <summary>A directory opened for reading: C's fopen accepts it, every read fails.</summary>
    private readonly bool isDirectory;
    private readonly byte[] readBuffer = new byte[ReadBufferSize];
    private int readPos, readLen;

    /// <summary>Called before a read from this file needs the OS (stdin flushes stdout first).</summary>
    public Action? BeforeFill;
    /// <summary>Called before each write (stderr flushes stdout first: lua5.4's print flushes
    /// stdout, so its output always precedes a later error message).</summary>
    public Action? BeforeWrite;
    public BufferMode Buffering;
    /// <summary>errno of the last failed operation, 0 if none (C's ferror plus errno).</summary>
    public int Error;

    public bool IsStandard => standardStream != null;
    public bool IsClosed => closed;
    private bool closed;

    private LuaFile(Stream? stream, Func<Stream>? standardStream, bool canRead, bool canWrite, bool append, bool isDirectory)
    {
        this.stream = stream;
        this.standardStream = standardStream;
        this.canRead = canRead;
        this.canWrite = canWrite;
        this.append = append;
        this.isDirectory = isDirectory;
    }

    public static LuaFile ForStream(Stream stream, bool canRead, bool canWrite, bool append = false) =>
        new(stream, null, canRead, canWrite, append, false);

    public static LuaFile ForStandard(Func<Stream> stream, bool canRead, bool canWrite, BufferMode buffering) =>
        new(null, stream, canRead, canWrite, false, false) { Buffering = buffering };

    public static LuaFile ForDirectory() => new(null, null, true, false, false, true);

    private Stream S => standardStream != null ? standardStream() : stream!;

    // ------------------------------------------------------------------ reading

    /// <summary>Next byte, or -1 at end of file or on error (then <see cref="Error"/> is set).</summary>
    public int ReadByte()
    {
        if (readPos < readLen) return readBuffer[readPos++];
        if (!Fill()) return -1;
        return readBuffer[readPos++];
    }

    /// <summary>Gives back the byte the last successful <see cref="ReadByte"/> returned (ungetc).</summary>
    public void UnreadByte() => readPos--;

    /// <summary>The buffered bytes not yet read; refills when empty. Empty at end of file.</summary>
    public ReadOnlySpan<byte> Peek()
    {
        if (readPos >= readLen && !Fill()) return default;
        return readBuffer.AsSpan(readPos, readLen - readPos);
    }

    public void Consume(int n) => readPos += n;

    private bool Fill()
    {
        if (isDirectory) { Error = IoLib.EISDIR; return false; }
        if (!canRead) { Error = IoLib.EBADF; return false; }
        BeforeFill?.Invoke();
        try
        {
            int n = S.Read(readBuffer, 0, readBuffer.Length);
            readPos = 0;
            readLen = n;
            return n > 0;
        }
        catch (Exception e) when (e is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            Error = e is NotSupportedException ? IoLib.EBADF : IoLib.ErrnoOf(e);
            readPos = readLen = 0;
            return false;
        }
    }

    /// <summary>Returns read-ahead bytes to the stream so its position is the logical one.</summary>
    private void SyncReadAhead()
    {
        int unread = readLen - readPos;
        readPos = readLen = 0;
        if (unread > 0 && S.CanSeek) S.Seek(-unread, SeekOrigin.Current);
    }

    // ------------------------------------------------------------------ writing

    public bool Write(ReadOnlySpan<byte> bytes)
    {
        if (!canWrite || isDirectory) { Error = IoLib.EBADF; return false; }
        try
        {
            BeforeWrite?.Invoke();
            Stream s = S;
            if (readLen > 0) SyncReadAhead();
            if (append && s.CanSeek) s.Seek(0, SeekOrigin.End);
            s.Write(bytes);
            if (Buffering == BufferMode.No || (Buffering == BufferMode.Line && bytes.IndexOf((byte)'\n') >= 0)) s.Flush();
            return true;
        }
        catch (Exception e) when (e is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            Error = e is NotSupportedException ? IoLib.EBADF : IoLib.ErrnoOf(e);
            return false;
        }
    }

    public bool Flush()
    {
        if (!canWrite || isDirectory) return true;   // fflush of an input stream just drops its buffer
        try
        {
            S.Flush();
            return true;
        }
        catch (Exception e) when (e is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            Error = IoLib.ErrnoOf(e);
            return false;
        }
    }

    // ------------------------------------------------------------------ positioning

    /// <summary>fseek + ftell: the new position, or -1 with <see cref="Error"/> set.</summary>
    public long Seek(SeekOrigin origin, long offset)
    {
        if (isDirectory) { Error = IoLib.EISDIR; return -1; }
        Stream s = S;
        if (!s.CanSeek) { Error = IoLib.ESPIPE; return -1; }
        try
        {
            long logical = s.Position - (readLen - readPos);
            long target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => logical + offset,
                _ => s.Length + offset,
            };
            if (target < 0) { Error = IoLib.EINVAL; return -1; }
            readPos = readLen = 0;
            s.Seek(target, SeekOrigin.Begin);
            return target;
        }
        catch (Exception e) when (e is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            Error = e is NotSupportedException ? IoLib.ESPIPE : IoLib.ErrnoOf(e);
            return -1;
        }
    }

    public void SetBuffering(BufferMode mode)
    {
        Buffering = mode;
        if (mode == BufferMode.No) Flush();
    }

    // ------------------------------------------------------------------ closing

    /// <summary>fclose: flushes and releases the stream. Returns 0 or an errno. Standard
    /// files are never closed here (the io library refuses before calling this).</summary>
    public int Close()
    {
        if (closed) return 0;
        closed = true;
        if (standardStream != null) return 0;
        Stream? s = stream;
        stream = null;
        readPos = readLen = 0;
        if (s == null) return 0;
        try
        {
            s.Dispose();   // flushes pending writes
            return 0;
        }
        catch (Exception e) when (e is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            return IoLib.ErrnoOf(e);
        }
    }
}
