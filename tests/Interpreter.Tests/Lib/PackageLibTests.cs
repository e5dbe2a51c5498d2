using Xunit;

namespace Tiered.Interpreter.Tests.Lib;

// Expected outputs were produced by lua5.4 (5.4.4) running the same code.
public class PackageLibTests
{
    [Fact]
    public void SearchersPreloadAndNotFoundMessages()
    {
        Assert.Equal(
            "false\tmodule 'nope' not found:\n\tno field package.preload['nope']\n\tno file './nope.lua'\n\tno file ''\n" +
            "false\tmodule 'a.b' not found:\n\tno field package.preload['a.b']\n\tno file './a/b.lua'\n\tno file './a/b.so'\n" +
            "\tno file './x/a/b.so'\n\tno file './a.so'\n\tno file './x/a.so'\n" +
            "nil\tno file './a/b.lua'\n\tno file 'a/b/x.lua'\n" +
            "nil\tno file './a+b.lua'\n" +
            "nil\tno file ''\n" +
            "loading\tfoo\t:preload:\n" +
            "true\t:preload:\n" +
            "true\n" +
            "true\ttrue\ttrue\n" +
            "true\t4\n" +
            "false\tmodule 'zzz' not found:\n\tno field package.preload['zzz']\n\tno file '5'\n\tno file './zzz.so'\n\tno file './x/zzz.so'\n" +
            "false\t'package.path' must be a string\n" +
            "false\t'package.searchers' must be a table\n" +
            "false\tmodule 'zzz' not found:\n\t42\n\tno field package.preload['zzz']\n\tno file './zzz.lua'\n\tno file './zzz.so'\n\tno file './x/zzz.so'\n" +
            "false\tbad argument #1 to 'require' (string expected, got no value)\n",
            IoRunner.Out("""
                package.path = './?.lua'
                package.cpath = ''
                print(pcall(require, 'nope'))
                package.cpath = './?.so;./x/?.so'
                print(pcall(require, 'a.b'))
                print(package.searchpath('a.b', './?.lua;?/x.lua'))
                print(package.searchpath('a_b', './?.lua', '_', '+'))
                print(package.searchpath('x', ''))
                package.preload.foo = function(...) print('loading', ...) end
                print(require('foo'))
                print(require('foo'))
                print(package.loaded.foo, package.loaded.string == string, package.loaded._G == _G)
                print(package.config == '/\n;\n?\n!\n-\n', #package.searchers)
                package.path = 5
                print(pcall(require, 'zzz'))
                package.path = {}
                print(pcall(require, 'zzz'))
                local s = package.searchers
                package.searchers = nil
                print(pcall(require, 'zzz'))
                package.searchers = s
                package.path = './?.lua'
                table.insert(package.searchers, 1, function(n) return 42 end)
                table.insert(package.searchers, 1, function(n) return nil end)
                print(pcall(require, 'zzz'))
                print(pcall(require))
                """));
    }

    [Fact]
    public void LoadsLuaFilesAndRefusesCModules()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "good.lua"), "print('loading good', ...)\nreturn {name = ...}\n");
            File.WriteAllText(Path.Combine(dir, "bad.lua"), "x = = 1\n");
            File.WriteAllText(Path.Combine(dir, "err.lua"), "error('boom')\n");
            Directory.CreateDirectory(Path.Combine(dir, "sub"));
            File.WriteAllText(Path.Combine(dir, "sub", "init.lua"), "return false\n");
            File.WriteAllText(Path.Combine(dir, "cmod.so"), "");
            string d = dir;
            Assert.Equal(
                $"loading good\tgood\t{d}/good.lua\n" +
                $"good\t{d}/good.lua\n" +
                "true\t1\n" +
                $"false\terror loading module 'bad' from file '{d}/bad.lua':\n\t{d}/bad.lua:1: unexpected symbol near '='\n" +
                $"false\t{d}/err.lua:1: boom\n" +
                "false\tfalse\n" +
                $"false\terror loading module 'cmod' from file '{d}/cmod.so':\n\tC modules are not supported by this engine\n" +
                $"false\terror loading module 'cmod.x' from file '{d}/cmod.so':\n\tC modules are not supported by this engine\n",
                IoRunner.Out($"""
                    package.path = "{d}/?.lua;{d}/?/init.lua"
                    package.cpath = "{d}/?.so"
                    local m, where = require("good")
                    print(m.name, where)
                    print(require("good") == m, select('#', require("good")))
                    print(pcall(require, "bad"))
                    print(pcall(require, "err"))
                    print(require("sub"), package.loaded.sub)
                    print(pcall(require, "cmod"))
                    print(pcall(require, "cmod.x"))
                    """));
        }
        finally { Directory.Delete(dir, true); }
    }
}
