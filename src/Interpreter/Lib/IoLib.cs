using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using static Tiered.Interpreter.Lib.LibraryHelpers;

namespace Tiered.Interpreter.Lib;

/// <summary>The input and output library (Lua 5.4 manual §6.8).</summary>
/// <remarks>
/// A file is a userdata with no payload: its <see cref="Userdata.HostHandle"/> holds a
/// GCHandle to a <see cref="LuaFile"/>. All files share one metatable (registry "FILE*",
/// __name "FILE*"), whose __index is the methods table. The default input and output
/// files live in the registry under "_IO_input" and "_IO_output", as in PUC Lua.
/// io.stdout writes to <see cref="LuaState.StdOut"/>, the stream print uses, so the two
/// keep their order.
/// </remarks>
public static unsafe partial class IoLib
{
    /// <summary>What the library keeps per state besides its registry entries.</summary>
    private sealed class IoState
    {
        public LuaTable* Metatable;
        public LuaString* InputKey;
        public LuaString* OutputKey;
        public int LinesIteratorIndex;
        /// <summary>The process's standard input, as C's stdin: io.stdin and debug.debug read it.</summary>
        public LuaFile? Stdin;
        /// <summary>Files not yet closed: os.exit flushes them, as C's exit() does.</summary>
        public readonly HashSet<LuaFile> OpenFiles = new();
    }

    private static readonly ConditionalWeakTable<LuaState, IoState> states = new();

    /// <summary>PUC Lua's MAXARGLINE: formats one io.lines iterator can carry.</summary>
    private const int MaxLinesFormats = 250;

    public static void Open(LuaState L)
    {
        var st = new IoState();
        states.AddOrUpdate(L, st);
        st.InputKey = L.NewString("_IO_input");
        st.OutputKey = L.NewString("_IO_output");
        L.Fix((GcObject*)st.InputKey);
        L.Fix((GcObject*)st.OutputKey);
        st.LinesIteratorIndex = L.RegisterHostFunction(LinesIterator, "for iterator");

        LuaTable* methods = L.NewTable(0, 7);
        foreach ((string name, HostFunction fn) in new (string, HostFunction)[]
        {
            ("close", FileClose), ("flush", FileFlush), ("lines", FileLines), ("read", FileRead),
            ("seek", FileSeek), ("setvbuf", FileSetvbuf), ("write", FileWrite),
        })
            SetFunction(L, methods, name, fn);
        LuaTable* mt = L.NewTable(0, 5);
        SetValue(L, mt, "__name", L.StringValue("FILE*"));
        SetValue(L, mt, "__index", Value.Table(methods));
        SetFunction(L, mt, "__gc", FileGc);
        SetFunction(L, mt, "__close", FileGc);
        SetFunction(L, mt, "__tostring", FileToString);
        SetValue(L, L.Registry, "FILE*", Value.Table(mt));
        st.Metatable = mt;

        LuaTable* io = NewLibrary(L, "io",
        [
            ("close", Close), ("flush", Flush), ("input", Input), ("lines", Lines), ("open", OpenFile),
            ("output", Output), ("popen", Popen), ("read", Read), ("tmpfile", TmpFile), ("type", Type),
            ("write", Write),
        ]);

        var stdin = LuaFile.ForStandard(() => L.StdIn, canRead: true, canWrite: false, BufferMode.Full);
        stdin.BeforeFill = () => L.StdOut.Flush();
        st.Stdin = stdin;
        Value input = NewFile(L, st, stdin);
        Value output = NewFile(L, st, LuaFile.ForStandard(() => L.StdOut, canRead: false, canWrite: true, BufferMode.Full));
        var stderr = LuaFile.ForStandard(() => L.StdErr, canRead: false, canWrite: true, BufferMode.No);
        stderr.BeforeWrite = () => L.StdOut.Flush();
        Value error = NewFile(L, st, stderr);
        SetValue(L, io, "stdin", input);
        SetValue(L, io, "stdout", output);
        SetValue(L, io, "stderr", error);
        TableOps.Set(L, L.Registry, Value.Str(st.InputKey), input);
        TableOps.Set(L, L.Registry, Value.Str(st.OutputKey), output);
    }

    /// <summary>Reads a line of standard input through the buffer io.stdin reads from (so the
    /// two never lose each other's data) and pushes it with its newline; false at the end of
    /// the input. Without the io library, the stream is read a byte at a time.</summary>
    internal static bool ReadStandardInputLine(LuaState L)
    {
        if (states.TryGetValue(L, out IoState? st) && st.Stdin != null) return ReadLine(L, st.Stdin, keepNewline: true);
        var bytes = new List<byte>();
        int b;
        while ((b = L.StdIn.ReadByte()) >= 0)
        {
            bytes.Add((byte)b);
            if (b == '\n') break;
        }
        if (bytes.Count == 0) return false;
        L.PushString(bytes.ToArray());
        return true;
    }

    private static IoState StateOf(LuaState L) =>
        states.TryGetValue(L, out IoState? st) ? st : throw L.RuntimeError("the io library is not open in this state");

    /// <summary>Flushes every open file and the standard streams (os.exit, like C's exit()).</summary>
    internal static void FlushAll(LuaState L)
    {
        if (states.TryGetValue(L, out IoState? st))
            foreach (LuaFile f in st.OpenFiles) f.Flush();
        try { L.StdOut.Flush(); L.StdErr.Flush(); }
        catch (IOException) { /* nothing useful to report while exiting */ }
    }

    // ------------------------------------------------------------------ handles

    /// <summary>Wraps a host file in a new userdata; the result is not on the stack.</summary>
    private static Value NewFile(LuaState L, IoState st, LuaFile file)
    {
        Userdata* u = L.NewUserdata(0);
        u->HostHandle = GCHandle.ToIntPtr(GCHandle.Alloc(file));
        u->Metatable = st.Metatable;
        L.CheckFinalizer((GcObject*)u, st.Metatable);
        if (!file.IsStandard) st.OpenFiles.Add(file);
        return Value.Object(u, Tag.Userdata);
    }

    /// <summary>The host file behind a value, or null if it is not a file (luaL_testudata).</summary>
    private static LuaFile? AsFile(IoState st, in Value v)
    {
        if (v.Tag != Tag.Userdata) return null;
        var u = (Userdata*)v.P;
        if (u->Metatable != st.Metatable || u->HostHandle == 0) return null;
        return (LuaFile?)GCHandle.FromIntPtr(u->HostHandle).Target;
    }

    /// <summary>Argument 1 as an open file (tofile): raises the errors PUC Lua raises.</summary>
    private static LuaFile ToFile(LuaState L, IoState st)
    {
        LuaFile f = AsFile(st, L.Arg(1)) ?? throw L.TypeError(1, "FILE*");
        if (f.IsClosed) throw L.RuntimeError("attempt to use a closed file");
        return f;
    }

    /// <summary>The default input or output file, which must be open.</summary>
    private static LuaFile DefaultFile(LuaState L, IoState st, LuaString* key, out Value handle)
    {
        handle = *TableOps.GetShortString(L.Registry, key);
        LuaFile? f = AsFile(st, handle);
        if (f == null || f.IsClosed)
            throw L.RuntimeError($"default {(key == st.InputKey ? "input" : "output")} file is closed");
        return f;
    }

    /// <summary>luaL_fileresult for success/failure of an operation on a file.</summary>
    private static int FileResult(LuaState L, bool ok, LuaFile f)
    {
        if (!ok) return PushFailure(L, f.Error, null);
        L.PushBoolean(true);
        return 1;
    }

    /// <summary>Closes a file as aux_close does: standard files refuse.</summary>
    private static int CloseFile(LuaState L, IoState st, LuaFile f)
    {
        if (f.IsStandard)
        {
            L.PushNil();
            L.PushString("cannot close standard file");
            return 2;
        }
        st.OpenFiles.Remove(f);
        int errno = f.Close();
        if (errno != 0) return PushFailure(L, errno, null);
        L.PushBoolean(true);
        return 1;
    }

    // ------------------------------------------------------------------ opening

    /// <summary>l_checkmode: [rwa] then an optional '+', then only 'b's.</summary>
    private static bool IsValidMode(string mode)
    {
        if (mode.Length == 0 || "rwa".IndexOf(mode[0]) < 0) return false;
        int i = 1;
        if (i < mode.Length && mode[i] == '+') i++;
        for (; i < mode.Length; i++) if (mode[i] != 'b') return false;
        return true;
    }

    /// <summary>fopen: a host file for <paramref name="name"/>, or null with the errno.</summary>
    private static LuaFile? OpenHostFile(string name, string mode, out int errno)
    {
        errno = 0;
        char kind = mode[0];
        bool update = mode.Length > 1 && mode[1] == '+';
        try
        {
            if (name.Length == 0) { errno = ENOENT; return null; }
            if (Directory.Exists(name))
            {
                // C opens a directory for reading; reading it then fails with EISDIR.
                if (kind == 'r' && !update) return LuaFile.ForDirectory();
                errno = EISDIR;
                return null;
            }
            (FileMode fm, FileAccess fa) = kind switch
            {
                'r' => (FileMode.Open, update ? FileAccess.ReadWrite : FileAccess.Read),
                'w' => (FileMode.Create, update ? FileAccess.ReadWrite : FileAccess.Write),
                _ => (FileMode.OpenOrCreate, update ? FileAccess.ReadWrite : FileAccess.Write),
            };
            var fs = new FileStream(name, fm, fa, FileShare.ReadWrite | FileShare.Delete, 4096);
            // glibc starts "a" at the end and "a+" at the beginning; every write appends.
            if (kind == 'a' && !update && fs.CanSeek) fs.Seek(0, SeekOrigin.End);
            return LuaFile.ForStream(fs, canRead: kind == 'r' || update, canWrite: kind != 'r' || update, append: kind == 'a');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            errno = e is ArgumentException or NotSupportedException ? ENOENT : ErrnoOf(e, name);
            return null;
        }
    }

    /// <summary>opencheckfile: opens or raises "cannot open file 'name' (reason)".</summary>
    private static Value OpenOrRaise(LuaState L, IoState st, string name, string mode)
    {
        LuaFile? f = OpenHostFile(name, mode, out int errno);
        if (f == null) throw L.RuntimeError($"cannot open file '{name}' ({StrError(errno)})");
        return NewFile(L, st, f);
    }

    // ------------------------------------------------------------------ io.*

    private static int OpenFile(LuaState L, int argc)
    {
        IoState st = StateOf(L);
        string name = L.CheckManagedString(1);
        string mode = L.IsNoneOrNil(2) ? "r" : L.CheckManagedString(2);
        if (!IsValidMode(mode)) throw L.ArgError(2, "invalid mode");
        LuaFile? f = OpenHostFile(name, mode, out int errno);
        if (f == null) return PushFailure(L, errno, name);
        L.Push(NewFile(L, st, f));
        return 1;
    }

    private static int Close(LuaState L, int argc)
    {
        IoState st = StateOf(L);
        if (argc == 0)
        {
            Value output = *TableOps.GetShortString(L.Registry, st.OutputKey);
            LuaFile f = AsFile(st, output) ?? throw L.TypeError(1, "FILE*");
            if (f.IsClosed) throw L.RuntimeError("attempt to use a closed file");
            return CloseFile(L, st, f);
        }
        return CloseFile(L, st, ToFile(L, st));
    }

    private static int Flush(LuaState L, int argc)
    {
        IoState st = StateOf(L);
        LuaFile f = DefaultFile(L, st, st.OutputKey, out _);
        f.Error = 0;
        return FileResult(L, f.Flush(), f);
    }

    private static int Input(LuaState L, int argc) => DefaultFileAccessor(L, input: true);

    private static int Output(LuaState L, int argc) => DefaultFileAccessor(L, input: false);

    /// <summary>io.input / io.output: set the default file from a name or a handle, return it.</summary>
    private static int DefaultFileAccessor(LuaState L, bool input)
    {
        IoState st = StateOf(L);
        LuaString* key = input ? st.InputKey : st.OutputKey;
        string mode = input ? "r" : "w";
        if (!L.IsNoneOrNil(1))
        {
            Value arg = L.Arg(1);
            Value file;
            if (arg.Tag == Tag.String || arg.IsNumber) file = OpenOrRaise(L, st, L.CheckManagedString(1), mode);
            else
            {
                ToFile(L, st);
                file = arg;
            }
            TableOps.Set(L, L.Registry, Value.Str(key), file);
        }
        L.Push(*TableOps.GetShortString(L.Registry, key));
        return 1;
    }

    private static int Lines(LuaState L, int argc)
    {
        IoState st = StateOf(L);
        if (L.IsNoneOrNil(1))
        {
            Value input = *TableOps.GetShortString(L.Registry, st.InputKey);
            LuaFile f = AsFile(st, input) ?? throw L.TypeError(1, "FILE*");
            if (f.IsClosed) throw L.RuntimeError("attempt to use a closed file");
            PushLinesIterator(L, st, input, argc, toClose: false);
            return 1;
        }
        string name = L.CheckManagedString(1);
        Value file = OpenOrRaise(L, st, name, "r");
        L.Push(file);   // keep it reachable while the iterator is built
        PushLinesIterator(L, st, file, argc, toClose: true);
        L.PushNil();
        L.PushNil();
        L.Push(file);   // the to-be-closed value of the generic for
        return 4;
    }

    private static int Popen(LuaState L, int argc)
    {
        L.CheckString(1);
        throw L.RuntimeError("'popen' not supported");
    }

    private static int Read(LuaState L, int argc)
    {
        IoState st = StateOf(L);
        LuaFile f = DefaultFile(L, st, st.InputKey, out _);
        return ReadFormats(L, f, argc > 0 ? L.ArgSlot(1) : null, argc, 1);
    }

    private static int TmpFile(LuaState L, int argc)
    {
        IoState st = StateOf(L);
        string dir = OperatingSystem.IsWindows() ? Path.GetTempPath() : "/tmp";
        for (int attempt = 0; ; attempt++)
        {
            string path = Path.Combine(dir, "lua_" + RandomSuffix());
            try
            {
                // Like C's tmpfile, the name disappears at once on Unix; the open stream keeps the data.
                bool unlinkNow = !OperatingSystem.IsWindows();
                var fs = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete,
                    4096, unlinkNow ? FileOptions.None : FileOptions.DeleteOnClose);
                if (unlinkNow) File.Delete(path);
                L.Push(NewFile(L, st, LuaFile.ForStream(fs, canRead: true, canWrite: true)));
                return 1;
            }
            catch (IOException e) when (attempt < 100 && ErrnoOf(e, path) == EEXIST) { }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return PushFailure(L, ErrnoOf(e, path), null);
            }
        }
    }

    /// <summary>Six letters and digits, as mkstemp fills "XXXXXX".</summary>
    internal static string RandomSuffix()
    {
        const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Span<char> s = stackalloc char[6];
        for (int i = 0; i < s.Length; i++) s[i] = chars[Random.Shared.Next(chars.Length)];
        return new string(s);
    }

    private static int Type(LuaState L, int argc)
    {
        L.CheckAny(1);
        LuaFile? f = AsFile(StateOf(L), L.Arg(1));
        if (f == null) L.PushNil();
        else L.PushString(f.IsClosed ? "closed file" : "file");
        return 1;
    }

    private static int Write(LuaState L, int argc)
    {
        IoState st = StateOf(L);
        LuaFile f = DefaultFile(L, st, st.OutputKey, out Value handle);
        return WriteValues(L, f, handle, 1, argc);
    }

    // ------------------------------------------------------------------ file methods

    private static int FileClose(LuaState L, int argc)
    {
        IoState st = StateOf(L);
        return CloseFile(L, st, ToFile(L, st));
    }

    private static int FileFlush(LuaState L, int argc)
    {
        LuaFile f = ToFile(L, StateOf(L));
        f.Error = 0;
        return FileResult(L, f.Flush(), f);
    }

    private static int FileLines(LuaState L, int argc)
    {
        IoState st = StateOf(L);
        ToFile(L, st);
        PushLinesIterator(L, st, L.Arg(1), argc, toClose: false);
        return 1;
    }

    private static int FileRead(LuaState L, int argc)
    {
        LuaFile f = ToFile(L, StateOf(L));
        return ReadFormats(L, f, argc > 1 ? L.ArgSlot(2) : null, argc - 1, 2);
    }

    private static readonly string[] SeekModes = ["set", "cur", "end"];

    private static int FileSeek(LuaState L, int argc)
    {
        LuaFile f = ToFile(L, StateOf(L));
        int mode = L.CheckOption(2, "cur", SeekModes);
        long offset = L.OptInteger(3, 0);
        f.Error = 0;
        long pos = f.Seek(mode switch { 0 => SeekOrigin.Begin, 1 => SeekOrigin.Current, _ => SeekOrigin.End }, offset);
        if (pos < 0) return PushFailure(L, f.Error, null);
        L.PushInteger(pos);
        return 1;
    }

    private static readonly string[] BufferModes = ["no", "full", "line"];

    private static int FileSetvbuf(LuaState L, int argc)
    {
        LuaFile f = ToFile(L, StateOf(L));
        int mode = L.CheckOption(2, null, BufferModes);
        L.OptInteger(3, 1024);   // the size is accepted and ignored: .NET streams size their own buffers
        f.SetBuffering(mode switch { 0 => BufferMode.No, 1 => BufferMode.Full, _ => BufferMode.Line });
        L.PushBoolean(true);
        return 1;
    }

    private static int FileWrite(LuaState L, int argc)
    {
        LuaFile f = ToFile(L, StateOf(L));
        return WriteValues(L, f, L.Arg(1), 2, argc);
    }

    /// <summary>__gc and __close: close the file if it is still open (standard files stay open).</summary>
    private static int FileGc(LuaState L, int argc)
    {
        IoState st = StateOf(L);
        LuaFile? f = AsFile(st, L.Arg(1)) ?? throw L.TypeError(1, "FILE*");
        if (!f.IsClosed && !f.IsStandard)
        {
            st.OpenFiles.Remove(f);
            f.Close();
        }
        return 0;
    }

    private static int FileToString(LuaState L, int argc)
    {
        LuaFile f = AsFile(StateOf(L), L.Arg(1)) ?? throw L.TypeError(1, "FILE*");
        L.PushString(f.IsClosed ? "file (closed)" : $"file (0x{(nint)L.Arg(1).P:x})");
        return 1;
    }

    // ------------------------------------------------------------------ writing

    /// <summary>g_write: writes arguments first..argc; returns the file, or the failure triple.</summary>
    private static int WriteValues(LuaState L, LuaFile f, in Value handle, int first, int argc)
    {
        f.Error = 0;
        bool ok = true;
        Span<byte> digits = stackalloc byte[32];
        for (int i = first; i <= argc; i++)
        {
            Value v = L.Arg(i);
            if (v.IsNumber)
            {
                // Numbers are written even after a failure, as fprintf is in C.
                int n;
                if (v.Tag == Tag.Integer) v.I.TryFormat(digits, out n, default, CultureInfo.InvariantCulture);
                else n = Encoding.ASCII.GetBytes(Numbers.FormatG(v.D, 14, false, false), digits);
                ok = f.Write(digits[..n]) && ok;
            }
            else
            {
                LuaString* s = L.CheckString(i);
                if (ok) ok = f.Write(LuaString.Span(s));
            }
        }
        if (!ok) return PushFailure(L, f.Error, null);
        L.Push(handle);
        return 1;
    }

    // ------------------------------------------------------------------ lines

    /// <summary>Pushes the iterator of f:lines / io.lines: a closure over the file, the format
    /// count, whether to close at the end, and the formats (arguments 2..argc).</summary>
    private static void PushLinesIterator(LuaState L, IoState st, in Value file, int argc, bool toClose)
    {
        int n = Math.Max(argc - 1, 0);
        if (n > MaxLinesFormats) throw L.ArgError(MaxLinesFormats + 2, "too many arguments");
        HostClosure* c = L.NewHostClosure(st.LinesIteratorIndex, 3 + n);
        Value* up = HostClosure.Upvalues(c);
        up[0] = file;
        up[1] = Value.Int(n);
        up[2] = Value.Bool(toClose);
        for (int i = 0; i < n; i++) up[3 + i] = L.Arg(2 + i);
        L.Push(Value.Object(c, Tag.HostFunction));
    }

    private static int LinesIterator(LuaState L, int argc)
    {
        IoState st = StateOf(L);
        Value* up = L.HostUpvalues;
        LuaFile f = AsFile(st, up[0])!;
        if (f.IsClosed) throw L.RuntimeError("file is already closed");
        int n = (int)up[1].I;
        Value* resultsStart = L.Top;
        int results = ReadFormats(L, f, n > 0 ? up + 3 : null, n, 2);
        if (resultsStart->IsTruthy) return results;
        // End of file or an error: the first result is nil.
        if (results > 1)
        {
            Value message = resultsStart[1];
            throw L.RuntimeError(message.Tag == Tag.String ? LuaString.ToManaged(message.AsString) : "?");
        }
        if (up[2].IsTruthy)
        {
            L.Top = resultsStart;
            st.OpenFiles.Remove(f);
            f.Close();
        }
        L.Top = resultsStart;
        return 0;
    }
}
