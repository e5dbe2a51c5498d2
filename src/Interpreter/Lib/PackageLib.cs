using System.Text;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using static Tiered.Interpreter.Lib.LibraryHelpers;

namespace Tiered.Interpreter.Lib;

/// <summary>The package library and require (Lua 5.4 manual §6.3).</summary>
/// <remarks>
/// require asks the functions in package.searchers, in order, for a loader: package.preload
/// (registry "_PRELOAD"), Lua files along package.path, C libraries along package.cpath,
/// and the all-in-one C searcher. Each searcher that finds nothing returns a string saying
/// where it looked; require joins them into its "module 'x' not found:" error. This engine
/// cannot load C code: the C searchers still search (so the error lists the same places as
/// lua5.4) but a library they find fails to load with a clear message.
/// require, the searchers and the path functions hold the package table as upvalue 1, so
/// assigning package.path or package.searchers takes effect, as in PUC Lua.
/// </remarks>
public static unsafe class PackageLib
{
    /// <summary>lua5.4's defaults, as the reference interpreter installed here reports them.</summary>
    public const string DefaultPath =
        "/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;" +
        "/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;" +
        "/usr/share/lua/5.4/?.lua;/usr/share/lua/5.4/?/init.lua;" +
        "./?.lua;./?/init.lua";
    public const string DefaultCPath =
        "/usr/local/lib/lua/5.4/?.so;/usr/lib/x86_64-linux-gnu/lua/5.4/?.so;/usr/lib/lua/5.4/?.so;" +
        "/usr/local/lib/lua/5.4/loadall.so;./?.so";

    /// <summary>LUA_DIRSEP, LUA_PATH_SEP, LUA_PATH_MARK, LUA_EXEC_DIR, LUA_IGMARK.</summary>
    private const string Config = "/\n;\n?\n!\n-\n";

    private const string CModulesUnsupported = "C modules are not supported by this engine";

    public static void Open(LuaState L)
    {
        LuaTable* package = L.NewTable(0, 8);
        Value pkg = Value.Table(package);
        SetValue(L, Loaded(L), "package", pkg);
        SetValue(L, L.Globals, "package", pkg);

        LuaTable* searchers = L.NewTable(4, 0);
        HostFunction[] searcherFunctions = [SearchPreload, SearchLua, SearchC, SearchCRoot];
        for (int i = 0; i < searcherFunctions.Length; i++)
            TableOps.SetInt(L, searchers, i + 1, WithPackageUpvalue(L, searcherFunctions[i], "searcher", pkg));
        SetValue(L, package, "searchers", Value.Table(searchers));

        SetValue(L, package, "path", L.StringValue(PathFromEnvironment("LUA_PATH", DefaultPath)));
        SetValue(L, package, "cpath", L.StringValue(PathFromEnvironment("LUA_CPATH", DefaultCPath)));
        SetValue(L, package, "config", L.StringValue(Config));
        SetValue(L, package, "loaded", Value.Table(Loaded(L)));
        SetValue(L, package, "preload", Value.Table(Preload(L)));
        SetFunction(L, package, "loadlib", LoadLib);
        SetFunction(L, package, "searchpath", SearchPath);
        SetValue(L, L.Globals, "require", WithPackageUpvalue(L, Require, "require", pkg));
    }

    private static Value WithPackageUpvalue(LuaState L, HostFunction fn, string name, in Value package)
    {
        HostClosure* c = L.NewHostClosure(L.RegisterHostFunction(fn, name), 1);
        HostClosure.Upvalues(c)[0] = package;
        return Value.Object(c, Tag.HostFunction);
    }

    /// <summary>The registry's "_PRELOAD" table (package.preload), created on first use.</summary>
    private static LuaTable* Preload(LuaState L)
    {
        Value key = L.StringValue("_PRELOAD");
        Value* slot = TableOps.Get(L.Registry, key);
        if (slot->Tag == Tag.Table) return slot->AsTable;
        LuaTable* t = L.NewTable();
        TableOps.Set(L, L.Registry, key, Value.Table(t));
        return t;
    }

    /// <summary>LUA_PATH_5_4, else LUA_PATH, else the default; the first ";;" in the variable
    /// stands for the default path.</summary>
    internal static string PathFromEnvironment(string variable, string defaultPath)
    {
        string? path = Environment.GetEnvironmentVariable(variable + "_5_4") ?? Environment.GetEnvironmentVariable(variable);
        if (path == null) return defaultPath;
        int mark = path.IndexOf(";;", StringComparison.Ordinal);
        if (mark < 0) return path;
        var sb = new StringBuilder();
        if (mark > 0) sb.Append(path, 0, mark).Append(';');
        sb.Append(defaultPath);
        if (mark + 2 < path.Length) sb.Append(';').Append(path, mark + 2, path.Length - mark - 2);
        return sb.ToString();
    }

    // ------------------------------------------------------------------ require

    private static int Require(LuaState L, int argc)
    {
        LuaString* nameString = L.CheckString(1);
        Value name = Value.Str(nameString);
        string managedName = LuaString.ToManaged(nameString);
        Value loaded = Value.Table(Loaded(L));
        Value cached = L.Index(loaded, name);
        if (cached.IsTruthy)
        {
            L.Push(cached);
            return 1;
        }

        // Stack from here: [loader, data] then the loader's result.
        Value* found = FindLoader(L, name, managedName);
        Value* call = L.Top;
        L.Push(found[0]);
        L.Push(name);
        L.Push(found[1]);
        L.Call(call, 2, 1);
        // The result stays on the stack (call[0]) while metamethods of package.loaded may run.
        if (call[0].Tag != Tag.Nil) L.SetIndex(loaded, name, call[0]);
        Value module = L.Index(loaded, name);
        if (module.Tag == Tag.Nil)
        {
            module = Value.True;
            L.SetIndex(loaded, name, module);
        }
        // Results: the module and the loader data (found[1], still on the stack).
        found[0] = module;
        L.Top = found + 2;
        return 2;
    }

    /// <summary>Asks each searcher for a loader; leaves (loader, data) on the stack and returns
    /// where they are, or raises "module 'x' not found:" with what each searcher reported.</summary>
    private static Value* FindLoader(LuaState L, in Value name, string managedName)
    {
        Value package = L.HostUpvalues[0];
        Value searchers = L.Index(package, L.StringValue("searchers"));
        if (searchers.Tag != Tag.Table) throw L.RuntimeError("'package.searchers' must be a table");
        Value* keep = L.Top;
        L.Push(searchers);   // a searcher could replace package.searchers; keep this one alive
        var message = new List<byte>();
        for (long i = 1; ; i++)
        {
            Value searcher = *TableOps.GetInt(keep->AsTable, i);
            if (searcher.Tag == Tag.Nil)
                throw L.RuntimeError($"module '{managedName}' not found:{Encoding.UTF8.GetString(message.ToArray())}");
            Value* call = L.Top;
            L.Push(searcher);
            L.Push(name);
            L.Call(call, 1, 2);
            if (call[0].IsFunction)
            {
                keep[0] = call[0];
                keep[1] = call[1];
                L.Top = keep + 2;
                return keep;
            }
            if (call[0].Tag == Tag.String || call[0].IsNumber)
            {
                message.AddRange("\n\t"u8);
                message.AddRange(LuaString.Span(L.ToStringMeta(call[0])));
            }
            L.Top = call;
        }
    }

    // ------------------------------------------------------------------ searchers

    private static int SearchPreload(LuaState L, int argc)
    {
        LuaString* name = L.CheckString(1);
        Value loader = L.Index(Value.Table(Preload(L)), Value.Str(name));
        if (loader.Tag == Tag.Nil)
        {
            L.PushString($"no field package.preload['{LuaString.ToManaged(name)}']");
            return 1;
        }
        L.Push(loader);
        L.PushString(":preload:");
        return 2;
    }

    private static int SearchLua(LuaState L, int argc)
    {
        string name = L.CheckManagedString(1);
        string? file = FindFile(L, name, "path", ".");
        if (file == null) return 1;   // the "no file" list is on the stack
        Value loader;
        try
        {
            loader = BaseLib.LoadFileChunk(L, file, "bt", null);
        }
        catch (LuaRuntimeException ex)
        {
            string why = ex.Value.Tag == Tag.String ? LuaString.ToManaged(ex.Value.AsString) : "?";
            throw L.RuntimeError($"error loading module '{name}' from file '{file}':\n\t{why}");
        }
        L.Push(loader);
        L.PushString(file);
        return 2;
    }

    private static int SearchC(LuaState L, int argc)
    {
        string name = L.CheckManagedString(1);
        string? file = FindFile(L, name, "cpath", ".");
        if (file == null) return 1;
        throw L.RuntimeError($"error loading module '{name}' from file '{file}':\n\t{CModulesUnsupported}");
    }

    /// <summary>The all-in-one searcher: "a.b.c" may live in the C library for "a".</summary>
    private static int SearchCRoot(LuaState L, int argc)
    {
        string name = L.CheckManagedString(1);
        int dot = name.IndexOf('.');
        if (dot < 0) return 0;
        string? file = FindFile(L, name[..dot], "cpath", ".");
        if (file == null) return 1;
        throw L.RuntimeError($"error loading module '{name}' from file '{file}':\n\t{CModulesUnsupported}");
    }

    /// <summary>Searches package[field] for <paramref name="name"/>: the file name, or null
    /// with the "no file" list pushed.</summary>
    private static string? FindFile(LuaState L, string name, string field, string separator)
    {
        Value path = L.Index(L.HostUpvalues[0], L.StringValue(field));
        if (path.Tag != Tag.String && !path.IsNumber) throw L.RuntimeError($"'package.{field}' must be a string");
        string pathText = LuaString.ToManaged(L.ToStringMeta(path));
        string? file = Search(name, pathText, separator, "/", out string notFound);
        if (file == null) L.PushString(notFound);
        return file;
    }

    /// <summary>searchpath: replaces <paramref name="separator"/> in the name by the directory
    /// separator, then tries each ';'-separated template with '?' replaced by the name.</summary>
    private static string? Search(string name, string path, string separator, string directorySeparator, out string notFound)
    {
        if (separator.Length > 0 && name.Contains(separator[0])) name = name.Replace(separator, directorySeparator);
        string candidates = path.Replace("?", name);
        notFound = "";
        if (candidates.Length > 0)
            foreach (string file in candidates.Split(';'))
                if (IsReadable(file)) return file;
        notFound = "no file '" + candidates.Replace(";", "'\n\tno file '") + "'";
        return null;
    }

    /// <summary>Whether fopen(file, "r") would succeed (it does for directories on Unix).</summary>
    private static bool IsReadable(string file)
    {
        if (file.Length == 0) return false;
        try
        {
            if (Directory.Exists(file)) return !OperatingSystem.IsWindows();
            using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    // ------------------------------------------------------------------ package.*

    private static int SearchPath(LuaState L, int argc)
    {
        string name = L.CheckManagedString(1);
        string path = L.CheckManagedString(2);
        string separator = L.IsNoneOrNil(3) ? "." : L.CheckManagedString(3);
        string directorySeparator = L.IsNoneOrNil(4) ? "/" : L.CheckManagedString(4);
        string? file = Search(name, path, separator, directorySeparator, out string notFound);
        if (file != null)
        {
            L.PushString(file);
            return 1;
        }
        L.PushNil();
        L.PushString(notFound);
        return 2;
    }

    private static int LoadLib(LuaState L, int argc)
    {
        L.CheckString(1);
        L.CheckString(2);
        L.PushNil();
        L.PushString(CModulesUnsupported);
        L.PushString("absent");
        return 3;
    }
}
